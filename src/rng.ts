/**
 * The one seeded random generator of a run (sfc32): init, sampling, crop, flip and pool all draw from it,
 * so the same seed and data reproduce a run on the same backend. Its state is four uint32s — saved in
 * checkpoints so a resumed run continues the exact same stream.
 */
export type RngState = [number, number, number, number];

export class Rng {
  private s: Uint32Array;
  private spareNormal: number | null = null;

  constructor(seed: number | RngState) {
    if (typeof seed === 'number') {
      this.s = new Uint32Array([0x9e3779b9, 0x243f6a88, 0xb7e15162, seed >>> 0]);
      for (let i = 0; i < 15; i++) this.nextUint32(); // mix the seed in
    } else {
      this.s = new Uint32Array(seed);
    }
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s = this.s;
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** Standard normal (Box–Muller; the spare value is kept, and is part of the state). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates permutation of 0…n−1. */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  }

  getState(): { s: RngState; spare: number | null } {
    return { s: Array.from(this.s) as RngState, spare: this.spareNormal };
  }

  setState(state: { s: RngState; spare: number | null }): void {
    this.s = new Uint32Array(state.s);
    this.spareNormal = state.spare;
  }

  static fromState(state: { s: RngState; spare: number | null }): Rng {
    const r = new Rng(state.s);
    r.spareNormal = state.spare;
    return r;
  }
}
