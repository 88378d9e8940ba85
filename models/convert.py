#!/usr/bin/python3
"""convert.py SRC_DIR OUT_DIR: TF.js graph models -> TorchScript.

SRC_DIR is what models/fetch extracted (CACHE_DIR/models-src). Writes
OUT_DIR/centernet.pt and OUT_DIR/nsfw.pt (see models/README.md).

Generic: model.json and its weight shards are read with numpy, the graph
is pruned to what the wanted outputs need, every node becomes a torch op
(tensors stay NHWC as in TF; convolutions and pools run on the NCHW view
of them, which is channels_last in memory), and the result is traced.
An op this file does not know stops the conversion with its name.
"""
import base64
import json
import math
import os
import re
import sys

import numpy as np
import torch
import torch.nn.functional as F

MODELS = [
    # output file, model.json, input shape, [(output node, flatten)]
    ("centernet.pt", "centernet.json", (1, 512, 512, 3),
     [("tower_0/detections", False),
      ("tower_0/MobilenetV3/expanded_conv_14/squeeze_excite/Mean", True)]),
    ("nsfw.pt", "mobilenet_v2_mid/model.min.js", (1, 224, 224, 3),
     [("Identity", False)]),
]

DTYPES = {"DT_FLOAT": torch.float32, "DT_INT32": torch.int32, "DT_BOOL": torch.bool}


# ---- reading the files -------------------------------------------------

def js_literal(text):
    """JSON value from a minified JS object literal (bare keys, !0, .5)."""
    tokens = re.finditer(r'"(?:[^"\\]|\\.)*"|!0|!1|-?\d*\.?\d+(?:[eE][-+]?\d+)?'
                         r'|[A-Za-z_$][\w$]*|[{}\[\]:,]|\S', text)
    out, depth = [], 0
    for m in tokens:
        t = m.group()
        if t[0] == '"' or t in "{}[]:,":
            out.append(t)
        elif t in ("!0", "!1"):
            out.append("true" if t == "!0" else "false")
        elif t[0].isdigit() or t[0] in ".-":
            out.append(repr(float(t)) if re.search(r"[.eE]", t) else t)
        elif t[0].isalpha() or t[0] in "_$":
            out.append(json.dumps(t))
        else:
            raise ValueError(f"unexpected {t!r} in JS object literal")
        depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(t, 0)
        if depth == 0:
            return json.loads("".join(out))
    raise ValueError("unterminated JS object literal")


def read_bundle(path):
    """The value of `exports=` in a browserified .min.js (nsfwjs ships its
    model.json and weight shards that way; the shards as base64)."""
    text = open(path, encoding="utf-8").read()
    m = re.search(r'\.exports=([{"])', text)
    if not m:
        raise ValueError(f"{path}: no exports= found")
    if m.group(1) == '"':
        return base64.b64decode(text[m.end():text.index('"', m.end())])
    return js_literal(text[m.start(1):])


def read_shard(directory, name):
    path = os.path.join(directory, name)
    if os.path.exists(path):
        return open(path, "rb").read()
    return read_bundle(path + ".min.js")


def read_weights(directory, manifest):
    """{name: numpy array}, dequantised the way tfjs-core's io does."""
    out = {}
    for group in manifest:
        data = b"".join(read_shard(directory, p) for p in group["paths"])
        pos = 0
        for w in group["weights"]:
            count = math.prod(w["shape"])
            q = w.get("quantization")
            dtype = {"float32": "<f4", "int32": "<i4"}.get(w["dtype"])
            if q:
                dtype = {"uint8": "<u1", "uint16": "<u2", "float16": "<f2"}.get(q["dtype"])
            if dtype is None:
                raise ValueError(f"weight {w['name']}: unsupported dtype {w['dtype']} {q}")
            a = np.frombuffer(data, dtype, count, pos)
            pos += a.nbytes
            if q and q["dtype"] in ("uint8", "uint16"):
                a = a.astype(np.float64) * q["scale"] + q["min"]
            out[w["name"]] = a.astype(w["dtype"]).reshape(w["shape"])
        if pos != len(data):
            raise ValueError(f"shards {group['paths']}: {len(data) - pos} bytes left over")
    return out


