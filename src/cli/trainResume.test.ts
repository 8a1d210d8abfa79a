/**
 * `train --resume` (the same losses as a run never stopped; the log appended), a stop by SIGTERM (saved as on
 * Ctrl-C), every config field as a flag, and `train --from-pth` (the official trainer's four networks as the
 * start). Each runs the CLI in its own process, on wasm, at 16–32 px.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorOf } from '../io/checkpoint';
import { decodeCheckpoint } from '../io/checkpointFile';
import { encodePng } from '../io/decodeNode';
import { netSpecs } from '../model/cyclegan';
import { EXPORT_FIXTURES, fixtureWeights } from '../testing/pthExport';
import { syntheticImage } from '../testing/synthetic';

const ROOT = join(import.meta.dirname, '../..');
const CLI = [process.execPath, '--import', 'tsx', 'src/cli/main.ts'] as const;
const run = promisify(execFile);
const cli = (args: string[]) =>
  run(CLI[0], [...CLI.slice(1), ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let root = '';
const TINY = ['--size', '16', '--ngf', '4', '--n-blocks', '1', '--ndf', '4', '--n-layers-d', '2', '--n-epochs', '2', '--n-epochs-decay', '1'];
const data = () => ['--a', join(root, 'a'), '--b', join(root, 'b')];
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cgs-resume-'));
  for (const d of ['a', 'b']) {
    mkdirSync(join(root, d));
    for (let i = 0; i < 3; i++) writeFileSync(join(root, d, `im${i}.png`), encodePng(syntheticImage('x', 24, 20, i + (d === 'a' ? 0 : 9))));
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** loss.jsonl without the wall time: iter, epoch, lr and the eight losses of each line. */
const losses = (dir: string) =>
  readFileSync(join(dir, 'loss.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { ms: _ms, ...rest } = JSON.parse(l) as Record<string, number>;
    return rest;
  });

describe('train --resume', () => {
  it('4 iterations straight, or 2, saved, resumed to 4: the same losses bit for bit, the log appended', async () => {
    const straight = await cli(['train', ...data(), ...TINY, '--iters', '4', '--out', join(root, 'straight')]);
    expect(straight.code, straight.stderr).toBe(0);
    const half = await cli(['train', ...data(), ...TINY, '--iters', '2', '--out', join(root, 'halves')]);
    expect(half.code, half.stderr).toBe(0);
    expect(losses(join(root, 'halves'))).toHaveLength(2);
    const ck = decodeCheckpoint(new Uint8Array(readFileSync(join(root, 'halves', 'latest.ckpt'))));
    expect(ck.manifest.run?.domains.A).toMatchObject({ source: resolve(root, 'a'), count: 3 }); // where --resume finds the images
    const resumed = await cli(['train', '--resume', join(root, 'halves'), '--iters', '4']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`from ${join(root, 'halves', 'latest.ckpt')} at iteration 2`);
    expect(losses(join(root, 'halves'))).toEqual(losses(join(root, 'straight')));
    expect(losses(join(root, 'halves')).map((l) => l.iter)).toEqual([1, 2, 3, 4]);
  });

  it('only live settings change on resume; other pictures are refused', async () => {
    const built = await cli(['train', '--resume', join(root, 'halves'), '--iters', '5', '--ngf', '8']);
    expect(built.code).toBe(2);
    expect(built.stderr).toContain('--resume continues the run as it was built: --ngf cannot change (the run has ngf 4). On a resumed run only');
    for (const live of ['--lr', '--lambda-a', '--lambda-b', '--lambda-identity', '--n-epochs', '--n-epochs-decay']) expect(built.stderr).toMatch(new RegExp(`only .*${live}[ ,]`));
    const other = await cli(['train', '--resume', join(root, 'halves'), '--iters', '5', '--a', join(root, 'b')]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`error: domain A (${join(root, 'b')}, 3 images) does not hold the images this run trained on (3 images from ${resolve(root, 'a')})`);
    const live = await cli(['train', '--resume', join(root, 'halves'), '--iters', '5', '--lr', '0.001']);
    expect(live.code, live.stderr).toBe(0);
    expect(losses(join(root, 'halves')).at(-1)).toMatchObject({ iter: 5, epoch: 2, lr: 0.001 }); // epoch 2 ≤ n_epochs: the full (new) lr
  });

  it('SIGTERM stops it like Ctrl-C: the checkpoint and the log are saved, exit 0', async () => {
    const out = join(root, 'term');
    const child = spawn(CLI[0], [...CLI.slice(1), 'train', ...data(), ...TINY, '--n-epochs', '1000', '--out', out], { cwd: ROOT });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    await new Promise<void>((started) => child.stderr.on('data', (b: Buffer) => ((stderr += b.toString()), stderr.includes('training on') && started())));
    await new Promise((r) => setTimeout(r, 1500)); // a few iterations
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(/interrupted; wrote .*latest\.ckpt .*\((\d+) iterations\)/);
    const iterations = Number(/\((\d+) iterations\)/.exec(stderr)![1]);
    expect(decodeCheckpoint(new Uint8Array(readFileSync(join(out, 'latest.ckpt')))).manifest.iteration).toBe(iterations);
    expect(losses(out)).toHaveLength(iterations);
  });
});

