// node tfjs.js SRC_DIR DIR NAME...: runs the original TF.js models (as
// models/fetch extracted them into SRC_DIR) with @tensorflow/tfjs on its
// pure-JS CPU backend. Reads DIR/NAME.in512 and DIR/NAME.in224 (raw
// float32 NHWC), writes DIR/NAME.{detections,embedding,nsfw}.tfjs (raw float32).
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const [src, dir, ...names] = process.argv.slice(2);

// a graph model from model.json + shards, or from nsfwjs' .min.js bundles,
// which export the model.json object and each shard as a base64 string
function load(modelFile) {
  const base = path.dirname(modelFile);
  const bundled = modelFile.endsWith('.js');
  const json = bundled ? require(path.resolve(modelFile)) : JSON.parse(fs.readFileSync(modelFile));
  const shards = json.weightsManifest.flatMap((g) => g.paths).map((p) => (bundled
    ? Buffer.from(require(path.resolve(base, `${p}.min.js`)), 'base64')
    : fs.readFileSync(path.join(base, p))));
  const weights = Buffer.concat(shards);
  return tf.loadGraphModelSync([json, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length)]);
}

function input(file, size) {
  const b = fs.readFileSync(file);
  return tf.tensor(new Float32Array(b.buffer, b.byteOffset, b.length / 4), [1, size, size, 3]);
}

function save(file, t) {
  fs.writeFileSync(file, Buffer.from(t.dataSync().buffer));
}

async function main() {
  await tf.setBackend('cpu');
  const centernet = load(path.join(src, 'centernet.json'));
  const nsfw = load(path.join(src, 'mobilenet_v2_mid/model.min.js'));
  for (const name of names) {
    const p = path.join(dir, name);
    tf.tidy(() => {
      const [det, emb] = centernet.execute(input(`${p}.in512`, 512),
        ['tower_0/detections', 'tower_0/MobilenetV3/expanded_conv_14/squeeze_excite/Mean']);
      save(`${p}.detections.tfjs`, det);
      save(`${p}.embedding.tfjs`, emb);
      save(`${p}.nsfw.tfjs`, nsfw.execute(input(`${p}.in224`, 224), 'Identity'));
    });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
