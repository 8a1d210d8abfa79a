/**
 * Reads a PyTorch `torch.save(state_dict)` file into plain float32 arrays, without PyTorch and without
 * executing anything (the pickle goes through ./pickle's restricted reader). Two container formats:
 *
 * - zip (torch ≥ 1.6 default): `<root>/data.pkl` (the pickle; storages are persistent ids
 *   ('storage', torch.FloatStorage, key, location, numel)), `<root>/data/<key>` (raw storage bytes),
 *   optional `<root>/byteorder` ('little' | 'big', torch ≥ 2.1; little when absent). <root> is the file's
 *   stem ("latest_net_G_A") or "archive".
 * - legacy (torch < 1.6, and the 2017 official CycleGAN models): five things back to back — pickle(magic
 *   0x1950a86a20f9469cfc6c), pickle(protocol 1001), pickle(sys_info {little_endian, …}), the state_dict pickle
 *   (persistent ids ('storage', type, key, location, numel, view_metadata)), pickle(list of storage keys); then
 *   for each key in that order an int64 little-endian element count followed by the raw storage bytes.
 *
 * Zip entries are inflated only within bounds (MAX_PICKLE_BYTES for data.pkl; for a storage, the bytes its tensors'
 * shapes reach), checked against the archive's declared sizes before anything is inflated.
 * Storages of float32/float16/bfloat16/float64 (and int64/int32, e.g. num_batches_tracked) become Float32Array.
 * Tensors must be contiguous (state_dict tensors always are); a view into a larger storage is honoured.
 */
import { unzipSync } from 'fflate';
import { PthError, unpickle, type StorageDType, type StorageType, type TensorRecord } from './pickle';

export interface PthTensor {
  shape: number[];
  data: Float32Array;
  dtype: StorageDType; // as stored in the file
}
export type StateDict = Map<string, PthTensor>;

const ELEMENT_SIZE: Record<StorageDType, number> = { float32: 4, float16: 2, bfloat16: 2, float64: 8, int64: 8, int32: 4 };
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

interface StorageRef {
  key: string;
  dtype: StorageDType;
  numel: number;
  viewOffset: number; // legacy storage views: element offset into the root storage
}

/** Parses either format; every failure is a PthError saying what is wrong with the file. */
export function readPthStateDict(bytes: Uint8Array): StateDict {
  if (bytes.length < 4) throw new PthError(`not a PyTorch file: only ${bytes.length} bytes`);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return readZip(bytes); // "PK\3\4"
  if (bytes[0] === 0x80) return readLegacy(bytes); // pickle PROTO
  if (bytes.length > 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar')
    throw new PthError('this is the tar-based format of PyTorch < 0.1.10, which is not supported; re-save it with a newer PyTorch');
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new PthError(`not a PyTorch .pth file: it is neither a zip archive nor a legacy pickle (first bytes ${head})`);
}

/** The persistent id of a storage: ('storage', <StorageType>, key, location, numel[, view_metadata]). */
function storageRef(pid: unknown): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5)
    throw new PthError(`unsupported persistent id ${JSON.stringify(String(pid)).slice(0, 80)} (expected a storage)`);
  const [, type, key, , numel, view] = pid as [string, StorageType, unknown, unknown, unknown, unknown];
  if (!type || (type as StorageType).kind !== 'storageType') throw new PthError(`storage ${String(key)} has no known storage type`);
  if (typeof key !== 'string' || typeof numel !== 'number') throw new PthError('malformed storage persistent id');
  let viewOffset = 0;
  if (view != null) {
    if (!Array.isArray(view) || typeof view[1] !== 'number') throw new PthError(`storage ${key}: malformed view metadata`);
    viewOffset = view[1]; // (view_key, offset, view_size)
  }
  return { key, dtype: type.dtype, numel, viewOffset };
}

/**
 * What a zip entry may inflate to. A zip's declared sizes are all fflate allocates (it never writes past them), so
 * checking them before inflating bounds the memory a crafted archive (a "zip bomb") can take.
 */
export const MAX_PICKLE_BYTES = 2 ** 20; // a state_dict pickle is kilobytes (a 9-block generator's: ~6 kB)
export const MAX_STORAGE_BYTES = 2 ** 30; // all storages together: a paper-size generator is 45 MB

