/**
 * One-file checkpoint encoding (download / upload / CLI): "CGSCKPT1" · u32 manifest byte length · manifest JSON
 * (UTF-8) · zero padding to a multiple of 4 · float32 little-endian data. Pure: runs in Node, worker and page.
 */
import { CheckpointError, validateManifest, type Checkpoint } from './checkpoint';

const MAGIC = 'CGSCKPT1';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeCheckpoint(ck: Checkpoint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(ck.manifest));
  const head = MAGIC.length + 4 + json.length;
  const dataStart = Math.ceil(head / 4) * 4;
  const out = new Uint8Array(dataStart + ck.data.byteLength);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  if (LITTLE_ENDIAN) out.set(new Uint8Array(ck.data.buffer, ck.data.byteOffset, ck.data.byteLength), dataStart); // a copy, not a loop: paper-size files hold ~100M floats
  else {
    const le = new DataView(out.buffer, dataStart);
    for (let i = 0; i < ck.data.length; i++) le.setFloat32(4 * i, ck.data[i], true);
  }
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC)
    throw new CheckpointError('not a CycleGAN Studio checkpoint file (bad header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(MAGIC.length, true);
  const head = MAGIC.length + 4 + len;
  if (head > bytes.length) throw new CheckpointError('checkpoint file is truncated (manifest)');
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, head)));
  } catch {
    throw new CheckpointError('checkpoint manifest is not valid JSON');
  }
  const m = validateManifest(manifest);
  const dataStart = Math.ceil(head / 4) * 4;
  const n = Math.floor((bytes.length - dataStart) / 4);
  let data: Float32Array;
  if (LITTLE_ENDIAN) data = new Float32Array(bytes.slice(dataStart, dataStart + 4 * n).buffer);
  else {
    data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(dataStart + 4 * i, true);
  }
  const needed = m.tensors.reduce((a, t) => Math.max(a, t.offset + t.shape.reduce((x, y) => x * y, 1)), 0);
  if (needed > n) throw new CheckpointError(`checkpoint file is truncated: ${needed} values expected, ${n} present`);
  return { manifest: m, data };
}
