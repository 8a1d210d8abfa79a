/**
 * The pickle torch.save writes for a state_dict of float32 tensors (protocol 2, as torch/serialization.py's
 * DEFAULT_PROTOCOL), opcode for opcode the same shape, memo left out (nothing is shared):
 *
 *   OrderedDict() then SETITEMS of  key → torch._utils._rebuild_tensor_v2(
 *       storage,            a persistent id ('storage', torch.FloatStorage, '<n>', 'cpu', numel)
 *       0,                  storage offset
 *       size, stride,       tuples (contiguous strides)
 *       False,              requires_grad
 *       OrderedDict())      backward hooks
 *
 * Only globals our own reader (./pickle) allows are written, so what we write we can also read, and
 * torch.load(weights_only=True) — PyTorch's restricted loader — accepts it too.
 */

export interface PickledTensor {
  key: string;
  shape: number[];
  /** The storage's name in the archive (`data/<storageKey>`). */
  storageKey: string;
}

const OP = {
  PROTO: 0x80, GLOBAL: 0x63, EMPTY_TUPLE: 0x29, REDUCE: 0x52, MARK: 0x28, TUPLE: 0x74, TUPLE1: 0x85, TUPLE2: 0x86,
  TUPLE3: 0x87, BINUNICODE: 0x58, BININT1: 0x4b, BININT2: 0x4d, BININT: 0x4a, NEWFALSE: 0x89, BINPERSID: 0x51,
  SETITEMS: 0x75, STOP: 0x2e,
} as const;

class Out {
  private bytes: number[] = [];
  op(code: number): this {
    return this.raw(code);
  }
  raw(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  global(module: string, name: string): this {
    this.op(OP.GLOBAL);
    return this.raw(...[...`${module}\n${name}\n`].map((c) => c.charCodeAt(0))); // ASCII names
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.op(OP.BINUNICODE).u32(b.length).raw(...b);
  }
  int(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) throw new RangeError(`pickle int ${n}: only 0 … 2^31 − 1 is written`);
    if (n < 0x100) return this.op(OP.BININT1).raw(n);
    if (n < 0x10000) return this.op(OP.BININT2).raw(n & 0xff, n >> 8);
    return this.op(OP.BININT).u32(n);
  }
  tuple(items: number[]): this {
    if (items.length === 0) return this.op(OP.EMPTY_TUPLE);
    if (items.length > 3) this.op(OP.MARK);
    for (const x of items) this.int(x);
    return this.op([OP.TUPLE, OP.TUPLE1, OP.TUPLE2, OP.TUPLE3][items.length > 3 ? 0 : items.length]);
  }
  private u32(n: number): this {
    return this.raw(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** Row-major strides of a contiguous tensor. */
export function contiguousStrides(shape: number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let i = shape.length - 1, acc = 1; i >= 0; acc *= shape[i--]) s[i] = acc;
  return s;
}

export function pickleStateDict(tensors: PickledTensor[]): Uint8Array {
  const o = new Out().op(OP.PROTO).op(2);
  o.global('collections', 'OrderedDict').op(OP.EMPTY_TUPLE).op(OP.REDUCE).op(OP.MARK);
  for (const t of tensors) {
    const numel = t.shape.reduce((a, b) => a * b, 1);
    o.str(t.key);
    o.global('torch._utils', '_rebuild_tensor_v2').op(OP.MARK);
    o.op(OP.MARK).str('storage').global('torch', 'FloatStorage').str(t.storageKey).str('cpu').int(numel).op(OP.TUPLE).op(OP.BINPERSID);
    o.int(0).tuple(t.shape).tuple(contiguousStrides(t.shape)).op(OP.NEWFALSE);
    o.global('collections', 'OrderedDict').op(OP.EMPTY_TUPLE).op(OP.REDUCE);
    o.op(OP.TUPLE).op(OP.REDUCE);
  }
  return o.op(OP.SETITEMS).op(OP.STOP).done();
}
