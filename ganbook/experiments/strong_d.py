"""Chapter 3: what a too-strong discriminator does to the generator's gradient.

The experiment of Arjovsky & Bottou (2017, section 2.2): freeze a generator,
train only D against it for more and more steps, and measure the norm of G's
gradient under the saturating and the non-saturating loss. As D approaches a
perfect classifier, the saturating loss's gradient vanishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from ..losses import as_logits, g_loss_nonsaturating, g_loss_saturating
from ..metrics import grad_norm
from ..train import Every, Trainer
from . import toy2d


@dataclass
class GradientProbe:
    """Callback: G's gradient norm under both generator losses, on fixed latents, and D's accuracy."""

    n: int = 1024
    records: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, trainer: Trainer) -> None:
        z = trainer.latent(self.n, torch.Generator().manual_seed(5))
        real = trainer.data(self.n, torch.Generator().manual_seed(6)).to(trainer.device)
        row: dict[str, Any] = {"d_steps": trainer.step}
        for name, loss_fn in (("saturating", g_loss_saturating), ("non-saturating", g_loss_nonsaturating)):
            trainer.G.zero_grad(set_to_none=True)
            loss_fn(as_logits(trainer.D(trainer.G(z)))).backward()
            row[name] = grad_norm(trainer.G)
        trainer.G.zero_grad(set_to_none=True)
        with torch.no_grad():
            fake_p = torch.sigmoid(trainer.D(trainer.G(z)))
            real_p = torch.sigmoid(trainer.D(real))
        row["accuracy"] = float(((real_p > 0.5).float().mean() + (fake_p < 0.5).float().mean()) / 2)
        row["mean_d_fake"] = float(fake_p.mean())
        self.records.append(row)


def train_d_only(config: toy2d.Toy2DConfig, d_steps: int, probe_every: int, progress: bool = True) -> list[dict[str, Any]]:
    """Train D for ``d_steps`` against the frozen, freshly initialised G of ``config``; return the probe records."""
    trainer = toy2d.build(config)
    trainer.lr_schedule = None
    for group in trainer.optimizers["g"].param_groups:
        group["lr"] = 0.0  # G stays as it is; only D learns
    probe = GradientProbe()
    trainer.fit(d_steps, callbacks=[Every(probe_every, probe)], progress=progress)
    return probe.records
