/** Four official .pth files into a run's networks: loaded exactly, checked against the config, and against each other. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../config';
import { CycleGAN, NET_NAMES, type NetName } from '../../model/cyclegan';
import { Rng } from '../../rng';
import { EXPORT_FIXTURES, fixturePth, fixtureWeights } from '../../testing/pthExport';
import { loadOfficialNetworks, PthMismatchError, readOfficialNetworks } from './fromPth';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** latest_net_{G_A,G_B,D_A,D_B}: ngf 4, 2 blocks, ndf 4, 3 layers. */
const run = EXPORT_FIXTURES.slice(0, 4);
const files = Object.fromEntries(run.map((f, i) => [NET_NAMES[i], fixturePth(f)])) as Record<NetName, Uint8Array>;
const config = makeConfig({ ngf: 4, nBlocks: 2, ndf: 4, nLayersD: 3 });

describe('readOfficialNetworks + loadOfficialNetworks', () => {
  it('puts each file\'s weights into its network, exactly, and leaks nothing', async () => {
    const models = new CycleGAN(config, new Rng(1));
    const before = tf.memory().numTensors;
    loadOfficialNetworks(models, readOfficialNetworks(files, config), config);
    expect(tf.memory().numTensors).toBe(before);
    run.forEach((f, i) => {
      const want = fixtureWeights(f);
      for (const [k, v] of models.params(NET_NAMES[i])) expect(v.dataSync(), `${NET_NAMES[i]} ${k}`).toEqual(want.get(k));
    });
    models.dispose();
  });

  it('files of other networks than the config builds: one error with every setting they need', () => {
    const read = () => readOfficialNetworks(files, makeConfig({}));
    expect(read).toThrow(PthMismatchError);
    expect(read).toThrow("the PyTorch networks have ngf 4, nBlocks 2, ndf 4, but the run's config has ngf 64, nBlocks 9, ndf 64");
    try {
      read();
    } catch (e) {
      expect((e as PthMismatchError).need).toEqual({ ngf: 4, nBlocks: 2, ndf: 4 });
    }
  });

  it('networks of two runs, a swapped file and a broken file are refused by file name', () => {
    const gray = EXPORT_FIXTURES.find((f) => f.name === 'gray_G')!;
    expect(() => readOfficialNetworks({ ...files, G_B: fixturePth(gray) }, config)).toThrow(/^latest_net_G_B\.pth has inputNc 1, but latest_net_G_A\.pth has inputNc 3: not the networks of one run$/);
    expect(() => readOfficialNetworks({ ...files, G_A: files.D_A }, config, { G_A: '200_net_G_A.pth' })).toThrow(/^200_net_G_A\.pth: this is an NLayerDiscriminator/);
    expect(() => readOfficialNetworks({ ...files, D_B: files.G_B }, config)).toThrow(/^latest_net_D_B\.pth: this is a ResnetGenerator state_dict/);
    expect(() => readOfficialNetworks({ ...files, D_A: files.D_A.subarray(0, 500) }, config)).toThrow(/^latest_net_D_A\.pth: the \.pth zip archive is corrupt/);
  });
});
