/** `params`: the parameter counts of the networks for a configuration (no weights are allocated). */
import { discriminatorSpecs } from '../model/discriminator';
import { generatorSpecs } from '../model/generator';
import { countParams } from '../model/params';
import { intFlag, type Flags } from './args';

export function runParams(flags: Flags): number {
  const ngf = intFlag(flags, 'ngf') ?? 64;
  const nBlocks = intFlag(flags, 'blocks') ?? 9;
  const ndf = intFlag(flags, 'ndf') ?? 64;
  const nLayers = intFlag(flags, 'n-layers') ?? 3;
  const nc = intFlag(flags, 'nc') ?? 3;
  const g = countParams(generatorSpecs({ inputNc: nc, outputNc: nc, ngf, nBlocks }));
  const d = countParams(discriminatorSpecs({ inputNc: nc, ndf, nLayers }));
  const fmt = (n: number) => n.toLocaleString('en-US');
  console.log(`G (ngf ${ngf}, ${nBlocks} blocks): ${fmt(g)}  ×2 (G_A, G_B)`);
  console.log(`D (ndf ${ndf}, ${nLayers} layers): ${fmt(d)}  ×2 (D_A, D_B)`);
  console.log(`total: ${fmt(2 * g + 2 * d)}`);
  return 0;
}
