import { describe, expect, it } from 'vitest';
import { thumbStripLabel } from './ThumbStrip';

describe('thumbStripLabel', () => {
  it('names the domain and its image count', () => {
    expect(thumbStripLabel('A', 3, 3)).toBe('Domain A images (3)');
  });
  it('says when the strip holds only the first few of the images', () => {
    expect(thumbStripLabel('B', 12, 40)).toBe('Domain B images (12 of 40 shown)');
  });
});
