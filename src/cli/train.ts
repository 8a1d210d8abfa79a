/** `train`: headless training from two folders; writes the checkpoint and a JSON-lines loss log. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backendMemoryLimits } from '../backend/memoryLimits';
import { initNodeBackend } from '../backend/node';
import { makeConfig, type CycleGANConfig, type GanMode } from '../config';
import { captureCheckpoint } from '../io/checkpoint';
import { encodeCheckpoint } from '../io/checkpointFile';
import { DECODE_SHORT_SIDE, emptyDomain, sharedCount } from '../engine/domains';
import { outOfMemory } from '../backend/outOfMemory';
import { loadFolder } from '../io/decodeNode';
import type { BackendName } from '../protocol/messages';
import { LOSS_NAMES } from '../train/losses';
import { CycleGANTrainer } from '../train/trainer';
import { backendFlag, intFlag, numFlag, strFlag, type Flags } from './args';
import { UsageError } from './errors';
import { outOfMemoryMessage } from './outOfMemory';

export const CHECKPOINT_FILE = 'latest.ckpt';
export const LOSS_LOG_FILE = 'loss.jsonl';
const SAVE_EVERY = 5000; // the reference's save_latest_freq

/** --size S sets the crop to S and the load size to S·286/256, as the presets do. */
export function configFromFlags(flags: Flags): CycleGANConfig {
  const size = intFlag(flags, 'size');
  const partial: Partial<CycleGANConfig> = {};
  if (size !== undefined) Object.assign(partial, { cropSize: size, loadSize: Math.round((size * 286) / 256) });
  const set = <K extends keyof CycleGANConfig>(k: K, v: CycleGANConfig[K] | undefined) => {
    if (v !== undefined) partial[k] = v;
  };
  set('ngf', intFlag(flags, 'ngf'));
  set('nBlocks', intFlag(flags, 'blocks'));
  set('ndf', intFlag(flags, 'ndf'));
  set('seed', intFlag(flags, 'seed'));
  set('nEpochs', intFlag(flags, 'epochs'));
  set('nEpochsDecay', intFlag(flags, 'decay-epochs'));
  set('lambdaIdentity', numFlag(flags, 'lambda-identity'));
  set('poolSize', intFlag(flags, 'pool'));
  set('ganMode', strFlag(flags, 'gan-mode') as GanMode | undefined);
  try {
    return makeConfig(partial);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const fmtTime = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${s.toFixed(0)}s`);

export async function runTrain(flags: Flags): Promise<number> {
  const dirA = strFlag(flags, 'a', true)!;
  const dirB = strFlag(flags, 'b', true)!;
  const out = strFlag(flags, 'out', true)!;
  const config = configFromFlags(flags);
  const iters = intFlag(flags, 'iters');
  if (iters !== undefined && iters < 1) throw new UsageError('--iters must be ≥ 1');

  // images are kept bounded as the studio keeps them (shorter side ≤ max(286, load size)): a folder of 12 MP photos fits
  const shortSide = Math.max(DECODE_SHORT_SIDE, config.loadSize);
  const domains = { A: await loadFolder(dirA, shortSide), B: await loadFolder(dirB, shortSide) };
  for (const d of ['A', 'B'] as const) {
    for (const s of domains[d].skipped) console.error(`skipped ${d}: ${s.name} — ${s.reason}`);
    if (domains[d].images.length === 0) {
      const n = domains[d].skipped.length;
      console.error(`error: domain ${d} (${d === 'A' ? dirA : dirB}) has no usable image: ${n === 0 ? 'the folder is empty' : `all ${n} file(s) were skipped (reasons above)`}. Put PNG or JPEG images in it.`);
      return 1;
    }
  }
  const shared = sharedCount({ ...emptyDomain(), keys: domains.A.keys }, { ...emptyDomain(), keys: domains.B.keys });
  if (shared > 0)
    console.error(`warning: ${shared} of the ${domains.A.images.length} A images are also in B (same name and size): a CycleGAN learns nothing from two copies of one domain. Check --a and --b.`);
  const backend = await initNodeBackend(backendFlag(flags));
  const outOfMemoryExit = (e: unknown): number => {
    console.error(`error: ${outOfMemoryMessage(config, backend, backendMemoryLimits(backend as BackendName), e)}`);
    return 1;
  };
  let trainer: CycleGANTrainer;
  try {
    trainer = new CycleGANTrainer(config, { A: domains.A.images, B: domains.B.images });
  } catch (e) {
    if (outOfMemory(e)) return outOfMemoryExit(e); // the weights alone do not fit
    throw e;
  }
  const total = Math.min(iters ?? trainer.totalIters, trainer.totalIters);
  console.error(
    `training on ${backend}: ${domains.A.images.length} A, ${domains.B.images.length} B images; ` +
      `${config.cropSize}px, ngf ${config.ngf}, ${config.nBlocks} blocks, ndf ${config.ndf}; ${total} iterations (${trainer.itersPerEpoch} per epoch)`,
  );

  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'config.json'), JSON.stringify(config, null, 2));
  const log: string[] = [];
  const save = async () => {
    await writeFile(join(out, CHECKPOINT_FILE), encodeCheckpoint(await captureCheckpoint(trainer)));
    await writeFile(join(out, LOSS_LOG_FILE), log.join(''));
  };
  let stop = false;
  const onSigint = () => {
    stop = true;
  };
  process.on('SIGINT', onSigint);
  const tty = process.stderr.isTTY;
  const t0 = performance.now();
  let dead = false; // after running out of memory the backend may be unusable: leave the tensors to the exit
  try {
    while (trainer.iteration < total && !stop) {
      const t = performance.now();
      const r = await trainer.step();
      const ms = performance.now() - t;
      const line: Record<string, number> = { iter: r.iter, epoch: r.epoch, lr: r.lr, ...r.losses, ms: Math.round(ms * 10) / 10 };
      log.push(JSON.stringify(line) + '\n');
      const rate = trainer.iteration / ((performance.now() - t0) / 1000);
      const status = `iter ${r.iter}/${total}  epoch ${r.epoch}  ${rate.toFixed(2)} it/s  ETA ${fmtTime((total - r.iter) / rate)}  ` +
        LOSS_NAMES.map((n) => `${n} ${r.losses[n].toFixed(3)}`).join(' ');
      if (tty) process.stderr.write(`\r${status}\x1b[K`);
      else if (r.iter % 100 === 0 || r.iter === total) console.error(status);
      if (r.iter % SAVE_EVERY === 0) await save();
    }
    if (tty) process.stderr.write('\n');
    await save();
    console.error(`${stop ? 'interrupted; ' : ''}wrote ${join(out, CHECKPOINT_FILE)} and ${join(out, LOSS_LOG_FILE)} (${trainer.iteration} iterations)`);
  } catch (e) {
    if (!outOfMemory(e)) throw e;
    dead = true;
    if (tty) process.stderr.write('\n');
    return outOfMemoryExit(e);
  } finally {
    process.off('SIGINT', onSigint);
    if (!dead) trainer.dispose();
  }
  return 0;
}
