/** The README.md of an export for the official PyTorch trainer: what is in it, the command, what restarts, and the way back. */
import { configFlags } from '../../config';
import { lastEpoch, lrFactor } from '../../train/schedule';
import { continueCommand, epochsDone, OFFICIAL_BLOCKS, whatRestarts, type RunPosition } from './continueRun';

export interface ReadmeInput extends RunPosition {
  name: string;
  /** Images in datasets/NAME/trainA and trainB, or null when they are not in the export (then `imagesNote` says why). */
  images: { A: number; B: number } | null;
  imagesNote?: string;
  sources?: { A?: string; B?: string };
}

export function pytorchReadme(r: ReadmeInput): string {
  const c = r.config;
  const { epochs, into } = epochsDone(r);
  const next = epochs + 1;
  const cmd = continueCommand(r, r.name);
  const where = `${epochs} of ${lastEpoch(c)} epochs done${into === 0 ? '' : `, and ${into} iterations into epoch ${next}`}`;
  const a = r.sources?.A ? ` (${r.sources.A})` : '';
  const b = r.sources?.B ? ` (${r.sources.B})` : '';
  const data = r.images
    ? `| \`datasets/${r.name}/trainA/\` | the ${r.images.A} A images the run trained on${a} |\n| \`datasets/${r.name}/trainB/\` | the ${r.images.B} B images${b} |`
    : `| \`datasets/${r.name}/NOTE.txt\` | the training images are not included: ${r.imagesNote ?? 'not available'} |`;
  const blocks = OFFICIAL_BLOCKS.includes(c.nBlocks)
    ? ''
    : `\nThe official \`models/networks.py\` defines only \`resnet_6blocks\` and \`resnet_9blocks\`; for this run's ${c.nBlocks} blocks add
two lines to its \`define_G\`, beside the others:

\`\`\`python
    elif netG == 'resnet_${c.nBlocks}blocks':
        net = ResnetGenerator(input_nc, output_nc, ngf, norm_layer=norm_layer, use_dropout=use_dropout, n_blocks=${c.nBlocks})
\`\`\`
`;
  return `# Continue \`${r.name}\` on the official PyTorch CycleGAN

Exported by CycleGAN Studio after ${r.iteration} iterations: ${where} (${r.itersPerEpoch} iterations per epoch, the
larger domain's image count). The four networks are in PyTorch's own \`torch.save\` format with the official
state_dict keys, so [pytorch-CycleGAN-and-pix2pix](https://github.com/junyanz/pytorch-CycleGAN-and-pix2pix)'s
\`train.py --continue_train\` loads them as its own \`latest\` checkpoint.

| path | what |
|---|---|
| \`checkpoints/${r.name}/latest_net_G_A.pth\` | G_A: A → B (ResnetGenerator, ngf ${c.ngf}, ${c.nBlocks} blocks) |
| \`checkpoints/${r.name}/latest_net_G_B.pth\` | G_B: B → A |
| \`checkpoints/${r.name}/latest_net_D_A.pth\` | D_A: judges B images (NLayerDiscriminator, ndf ${c.ndf}, ${c.nLayersD} layers) |
| \`checkpoints/${r.name}/latest_net_D_B.pth\` | D_B: judges A images |
${data}

## Continue training (on GPUs)

\`\`\`sh
git clone https://github.com/junyanz/pytorch-CycleGAN-and-pix2pix && cd pytorch-CycleGAN-and-pix2pix
pip install -r requirements.txt
unzip /path/to/this.zip 'checkpoints/*' 'datasets/*'     # or copy the two folders here
${cmd}
\`\`\`
${blocks}
Every setting is the run's own. \`--epoch_count ${next}\` numbers the epochs on from ours, and the linear lr schedule
counts from it: epoch ${next} trains at lr × ${lrFactor(next, c).toPrecision(4)}, as it would have here. \`--gpu_ids 0\` is the first GPU
(\`-1\`: the CPU). Without a visdom server, add \`--display_id 0\`. The trainer saves \`checkpoints/${r.name}/latest_net_*.pth\`
every 5000 iterations and at the end of every 5th epoch, and appends its losses to \`checkpoints/${r.name}/loss_log.txt\`.

## What starts afresh

${whatRestarts(r).map((s) => `- ${s}`).join('\n')}

## Bring the result back

\`\`\`sh
# go on training in CycleGAN Studio's command line, from the four networks PyTorch saved (fresh Adam, as above):
npm run cli -- train --from-pth checkpoints/${r.name} --a datasets/${r.name}/trainA --b datasets/${r.name}/trainB --out RUN \\
  ${[...configFlags(c, ['epochCount']), '--epoch-count N'].join(' ')}   # N: the official run's next epoch
# or translate with one generator:
npm run cli -- import-pth --input checkpoints/${r.name}/latest_net_G_A.pth --out G_A
\`\`\`

\`checkpoints/${r.name}/loss_log.txt\` reads into the studio's loss points (\`parseLossLog\`, src/io/official/lossLog.ts).
`;
}
