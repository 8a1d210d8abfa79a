/**
 * Which dropped files are the official PyTorch trainer's: its checkpoint folder (checkpoints/NAME) holds
 * latest_net_{G_A,G_B,D_A,D_B}.pth — the run to continue — beside epoch snapshots (5_net_G_A.pth), opt.txt and
 * web/ pages, which are not imported or translated; loss_log.txt is its losses, alone or inside that folder.
 * A drop without all four latest files is left as it was (a lone .pth imports one generator for Translate).
 */
import { NET_NAMES } from '../../src/names';

export interface OfficialDrop {
  /** The four latest_net_*.pth, when all four are there. */
  networks: File[] | null;
  lossLog: File | null;
  /** Everything else, for Translate (nothing when the drop is a checkpoint folder). */
  rest: File[];
}

const base = (f: File) => f.name.replace(/^.*[\\/]/, '');
const LATEST = new Set(NET_NAMES.map((n) => `latest_net_${n}.pth`));

export function splitOfficialDrop(files: File[]): OfficialDrop {
  const lossLog = files.find((f) => base(f) === 'loss_log.txt') ?? null;
  const latest = files.filter((f) => LATEST.has(base(f)));
  const complete = new Set(latest.map(base)).size === LATEST.size && latest.length === LATEST.size;
  const rest = files.filter((f) => f !== lossLog);
  return { networks: complete ? latest : null, lossLog, rest: complete ? [] : rest };
}
