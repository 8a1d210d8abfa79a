import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { NLayerDiscriminator, discriminatorSpecs, patchMapSize } from './discriminator';
import { generatorSpecs } from './generator';
import { countParams, disposeParams } from './params';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('parameter counts (the reference: pytorch-CycleGAN-and-pix2pix)', () => {
  it('ResnetGenerator ngf 64: 11,378,179 (9 blocks), 7,837,699 (6 blocks)', () => {
    expect(countParams(generatorSpecs({ inputNc: 3, outputNc: 3, ngf: 64, nBlocks: 9 }))).toBe(11_378_179);
    expect(countParams(generatorSpecs({ inputNc: 3, outputNc: 3, ngf: 64, nBlocks: 6 }))).toBe(7_837_699);
  });

  it('NLayerDiscriminator ndf 64, 3 layers: 2,764,737', () => {
    expect(countParams(discriminatorSpecs({ inputNc: 3, ndf: 64, nLayers: 3 }))).toBe(2_764_737);
  });

  it('keys are the reference state_dict keys (9 blocks: model.1, 4, 7, 10–18.conv_block.{1,5}, 19, 22, 26)', () => {
    const keys = generatorSpecs({ inputNc: 3, outputNc: 3, ngf: 64, nBlocks: 9 }).map((s) => s.key.replace(/\.(weight|bias)$/, ''));
    const blocks = Array.from({ length: 9 }, (_, b) => [`model.${10 + b}.conv_block.1`, `model.${10 + b}.conv_block.5`]).flat();
    expect([...new Set(keys)]).toEqual(['model.1', 'model.4', 'model.7', ...blocks, 'model.19', 'model.22', 'model.26']);
    const d = discriminatorSpecs({ inputNc: 3, ndf: 64, nLayers: 3 }).map((s) => s.key);
    expect(d).toEqual(['model.0', 'model.2', 'model.5', 'model.8', 'model.11'].flatMap((k) => [`${k}.weight`, `${k}.bias`]));
  });
});

describe('PatchGAN map size', () => {
  it('patchMapSize(n_layers 3, 256) is 30', () => {
    expect(patchMapSize({ inputNc: 3, ndf: 64, nLayers: 3 }, 256)).toBe(30);
  });

  it('a 256×256 input through a small-ndf discriminator gives a 30×30 map', () => {
    const d = new NLayerDiscriminator({ inputNc: 3, ndf: 2, nLayers: 3 }, new Rng(1));
    const x = tf.zeros([1, 256, 256, 3]) as tf.Tensor4D;
    const y = d.apply(x);
    expect(y.shape).toEqual([1, 30, 30, 1]);
    tf.dispose([x, y]);
    disposeParams(d.params);
  });
});
