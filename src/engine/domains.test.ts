import { describe, expect, it } from 'vitest';
import type { RGBImage } from '../data/image';
import { appendDomain, decodeAll, emptyDomain, summarize } from './domains';

const image = (name: string): RGBImage => ({ name, width: 2, height: 2, channels: 3, data: new Uint8Array(12) });
const decode = async (f: File) => {
  if (f.name.endsWith('.txt')) throw new Error('not an image (text)');
  return image(f.name);
};

describe('domains', () => {
  it('decodeAll keeps same-named files from different folders, skips with the reason, keys each image by name + size', async () => {
    const files = [new File(['abc'], 'x/1.png'), new File(['abcd'], 'y/1.png'), new File(['t'], 'x/notes.txt')];
    const r = await decodeAll(files, decode, 286, () => undefined);
    expect(r.images.map((i) => i.name)).toEqual(['x/1.png', 'y/1.png']);
    expect(r.skipped).toEqual([{ name: 'x/notes.txt', reason: 'not an image (text)' }]);
    expect(r.keys).toHaveLength(2);
    expect(r.keys?.[0]).not.toBe(r.keys?.[1]); // same name, different size
  });

  it('summarize counts the images also in the other domain (the same folder loaded twice), by name and size wherever the folder', async () => {
    const a = await decodeAll([new File(['abc'], 'horses/1.png'), new File(['abcd'], 'horses/2.png')], decode, 286, () => undefined);
    const sameFolder = await decodeAll([new File(['abc'], 'copy/1.png'), new File(['abcd'], 'copy/2.png')], decode, 286, () => undefined);
    const other = await decodeAll([new File(['abc'], 'zebras/1.png'), new File(['zzzzz'], 'zebras/2.png')], decode, 286, () => undefined);
    const A = { ...a, source: 'horses' };
    expect(summarize('A', A, { ...sameFolder, source: 'copy' }).sharedWithOther).toBe(2);
    expect(summarize('A', A, { ...other, source: 'zebras' }).sharedWithOther).toBe(1); // 1.png: same name and size
    expect(summarize('A', A, emptyDomain()).sharedWithOther).toBe(0);
    expect(summarize('A', A).sharedWithOther).toBe(0);
  });

  it('appending the parts of one folder names the folder once and keeps every key', async () => {
    const p1 = { ...(await decodeAll([new File(['a'], 'h/1.png')], decode, 286, () => undefined)), source: 'h' };
    const p2 = { ...(await decodeAll([new File(['b'], 'h/2.png')], decode, 286, () => undefined)), source: 'h' };
    const both = appendDomain(p1, p2);
    expect(both.source).toBe('h');
    expect(both.keys).toHaveLength(2);
    expect(appendDomain(both, { ...p2, source: 'z' }).source).toBe('h, z');
  });
});