# ---- op implementations ------------------------------------------------
# OPS[op] = (builder, runtime); builder(g, node) returns a function of the
# node's inputs [:runtime] (None: all, -1: all but the last); the others are
# constants the builder reads once with g.const().

OPS = {}


def op(*names, runtime=None):
    def register(builder):
        for name in names:
            OPS[name] = (builder, runtime)
        return builder
    return register


def attr(node, key, default=None):
    a = node.get("attr", {}).get(key)
    if a is None:
        return default
    if "list" in a:
        lst = a["list"]
        if "s" in lst:
            return [base64.b64decode(s).decode() for s in lst["s"]]
        return [int(i) for i in lst.get("i", [])] or [float(f) for f in lst.get("f", [])]
    if "s" in a:
        return base64.b64decode(a["s"]).decode()
    if "i" in a:
        return int(a["i"])
    if "type" in a:
        return a["type"]
    for k in ("b", "f"):
        if k in a:
            return a[k]
    raise ValueError(f"{node['name']}: cannot read attr {key}: {a}")


def unsupported(node, what):
    return ValueError(f"{node['name']} ({node['op']}): unsupported {what}")


def check_nhwc(node):
    if attr(node, "data_format", "NHWC") != "NHWC":
        raise unsupported(node, f"data_format {attr(node, 'data_format')}")
    if any(d != 1 for d in attr(node, "dilations", [1, 1, 1, 1])):
        raise unsupported(node, "dilations")


