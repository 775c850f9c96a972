"""What a GAN is to the training loop: its phases, its networks, and how its generators make samples.

A :class:`Game` holds the networks and lists its :class:`Phase` objects: which
optimiser each steps, how often (``every`` k steps: lazy regularisation), how many
times per step (``repeat``: n_critic), its named loss terms, and what runs after
its optimiser step (weight clipping). It also says which of its networks are
*generators* (the ones the moving average keeps and a showcase ships) and how
they make samples from their *inputs* (a latent and a class, a label map, an
image of the other domain), so the :class:`~ganbook.train.Trainer` and
:mod:`ganbook.shipped` never assume one ``G`` driven by a ``z``. The games live
in :mod:`ganbook.games`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import torch
from torch import Tensor, nn


@dataclass(frozen=True)
class Phase:
    """One update of a game: ``losses(trainer)`` returns named terms; their sum is minimised by one optimiser."""

    name: str  # "d", "g": the history logs loss_<name> and <name>.<term>
    optimizer: str  # key of the trainer's optimisers
    losses: Callable[[Any], dict[str, Tensor]]
    every: int = 1  # run on steps where step % every == 0
    repeat: int = 1  # times per step (n_critic)
    after: Callable[[], None] | None = None  # after each optimiser step (weight clipping)
    clip_norm: float | None = None  # rescale the phase's gradients to at most this total norm before the step
    # asked after the losses: False skips this update (3D-GAN's D); every process of a distributed run must agree
    step_if: Callable[[], bool] | None = None


class Game:
    """What a GAN minimises. Subclasses set ``self.phases`` and keep their networks as attributes.

    The defaults describe one generator ``G`` driven by a latent from the prior
    (and a class, for a class-conditional ``G``); a game with other generators or
    inputs overrides :meth:`networks`, :meth:`generators`, :meth:`inputs` and
    :meth:`generate`.
    """

    phases: list[Phase]

    def networks(self) -> dict[str, nn.Module]:
        """Every module a checkpoint keeps, by name."""
        return {"G": self.G, "D": self.D}

    def generators(self) -> dict[str, nn.Module]:
        """The networks that make samples: the moving average keeps a copy of each, a showcase ships them."""
        return {"G": self.G}

    def latent(self, n: int, rng: torch.Generator) -> Tensor:
        """``n`` latent vectors ``(n, G.latent_dim)`` from the prior: ``N(0, I)`` unless a game says otherwise."""
        return torch.randn(n, self.G.latent_dim, generator=rng)

    def conditions(self, n: int) -> Tensor | None:
        """What a picture or a fingerprint asks of ``n`` samples when nobody says: the classes in turn for a
        class-conditional G (one with ``n_classes``), G's own examples for one that has them (a caption
        generator's ``example_conditions``), else nothing."""
        classes = getattr(self.G, "n_classes", None)
        if classes:
            return torch.arange(n) % classes
        examples = getattr(self.G, "example_conditions", None)
        return examples(n) if examples is not None else None

    def inputs(self, n: int, rng: torch.Generator, condition: Tensor | None = None,
               z: Tensor | None = None) -> dict[str, Tensor]:
        """The inputs of ``n`` samples (CPU tensors): latents drawn from ``rng`` (or the given ``z``) and the
        condition of each, if any."""
        out = {"z": self.latent(n, rng) if z is None else z}
        if condition is not None:
            out["c"] = condition
        return out

    def generate(self, nets: dict[str, nn.Module], inputs: dict[str, Tensor]) -> Tensor:
        """Samples from ``inputs`` made by ``nets`` (the game's :meth:`generators` or their moving averages)."""
        G = nets["G"]
        return G(inputs["z"]) if "c" not in inputs else G(inputs["z"], inputs["c"])

    def state_dict(self) -> dict[str, Any]:
        """State beyond the networks that a checkpoint must keep (an image pool, a running mean)."""
        return {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        pass
