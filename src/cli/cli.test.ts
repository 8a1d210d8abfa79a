import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../io/decodeNode';
import { syntheticImage } from '../testing/synthetic';
import { LOSS_NAMES } from '../train/losses';

const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: join(import.meta.dirname, '../..') }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cgs-cli-'));
  for (const d of ['a', 'b']) {
    mkdirSync(join(root, d, 'nested'), { recursive: true });
    for (let i = 0; i < 3; i++) writeFileSync(join(root, d, i === 2 ? 'nested' : '', `im${i}.png`), encodePng(syntheticImage('x', 40, 36, i + (d === 'a' ? 0 : 9))));
  }
  writeFileSync(join(root, 'a', 'readme.txt'), 'not an image');
  writeFileSync(join(root, 'a', 'empty.png'), '');
  mkdirSync(join(root, 'bad'));
  writeFileSync(join(root, 'bad', 'x.jpg'), 'nope');
});

describe('npm run cli', () => {
  it('params prints the reference parameter counts', async () => {
    const r = await cli(['params', '--blocks', '6']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('7,837,699');
    expect(r.stdout).toContain('2,764,737');
  });

  it('train skips bad files with reasons, trains on wasm, writes a checkpoint and a JSON-lines loss log; translate uses it', async () => {
    const out = join(root, 'run');
    const r = await cli(['train', '--a', join(root, 'a'), '--b', join(root, 'b'), '--size', '32', '--ngf', '4', '--blocks', '1', '--ndf', '4', '--iters', '3', '--backend', 'wasm', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped A: readme\.txt — not an image \(text\)/);
    expect(r.stderr).toMatch(/skipped A: empty\.png — empty file/);
    expect(r.stderr).toContain('training on wasm: 3 A, 3 B images');
    const lines = readFileSync(join(out, 'loss.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.iter)).toEqual([1, 2, 3]);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['iter', 'epoch', 'lr', ...LOSS_NAMES, 'ms']);
      for (const n of LOSS_NAMES) expect(Number.isFinite(l[n])).toBe(true);
    }

    const png = join(root, 'out.png');
    const t = await cli(['translate', '--model', out, '--direction', 'BtoA', '--input', join(root, 'b', 'im0.png'), '--output', png, '--backend', 'wasm']);
    expect(t.code, t.stderr).toBe(0);
    const img = PNG.sync.read(readFileSync(png));
    expect([img.width, img.height]).toEqual([40, 36]); // its own size (multiples of 4)
  });

  it('a domain with no usable image is an error with a clear message', async () => {
    const r = await cli(['train', '--a', join(root, 'bad'), '--b', join(root, 'b'), '--iters', '1', '--out', join(root, 'x')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('domain A');
    expect(r.stderr).toContain('has no usable image');
  });

  it('the same folder as A and B trains (exit 0) but warns; an empty folder names itself', async () => {
    const r = await cli(['train', '--a', join(root, 'a'), '--b', join(root, 'a'), '--size', '32', '--ngf', '4', '--blocks', '1', '--ndf', '4', '--iters', '1', '--backend', 'wasm', '--out', join(root, 'same')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: 3 of the 3 A images are also in B/);
    mkdirSync(join(root, 'empty'));
    const e = await cli(['train', '--a', join(root, 'empty'), '--b', join(root, 'b'), '--iters', '1', '--out', join(root, 'y')]);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/domain A .* has no usable image: the folder is empty/);
  });

  it('a configuration too large for the 4 GB wasm heap runs out for real: "error: out of memory", the sizes, a preset that fits (exit 1)', async () => {
    // 1832 px with ngf 288: the first conv's output alone is 3.7 GB, so the first iteration fails at once
    for (const d of ['big-a', 'big-b']) {
      mkdirSync(join(root, d));
      writeFileSync(join(root, d, 'im.png'), encodePng(syntheticImage('x', 40, 36, d.length)));
    }
    const r = await cli(['train', '--a', join(root, 'big-a'), '--b', join(root, 'big-b'), '--size', '1832', '--ngf', '288', '--blocks', '1', '--ndf', '16', '--iters', '1', '--backend', 'wasm', '--out', join(root, 'big')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: out of memory: training 1832 px, ngf 288, 1 block, ndf 16 on wasm \(OutOfMemoryError: Out of memory: the WebAssembly heap could not allocate \d+ MB more .*\)\. By estimate, this configuration needs about [\d.]+ GB; wasm holds 4 GB at most\. Try a smaller configuration, e\.g\. the Paper preset \(about 2\.6 GB\): --size 256 --ngf 64 --blocks 9 --ndf 64\.$/m);
  });

  it('bad flags are usage errors (exit 2)', async () => {
    const r = await cli(['translate', '--model', root, '--direction', 'sideways', '--input', 'x', '--output', 'y']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--direction must be AtoB or BtoA');
  });
});
