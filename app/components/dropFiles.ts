/**
 * Files from a drop: folders are walked recursively (webkitGetAsEntry; readEntries returns a directory in
 * chunks, so it is called until it returns nothing), plain files come from getAsFile when there is no entry.
 * The DataTransfer is only readable during the drop event, so every item is taken synchronously first.
 */

export interface Dropped {
  files: File[];
  /** The dropped top-level names, for the domain's "source" line. */
  names: string[];
}

const readBatch = (reader: FileSystemDirectoryReader) =>
  new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));

const entryFile = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

async function walk(entry: FileSystemEntry, out: { path: string; file: File }[]): Promise<void> {
  if (entry.isFile) {
    out.push({ path: entry.fullPath, file: await entryFile(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader))
      for (const child of batch) await walk(child, out);
  }
}

export async function filesFromDrop(dt: DataTransfer): Promise<Dropped> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  if (dt.items && dt.items.length > 0) {
    for (const item of Array.from(dt.items)) {
      if (item.kind !== 'file') continue;
      const entry = item.webkitGetAsEntry?.();
      if (entry) entries.push(entry);
      else {
        const f = item.getAsFile();
        if (f) loose.push(f);
      }
    }
  } else {
    loose.push(...Array.from(dt.files ?? []));
  }
  const found: { path: string; file: File }[] = loose.map((file) => ({ path: file.name, file }));
  for (const e of entries) await walk(e, found);
  // Sorted by path: the same folder gives the same order, so a seeded run reproduces.
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: found.map(withPath), names: [...entries.map((e) => e.name), ...loose.map((f) => f.name)] };
}

/**
 * The file renamed to its path in the drop ("horses/train/1.png"): dropped files have no webkitRelativePath,
 * and two "1.png" from different folders must stay two named files in the skipped list and the thumbnails.
 * A File made from a File shares its bytes (no copy).
 */
function withPath({ path, file }: { path: string; file: File }): File {
  const rel = path.replace(/^\//, '');
  return rel === file.name ? file : new File([file], rel, { type: file.type, lastModified: file.lastModified });
}

/** Files from `<input webkitdirectory>` (the store sorts them by path); the source is the picked folder's name. */
export function filesFromPicker(list: FileList): Dropped {
  const files = Array.from(list);
  const tops = new Set(files.map((f) => (f.webkitRelativePath || f.name).split('/')[0]));
  return { files, names: [...tops].sort() };
}

/** "horses", "horses, zebras", or "horses + 3 more". */
export function describeSource(names: string[]): string {
  if (names.length === 0) return 'dropped files';
  if (names.length <= 2) return names.join(', ');
  return `${names[0]} + ${names.length - 1} more`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
