/**
 * `train`: headless training from two folders (or continuing a run: see ./trainStart). Writes DIR/config.json,
 * DIR/latest.ckpt (every SAVE_EVERY iterations, at the end, and on Ctrl-C or SIGTERM) and DIR/loss.jsonl, one JSON
 * line per iteration, appended at each save (a resumed run appends to its own log).
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backendMemoryLimits } from '../backend/memoryLimits';
import { initNodeBackend } from '../backend/node';
import { outOfMemory } from '../backend/outOfMemory';
import { captureCheckpoint } from '../io/checkpoint';
import { encodeCheckpoint } from '../io/checkpointFile';
import type { BackendName } from '../protocol/messages';
import { LOSS_NAMES } from '../train/losses';
import type { CycleGANTrainer } from '../train/trainer';
import { backendFlag, intFlag, strFlag, type Flags } from './args';
import { UsageError } from './errors';
import { outOfMemoryMessage } from './outOfMemory';
import { CHECKPOINT_FILE, CONFIG_FILE, startNew, startResume } from './trainStart';

export { CHECKPOINT_FILE } from './trainStart';
export const LOSS_LOG_FILE = 'loss.jsonl';
const SAVE_EVERY = 5000; // the reference's save_latest_freq
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const; // Ctrl-C, and what `kill`, schedulers and containers send

const fmtTime = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${s.toFixed(0)}s`);

/** The log lines of iterations 1 … `iteration` (a resumed run drops any past its checkpoint, and a line cut short
 * by a kill, then appends). */
async function keepLogUpTo(path: string, iteration: number): Promise<void> {
  if (!existsSync(path)) return writeFile(path, '');
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const iterOf = (l: string): number => {
    try {
      return (JSON.parse(l) as { iter: number }).iter;
    } catch {
      return Infinity;
    }
  };
  const kept = lines.filter((l) => iterOf(l) <= iteration);
  if (kept.length !== lines.length) await writeFile(path, kept.map((l) => `${l}\n`).join(''));
}

export async function runTrain(flags: Flags): Promise<number> {
  const resume = strFlag(flags, 'resume');
  const out = resume ?? strFlag(flags, 'out', true)!;
  if (resume && strFlag(flags, 'out') !== undefined && strFlag(flags, 'out') !== resume) throw new UsageError('--resume DIR continues in DIR: leave out --out');
  const iters = intFlag(flags, 'iters');
  if (iters !== undefined && iters < 1) throw new UsageError('--iters must be ≥ 1');
  const backend = await initNodeBackend(backendFlag(flags));

  const plan = resume ? await startResume(resume, flags) : await startNew(flags);
  const outOfMemoryExit = (e: unknown): number => {
    console.error(`error: ${outOfMemoryMessage(plan.config, backend, backendMemoryLimits(backend as BackendName), e)}`);
    return 1;
  };
  let trainer: CycleGANTrainer;
  try {
    trainer = plan.build();
  } catch (e) {
    if (outOfMemory(e)) return outOfMemoryExit(e); // the weights alone do not fit
    throw e;
  }
  const { run } = plan;
  const config = trainer.config;
  const total = Math.min(iters ?? trainer.totalIters, trainer.totalIters); // --iters: the run's iteration to stop at
  let stop = false;
  const onStop = () => {
    stop = true;
  };
  for (const s of STOP_SIGNALS) process.on(s, onStop); // from here on, a stop saves first
  console.error(
    `training on ${backend}: ${trainer.data.A.length} A, ${trainer.data.B.length} B images; ` +
      `${config.cropSize}px, ngf ${config.ngf}, ${config.nBlocks} blocks, ndf ${config.ndf}; from ${plan.how}; ` +
      `${total} iterations (${trainer.itersPerEpoch} per epoch)`,
  );
  const logPath = join(out, LOSS_LOG_FILE);
  let unsaved: string[] = []; // log lines since the last save
  const save = async (t: CycleGANTrainer) => {
    const ck = await captureCheckpoint(t);
    ck.manifest.run = { ...run, savedAt: Date.now() };
    await writeFile(join(out, CHECKPOINT_FILE), encodeCheckpoint(ck));
    await appendFile(logPath, unsaved.join(''));
    unsaved = [];
  };
  const tty = process.stderr.isTTY;
  const t0 = performance.now();
  const first = trainer.iteration;
  let dead = false; // after running out of memory the backend may be unusable: leave the tensors to the exit
  try {
    await mkdir(out, { recursive: true });
    await writeFile(join(out, CONFIG_FILE), JSON.stringify(config, null, 2));
    await keepLogUpTo(logPath, trainer.iteration);
    while (trainer.iteration < total && !stop) {
      const t = performance.now();
      const r = await trainer.step();
      const ms = performance.now() - t;
      const line: Record<string, number> = { iter: r.iter, epoch: r.epoch, lr: r.lr, ...r.losses, ms: Math.round(ms * 10) / 10 };
      unsaved.push(JSON.stringify(line) + '\n');
      const rate = (trainer.iteration - first) / ((performance.now() - t0) / 1000);
      const status = `iter ${r.iter}/${total}  epoch ${r.epoch}  ${rate.toFixed(2)} it/s  ETA ${fmtTime((total - r.iter) / rate)}  ` +
        LOSS_NAMES.map((n) => `${n} ${r.losses[n].toFixed(3)}`).join(' ');
      if (tty) process.stderr.write(`\r${status}\x1b[K`);
      else if (r.iter % 100 === 0 || r.iter === total) console.error(status);
      if (r.iter % SAVE_EVERY === 0) await save(trainer);
      // on wasm and cpu a step resolves in microtasks only, which would starve the event loop: without this turn a
      // Ctrl-C or SIGTERM would be heard only after the last iteration
      await new Promise((next) => setImmediate(next));
    }
    if (tty) process.stderr.write('\n');
    await save(trainer);
    console.error(`${stop ? 'interrupted; ' : ''}wrote ${join(out, CHECKPOINT_FILE)} and ${logPath} (${trainer.iteration} iterations)`);
  } catch (e) {
    if (!outOfMemory(e)) throw e;
    dead = true;
    if (tty) process.stderr.write('\n');
    return outOfMemoryExit(e);
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onStop);
    if (!dead) trainer.dispose();
  }
  return 0;
}
