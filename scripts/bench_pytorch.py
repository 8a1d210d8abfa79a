"""Time one full CycleGAN training iteration in PyTorch on the CPU (run by hand, never in CI).

    /usr/bin/python3 scripts/bench_pytorch.py [--size 64] [--ngf 32] [--blocks 6] [--ndf 32]
                                              [--threads N] [--warmup 3] [--iters 5]

Defaults are the "classroom" preset: 64x64 crops, ngf 32, 6 resnet blocks, ndf 32,
n_layers 3, lsgan, lambda_identity 0.5, lambda 10, image pool 50, Adam, batch 1.
The iteration is CycleGANModel.optimize_parameters() of the official code
(scripts/reference_nets.py): 6 generator forwards (fake_B, rec_A, fake_A, rec_B,
idt_A, idt_B) + backward, 2 D forwards in the G step, 4 D forwards + backward in
the D step, and the two Adam steps.

FLOP: conv and transposed-conv multiply-adds of every forward pass in one
iteration are counted with forward hooks (x2 for FLOP), and the iteration total
is estimated as 3x the forward FLOP (the usual forward + backward estimate).
Norms, activations, losses and Adam are not counted.

Last line of output is JSON for the Node bench:
    {"impl":"pytorch","ms":...,"peak_rss_mb":...,"gflop":...,"gflops":...,"threads":...,...}
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_nets import CycleGAN, count_params  # noqa: E402


def conv_macs(module, inp, out):
    """Multiply-adds of one Conv2d / ConvTranspose2d call."""
    x = inp[0]
    kh, kw = module.kernel_size
    if isinstance(module, torch.nn.ConvTranspose2d):
        # every input element is scattered into out_channels * kh * kw outputs
        return x.numel() * (module.out_channels // module.groups) * kh * kw
    return out.numel() * (module.in_channels // module.groups) * kh * kw


def count_forward_macs(model, fn):
    total = [0]
    handles = []
    for net in model.nets().values():
        for m in net.modules():
            if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
                handles.append(m.register_forward_hook(
                    lambda mod, i, o: total.__setitem__(0, total[0] + conv_macs(mod, i, o))))
    try:
        fn()
    finally:
        for h in handles:
            h.remove()
    return total[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--ngf', type=int, default=32)
    ap.add_argument('--blocks', type=int, default=6)
    ap.add_argument('--ndf', type=int, default=32)
    ap.add_argument('--threads', type=int, default=0, help='torch.set_num_threads (0: default)')
    ap.add_argument('--warmup', type=int, default=3)
    ap.add_argument('--iters', type=int, default=5)
    args = ap.parse_args()
    if args.size % 4:
        ap.error('--size must be a multiple of 4')
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    threads = torch.get_num_threads()

    torch.manual_seed(0)
    model = CycleGAN(ngf=args.ngf, n_blocks=args.blocks, ndf=args.ndf, gan_mode='lsgan',
                     lambda_identity=0.5, pool_size=50)
    real_A = torch.rand(1, 3, args.size, args.size) * 2 - 1
    real_B = torch.rand(1, 3, args.size, args.size) * 2 - 1
    model.set_input(real_A, real_B)

    g_params = count_params(model.netG_A)
    d_params = count_params(model.netD_A)
    print(f'torch {torch.__version__}, threads {threads} (cpu count {os.cpu_count()})')
    print(f'config: {args.size}x{args.size}, ngf {args.ngf}, {args.blocks} blocks, ndf {args.ndf}, '
          f'lsgan, identity 0.5, pool 50; G {g_params:,} params, D {d_params:,} params')

    # The first warm-up iteration also counts the forward multiply-adds.
    fwd_macs = count_forward_macs(model, model.optimize_parameters)
    for _ in range(args.warmup - 1):
        model.optimize_parameters()

    times = []
    for _ in range(args.iters):
        t0 = time.perf_counter()
        model.optimize_parameters()
        times.append((time.perf_counter() - t0) * 1000)
    ms = statistics.median(times)

    fwd_gflop = 2 * fwd_macs / 1e9
    gflop = 3 * fwd_gflop
    gflops = gflop / (ms / 1000)
    print(f'iterations (ms): ' + ', '.join(f'{t:.1f}' for t in times))
    print(f'median {ms:.1f} ms/iteration ({1000 / ms:.2f} it/s)')
    print(f'forward convs: {fwd_macs / 1e9:.3f} G multiply-adds = {fwd_gflop:.3f} GFLOP '
          f'(6 G + 6 D forward passes, hooks)')
    print(f'iteration estimate: 3 x forward = {gflop:.3f} GFLOP (forward + backward, standard estimate)')
    print(f'throughput: {gflops:.2f} GFLOP/s')
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    print(f'peak RSS: {peak_mb:.0f} MB')
    print(json.dumps({'impl': 'pytorch', 'ms': round(ms, 3), 'peak_rss_mb': round(peak_mb), 'gflop': round(gflop, 4),
                      'gflops': round(gflops, 3), 'threads': threads, 'torch': torch.__version__,
                      'size': args.size, 'ngf': args.ngf, 'blocks': args.blocks, 'ndf': args.ndf,
                      'iters': args.iters, 'flop_estimate': '3x forward conv MACs x2'}))


if __name__ == '__main__':
    main()
