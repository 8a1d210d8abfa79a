import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImageBytes, encodePng } from '../io/decodeNode';
import { importPthGenerator } from '../io/pth/pth';
import { translateImage } from '../io/translate';
import { disposeParams } from '../model/params';
import { syntheticImage } from '../testing/synthetic';

const ROOT = join(import.meta.dirname, '../..');
const PTH = join(ROOT, 'fixtures/pth');
const MARKER = '/tmp/cyclegan-studio-pth-hostile-marker'; // what fixtures/pth/hostile.pth would create (see expected.json)
const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let root = '';
let image = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'cgs-pth-'));
  image = join(root, 'in.png');
  writeFileSync(image, encodePng(syntheticImage('in', 40, 36, 3)));
});

describe('npm run cli -- import-pth', () => {
  it('imports a PyTorch G_A; translate uses its direction and matches the in-process translation', async () => {
    const model = join(root, 'g');
    const r = await cli(['import-pth', '--input', join(PTH, 'g_zip.pth'), '--out', model]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('imported ResnetGenerator (input_nc 3, output_nc 3, ngf 4, 2 blocks, 13,379 parameters) from g_zip.pth');
    const manifest = JSON.parse(readFileSync(join(model, 'generator.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'cyclegan-studio-generator', version: 1, direction: 'AtoB', options: { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2 } });
    expect(readFileSync(join(model, 'generator.bin')).byteLength).toBe(13_379 * 4);

    const png = join(root, 'out.png');
    const t = await cli(['translate', '--model', model, '--input', image, '--output', png, '--backend', 'cpu']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toContain('AtoB');
    const got = decodeImageBytes('out', new Uint8Array(readFileSync(png)));

    const { generator } = importPthGenerator(new Uint8Array(readFileSync(join(PTH, 'g_zip.pth'))));
    try {
      const want = await translateImage(generator, decodeImageBytes('in', new Uint8Array(readFileSync(image))));
      expect([got.width, got.height]).toEqual([40, 36]);
      let maxDiff = 0;
      for (let i = 0; i < want.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - want.data[i]));
      expect(maxDiff).toBeLessThanOrEqual(1); // same code path; at most a rounding step apart
    } finally {
      disposeParams(generator.params);
    }

    const other = await cli(['translate', '--model', model, '--direction', 'BtoA', '--input', image, '--output', png, '--backend', 'cpu']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('translates AtoB only');
    expect(other.stderr).toContain('latest_net_G_B.pth');
  });

  it('a latest_net_G_B.pth imports as BtoA', async () => {
    const pth = join(root, 'latest_net_G_B.pth');
    copyFileSync(join(PTH, 'g_legacy.pth'), pth);
    const r = await cli(['import-pth', '--input', pth, '--out', join(root, 'gb')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'gb', 'generator.json'), 'utf8')).direction).toBe('BtoA');
  });

  it('a discriminator and a hostile pickle are refused with clear errors (exit 1), and nothing runs', async () => {
    const d = await cli(['import-pth', '--input', join(PTH, 'd.pth'), '--out', join(root, 'd')]);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('NLayerDiscriminator (PatchGAN) state_dict');
    rmSync(MARKER, { force: true });
    const h = await cli(['import-pth', '--input', join(PTH, 'hostile.pth'), '--out', join(root, 'h')]);
    expect(h.code).toBe(1);
    expect(h.stderr).toContain("forbidden global 'posix.system'");
    expect(existsSync(MARKER)).toBe(false);
    expect(existsSync(join(root, 'h'))).toBe(false); // nothing written
  });
});