function readZip(bytes: Uint8Array): StateDict {
  const names: string[] = [];
  // pass 1: the small records only, each capped; the storages wait until the pickle says how big they may be
  const meta = unzipEntries(bytes, (f) => {
    names.push(f.name);
    if (!/^[^/]+\/(data\.pkl|byteorder)$/.test(f.name)) return false;
    if (Math.max(f.size, f.originalSize) > MAX_PICKLE_BYTES)
      throw new PthError(`${f.name} would inflate to ${fmt(f.originalSize)} bytes, but a state_dict pickle is a few kilobytes (this reader takes up to ${fmt(MAX_PICKLE_BYTES)}): the file was refused unread`);
    return true;
  });
  const pkl = names.filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (names.some((n) => /^[^/]+\/(constants\.pkl|code\/)/.test(n)))
    throw new PthError('this is a TorchScript archive (torch.jit.save), not a state_dict; save net.state_dict() with torch.save');
  if (pkl.length !== 1)
    throw new PthError(`the zip archive has ${pkl.length ? 'several' : 'no'} <root>/data.pkl entries, so it is not a torch.save file (entries: ${names.slice(0, 5).join(', ') || 'none'})`);
  const root = pkl[0].slice(0, -'data.pkl'.length);
  const order = meta[`${root}byteorder`] ? new TextDecoder().decode(meta[`${root}byteorder`]).trim() : 'little';
  if (order !== 'little' && order !== 'big') throw new PthError(`unknown byteorder '${order}'`);
  const { value } = unpickle(meta[pkl[0]], 0, { persistentLoad: storageRef });

  // pass 2: each storage at most as large as the tensors that view it reach
  const limits = storageLimits(value);
  const total = [...limits.values()].reduce((a, b) => a + b, 0);
  if (total > MAX_STORAGE_BYTES)
    throw new PthError(`the tensors' shapes add up to ${fmt(total)} bytes, more than this reader takes (${fmt(MAX_STORAGE_BYTES)}); not a CycleGAN network`);
  const storages = unzipEntries(bytes, (f) => {
    if (!f.name.startsWith(`${root}data/`)) return false;
    const key = f.name.slice(`${root}data/`.length);
    const limit = limits.get(key);
    if (limit === undefined) return false; // a storage no tensor uses: never inflated
    if (Math.max(f.size, f.originalSize) > limit)
      throw new PthError(`storage ${key} would inflate to ${fmt(f.originalSize)} bytes, but the tensors stored in it need only ${fmt(limit)}: the file was refused unread`);
    return true;
  });
  return materialize(value, (ref) => {
    const raw = storages[`${root}data/${ref.key}`];
    if (!raw) throw new PthError(`storage ${ref.key} is missing from the archive (${root}data/${ref.key})`);
    return { raw, littleEndian: order === 'little' };
  });
}

type EntryInfo = { name: string; size: number; originalSize: number };

function unzipEntries(bytes: Uint8Array, take: (f: EntryInfo) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, { filter: take });
  } catch (e) {
    if (e instanceof PthError) throw e;
    throw new PthError(`the .pth zip archive is corrupt or truncated (${(e as Error).message})`);
  }
}

/** Storage key → the bytes its tensors reach (the furthest element any view of it ends at). */
function storageLimits(value: unknown): Map<string, number> {
  const limits = new Map<string, number>();
  if (!(value instanceof Map)) return limits; // materialize says what is wrong
  for (const t of value.values()) {
    if (!isTensor(t)) continue;
    const ref = t.storage as StorageRef;
    if (!ref || typeof ref.key !== 'string' || t.shape.some((d) => d < 0)) continue;
    const end = (ref.viewOffset + t.offset + t.shape.reduce((a, b) => a * b, 1)) * ELEMENT_SIZE[ref.dtype];
    limits.set(ref.key, Math.max(limits.get(ref.key) ?? 0, end));
  }
  return limits;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function readLegacy(bytes: Uint8Array): StateDict {
  const magic = unpickle(bytes, 0);
  if (typeof magic.value !== 'bigint' || magic.value !== LEGACY_MAGIC)
    throw new PthError('a pickle, but not a PyTorch file (wrong magic number); plain pickles are not accepted');
  const proto = unpickle(bytes, magic.end);
  if (proto.value !== LEGACY_PROTOCOL) throw new PthError(`legacy PyTorch file with protocol version ${String(proto.value)} (expected ${LEGACY_PROTOCOL})`);
  const sysInfo = unpickle(bytes, proto.end);
  const littleEndian = !(sysInfo.value instanceof Map && sysInfo.value.get('little_endian') === false);
  const refs = new Map<string, StorageRef>();
  const main = unpickle(bytes, sysInfo.end, {
    persistentLoad: (pid) => {
      const r = storageRef(pid);
      refs.set(r.key, r);
      return r;
    },
  });
  const keys = unpickle(bytes, main.end);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) throw new PthError('legacy file: the storage key list is malformed');
  const raws = new Map<string, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = keys.end;
  for (const key of keys.value as string[]) {
    const ref = refs.get(key);
    if (!ref) throw new PthError(`legacy file: storage ${key} is listed but no tensor uses it`);
    if (pos + 8 > bytes.length) throw new PthError(`legacy file is truncated (before storage ${key})`);
    const count = Number(view.getBigInt64(pos, littleEndian));
    if (count < 0) throw new PthError(`legacy file: storage ${key} has a negative size`);
    const size = count * ELEMENT_SIZE[ref.dtype];
    if (pos + 8 + size > bytes.length) throw new PthError(`legacy file is truncated (storage ${key}: ${size} bytes expected, ${bytes.length - pos - 8} left)`);
    raws.set(key, bytes.subarray(pos + 8, pos + 8 + size));
    pos += 8 + size;
  }
  return materialize(main.value, (ref) => {
    const raw = raws.get(ref.key);
    if (!raw) throw new PthError(`legacy file: storage ${ref.key} is missing`);
    return { raw, littleEndian };
  });
}

