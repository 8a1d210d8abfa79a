/**
 * cyclegan-studio command line (a public interface: keep commands and flags stable).
 *   train     --a DIR_A --b DIR_B --out DIR [--size 64 --ngf 32 --blocks 6 --ndf 32 --iters N --seed S --backend wasm|cpu|webgpu]
 *   translate --model DIR --direction AtoB|BtoA --input IMG --output OUT.png [--max-side 1024] [--backend wasm|cpu|webgpu]
 *   params    [--ngf 64 --blocks 9 --ndf 64 --n-layers 3 --nc 3]
 *   import-pth --input FILE.pth --out DIR [--direction AtoB|BtoA]
 *   export    --checkpoint DIR/latest.ckpt --out OUT.zip|DIR
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { runExport } from './export';
import { runImportPth } from './importPth';
import { runParams } from './params';
import { runTrain } from './train';
import { runTranslate } from './translate';

const USAGE = `usage:
  npm run cli -- train --a DIR_A --b DIR_B --out DIR [--size 64] [--ngf 32] [--blocks 6] [--ndf 32]
                 [--iters N] [--seed S] [--backend wasm|cpu|webgpu] [--epochs N] [--decay-epochs N]
                 [--lambda-identity X] [--gan-mode lsgan|vanilla] [--pool N]
  npm run cli -- translate --model DIR --direction AtoB|BtoA --input IMG --output OUT.png [--max-side 1024]
                 [--backend wasm|cpu|webgpu]
                 (--direction defaults to the generator's own for a directory written by import-pth;
                  the image keeps its size rounded to multiples of 4, its longer side bounded to --max-side, 0: none)
  npm run cli -- params [--ngf 64] [--blocks 9] [--ndf 64] [--n-layers 3] [--nc 3]
  npm run cli -- import-pth --input latest_net_G_A.pth --out DIR [--direction AtoB|BtoA]
                 (an official PyTorch CycleGAN generator; G_A is AtoB, G_B is BtoA; writes a tfjs graph model too)
  npm run cli -- export --checkpoint DIR/latest.ckpt --out OUT.zip|DIR
                 (both generators and discriminators as tfjs graph models, README + snippet, as a zip or a folder)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      a: { type: 'string' }, b: { type: 'string' }, out: { type: 'string' },
      size: { type: 'string' }, ngf: { type: 'string' }, blocks: { type: 'string' }, ndf: { type: 'string' },
      'n-layers': { type: 'string' }, nc: { type: 'string' },
      iters: { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' },
      epochs: { type: 'string' }, 'decay-epochs': { type: 'string' }, 'lambda-identity': { type: 'string' },
      'gan-mode': { type: 'string' }, pool: { type: 'string' },
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
