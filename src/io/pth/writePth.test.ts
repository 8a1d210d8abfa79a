/**
 * The .pth writer: what it writes our reader reads back bit for bit, it is laid out as torch.save lays it out,
 * and PyTorch itself takes it (fixtures/pth-export: written by this writer, loaded by scripts/check_pth_export.py
 * with torch.load + a strict load_state_dict, its outputs recorded) and computes what our networks compute.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NLayerDiscriminator } from '../../model/discriminator';
import { ResnetGenerator } from '../../model/generator';
import { disposeParams, type Params } from '../../model/params';
import { getTensor, loadFixture, nchwToNhwc, type Fixture } from '../../parity/loadFixture';
import { Rng } from '../../rng';
import { EXPORT_FIXTURES, fixtureManifest, fixturePth, fixtureSpecs, fixtureWeights, type ExportFixture } from '../../testing/pthExport';
import { assignTorchWeights } from './assign';
import { importDiscriminator } from './discriminator';
import { toTfjsLayout, toTorchLayout } from './layout';
import { importGenerator, PthError } from './pth';
import { networkToPth } from './writePth';

const ROOT = join(import.meta.dirname, '../../..');
const DIR = join(ROOT, 'fixtures/pth-export');
const TOL = 1e-5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Reads a written file back with our reader: options and weights in PyTorch layout. */
function readBack(f: ExportFixture, bytes: Uint8Array) {
  return f.kind === 'generator' ? importGenerator(bytes) : importDiscriminator(bytes);
}

/** Our network with the file's weights, run on an NCHW input; the NHWC output. */
function runOurs(f: ExportFixture, bytes: Uint8Array, input: { shape: number[]; data: Float32Array }): { shape: number[]; data: Float32Array } {
  const read = readBack(f, bytes);
  const net = f.kind === 'generator' ? new ResnetGenerator(f.options, new Rng(0)) : new NLayerDiscriminator(f.options, new Rng(0));
  try {
    assignTorchWeights(net.params as Params, net.specs, read.weights);
    const x = nchwToNhwc(input);
    const y = tf.tidy(() => net.apply(tf.tensor4d(x.data, x.shape as [number, number, number, number])));
    const out = { shape: y.shape, data: y.dataSync() as Float32Array };
    y.dispose();
    return out;
  } finally {
    disposeParams(net.params);
  }
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Compares our outputs with PyTorch's recorded ones (expected.json in `dir`). */
function compareWithPyTorch(dir: string, files: (f: ExportFixture) => Uint8Array): void {
  const expected: Fixture = loadFixture('expected', dir);
  for (const f of EXPORT_FIXTURES) {
    const want = nchwToNhwc(getTensor(expected, `${f.name}/output`));
    const got = runOurs(f, files(f), getTensor(expected, `${f.name}/input`));
    expect(got.shape, f.name).toEqual(want.shape);
    const d = maxDiff(got.data, want.data);
    console.log(`${f.name}: max |tfjs − PyTorch| = ${d.toExponential(2)}`);
    expect(d, f.name).toBeLessThan(TOL);
  }
}

describe('writing .pth files', () => {
  it.each(EXPORT_FIXTURES.map((f) => [f.name, f] as const))('%s: our reader reads back the options and exactly the weights', (_, f) => {
    const read = readBack(f, fixturePth(f));
    expect(read.options).toEqual(f.options);
    const weights = fixtureWeights(f);
    expect([...read.weights.keys()]).toEqual(fixtureSpecs(f).map((s) => s.key));
    for (const s of fixtureSpecs(f)) expect(toTfjsLayout(read.weights.get(s.key)!).data, s.key).toEqual(weights.get(s.key));
  });

  it('conv weights go OIHW and ConvTranspose2d weights IOHW, the inverse of the reader', () => {
    const w = { shape: [3, 3, 2, 5], data: Float32Array.from({ length: 90 }, (_, i) => i) }; // tfjs [kH, kW, a, b]
    const t = toTorchLayout(w);
    expect(t.shape).toEqual([5, 2, 3, 3]);
    expect(t.data[((4 * 2 + 1) * 3 + 2) * 3 + 0]).toBe(w.data[((2 * 3 + 0) * 2 + 1) * 5 + 4]); // torch [4, 1, 2, 0] = tfjs [2, 0, 1, 4]
    expect(toTfjsLayout(t)).toEqual(w);
    const g = fixtureSpecs(EXPORT_FIXTURES[0]);
    const up = g.find((s) => s.kind === 'convTranspose')!; // model.12: ConvTranspose2d(16, 8): PyTorch [in 16, out 8, 3, 3]
    expect(readBack(EXPORT_FIXTURES[0], fixturePth(EXPORT_FIXTURES[0])).weights.get(up.key)!.shape).toEqual([16, 8, 3, 3]);
  });

  it('lays the archive out as torch.save: archive/data.pkl, byteorder, data/N stored at 64-byte boundaries, version 3', () => {
    const bytes = fixturePth(EXPORT_FIXTURES[2]); // a discriminator of 10 tensors
    const entries = unzipSync(bytes);
    expect(Object.keys(entries)).toEqual(['archive/data.pkl', 'archive/byteorder', ...Array.from({ length: 10 }, (_, i) => `archive/data/${i}`), 'archive/version']);
    expect(new TextDecoder().decode(entries['archive/version'])).toBe('3\n');
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let p = 0; v.getUint32(p, true) === 0x04034b50; ) { // walk the local headers
      const size = v.getUint32(p + 18, true);
      const start = p + 30 + v.getUint16(p + 26, true) + v.getUint16(p + 28, true);
      expect(v.getUint16(p + 8, true)).toBe(0); // stored
      expect(start % 64).toBe(0);
      p = start + size;
    }
  });

  it('refuses weights that do not fit the network', () => {
    const f = EXPORT_FIXTURES[2];
    const w = fixtureWeights(f);
    w.delete('model.2.bias');
    expect(() => networkToPth(fixtureSpecs(f), w)).toThrow(/no weights for model\.2\.bias/);
    w.set('model.2.bias', new Float32Array(3));
    expect(() => networkToPth(fixtureSpecs(f), w)).toThrow(PthError);
  });
});

describe('PyTorch takes the files and computes what we compute', () => {
  it('the committed fixtures are what the writer writes now, and PyTorch\'s outputs match ours within 1e-5', () => {
    for (const f of EXPORT_FIXTURES) expect(readFileSync(join(DIR, `${f.name}.pth`)).equals(fixturePth(f)), f.name).toBe(true);
    expect(readFileSync(join(DIR, 'nets.json'), 'utf8')).toBe(fixtureManifest());
    compareWithPyTorch(DIR, fixturePth);
  });

  // live, where this machine has PyTorch (CI installs none: the committed fixtures above always run)
  const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  let live = '';
  afterAll(() => {
    if (live) rmSync(live, { recursive: true, force: true });
  });
  it.runIf(hasTorch)('live: torch.load + strict load_state_dict of freshly written files (scripts/check_pth_export.py)', () => {
    live = mkdtempSync(join(tmpdir(), 'cgs-pth-export-'));
    for (const f of EXPORT_FIXTURES) writeFileSync(join(live, `${f.name}.pth`), fixturePth(f));
    writeFileSync(join(live, 'nets.json'), fixtureManifest());
    const log = execFileSync('/usr/bin/python3', [join(ROOT, 'scripts/check_pth_export.py'), live], { encoding: 'utf8' });
    expect(log).toContain('latest_net_G_A.pth: torch.load + strict load_state_dict OK (20 tensors)');
    compareWithPyTorch(live, fixturePth);
  });
});