def same_pads(size, k, s):
    """TF 'SAME': (before, after), the extra one after."""
    total = max((math.ceil(size / s) - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def static(compute):
    """compute(input shape), once: at the first call, which convert() makes
    eagerly before tracing, so the trace sees plain numbers (shapes are static)."""
    memo = []

    def get(x):
        if not memo:
            memo.append(compute(tuple(int(d) for d in x.shape)))
        return memo[0]
    return get


def window_pads(node, kh, kw, sh, sw):
    """static F.pad argument (left, right, top, bottom) for an NHWC input."""
    padding = attr(node, "padding")
    if padding not in ("SAME", "VALID"):
        raise unsupported(node, f"padding {padding}")
    return static(lambda shape: (0, 0, 0, 0) if padding == "VALID" else
                  same_pads(shape[2], kw, sw) + same_pads(shape[1], kh, sh))


ACTIVATIONS = {"Relu": F.relu, "Relu6": lambda x: torch.clamp(x, 0.0, 6.0),
               "Sigmoid": torch.sigmoid}
IN_PLACE = {"Relu": torch.relu_, "Relu6": lambda x: x.clamp_(0.0, 6.0),
            "Sigmoid": torch.sigmoid_}  # for the fresh output of a fused op


def fused(g, node, first_extra):
    """(bias tensor or None, activation or None) from fused_ops."""
    ops = attr(node, "fused_ops", [])
    if not ops:
        return None, None
    if ops[0] != "BiasAdd" or attr(node, "num_args") != 1 or len(ops) > 2 or \
            (len(ops) == 2 and ops[1] not in ACTIVATIONS):
        raise unsupported(node, f"fused_ops {ops}")
    bias = g.buffer(torch.from_numpy(g.const(node["input"][first_extra])))
    return bias, IN_PLACE[ops[1]] if len(ops) == 2 else None


@op("Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative", runtime=1)
def conv(g, node):
    check_nhwc(node)
    w = g.const(node["input"][1])
    kh, kw, cin, cout = w.shape
    if "Depthwise" in node["op"]:
        # [H, W, C, M] -> [C*M, 1, H, W]; output channel c*M+m as in TF
        weight, groups = w.transpose(2, 3, 0, 1).reshape(cin * cout, 1, kh, kw), cin
    else:
        weight, groups = w.transpose(3, 2, 0, 1), 1  # HWIO -> OIHW
    weight = g.buffer(torch.from_numpy(np.ascontiguousarray(weight))
                      .contiguous(memory_format=torch.channels_last))
    bias, act = fused(g, node, 2)
    _, sh, sw, _ = attr(node, "strides")
    pads = window_pads(node, kh, kw, sh, sw)

    def run(x):
        left, right, top, bottom = pads(x)
        y = x.permute(0, 3, 1, 2)
        if (left, top) != (right, bottom):
            y = F.pad(y, (left, right, top, bottom))
            left = top = 0
        y = F.conv2d(y, g.get(weight), g.get(bias) if bias else None, (sh, sw), (top, left),
                     1, groups)
        return (act(y) if act else y).permute(0, 2, 3, 1)
    return run


@op("MaxPool", "AvgPool", runtime=1)
def pool(g, node):
    check_nhwc(node)
    _, kh, kw, _ = attr(node, "ksize")
    _, sh, sw, _ = attr(node, "strides")
    window = window_pads(node, kh, kw, sh, sw)

    def run(x):
        pads = window(x)
        y = x.permute(0, 3, 1, 2)
        if node["op"] == "MaxPool":
            if any(pads):  # TF leaves the padding out of the max
                y = F.pad(y, pads, value=-math.inf)
            y = F.max_pool2d(y, (kh, kw), (sh, sw))
        elif any(pads):  # TF leaves the padding out of the average
            raise unsupported(node, "padded AvgPool")
        else:
            y = F.avg_pool2d(y, (kh, kw), (sh, sw))
        return y.permute(0, 2, 3, 1)
    return run


@op("ResizeBilinear", runtime=1)
def resize_bilinear(g, node):
    """tfjs-backend-cpu's resizeBilinear, with the source indices and
    fractions computed once (the shapes are static)."""
    out_h, out_w = (int(v) for v in g.const(node["input"][1]))
    align, half = attr(node, "align_corners", False), attr(node, "half_pixel_centers", False)

    def taps(n_in, n_out):  # source rows/columns and fractions
        if align and n_out > 1:
            ratio = (n_in - 1) / (n_out - 1)
        else:
            ratio = n_in / n_out
        src = [ratio * (i + 0.5) - 0.5 if half else ratio * i for i in range(n_out)]
        lo = [max(0, math.floor(s)) for s in src]
        hi = [min(n_in - 1, math.ceil(s)) for s in src]
        frac = [s - f for s, f in zip(src, lo)]
        return torch.tensor(lo), torch.tensor(hi), torch.tensor(frac, dtype=torch.float32)

    table = static(lambda shape: taps(shape[1], out_h) + taps(shape[2], out_w))

    def run(x):
        y0, y1, fy, x0, x1, fx = table(x)
        left, right = x.index_select(2, x0), x.index_select(2, x1)
        cols = left + (right - left) * fx[:, None]
        top, bottom = cols.index_select(1, y0), cols.index_select(1, y1)
        return top + (bottom - top) * fy[:, None, None]
    return run


@op("_FusedMatMul", "MatMul", runtime=1)
def matmul(g, node):
    b = g.const(node["input"][1])
    if attr(node, "transpose_b", False):
        b = b.T
    b = g.buffer(torch.from_numpy(np.ascontiguousarray(b)))
    ta = attr(node, "transpose_a", False)
    bias, act = fused(g, node, 2)

    def run(a):
        y = (a.T if ta else a) @ g.get(b)
        y = y + g.get(bias) if bias else y
        return act(y) if act else y
    return run


def simple(*names, fn):
    """an op that is fn of all its inputs, no attributes"""
    op(*names)(lambda g, node: fn)


simple("Add", "AddV2", fn=torch.add)
simple("Sub", fn=torch.sub)
simple("Mul", fn=torch.mul)
simple("RealDiv", fn=torch.div)
simple("Equal", fn=torch.eq)
simple("FloorDiv", fn=lambda a, b: torch.div(a, b, rounding_mode="floor"))
simple("FloorMod", fn=torch.remainder)
for _name, _fn in ACTIVATIONS.items():
    simple(_name, fn=_fn)
simple("Identity", fn=lambda x: x)
simple("Softmax", fn=lambda x: torch.softmax(x, -1))


@op("Cast", runtime=1)
def cast(g, node):
    dtype = DTYPES.get(attr(node, "DstT"))
    if dtype is None:
        raise unsupported(node, f"DstT {attr(node, 'DstT')}")
    return lambda x: x.to(dtype)


@op("Mean", runtime=1)
def mean(g, node):
    axes = [int(a) for a in np.atleast_1d(g.const(node["input"][1]))]
    keep = attr(node, "keep_dims", False)
    return lambda x: x.mean(axes, keepdim=keep)


@op("Reshape", runtime=1)
def reshape(g, node):
    shape = [int(s) for s in g.const(node["input"][1])]
    return lambda x: x.reshape(shape)


@op("ExpandDims", runtime=1)
def expand_dims(g, node):
    axis = int(g.const(node["input"][1]))
    return lambda x: x.unsqueeze(axis)


@op("Squeeze", runtime=1)
def squeeze(g, node):
    dims = attr(node, "squeeze_dims", [])

    def run(x):
        if not dims:
            return x.squeeze()
        for d in sorted((d % x.dim() for d in dims), reverse=True):
            x = x.squeeze(d)
        return x
    return run


@op("ConcatV2", runtime=-1)
def concat(g, node):
    axis = int(g.const(Graph.data_inputs(node)[-1]))
    return lambda *xs: torch.cat(xs, axis)


@op("TopKV2", runtime=1)
def topk(g, node):
    """Sorted top k along the last axis; equal values keep index order,
    as tfjs-backend-cpu does."""
    k = int(g.const(node["input"][1]))
    if not attr(node, "sorted", True):
        raise unsupported(node, "sorted=false")

    def run(x):
        _, idx = torch.topk(x, k)
        idx, _ = idx.sort()
        values, order = x.gather(-1, idx).sort(descending=True, stable=True)
        return values, idx.gather(-1, order).to(torch.int32)
    return run


@op("GatherV2", runtime=2)
def gather(g, node):
    axis = int(g.const(node["input"][2]))
    if attr(node, "batch_dims", 0) != 0:
        raise unsupported(node, "batch_dims")

    def run(params, indices):
        a = axis % params.dim()
        out = params.index_select(a, indices.reshape(-1).long())
        return out.reshape(params.shape[:a] + indices.shape + params.shape[a + 1:])
    return run


@op("StridedSlice", runtime=1)
def strided_slice(g, node):
    begin, end, strides = (g.const(i).tolist() for i in node["input"][1:4])
    masks = {m: attr(node, m + "_mask", 0)
             for m in ("begin", "end", "ellipsis", "new_axis", "shrink_axis")}
    index = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if s <= 0:
            raise unsupported(node, "stride <= 0")
        if masks["ellipsis"] & bit:
            index.append(Ellipsis)
        elif masks["new_axis"] & bit:
            index.append(None)
        elif masks["shrink_axis"] & bit:
            index.append(b)
        else:
            index.append(slice(None if masks["begin"] & bit else b,
                               None if masks["end"] & bit else e, s))
    index = tuple(index)
    return lambda x: x[index]


# ---- the graph ---------------------------------------------------------

class Graph(torch.nn.Module):
    def __init__(self, model, weights, outputs):
        super().__init__()
        self.nodes = {n["name"]: n for n in model["modelTopology"]["node"]}
        self.weights = weights
        self.outputs = outputs
        self.steps = []  # (node name, function, input references)
        self.input = None
        for name in self.order([o for o, _ in outputs]):
            node = self.nodes[name]
            if node["op"] == "Const":
                continue
            if node["op"] == "Placeholder":
                if self.input:
                    raise ValueError(f"more than one input: {self.input}, {name}")
                self.input = name
                continue
            if node["op"] not in OPS:
                raise ValueError(f"{name}: unsupported op {node['op']}")
            builder, runtime = OPS[node["op"]]
            fn = builder(self, node)
            refs = self.data_inputs(node)[:runtime]
            self.steps.append((name, fn, [self.ref(r) for r in refs]))

    @staticmethod
    def data_inputs(node):
        return [i for i in node.get("input", []) if not i.startswith("^")]

    def order(self, outputs):
        """The nodes the outputs depend on, inputs before users."""
        seen, out = set(), []
        stack = [(o, False) for o in reversed(outputs)]
        while stack:
            name, done = stack.pop()
            if done:
                out.append(name)
                continue
            if name in seen:
                continue
            if name not in self.nodes:
                raise ValueError(f"no node {name}")
            seen.add(name)
            stack.append((name, True))
            for i in reversed(self.data_inputs(self.nodes[name])):
                stack.append((i.split(":")[0], False))
        return out

    def const(self, ref):
        name = ref.split(":")[0]
        if self.nodes[name]["op"] != "Const":
            raise ValueError(f"{name} must be a constant here")
        if name not in self.weights:
            raise ValueError(f"constant {name} has no weights")
        return self.weights[name]

    def buffer(self, tensor):
        name = f"c{len(self._buffers)}"
        self.register_buffer(name, tensor)
        return name

    def get(self, buffer):
        return getattr(self, buffer)

    def ref(self, r):
        """(env key, output index) or (None, buffer) for a constant."""
        name, _, index = r.partition(":")
        if self.nodes[name]["op"] == "Const":
            return None, self.buffer(torch.from_numpy(np.array(self.const(name))))
        return name, int(index or 0)

    def forward(self, x):
        env = {self.input: x}
        for name, fn, refs in self.steps:
            args = []
            for key, index in refs:
                if key is None:
                    args.append(self.get(index))
                else:
                    v = env[key]
                    args.append(v[index] if isinstance(v, tuple) else v)
            env[name] = fn(*args)
        out = tuple(env[n].flatten(1) if flat else env[n] for n, flat in self.outputs)
        return out if len(out) > 1 else out[0]


def load(path):
    if path.endswith(".js"):
        return read_bundle(path)
    return json.load(open(path, encoding="utf-8"))


def convert(src, out, model_file, shape, outputs):
    path = os.path.join(src, model_file)
    model = load(path)
    if model.get("format") != "graph-model":
        raise ValueError(f"{path}: not a TF.js graph model")
    weights = read_weights(os.path.dirname(path), model["weightsManifest"])
    graph = Graph(model, weights, outputs).eval()
    example = torch.rand(shape, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        graph(example)
        traced = torch.jit.trace(graph, example)
        # the trace must not depend on the example
        other = torch.rand(shape, generator=torch.Generator().manual_seed(1)) * 255
        a, b = traced(other), graph(other)
        for x, y in zip(a if isinstance(a, tuple) else [a], b if isinstance(b, tuple) else [b]):
            if not torch.equal(x, y):
                raise RuntimeError(f"{model_file}: traced module differs from the graph")
    traced.save(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: convert.py SRC_DIR OUT_DIR")
    src, out = sys.argv[1:]
    torch.set_num_threads(2)
    os.makedirs(out, exist_ok=True)
    for pt, model_file, shape, outputs in MODELS:
        try:
            convert(src, os.path.join(out, pt), model_file, shape, outputs)
        except ValueError as e:
            sys.exit(f"convert.py: {model_file}: {e}")
        print(f"{pt}: {os.path.getsize(os.path.join(out, pt))} bytes")


if __name__ == "__main__":
    main()
