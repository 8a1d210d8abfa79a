"""Make the .pth import fixtures in fixtures/pth/ (run by hand, never in CI).

    /usr/bin/python3 scripts/make_pth_fixtures.py      # Debian's python3-torch (1.13, CPU)

Every file is written by real PyTorch (torch.save), from the reference networks in
scripts/reference_nets.py (same state_dict keys as junyanz/pytorch-CycleGAN-and-pix2pix):

    g_zip.pth               ResnetGenerator(3, 3, ngf 4, 2 blocks), zip format (torch >= 1.6 default)
    g_legacy.pth            ResnetGenerator(3, 3, ngf 4, 2 blocks), legacy non-zip format
                            (_use_new_zipfile_serialization=False; the format of the 2017 official models)
    g_1ch.pth               ResnetGenerator(1, 3, ngf 4, 1 block), zip
    g_module.pth            ResnetGenerator(3, 3, 4, 2) saved from nn.DataParallel: keys 'module.model.1.weight', ...
    g_running_stats.pth     ResnetGenerator(3, 3, 4, 2) + InstanceNorm running_mean/running_var/num_batches_tracked
                            keys, as very old checkpoints carry (legacy format)
    g_half.pth              ResnetGenerator(3, 3, 4, 2) in float16 (zip)
    g_double.pth            ResnetGenerator(3, 3, 4, 2) in float64 (legacy)
    d.pth                   NLayerDiscriminator(3, ndf 4, 3 layers) — the wrong architecture (zip)
    g_wrong_shape.pth       g_zip's state_dict with model.10.conv_block.5.weight replaced by a [16, 16, 1, 1] tensor
    hostile.pth             a "state_dict" whose value's __reduce__ is os.system('touch MARKER') (zip);
                            hostile_legacy.pth the same in the legacy format. WRITTEN ONLY, NEVER LOADED.

    translate_in.png        a 45×26 RGB PNG for the studio's Translate panel (e2e/translate.test.ts)

expected.json / expected.bin (the parity fixture manifest format, read by src/parity/loadFixture.ts):
for each generator file NAME, NAME/input [1, C, 20, 28] uniform in [-1, 1] and NAME/output, PyTorch's
float32 output (NCHW) for the weights as stored (half/double weights cast to float32 first); and
translate_in/input, translate_in/output: translate_in.png through g_zip.pth as the reference's test.py
with --preprocess none does it — __make_power_2 (PIL bicubic to the nearest multiples of 4 by Python's
round: 45×26 → 44×24), ToTensor, Normalize(0.5, 0.5), then the generator.
"""
import collections
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_nets import NLayerDiscriminator, ResnetGenerator, init_weights  # noqa: E402

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'pth')
MARKER = '/tmp/cyclegan-studio-pth-hostile-marker'  # the hostile payload would create this file
H, W = 20, 28


class Hostile:
    """Pickles as a call to os.system — the attack a restricted unpickler must refuse."""

    def __reduce__(self):
        return (os.system, (f'touch {MARKER}',))


def make_g(input_nc, output_nc, n_blocks, seed):
    torch.manual_seed(seed)
    g = init_weights(ResnetGenerator(input_nc, output_nc, 4, n_blocks))
    # init gives zero biases; make them non-zero so that a mixed-up bias shows in the output
    with torch.no_grad():
        for name, p in g.named_parameters():
            if name.endswith('bias'):
                p.normal_(0, 0.1)
    return g.eval()


def save(obj, name, legacy=False):
    path = os.path.join(OUT_DIR, name)
    torch.save(obj, path, _use_new_zipfile_serialization=not legacy)
    return path


def with_running_stats(g):
    """The state_dict of g plus running stats for every InstanceNorm, in module order (like PyTorch 0.4.1)."""
    sd = g.state_dict()
    out = collections.OrderedDict()
    for mname, m in g.named_modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            out[f'{mname}.weight'] = sd[f'{mname}.weight']
            out[f'{mname}.bias'] = sd[f'{mname}.bias']
        elif isinstance(m, nn.InstanceNorm2d):
            c = m.num_features
            out[f'{mname}.running_mean'] = torch.zeros(c)
            out[f'{mname}.running_var'] = torch.ones(c)
            out[f'{mname}.num_batches_tracked'] = torch.tensor(0, dtype=torch.long)
    assert len(out) > len(sd)
    return out


