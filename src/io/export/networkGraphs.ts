/**
 * Our two networks as tfjs graph models, walked in the same order as ResnetGenerator.apply and
 * NLayerDiscriminator.apply (src/model/), with the same parameter keys. Input: `input`, float32
 * [N, H, W, C] NHWC in [-1, 1]; output: `output`. Generator: H and W multiples of 4 (and ≥ 8 when it has
 * residual blocks: their reflect padding needs H/4 ≥ 2), output [N, H, W, outputNc] in (-1, 1).
 * Discriminator: [N, h, w, 1] patch logits.
 */
import { layers as discriminatorLayers, type DiscriminatorOptions } from '../../model/discriminator';
import { generatorSpecs, layout, type GeneratorOptions } from '../../model/generator';
import { discriminatorSpecs } from '../../model/discriminator';
import type { ParamSpec } from '../../model/params';
import { GraphBuilder, type GraphModelJSON } from './graphDef';
import { LayerGraph, type WeightLookup } from './graphLayers';

export const INPUT = 'input';
export const OUTPUT = 'output';

export interface GraphModelFiles {
  modelJson: GraphModelJSON;
  weights: Uint8Array;
}

/** Weights as plain arrays (read off the device, a checkpoint or a .pth), checked against the network's specs. */
export function lookupFrom(specs: ParamSpec[], weights: ReadonlyMap<string, Float32Array>, what: string): WeightLookup {
  const shapes = new Map(specs.map((s) => [s.key, s.shape]));
  return (key, shape) => {
    const w = weights.get(key);
    const want = shapes.get(key);
    if (!w || !want) throw new Error(`${what}: no weight ${key}`);
    if (want.join(',') !== shape.join(',')) throw new Error(`${what}: ${key} is [${want}], the graph needs [${shape}]`);
    if (w.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${what}: ${key} has ${w.length} values, [${shape}] needs ${shape.reduce((a, b) => a * b, 1)}`);
    return w;
  };
}

/** ResnetGenerator: c7s1-ngf, d2ngf, d4ngf, R4ngf × nBlocks, u2ngf, ungf, c7s1-outputNc, tanh. */
export function generatorGraph(o: GeneratorOptions, weights: ReadonlyMap<string, Float32Array>, meta: Record<string, unknown> = {}): GraphModelFiles {
  const g = new GraphBuilder();
  const L = new LayerGraph(g, lookupFrom(generatorSpecs(o), weights, 'generator'));
  const at = layout(o);
  const block = (k: string, x: string, cin: number, cout: number, stride: number, pad: number, reflect: number) => {
    const padded = reflect ? L.reflectionPad(`${k}/pad`, x, reflect) : x;
    const size = reflect === 3 ? 7 : 3;
    return L.instanceNorm(`${k}/norm`, L.conv2d(k, padded, [size, size, cin, cout], stride, pad));
  };

  let y = g.placeholder(INPUT, [-1, -1, -1, o.inputNc]);
  y = L.relu(`model.${at.c7s1}/relu`, block(`model.${at.c7s1}`, y, o.inputNc, o.ngf, 1, 0, 3));
  at.down.forEach((i, n) => {
    y = L.relu(`model.${i}/relu`, block(`model.${i}`, y, o.ngf * 2 ** n, o.ngf * 2 ** (n + 1), 2, 1, 0));
  });
  const dim = o.ngf * 4;
  for (let b = 0; b < o.nBlocks; b++) {
    const k = `model.${at.resStart + b}.conv_block`;
    const r = L.relu(`${k}.1/relu`, block(`${k}.1`, y, dim, dim, 1, 0, 1));
    y = L.add(`model.${at.resStart + b}/residual`, y, block(`${k}.5`, r, dim, dim, 1, 0, 1));
  }
  at.up.forEach((i, n) => {
    const cin = o.ngf * 2 ** (2 - n);
    y = L.relu(`model.${i}/relu`, L.instanceNorm(`model.${i}/norm`, L.convTranspose2d(`model.${i}`, y, [3, 3, cin / 2, cin])));
  });
  const last = L.conv2d(`model.${at.out}`, L.reflectionPad(`model.${at.out}/pad`, y, 3), [7, 7, o.ngf, o.outputNc], 1, 0);
  L.tanh(OUTPUT, last);
  return g.build(OUTPUT, [-1, -1, -1, o.outputNc], { network: 'ResnetGenerator', options: o, ...meta });
}

/** NLayerDiscriminator (PatchGAN): 4×4 convs with zero padding 1, InstanceNorm except first and last, LeakyReLU 0.2. */
export function discriminatorGraph(o: DiscriminatorOptions, weights: ReadonlyMap<string, Float32Array>, meta: Record<string, unknown> = {}): GraphModelFiles {
  const g = new GraphBuilder();
  const L = new LayerGraph(g, lookupFrom(discriminatorSpecs(o), weights, 'discriminator'));
  let y = g.placeholder(INPUT, [-1, -1, -1, o.inputNc]);
  const all = discriminatorLayers(o);
  all.forEach((l, n) => {
    const last = n === all.length - 1;
    let z = L.conv2d(l.key, y, [4, 4, l.cin, l.cout], l.stride, 1);
    if (l.norm) z = L.instanceNorm(`${l.key}/norm`, z);
    y = l.act ? L.leakyRelu(last ? OUTPUT : `${l.key}/leaky_relu`, z, 0.2) : last ? g.op(OUTPUT, 'Identity', [z]) : z;
  });
  return g.build(OUTPUT, [-1, -1, -1, 1], { network: 'NLayerDiscriminator', options: o, ...meta });
}
