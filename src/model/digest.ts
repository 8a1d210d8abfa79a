/**
 * A checksum per network (FNV-1a over the float32 bytes of every parameter, in key order): tells a test, or a
 * curious student, which networks an update changed. Reads every weight back (GPU→CPU): call it between steps.
 */
import { NET_NAMES, type CycleGAN, type NetName } from './cyclegan';

function fnv1a(bytes: Uint8Array, h: number): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}

export async function netDigest(m: CycleGAN): Promise<Record<NetName, string>> {
  const out = {} as Record<NetName, string>;
  for (const n of NET_NAMES) {
    let h = 0x811c9dc5;
    for (const [key, v] of m.params(n)) {
      h = fnv1a(new TextEncoder().encode(key), h);
      const x = (await v.data()) as Float32Array; // awaited, not dataSync: never blocks a WebGPU worker
      h = fnv1a(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), h);
    }
    out[n] = h.toString(16).padStart(8, '0');
  }
  return out;
}
