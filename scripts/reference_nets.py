"""Reference CycleGAN networks and one training iteration, in PyTorch.

Shared by scripts/make_parity_fixtures.py and scripts/bench_pytorch.py. It
rebuilds the networks and the training step of the official implementation
(junyanz/pytorch-CycleGAN-and-pix2pix: models/networks.py,
models/cycle_gan_model.py, util/image_pool.py) with the same module structure,
so the state_dict keys match the official checkpoints exactly
(`model.1.weight`, `model.10.conv_block.1.weight`, ...):

- ResnetGenerator: reflect padding, InstanceNorm2d(affine=False,
  track_running_stats=False), ReLU, no dropout, all convs with bias,
  ConvTranspose2d(k3, s2, p1, output_padding=1) for upsampling, Tanh output.
- NLayerDiscriminator: kernel 4, padding 1, LeakyReLU 0.2, no norm on the
  first layer, channel multiplier capped at 8.
- init 'normal', gain 0.02: conv weights ~ N(0, 0.02), biases 0.
- GAN loss: lsgan = MSE, vanilla = BCEWithLogits, targets 1 (real) / 0 (fake).

Run with the Debian PyTorch: /usr/bin/python3 (torch 1.13, CPU).
"""
import itertools
import random

import torch
import torch.nn as nn


def norm_layer(channels):
    return nn.InstanceNorm2d(channels, affine=False, track_running_stats=False)


