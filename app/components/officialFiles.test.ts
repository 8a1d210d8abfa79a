/** Which dropped files continue a PyTorch run, which are its losses, and which go on to Translate. */
import { describe, expect, it } from 'vitest';
import { splitOfficialDrop } from './officialFiles';

const f = (name: string) => new File([new Uint8Array(1)], name);
const latest = ['G_A', 'G_B', 'D_A', 'D_B'].map((n) => f(`horse2zebra/latest_net_${n}.pth`));

describe('splitOfficialDrop', () => {
  it('a checkpoint folder: the four latest networks and loss_log.txt; epoch snapshots, opt.txt and web/ are left out', () => {
    const log = f('horse2zebra/loss_log.txt');
    const r = splitOfficialDrop([...latest, f('horse2zebra/5_net_G_A.pth'), f('horse2zebra/opt.txt'), f('horse2zebra/web/images/epoch001_real_A.png'), log]);
    expect(r).toEqual({ networks: latest, lossLog: log, rest: [] });
  });

  it('a lone generator stays a generator for Translate; a lone loss_log.txt is only losses', () => {
    const g = f('latest_net_G_A.pth');
    expect(splitOfficialDrop([g, f('photo.png')])).toEqual({ networks: null, lossLog: null, rest: [g, expect.objectContaining({ name: 'photo.png' })] });
    const log = f('loss_log.txt');
    expect(splitOfficialDrop([log])).toEqual({ networks: null, lossLog: log, rest: [] });
  });

  it('three of the four, or one of them twice, is not a run', () => {
    expect(splitOfficialDrop(latest.slice(0, 3)).networks).toBeNull();
    expect(splitOfficialDrop([...latest, f('other/latest_net_G_A.pth')]).networks).toBeNull();
  });
});
