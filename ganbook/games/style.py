"""StyleGAN's game: the standard game whose G draws fakes with style mixing regularisation.

With probability ``mixing`` a fake is made from two latents: ``w1`` drives the
layers below a crossover point drawn uniformly, ``w2`` the rest (Karras et al.,
2019, section 3.1), so G cannot assume that neighbouring layers' styles
belong together. The game also keeps G's running mean of ``w`` (decay 0.995),
the centre that truncation in W moves towards. Randomness comes from torch's
global stream, which the trainer's checkpoints keep.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from ..models.stylegan import mix_styles
from .standard import Objective, StandardGame


class StyleGame(StandardGame):
    """:class:`StandardGame` for a :class:`~ganbook.models.stylegan.StyleGenerator` with mixing probability ``mixing``."""

    def __init__(self, G: nn.Module, D: nn.Module, objective: Objective = Objective(), mixing: float = 0.9,
                 w_avg_decay: float = 0.995) -> None:
        super().__init__(G, D, objective)
        self.mixing, self.w_avg_decay = mixing, w_avg_decay

    def fake(self, z: Tensor, c: Tensor | None) -> Tensor:
        G = self.G
        if not G.training:
            return G(z)
        w = G.mapping(z)
        with torch.no_grad():
            G.w_avg.lerp_(w.mean(0), 1 - self.w_avg_decay)
        ws = G.broadcast(w)
        if self.mixing > 0:
            n = len(z)
            w2 = G.mapping(torch.randn(z.shape, device=z.device))
            cut = torch.randint(1, G.num_ws, (n,), device=z.device)
            mixed = torch.rand(n, device=z.device) < self.mixing  # else w1 everywhere
            cut = torch.where(mixed, cut, torch.full_like(cut, G.num_ws))
            ws = mix_styles(w, w2, cut, G.num_ws)
        return G.synthesis(ws)