class ResnetBlock(nn.Module):
    """out = x + conv_block(x); conv_block indices 0..6 as in the official code."""

    def __init__(self, dim):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1),
            nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=True),
            norm_layer(dim),
            nn.ReLU(True),
            nn.ReflectionPad2d(1),
            nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=True),
            norm_layer(dim),
        )

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, ngf=64, n_blocks=9):
        super().__init__()
        layers = [
            nn.ReflectionPad2d(3),
            nn.Conv2d(input_nc, ngf, kernel_size=7, padding=0, bias=True),
            norm_layer(ngf),
            nn.ReLU(True),
        ]
        for i in range(2):  # two stride-2 downsamplings
            m = 2 ** i
            layers += [
                nn.Conv2d(ngf * m, ngf * m * 2, kernel_size=3, stride=2, padding=1, bias=True),
                norm_layer(ngf * m * 2),
                nn.ReLU(True),
            ]
        for _ in range(n_blocks):
            layers.append(ResnetBlock(ngf * 4))
        for i in range(2):  # two stride-2 transposed convs
            m = 2 ** (2 - i)
            layers += [
                nn.ConvTranspose2d(ngf * m, ngf * m // 2, kernel_size=3, stride=2,
                                   padding=1, output_padding=1, bias=True),
                norm_layer(ngf * m // 2),
                nn.ReLU(True),
            ]
        layers += [
            nn.ReflectionPad2d(3),
            nn.Conv2d(ngf, output_nc, kernel_size=7, padding=0),
            nn.Tanh(),
        ]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class NLayerDiscriminator(nn.Module):
    def __init__(self, input_nc, ndf=64, n_layers=3):
        super().__init__()
        kw, padw = 4, 1
        layers = [nn.Conv2d(input_nc, ndf, kernel_size=kw, stride=2, padding=padw),
                  nn.LeakyReLU(0.2, True)]
        mult = 1
        for n in range(1, n_layers):
            prev, mult = mult, min(2 ** n, 8)
            layers += [
                nn.Conv2d(ndf * prev, ndf * mult, kernel_size=kw, stride=2, padding=padw, bias=True),
                norm_layer(ndf * mult),
                nn.LeakyReLU(0.2, True),
            ]
        prev, mult = mult, min(2 ** n_layers, 8)
        layers += [
            nn.Conv2d(ndf * prev, ndf * mult, kernel_size=kw, stride=1, padding=padw, bias=True),
            norm_layer(ndf * mult),
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(ndf * mult, 1, kernel_size=kw, stride=1, padding=padw),
        ]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


def init_weights(net, gain=0.02):
    """Official init_type 'normal': Conv*/Linear weights ~ N(0, gain), bias 0 (net.apply order)."""
    def init_func(m):
        name = m.__class__.__name__
        if hasattr(m, 'weight') and ('Conv' in name or 'Linear' in name):
            nn.init.normal_(m.weight.data, 0.0, gain)
            if getattr(m, 'bias', None) is not None:
                nn.init.constant_(m.bias.data, 0.0)
    net.apply(init_func)
    return net


def count_params(net):
    return sum(p.numel() for p in net.parameters())


class GANLoss(nn.Module):
    def __init__(self, gan_mode):
        super().__init__()
        if gan_mode == 'lsgan':
            self.loss = nn.MSELoss()
        elif gan_mode == 'vanilla':
            self.loss = nn.BCEWithLogitsLoss()
        else:
            raise ValueError(gan_mode)

    def forward(self, prediction, target_is_real):
        target = torch.tensor(1.0 if target_is_real else 0.0, dtype=prediction.dtype)
        return self.loss(prediction, target.expand_as(prediction))


class ImagePool:
    """util/image_pool.py: fill to pool_size, then 50% swap with a random stored image."""

    def __init__(self, pool_size):
        self.pool_size = pool_size
        self.images = []

    def query(self, images):
        if self.pool_size == 0:
            return images
        out = []
        for image in images:
            image = torch.unsqueeze(image.data, 0)
            if len(self.images) < self.pool_size:
                self.images.append(image)
                out.append(image)
            elif random.uniform(0, 1) > 0.5:
                idx = random.randint(0, self.pool_size - 1)
                tmp = self.images[idx].clone()
                self.images[idx] = image
                out.append(tmp)
            else:
                out.append(image)
        return torch.cat(out, 0)


def set_requires_grad(nets, flag):
    for net in nets:
        for p in net.parameters():
            p.requires_grad = flag


class CycleGAN:
    """models/cycle_gan_model.py, training part only. Keeps every intermediate as an attribute."""

    def __init__(self, input_nc=3, output_nc=3, ngf=64, n_blocks=9, ndf=64, n_layers_D=3,
                 gan_mode='lsgan', lambda_A=10.0, lambda_B=10.0, lambda_identity=0.5,
                 lr=0.0002, beta1=0.5, pool_size=50):
        # Same creation order as the official model: G_A, G_B, D_A, D_B (each built, then initialised).
        self.netG_A = init_weights(ResnetGenerator(input_nc, output_nc, ngf, n_blocks))
        self.netG_B = init_weights(ResnetGenerator(output_nc, input_nc, ngf, n_blocks))
        self.netD_A = init_weights(NLayerDiscriminator(output_nc, ndf, n_layers_D))
        self.netD_B = init_weights(NLayerDiscriminator(input_nc, ndf, n_layers_D))
        self.lambda_A, self.lambda_B, self.lambda_idt = lambda_A, lambda_B, lambda_identity
        self.fake_A_pool = ImagePool(pool_size)
        self.fake_B_pool = ImagePool(pool_size)
        self.criterionGAN = GANLoss(gan_mode)
        self.criterionCycle = nn.L1Loss()
        self.criterionIdt = nn.L1Loss()
        self.optimizer_G = torch.optim.Adam(
            itertools.chain(self.netG_A.parameters(), self.netG_B.parameters()),
            lr=lr, betas=(beta1, 0.999))
        self.optimizer_D = torch.optim.Adam(
            itertools.chain(self.netD_A.parameters(), self.netD_B.parameters()),
            lr=lr, betas=(beta1, 0.999))

    def nets(self):
        return {'G_A': self.netG_A, 'G_B': self.netG_B, 'D_A': self.netD_A, 'D_B': self.netD_B}

    def set_input(self, real_A, real_B):
        self.real_A, self.real_B = real_A, real_B

    def forward(self):
        self.fake_B = self.netG_A(self.real_A)
        self.rec_A = self.netG_B(self.fake_B)
        self.fake_A = self.netG_B(self.real_B)
        self.rec_B = self.netG_A(self.fake_A)

    def backward_D_basic(self, netD, real, fake):
        pred_real = netD(real)
        pred_fake = netD(fake.detach())
        loss_D = (self.criterionGAN(pred_real, True) + self.criterionGAN(pred_fake, False)) * 0.5
        loss_D.backward()
        return loss_D, pred_real, pred_fake

    def backward_D_A(self):
        fake_B = self.fake_B_pool.query(self.fake_B)
        self.loss_D_A, self.pred_D_A_real, self.pred_D_A_fake = \
            self.backward_D_basic(self.netD_A, self.real_B, fake_B)

    def backward_D_B(self):
        fake_A = self.fake_A_pool.query(self.fake_A)
        self.loss_D_B, self.pred_D_B_real, self.pred_D_B_fake = \
            self.backward_D_basic(self.netD_B, self.real_A, fake_A)

    def backward_G(self):
        if self.lambda_idt > 0:
            self.idt_A = self.netG_A(self.real_B)
            self.loss_idt_A = self.criterionIdt(self.idt_A, self.real_B) * self.lambda_B * self.lambda_idt
            self.idt_B = self.netG_B(self.real_A)
            self.loss_idt_B = self.criterionIdt(self.idt_B, self.real_A) * self.lambda_A * self.lambda_idt
        else:
            self.idt_A = self.idt_B = None
            self.loss_idt_A = self.loss_idt_B = 0
        self.pred_G_A = self.netD_A(self.fake_B)
        self.pred_G_B = self.netD_B(self.fake_A)
        self.loss_G_A = self.criterionGAN(self.pred_G_A, True)
        self.loss_G_B = self.criterionGAN(self.pred_G_B, True)
        self.loss_cycle_A = self.criterionCycle(self.rec_A, self.real_A) * self.lambda_A
        self.loss_cycle_B = self.criterionCycle(self.rec_B, self.real_B) * self.lambda_B
        self.loss_G = (self.loss_G_A + self.loss_G_B + self.loss_cycle_A + self.loss_cycle_B
                       + self.loss_idt_A + self.loss_idt_B)
        self.loss_G.backward()

    def optimize_parameters(self):
        self.forward()
        set_requires_grad([self.netD_A, self.netD_B], False)
        self.optimizer_G.zero_grad()
        self.backward_G()
        self.optimizer_G.step()
        set_requires_grad([self.netD_A, self.netD_B], True)
        self.optimizer_D.zero_grad()
        self.backward_D_A()
        self.backward_D_B()
        self.optimizer_D.step()
