/** `train`'s config flags come from CONFIG_FIELDS: every field has one, and flags give back the config they describe. */
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS, configFlags, DEFAULT_CONFIG, flagName, makeConfig, type CycleGANConfig } from '../config';
import { configFlagOptions, configFromFlags } from './configFlags';

const parse = (args: string[]) => parseArgs({ args, strict: true, options: configFlagOptions() }).values;

describe('config flags', () => {
  it('every config field has a kebab-case flag', () => {
    const options = configFlagOptions();
    for (const k of Object.keys(CONFIG_FIELDS) as (keyof CycleGANConfig)[]) expect(options[flagName(k)], k).toEqual({ type: 'string' });
    expect(['load-size', 'n-layers-d', 'lambda-a', 'lambda-identity', 'pool-size', 'n-epochs-decay', 'beta1'].every((f) => f in options)).toBe(true);
  });

  it('a config written as flags (configFlags) parses back to itself, every field changed', () => {
    const c = makeConfig({
      loadSize: 40, cropSize: 32, flip: false, inputNc: 1, ngf: 8, nBlocks: 3, ndf: 16, nLayersD: 2, initGain: 0.05, ganMode: 'vanilla',
      lambdaA: 5, lambdaB: 7.5, lambdaIdentity: 0, poolSize: 3, lr: 0.001, beta1: 0.7, beta2: 0.99, nEpochs: 4, nEpochsDecay: 6, epochCount: 2, seed: 42,
    });
    const flags = configFlags(c);
    expect(flags).toHaveLength(Object.keys(CONFIG_FIELDS).length);
    expect(configFromFlags(parse(flags.join(' ').split(' ')))).toEqual(c);
    expect(configFromFlags(parse([]))).toEqual(DEFAULT_CONFIG);
  });

  it('keeps the older names and --size', () => {
    expect(configFromFlags(parse(['--size', '64', '--blocks', '6', '--epochs', '3', '--decay-epochs', '4', '--pool', '0']))).toMatchObject({
      cropSize: 64, loadSize: 72, nBlocks: 6, nEpochs: 3, nEpochsDecay: 4, poolSize: 0,
    });
    expect(() => configFromFlags(parse(['--blocks', '6', '--n-blocks', '9']))).toThrow(/--blocks and --n-blocks are the same setting/);
  });

  it('bad values are usage errors naming the flag', () => {
    expect(() => configFromFlags(parse(['--flip', 'yes']))).toThrow(/--flip must be true or false; got 'yes'/);
    expect(() => configFromFlags(parse(['--n-layers-d', '2.5']))).toThrow(/--n-layers-d must be an integer/);
    expect(() => configFromFlags(parse(['--lambda-a=-1']))).toThrow(/^--lambda-a: must be ≥ 0; got -1$/);
    expect(() => configFromFlags(parse(['--gan-mode', 'wgangp']))).toThrow(/^--gan-mode: must be one of lsgan, vanilla; got wgangp$/);
    expect(() => configFromFlags(parse(['--input-nc', '2']))).toThrow(/^--input-nc: must be one of 1, 3/);
  });
});
