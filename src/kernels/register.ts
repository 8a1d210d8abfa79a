/**
 * Registers the fused kernels (names.ts) for cpu and wasm (arrays.ts through hosts.ts) and for webgpu (WGSL,
 * webgpu/), and their gradients. WebGL keeps the composite ops (ops.ts picks per backend). Idempotent.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import * as arrays from './arrays';
import { registerFusedGradients } from './gradients';
import { runOnCpu, runOnWasm, type ArrayKernel } from './hosts';
import { ADAM, ADAM_GRADS, CONV2D, INSTANCE_NORM, INSTANCE_NORM_GRAD, normDims, paddedShape, REFLECT_PAD, REFLECT_PAD_GRAD, type AdamAttrs, type Conv2DAttrs, type InstanceNormAttrs, type ReflectPadAttrs } from './names';
import { WEBGPU_KERNELS } from './webgpu/kernels';

type Host = (backend: unknown, inputs: TensorInfo[], outShapes: number[][], kernel: ArrayKernel) => TensorInfo[];
type Args = { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap };

/** Each kernel as (inputs, attrs) → the output shapes and the loop that fills them. */
const KERNELS: Record<string, { inputs: string[]; plan: (ins: TensorInfo[], attrs: NamedAttrMap) => { shapes: number[][]; run: ArrayKernel } }> = {
  [INSTANCE_NORM]: {
    inputs: ['x', 'residual'],
    plan: ([x], attrs) => {
      const { N, HW, C } = normDims(x.shape);
      return { shapes: [x.shape], run: ([xs, r], [y]) => arrays.instanceNorm(xs, y, N, HW, C, attrs as unknown as InstanceNormAttrs, r) };
    },
  },
  [INSTANCE_NORM_GRAD]: {
    inputs: ['dy', 'x'],
    plan: ([, x], attrs) => {
      const { N, HW, C } = normDims(x.shape);
      return { shapes: [x.shape], run: ([dy, xs], [dx]) => arrays.instanceNormGrad(dy, xs, dx, N, HW, C, attrs as unknown as InstanceNormAttrs) };
    },
  },
  [REFLECT_PAD]: {
    inputs: ['x'],
    plan: ([x], attrs) => {
      const p = (attrs as unknown as ReflectPadAttrs).pad;
      const [N, H, W, C] = x.shape;
      return { shapes: [paddedShape(x.shape, p)], run: ([xs], [y]) => arrays.reflectPad(xs, y, N, H, W, C, p) };
    },
  },
  [REFLECT_PAD_GRAD]: {
    inputs: ['dy'],
    plan: ([dy], attrs) => {
      const p = (attrs as unknown as ReflectPadAttrs).pad;
      const [N, PH, PW, C] = dy.shape;
      const H = PH - 2 * p, W = PW - 2 * p;
      return { shapes: [[N, H, W, C]], run: ([d], [dx]) => arrays.reflectPadGrad(d, dx, N, H, W, C, p) };
    },
  },
  [ADAM]: {
    inputs: ['param', 'm', 'v', ...ADAM_GRADS],
    plan: ([p], attrs) => ({
      shapes: [p.shape, p.shape, p.shape],
      run: ([ps, m, v, ...gs], [op, om, ov]) => arrays.adam(ps, m, v, gs, op, om, ov, attrs as unknown as AdamAttrs),
    }),
  },
};

function kernelFunc(name: string, host: Host): KernelFunc {
  const k = KERNELS[name];
  const f = ({ inputs, backend, attrs }: Args) => {
    const ins = k.inputs.map((n) => inputs[n]).filter((t) => t !== undefined); // optional inputs come last
    const { shapes, run } = k.plan(ins, attrs ?? {});
    const outs = host(backend, ins, shapes, run);
    return outs.length === 1 ? outs[0] : outs;
  };
  return f as unknown as KernelFunc;
}

/** Conv2D + bias: the backend's own FusedConv2D kernel (looked up when called: a backend registers its kernels on import). */
function conv2dKernel(backendName: string): KernelFunc {
  const f = ({ inputs, backend, attrs }: Args) => {
    const stock = tf.getKernel('FusedConv2D', backendName);
    if (!stock) throw new Error(`${CONV2D}: the ${backendName} backend has no FusedConv2D kernel`);
    const { strides, pad } = attrs as unknown as Conv2DAttrs;
    const fusedAttrs = { strides, pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation: 'linear', leakyreluAlpha: 0 };
    return (stock.kernelFunc as unknown as (a: Args) => TensorInfo)({ inputs: { x: inputs.x, filter: inputs.filter, bias: inputs.bias }, backend, attrs: fusedAttrs as unknown as NamedAttrMap });
  };
  return f as unknown as KernelFunc;
}

/** Replaces `name` on `backend` (a second registration would only warn and keep the first). */
function replaceKernel(name: string, backendName: string, func: KernelFunc, setupFunc?: tf.KernelConfig['setupFunc']): void {
  if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
  tf.registerKernel({ kernelName: name, backendName, kernelFunc: func, setupFunc });
}

let done = false;

/** Call after importing the backends to be used (the wasm Identity is replaced only once its own is registered). */
export function registerFusedKernels(): void {
  if (!done) {
    done = true;
    for (const name of Object.keys(KERNELS)) {
      replaceKernel(name, 'cpu', kernelFunc(name, runOnCpu));
      replaceKernel(name, 'wasm', kernelFunc(name, runOnWasm));
    }
    for (const [name, func] of Object.entries(WEBGPU_KERNELS)) replaceKernel(name, 'webgpu', func);
    for (const backend of ['cpu', 'wasm', 'webgpu']) replaceKernel(CONV2D, backend, conv2dKernel(backend));
    registerFusedGradients();
  }
  if (!identityShared) identityShared = registerSharingIdentity(); // ops call this per op: once done, nothing to do
}

let identityShared = false;

const SHARING = Symbol.for('cyclegan-studio/sharingIdentity');

/**
 * tfjs-backend-wasm's Identity and same-dtype Cast copy their input, and the engine clones (Identity) every tensor it
 * saves for a backward pass: on wasm each saved activation existed twice. These share the buffer instead (reference
 * counted, as the cpu and webgpu backends do); no kernel writes into its inputs.
 */
/** True once the wasm Identity shares buffers (false while the wasm backend is not imported yet). */
function registerSharingIdentity(): boolean {
  type Shared = { incRef(dataId: object): void };
  const marked = <F extends object>(f: F): F => Object.assign(f, { [SHARING]: true });
  const share = (x: TensorInfo, backend: unknown): TensorInfo => {
    (backend as Shared).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  const identity = tf.getKernel('Identity', 'wasm');
  if (!identity) return false;
  if ((identity.kernelFunc as unknown as Record<symbol, boolean>)[SHARING]) return true;
  replaceKernel('Identity', 'wasm', marked((a: Args) => (a.inputs.x.dtype === 'string' ? (identity.kernelFunc as unknown as (a: Args) => TensorInfo)(a) : share(a.inputs.x, a.backend))) as unknown as KernelFunc, identity.setupFunc);
  const cast = tf.getKernel('Cast', 'wasm');
  if (cast)
    replaceKernel('Cast', 'wasm', ((a: Args) => (a.inputs.x.dtype === (a.attrs as { dtype?: string }).dtype && a.inputs.x.dtype !== 'string' ? share(a.inputs.x, a.backend) : (cast.kernelFunc as unknown as (a: Args) => TensorInfo)(a))) as unknown as KernelFunc, cast.setupFunc);
  return true;
}
