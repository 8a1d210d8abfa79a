/**
 * `import-pth`: a generator trained by the official PyTorch CycleGAN (latest_net_G_A.pth / latest_net_G_B.pth,
 * zip or legacy format) → a model directory that `translate --model DIR` uses: DIR/generator.json +
 * DIR/generator.bin (format in src/io/pth/generatorFile.ts), and the same generator as a tfjs graph model,
 * DIR/model.json + DIR/group1-shard1of1.bin, for tf.loadGraphModel (src/io/export/). The file is parsed, never executed.
 * The direction is the .pth's own (G_A: AtoB, G_B: BtoA, from the file name) unless --direction says otherwise.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { generatorSpecs } from '../model/generator';
import { countParams } from '../model/params';
import { directionFromFileName, encodeGeneratorFiles, GENERATOR_BIN, GENERATOR_JSON } from '../io/pth/generatorFile';
import { importGenerator, toTfjsLayout } from '../io/pth/pth';
import { graphModelFiles } from '../io/export/exportZip';
import { generatorGraph } from '../io/export/networkGraphs';
import { strFlag, type Flags } from './args';
import { UsageError } from './errors';

export async function runImportPth(flags: Flags): Promise<number> {
  const input = strFlag(flags, 'input', true)!;
  const out = strFlag(flags, 'out', true)!;
  const dirFlag = strFlag(flags, 'direction');
  if (dirFlag !== undefined && dirFlag !== 'AtoB' && dirFlag !== 'BtoA') throw new UsageError(`--direction must be AtoB or BtoA; got '${dirFlag}'`);
  const direction = dirFlag ?? directionFromFileName(basename(input));

  const imported = importGenerator(new Uint8Array(await readFile(input)));
  const { json, bin } = encodeGeneratorFiles(imported, direction, basename(input));
  await mkdir(out, { recursive: true });
  await writeFile(join(out, GENERATOR_BIN), bin);
  await writeFile(join(out, GENERATOR_JSON), json);
  const tfjsWeights = new Map(generatorSpecs(imported.options).map((s) => [s.key, toTfjsLayout(imported.weights.get(s.key)!).data]));
  const graph = graphModelFiles(generatorGraph(imported.options, tfjsWeights, { net: direction === 'AtoB' ? 'G_A' : 'G_B', direction, source: basename(input) }));
  for (const [name, bytes] of Object.entries(graph)) await writeFile(join(out, name), bytes);

  const o = imported.options;
  const n = countParams(generatorSpecs(o)).toLocaleString('en-US');
  console.error(`imported ResnetGenerator (input_nc ${o.inputNc}, output_nc ${o.outputNc}, ngf ${o.ngf}, ${o.nBlocks} blocks, ${n} parameters) from ${basename(input)}`);
  if (imported.prefix) console.error(`  stripped the nn.DataParallel prefix '${imported.prefix}'`);
  if (imported.dropped.length) console.error(`  dropped ${imported.dropped.length} InstanceNorm running-stat keys (as the official loader does)`);
  console.error(`wrote ${out} (${direction}): generator.json/.bin, and model.json + group1-shard1of1.bin (a tfjs graph model: tf.loadGraphModel)`);
  console.error(`  use: npm run cli -- translate --model ${out} --input IMG --output OUT.png`);
  return 0;
}
