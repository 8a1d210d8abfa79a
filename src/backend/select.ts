/**
 * Backend choice in the browser (page or worker), always verified: tfjs silently falls back to another backend
 * when one fails to initialise (e.g. webgpu → webgl), so after every setBackend the active one is read back with
 * tf.getBackend() and reported as it is.
 *
 * 'auto': WebGPU on a hardware adapter; a software adapter (SwiftShader: isFallbackAdapter, or its name) is far
 * slower than wasm, so wasm is preferred and the reason says so. Without WebGPU: WebGL (unless its renderer is
 * software too), then wasm, then cpu. A forced choice (setting or ?backend=…) is honoured or fails with a
 * BackendUnavailableError that says why and what to pick instead.
 * wasm runs on the threads asked for where the page is cross-origin isolated, else on one (./browser.ts).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu'; // registers 'webgpu' (only where navigator.gpu exists)
import { BACKEND_LABEL } from '../names';
import type { AdapterInfo, BackendChoice, BackendInfo, BackendName } from '../protocol/messages';
import { BackendUnavailableError } from './errors';
import { initBrowserWasmBackend, prebuiltWasmFolder, type WasmStart } from './browser';

/** The few WebGPU members used here (TypeScript's DOM lib has no WebGPU types). */
interface GPUAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GPUAdapterLike {
  info?: GPUAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GPUAdapterInfoLike>;
}
interface GPULike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GPUAdapterLike | null>;
}

const SOFTWARE = /swiftshader|llvmpipe|software|basic render/i;

export interface WebGPUProbe {
  adapter?: AdapterInfo;
  /** Why WebGPU cannot be used at all (no API, no adapter). */
  unavailable?: string;
}

