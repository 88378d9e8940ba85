#!/usr/bin/python3
"""parity.py PT_DIR SRC_DIR PHOTO...: the TorchScript models in PT_DIR must
give the outputs of the original TF.js models in SRC_DIR (run by tfjs.js)
on the same input tensors, within TOL, for every photo and output."""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

TOL = 1e-3
HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "../../models")


def labels(name):
    return open(os.path.join(MODELS, name), encoding="utf-8").read().splitlines()


def letterbox(im, size=512):
    """Resized to fit size x size keeping the aspect, at the top left, the
    rest 0; RGB 0..255 (the centernet input contract)."""
    scale = size / max(im.size)
    w, h = (max(1, round(d * scale)) for d in im.size)
    out = np.zeros((size, size, 3), np.float32)
    out[:h, :w] = np.asarray(im.resize((w, h), Image.Resampling.BILINEAR), np.float32)
    return out


def stretched(im, size=224):
    """Resized to size x size ignoring the aspect, RGB 0..1 (the nsfw input contract)."""
    return np.asarray(im.resize((size, size), Image.Resampling.BILINEAR), np.float32) / 255


def compare_detections(a, b):
    """(max |a-b|, note). Rows whose scores are near-tied can come out of
    TopK in either order, so if the rows differ they are matched as a set
    (same class and box); a row only one side has is allowed at the end of
    the list (the 100th place tie)."""
    diff = float(np.abs(a - b).max())
    if diff <= TOL:
        return diff, ""
    unused, only_a, worst, moved = list(range(len(b))), [], 0.0, 0
    for i, row in enumerate(a):
        d = [float(np.abs(row - b[j]).max()) for j in unused]
        k = int(np.argmin(d))
        if d[k] > TOL:
            only_a.append(i)
            continue
        worst = max(worst, d[k])
        moved += unused[k] != i
        unused.pop(k)
    lowest = min(a[-1, 4], b[-1, 4]) + TOL
    if any(a[i, 4] > lowest for i in only_a) or any(b[j, 4] > lowest for j in unused):
        return diff, "(rows differ, even as a set)"
    return worst, f"(matched as a set: {moved} rows moved, {len(only_a)} tied at the end)"


def main():
    pt_dir, src_dir, photos = sys.argv[1], sys.argv[2], sys.argv[3:]
    torch.set_num_threads(2)
    coco, nsfw_names = labels("coco-labels.txt"), labels("nsfw-labels.txt")
    centernet = torch.jit.load(os.path.join(pt_dir, "centernet.pt"))
    nsfw = torch.jit.load(os.path.join(pt_dir, "nsfw.pt"))
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for photo in photos:
            name = os.path.basename(photo)
            im = Image.open(photo).convert("RGB")
            letterbox(im).tofile(os.path.join(tmp, name + ".in512"))
            stretched(im).tofile(os.path.join(tmp, name + ".in224"))
            names.append(name)
        node = subprocess.run(["node", os.path.join(HERE, "tfjs.js"), src_dir, tmp] + names,
                              stderr=subprocess.PIPE, text=True, check=False)
        if node.returncode != 0:  # its stderr is only tfjs' banner otherwise
            print(node.stderr + f"tfjs.js failed\n0 passed, {len(names) * 3} failed")
            return False
        for name in names:
            def read(suffix, shape):
                return np.fromfile(os.path.join(tmp, name + suffix), np.float32).reshape(shape)
            with torch.no_grad():
                det, emb = (t.numpy() for t in
                            centernet(torch.from_numpy(read(".in512", (1, 512, 512, 3)))))
                probs = nsfw(torch.from_numpy(read(".in224", (1, 224, 224, 3)))).numpy()
            checks = [
                ("detections",) + compare_detections(det[0], read(".detections.tfjs", (100, 6))),
                ("embedding", float(np.abs(emb - read(".embedding.tfjs", (1, 720))).max()), ""),
                ("nsfw", float(np.abs(probs - read(".nsfw.tfjs", (1, 5))).max()), ""),
            ]
            for what, diff, note in checks:
                ok = diff <= TOL
                passed, failed = passed + ok, failed + (not ok)
                line = f"{name} {what}: max |torch - tfjs| {diff:.2e} {note}"
                print(("ok   " if ok else "FAIL ") + line.rstrip())
            top = ", ".join(f"{coco[int(r[5])]} {r[4]:.2f} [{', '.join(f'{v:.0f}' for v in r[:4])}]"
                            for r in det[0][:3])
            print(f"     {name}: {top}; nsfw {nsfw_names[int(probs.argmax())]} {probs.max():.2f}")
    print(f"{passed} passed, {failed} failed")
    return failed == 0


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
