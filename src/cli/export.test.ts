/**
 * `export` from a training checkpoint (as a zip and as a folder), `translate` on what it wrote, and the tfjs
 * graph model `import-pth` now writes beside generator.json — each compared with our own networks.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCheckpoint } from '../io/checkpoint';
import { encodeCheckpoint } from '../io/checkpointFile';
import { encodePng } from '../io/decodeNode';
import { loadGraphModelFiles } from '../io/export/loadGraph';
import { importPthGenerator } from '../io/pth/pth';
import { disposeParams } from '../model/params';
import { syntheticDomain, syntheticImage } from '../testing/synthetic';
import { CycleGANTrainer } from '../train/trainer';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let root = '';
let trainer: CycleGANTrainer;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'cgs-export-'));
  trainer = new CycleGANTrainer(
    { loadSize: 18, cropSize: 16, ngf: 4, ndf: 4, nBlocks: 1, nLayersD: 2, poolSize: 2, seed: 3 },
    { A: syntheticDomain('a', 3, 20, 1), B: syntheticDomain('b', 3, 20, 2) },
  );
  await trainer.step();
  await trainer.step();
  mkdirSync(join(root, 'run'));
  writeFileSync(join(root, 'run', 'latest.ckpt'), encodeCheckpoint(await captureCheckpoint(trainer)));
  writeFileSync(join(root, 'in.png'), encodePng(syntheticImage('in', 24, 20, 9)));
});
afterAll(() => {
  trainer?.dispose();
  rmSync(root, { recursive: true, force: true });
});

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('npm run cli -- export', () => {
  it('--out X.zip: the graph models equal the checkpoint\'s networks', async () => {
    const r = await cli(['export', '--checkpoint', join(root, 'run'), '--out', join(root, 'm.zip')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('iteration 2');
    const files = unzipSync(new Uint8Array(readFileSync(join(root, 'm.zip'))));
    expect(JSON.parse(strFromU8(files['config.json']))).toMatchObject({ iteration: 2, config: { ngf: 4, seed: 3 } });
    for (const [dir, net] of [['G_A_AtoB', trainer.models.G_A], ['G_B_BtoA', trainer.models.G_B], ['D_B', trainer.models.D_B]] as const) {
      const model = await loadGraphModelFiles(strFromU8(files[`${dir}/model.json`]), files[`${dir}/group1-shard1of1.bin`]);
      const x = tf.randomUniform([1, 16, 20, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
      const [got, want] = [model.predict(x) as tf.Tensor, net.apply(x)];
      expect(maxDiff(got, want), dir).toBeLessThan(1e-5);
      tf.dispose([x, got, want]);
      model.dispose();
    }
  });

  it('--out DIR: a folder that translate reads (both directions, and one model folder alone)', async () => {
    const out = join(root, 'exported');
    const r = await cli(['export', '--checkpoint', join(root, 'run', 'latest.ckpt'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['README.md', 'index.html', 'translate.js', 'G_A_AtoB/model.json', 'G_B_BtoA/group1-shard1of1.bin']) expect(existsSync(join(out, f)), f).toBe(true);
    const png = (name: string) => readFileSync(join(root, name));
    for (const [args, name] of [
      [['--model', out, '--direction', 'BtoA'], 'x1.png'],
      [['--model', join(root, 'run'), '--direction', 'BtoA'], 'x2.png'],
      [['--model', join(out, 'G_B_BtoA')], 'x3.png'],
    ] as const) {
      const t = await cli(['translate', ...args, '--input', join(root, 'in.png'), '--output', join(root, name), '--backend', 'cpu']);
      expect(t.code, t.stderr).toBe(0);
      expect(t.stderr).toContain('BtoA');
    }
    expect(png('x1.png').equals(png('x2.png'))).toBe(true); // the export holds exactly the checkpoint's weights
    expect(png('x3.png').equals(png('x2.png'))).toBe(true);
    const wrong = await cli(['translate', '--model', join(out, 'G_B_BtoA'), '--direction', 'AtoB', '--input', join(root, 'in.png'), '--output', join(root, 'x4.png')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('translates BtoA only');
  });

  it('translate --model X.zip reads the Export zip itself (the Translate panel\'s reader): the same pixels as the checkpoint', async () => {
    const out = join(root, 'x5.png');
    const t = await cli(['translate', '--model', join(root, 'm.zip'), '--direction', 'BtoA', '--input', join(root, 'in.png'), '--output', out, '--backend', 'cpu']);
    expect(t.code, t.stderr).toBe(0);
    expect(readFileSync(out).equals(readFileSync(join(root, 'x2.png')))).toBe(true);
    const both = await cli(['translate', '--model', join(root, 'm.zip'), '--input', join(root, 'in.png'), '--output', out, '--backend', 'cpu']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--direction is required: .*m\.zip holds both generators/);
  });

  it('a missing checkpoint is a usage error that says what to pass', async () => {
    const r = await cli(['export', '--checkpoint', join(root, 'nope'), '--out', join(root, 'n.zip')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no checkpoint at');
  });
});

describe('npm run cli -- import-pth writes a tfjs graph model', () => {
  it('model.json + bin beside generator.json, equal to the imported PyTorch generator', async () => {
    const pth = join(ROOT, 'fixtures/pth/g_zip.pth');
    const out = join(root, 'pth');
    const r = await cli(['import-pth', '--input', pth, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const json = readFileSync(join(out, 'model.json'), 'utf8');
    expect(JSON.parse(json)).toMatchObject({ format: 'graph-model', userDefinedMetadata: { net: 'G_A', direction: 'AtoB', source: 'g_zip.pth' } });
    const model = await loadGraphModelFiles(json, new Uint8Array(readFileSync(join(out, 'group1-shard1of1.bin'))));
    const { generator } = importPthGenerator(new Uint8Array(readFileSync(pth)));
    try {
      const x = tf.randomUniform([1, 20, 28, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
      const [got, want] = [model.predict(x) as tf.Tensor, generator.apply(x)];
      expect(maxDiff(got, want)).toBeLessThan(1e-5);
      tf.dispose([x, got, want]);
    } finally {
      disposeParams(generator.params);
      model.dispose();
    }
  });
});
