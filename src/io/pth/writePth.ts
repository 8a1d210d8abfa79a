/**
 * Writing a state_dict as torch.save does since PyTorch 1.6 (the zip format), so that the official
 * junyanz/pytorch-CycleGAN-and-pix2pix loader (models/base_model.py load_networks: torch.load, then a strict
 * load_state_dict) takes it as one of its own `latest_net_*.pth`:
 *
 *   archive/data.pkl     the pickle (./pickleWriter): an OrderedDict of tensors over persistent-id storages
 *   archive/byteorder    "little" (what torch ≥ 2.1 writes; older torch ignores it)
 *   archive/data/<n>     storage n: its float32 values, little-endian
 *   archive/version      "3"
 *
 * stored, each entry 64-byte aligned (./storedZip). Pure: bytes out, no Node built-ins.
 */
import type { ParamSpec } from '../../model/params';
import { numel, sameShape, toTorchLayout, torchShape, type WeightArray } from './layout';
import { PthError } from './pickle';
import { pickleStateDict } from './pickleWriter';
import { storedZip, type ZipEntry } from './storedZip';

export interface NamedTensor extends WeightArray {
  key: string; // state_dict key; shape and data in PyTorch layout
}

const FORMAT_VERSION = '3\n';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndianBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const v = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) v.setFloat32(4 * i, data[i], true);
  return out;
}

/** Tensors (PyTorch layout) → the bytes of a .pth file; `root` is the archive's top folder. */
export function writePthStateDict(tensors: NamedTensor[], root = 'archive'): Uint8Array {
  for (const t of tensors)
    if (numel(t.shape) !== t.data.length) throw new PthError(`${t.key}: shape [${t.shape}] holds ${numel(t.shape)} values, the data ${t.data.length}`);
  const entries: ZipEntry[] = [
    { name: `${root}/data.pkl`, data: pickleStateDict(tensors.map((t, i) => ({ key: t.key, shape: t.shape, storageKey: String(i) }))) },
    { name: `${root}/byteorder`, data: new TextEncoder().encode('little') },
    ...tensors.map((t, i) => ({ name: `${root}/data/${i}`, data: littleEndianBytes(t.data) })),
    { name: `${root}/version`, data: new TextEncoder().encode(FORMAT_VERSION) },
  ];
  return storedZip(entries);
}

/**
 * One network's weights (tfjs layout, by state_dict key, as checkpoints and live runs hold them) → its .pth, in
 * the spec order (the order of the official module's state_dict). Every key must be there with its full size.
 */
export function networkToPth(specs: ParamSpec[], weights: ReadonlyMap<string, Float32Array>): Uint8Array {
  const tensors = specs.map((s): NamedTensor => {
    const data = weights.get(s.key);
    if (!data) throw new PthError(`no weights for ${s.key}`);
    const w = toTorchLayout({ shape: s.shape, data });
    if (!sameShape(w.shape, torchShape(s)) || data.length !== numel(s.shape))
      throw new PthError(`${s.key}: ${data.length} values, but [${s.shape}] needs ${numel(s.shape)}`);
    return { key: s.key, ...w };
  });
  return writePthStateDict(tensors);
}
