/** The export for the official PyTorch trainer: its files, its .pth weights, the continue command and the README. */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../config';
import { NET_NAMES, netSpecs } from '../../model/cyclegan';
import { Rng } from '../../rng';
import { syntheticImage } from '../../testing/synthetic';
import { decodeImageBytes } from '../decodeNode';
import type { NetWeights } from '../export/weights';
import { encodePngBytes } from '../pngEncode';
import { importDiscriminator } from '../pth/discriminator';
import { toTfjsLayout } from '../pth/layout';
import { importGenerator } from '../pth/pth';
import { continueCommand, epochsDone, whatRestarts } from './continueRun';
import { experimentName, pytorchExportFiles, pytorchExportZip, type PyTorchExportInput } from './pytorchExport';

const config = makeConfig({ loadSize: 36, cropSize: 32, ngf: 4, nBlocks: 2, ndf: 4, nEpochs: 3, nEpochsDecay: 2, lambdaIdentity: 0.3, lr: 0.0001, poolSize: 5, seed: 9 });

function randomWeights(): NetWeights {
  const rng = new Rng(1);
  const net = (n: (typeof NET_NAMES)[number]) => new Map(netSpecs(n, config).map((s) => [s.key, Float32Array.from({ length: s.shape.reduce((a, b) => a * b, 1) }, () => rng.normal())]));
  return { G_A: net('G_A'), G_B: net('G_B'), D_A: net('D_A'), D_B: net('D_B') };
}

const png = (seed: number) => encodePngBytes(syntheticImage('x', 12, 8, seed));
const input = (over: Partial<PyTorchExportInput> = {}): PyTorchExportInput => ({
  name: 'apples2oranges', config, iteration: 7, itersPerEpoch: 3, weights: randomWeights(),
  images: { A: [{ path: 'a1.png', bytes: png(1) }, { path: 'sub/a2', bytes: png(2) }], B: [{ path: '../../b1.PNG', bytes: png(3) }] },
  sources: { A: '/data/apples', B: '/data/oranges' }, ...over,
});

describe('the export for the official trainer', () => {
  it('holds the four networks as .pth files whose weights are the run\'s, and the images where the official dataset reads them', () => {
    const inp = input();
    const files = pytorchExportFiles(inp);
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'checkpoints/apples2oranges/latest_net_D_A.pth', 'checkpoints/apples2oranges/latest_net_D_B.pth',
      'checkpoints/apples2oranges/latest_net_G_A.pth', 'checkpoints/apples2oranges/latest_net_G_B.pth',
      'datasets/apples2oranges/trainA/a1.png', 'datasets/apples2oranges/trainA/sub/a2.png', // no extension: the official reader would skip it
      'datasets/apples2oranges/trainB/b1.PNG', // no way out of the folder
    ]);
    for (const net of NET_NAMES) {
      const bytes = files[`checkpoints/apples2oranges/latest_net_${net}.pth`];
      const read = net.startsWith('G') ? importGenerator(bytes) : importDiscriminator(bytes);
      for (const s of netSpecs(net, config)) expect(toTfjsLayout(read.weights.get(s.key)!).data, `${net} ${s.key}`).toEqual(inp.weights[net].get(s.key));
    }
    expect(files['datasets/apples2oranges/trainA/a1.png']).toBe(inp.images!.A[0].bytes);
  });

  it('as a zip: the same files, the weights and images stored', () => {
    const { fileName, bytes } = pytorchExportZip(input());
    expect(fileName).toBe('apples2oranges-pytorch-iter7.zip');
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toHaveLength(8);
    expect(strFromU8(files['README.md'])).toContain('# Continue `apples2oranges` on the official PyTorch CycleGAN');
  });

  it('without images: a NOTE in their place says why and where to put them', () => {
    const files = pytorchExportFiles(input({ images: null, imagesNote: 'the run\'s data folders were not recorded' }));
    expect(strFromU8(files['datasets/apples2oranges/NOTE.txt'])).toMatch(/^The training images are not in this export: the run's data folders were not recorded\.\nPut the A images in datasets\/apples2oranges\/trainA .*\(the run trained on \/data\/apples and \/data\/oranges\)/);
    expect(strFromU8(files['README.md'])).toContain('the training images are not included: the run\'s data folders were not recorded');
  });

  it('names experiments as folders', () => {
    expect(experimentName('apples / oranges!')).toBe('apples_oranges');
    expect(experimentName('../..')).toBe('cyclegan_studio');
  });
});

