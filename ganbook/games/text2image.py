"""The text-to-image game of chapter 21: StackGAN's matching-aware discriminators, conditioning augmentation's
KL term, and AttnGAN's DAMSM term on the generator.

Batches carry 64-pixel scenes ``x`` and their captions' word rows ``tokens``.
The shipped text encoder (frozen; :mod:`ganbook.metrics.instruments.text_encoder`)
turns each caption into word and sentence features. G (:class:`TextGenerator`)
makes one image per stage; each stage's D scores real images with their own
captions, real images with another image's caption (the batch rolled by one,
as StackGAN's code does) and fakes with theirs:

.. math:: \\mathcal L_D = \\sum_s \\ell_{match}\\big(D_s(x_s, e), D_s(x_s, e'), D_s(G_s(z, c), e)\\big),\\qquad
   \\mathcal L_G = \\sum_s -\\mathbb E \\log\\sigma(D_s(G_s(z, c), e)) + \\lambda_{KL} L_{KL}
   + \\lambda_{DAMSM} L_{DAMSM}(G_{last})

(:func:`ganbook.losses.d_loss_matching_aware`, :func:`ganbook.losses.kl_conditioning`,
:mod:`ganbook.metrics.damsm`). Stages train together, as AttnGAN's do; StackGAN
trains stage I first and then stage II on its frozen output.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from ..data import captions
from ..game import Game, Phase
from .standard import Objective, StandardGame
from ..losses import d_loss_matching_aware, g_loss_nonsaturating, kl_conditioning
from ..metrics import damsm
from ..models.text import ConditioningAugmentation, MatchingEncoders
from ..train import Trainer


class TextGenerator(nn.Module):
    """Sentence features -> ``c`` (conditioning augmentation, or a plain linear map without it) -> one image
    per stage. ``stages``: ``{32: StageIGenerator, 64: StageIIGenerator}`` or ``{64: OneStageGenerator}``."""

    def __init__(self, stages: dict[int, nn.Module], sentence_dim: int, c_dim: int, z_dim: int,
                 augment: bool = True) -> None:
        super().__init__()
        self.stages = nn.ModuleDict({str(k): v for k, v in stages.items()})
        self.augment, self.latent_dim, self.c_dim = augment, z_dim, c_dim
        self.condition = ConditioningAugmentation(sentence_dim, c_dim) if augment else nn.Linear(sentence_dim, c_dim)

    example_conditions = staticmethod(captions.examples)  # what pictures and fingerprints ask for by default

    def forward(self, z: Tensor, sentence: Tensor, words: Tensor, mask: Tensor,
                eps: Tensor | None = None) -> tuple[dict[int, Tensor], Tensor, Tensor]:
        """Images by size, and the conditioning Gaussian's ``mu`` and ``logvar`` (zeros without augmentation)."""
        if self.augment:
            c, mu, logvar = self.condition(sentence, eps)
        else:
            c = self.condition(sentence)
            mu = logvar = torch.zeros_like(c)
        sizes = sorted(int(k) for k in self.stages)
        out = {sizes[0]: self.stages[str(sizes[0])](z, c)}
        if len(sizes) == 2:
            second = self.stages[str(sizes[1])]
            attention = getattr(second, "attention", None) is not None
            out[sizes[1]] = second(out[sizes[0]], c, words, mask) if attention else second(out[sizes[0]], c)
        return out, mu, logvar


def shrink(images: Tensor, size: int) -> Tensor:
    """64-pixel images averaged down to ``size`` pixels (the real images each stage's D sees)."""
    factor = images.shape[-1] // size
    return images if factor == 1 else nn.functional.avg_pool2d(images, factor)


