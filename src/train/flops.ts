/**
 * Analytic compute of one training iteration: multiply-adds of every conv / transposed conv, per forward pass,
 * then FLOP = 2 · MACs · 3 (forward + a backward of about twice the forward) — the same estimate as
 * scripts/bench_pytorch.py, so the two are comparable. Passes per iteration: 6 through a generator
 * (G_A(A), G_B(fake_B), G_B(B), G_A(fake_A), and the two identity passes) and 6 through a discriminator.
 */
import type { CycleGANConfig } from '../config';

type Net = Pick<CycleGANConfig, 'inputNc' | 'ngf' | 'nBlocks' | 'ndf' | 'nLayersD'>;

/** Multiply-adds of one generator forward at side s. */
export function generatorMacs(c: Net, s: number): number {
  const conv = (side: number, k: number, cin: number, cout: number) => side * side * k * k * cin * cout;
  let m = conv(s, 7, c.inputNc, c.ngf); // c7s1-ngf
  m += conv(s / 2, 3, c.ngf, 2 * c.ngf) + conv(s / 4, 3, 2 * c.ngf, 4 * c.ngf); // d2ngf, d4ngf (output sides)
  m += c.nBlocks * 2 * conv(s / 4, 3, 4 * c.ngf, 4 * c.ngf); // R4ngf
  m += conv(s / 4, 3, 4 * c.ngf, 2 * c.ngf) + conv(s / 2, 3, 2 * c.ngf, c.ngf); // u2ngf, ungf (input sides)
  m += conv(s, 7, c.ngf, c.inputNc); // c7s1-3
  return m;
}

/** Multiply-adds of one PatchGAN forward at side s (4×4 convs, pad 1). */
export function discriminatorMacs(c: Net, s: number): number {
  let side = s;
  let cin = c.inputNc;
  let m = 0;
  const layer = (cout: number, stride: number) => {
    side = Math.floor((side - 2) / stride) + 1;
    m += side * side * 16 * cin * cout;
    cin = cout;
  };
  layer(c.ndf, 2);
  for (let n = 1; n <= c.nLayersD; n++) layer(c.ndf * Math.min(2 ** n, 8), n < c.nLayersD ? 2 : 1);
  layer(1, 1);
  return m;
}

export function iterationGflop(c: Net & Pick<CycleGANConfig, 'cropSize' | 'lambdaIdentity'>): number {
  const gPasses = c.lambdaIdentity > 0 ? 6 : 4;
  const macs = gPasses * generatorMacs(c, c.cropSize) + 6 * discriminatorMacs(c, c.cropSize);
  return (2 * 3 * macs) / 1e9;
}
