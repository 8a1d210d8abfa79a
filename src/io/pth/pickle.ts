/**
 * A restricted unpickler for PyTorch state_dicts. Python's pickle is a small stack machine whose GLOBAL +
 * REDUCE opcodes call arbitrary functions (`os.system`, `builtins.eval`, …); this reader never calls
 * anything. It understands only the opcodes a `torch.save(state_dict)` pickle uses and resolves only the
 * globals in ALLOWED_GLOBALS, each to a plain-data builder written here. Anything else — another global,
 * an opcode outside the list (INST, OBJ, NEWOBJ, EXT*, text PERSID, …), a malformed stream — is a PthError
 * that names the offending global or opcode and its byte position.
 *
 * Python values map to JS as: str → string, int → number (bigint past 2^53), float → number, bool →
 * boolean, None → null, tuple/list → array, dict/OrderedDict → Map. Tensors and storages become the
 * records below; the caller turns persistent ids (storages) into values through `persistentLoad`.
 */

export class PthError extends Error {
  override name = 'PthError';
}

/** A storage type named in a persistent id, e.g. `torch.FloatStorage` → 'float32'. */
export interface StorageType {
  kind: 'storageType';
  dtype: StorageDType;
}
export type StorageDType = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32';

/** `torch._utils._rebuild_tensor(_v2)(storage, storage_offset, size, stride, …)`, unevaluated. */
export interface TensorRecord {
  kind: 'tensor';
  storage: unknown; // whatever persistentLoad returned
  offset: number; // in elements
  shape: number[];
  stride: number[];
}

type Builder = (args: unknown[]) => unknown;

const STORAGE_TYPES: Record<string, StorageDType> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64', // num_batches_tracked in old checkpoints
  IntStorage: 'int32',
};

function ints(x: unknown, what: string): number[] {
  if (!Array.isArray(x) || !x.every((v) => typeof v === 'number' && Number.isInteger(v)))
    throw new PthError(`tensor ${what} is not a tuple of integers`);
  return x as number[];
}

function rebuildTensor(args: unknown[]): TensorRecord {
  const [storage, offset, size, stride] = args;
  if (typeof offset !== 'number') throw new PthError('tensor storage offset is not an integer');
  return { kind: 'tensor', storage, offset, shape: ints(size, 'size'), stride: ints(stride, 'stride') };
}

/** The allow-list. Keys are `module.name`; nothing here executes code or touches the outside world. */
export const ALLOWED_GLOBALS: Record<string, Builder | StorageType> = {
  // Python 3 pickles OrderedDict() then SETITEMS; Python 2 passes its items as one list of [key, value] pairs
  'collections.OrderedDict': (args) => {
    if (args.length === 0) return new Map();
    const [items] = args;
    if (args.length !== 1 || !Array.isArray(items) || !items.every((kv) => Array.isArray(kv) && kv.length === 2))
      throw new PthError('collections.OrderedDict called with unexpected arguments');
    return new Map(items as [unknown, unknown][]);
  },
  'torch._utils._rebuild_tensor': (args) => rebuildTensor(args), // torch 0.3: (storage, offset, size, stride)
  'torch._utils._rebuild_tensor_v2': (args) => rebuildTensor(args), // + requires_grad, backward_hooks[, metadata]
  'torch._utils._rebuild_parameter': ([data]) => data, // (data, requires_grad, backward_hooks)
  // storage types are only markers inside persistent ids (never called); legacy files saved from a GPU name torch.cuda.*
  ...Object.fromEntries(Object.entries(STORAGE_TYPES).map(([n, dtype]) => [`torch.${n}`, { kind: 'storageType', dtype }])),
  ...Object.fromEntries(Object.entries(STORAGE_TYPES).map(([n, dtype]) => [`torch.cuda.${n}`, { kind: 'storageType', dtype }])),
};

const MARK = Symbol('MARK');

export interface UnpickleOptions {
  /** BINPERSID: turns a persistent id (a tuple such as ('storage', FloatStorage, '0', 'cpu', 588)) into a value. */
  persistentLoad?: (pid: unknown) => unknown;
}

