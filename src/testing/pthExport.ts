/**
 * The networks of the .pth export fixtures (fixtures/pth-export/): tiny, with reproducible weights, each written
 * by our .pth writer and then loaded and run by PyTorch (scripts/check_pth_export.py). Shared by the script that
 * writes the files (scripts/writePthExport.ts) and the test that checks them (src/io/pth/writePth.test.ts), so
 * both describe the same bytes.
 */
import { discriminatorSpecs, type DiscriminatorOptions } from '../model/discriminator';
import { generatorSpecs, type GeneratorOptions } from '../model/generator';
import type { ParamSpec } from '../model/params';
import { networkToPth } from '../io/pth/writePth';
import { Rng } from '../rng';

export type ExportFixture =
  | { name: string; kind: 'generator'; options: GeneratorOptions; seed: number }
  | { name: string; kind: 'discriminator'; options: DiscriminatorOptions; seed: number };

/** The four networks of a run (ngf 4, 2 blocks, ndf 4, 3 layers) as the export names them, and a grayscale pair. */
export const EXPORT_FIXTURES: ExportFixture[] = [
  { name: 'latest_net_G_A', kind: 'generator', options: { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2 }, seed: 1 },
  { name: 'latest_net_G_B', kind: 'generator', options: { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2 }, seed: 2 },
  { name: 'latest_net_D_A', kind: 'discriminator', options: { inputNc: 3, ndf: 4, nLayers: 3 }, seed: 3 },
  { name: 'latest_net_D_B', kind: 'discriminator', options: { inputNc: 3, ndf: 4, nLayers: 3 }, seed: 4 },
  { name: 'gray_G', kind: 'generator', options: { inputNc: 1, outputNc: 1, ngf: 4, nBlocks: 1 }, seed: 5 },
  { name: 'gray_D_2layers', kind: 'discriminator', options: { inputNc: 1, ndf: 4, nLayers: 2 }, seed: 6 },
];

/** The side of the fixtures' square input images. */
export const EXPORT_FIXTURE_SIDE = 32;

export function fixtureSpecs(f: ExportFixture): ParamSpec[] {
  return f.kind === 'generator' ? generatorSpecs(f.options) : discriminatorSpecs(f.options);
}

/** Weights ~ N(0, 0.2) and biases ~ N(0, 0.1) in tfjs layout: non-zero biases, so a mixed-up bias shows. */
export function fixtureWeights(f: ExportFixture): Map<string, Float32Array> {
  const rng = new Rng(f.seed);
  return new Map(
    fixtureSpecs(f).map((s) => {
      const data = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * (s.kind === 'bias' ? 0.1 : 0.2);
      return [s.key, data];
    }),
  );
}

export function fixturePth(f: ExportFixture): Uint8Array {
  return networkToPth(fixtureSpecs(f), fixtureWeights(f));
}

/** nets.json: what each file holds, for the PyTorch side to build the matching module. */
export function fixtureManifest(): string {
  return JSON.stringify(Object.fromEntries(EXPORT_FIXTURES.map((f) => [f.name, { kind: f.kind, options: f.options }])), null, 1);
}
