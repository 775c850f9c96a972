"""The video game of chapter 22: a clip generator against a video discriminator, and (MoCoGAN) an image one.

Real batches are clips ``(n, T, 3, S, S)`` (:class:`~ganbook.data.shapes.ClipSource`).
``D`` judges whole clips; ``D_image``, when there is one, judges single frames
picked at random from real and generated clips (MoCoGAN's image
discriminator), so each frame must look real on its own while ``D`` asks
whether the frames belong together and move as real ones do. Both use the
non-saturating loss of chapter 2 (:mod:`ganbook.losses`):

.. math:: \\mathcal L_D = \\ell_{bce}(D_V(v), D_V(G(z))) + \\ell_{bce}(D_I(v_t), D_I(G(z)_t)),\\qquad
   \\mathcal L_G = -\\mathbb E \\log \\sigma(D_V(G(z))) - \\mathbb E \\log \\sigma(D_I(G(z)_t))

with the image terms left out when ``D_image`` is None (TGAN judges clips only;
its paper trains a Wasserstein critic with singular value clipping, which the
chapter replaces by the loss every other chapter uses, so that the two models
differ only in their generators and their discriminators).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from ..game import Game, Phase
from ..losses import d_loss_bce, g_loss_nonsaturating
from ..train import Trainer


def pick_frames(clips: Tensor, k: int, rng: torch.Generator) -> Tensor:
    """``k`` frames of each clip, at random times drawn from ``rng``: ``(n, T, C, S, S) -> (n * k, C, S, S)``."""
    n, frames = clips.shape[:2]
    times = torch.randint(frames, (n, k), generator=rng).to(clips.device)
    rows = torch.arange(n, device=clips.device)[:, None].expand(n, k)
    return clips[rows, times].flatten(0, 1)


class VideoGame(Game):
    """``G(z)`` makes clips; ``D`` scores clips and ``D_image`` (optional) scores ``image_frames`` frames per clip."""

    def __init__(self, G: nn.Module, D: nn.Module, D_image: nn.Module | None = None, image_frames: int = 1) -> None:
        self.G, self.D, self.D_image, self.image_frames = G, D, D_image, image_frames
        self.phases = [Phase("d", "d", self.d_losses), Phase("g", "g", self.g_losses)]

    def networks(self) -> dict[str, nn.Module]:
        nets = {"G": self.G, "D": self.D}
        return nets if self.D_image is None else {**nets, "D_image": self.D_image}

    def discriminators(self) -> nn.Module:
        """Every discriminator as one module, for D's optimiser."""
        return nn.ModuleList([d for d in (self.D, self.D_image) if d is not None])

    def d_losses(self, t: Trainer) -> dict[str, Tensor]:
        """D's terms: real clips against fakes, for the video D and (if any) the image D."""
        real = t.real().x
        with torch.no_grad():
            fake = self.G(t.latent())
        terms = {"video": d_loss_bce(self.D(real), self.D(fake))}
        if self.D_image is not None:
            k = self.image_frames
            terms["image"] = d_loss_bce(self.D_image(pick_frames(real, k, t.rng)),
                                        self.D_image(pick_frames(fake, k, t.rng)))
        return terms

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        """G's terms: the non-saturating loss on each discriminator's verdict about fresh clips."""
        fake = self.G(t.latent())
        terms = {"video": g_loss_nonsaturating(self.D(fake))}
        if self.D_image is not None:
            terms["image"] = g_loss_nonsaturating(self.D_image(pick_frames(fake, self.image_frames, t.rng)))
        return terms
