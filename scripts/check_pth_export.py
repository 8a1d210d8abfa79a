"""Load .pth files written by CycleGAN Studio's writer into the reference networks, as the official trainer does.

    npx tsx scripts/writePthExport.ts fixtures/pth-export          # our writer: the .pth files + nets.json
    /usr/bin/python3 scripts/check_pth_export.py fixtures/pth-export

For every NAME in DIR/nets.json ({"kind": "generator" | "discriminator", "options": {...}}):
- DIR/NAME.pth must be a zip whose storage entries start at 64-byte boundaries (as torch.save lays them out);
- torch.load(map_location='cpu') then a strict load_state_dict into the reference module
  (scripts/reference_nets.py: the state_dict layout of junyanz/pytorch-CycleGAN-and-pix2pix models/networks.py),
  which is what the official models/base_model.py load_networks does on --continue_train; and
  torch.load(weights_only=True), PyTorch's restricted loader, must accept the file too;
- NAME/input, a [1, C, 32, 32] tensor uniform in [-1, 1] (seeded), goes through the network: NAME/output.
Inputs and outputs are written to DIR/expected.json + expected.bin (the format src/parity/loadFixture.ts reads).
Exits non-zero on the first file PyTorch refuses.
"""
import json
import os
import struct
import sys
import zipfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_nets import NLayerDiscriminator, ResnetGenerator  # noqa: E402

SIDE = 32
ALIGN = 64


def build(kind, o):
    if kind == 'generator':
        return ResnetGenerator(o['inputNc'], o['outputNc'], o['ngf'], o['nBlocks'])
    return NLayerDiscriminator(o['inputNc'], o['ndf'], o['nLayers'])


def check_alignment(path):
    """Each storage's bytes start at a multiple of 64 (the local header's name and extra field come first)."""
    with open(path, 'rb') as f:
        raw = f.read()
    for info in zipfile.ZipFile(path).infolist():
        if '/data/' not in info.filename:
            continue
        name_len, extra_len = struct.unpack_from('<HH', raw, info.header_offset + 26)
        start = info.header_offset + 30 + name_len + extra_len
        assert info.compress_type == zipfile.ZIP_STORED, f'{info.filename} is compressed'
        assert start % ALIGN == 0, f'{info.filename} starts at byte {start}, not a multiple of {ALIGN}'


def main(directory):
    with open(os.path.join(directory, 'nets.json')) as f:
        nets = json.load(f)
    gen = torch.Generator().manual_seed(1)
    tensors, chunks, offset = {}, [], 0
    for name, spec in nets.items():
        path = os.path.join(directory, name + '.pth')
        check_alignment(path)
        net = build(spec['kind'], spec['options'])
        state_dict = torch.load(path, map_location='cpu')
        if hasattr(state_dict, '_metadata'):
            del state_dict._metadata
        net.load_state_dict(state_dict)  # strict: every key, every shape
        torch.load(path, map_location='cpu', weights_only=True)
        x = torch.rand(1, spec['options']['inputNc'], SIDE, SIDE, generator=gen) * 2 - 1
        with torch.no_grad():
            y = net.eval()(x)
        print(f'{name}.pth: torch.load + strict load_state_dict OK ({len(state_dict)} tensors); output {list(y.shape)}')
        for part, t in (('input', x), ('output', y)):
            a = t.detach().numpy().astype('<f4').ravel()
            tensors[f'{name}/{part}'] = {'shape': list(t.shape), 'offset': offset}
            chunks.append(a)
            offset += a.size
    with open(os.path.join(directory, 'expected.json'), 'w') as f:
        json.dump({'config': {'torch': torch.__version__}, 'tensors': tensors}, f, indent=1)
    np.concatenate(chunks).tofile(os.path.join(directory, 'expected.bin'))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'pth-export'))
