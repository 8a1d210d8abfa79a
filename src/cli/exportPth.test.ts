/**
 * `export-pth`: a CLI run's checkpoint → the official trainer's layout (four .pth with the run's weights, the
 * image files it trained on, the README's command), as a zip and as a folder; a NOTE when the images changed;
 * and, where PyTorch is installed, the four files loaded strictly into the reference networks.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorOf } from '../io/checkpoint';
import { decodeCheckpoint } from '../io/checkpointFile';
import { encodePng } from '../io/decodeNode';
import { importDiscriminator } from '../io/pth/discriminator';
import { toTfjsLayout } from '../io/pth/layout';
import { importGenerator } from '../io/pth/pth';
import { NET_NAMES, netSpecs } from '../model/cyclegan';
import { syntheticImage } from '../testing/synthetic';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let root = '';
const image = (seed: number) => encodePng(syntheticImage('x', 24, 20, seed));
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cgs-export-pth-'));
  mkdirSync(join(root, 'apples', 'more'), { recursive: true });
  mkdirSync(join(root, 'oranges'));
  writeFileSync(join(root, 'apples', 'a0.png'), image(1));
  writeFileSync(join(root, 'apples', 'more', 'a1.png'), image(2));
  writeFileSync(join(root, 'apples', 'noext'), image(3)); // we read it by its bytes; the official dataset needs an extension
  writeFileSync(join(root, 'apples', 'notes.txt'), 'skipped by train, so not exported');
  writeFileSync(join(root, 'oranges', 'b0.png'), image(4));
  writeFileSync(join(root, 'oranges', 'b1.png'), image(5));
  const r = await cli(['train', '--a', join(root, 'apples'), '--b', join(root, 'oranges'), '--size', '16', '--ngf', '4', '--n-blocks', '1', '--ndf', '4',
    '--n-layers-d', '2', '--n-epochs', '2', '--n-epochs-decay', '1', '--iters', '4', '--out', join(root, 'run')]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run cli -- export-pth', () => {
  it('--out X.zip: the run\'s weights as the four .pth, the files it trained on, the command with --epoch_count 2', async () => {
    const r = await cli(['export-pth', '--checkpoint', join(root, 'run'), '--out', join(root, 'x.zip')]);
    expect(r.code, r.stderr).toBe(0);
    const files = unzipSync(new Uint8Array(readFileSync(join(root, 'x.zip'))));
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      ...NET_NAMES.map((n) => `checkpoints/apples2oranges/latest_net_${n}.pth`).sort(),
      'datasets/apples2oranges/trainA/a0.png', 'datasets/apples2oranges/trainA/more/a1.png', 'datasets/apples2oranges/trainA/noext.png',
      'datasets/apples2oranges/trainB/b0.png', 'datasets/apples2oranges/trainB/b1.png',
    ]);
    expect(Buffer.from(files['datasets/apples2oranges/trainA/noext.png']).equals(readFileSync(join(root, 'apples', 'noext')))).toBe(true);
    const ck = decodeCheckpoint(new Uint8Array(readFileSync(join(root, 'run', 'latest.ckpt'))));
    for (const net of NET_NAMES) {
      const bytes = files[`checkpoints/apples2oranges/latest_net_${net}.pth`];
      const read = net.startsWith('G') ? importGenerator(bytes) : importDiscriminator(bytes);
      for (const s of netSpecs(net, ck.manifest.config)) expect(toTfjsLayout(read.weights.get(s.key)!).data, `${net} ${s.key}`).toEqual(tensorOf(ck, `${net}/${s.key}`, s.shape));
    }
    const readme = strFromU8(files['README.md']);
    // 4 iterations of 3 per epoch: epoch 1 done, 1 iteration into epoch 2
    expect(readme).toContain('python train.py --dataroot ./datasets/apples2oranges --name apples2oranges --model cycle_gan --continue_train --epoch latest --epoch_count 2 --n_epochs 2 --n_epochs_decay 1 --netG resnet_1blocks --ngf 4 --ndf 4 --netD n_layers --n_layers_D 2 --load_size 18 --crop_size 16 ');
    expect(readme).toContain('the 3 A images the run trained on');
  });

  it('--out DIR --name NAME: the same as a folder', async () => {
    const out = join(root, 'folder');
    const r = await cli(['export-pth', '--checkpoint', join(root, 'run', 'latest.ckpt'), '--out', out, '--name', 'h2z']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'checkpoints/h2z/latest_net_G_B.pth')).subarray(0, 2).toString()).toBe('PK');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('--dataroot ./datasets/h2z --name h2z');
  });

  it('a folder that no longer holds the pictures: a NOTE instead of the images', async () => {
    const copy = join(root, 'changed');
    mkdirSync(copy);
    writeFileSync(join(copy, 'c.png'), image(9));
    const r = await cli(['export-pth', '--checkpoint', join(root, 'run'), '--out', join(root, 'changed.zip'), '--a', copy]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: ${copy} no longer holds the 3 A images the run trained on (1 image there now, other pictures)`);
    const files = unzipSync(new Uint8Array(readFileSync(join(root, 'changed.zip'))));
    expect(strFromU8(files['datasets/apples2oranges/NOTE.txt'])).toContain('The training images are not in this export');
    expect(Object.keys(files).some((n) => n.includes('trainA'))).toBe(false);
  });

  const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  it.runIf(hasTorch)('live: PyTorch loads the exported four strictly into the reference networks (scripts/check_pth_export.py)', () => {
    const dir = join(root, 'folder', 'checkpoints', 'h2z');
    const g = { kind: 'generator', options: { inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 1 } };
    const d = { kind: 'discriminator', options: { inputNc: 3, ndf: 4, nLayers: 2 } };
    writeFileSync(join(dir, 'nets.json'), JSON.stringify({ latest_net_G_A: g, latest_net_G_B: g, latest_net_D_A: d, latest_net_D_B: d }));
    const log = execFileSync('/usr/bin/python3', [join(ROOT, 'scripts/check_pth_export.py'), dir], { encoding: 'utf8' });
    for (const n of NET_NAMES) expect(log).toContain(`latest_net_${n}.pth: torch.load + strict load_state_dict OK`);
  });
});
