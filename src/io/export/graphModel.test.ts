/**
 * The exported graph models load with plain tfjs (tf.loadGraphModel, the same JSON → artifacts path as an
 * http load) and compute what our networks compute: random weights AND random biases (so a mis-mapped bias
 * or a transposed filter shows), 3 and 1 channels, square and non-square inputs, a batch of two.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NLayerDiscriminator } from '../../model/discriminator';
import { ResnetGenerator, type GeneratorOptions } from '../../model/generator';
import { disposeParams, type Params } from '../../model/params';
import { Rng } from '../../rng';
import { loadGraphModelFiles } from './loadGraph';
import { discriminatorGraph, generatorGraph, type GraphModelFiles } from './networkGraphs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Random values in every parameter, biases included; returns them as the plain arrays an export reads. */
function randomize(params: Params, rng: Rng): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [k, v] of params) {
    const data = Float32Array.from({ length: v.size }, () => rng.normal() * 0.2);
    v.assign(tf.tensor(data, v.shape));
    out.set(k, data);
  }
  return out;
}

const loadFiles = (f: GraphModelFiles) => loadGraphModelFiles(JSON.stringify(f.modelJson), f.weights);

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

const cases: { o: GeneratorOptions; n: number; h: number; w: number }[] = [
  { o: { inputNc: 3, outputNc: 3, ngf: 8, nBlocks: 2 }, n: 1, h: 32, w: 32 },
  { o: { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 1 }, n: 2, h: 32, w: 48 },
  { o: { inputNc: 1, outputNc: 1, ngf: 6, nBlocks: 1 }, n: 1, h: 48, w: 32 },
  { o: { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 0 }, n: 1, h: 12, w: 20 },
];

describe('generator graph model', () => {
  for (const { o, n, h, w } of cases)
    it(`ngf ${o.ngf}, ${o.nBlocks} blocks, ${o.inputNc} ch, ${n}×${h}×${w}: plain tf.loadGraphModel matches ResnetGenerator within 1e-5`, async () => {
      const rng = new Rng(7 + o.ngf);
      const gen = new ResnetGenerator(o, rng);
      try {
        const files = generatorGraph(o, randomize(gen.params, rng));
        const model = await loadFiles(files);
        expect(model.inputs.map((i) => [i.name, i.shape])).toEqual([['input', [-1, -1, -1, o.inputNc]]]);
        expect(model.outputs.map((i) => i.name)).toEqual(['output']);
        const x = tf.tidy(() => tf.sub(tf.mul(tf.tensor4d(Float32Array.from({ length: n * h * w * o.inputNc }, () => rng.random()), [n, h, w, o.inputNc]), 2), 1));
        const want = gen.apply(x as tf.Tensor4D);
        const got = model.predict(x) as tf.Tensor;
        expect(tf.tidy(() => tf.moments(want).variance.dataSync()[0])).toBeGreaterThan(1e-3); // a real output, not a constant
        expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
        // the same model answers another size: the transposed convs' output shape is computed per input (not a
        // constant image: instance norm of a constant map is 0/0 scaled by 1/√eps, rounding noise either way)
        const x2 = tf.tensor4d(Float32Array.from({ length: 16 * 24 * o.inputNc }, () => rng.random() * 2 - 1), [1, 16, 24, o.inputNc]);
        expect(maxAbsDiff(model.predict(x2) as tf.Tensor, gen.apply(x2))).toBeLessThan(1e-5);
        tf.dispose([x, x2, want, got]);
        model.dispose();
      } finally {
        disposeParams(gen.params);
      }
    });

  it('names every weight by its state_dict key; Consts are all in the manifest, none inline', () => {
    const o = { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 1 };
    const gen = new ResnetGenerator(o, new Rng(1));
    const files = generatorGraph(o, randomize(gen.params, new Rng(2)));
    disposeParams(gen.params);
    const names = files.modelJson.weightsManifest[0].weights.map((w) => w.name);
    for (const k of gen.specs.map((s) => s.key)) expect(names).toContain(k);
    const consts = files.modelJson.modelTopology.node.filter((n) => n.op === 'Const').map((n) => n.name);
    expect(consts.sort()).toEqual([...names].sort());
    const bytes = files.modelJson.weightsManifest[0].weights.reduce((a, w) => a + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
    expect(files.weights.byteLength).toBe(bytes);
  });
});

describe('discriminator graph model', () => {
  it('PatchGAN (ndf 4, 3 layers, 1 ch, 40×56): matches NLayerDiscriminator within 1e-5', async () => {
    const o = { inputNc: 1, ndf: 4, nLayers: 3 };
    const rng = new Rng(3);
    const d = new NLayerDiscriminator(o, rng);
    try {
      const model = await loadFiles(discriminatorGraph(o, randomize(d.params, rng)));
      const x = tf.randomUniform([2, 40, 56, 1], -1, 1, 'float32', 5) as tf.Tensor4D;
      const want = d.apply(x);
      const got = model.predict(x) as tf.Tensor;
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
      tf.dispose([x, want, got]);
      model.dispose();
    } finally {
      disposeParams(d.params);
    }
  });
});