describe('the command that continues the run', () => {
  it('after 7 iterations of 3 per epoch: epoch 2 is done, so --epoch_count 3, and every setting is the run\'s', () => {
    expect(epochsDone({ config, iteration: 7, itersPerEpoch: 3 })).toEqual({ epochs: 2, into: 1 });
    expect(continueCommand({ config, iteration: 7, itersPerEpoch: 3 }, 'apples2oranges')).toBe(
      'python train.py --dataroot ./datasets/apples2oranges --name apples2oranges --model cycle_gan --continue_train --epoch latest ' +
        '--epoch_count 3 --n_epochs 3 --n_epochs_decay 2 --netG resnet_2blocks --ngf 4 --ndf 4 --load_size 36 --crop_size 32 ' +
        '--lambda_A 10 --lambda_B 10 --lambda_identity 0.3 --lr 0.0001 --beta1 0.5 --pool_size 5 --gan_mode lsgan --gpu_ids 0',
    );
  });

  it('spells out the discriminator depth, grayscale, no flip and a run resumed at a later epoch', () => {
    const c = makeConfig({ nLayersD: 2, inputNc: 1, flip: false, epochCount: 5, ganMode: 'vanilla' });
    const cmd = continueCommand({ config: c, iteration: 10, itersPerEpoch: 4 }, 'x');
    expect(cmd).toContain('--epoch_count 7 '); // epochs 5 and 6 done in this run
    expect(cmd).toContain('--netG resnet_9blocks --ngf 64 --ndf 64 --netD n_layers --n_layers_D 2 --input_nc 1 --output_nc 1 --load_size 286 --crop_size 256 --no_flip ');
    expect(cmd).toContain('--gan_mode vanilla');
  });

  it('the README says what restarts, a mid-epoch stop, a block count the official code lacks, and a finished schedule', () => {
    const readme = strFromU8(pytorchExportFiles(input())['README.md']);
    expect(readme).toContain(continueCommand({ config, iteration: 7, itersPerEpoch: 3 }, 'apples2oranges'));
    expect(readme).toContain("Adam's moments and step counts");
    expect(readme).toContain('The image pools (5 past fakes');
    expect(readme).toContain('stopped 1 of 3 iterations into epoch 3');
    expect(readme).toContain("elif netG == 'resnet_2blocks':");
    expect(readme).toContain('epoch 3 trains at lr × 1.000');
    expect(readme).toContain('--from-pth checkpoints/apples2oranges');
    expect(whatRestarts({ config, iteration: 6, itersPerEpoch: 3 }).join(' ')).not.toContain('trained again');
    expect(whatRestarts({ config, iteration: 15, itersPerEpoch: 3 }).join(' ')).toContain('The schedule is finished (epoch 5 of 5)');
  });
});

describe('encodePngBytes', () => {
  it('writes a PNG our decoder reads back pixel for pixel (RGB and gray)', () => {
    const rgb = syntheticImage('p', 13, 7, 4);
    expect(decodeImageBytes('p.png', encodePngBytes(rgb)).data).toEqual(rgb.data);
    const gray = { ...rgb, channels: 1 as const, data: rgb.data.subarray(0, 13 * 7) };
    const back = decodeImageBytes('g.png', encodePngBytes(gray));
    expect(back.data.filter((_, i) => i % 3 === 0)).toEqual(gray.data);
  });
});
