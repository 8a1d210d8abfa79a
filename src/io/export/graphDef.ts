/**
 * A tiny builder of TensorFlow GraphDef JSON — the `modelTopology` of a tfjs *graph model* (what
 * tensorflowjs_converter writes and `tf.loadGraphModel` reads). Nodes use only ops tfjs-converter's executor
 * runs; every Const's value lives in the weights manifest (the executor takes Const values from the weight map
 * by node name, never from an inline `value` attr). Attr encoding follows the proto3 JSON mapping the converter
 * emits: strings base64 in `s`, ints as decimal strings in `i`, lists in `list`, dtypes as enum names.
 */

export type DType = 'float32' | 'int32';

export interface AttrValue {
  s?: string;
  i?: string;
  f?: number;
  b?: boolean;
  type?: 'DT_FLOAT' | 'DT_INT32';
  shape?: { dim: { size: string }[] };
  list?: { i?: string[]; s?: string[] };
  tensor?: { dtype: 'DT_FLOAT' | 'DT_INT32'; tensorShape: { dim: { size: string }[] } };
}

export interface NodeDef {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
}

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: DType;
}

/** The model.json of a graph model (tfjs-core's ModelJSON, restricted to what we write). */
export interface GraphModelJSON {
  format: 'graph-model';
  generatedBy: string;
  convertedBy: string;
  signature: { inputs: Record<string, TensorInfo>; outputs: Record<string, TensorInfo> };
  modelTopology: { node: NodeDef[]; library: Record<string, never>; versions: { producer: number; minConsumer: number } };
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

interface TensorInfo {
  name: string;
  dtype: 'DT_FLOAT';
  tensorShape: { dim: { size: string }[] };
}

export const WEIGHTS_FILE = 'group1-shard1of1.bin';

const b64 = (text: string): string => btoa(text); // attr strings are ASCII (op modes, paddings, formats)
const dims = (shape: number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });

/** Attr constructors, so call sites read like the op's signature. */
export const attr = {
  str: (v: string): AttrValue => ({ s: b64(v) }),
  int: (v: number): AttrValue => ({ i: String(v) }),
  float: (v: number): AttrValue => ({ f: v }),
  bool: (v: boolean): AttrValue => ({ b: v }),
  ints: (v: number[]): AttrValue => ({ list: { i: v.map(String) } }),
  dtype: (d: DType): AttrValue => ({ type: d === 'float32' ? 'DT_FLOAT' : 'DT_INT32' }),
  shape: (s: number[]): AttrValue => ({ shape: dims(s) }),
};

export class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  private readonly weights: { entry: WeightEntry; data: Float32Array | Int32Array }[] = [];
  private readonly names = new Set<string>();
  private readonly shared = new Map<string, string>();
  private input: { name: string; shape: number[] } | null = null;

  /** The graph's one input: float32 NHWC, -1 for sizes chosen at run time. */
  placeholder(name: string, shape: number[]): string {
    this.input = { name, shape };
    return this.add({ name, op: 'Placeholder', attr: { dtype: attr.dtype('float32'), shape: attr.shape(shape) } });
  }

  /** A constant whose value goes to the weights file (float32 weights, int32 shapes/paddings/axes). */
  constant(name: string, shape: number[], data: Float32Array | Int32Array): string {
    const n = shape.reduce((a, b) => a * b, 1);
    if (data.length !== n) throw new RangeError(`constant ${name}: ${data.length} values for shape [${shape}]`);
    const dtype: DType = data instanceof Int32Array ? 'int32' : 'float32';
    this.weights.push({ entry: { name, shape, dtype }, data });
    return this.add({ name, op: 'Const', attr: { dtype: attr.dtype(dtype), value: { tensor: { dtype: attr.dtype(dtype).type!, tensorShape: dims(shape) } } } });
  }

  /** One Const per distinct small value (paddings, axes, eps), shared by every node that needs it. */
  sharedConstant(name: string, shape: number[], data: Float32Array | Int32Array): string {
    const key = `${data instanceof Int32Array ? 'i' : 'f'}[${shape}]${Array.from(data).join(',')}`;
    const have = this.shared.get(key);
    if (have) return have;
    const made = this.constant(name, shape, data);
    this.shared.set(key, made);
    return made;
  }

  /** Adds a node; `T` (the element type attr every TF op carries) defaults to float32. */
  op(name: string, op: string, input: string[], attrs: Record<string, AttrValue> = {}, dtype: DType = 'float32'): string {
    return this.add({ name, op, input, attr: { T: attr.dtype(dtype), ...attrs } });
  }

  private add(node: NodeDef): string {
    if (this.names.has(node.name)) throw new Error(`graph: duplicate node name ${node.name}`);
    this.names.add(node.name);
    this.nodes.push(node);
    return node.name;
  }

  /** model.json + its one weights file (float32/int32 little-endian, in manifest order). */
  build(output: string, outShape: number[], meta: Record<string, unknown>): { modelJson: GraphModelJSON; weights: Uint8Array } {
    if (!this.input) throw new Error('graph: no input placeholder');
    const total = this.weights.reduce((n, w) => n + w.data.length, 0);
    const bytes = new Uint8Array(4 * total);
    const view = new DataView(bytes.buffer);
    let off = 0;
    for (const { data } of this.weights)
      for (let i = 0; i < data.length; i++, off += 4)
        if (data instanceof Int32Array) view.setInt32(off, data[i], true);
        else view.setFloat32(off, data[i], true);
    const info = (name: string, shape: number[]): TensorInfo => ({ name: `${name}:0`, dtype: 'DT_FLOAT', tensorShape: dims(shape) });
    const modelJson: GraphModelJSON = {
      format: 'graph-model',
      generatedBy: 'CycleGAN Studio (hand-built GraphDef)',
      convertedBy: 'CycleGAN Studio exporter 1 (tfjs graph-model format, TensorFlow.js 4.x)',
      signature: { inputs: { [this.input.name]: info(this.input.name, this.input.shape) }, outputs: { [output]: info(output, outShape) } },
      modelTopology: { node: this.nodes, library: {}, versions: { producer: 1286, minConsumer: 12 } },
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: this.weights.map((w) => w.entry) }],
      userDefinedMetadata: meta,
    };
    return { modelJson, weights: bytes };
  }
}
