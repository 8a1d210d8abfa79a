/**
 * `translate`: one image through a generator. The model directory is one written by `train --out`
 * (a training checkpoint: G_A for AtoB, G_B for BtoA), by `export --out DIR` or the studio's Export, unzipped
 * (G_A_AtoB/ and G_B_BtoA/ graph models) — or that Export's .zip itself, read by the studio's own importer —, or one holding a single generator — from `import-pth`, or one
 * exported model folder — that translates only its own direction, which is also the default. The image is
 * translated at its own size rounded to multiples of 4 (--preprocess none), its longer side first bounded to
 * --max-side (default 1024; 0: no bound).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { initNodeBackend } from '../backend/node';
import { readGeneratorFiles } from '../engine/importGenerator';
import { loadNetWeights } from '../io/checkpoint';
import { decodeCheckpoint } from '../io/checkpointFile';
import { encodePng, loadImageFile } from '../io/decodeNode';
import { WEIGHTS_FILE } from '../io/export/graphDef';
import { generatorFromGraphModel } from '../io/export/readGraph';
import { MODEL_DIRS } from '../io/export/snippet';
import { GENERATOR_BIN, GENERATOR_JSON, loadGeneratorFiles } from '../io/pth/generatorFile';
import { translate, TRANSLATE_MAX_SIDE } from '../io/translate';
import { ResnetGenerator } from '../model/generator';
import { disposeParams } from '../model/params';
import { Rng } from '../rng';
import { backendFlag, intFlag, strFlag, type Flags } from './args';
import { UsageError } from './errors';
import { CHECKPOINT_FILE } from './trainStart';

export async function runTranslate(flags: Flags): Promise<number> {
  const dir = strFlag(flags, 'model', true)!;
  let direction = strFlag(flags, 'direction');
  if (direction !== undefined && direction !== 'AtoB' && direction !== 'BtoA') throw new UsageError(`--direction must be AtoB or BtoA; got '${direction}'`);
  const input = strFlag(flags, 'input', true)!;
  const output = strFlag(flags, 'output', true)!;
  const maxSide = intFlag(flags, 'max-side') ?? TRANSLATE_MAX_SIDE;
  if (maxSide < 0) throw new UsageError(`--max-side must be ≥ 0 (0: no bound); got ${maxSide}`);
  const zip = /\.zip$/i.test(dir); // the studio's Export, as downloaded
  const imported = !zip && existsSync(join(dir, GENERATOR_JSON));
  const single = imported || (!zip && existsSync(join(dir, 'model.json'))); // one generator, one direction
  if (!single && !zip && direction === undefined) throw new UsageError('--direction is required');
  const exported = !single && existsSync(join(dir, MODEL_DIRS.G_A, 'model.json'));
  await initNodeBackend(backendFlag(flags));

  let g: ResnetGenerator;
  if (zip) {
    if (!existsSync(dir)) throw new UsageError(`no file at ${dir}`);
    const r = await readGeneratorFiles([new File([await readFile(dir)], basename(dir))]); // as a drop on the Translate panel
    if (r.pair && direction === undefined) throw new UsageError(`--direction is required: ${dir} holds both generators (AtoB: G_A, BtoA: G_B)`);
    if (!r.pair && direction !== undefined && direction !== r.direction) throw new UsageError(`${dir} holds one generator that translates ${r.direction} only`);
    direction = r.pair ? direction! : r.direction;
    const gs = r.build();
    g = gs[direction as 'AtoB' | 'BtoA']!;
    for (const other of Object.values(gs)) if (other !== g) disposeParams(other.params);
  } else if (!imported && (single || exported)) {
    const d = single ? dir : join(dir, direction === 'AtoB' ? MODEL_DIRS.G_A : MODEL_DIRS.G_B);
    const r = generatorFromGraphModel(await readFile(join(d, 'model.json'), 'utf8'), new Uint8Array(await readFile(join(d, WEIGHTS_FILE))), join(d, 'model.json'));
    if (direction !== undefined && r.direction !== undefined && direction !== r.direction) {
      disposeParams(r.generator.params);
      throw new UsageError(`${d} holds one generator that translates ${r.direction} only; for ${direction}, use the other direction's folder`);
    }
    direction = direction ?? r.direction ?? 'AtoB';
    g = r.generator;
  } else if (imported) {
    const json = await readFile(join(dir, GENERATOR_JSON), 'utf8');
    const { generator, manifest } = loadGeneratorFiles(json, new Uint8Array(await readFile(join(dir, GENERATOR_BIN))));
    if (direction !== undefined && direction !== manifest.direction) {
      disposeParams(generator.params);
      throw new UsageError(
        `${dir} holds one imported generator (${manifest.source ?? 'a .pth'}) that translates ${manifest.direction} only; ` +
          `for ${direction}, import the other generator (latest_net_G_${direction === 'AtoB' ? 'A' : 'B'}.pth) into its own directory`,
      );
    }
    direction = manifest.direction;
    g = generator;
  } else {
    const ck = decodeCheckpoint(new Uint8Array(await readFile(join(dir, CHECKPOINT_FILE))));
    const c = ck.manifest.config;
    g = new ResnetGenerator({ inputNc: c.inputNc, outputNc: c.inputNc, ngf: c.ngf, nBlocks: c.nBlocks }, new Rng(0), c.initGain);
    try {
      loadNetWeights(ck, direction === 'AtoB' ? 'G_A' : 'G_B', g.params);
    } catch (e) {
      disposeParams(g.params);
      throw e;
    }
  }
  try {
    const img = await loadImageFile(input);
    const { output: out } = await translate(g, img, maxSide); // the studio's Translate panel runs this same function
    await writeFile(output, encodePng(out));
    const resized = out.width !== img.width || out.height !== img.height ? ` from ${img.width}×${img.height}` : '';
    console.error(`wrote ${output} (${out.width}×${out.height}${resized}, ${direction})`);
  } finally {
    disposeParams(g.params);
  }
  return 0;
}
