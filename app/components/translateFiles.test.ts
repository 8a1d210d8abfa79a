import { describe, expect, it } from 'vitest';
import { groupModelFiles, outputName, splitDrop } from './translateFiles';

const f = (name: string) => new File(['x'], name);
const names = (groups: File[][]) => groups.map((g) => g.map((x) => x.name));

describe('Translate panel files', () => {
  it('splits a drop into generators to import (grouped) and images to translate', () => {
    const { models, images } = splitDrop([f('a.png'), f('latest_net_G_A.pth'), f('latest_net_G_B.pth'), f('b.jpg')]);
    expect(names(models)).toEqual([['latest_net_G_A.pth'], ['latest_net_G_B.pth']]);
    expect(images.map((x) => x.name)).toEqual(['a.png', 'b.jpg']);
  });

  it('an Export .zip dropped with images is one model to import (both generators), not an image', () => {
    const { models, images } = splitDrop([f('cyclegan-apples-oranges-iter40.zip'), f('a.png')]);
    expect(names(models)).toEqual([['cyclegan-apples-oranges-iter40.zip']]);
    expect(images.map((x) => x.name)).toEqual(['a.png']);
  });

  it('pairs generator.json with generator.bin, an exported model.json with its shard; an import-pth folder once', () => {
    expect(names(groupModelFiles([f('generator.bin'), f('generator.json')]))).toEqual([['generator.json', 'generator.bin']]);
    expect(names(groupModelFiles([f('model.json'), f('group1-shard1of1.bin')]))).toEqual([['model.json', 'group1-shard1of1.bin']]);
    expect(names(groupModelFiles([f('model.json'), f('group1-shard1of1.bin'), f('generator.json'), f('generator.bin')]))).toEqual([['generator.json', 'generator.bin']]);
    expect(names(groupModelFiles([f('a.json'), f('b.json'), f('c.bin')]))).toEqual([['a.json'], ['b.json'], ['c.bin']]); // the engine says why
  });

  it("names outputs after the reference's visuals", () => {
    expect(outputName('photos/horse 1.jpg', 'AtoB')).toBe('horse 1_fake_B.png');
    expect(outputName('zebra.png', 'BtoA')).toBe('zebra_fake_A.png');
  });
});
