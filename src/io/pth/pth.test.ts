import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTensor, loadFixture, nchwToNhwc, type Fixture } from '../../parity/loadFixture';
import { disposeParams } from '../../model/params';
import { Rng } from '../../rng';
import { directionFromFileName, encodeGeneratorFiles, loadGeneratorFiles } from './generatorFile';
import { unpickle } from './pickle';
import { generatorFromStateDict, importGenerator, loadIntoGenerator, PthError, readPthStateDict, type WeightArray } from './pth';

const DIR = fileURLToPath(new URL('../../../fixtures/pth/', import.meta.url));
const file = (name: string) => new Uint8Array(readFileSync(`${DIR}/${name}.pth`));
const TOL = 1e-4;

let expected: Fixture;
beforeAll(async () => {
  await tf.setBackend('cpu');
  expected = loadFixture('expected', DIR);
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Runs the imported generator on the fixture's input and returns max |ours − PyTorch| over the output. */
function diffAgainstPyTorch(name: string, g: ReturnType<typeof loadIntoGenerator>): number {
  const x = nchwToNhwc(getTensor(expected, `${name}/input`));
  const want = nchwToNhwc(getTensor(expected, `${name}/output`));
  const y = tf.tidy(() => g.apply(tf.tensor4d(x.data, x.shape as [number, number, number, number])));
  expect(y.shape).toEqual(want.shape);
  const got = y.dataSync();
  y.dispose();
  return maxDiff(got, want.data);
}

const CASES: [string, { inputNc: number; outputNc: number; ngf: number; nBlocks: number }][] = [
  ['g_zip', { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2 }],
  ['g_legacy', { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2 }],
  ['g_1ch', { inputNc: 1, outputNc: 3, ngf: 4, nBlocks: 1 }],
  ['g_module', { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2 }],
  ['g_running_stats', { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2 }],
  ['g_half', { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2 }],
  ['g_double', { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2 }],
];

describe('importing PyTorch-written generators', () => {
  it.each(CASES)('%s: detects the options and translates like PyTorch (within 1e-4)', (name, options) => {
    const imported = importGenerator(file(name));
    expect(imported.options).toEqual(options);
    const before = tf.memory().numTensors;
    const g = loadIntoGenerator(imported);
    try {
      const d = diffAgainstPyTorch(name, g);
      console.log(`${name}: max |tfjs − PyTorch| = ${d.toExponential(2)}`);
      expect(d).toBeLessThan(TOL);
    } finally {
      disposeParams(g.params);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads both container formats and every float dtype to float32', () => {
    const dtypes = (n: string) => new Set([...readPthStateDict(file(n)).values()].map((t) => t.dtype));
    expect(file('g_zip').subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b])); // zip
    expect(file('g_legacy')[0]).toBe(0x80); // legacy: starts with a pickle
    expect(dtypes('g_zip')).toEqual(new Set(['float32']));
    expect(dtypes('g_half')).toEqual(new Set(['float16']));
    expect(dtypes('g_double')).toEqual(new Set(['float64']));
    const sd = readPthStateDict(file('g_zip'));
    expect(sd.get('model.1.weight')!.shape).toEqual([4, 3, 7, 7]); // OIHW
    expect(sd.get('model.12.weight')!.shape).toEqual([16, 8, 3, 3]); // ConvTranspose2d (in, out, kH, kW)
  });

  it('strips the DataParallel module. prefix and drops InstanceNorm running stats like the official loader', () => {
    expect(importGenerator(file('g_module')).prefix).toBe('module.');
    const r = importGenerator(file('g_running_stats'));
    expect(readPthStateDict(file('g_running_stats')).get('model.2.num_batches_tracked')!.dtype).toBe('int64');
    expect(r.dropped).toHaveLength(9 * 3); // 9 InstanceNorms (2 blocks) × running_mean, running_var, num_batches_tracked
    expect(r.dropped.every((k) => /\.(running_mean|running_var|num_batches_tracked)$/.test(k))).toBe(true);
    expect(r.weights.size).toBe(20);
  });

  it('round-trips through generator.json + generator.bin with identical outputs', () => {
    const imported = importGenerator(file('g_1ch'));
    const { json, bin } = encodeGeneratorFiles(imported, 'BtoA', 'latest_net_G_B.pth');
    const { generator, manifest } = loadGeneratorFiles(json, bin);
    expect(manifest.direction).toBe('BtoA');
    expect(manifest.options).toEqual(imported.options);
    try {
      expect(diffAgainstPyTorch('g_1ch', generator)).toBeLessThan(TOL);
    } finally {
      disposeParams(generator.params);
    }
    expect(directionFromFileName('checkpoints/h2z/latest_net_G_B.pth')).toBe('BtoA');
    expect(directionFromFileName('latest_net_G_A.pth')).toBe('AtoB');
    expect(directionFromFileName('horse2zebra.pth')).toBe('AtoB');
  });
});

describe('malformed and hostile files fail with a clear PthError', () => {
  const fails = (bytes: Uint8Array, message: RegExp) => {
    expect(() => importGenerator(bytes)).toThrow(PthError);
    expect(() => importGenerator(bytes)).toThrow(message);
  };

  it('a truncated zip or legacy file', () => {
    const zip = file('g_zip');
    fails(zip.subarray(0, zip.length - 100), /zip archive is corrupt or truncated/);
    const legacy = file('g_legacy');
    fails(legacy.subarray(0, legacy.length - 100), /legacy file is truncated/);
    fails(legacy.subarray(0, 1000), /the data ends early \(truncated file\?\)/);
  });

  it('a zip without data.pkl, or with a storage missing', () => {
    fails(zipSync({ 'archive/version': new TextEncoder().encode('3\n') }), /no <root>\/data\.pkl entries/);
    const entries = unzipSync(file('g_zip'));
    delete entries['g_zip/data/3'];
    fails(zipSync(entries, { level: 0 }), /storage 3 is missing from the archive/);
  });

  it('wrong shapes', () => {
    fails(file('g_wrong_shape'), /model\.10\.conv_block\.5\.weight has shape \[16,16,1,1\], but a ResnetGenerator\(input_nc 3, output_nc 3, ngf 4, n_blocks 2\) needs \[16,16,3,3\]/);
  });

  it('another architecture: a discriminator, a UnetGenerator, BatchNorm, dropout, missing or extra keys', () => {
    fails(file('d'), /NLayerDiscriminator \(PatchGAN\) state_dict \(model\.0\.weight \[4,3,4,4\]\), not a generator/);
    const sd = readPthStateDict(file('g_zip')) as Map<string, WeightArray>;
    const w = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    const edited = (f: (m: Map<string, WeightArray>) => void) => {
      const m = new Map(sd);
      f(m);
      return () => generatorFromStateDict(m);
    };
    expect(() => generatorFromStateDict(new Map([['model.model.0.weight', w([64, 3, 4, 4])], ['model.model.1.model.1.weight', w([128, 64, 4, 4])]])))
      .toThrow(/UnetGenerator state_dict/);
    expect(edited((m) => (m.set('model.2.weight', w([4])), m.set('model.2.bias', w([4])), m.set('model.2.running_mean', w([4])))))
      .toThrow(/BatchNorm layers \(--norm batch\)/);
    expect(edited((m) => (m.set('model.10.conv_block.6.weight', m.get('model.10.conv_block.5.weight')!), m.delete('model.10.conv_block.5.weight'))))
      .toThrow(/dropout/);
    expect(edited((m) => m.delete('model.7.bias'))).toThrow(/missing \[model\.7\.bias\], unexpected \[\]/);
    expect(edited((m) => m.set('extra.weight', w([1])))).toThrow(/missing \[\], unexpected \[extra\.weight\]/);
    expect(edited((m) => m.set('model.1.weight', w([4, 3, 3, 3])))).toThrow(/model\.1\.weight has shape \[4,3,3,3\], expected the first 7×7 conv/);
    expect(() => generatorFromStateDict(new Map())).toThrow(/empty/);
  });

  it('a pickle that calls os.system is refused by name, and nothing runs', () => {
    const marker = (expected.config as unknown as { marker: string }).marker; // the file the payload would create
    rmSync(marker, { force: true });
    for (const name of ['hostile', 'hostile_legacy']) {
      fails(file(name), /pickle opcode GLOBAL at byte \d+: forbidden global 'posix\.system'.*nothing was executed/);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('forbidden globals and opcodes, hand-written', () => {
    const pk = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));
    const bad = (s: string, message: RegExp) => expect(() => unpickle(pk(s))).toThrow(message);
    bad('\x80\x02cbuiltins\neval\nX\x04\x00\x00\x001+1\x85R.', /forbidden global 'builtins\.eval'/);
    bad('\x80\x04\x8c\x0asubprocess\x8c\x05Popen\x93.', /opcode STACK_GLOBAL at byte 21: forbidden global 'subprocess\.Popen'/);
    bad('(ios\nsystem\n.', /opcode INST at byte 1: this opcode is not allowed/);
    bad('\x80\x02ccollections\nOrderedDict\n)\x81.', /opcode NEWOBJ at byte 28: this opcode is not allowed/);
    bad('\x80\x02\x82\x01.', /opcode EXT1 .*not allowed/);
    bad('\x80\x02P0\n.', /opcode PERSID .*not allowed/);
    bad('\x80\x02ctorch\nFloatStorage\n)R.', /REDUCE of something that is not an allowed callable/);
    bad('\x80\x02]N\x85b.', /BUILD is only allowed/);
    bad('\x80\x02h\x05.', /memo entry 5 is not set/);
    expect(unpickle(pk('\x80\x02}q\x00(X\x01\x00\x00\x00a\x8a\x01\xffu.')).value).toEqual(new Map([['a', -1]]));
    // Python 2's OrderedDict: REDUCE with one list of [key, value] pairs, Python 2 str keys
    expect(unpickle(pk('\x80\x02ccollections\nOrderedDict\n]](U\x01aK\x07ea\x85R.')).value).toEqual(new Map([['a', 7]]));
    // a plain pickle is not a PyTorch file
    expect(() => readPthStateDict(pk('\x80\x02}q\x00.'))).toThrow(/wrong magic number/);
  });

  it('random bytes, and random corruption of real files, always end in a PthError', () => {
    const rng = new Rng(7);
    const junk = Uint8Array.from({ length: 4096 }, () => rng.int(256));
    junk[0] = 0x42;
    fails(junk, /not a PyTorch \.pth file: it is neither a zip archive nor a legacy pickle/);
    fails(new Uint8Array(0), /only 0 bytes/);
    for (const name of ['g_legacy', 'g_zip', 'hostile_legacy']) {
      const orig = file(name);
      for (let trial = 0; trial < 60; trial++) {
        const b = orig.slice();
        for (let k = 0; k < 4; k++) b[rng.int(Math.min(b.length, 3000))] = rng.int(256); // the pickles live near the start
        try {
          importGenerator(b);
        } catch (e) {
          if (!(e instanceof PthError)) throw new Error(`${name} trial ${trial}: ${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    }
  });
});