class TextToImageGame(Game):
    """G (:class:`TextGenerator`) against one matching-aware D per stage, captions encoded by ``encoders``."""

    def __init__(self, G: TextGenerator, D: nn.ModuleDict, encoders: MatchingEncoders, kl_weight: float = 2.0,
                 damsm_weight: float = 0.0) -> None:
        self.G, self.D, self.encoders = G, D, encoders.requires_grad_(False).eval()
        self.kl_weight, self.damsm_weight = kl_weight, damsm_weight
        self.phases = [Phase("d", "d", self.d_losses), Phase("g", "g", self.g_losses)]
        self._tokens = torch.zeros(0, 0, dtype=torch.long)  # this step's captions: D's phase draws them, G's uses them

    def networks(self) -> dict[str, nn.Module]:
        return {"G": self.G, "D": self.D, "encoders": self.encoders}  # the encoders move and save with the rest

    @torch.no_grad()
    def encode(self, tokens: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """Word features, sentence features and the word mask of captions ``tokens``."""
        self.encoders.eval()
        words, sentence = self.encoders.text(tokens)
        return words, sentence, tokens != 0

    def inputs(self, n: int, rng: torch.Generator, condition: Tensor | None = None,
               z: Tensor | None = None) -> dict[str, Tensor]:
        if condition is None:
            raise ValueError("a text-to-image game makes images for captions: pass their word rows as condition")
        return {"z": self.latent(n, rng) if z is None else z, "tokens": condition,
                "eps": torch.randn(n, self.G.c_dim, generator=rng)}

    def generate(self, nets: dict[str, nn.Module], inputs: dict[str, Tensor]) -> Tensor:
        """The last stage's images for the captions in ``inputs["tokens"]``."""
        words, sentence, mask = self.encode(inputs["tokens"])
        images, _, _ = nets["G"](inputs["z"], sentence, words, mask, inputs["eps"])
        return images[max(images)]

    def _fakes(self, t: Trainer) -> tuple[dict[int, Tensor], Tensor, Tensor, Tensor, Tensor, Tensor]:
        """G's images for this step's captions, the conditioning Gaussian, and the captions' features."""
        words, sentence, mask = self.encode(self._tokens)
        eps = torch.randn(len(sentence), self.G.c_dim, generator=t.rng).to(sentence.device)
        images, mu, logvar = self.G(t.latent(len(sentence)), sentence, words, mask, eps)
        return images, mu, logvar, words, sentence, mask

    def d_losses(self, t: Trainer) -> dict[str, Tensor]:
        """Each stage's matching-aware loss on real/right, real/wrong and
        fake/right pairs."""
        real = t.real()
        self._tokens = real.tokens
        with torch.no_grad():
            fakes, *_, sentence, _ = self._fakes(t)
        wrong = sentence.roll(1, 0)
        terms = {}
        for size, fake in fakes.items():
            D, x = self.D[str(size)], shrink(real.x, size)
            terms[f"match{size}"] = d_loss_matching_aware(D(x, sentence), D(x, wrong),
                                                          D(fake, sentence))
        return terms

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        """Each stage's non-saturating term for this step's captions, the KL term and (if weighted) DAMSM."""
        fakes, mu, logvar, words, sentence, mask = self._fakes(t)
        terms = {f"adv{size}": g_loss_nonsaturating(self.D[str(size)](fake, sentence)) for size, fake in fakes.items()}
        if self.G.augment:
            terms["kl"] = self.kl_weight * kl_conditioning(mu, logvar)
        if self.damsm_weight:
            regions, whole = self.encoders.image(fakes[max(fakes)])
            terms["damsm"] = self.damsm_weight * damsm.loss(words, sentence, regions, whole, self._tokens)
        return terms


class MismatchCriticGame(StandardGame):
    """The standard game (WGAN-GP's, for chapter 21's projection row) whose critic also sees each real scene
    with its caption changed by one word (:func:`ganbook.data.captions.mismatch`) and must score it below the
    true pair: StackGAN's matching-aware idea, as a ranking term that stays bounded for a Wasserstein critic,

    .. math:: L_{mis} = \\mathbb E \\operatorname{softplus}\\big(D(x, s') - D(x, s)\\big),

    added to the critic's loss with weight ``mismatch_weight``. A changed shape, colour or size word costs
    the critic unless it has learnt what that word looks like."""

    def __init__(self, G: nn.Module, D: nn.Module, objective: Objective, n_critic: int = 5,
                 mismatch_weight: float = 1.0) -> None:
        super().__init__(G, D, objective, n_critic=n_critic)
        self.mismatch_weight = mismatch_weight
        self._rng: torch.Generator | None = None
        self._mismatch = torch.zeros(())

    def logits_pair(self, real: Tensor, fake: Tensor,
                    c: Tensor | None) -> tuple[Tensor, Tensor]:
        right, fakes = super().logits_pair(real, fake, c)
        if self.mismatch_weight and c is not None and self._rng is not None:
            wrong = captions.mismatch(c.cpu(), self._rng).to(c.device)
            gap = self.logits(real, wrong) - right
            self._mismatch = nn.functional.softplus(gap).mean()
        return right, fakes

    def d_losses(self, t: Trainer) -> dict[str, Tensor]:
        """The standard game's terms, and the weighted mismatch term on this step's real batch."""
        self._rng = t.rng
        terms = super().d_losses(t)
        if self.mismatch_weight:
            terms["mismatch"] = self.mismatch_weight * self._mismatch
        return terms
