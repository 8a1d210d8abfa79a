/**
 * Adam exactly as torch.optim.Adam (eps 1e-8 — tfjs's own default is 1e-7), one instance per network.
 * Written here rather than tf.train.adam so that its lr is settable per epoch, its state (moments, step)
 * is plain and ordered for checkpoints, and the update is PyTorch's:
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + eps)
 */
import * as tf from '@tensorflow/tfjs';

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

  /** grads[i] is the gradient of params[i]; the caller keeps ownership of grads. */
  apply(grads: tf.Tensor[]): void {
    if (grads.length !== this.params.length) throw new Error(`Adam: ${grads.length} gradients for ${this.params.length} parameters`);
    this.step += 1;
    const bc1 = 1 - this.beta1 ** this.step;
    const bc2 = 1 - this.beta2 ** this.step;
    const stepSize = this.lr / bc1;
    const sqrtBc2 = Math.sqrt(bc2);
    tf.tidy(() => {
      grads.forEach((g, i) => {
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), this.eps);
        this.params[i].assign(tf.sub(this.params[i], tf.mul(tf.div(m, denom), stepSize)));
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
