"""What every experiment module has in common: its config's shape and the optimiser pair.

An experiment is a module with

- ``NAME``: its name on the command line (the module's name, dashes for underscores);
  :func:`~ganbook.experiments.registry.registry` finds every module that sets it;
- ``CHAPTER``: the chapter that uses it (the command line lists experiments in that order);
- ``Config``: a frozen :class:`~ganbook.config.ExperimentConfig` whose ``PROFILES`` table
  states, for ``smoke``, ``cpu`` and ``gpu``, only the sizes and rates that
  differ from the class's defaults (a test holds every row to that; no config
  inherits another chapter's); each value is checked against its field's type and the
  range :data:`~ganbook.config.FIELD_BOUNDS` gives its name (a config may widen or narrow one in ``BOUNDS``);
- ``build(config, device) -> Trainer | Stages``: fresh, seeded networks, game and trainer
  (most through :func:`make_trainer`);
- ``evaluate(run, config) -> dict[str, float]``: the numbers its chapter prints.

:mod:`.store` trains and caches them.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..config import Bound, ExperimentConfig, FIELD_BOUNDS, check_value, from_manifest, parse_changes
from ..game import Game
from ..batch import DataSource
from ..train import Trainer

__all__ = ["Bound", "ExperimentConfig", "FIELD_BOUNDS", "adam_pair", "check_value", "from_manifest", "make_trainer",
           "parse_changes"]


def adam_pair(G: nn.Module, D: nn.Module, lr_g: float, lr_d: float,
              betas: tuple[float, float] = (0.5, 0.999)) -> dict[str, torch.optim.Optimizer]:
    """The optimisers of the standard game: ``{"g": Adam(G), "d": Adam(D)}``."""
    return {"g": torch.optim.Adam(G.parameters(), lr=lr_g, betas=betas),
            "d": torch.optim.Adam(D.parameters(), lr=lr_d, betas=betas)}


def make_trainer(game: Game, data: DataSource, config: Any, device: torch.device | str = "cpu",
                 **options: Any) -> Trainer:
    """The trainer most experiments build: :func:`adam_pair` on the game's ``G`` and ``D`` at the config's
    ``lr_g``, ``lr_d`` and ``betas``; its ``batch_size`` and ``seed``; and its ``ema_decay`` if it has one.

    ``options`` replace any of these or add others of :class:`~ganbook.train.Trainer` (``optimizers``,
    ``batch_size``, ``lr_schedule``, ...).
    """
    nets = game.networks()
    settings: dict[str, Any] = dict(batch_size=config.batch_size, seed=config.seed, device=device,
                                    ema_decay=getattr(config, "ema_decay", None) or None)
    settings.update(options)
    optimizers = settings.pop("optimizers", None)
    if optimizers is None:
        optimizers = adam_pair(nets["G"], nets["D"], config.lr_g, config.lr_d, config.betas)
    return Trainer(game, data, optimizers, **settings)