describe('train flags', () => {
  it('every setting of the studio is a flag (derived from CONFIG_FIELDS), written to config.json', async () => {
    const out = join(root, 'flags');
    const r = await cli(['train', ...data(), '--load-size', '20', '--crop-size', '16', '--ngf', '4', '--n-blocks', '1', '--ndf', '4', '--n-layers-d', '2',
      '--lr', '0.001', '--beta1', '0.7', '--lambda-a', '5', '--lambda-b', '6', '--lambda-identity', '0', '--pool-size', '3', '--gan-mode', 'vanilla',
      '--n-epochs', '2', '--n-epochs-decay', '3', '--flip', 'false', '--seed', '5', '--iters', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      loadSize: 20, cropSize: 16, lr: 0.001, beta1: 0.7, lambdaA: 5, lambdaB: 6, lambdaIdentity: 0, poolSize: 3, ganMode: 'vanilla', nEpochs: 2, nEpochsDecay: 3, flip: false, seed: 5, nLayersD: 2,
    });
    expect(losses(out)[0]).toMatchObject({ lr: 0.001, idt_A: 0, idt_B: 0 });
  });
});

describe('train --from-pth', () => {
  const pth = () => join(root, 'checkpoints', 'official');
  beforeAll(() => {
    mkdirSync(pth(), { recursive: true });
    for (const f of EXPORT_FIXTURES.slice(0, 4)) cpSync(join(ROOT, 'fixtures/pth-export', `${f.name}.pth`), join(pth(), `${f.name}.pth`)); // ngf 4, 2 blocks, ndf 4, 3 layers
  });

  it('starts from the four PyTorch networks with a fresh Adam', async () => {
    const out = join(root, 'from-pth');
    const r = await cli(['train', '--from-pth', pth(), ...data(), '--size', '32', '--ngf', '4', '--n-blocks', '2', '--ndf', '4', '--epoch-count', '3', '--iters', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`from the PyTorch networks in ${pth()} (fresh Adam, empty pools, epochs from 3)`);
    const ck = decodeCheckpoint(new Uint8Array(readFileSync(join(out, 'latest.ckpt'))));
    expect(ck.manifest.adamSteps).toEqual({ G_A: 1, G_B: 1, D_A: 1, D_B: 1 });
    expect(losses(out)[0].epoch).toBe(3);
    // one Adam step from the loaded weights moves each by about lr at most; a network from the seed would be far off
    const c = ck.manifest.config;
    EXPORT_FIXTURES.slice(0, 4).forEach((f, i) => {
      const net = (['G_A', 'G_B', 'D_A', 'D_B'] as const)[i];
      const want = fixtureWeights(f);
      for (const s of netSpecs(net, c)) {
        const got = tensorOf(ck, `${net}/${s.key}`, s.shape);
        const w = want.get(s.key)!;
        let d = 0;
        for (let j = 0; j < w.length; j++) d = Math.max(d, Math.abs(got[j] - w[j]));
        expect(d, `${net} ${s.key}`).toBeLessThan(1.5 * c.lr);
      }
    });
  });

  it('a config other than the files\' is a usage error with the flags to pass', async () => {
    const r = await cli(['train', '--from-pth', pth(), ...data(), '--size', '32', '--iters', '1', '--out', join(root, 'mismatch')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: the PyTorch networks have ngf 4, nBlocks 2, ndf 4, but the run's config has ngf 64, nBlocks 9, ndf 64: pass --ngf 4 --n-blocks 2 --ndf 4");
    const missing = await cli(['train', '--from-pth', root, ...data(), '--iters', '1', '--out', join(root, 'mismatch')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--from-pth ${root}: no latest_net_G_A.pth; the folder needs latest_net_G_A.pth`);
  });
});