def translate_image():
    """45×26 RGB: a colour gradient, a few flat blocks and some noise (smooth and sharp parts, all 256 levels)."""
    rs = np.random.RandomState(3)
    h, w = 26, 45
    yy, xx = np.mgrid[0:h, 0:w]
    a = np.stack([xx * 255 / (w - 1), yy * 255 / (h - 1), 255 - xx * 255 / (w - 1)], axis=-1)
    for _ in range(4):
        y0, x0 = rs.randint(0, h - 8), rs.randint(0, w - 8)
        a[y0:y0 + 8, x0:x0 + 10] = rs.randint(0, 256, size=3)
    a = np.clip(a + rs.normal(0, 12, size=a.shape), 0, 255)
    return Image.fromarray(a.round().astype(np.uint8), 'RGB')


def make_power_2_tensor(img, base=4):
    """The reference's test transform with --preprocess none: __make_power_2, ToTensor, Normalize(0.5, 0.5)."""
    ow, oh = img.size
    h, w = int(round(oh / base) * base), int(round(ow / base) * base)
    if (w, h) != (ow, oh):
        img = img.resize((w, h), Image.BICUBIC)
    x = torch.from_numpy(np.array(img)).permute(2, 0, 1).float().div(255)
    return ((x - 0.5) / 0.5)[None]  # [1, 3, H, W]


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for f in os.listdir(OUT_DIR):
        os.remove(os.path.join(OUT_DIR, f))
    expected = {}  # name -> (input, output)
    gen = torch.Generator().manual_seed(1)

    def record(name, g, input_nc):
        x = torch.rand(1, input_nc, H, W, generator=gen) * 2 - 1
        with torch.no_grad():
            expected[name] = (x, g.float()(x))

    g = make_g(3, 3, 2, seed=10)
    save(g.state_dict(), 'g_zip.pth')
    record('g_zip', g, 3)

    g = make_g(3, 3, 2, seed=11)
    save(g.state_dict(), 'g_legacy.pth', legacy=True)
    record('g_legacy', g, 3)

    g = make_g(1, 3, 1, seed=12)
    save(g.state_dict(), 'g_1ch.pth')
    record('g_1ch', g, 1)

    g = make_g(3, 3, 2, seed=13)
    sd = nn.DataParallel(g).state_dict()
    assert next(iter(sd)).startswith('module.model.')
    save(sd, 'g_module.pth')
    record('g_module', g, 3)

    g = make_g(3, 3, 2, seed=14)
    save(with_running_stats(g), 'g_running_stats.pth', legacy=True)
    record('g_running_stats', g, 3)

    g = make_g(3, 3, 2, seed=15).half()
    save(g.state_dict(), 'g_half.pth')
    record('g_half', g, 3)  # g.float() casts the stored float16 values

    g = make_g(3, 3, 2, seed=16)
    save(g.double().state_dict(), 'g_double.pth', legacy=True)
    record('g_double', g, 3)

    img = translate_image()
    img.save(os.path.join(OUT_DIR, 'translate_in.png'))
    x = make_power_2_tensor(img)
    with torch.no_grad():
        expected['translate_in'] = (x, make_g(3, 3, 2, seed=10)(x))  # the weights of g_zip.pth

    torch.manual_seed(20)
    save(init_weights(NLayerDiscriminator(3, 4, 3)).state_dict(), 'd.pth')

    sd = make_g(3, 3, 2, seed=10).state_dict()
    sd['model.10.conv_block.5.weight'] = torch.randn(16, 16, 1, 1)
    save(sd, 'g_wrong_shape.pth')

    save(collections.OrderedDict([('model.1.weight', Hostile())]), 'hostile.pth')
    save(collections.OrderedDict([('model.1.weight', Hostile())]), 'hostile_legacy.pth', legacy=True)

    tensors, chunks, offset = {}, [], 0
    for name, (x, y) in expected.items():
        for part, t in (('input', x), ('output', y)):
            a = t.detach().numpy().astype('<f4').ravel()
            tensors[f'{name}/{part}'] = {'shape': list(t.shape), 'offset': offset}
            chunks.append(a)
            offset += a.size
    manifest = {'config': {'torch': torch.__version__, 'marker': MARKER}, 'tensors': tensors}
    with open(os.path.join(OUT_DIR, 'expected.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    np.concatenate(chunks).tofile(os.path.join(OUT_DIR, 'expected.bin'))

    total = 0
    for f in sorted(os.listdir(OUT_DIR)):
        size = os.path.getsize(os.path.join(OUT_DIR, f))
        total += size
        print(f'  {f}: {size:,} bytes')
    print(f'fixtures/pth: {total:,} bytes')
    assert total < 1_000_000
    assert not os.path.exists(MARKER)


if __name__ == '__main__':
    main()
