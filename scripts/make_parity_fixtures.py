"""Make the PyTorch parity fixtures in fixtures/parity/ (run by hand, never in CI).

Regenerate with the Debian PyTorch (apt-get install -y python3-torch python3-numpy):

    /usr/bin/python3 scripts/make_parity_fixtures.py

It builds the reference CycleGAN of junyanz/pytorch-CycleGAN-and-pix2pix in
float32 (scripts/reference_nets.py) in a small config (32x32, ngf 8, 2 resnet
blocks, ndf 8, n_layers 3, torch.manual_seed(0)), runs ONE training iteration
exactly like CycleGANModel.optimize_parameters() with an empty image pool (the
query returns the new fake), and writes two cases:

    lsgan   : gan_mode lsgan,   lambda_A = lambda_B = 10, lambda_identity 0.5
    vanilla : gan_mode vanilla (BCEWithLogits), lambda 10, lambda_identity 0
              (identity forwards skipped, loss/idt_* = 0, no out/idt_*)

Per case NAME: fixtures/parity/NAME.json (manifest) and NAME.bin (every tensor
as float32 little-endian, concatenated). Manifest:

    {"config": {"size", "inputNc", "ngf", "nBlocks", "ndf", "nLayersD", "ganMode",
                "lambdaA", "lambdaB", "lambdaIdentity", "lr", "beta1", "beta2",
                "eps", "torch"},
     "tensors": {name: {"shape": [...], "offset": <offset in float32 elements>}}}

Tensor names (PyTorch layouts: NCHW activations, OIHW conv weights,
ConvTranspose2d weights (in, out, kH, kW)); <net> is G_A, G_B, D_A, D_B and
<key> its state_dict key (model.1.weight, model.10.conv_block.1.weight, ...):

    init/<net>/<key>      initial weights
    input/real_A, input/real_B            uniform in [-1, 1], [1, 3, 32, 32]
    out/fake_B, out/rec_A, out/fake_A, out/rec_B, out/idt_A, out/idt_B
    out/D_A(fake_B), out/D_B(fake_A), out/D_A(real_B), out/D_B(real_A)
                          discriminator maps with the initial weights
    loss/D_A, loss/G_A, loss/cycle_A, loss/idt_A,
    loss/D_B, loss/G_B, loss/cycle_B, loss/idt_B         shape [] scalars
    grad/<net>/<key>      the gradient each optimizer step used (G from
                          backward_G, D from backward_D_A + backward_D_B)
    after/<net>/<key>     the parameters after the Adam step

Note for comparisons: the bias of every conv that feeds an InstanceNorm has a
mathematically zero gradient (the norm removes any per-channel constant); its
stored gradient is float rounding noise, so its "after" value (Adam divides by
sqrt(v) + eps) is not reproducible: compare those entries loosely (|after -
init| <= lr) or skip them. The script prints which keys these are and lists them (as "<net>/<key>") in
the manifest's extra field "zeroGradBiases". Every other "after" value is
init - lr * g / (|g| + eps) (first Adam step), i.e. about init -+ lr.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_nets import (CycleGAN, NLayerDiscriminator, ResnetGenerator,  # noqa: E402
                            count_params)

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'parity')

BASE = dict(size=32, inputNc=3, ngf=8, nBlocks=2, ndf=8, nLayersD=3,
            lambdaA=10, lambdaB=10, lr=0.0002, beta1=0.5, beta2=0.999, eps=1e-8)
CASES = {
    'lsgan': dict(BASE, ganMode='lsgan', lambdaIdentity=0.5),
    'vanilla': dict(BASE, ganMode='vanilla', lambdaIdentity=0),
}


def check_param_counts():
    counts = {
        'G ngf64 9 blocks': (count_params(ResnetGenerator(3, 3, 64, 9)), 11378179),
        'G ngf64 6 blocks': (count_params(ResnetGenerator(3, 3, 64, 6)), 7837699),
        'D ndf64 n_layers3': (count_params(NLayerDiscriminator(3, 64, 3)), 2764737),
    }
    for name, (got, want) in counts.items():
        print(f'  {name}: {got:,} params (official {want:,})', 'OK' if got == want else 'MISMATCH')
        assert got == want, name


def biases_before_instance_norm(net):
    """state_dict keys of conv biases whose output goes straight into an InstanceNorm2d."""
    keys, prev_name, prev_mod = [], None, None
    for mod_name, mod in net.named_modules():
        if len(list(mod.children())) > 0:
            continue  # containers
        if isinstance(mod, torch.nn.InstanceNorm2d) and \
                isinstance(prev_mod, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
            keys.append(prev_name + '.bias')
        prev_name, prev_mod = mod_name, mod
    return keys


def make_case(name, cfg):
    torch.manual_seed(0)
    model = CycleGAN(input_nc=cfg['inputNc'], output_nc=cfg['inputNc'], ngf=cfg['ngf'],
                     n_blocks=cfg['nBlocks'], ndf=cfg['ndf'], n_layers_D=cfg['nLayersD'],
                     gan_mode=cfg['ganMode'], lambda_A=cfg['lambdaA'], lambda_B=cfg['lambdaB'],
                     lambda_identity=cfg['lambdaIdentity'], lr=cfg['lr'], beta1=cfg['beta1'],
                     pool_size=50)
    for opt in (model.optimizer_G, model.optimizer_D):
        for g in opt.param_groups:
            assert g['betas'] == (cfg['beta1'], cfg['beta2']) and g['eps'] == cfg['eps']
    s = cfg['size']
    real_A = torch.rand(1, cfg['inputNc'], s, s) * 2 - 1
    real_B = torch.rand(1, cfg['inputNc'], s, s) * 2 - 1

    tensors = {}  # name -> float32 numpy array, in insertion order

    def put(key, t):
        tensors[key] = (t.detach().cpu().numpy() if torch.is_tensor(t)
                        else np.asarray(t)).astype('<f4', copy=True)

    nets = model.nets()
    for net_name, net in nets.items():
        for k, v in net.state_dict().items():
            put(f'init/{net_name}/{k}', v)
    put('input/real_A', real_A)
    put('input/real_B', real_B)

    model.set_input(real_A, real_B)
    model.optimize_parameters()  # pools are empty: query returns the new fake

    # The fake fed to the D step is the one from forward() (before the G step).
    assert torch.equal(model.pred_D_A_fake, model.pred_G_A)
    assert torch.equal(model.pred_D_B_fake, model.pred_G_B)

    put('out/fake_B', model.fake_B)
    put('out/rec_A', model.rec_A)
    put('out/fake_A', model.fake_A)
    put('out/rec_B', model.rec_B)
    if model.idt_A is not None:
        put('out/idt_A', model.idt_A)
        put('out/idt_B', model.idt_B)
    put('out/D_A(fake_B)', model.pred_G_A)
    put('out/D_B(fake_A)', model.pred_G_B)
    put('out/D_A(real_B)', model.pred_D_A_real)
    put('out/D_B(real_A)', model.pred_D_B_real)

    losses = {}
    for k in ('D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B'):
        v = getattr(model, 'loss_' + k)
        v = torch.as_tensor(v, dtype=torch.float32).reshape([])
        losses[k] = v.item()
        put('loss/' + k, v)

    noisy = []
    for net_name, net in nets.items():
        for k, p in net.named_parameters():
            assert p.grad is not None, (net_name, k)
            put(f'grad/{net_name}/{k}', p.grad)
    for net_name, net in nets.items():
        for k, p in net.named_parameters():
            put(f'after/{net_name}/{k}', p)
    # Biases of convs that feed an InstanceNorm: their true gradient is 0.
    for net_name, net in nets.items():
        for k in biases_before_instance_norm(net):
            g = np.abs(tensors[f'grad/{net_name}/{k}']).max()
            noisy.append(f'{net_name}/{k} (max |grad| {g:.1e})')

    manifest_tensors, offset, chunks = {}, 0, []
    for k, arr in tensors.items():
        manifest_tensors[k] = {'shape': list(arr.shape), 'offset': offset}
        offset += arr.size
        chunks.append(arr.reshape(-1))
    config = dict(cfg, torch=torch.__version__)
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, name + '.bin'), 'wb') as f:
        f.write(np.concatenate(chunks).astype('<f4').tobytes())
    with open(os.path.join(OUT_DIR, name + '.json'), 'w') as f:
        json.dump({'config': config, 'tensors': manifest_tensors,
                   'zeroGradBiases': [n.split(' ')[0] for n in noisy]}, f, indent=1)
        f.write('\n')

    print(f'[{name}] {len(tensors)} tensors, {offset:,} floats ({offset * 4 / 1e6:.2f} MB)')
    print(f'  params: G {count_params(model.netG_A):,}  D {count_params(model.netD_A):,}')
    print('  losses: ' + '  '.join(f'{k} {v:.6f}' for k, v in losses.items()))
    print(f'  {len(noisy)} biases with ~zero grad (conv before InstanceNorm; "after" not reproducible):')
    for n in noisy:
        print('    ' + n)


def main():
    torch.set_num_threads(1)  # deterministic reduction order; the config is tiny
    print(f'torch {torch.__version__}')
    print('param-count check:')
    check_param_counts()
    for name, cfg in CASES.items():
        make_case(name, cfg)


if __name__ == '__main__':
    main()
