/**
 * The code that ships inside an export: `translate.js` (the snippet: plain browser JS over the global `tf`
 * of @tensorflow/tfjs, no project code), `index.html` (a page that uses it) and `node-example.mjs` (the same
 * in Node with plain @tensorflow/tfjs + pngjs). Pre/post-processing is the studio's: pixels / 127.5 − 1 in,
 * round((y + 1) · 127.5) clipped to 0…255 out; grayscale as PIL's convert('L'); sides rounded to multiples of 4.
 */

import type { NetName } from '../../model/cyclegan';

/** Each network's folder in the zip: generators say their direction. */
export const MODEL_DIRS: Record<NetName, string> = { G_A: 'G_A_AtoB', G_B: 'G_B_BtoA', D_A: 'D_A', D_B: 'D_B' };

export const TFJS_VERSION = '4.22.0';
export const TFJS_CDN = `https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@${TFJS_VERSION}/dist/tf.min.js`;

export interface SnippetInfo {
  channels: number; // the generators' image channels (1 or 3)
  nameA: string; // what domain A is called (e.g. "apples")
  nameB: string;
}

export function translateJs(channels: number): string {
  return `// CycleGAN generator (exported by CycleGAN Studio) in a plain page: needs @tensorflow/tfjs loaded as \`tf\`.
const CHANNELS = ${channels}; // the model's image channels

/** One direction: 'G_A_AtoB/model.json' (A → B) or 'G_B_BtoA/model.json' (B → A), served over http(s). */
function loadGenerator(url) {
  return tf.loadGraphModel(url);
}

/** <img>, <canvas>, ImageData, ImageBitmap or <video> → [1, H, W, C] in [-1, 1], H and W multiples of 4 (≥ 8). */
function toModelInput(image) {
  return tf.tidy(() => {
    let x = tf.browser.fromPixels(image, 3).toFloat(); // [h, w, 3], 0…255
    if (CHANNELS === 1) x = x.mul([0.299, 0.587, 0.114]).sum(-1, true).round(); // grayscale, as PIL convert('L')
    const [h, w] = x.shape;
    const H = Math.max(8, Math.round(h / 4) * 4);
    const W = Math.max(8, Math.round(w / 4) * 4);
    if (H !== h || W !== w) x = tf.image.resizeBilinear(x, [H, W], true);
    return x.div(127.5).sub(1).expandDims(0);
  });
}

/** The model's output [1, H, W, C] in [-1, 1] → 0…255 pixels [H, W, C] (int32). */
function toPixels(y) {
  return tf.tidy(() => y.squeeze([0]).add(1).mul(127.5).round().clipByValue(0, 255).toInt());
}

/** image → a new <canvas> holding the translation (save it with canvas.toBlob(cb, 'image/png')). */
async function translate(model, image) {
  const x = toModelInput(image);
  const y = model.predict(x);
  const pixels = toPixels(y);
  const canvas = document.createElement('canvas');
  await tf.browser.toPixels(pixels, canvas);
  tf.dispose([x, y, pixels]);
  return canvas;
}
`;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function indexHtml(info: SnippetInfo): string {
  const a = esc(info.nameA), b = esc(info.nameB);
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>CycleGAN: ${a} ↔ ${b}</title>
<script src="${TFJS_CDN}"></script>
<script src="translate.js"></script>
<style>
  body { font: 18px/1.4 system-ui, sans-serif; margin: 2rem; max-width: 1100px; }
  select, input, a { font: inherit; }
  .pair { display: flex; gap: 1.5rem; flex-wrap: wrap; margin-top: 1rem; }
  figure { margin: 0; }
  figcaption { color: #555; }
  .pair canvas { display: block; width: min(42vw, 512px); height: auto; image-rendering: pixelated; border: 1px solid #ccc; }
</style>
<h1>CycleGAN: ${a} ↔ ${b}</h1>
<p>
  <select id="direction">
    <option value="G_A_AtoB/model.json">${a} → ${b}</option>
    <option value="G_B_BtoA/model.json">${b} → ${a}</option>
  </select>
  <input type="file" id="file" accept="image/*">
  <a id="save" download="translated.png" hidden>Save PNG</a>
</p>
<p id="status">Pick an image.</p>
<div class="pair">
  <figure><canvas id="original" width="0" height="0"></canvas><figcaption>Input</figcaption></figure>
  <figure><div id="result"></div><figcaption>Translation</figcaption></figure>
</div>
<script>
  const models = {};
  const $ = (id) => document.getElementById(id);
  async function run() {
    const file = $('file').files[0];
    if (!file) return;
    const url = $('direction').value;
    try {
      $('status').textContent = 'Translating…';
      models[url] ??= await loadGenerator(url);
      const image = await createImageBitmap(file);
      Object.assign($('original'), { width: image.width, height: image.height }).getContext('2d').drawImage(image, 0, 0);
      const canvas = await translate(models[url], image);
      $('result').replaceChildren(canvas);
      $('save').href = canvas.toDataURL('image/png');
      $('save').hidden = false;
      $('status').textContent = \`\${canvas.width}×\${canvas.height}, \${$('direction').selectedOptions[0].text}\`;
    } catch (e) {
      $('status').textContent = 'Could not translate: ' + e.message + ' (open this page over http, e.g. npx serve .)';
    }
  }
  $('file').onchange = run;
  $('direction').onchange = run;
</script>
</html>
`;
}

export function nodeExample(channels: number): string {
  return `// CycleGAN generator (exported by CycleGAN Studio) in Node with plain @tensorflow/tfjs:
//   npm i @tensorflow/tfjs@${TFJS_VERSION} pngjs
//   node node-example.mjs G_A_AtoB input.png output.png
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import pngjs from 'pngjs';

const CHANNELS = ${channels};

/** A model folder (model.json + weights) → a tf.GraphModel, without a server. */
export async function loadGenerator(dir) {
  const json = JSON.parse(await readFile(\`\${dir}/model.json\`, 'utf8'));
  const bins = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(\`\${dir}/\${p}\`)));
  const bin = Buffer.concat(bins);
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
    signature: json.signature, weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  }));
}

/** RGBA bytes → [1, H, W, C] in [-1, 1] (the same steps as translate.js). */
export function toModelInput(rgba, width, height) {
  return tf.tidy(() => {
    let x = tf.tensor3d(rgba, [height, width, 4], 'int32').slice([0, 0, 0], [-1, -1, 3]).toFloat();
    if (CHANNELS === 1) x = x.mul([0.299, 0.587, 0.114]).sum(-1, true).round();
    const H = Math.max(8, Math.round(height / 4) * 4);
    const W = Math.max(8, Math.round(width / 4) * 4);
    if (H !== height || W !== width) x = tf.image.resizeBilinear(x, [H, W], true);
    return x.div(127.5).sub(1).expandDims(0);
  });
}

export function toPixels(y) {
  return tf.tidy(() => y.squeeze([0]).add(1).mul(127.5).round().clipByValue(0, 255).toInt());
}

async function main([dir, input, output]) {
  const model = await loadGenerator(dir);
  const png = pngjs.PNG.sync.read(await readFile(input));
  const x = toModelInput(png.data, png.width, png.height);
  const pixels = toPixels(model.predict(x));
  const [h, w, c] = pixels.shape;
  const v = await pixels.data();
  const out = new pngjs.PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) {
    out.data[4 * i] = v[c * i];
    out.data[4 * i + 1] = v[c * i + (c === 3 ? 1 : 0)];
    out.data[4 * i + 2] = v[c * i + (c === 3 ? 2 : 0)];
    out.data[4 * i + 3] = 255;
  }
  await writeFile(output, pngjs.PNG.sync.write(out));
  console.log(\`wrote \${output} (\${w}×\${h})\`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.length < 5) {
    console.error('usage: node node-example.mjs G_A_AtoB|G_B_BtoA input.png output.png');
    process.exit(2);
  }
  await main(process.argv.slice(2));
}
`;
}
