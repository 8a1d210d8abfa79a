/**
 * cyclegan-studio command line (a public interface: keep commands and flags stable).
 *   train     --a DIR_A --b DIR_B --out DIR [--iters N --backend wasm|cpu|webgpu --from-pth DIR] [a flag per config field]
 *   train     --resume DIR [--iters N] [live settings: --lr, --lambda-a, …]
 *   translate --model DIR --direction AtoB|BtoA --input IMG --output OUT.png [--max-side 1024] [--backend wasm|cpu|webgpu]
 *   params    [--ngf 64 --blocks 9 --ndf 64 --n-layers 3 --nc 3]
 *   import-pth --input FILE.pth --out DIR [--direction AtoB|BtoA]
 *   export    --checkpoint DIR/latest.ckpt --out OUT.zip|DIR
 *   export-pth --checkpoint DIR/latest.ckpt --out OUT.zip|DIR [--name NAME] [--a DIR_A --b DIR_B]
 */
import { parseArgs } from 'node:util';
import { flagName } from '../config';
import { LIVE_KEYS } from '../config';
import { configFlagUsage, configFlagOptions } from './configFlags';
import { UsageError } from './errors';
import { runExport } from './export';
import { runExportPth } from './exportPth';
import { runImportPth } from './importPth';
import { runParams } from './params';
import { runTrain } from './train';
import { runTranslate } from './translate';

const USAGE = `usage:
  npm run cli -- train --a DIR_A --b DIR_B --out DIR [--iters N] [--backend wasm|cpu|webgpu] [--size S]
                 [--from-pth CHECKPOINTS_DIR]   (start from the official trainer's latest_net_{G_A,G_B,D_A,D_B}.pth)
                 and any setting, with its default (--size S: crop S, load S·286/256; also --blocks, --epochs,
                 --decay-epochs, --pool for --n-blocks, --n-epochs, --n-epochs-decay, --pool-size); it saves
                 DIR/latest.ckpt every 5000 iterations, at the end, and on Ctrl-C or SIGTERM:
${configFlagUsage()}
  npm run cli -- train --resume DIR [--iters N] [${[...LIVE_KEYS].map((k) => `--${flagName(k)} X`).join(' ')}]
                 (continue DIR's run exactly, on the folders it records; only those settings may change)
  npm run cli -- translate --model DIR --direction AtoB|BtoA --input IMG --output OUT.png [--max-side 1024]
                 [--backend wasm|cpu|webgpu]
                 (--direction defaults to the generator's own for a directory written by import-pth;
                  the image keeps its size rounded to multiples of 4, its longer side bounded to --max-side, 0: none)
  npm run cli -- params [--ngf 64] [--blocks 9] [--ndf 64] [--n-layers 3] [--nc 3]
  npm run cli -- import-pth --input latest_net_G_A.pth --out DIR [--direction AtoB|BtoA]
                 (an official PyTorch CycleGAN generator; G_A is AtoB, G_B is BtoA; writes a tfjs graph model too)
  npm run cli -- export --checkpoint DIR/latest.ckpt --out OUT.zip|DIR
                 (both generators and discriminators as tfjs graph models, README + snippet, as a zip or a folder)
  npm run cli -- export-pth --checkpoint DIR/latest.ckpt --out OUT.zip|DIR [--name NAME] [--a DIR_A --b DIR_B]
                 (for the official PyTorch trainer: checkpoints/NAME/latest_net_*.pth, datasets/NAME/trainA|trainB,
                  README.md with the train.py --continue_train command)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      a: { type: 'string' }, b: { type: 'string' }, out: { type: 'string' },
      ...configFlagOptions(), // --ngf, --ndf, --seed, --lr, --load-size, … (one per config field) and --size, --blocks, …
      'n-layers': { type: 'string' }, nc: { type: 'string' },
      iters: { type: 'string' }, backend: { type: 'string' }, resume: { type: 'string' }, 'from-pth': { type: 'string' }, name: { type: 'string' },
      model: { type: 'string' }, checkpoint: { type: 'string' }, direction: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, 'max-side': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'train':
      return runTrain(values);
    case 'translate':
      return runTranslate(values);
    case 'params':
      return runParams(values);
    case 'import-pth':
      return runImportPth(values);
    case 'export':
      return runExport(values);
    case 'export-pth':
      return runExportPth(values);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`error: ${e.message}`);
    if (e.name === 'UsageError' || e.name === 'TypeError') console.error(USAGE);
    process.exit(e.name === 'UsageError' || (e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1);
  },
);
