/** The README.md inside an export: what is in the zip, and how to use it with nothing but @tensorflow/tfjs. */
import type { NetName } from '../../model/cyclegan';
import { generatorSpecs } from '../../model/generator';
import { countParams } from '../../model/params';
import type { ExportInput } from './input';
import { MODEL_DIRS, TFJS_CDN, TFJS_VERSION, type SnippetInfo } from './snippet';

const ROLE: Record<NetName, (a: string, b: string) => string> = {
  G_A: (a, b) => `generator ${a} → ${b} (the paper's G)`,
  G_B: (a, b) => `generator ${b} → ${a} (the paper's F)`,
  D_A: (_a, b) => `discriminator: is this a real ${b} image? (PatchGAN logits)`,
  D_B: (a) => `discriminator: is this a real ${a} image? (PatchGAN logits)`,
};

export function exportReadme(input: ExportInput, info: SnippetInfo, snippet: string, nets: NetName[]): string {
  const c = input.config;
  const a = info.nameA, b = info.nameB;
  const params = countParams(generatorSpecs({ inputNc: c.inputNc, outputNc: c.inputNc, ngf: c.ngf, nBlocks: c.nBlocks })).toLocaleString('en-US');
  const rows = nets.map((n) => `| \`${MODEL_DIRS[n]}/\` | ${ROLE[n](a, b)} |`).join('\n');
  return `# CycleGAN: ${a} ↔ ${b}

Exported by CycleGAN Studio after ${input.iteration} training iterations${halfWords(input.halfStep)}. The networks are the official
pytorch-CycleGAN-and-pix2pix ResnetGenerator (ngf ${c.ngf}, ${c.nBlocks} residual blocks, ${params} parameters each)
and 70×70-style PatchGAN (ndf ${c.ndf}, ${c.nLayersD} layers), as standard **TensorFlow.js graph models**
(\`model.json\` + \`group1-shard1of1.bin\`): load them with \`tf.loadGraphModel\` from \`@tensorflow/tfjs\` ${TFJS_VERSION},
no other code needed.

| path | what |
|---|---|
${rows}
| \`translate.js\` | the snippet below: image in, translated canvas out |
| \`index.html\` | a page that uses it: pick an image, see and save the translation |
| \`node-example.mjs\` | the same in Node: \`node node-example.mjs G_A_AtoB in.png out.png\` |
| \`config.json\` | the training configuration |

## In a web page

Serve this folder over http (browsers do not fetch \`model.json\` from \`file://\`), e.g. \`npx serve .\` or
\`python3 -m http.server\`, and open \`index.html\`. In your own page, load tfjs and the snippet:

\`\`\`html
<script src="${TFJS_CDN}"></script>
<script src="translate.js"></script>
<script>
  loadGenerator('G_A_AtoB/model.json').then(async (model) => {
    const canvas = await translate(model, document.querySelector('img'));
    document.body.append(canvas);
  });
</script>
\`\`\`

\`translate.js\`:

\`\`\`js
${snippet.trimEnd()}
\`\`\`

With a bundler: \`npm i @tensorflow/tfjs@${TFJS_VERSION}\`, \`import * as tf from '@tensorflow/tfjs'\`, and the same code.

## In Node

\`npm i @tensorflow/tfjs@${TFJS_VERSION} pngjs\`, then \`node node-example.mjs G_A_AtoB input.png output.png\`
(or import its \`loadGenerator(dir)\`, which reads the folder with \`tf.io.fromMemory\`: no server, no tfjs-node).

## The models' contract

- Input \`input\`: float32 \`[N, H, W, ${c.inputNc}]\` (NHWC), pixels / 127.5 − 1, i.e. in [−1, 1]${c.inputNc === 1 ? ' (grayscale)' : ' (RGB)'}.
  Generators: H and W multiples of 4, at least 8; any size works (trained on ${c.cropSize}×${c.cropSize} crops).
- Output \`output\`: generators \`[N, H, W, ${c.inputNc}]\` in (−1, 1) (tanh): pixels = round((y + 1) · 127.5);
  discriminators \`[N, h, w, 1]\` raw scores, one per overlapping patch (higher = looks real).
- Ops: Placeholder, Const, MirrorPad, Conv2D, Conv2DBackpropInput, BiasAdd, Mean, Sub, Square, AddV2, Rsqrt, Mul,
  Relu, LeakyRelu, Tanh, Shape (InstanceNorm is spelled out; weights are named by the PyTorch state_dict keys).
`;
}

/** Exported between Step G and Step D: which half of the next iteration the weights already include. */
function halfWords(h: ExportInput['halfStep']): string {
  if (!h) return '';
  return h.gUpdates
    ? ` plus the generators' half (Step G) of iteration ${h.iter}, whose discriminator half had not run`
    : ` plus the discriminators' half (Step D) of iteration ${h.iter}, whose generator half had not run`;
}