/** Reads one pickle starting at `start`; returns its value and the offset just past its STOP opcode. */
export function unpickle(bytes: Uint8Array, start = 0, opts: UnpickleOptions = {}): { value: unknown; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let pos = start;
  let opPos = start;
  let opName = '';

  const fail = (msg: string): never => {
    throw new PthError(`pickle opcode ${opName} at byte ${opPos}: ${msg}`);
  };
  const need = (n: number) => {
    if (pos + n > bytes.length) fail(`the data ends early (truncated file?)`);
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('a length is too large');
    return Number(v);
  };
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('a text argument has no newline');
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const utf8 = (n: number) => {
    try {
      return text.decode(take(n));
    } catch (e) {
      if (e instanceof PthError) throw e;
      return fail('a string is not valid UTF-8');
    }
  };
  const pop = () => (stack.length === 0 || stack[stack.length - 1] === MARK ? fail('stack underflow') : stack.pop());
  const top = () => (stack.length === 0 ? fail('stack underflow') : stack[stack.length - 1]);
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail('no MARK on the stack');
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const memoGet = (i: number) => (memo.has(i) ? memo.get(i) : fail(`memo entry ${i} is not set`));
  const resolveGlobal = (module: string, name: string) => {
    const key = `${module}.${name}`;
    const g = Object.hasOwn(ALLOWED_GLOBALS, key) ? ALLOWED_GLOBALS[key] : undefined; // own keys only: no prototype lookups
    if (!g)
      fail(
        `forbidden global '${module}.${name}': a state_dict pickle may only use collections.OrderedDict, ` +
          `torch._utils._rebuild_tensor(_v2), torch._utils._rebuild_parameter and torch(.cuda).*Storage. The file was refused and ` +
          `nothing was executed; if it holds a whole pickled model, save net.state_dict() instead`,
      );
    return g;
  };
  const setItems = (d: unknown, kv: unknown[]) => {
    if (!(d instanceof Map)) fail('SETITEM(S) on something that is not a dict');
    if (kv.length % 2) fail('odd number of items for SETITEMS');
    for (let i = 0; i < kv.length; i += 2) (d as Map<unknown, unknown>).set(kv[i], kv[i + 1]);
  };
  const long = (b: Uint8Array): number | bigint => {
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b.length && b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length); // two's complement
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };

  for (;;) {
    opPos = pos;
    const op = u8();
    opName = OPCODE_NAMES[op] ?? `0x${op.toString(16).padStart(2, '0')}`;
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('unknown pickle protocol');
        break;
      case 0x95: // FRAME (a length hint only)
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`${stack.length} values left on the stack at STOP (expected 1)`);
        return { value: stack[0], end: pos };
      case 0x28: stack.push(MARK); break; // MARK
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: stack.push((need(4), (pos += 4), view.getInt32(pos - 4, true))); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(long(take(u8()))); break; // LONG1
      case 0x47: stack.push((need(8), (pos += 8), view.getFloat64(pos - 8, false))); break; // BINFLOAT (big-endian)
      case 0x58: stack.push(utf8(u32())); break; // BINUNICODE
      case 0x8c: stack.push(utf8(u8())); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(utf8(u64())); break; // BINUNICODE8
      case 0x55: stack.push(latin1.decode(take(u8()))); break; // SHORT_BINSTRING (Python 2 str)
      case 0x54: stack.push(latin1.decode(take(u32()))); break; // BINSTRING
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(memoGet(u8())); break; // BINGET
      case 0x6a: stack.push(memoGet(u32())); break; // LONG_BINGET
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push([pop(), b]); break; } // TUPLE2
      case 0x87: { const c = pop(), b = pop(); stack.push([pop(), b, c]); break; } // TUPLE3
      case 0x73: { const v = pop(), k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const kv = popMark(); setItems(top(), kv); break; } // SETITEMS
      case 0x61: { const v = pop(); const l = top(); if (!Array.isArray(l)) fail('APPEND to a non-list'); (l as unknown[]).push(v); break; } // APPEND
      case 0x65: { const vs = popMark(); const l = top(); if (!Array.isArray(l)) fail('APPENDS to a non-list'); (l as unknown[]).push(...vs); break; } // APPENDS
      case 0x63: stack.push(resolveGlobal(line(), line())); break; // GLOBAL
      case 0x93: { const name = pop(), module = pop(); if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings'); stack.push(resolveGlobal(module as string, name as string)); break; } // STACK_GLOBAL
      case 0x52: { // REDUCE: only the allow-listed builders, never a Python callable
        const args = pop(), fn = pop();
        if (typeof fn !== 'function') fail('REDUCE of something that is not an allowed callable');
        if (!Array.isArray(args)) fail('REDUCE arguments are not a tuple');
        stack.push((fn as Builder)(args as unknown[]));
        break;
      }
      case 0x62: { // BUILD: only OrderedDict attributes (a state_dict's `_metadata`), which are ignored
        const state = pop();
        if (!(top() instanceof Map) || !(state === null || state instanceof Map)) fail('BUILD is only allowed to set a dict attribute of an OrderedDict');
        break;
      }
      case 0x51: { // BINPERSID: storages
        const pid = pop();
        if (!opts.persistentLoad) fail('unexpected persistent id');
        stack.push(opts.persistentLoad!(pid));
        break;
      }
      default:
        fail('this opcode is not allowed in a state_dict pickle; the file was refused and nothing was executed');
    }
  }
}

/** Names for messages (the allowed ones above, and the dangerous ones people should see by name). */
const OPCODE_NAMES: Record<number, string> = {
  0x80: 'PROTO', 0x95: 'FRAME', 0x2e: 'STOP', 0x28: 'MARK', 0x7d: 'EMPTY_DICT', 0x5d: 'EMPTY_LIST', 0x29: 'EMPTY_TUPLE',
  0x4e: 'NONE', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x4a: 'BININT', 0x4b: 'BININT1', 0x4d: 'BININT2', 0x8a: 'LONG1',
  0x47: 'BINFLOAT', 0x58: 'BINUNICODE', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x55: 'SHORT_BINSTRING',
  0x54: 'BINSTRING', 0x71: 'BINPUT', 0x72: 'LONG_BINPUT', 0x94: 'MEMOIZE', 0x68: 'BINGET', 0x6a: 'LONG_BINGET',
  0x74: 'TUPLE', 0x85: 'TUPLE1', 0x86: 'TUPLE2', 0x87: 'TUPLE3', 0x73: 'SETITEM', 0x75: 'SETITEMS', 0x61: 'APPEND',
  0x65: 'APPENDS', 0x63: 'GLOBAL', 0x93: 'STACK_GLOBAL', 0x52: 'REDUCE', 0x62: 'BUILD', 0x51: 'BINPERSID',
  0x69: 'INST', 0x6f: 'OBJ', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
  0x50: 'PERSID', 0x70: 'PUT', 0x67: 'GET', 0x49: 'INT', 0x4c: 'LONG', 0x46: 'FLOAT', 0x53: 'STRING', 0x56: 'UNICODE',
  0x64: 'DICT', 0x6c: 'LIST', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x8b: 'LONG4', 0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS', 0x91: 'FROZENSET',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};
