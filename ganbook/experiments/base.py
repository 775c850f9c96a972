"""What every experiment module has in common: its config's shape and the optimiser pair.

An experiment is a module with

- ``NAME``: its name on the command line (the module's name, dashes for underscores);
- ``Config``: a frozen :class:`~ganbook.config.ExperimentConfig` whose ``PROFILES`` table
  states, for ``smoke``, ``cpu`` and ``gpu``, every size and learning rate
  that differs from the class's defaults (no config inherits another
  chapter's table); each value is checked against its field's type and the
  range :data:`~ganbook.config.FIELD_BOUNDS` gives its name (a config may widen or narrow one in ``BOUNDS``);
- ``build(config, device) -> Trainer | Stages``: fresh, seeded networks, game and trainer;
- ``evaluate(run, config) -> dict[str, float]``: the numbers its chapter prints.

:func:`ganbook.experiments.registry` lists them; :mod:`.store` trains and caches them.
"""

from __future__ import annotations

import torch
from torch import nn

from ..config import Bound, ExperimentConfig, FIELD_BOUNDS, check_value, from_manifest, parse_changes

__all__ = ["Bound", "ExperimentConfig", "FIELD_BOUNDS", "adam_pair", "check_value", "from_manifest", "parse_changes"]


def adam_pair(G: nn.Module, D: nn.Module, lr_g: float, lr_d: float,
              betas: tuple[float, float] = (0.5, 0.999)) -> dict[str, torch.optim.Optimizer]:
    """The optimisers of the standard game: ``{"g": Adam(G), "d": Adam(D)}``."""
    return {"g": torch.optim.Adam(G.parameters(), lr=lr_g, betas=betas),
            "d": torch.optim.Adam(D.parameters(), lr=lr_d, betas=betas)}
