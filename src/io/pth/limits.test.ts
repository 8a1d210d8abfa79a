/**
 * What the .pth reader refuses beyond malformed files: networks whose weights are not finite, and zip entries
 * that would inflate past what a state_dict can need (hand-made here with fflate; nothing big is committed).
 */
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { EXPORT_FIXTURES, fixturePth, fixtureSpecs, fixtureWeights } from '../../testing/pthExport';
import { importDiscriminator } from './discriminator';
import { pickleStateDict } from './pickleWriter';
import { importGenerator, PthError, readPthStateDict } from './pth';
import { MAX_PICKLE_BYTES } from './stateDict';
import { networkToPth } from './writePth';

const [G, , D] = EXPORT_FIXTURES;

/** The fixture network's .pth with some values of one tensor replaced (tfjs layout indices). */
function poisoned(f: (typeof EXPORT_FIXTURES)[number], key: string, values: number[]): Uint8Array {
  const w = fixtureWeights(f);
  values.forEach((v, i) => (w.get(key)![7 * i] = v));
  return networkToPth(fixtureSpecs(f), w);
}

const refuses = (read: () => unknown, message: RegExp) => {
  expect(read).toThrow(PthError);
  expect(read).toThrow(message);
};

describe('weights that are not finite', () => {
  it('a generator holding NaN is refused, naming the tensor and the count', () => {
    refuses(() => importGenerator(poisoned(G, 'model.10.conv_block.1.weight', [NaN, NaN, NaN])), /^model\.10\.conv_block\.1\.weight holds 3 NaN values: the run that saved it had diverged/);
  });

  it('a discriminator holding ±Infinity (and NaN) is refused', () => {
    refuses(() => importDiscriminator(poisoned(D, 'model.0.bias', [Infinity])), /^model\.0\.bias holds 1 infinite value:/);
    refuses(() => importDiscriminator(poisoned(D, 'model.11.weight', [NaN, -Infinity, Infinity])), /^model\.11\.weight holds 1 NaN and 2 infinite values:/);
  });
});

describe('zip entries are inflated only within bounds', () => {
  const version = new TextEncoder().encode('3\n');
  let pklBomb: Uint8Array | undefined; // 300 MB of zeros, deflated: built once (seconds), shared by two tests
  const makePklBomb = () => (pklBomb ??= zipSync({ 'archive/data.pkl': [new Uint8Array(300_000_000), { level: 9 }], 'archive/version': version }));

  it('a data.pkl that would inflate to 300 MB is refused before inflating, saying why', () => {
    const bomb = makePklBomb();
    expect(bomb.length).toBeLessThan(1_000_000); // a small file …
    const t = performance.now();
    refuses(() => readPthStateDict(bomb), /^archive\/data\.pkl would inflate to 300,000,000 bytes, but a state_dict pickle is a few kilobytes \(this reader takes up to 1,048,576\): the file was refused unread$/);
    expect(performance.now() - t).toBeLessThan(1000); // … refused from its directory, not after 300 MB of work
    expect(MAX_PICKLE_BYTES).toBe(2 ** 20);
  });

  it('a data.pkl whose header understates its size inflates no further than the header says', () => {
    const bomb = makePklBomb().slice();
    const v = new DataView(bomb.buffer);
    const central = v.getUint32(bomb.length - 22 + 16, true); // first central directory entry: data.pkl
    v.setUint32(central + 24, 100, true); // "uncompressed size: 100 bytes"
    refuses(() => readPthStateDict(bomb), /pickle opcode/); // 100 zero bytes: not a pickle
  });

  it('a storage bigger than its tensor is refused before inflating', () => {
    const entries = unzipSync(fixturePth(G));
    const key = entries['archive/data/0'].length; // model.1.weight [4, 3, 7, 7]: 2,352 bytes
    const bomb = zipSync({ ...entries, 'archive/data/0': [new Uint8Array(50_000_000), { level: 9 }] });
    refuses(() => readPthStateDict(bomb), new RegExp(`^storage 0 would inflate to 50,000,000 bytes, but the tensors stored in it need only ${key.toLocaleString('en-US')}: the file was refused unread$`));
  });

  it('shapes that add up to more than a network can need are refused before any storage is inflated', () => {
    const pkl = pickleStateDict([{ key: 'model.1.weight', shape: [2 ** 28, 2], storageKey: '0' }]); // 2 GiB of float32
    const file = zipSync({ 'archive/data.pkl': pkl, 'archive/data/0': new Uint8Array(8), 'archive/version': version });
    refuses(() => readPthStateDict(file), /^the tensors' shapes add up to 2,147,483,648 bytes, more than this reader takes \(1,073,741,824\)/);
  });
});
