/**
 * Reading our own exported generator back: model.json (+ weights) written by Export, `export` or `import-pth`
 * → a ResnetGenerator holding its weights (they are named by state_dict key), so `translate --model` runs an
 * export through the same code as the studio. Any other graph model is refused with the reason.
 */
import * as tf from '@tensorflow/tfjs';
import { ResnetGenerator, type GeneratorOptions } from '../../model/generator';
import { disposeParams } from '../../model/params';
import { Rng } from '../../rng';

export type Direction = 'AtoB' | 'BtoA';

export class GraphModelError extends Error {
  override name = 'GraphModelError';
}

interface Meta {
  network?: string;
  options?: GeneratorOptions;
  net?: string;
  direction?: Direction;
}

export function generatorFromGraphModel(modelJson: string, weights: Uint8Array, what = 'model.json'): { generator: ResnetGenerator; direction?: Direction } {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(modelJson);
  } catch {
    throw new GraphModelError(`${what} is not valid JSON`);
  }
  const meta = (json.userDefinedMetadata ?? {}) as Meta;
  if (json.format !== 'graph-model' || meta.network !== 'ResnetGenerator' || !meta.options)
    throw new GraphModelError(`${what} is not a CycleGAN Studio generator export (${meta.network ?? 'no userDefinedMetadata.network'})`);
  const specs = (json.weightsManifest ?? []).flatMap((g) => g.weights);
  const need = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (weights.byteLength < need) throw new GraphModelError(`${what}: the weights file is truncated (${weights.byteLength} of ${need} bytes)`);
  const generator = new ResnetGenerator(meta.options, new Rng(0));
  const map = tf.io.decodeWeights(weights.slice().buffer, specs);
  try {
    for (const [k, v] of generator.params) {
      const w = map[k];
      if (!w) throw new GraphModelError(`${what} has no weight ${k}`);
      if (w.shape.join(',') !== v.shape.join(',')) throw new GraphModelError(`${what}: ${k} is [${w.shape}], the generator needs [${v.shape}]`);
      v.assign(w);
    }
  } catch (e) {
    disposeParams(generator.params);
    throw e;
  } finally {
    tf.dispose(Object.values(map));
  }
  const direction = meta.direction ?? (meta.net === 'G_A' ? 'AtoB' : meta.net === 'G_B' ? 'BtoA' : undefined);
  return { generator, direction };
}
