/**
 * The export zip: every file present and well-formed, the README carries the snippet, each model loads with
 * plain tfjs and equals our networks, and node-example.mjs — run as a user runs it, in its own process with
 * plain @tensorflow/tfjs — writes the same PNG our translation gives.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type CycleGANConfig } from '../../config';
import { decodeImageBytes, encodePng } from '../decodeNode';
import { CycleGAN } from '../../model/cyclegan';
import { Rng } from '../../rng';
import { syntheticImage } from '../../testing/synthetic';
import { exportZip } from './exportZip';
import { loadGraphModelFiles } from './loadGraph';
import { readRunWeights } from './weights';
import { translateImage } from '../translate';

const ROOT = join(import.meta.dirname, '../../..');
let scratch = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  scratch = mkdtempSync(join(ROOT, '.tmp', 'export-zip-')); // inside the repo: node-example.mjs resolves node_modules
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function randomRun(partial: Partial<CycleGANConfig>) {
  const config = makeConfig({ loadSize: 36, cropSize: 32, ngf: 4, ndf: 4, nBlocks: 1, nLayersD: 2, ...partial });
  const models = new CycleGAN(config, new Rng(11));
  const rng = new Rng(12);
  for (const n of ['G_A', 'G_B', 'D_A', 'D_B'] as const)
    for (const v of models.params(n).values()) v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => rng.normal() * 0.2), v.shape));
  return { config, models, weights: await readRunWeights(models) };
}

describe('export zip', () => {
  for (const nc of [3, 1])
    it(`${nc} channel(s): files, README snippet, models equal to ours, node-example.mjs output equal to translateImage`, async () => {
      const { config, models, weights } = await randomRun({ inputNc: nc });
      try {
        const { fileName, bytes } = exportZip({ config, iteration: 7, weights, sources: { A: 'Apples (demo)', B: 'oranges' } });
        expect(fileName).toBe('cyclegan-apples-demo-oranges-iter7.zip');
        const files = Object.fromEntries(Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith('/'))); // folders have entries too
        expect(Object.keys(files).sort()).toEqual([
          'D_A/group1-shard1of1.bin', 'D_A/model.json', 'D_B/group1-shard1of1.bin', 'D_B/model.json',
          'G_A_AtoB/group1-shard1of1.bin', 'G_A_AtoB/model.json', 'G_B_BtoA/group1-shard1of1.bin', 'G_B_BtoA/model.json',
          'README.md', 'config.json', 'index.html', 'node-example.mjs', 'translate.js',
        ]);
        const readme = strFromU8(files['README.md']);
        const snippet = strFromU8(files['translate.js']);
        expect(readme).toContain(snippet.trimEnd());
        expect(readme).toContain('# CycleGAN: Apples (demo) ↔ oranges');
        expect(readme).toContain("loadGenerator('G_A_AtoB/model.json')");
        expect(snippet).toContain(`const CHANNELS = ${nc};`);
        const html = strFromU8(files['index.html']);
        expect(html).toContain('<script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/dist/tf.min.js"></script>');
        expect(html).toContain('<script src="translate.js"></script>');
        expect(JSON.parse(strFromU8(files['config.json']))).toMatchObject({ iteration: 7, config: { inputNc: nc, ngf: 4, nBlocks: 1 } });

        for (const [dir, net] of [['G_A_AtoB', 'G_A'], ['G_B_BtoA', 'G_B'], ['D_A', 'D_A'], ['D_B', 'D_B']] as const) {
          const json = strFromU8(files[`${dir}/model.json`]);
          expect(JSON.parse(json)).toMatchObject({ format: 'graph-model', weightsManifest: [{ paths: ['group1-shard1of1.bin'] }], userDefinedMetadata: { net, iteration: 7 } });
          const model = await loadGraphModelFiles(json, files[`${dir}/group1-shard1of1.bin`]);
          const x = tf.randomUniform([1, 32, 40, nc], -1, 1, 'float32', 3) as tf.Tensor4D;
          const want = models.net(net).apply(x);
          const got = model.predict(x) as tf.Tensor;
          expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]), dir).toBeLessThan(1e-5);
          tf.dispose([x, want, got]);
          model.dispose();
        }

        // node-example.mjs, as the README says to run it
        const dir = join(scratch, `nc${nc}`);
        for (const [name, data] of Object.entries(files)) {
          mkdirSync(dirname(join(dir, name)), { recursive: true });
          writeFileSync(join(dir, name), data);
        }
        const input = syntheticImage('in', 40, 32, 5);
        writeFileSync(join(dir, 'in.png'), encodePng(input));
        const r = await promisify(execFile)(process.execPath, ['node-example.mjs', 'G_B_BtoA', 'in.png', 'out.png'], { cwd: dir });
        expect(r.stdout).toContain('wrote out.png (40×32)');
        const got = decodeImageBytes('out', new Uint8Array(readFileSync(join(dir, 'out.png'))));
        const want = await translateImage(models.G_B, input); // the studio's own translation (grayscale as PIL for 1 ch)
        expect([got.width, got.height]).toEqual([40, 32]);
        let maxDiff = 0;
        for (let i = 0; i < want.width * want.height; i++)
          for (let k = 0; k < 3; k++) maxDiff = Math.max(maxDiff, Math.abs(got.data[3 * i + k] - want.data[want.channels * i + (want.channels === 3 ? k : 0)]));
        expect(maxDiff).toBeLessThanOrEqual(1); // float32 noise can only flip a rounding
      } finally {
        models.dispose();
      }
    });
});
