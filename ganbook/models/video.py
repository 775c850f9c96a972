"""Chapter 22's networks: two video generators that share one image generator, and a video discriminator.

A clip is ``(n, T, 3, S, S)`` in [-1, 1], frame by frame. Both generators make
it as a trajectory of ``T`` latent points, each drawn as a frame by an image
generator: a fresh 32-pixel DCGAN generator trained with the rest
(:class:`ScratchFrames`, as the papers do), or a trained one held fixed
(:class:`PretrainedFrames`: chapter 15's BigGAN showcase, whose class is read
from the first number of the clip's content code). They differ in where the
trajectory comes from:

- :class:`TemporalGenerator` (TGAN, Saito et al. 2017): a 1-D transposed
  convolution net turns one code ``z0`` into ``T`` codes ``z1(t)``; frame ``t``
  is ``G1([z0, z1(t)])``. Nothing in its input says which part is content and
  which is motion.
- :class:`MotionContentGenerator` (MoCoGAN, Tulyakov et al. 2018): a content
  code ``z_C`` fixed for the clip, and a motion code ``z_M(t)`` from a GRU fed
  fresh noise ``eps(t)`` every frame; frame ``t`` is ``G_I([z_C, z_M(t)])``.
  Its latent vector is laid out ``[z_C | h0 | eps(1) ... eps(T)]``, so keeping
  the first ``content_dim`` numbers and redrawing the rest keeps the content and
  changes the motion (:meth:`MotionContentGenerator.split`).

:class:`VideoDiscriminator` judges whole clips with 3-D convolutions (space and
time halve together): ``(n, T, 3, 32, 32) -> (n, w, T/2, 16, 16) -> (n, 2w, T/4, 8, 8)
-> (n, 4w, T/8, 4, 4) -> (n, 1)``.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor, nn

from .dcgan import DCGAN32Generator, dcgan_init


def _check_frames(frames: int, multiple: int) -> None:
    if frames < multiple or frames % multiple:
        raise ValueError(f"clips need a multiple of {multiple} frames (at least {multiple}), got {frames}")


def draw_frames(image_g: Callable[[Tensor], Tensor], codes: Tensor) -> Tensor:
    """Frame ``t`` of clip ``i`` drawn from ``codes[i, t]``: ``(n, T, d) -> (n, T, 3, S, S)``, all frames in one
    batch through the image generator."""
    n, frames, d = codes.shape
    flat = image_g(codes.reshape(n * frames, d))
    return flat.reshape(n, frames, *flat.shape[1:])


class ScratchFrames(nn.Module):
    """Frames from per-frame codes ``(n, T, d)`` by a fresh 32-pixel DCGAN generator, trained with the rest,
    as both papers train theirs."""

    def __init__(self, code_dim: int, width: int = 32) -> None:
        super().__init__()
        self.net = DCGAN32Generator(code_dim, width)

    def forward(self, codes: Tensor) -> Tensor:
        return draw_frames(self.net, codes)


class PretrainedFrames(nn.Module):
    """Frames from per-frame codes ``(n, T, d)`` by a trained, frozen class-conditional image generator
    ``G(z, y)`` (chapter 15's BigGAN showcase): a trainable linear map takes each code to ``G``'s latent, and
    the class of a clip is read from its first frame's first code number ``u`` as
    ``floor(Phi(u) * n_classes)``, uniform when ``u ~ N(0, 1)``. ``G`` stays in eval mode and learns nothing."""

    def __init__(self, G: nn.Module, code_dim: int) -> None:
        super().__init__()
        self.G = G.requires_grad_(False).eval()
        self.n_classes = G.n_classes
        self.into = nn.Linear(code_dim, G.latent_dim)

    def train(self, mode: bool = True) -> "PretrainedFrames":
        super().train(mode)
        self.G.eval()  # its batch-norm statistics are part of what was trained
        return self

    def classes(self, codes: Tensor) -> Tensor:
        """Each clip's class ``(n,)`` from ``codes[:, 0, 0]``."""
        u = torch.special.ndtr(codes[:, 0, 0])
        return (u * self.n_classes).long().clamp(max=self.n_classes - 1)

    def forward(self, codes: Tensor) -> Tensor:
        y = self.classes(codes).repeat_interleave(codes.shape[1])
        return draw_frames(lambda flat: self.G(self.into(flat), y), codes)


class TemporalGenerator(nn.Module):
    """TGAN's generator: ``z0 (n, latent_dim) -> z1 (n, T, motion_dim)`` by 1-D transposed convolutions
    (length 4, then doubled until ``T``), each frame ``G1([z0, z1(t)])``."""

    def __init__(self, latent_dim: int = 100, motion_dim: int = 100, frames: int = 16, width: int = 32,
                 temporal_width: int = 64, image: nn.Module | None = None) -> None:
        super().__init__()
        _check_frames(frames, 4)
        self.latent_dim, self.motion_dim, self.frames = latent_dim, motion_dim, frames
        h = temporal_width
        layers: list[nn.Module] = [nn.ConvTranspose1d(latent_dim, h, 4, 1, 0, bias=False), nn.BatchNorm1d(h),
                                   nn.ReLU(True)]
        length = 4
        while length < frames:
            layers += [nn.ConvTranspose1d(h, h, 4, 2, 1, bias=False), nn.BatchNorm1d(h), nn.ReLU(True)]
            length *= 2
        layers += [nn.Conv1d(h, motion_dim, 1), nn.Tanh()]  # TGAN's z1 is squashed to [-1, 1] too
        self.temporal = nn.Sequential(*layers)
        self.image = image if image is not None else ScratchFrames(latent_dim + motion_dim, width)
        dcgan_init(self.temporal)

    def trajectory(self, z: Tensor) -> Tensor:
        """``z1``: ``(n, T, motion_dim)``."""
        return self.temporal(z[:, :, None]).transpose(1, 2)

    def forward(self, z: Tensor) -> Tensor:
        return self.image(frame_codes(z, self.trajectory(z)))


def frame_codes(content: Tensor, motion: Tensor) -> Tensor:
    """Each frame's code ``[content, motion(t)]``: ``(n, c), (n, T, m) -> (n, T, c + m)``."""
    return torch.cat([content[:, None].expand(-1, motion.shape[1], -1), motion], -1)


class MotionContentGenerator(nn.Module):
    """MoCoGAN's generator: content ``z_C`` fixed per clip, motion ``z_M(t) = GRU(eps(t), z_M(t-1))`` from
    ``z_M(0) = h0``, each frame ``G_I([z_C, z_M(t)])``. Its latent is ``[z_C | h0 | eps(1..T)]``
    (:meth:`split`), ``latent_dim = content_dim + motion_dim + T * noise_dim``."""

    def __init__(self, content_dim: int = 50, motion_dim: int = 10, noise_dim: int = 10, frames: int = 16,
                 width: int = 32, image: nn.Module | None = None) -> None:
        super().__init__()
        self.content_dim, self.motion_dim, self.noise_dim, self.frames = content_dim, motion_dim, noise_dim, frames
        self.latent_dim = content_dim + motion_dim + frames * noise_dim
        self.recurrent = nn.GRUCell(noise_dim, motion_dim)
        self.image = image if image is not None else ScratchFrames(content_dim + motion_dim, width)

    def split(self, z: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """``z`` as ``(z_C (n, content_dim), h0 (n, motion_dim), eps (n, T, noise_dim))``."""
        c, m = self.content_dim, self.motion_dim
        return z[:, :c], z[:, c:c + m], z[:, c + m:].reshape(len(z), self.frames, self.noise_dim)

    def trajectory(self, z: Tensor) -> Tensor:
        """``z_M(1..T)``: ``(n, T, motion_dim)``."""
        _, h, eps = self.split(z)
        steps = []
        for t in range(self.frames):
            h = self.recurrent(eps[:, t], h)
            steps.append(h)
        return torch.stack(steps, 1)

    def forward(self, z: Tensor) -> Tensor:
        return self.image(frame_codes(self.split(z)[0], self.trajectory(z)))


class VideoDiscriminator(nn.Module):
    """Whole clips ``(n, T, 3, 32, 32)`` -> ``(n, 1)`` logits, by 3-D convolutions that halve time and space
    together (batch norm after all but the first, LeakyReLU(0.2)); the last layer one ``(T/8, 4, 4)`` conv."""

    def __init__(self, frames: int = 16, width: int = 16, channels: int = 3) -> None:
        super().__init__()
        _check_frames(frames, 8)

        def down(c_in: int, c_out: int, norm: bool) -> list[nn.Module]:
            layers: list[nn.Module] = [nn.Conv3d(c_in, c_out, 4, 2, 1, bias=not norm)]
            return layers + ([nn.BatchNorm3d(c_out)] if norm else []) + [nn.LeakyReLU(0.2, True)]

        w = width
        self.net = nn.Sequential(*down(channels, w, False), *down(w, 2 * w, True), *down(2 * w, 4 * w, True),
                                 nn.Conv3d(4 * w, 1, (frames // 8, 4, 4)))
        dcgan_init(self)

    def forward(self, clip: Tensor) -> Tensor:
        if clip.dim() != 5 or clip.shape[2] != 3 or clip.shape[-1] != 32:
            raise ValueError(f"VideoDiscriminator expects clips (n, T, 3, 32, 32), got {tuple(clip.shape)}")
        return self.net(clip.transpose(1, 2)).flatten(1)