type StorageBytes = (ref: StorageRef) => { raw: Uint8Array; littleEndian: boolean };

/** The unpickled value must be a dict of tensors; each becomes a contiguous Float32Array copy. */
function materialize(value: unknown, storageBytes: StorageBytes): StateDict {
  if (!(value instanceof Map)) throw new PthError(`the file holds a ${describe(value)}, not a state_dict (a dict of tensors)`);
  const out: StateDict = new Map();
  for (const [k, t] of value) {
    if (typeof k !== 'string') throw new PthError(`state_dict key ${String(k)} is not a string`);
    if (!isTensor(t)) throw new PthError(`state_dict entry '${k}' is a ${describe(t)}, not a tensor${t instanceof Map ? ' (a nested dict: pass the inner state_dict)' : ''}`);
    out.set(k, readTensor(k, t, storageBytes));
  }
  return out;
}

function readTensor(key: string, t: TensorRecord, storageBytes: StorageBytes): PthTensor {
  const ref = t.storage as StorageRef;
  if (!ref || typeof ref.key !== 'string') throw new PthError(`${key}: tensor without a storage`);
  const { raw, littleEndian } = storageBytes(ref);
  const esize = ELEMENT_SIZE[ref.dtype];
  if (t.shape.some((d) => d < 0)) throw new PthError(`${key}: negative tensor size [${t.shape}]`);
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (t.stride.length !== t.shape.length) throw new PthError(`${key}: size [${t.shape}] and stride [${t.stride}] differ in rank`);
  for (let i = t.shape.length - 1, s = 1; i >= 0; s *= t.shape[i--])
    if (t.shape[i] > 1 && t.stride[i] !== s)
      throw new PthError(`${key}: tensor is not contiguous (size [${t.shape}], stride [${t.stride}]); save tensor.contiguous() instead`);
  const first = ref.viewOffset + t.offset;
  if (first < 0 || (first + n) * esize > raw.length)
    throw new PthError(`${key}: tensor [${t.shape}] at element ${first} runs past its storage (${raw.length / esize} ${ref.dtype} elements)`);
  return { shape: [...t.shape], data: toFloat32(raw, first * esize, n, ref.dtype, littleEndian), dtype: ref.dtype };
}

function toFloat32(raw: Uint8Array, byteOffset: number, n: number, dtype: StorageDType, le: boolean): Float32Array {
  const v = new DataView(raw.buffer, raw.byteOffset + byteOffset, n * ELEMENT_SIZE[dtype]);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'float32': out[i] = v.getFloat32(4 * i, le); break;
      case 'float64': out[i] = v.getFloat64(8 * i, le); break;
      case 'float16': out[i] = halfToFloat(v.getUint16(2 * i, le)); break;
      case 'bfloat16': out[i] = bfloat16ToFloat(v.getUint16(2 * i, le)); break;
      case 'int64': out[i] = Number(v.getBigInt64(8 * i, le)); break;
      case 'int32': out[i] = v.getInt32(4 * i, le); break;
    }
  }
  return out;
}

const bf16 = new DataView(new ArrayBuffer(4));
function bfloat16ToFloat(b: number): number {
  bf16.setUint32(0, b << 16); // bfloat16 is the top half of a float32
  return bf16.getFloat32(0);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function isTensor(x: unknown): x is TensorRecord {
  return typeof x === 'object' && x !== null && (x as TensorRecord).kind === 'tensor';
}

function describe(x: unknown): string {
  if (x instanceof Map) return 'dict';
  if (Array.isArray(x)) return 'tuple/list';
  if (x === null) return 'None';
  if (isTensor(x)) return 'tensor';
  return typeof x;
}
