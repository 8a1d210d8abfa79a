import { describe, expect, it } from 'vitest';
import { HIDEABLE } from '../constants';
import { createStudioStore } from './index';
import { shareLink, urlStateOf } from './share';
import { FakeEngine } from '../testing/doubles';
import { URL_DEFAULTS, format, parse, type UrlState } from './url';

const state = (p: Partial<UrlState>): UrlState => ({ ...URL_DEFAULTS, ...p });

describe('url parse/format', () => {
  it('parses both parameters, with or without the leading ?', () => {
    expect(parse('?backend=wasm&preset=paper')).toEqual({ state: state({ backend: 'wasm', preset: 'paper' }), problems: [] });
    expect(parse('preset=standard').state).toEqual(state({ preset: 'standard' }));
  });

  it('falls back to defaults on an empty query', () => {
    expect(parse('')).toEqual({ state: URL_DEFAULTS, problems: [] });
  });

  it('reports unknown values instead of silently dropping them', () => {
    const { state: s, problems } = parse('?backend=cuda&preset=huge');
    expect(s).toEqual(URL_DEFAULTS);
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.includes('backend=cuda'))).toMatch(/webgpu/);
    expect(problems.find((p) => p.includes('preset=huge'))).toMatch(/classroom/);
  });

  it('is tolerant of case and spaces', () => {
    expect(parse('?backend=%20WebGPU%20').state.backend).toBe('webgpu');
  });

  it('round-trips every backend and preset', () => {
    for (const backend of ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const)
      for (const preset of ['classroom', 'standard', 'paper'] as const) {
        const s = state({ backend, preset });
        expect(parse(format(s)).state).toEqual(s);
      }
  });

  it('leaves defaults out and keeps parameters it does not own', () => {
    expect(format(URL_DEFAULTS)).toBe('');
    expect(format(state({ backend: 'webgpu' }), '?x=1&backend=wasm')).toBe('?x=1&backend=webgpu');
    expect(format(state({ preset: 'paper' }), 'backend=wasm')).toBe('?preset=paper');
  });
});

describe('classroom link', () => {
  const lesson = '?preset=classroom&seed=7&demo=summer2winter&backend=wasm&hide=settings,data&presenter=1&autostart=1';

  it('reads the WebAssembly threads: a count from 1 to 8, or auto (all cores), and says what a bad value was', () => {
    expect(parse('?threads=4').state.threads).toBe(4);
    expect(parse('?threads=auto').state.threads).toBeNull();
    expect(format(state({ threads: 2 }))).toBe('?threads=2');
    expect(format(state({ threads: null }), '?threads=2')).toBe('');
    for (const bad of ['0', '9', '1.5', 'many']) {
      const { state: s, problems } = parse(`?threads=${bad}`);
      expect(s.threads).toBeNull();
      expect(problems).toEqual([expect.stringMatching(new RegExp(`threads=${bad} is not auto or a whole number from 1 to 8`))]);
    }
  });

  it('reads a teacher’s prepared link', () => {
    expect(parse(lesson)).toEqual({
      state: { preset: 'classroom', seed: 7, demo: 'summer2winter', backend: 'wasm', threads: null, hide: ['data', 'settings'], presenter: true, autostart: true },
      problems: [],
    });
  });

  it('round-trips seeds, demos, every hideable control, presenter and autostart', () => {
    const cases: UrlState[] = [
      state({ seed: 0 }),
      state({ seed: 2 ** 32 - 1, demo: 'apples2oranges' }),
      state({ demo: 'summer2winter', autostart: true, presenter: true }),
      state({ hide: [...HIDEABLE] }),
      state({ hide: ['step', 'lr'], backend: 'cpu', preset: 'paper', seed: 42 }),
    ];
    for (const s of cases) {
      const q = format(s);
      expect(parse(q)).toEqual({ state: s, problems: [] });
    }
    expect(format(state({ hide: ['settings', 'data'] }))).toBe('?hide=data,settings'); // readable commas, table order
  });

  it('names the bad value and what it expected', () => {
    const { state: s, problems } = parse('?seed=1.5&demo=horses&hide=settings,wings&presenter=maybe');
    expect(s).toEqual(URL_DEFAULTS);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/seed=1\.5 is not an integer from 0 to 4294967295/);
    expect(problems[1]).toMatch(/demo=horses is not one of apples2oranges, summer2winter/);
    expect(problems[2]).toMatch(/unknown: wings/);
    expect(problems[3]).toMatch(/presenter=maybe is not 1 or 0/);
  });

  it('refuses autostart without a demo', () => {
    const { state: s, problems } = parse('?autostart=1');
    expect(s.autostart).toBe(true);
    expect(problems[0]).toMatch(/autostart needs demo/);
    expect(urlStateOf(createStudioStore({ engine: () => null, scheduleFrame: () => {} }, s).getState().settings).autostart).toBe(false);
  });

  it('opens a store in the link’s state, and the store writes the same link back', () => {
    const { state: s } = parse(lesson);
    const store = createStudioStore({ engine: () => new FakeEngine(), scheduleFrame: () => {} }, s);
    const st = store.getState().settings;
    expect(st).toMatchObject({ preset: 'classroom', backend: 'wasm', presenter: true, hidden: ['data', 'settings'], demo: 'summer2winter', launch: { demo: true, autostart: true } });
    expect(st.overrides.seed).toBe(7);
    expect(urlStateOf(st)).toEqual(s);
    const link = shareLink(st, { origin: 'https://studio.example', pathname: '/', search: '?x=1', hash: '' });
    expect(parse(new URL(link).search).state).toEqual(s);
    expect(new URL(link).searchParams.get('x')).toBe('1');
  });

  it('follows the store: a changed seed, a hidden panel, presenter off', () => {
    const store = createStudioStore({ engine: () => null, scheduleFrame: () => {} });
    store.getState().setOverride('seed', 9);
    store.getState().setHidden('timeline', true);
    store.getState().setPresenter(true);
    expect(format(urlStateOf(store.getState().settings))).toBe('?seed=9&hide=timeline&presenter=1');
    store.getState().setHidden('timeline', false);
    store.getState().setPresenter(false);
    expect(format(urlStateOf(store.getState().settings))).toBe('?seed=9');
  });
});
