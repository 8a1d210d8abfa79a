/**
 * The three ways `train` starts a trainer:
 *   new          from the seed, the config from the flags
 *   --resume DIR from DIR/latest.ckpt exactly where it stopped (weights, Adam, pools, RNG, epoch order): the same
 *                losses as a run never stopped. Only the live settings (LIVE_KEYS in src/config.ts) may change.
 *   --from-pth D the four networks the official PyTorch trainer saved in D, into a run built from the flags'
 *                config (shapes checked against it); fresh Adam and empty pools, as the official --continue_train.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FIELDS, flagName, LIVE_KEYS, makeConfig, type CycleGANConfig } from '../config';
import { applyLive } from '../engine/configure';
import { restoreTrainer, type CheckpointRunInfo } from '../io/checkpoint';
import { decodeCheckpoint } from '../io/checkpointFile';
import { officialFileName, officialTrainer, PthMismatchError, readOfficialNetworks } from '../io/official/fromPth';
import { NET_NAMES, type NetName } from '../model/cyclegan';
import { CycleGANTrainer } from '../train/trainer';
import { strFlag, type Flags } from './args';
import { configFromFlags, configFromFlagValues } from './configFlags';
import { UsageError } from './errors';
import { loadTrainingData } from './trainData';

export const CHECKPOINT_FILE = 'latest.ckpt';
export const CONFIG_FILE = 'config.json';

/** How a run starts: its config, and the trainer built on demand (the caller catches running out of memory). */
export interface StartPlan {
  config: CycleGANConfig;
  build(): CycleGANTrainer;
  /** The folders and a hash of their images, saved with every checkpoint. */
  run: Omit<CheckpointRunInfo, 'savedAt'>;
  /** What to print about how it started. */
  how: string;
}

const newRunId = () => `cli-${Date.now().toString(36)}`;

/** A new run from the seed, optionally with the official trainer's four networks loaded into it. */
export async function startNew(flags: Flags): Promise<StartPlan> {
  const dirs = { A: strFlag(flags, 'a', true)!, B: strFlag(flags, 'b', true)! };
  const config = configFromFlags(flags);
  const fromPth = strFlag(flags, 'from-pth');
  const nets = fromPth ? await readFromPth(fromPth, config) : null; // before the images: a mismatch fails fast
  const data = await loadTrainingData(dirs, config);
  const build = () => (nets ? officialTrainer(config, data.domains, nets) : new CycleGANTrainer(config, data.domains));
  const how = fromPth ? `the PyTorch networks in ${fromPth} (fresh Adam, empty pools, epochs from ${config.epochCount})` : `seed ${config.seed}`;
  return { config, build, run: { id: newRunId(), domains: data.record, demo: null }, how };
}

/** The four official files in `dir`: latest_net_X.pth, else the one *_net_X.pth or X.pth there is. */
function findOfficialFiles(dir: string): Record<NetName, string> {
  if (!existsSync(dir)) throw new UsageError(`--from-pth ${dir}: no such folder`);
  const names = readdirSync(dir);
  const out = {} as Record<NetName, string>;
  for (const net of NET_NAMES) {
    const candidates = names.includes(officialFileName(net)) ? [officialFileName(net)] : names.filter((n) => n.endsWith(`_net_${net}.pth`) || n === `${net}.pth`);
    if (candidates.length !== 1)
      throw new UsageError(`--from-pth ${dir}: ${candidates.length ? `several files for ${net} (${candidates.join(', ')})` : `no ${officialFileName(net)}`}; the folder needs latest_net_G_A.pth, latest_net_G_B.pth, latest_net_D_A.pth and latest_net_D_B.pth (the official trainer's checkpoints/NAME)`);
    out[net] = candidates[0];
  }
  return out;
}

async function readFromPth(dir: string, config: CycleGANConfig) {
  const names = findOfficialFiles(dir);
  const files = Object.fromEntries(await Promise.all(NET_NAMES.map(async (n) => [n, new Uint8Array(await readFile(join(dir, names[n])))] as const))) as Record<NetName, Uint8Array>;
  try {
    return readOfficialNetworks(files, config, names);
  } catch (e) {
    if (!(e instanceof PthMismatchError)) throw e;
    const flags = Object.entries(e.need).map(([k, v]) => `--${flagName(k as keyof CycleGANConfig)} ${v}`).join(' ');
    throw new UsageError(`${e.message}: pass ${flags}`);
  }
}

/** Continues DIR's run exactly; its data folders come from the checkpoint unless --a / --b say otherwise. */
export async function startResume(dir: string, flags: Flags): Promise<StartPlan> {
  const file = join(dir, CHECKPOINT_FILE);
  if (!existsSync(file)) throw new UsageError(`--resume ${dir}: no ${CHECKPOINT_FILE} there (train --out DIR writes it)`);
  if (strFlag(flags, 'from-pth') !== undefined) throw new UsageError('--resume and --from-pth are two ways to start: give one');
  const ck = decodeCheckpoint(new Uint8Array(await readFile(file)));
  const saved = ck.manifest.config;
  checkConfigFile(dir, saved);

  const changes = configFromFlagValues(flags);
  const fixed = (Object.keys(changes) as (keyof CycleGANConfig)[]).filter((k) => changes[k] !== saved[k] && !(LIVE_KEYS as readonly string[]).includes(k));
  if (fixed.length)
    throw new UsageError(`--resume continues the run as it was built: ${fixed.map((k) => `--${flagName(k)}`).join(', ')} cannot change (the run has ${fixed.map((k) => `${k} ${String(saved[k])}`).join(', ')}). On a resumed run only ${[...LIVE_KEYS].map((k) => `--${flagName(k)}`).join(', ')} can.`);

  const recorded = ck.manifest.run?.domains;
  const dirs = { A: strFlag(flags, 'a') ?? recorded?.A.source, B: strFlag(flags, 'b') ?? recorded?.B.source };
  if (!dirs.A || !dirs.B) throw new UsageError(`${file} does not record its image folders: pass --a and --b (the ones it trained on)`);
  const data = await loadTrainingData(dirs as Record<'A' | 'B', string>, saved);
  for (const d of ['A', 'B'] as const) {
    const want = recorded?.[d];
    if (want && want.hash !== data.record[d].hash)
      throw new Error(`domain ${d} (${dirs[d]}, ${data.record[d].count} images) does not hold the images this run trained on (${want.count} images from ${want.source}): resuming on other pictures would not continue this run. Pass the folder it trained on with --${d.toLowerCase()}.`);
  }
  const config = makeConfig({ ...saved, ...changes });
  const build = () => {
    const trainer = restoreTrainer(ck, data.domains);
    applyLive(trainer, config);
    return trainer;
  };
  return { config, build, run: { id: ck.manifest.run?.id ?? newRunId(), domains: data.record, demo: null }, how: `${file} at iteration ${ck.manifest.iteration}` };
}

/** DIR/config.json is written with the run; if someone edited it, say so rather than silently ignore it. */
function checkConfigFile(dir: string, saved: CycleGANConfig): void {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) return;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
  }
  const differ = (Object.keys(CONFIG_FIELDS) as (keyof CycleGANConfig)[]).filter((k) => k in json && json[k] !== saved[k]);
  if (differ.length)
    throw new UsageError(`${path} differs from the run's checkpoint in ${differ.map((k) => `${k} (${String(json[k])}, the run has ${String(saved[k])})`).join(', ')}: the checkpoint is the run; to change a live setting on resume pass its flag (${[...LIVE_KEYS].map((k) => `--${flagName(k)}`).join(', ')})`);
}
