/**
 * A zip archive of stored (uncompressed) entries, laid out as PyTorch's own writer lays it out
 * (caffe2/serialize/inline_container.cc, used by torch.save): each entry's local header carries an extra field
 * "FB" of 'Z' padding so that the entry's bytes start at a multiple of 64. torch.load does not need the
 * alignment, but readers that map storages straight from the file (torch.load(mmap=True)) rely on it.
 * Pure: bytes in, bytes out. No zip64: an archive is kept under 4 GiB.
 */
import { crc32 } from '../crc32';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const ALIGN = 64;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
const PADDING_ID = 0x4246; // "FB" little-endian, the tag PyTorch's writer uses
const DOS_DATE_1980_01_01 = (1 << 5) | 1; // month 1, day 1 (a date of 0 is not a valid DOS date)

/** Bytes of padding after a 4-byte extra-field header so that data written at `start` + header lands aligned. */
function paddingAt(start: number): number {
  return (ALIGN - ((start + 4) % ALIGN)) % ALIGN;
}

export function storedZip(entries: ZipEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const names = entries.map((e) => enc.encode(e.name));
  // layout pass: where each local header starts and how much padding it carries
  const offsets: number[] = [];
  const pads: number[] = [];
  let pos = 0;
  entries.forEach((e, i) => {
    offsets.push(pos);
    const pad = paddingAt(pos + LOCAL_HEADER + names[i].length);
    pads.push(pad);
    pos += LOCAL_HEADER + names[i].length + 4 + pad + e.data.length;
  });
  const centralStart = pos;
  const centralSize = names.reduce((n, b) => n + CENTRAL_HEADER + b.length, 0);
  const total = centralStart + centralSize + END_RECORD;
  if (total >= 2 ** 32 || entries.length >= 0xffff) throw new RangeError(`a stored zip of ${total} bytes and ${entries.length} entries needs zip64, which this writer does not write`);

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const crcs = entries.map((e) => crc32(e.data));
  entries.forEach((e, i) => {
    let p = offsets[i];
    v.setUint32(p, 0x04034b50, true); // local file header
    v.setUint16(p + 4, 20, true); // version needed: 2.0
    v.setUint16(p + 6, 0, true); // flags: sizes are in this header, no data descriptor
    v.setUint16(p + 8, 0, true); // method: stored
    v.setUint16(p + 10, 0, true); // time 00:00
    v.setUint16(p + 12, DOS_DATE_1980_01_01, true);
    v.setUint32(p + 14, crcs[i], true);
    v.setUint32(p + 18, e.data.length, true); // compressed size
    v.setUint32(p + 22, e.data.length, true); // uncompressed size
    v.setUint16(p + 26, names[i].length, true);
    v.setUint16(p + 28, 4 + pads[i], true); // extra field length
    p += LOCAL_HEADER;
    out.set(names[i], p);
    p += names[i].length;
    v.setUint16(p, PADDING_ID, true);
    v.setUint16(p + 2, pads[i], true);
    out.fill(0x5a, p + 4, p + 4 + pads[i]); // 'Z'
    p += 4 + pads[i];
    out.set(e.data, p); // p % 64 === 0
  });
  let p = centralStart;
  entries.forEach((e, i) => {
    v.setUint32(p, 0x02014b50, true); // central directory header
    v.setUint16(p + 4, 20, true); // made by
    v.setUint16(p + 6, 20, true); // needed
    v.setUint16(p + 8, 0, true);
    v.setUint16(p + 10, 0, true);
    v.setUint16(p + 12, 0, true);
    v.setUint16(p + 14, DOS_DATE_1980_01_01, true);
    v.setUint32(p + 16, crcs[i], true);
    v.setUint32(p + 20, e.data.length, true);
    v.setUint32(p + 24, e.data.length, true);
    v.setUint16(p + 28, names[i].length, true);
    // extra length, comment length, disk, internal and external attributes: 0
    v.setUint32(p + 42, offsets[i], true);
    out.set(names[i], p + CENTRAL_HEADER);
    p += CENTRAL_HEADER + names[i].length;
  });
  v.setUint32(p, 0x06054b50, true); // end of central directory
  v.setUint16(p + 8, entries.length, true);
  v.setUint16(p + 10, entries.length, true);
  v.setUint32(p + 12, centralSize, true);
  v.setUint32(p + 16, centralStart, true);
  return out;
}
