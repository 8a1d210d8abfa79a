/** The drop path's folder walk, with fake FileSystem entries (what Chromium hands a drop of folders). */
import { describe, expect, it } from 'vitest';
import { filesFromDrop } from './dropFiles';

type Node = File | { [name: string]: Node };

/** A FileSystemEntry tree; readEntries returns a directory in chunks of 2, then [] (as Chromium does, by 100). */
function entry(name: string, node: Node, parent = ''): FileSystemEntry {
  const fullPath = `${parent}/${name}`;
  if (node instanceof File)
    return { isFile: true, isDirectory: false, name, fullPath, file: (ok: (f: File) => void) => ok(node) } as unknown as FileSystemEntry;
  const children = Object.entries(node).map(([n, c]) => entry(n, c, fullPath));
  return {
    isFile: false, isDirectory: true, name, fullPath,
    createReader: () => {
      let i = 0;
      return { readEntries: (ok: (e: FileSystemEntry[]) => void) => ok(children.slice(i, (i += 2))) };
    },
  } as unknown as FileSystemEntry;
}

const drop = (roots: Record<string, Node>) =>
  ({ items: Object.entries(roots).map(([n, node]) => ({ kind: 'file', webkitGetAsEntry: () => entry(n, node), getAsFile: () => null })) }) as unknown as DataTransfer;

describe('filesFromDrop', () => {
  it('walks nested folders and names every file by its path, so same-named files in two folders stay two', async () => {
    const one = new File(['a'], '1.png', { type: 'image/png' });
    const other = new File(['bb'], '1.png', { type: 'image/png' });
    const { files, names } = await filesFromDrop(drop({ horses: { '1.png': one, train: { '1.png': other, 'notes.txt': new File(['n'], 'notes.txt'), deep: { 'x.jpg': new File(['x'], 'x.jpg') } } } }));
    expect(files.map((f) => f.name)).toEqual(['horses/1.png', 'horses/train/1.png', 'horses/train/deep/x.jpg', 'horses/train/notes.txt']);
    expect(names).toEqual(['horses']);
    expect(files[0].type).toBe('image/png');
    expect(await files[1].text()).toBe('bb'); // the same bytes, renamed
  });

  it('an empty dropped folder gives no files', async () => {
    expect((await filesFromDrop(drop({ empty: {} }))).files).toEqual([]);
  });
});
