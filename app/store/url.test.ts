import { describe, expect, it } from 'vitest';
import { URL_DEFAULTS, format, parse } from './url';

describe('url parse/format', () => {
  it('parses both parameters, with or without the leading ?', () => {
    expect(parse('?backend=wasm&preset=paper')).toEqual({ state: { backend: 'wasm', preset: 'paper' }, problems: [] });
    expect(parse('preset=standard').state).toEqual({ backend: 'auto', preset: 'standard' });
  });

  it('falls back to defaults on an empty query', () => {
    expect(parse('')).toEqual({ state: URL_DEFAULTS, problems: [] });
  });

  it('reports unknown values instead of silently dropping them', () => {
    const { state, problems } = parse('?backend=cuda&preset=huge');
    expect(state).toEqual(URL_DEFAULTS);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/backend=cuda/);
    expect(problems[0]).toMatch(/webgpu/);
    expect(problems[1]).toMatch(/preset=huge/);
  });

  it('is tolerant of case and spaces', () => {
    expect(parse('?backend=%20WebGPU%20').state.backend).toBe('webgpu');
  });

  it('round-trips every combination', () => {
    for (const backend of ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const)
      for (const preset of ['classroom', 'standard', 'paper'] as const) {
        const s = { backend, preset };
        expect(parse(format(s)).state).toEqual(s);
      }
  });

  it('leaves defaults out and keeps parameters it does not own', () => {
    expect(format(URL_DEFAULTS)).toBe('');
    expect(format({ backend: 'webgpu', preset: 'classroom' }, '?x=1&backend=wasm')).toBe('?x=1&backend=webgpu');
    expect(format({ backend: 'auto', preset: 'paper' }, 'backend=wasm')).toBe('?preset=paper');
  });
});
