/**
 * Adam exactly as torch.optim.Adam (eps 1e-8 — tfjs's own default is 1e-7), one instance per network.
 * Written here rather than tf.train.adam so that its lr is settable per epoch, its state (moments, step)
 * is plain and ordered for checkpoints, and the update is PyTorch's:
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + eps)
 */
import * as tf from '@tensorflow/tfjs';
import { adamUpdate } from '../kernels/ops';

export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

export class Adam {
  step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly params: tf.Variable[],
    public lr: number,
    public beta1: number,
    public beta2: number,
    public eps = 1e-8,
  ) {
    // tidy frees the zeros tensors; variables outlive it
    this.m = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
    this.v = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
  }

  /**
   * One step. Each argument holds a gradient for every parameter (grads[i] for params[i]), one set per loss term
   * (at most three); the step uses their sum, added in order. The caller keeps ownership of the gradients.
   */
  apply(...gradSets: tf.Tensor[][]): void {
    for (const grads of gradSets)
      if (grads.length !== this.params.length) throw new Error(`Adam: ${grads.length} gradients for ${this.params.length} parameters`);
    this.step += 1;
    const attrs = { lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, step: this.step };
    tf.tidy(() => {
      this.params.forEach((param, i) => {
        const [p, m, v] = adamUpdate(param, this.m[i], this.v[i], gradSets.map((g) => g[i]), attrs); // one kernel where fused
        param.assign(p);
        this.m[i].assign(m);
        this.v[i].assign(v);
      });
    });
  }

  /** Reads the moments back (a GPU→CPU read: only for checkpoints). */
  async getState(): Promise<AdamState> {
    const read = (vs: tf.Variable[]) => Promise.all(vs.map(async (t) => (await t.data()) as Float32Array));
    return { step: this.step, m: await read(this.m), v: await read(this.v) };
  }

  setState(state: AdamState): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) throw new Error('Adam state does not match the parameters');
    this.step = state.step;
    tf.tidy(() => {
      state.m.forEach((d, i) => this.m[i].assign(tf.tensor(d, this.m[i].shape)));
      state.v.forEach((d, i) => this.v[i].assign(tf.tensor(d, this.v[i].shape)));
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