export async function probeWebGPU(): Promise<WebGPUProbe> {
  const gpu = (globalThis.navigator as { gpu?: GPULike } | undefined)?.gpu;
  if (!gpu) return { unavailable: 'this browser has no WebGPU (navigator.gpu is missing)' };
  let adapter: GPUAdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { unavailable: `requesting a WebGPU adapter failed (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!adapter) return { unavailable: 'the browser offers no WebGPU adapter (WebGPU is disabled, or the GPU is blocklisted)' };
  let info: GPUAdapterInfoLike = adapter.info ?? {};
  if (!adapter.info && adapter.requestAdapterInfo) info = await adapter.requestAdapterInfo().catch(() => ({}));
  const vendor = info.vendor ?? '', architecture = info.architecture ?? '', description = info.description || info.device || '';
  const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || SOFTWARE.test(`${vendor} ${architecture} ${description}`);
  return { adapter: { vendor, architecture, description, isFallbackAdapter } };
}

/** 'SwiftShader' rather than the whole ANGLE renderer string. */
function softwareName(s: string): string {
  const m = /swiftshader|llvmpipe|microsoft basic render/i.exec(s);
  if (!m) return s.length > 48 ? `${s.slice(0, 45)}…` : s;
  return m[0].toLowerCase() === 'swiftshader' ? 'SwiftShader' : m[0];
}

const adapterName = (a: AdapterInfo) => [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || 'unnamed adapter';

/** The WebGL renderer string, to tell a software rasteriser (SwiftShader) from a GPU. Null when WebGL is missing. */
function webglRenderer(): string | null {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : null;
    const gl = canvas?.getContext('webgl2') ?? null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return r;
  } catch {
    return null;
  }
}

type Activated = { ok: true; wasm?: WasmStart } | { ok: false; why: string };

/** Activates one backend and reads back what tfjs really runs. */
async function activate(name: BackendName, threads: number): Promise<Activated> {
  let cause = '';
  let wasm: WasmStart | undefined;
  try {
    if (name === 'wasm') {
      wasm = await initBrowserWasmBackend({ folder: prebuiltWasmFolder(import.meta.env.BASE_URL), threads });
    } else {
      const ok = await tf.setBackend(name);
      if (!ok) cause = 'initialisation failed';
      else await tf.ready();
    }
  } catch (e) {
    cause = e instanceof Error ? e.message : String(e);
  }
  let active: string | null = null;
  try {
    active = tf.getBackend();
  } catch {
    active = null;
  }
  if (active === name && !cause) return { ok: true, wasm };
  return { ok: false, why: cause ? `${name}: ${cause}` : `${name}: tfjs fell back to ${active ?? 'nothing'}` };
}

/** The backends' long names in the reason the badge shows; the cpu one warns that it is slow. */
const ORDER_LABEL: Record<BackendName, string> = { ...(BACKEND_LABEL as Record<BackendName, string>), cpu: 'plain JavaScript (cpu, slow)' };

/** The badge's facts about wasm's threads: how many run, and why not the number asked for. */
function threadsInfo(r: Activated): Pick<BackendInfo, 'threads'> {
  return r.ok && r.wasm ? { threads: { count: r.wasm.threads, why: r.wasm.why } } : {};
}

/** `threads`: how many wasm may use (≥ 1; the studio's default is navigator.hardwareConcurrency). */
export async function selectBackend(requested: BackendChoice, threads: number): Promise<BackendInfo> {
  const probe = await probeWebGPU();
  const adapter = probe.adapter;

  if (requested !== 'auto') {
    if (requested === 'webgpu' && !adapter)
      throw new BackendUnavailableError(`WebGPU was requested but ${probe.unavailable}. Choose Auto (or ?backend=auto) to train on the fastest backend available.`);
    const r = await activate(requested, threads);
    if (!r.ok) throw new BackendUnavailableError(`The ${ORDER_LABEL[requested]} backend was requested but could not start (${r.why}). Choose Auto (or ?backend=auto) instead.`);
    let reason = `${ORDER_LABEL[requested]}, as requested.`;
    if (requested === 'webgpu' && adapter) reason += adapter.isFallbackAdapter ? ` Its adapter is software (${softwareName(adapterName(adapter))}): wasm would be faster here.` : ` Adapter: ${adapterName(adapter)}.`;
    return { name: requested, requested, ...(requested === 'webgpu' ? { adapter } : {}), ...threadsInfo(r), reason };
  }

  // auto: build the order, noting why each faster backend was passed over
  const notes: string[] = [];
  const order: BackendName[] = [];
  if (adapter && !adapter.isFallbackAdapter) order.push('webgpu');
  else if (adapter) notes.push(`WebGPU is software here (${softwareName(adapterName(adapter))})`);
  else notes.push(`WebGPU unavailable: ${probe.unavailable}`);
  const renderer = webglRenderer();
  const webglSoftware = renderer !== null && SOFTWARE.test(renderer);
  if (renderer === null) notes.push('WebGL unavailable');
  else if (webglSoftware) notes.push(`WebGL is software here (${softwareName(renderer)})`);
  const preferWasm = Boolean(adapter?.isFallbackAdapter) || webglSoftware || renderer === null;
  order.push(...(preferWasm ? (['wasm', 'webgl', 'cpu'] as const) : (['webgl', 'wasm', 'cpu'] as const)));

  for (const name of order) {
    if (name === 'webgl' && renderer === null) continue;
    const r = await activate(name, threads);
    if (r.ok) {
      if (name === 'webgpu' && adapter) return { name, requested, adapter, reason: `WebGPU on ${adapterName(adapter)}.` };
      const faster = name === 'wasm' && (adapter?.isFallbackAdapter || webglSoftware) ? ': wasm is faster than a software GPU' : '';
      return { name, requested, ...threadsInfo(r), reason: `${ORDER_LABEL[name]} — ${notes.join('; ')}${faster}.` };
    }
    notes.push(r.why);
  }
  throw new BackendUnavailableError(`No TensorFlow.js backend could start (${notes.join('; ')}). Try another browser, or update this one.`);
}
