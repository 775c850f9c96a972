"""Chapter 23: CTGAN on UCI Adult, against simple synthesizers and the ``ctgan`` package, judged as SDGym does.

Each *synthesizer* is fitted on a sample of Adult's training rows
(:func:`ganbook.data.tables.adult`) and asked for as many rows:

- ``"real"``: the training rows themselves (train on real, test on real: TRTR);
- ``"independent"`` and ``"copula"``: :mod:`ganbook.models.table_baselines`;
- ``"ctgan"``: ours, :mod:`ganbook.data.table_encoding` (mode-specific
  normalisation, or min-max with ``mode_specific=False``),
  :mod:`ganbook.data.table_sampling` (training-by-sampling, or uniform rows
  with ``conditional=False``), :mod:`ganbook.models.tabular` and
  :mod:`ganbook.games.ctgan`, trained by the book's one loop;
- ``"ctgan-package"``: the ``ctgan`` package (an optional extra) with the same
  networks, batch, rates and number of updates.

Every synthetic table is scored by :func:`score`: train on synthetic, test on
the real held-out rows (TSTR F1, SDGym's four classifiers and their mean);
each column's distance to the real training rows; the pairwise correlation
and contingency differences; the share of real categories it never produces;
and the seconds it took to fit and sample.
"""

from __future__ import annotations

import importlib.util
import math
import time
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import pandas as pd
import torch

from ..data import tables
from ..data.table_encoding import TableEncoder
from ..data.table_sampling import ConditionalRows
from ..games.ctgan import CTGANGame
from ..metrics import tabular
from ..models.table_baselines import GaussianCopula, IndependentColumns
from ..models.tabular import TableCritic, TableGenerator
from ..train import Trainer
from .base import ExperimentConfig, make_trainer
from .runs import seed_counts, summary, sweep

NAME = "ctgan-adult"
CHAPTER = 23
SYNTHESIZERS = ("real", "independent", "copula", "ctgan", "ctgan-package")


@dataclass(frozen=True)
class CTGANConfig(ExperimentConfig):
    """Sizes and rates per profile. CTGAN's defaults (its code): batch 500, z 128, G and D 256-256, pac 10,
    Adam 2e-4 with betas (0.5, 0.9) and weight decay 1e-6, one critic step, GP 10, Gumbel temperature 0.2,
    300 epochs."""

    steps: int = 2400  # 300 epochs of the 4,000 rows, CTGAN's default number of epochs
    batch_size: int = 500
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.9)
    weight_decay: float = 1e-6
    z_dim: int = 128
    hidden: int = 256
    pac: int = 10
    gp_weight: float = 10.0
    tau: float = 0.2
    train_rows: int = 4000  # a seeded sample of Adult's 30,162 complete training rows
    test_rows: int = 5000  # of its 15,060 complete test rows
    mode_specific: bool = True
    conditional: bool = True
    synthesizer: str = "ctgan"
    seeds: int = 2  # of every synthesizer in the comparison
    ablation_seeds: int = 1  # of our CTGAN without each idea

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=4, batch_size=40, z_dim=8, hidden=16, train_rows=400, test_rows=400, seeds=1),
        "cpu": {},
        "gpu": dict(steps=18100, train_rows=30162, test_rows=15060, seeds=5, ablation_seeds=3),  # 300 epochs, all rows
    }

    def validated(self) -> "CTGANConfig":
        super().validated()
        if self.synthesizer not in SYNTHESIZERS:
            raise ValueError(f"CTGANConfig: unknown synthesizer {self.synthesizer!r}; use one of {', '.join(SYNTHESIZERS)}")
        if self.batch_size % self.pac:
            raise ValueError(f"CTGANConfig: batch_size {self.batch_size} must be a multiple of pac {self.pac}")
        return self

    @property
    def label(self) -> str:
        if self.synthesizer != "ctgan":
            return {"real": "real rows (TRTR)", "independent": "independent columns", "copula": "Gaussian copula",
                    "ctgan-package": "ctgan package"}[self.synthesizer]
        off = [name for name, on in (("mode-specific normalisation", self.mode_specific),
                                     ("training-by-sampling", self.conditional)) if not on]
        return "CTGAN (ours)" + (f" without {' or '.join(off)}" if off else "")


def table(config: CTGANConfig) -> tables.Table:
    """The config's sample of Adult (the same rows for every seed: the seed varies the synthesizer)."""
    return tables.adult(config.train_rows, config.test_rows, seed=0)


def build(config: CTGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """Our CTGAN on the config's training rows: the encoder fitted, G, the packed critic and the game."""
    config = config.validated()
    data = table(config)
    encoder = TableEncoder(data.continuous, data.discrete, config.mode_specific).fit(data.train, seed=config.seed)
    rows = encoder.encode(data.train, seed=config.seed)
    sampler = ConditionalRows(rows, encoder.discrete_spans(), config.conditional)
    torch.manual_seed(config.seed)
    hidden = (config.hidden, config.hidden)
    G = TableGenerator(config.z_dim, sampler.cond_dim, encoder.spans, hidden, config.tau)
    D = TableCritic(encoder.width, sampler.cond_dim, config.pac, hidden)
    game = CTGANGame(G, D, sampler, config.gp_weight)
    game.encoder = encoder
    optimizers = {k: torch.optim.Adam(net.parameters(), lr=lr, betas=config.betas, weight_decay=config.weight_decay)
                  for k, net, lr in (("g", G, config.lr_g), ("d", D, config.lr_d))}
    return make_trainer(game, sampler, config, device, optimizers=optimizers)


def synthetic(trainer: Trainer, n: int, seed: int) -> pd.DataFrame:
    """``n`` rows from a trained CTGAN, decoded to a table."""
    return trainer.game.encoder.decode(trainer.generate(n, seed=seed))


def score(fake: pd.DataFrame, data: tables.Table, seed: int) -> dict[str, float]:
    """TSTR F1 (each classifier and ``f1_mean``), mean KS over continuous columns, mean TV over discrete
    ones, correlation and contingency differences, and the share of missing categories."""
    f1 = tabular.efficacy(fake, data.test, data.target, data.continuous, data.discrete, seed)
    dist = tabular.column_distances(data.train, fake, data.continuous, data.discrete)
    pairs = tabular.correlation_difference(data.train, fake, data.continuous, data.discrete)
    return {**{f"f1_{k.replace(' ', '_')}": v for k, v in f1.items()},
            "ks": sum(dist[c] for c in data.continuous) / len(data.continuous),
            "tv": sum(dist[c] for c in data.discrete) / len(data.discrete),
            "correlation": pairs["correlation"], "contingency": pairs["contingency"],
            "missing_categories": tabular.missing_categories(data.train, fake, data.discrete)}


def package_available() -> bool:
    """Whether the optional ``ctgan`` package is installed (``pip install ganbook[tables]``)."""
    return importlib.util.find_spec("ctgan") is not None


def _package_rows(config: CTGANConfig, data: tables.Table) -> pd.DataFrame:
    """The ``ctgan`` package's CTGAN with our sizes and as many updates as ours (epochs rounded up)."""
    from ctgan import CTGAN

    torch.manual_seed(config.seed)
    epochs = math.ceil(config.steps * config.batch_size / len(data.train))
    model = CTGAN(embedding_dim=config.z_dim, generator_dim=(config.hidden,) * 2,
                  discriminator_dim=(config.hidden,) * 2, generator_lr=config.lr_g, discriminator_lr=config.lr_d,
                  batch_size=config.batch_size, pac=config.pac, epochs=epochs, enable_gpu=False)
    model.set_random_state(config.seed)
    model.fit(data.train, discrete_columns=list(data.discrete))
    return model.sample(len(data.train))


def run_one(config: CTGANConfig) -> dict[str, Any]:
    """Fit the config's synthesizer with its seed, sample as many rows as the real training table, score them."""
    data = table(config)
    start = time.perf_counter()
    if config.synthesizer == "real":
        fake = data.train
    elif config.synthesizer == "independent":
        fake = IndependentColumns().fit(data.train).sample(len(data.train), config.seed)
    elif config.synthesizer == "copula":
        fake = GaussianCopula().fit(data.train, config.seed).sample(len(data.train), config.seed)
    elif config.synthesizer == "ctgan-package":
        fake = _package_rows(config, data)
    else:
        trainer = build(config).fit(config.steps, progress=False)
        fake = synthetic(trainer, len(data.train), config.seed + 1)
    seconds = time.perf_counter() - start
    return {"metrics": {**score(fake, data, config.seed), "seconds": seconds}, "fake": fake}


def variants(config: CTGANConfig) -> dict[str, CTGANConfig]:
    """The comparison's rows: TRTR, the two baselines, ours and the package (if installed)."""
    names = ["real", "independent", "copula", "ctgan"] + (["ctgan-package"] if package_available() else [])
    return {c.label: c for c in (replace(config, synthesizer=s) for s in names)}


def ablations(config: CTGANConfig) -> dict[str, CTGANConfig]:
    """Our CTGAN without mode-specific normalisation, and without training-by-sampling."""
    out = (replace(config, synthesizer="ctgan", **change)
           for change in (dict(mode_specific=False), dict(conditional=False)))
    return {c.label: c for c in out}


def run(config: CTGANConfig, progress: bool = True) -> list[dict[str, Any]]:
    """:func:`variants` with ``config.seeds`` seeds and :func:`ablations` with ``config.ablation_seeds``, all on
    the profile's workers at once (:func:`.runs.sweep`); in that order."""
    seeds = range(config.seed, config.seed + config.seeds)
    jobs = {(label, s): replace(c, seed=s) for label, c in variants(config).items() for s in seeds}
    jobs.update({(label, s): replace(c, seed=s) for label, c in ablations(config).items()
                 for s in range(config.seed, config.seed + config.ablation_seeds)})
    order = list(jobs)  # the table's order; the trained synthesizers go to the workers first
    first = sorted(order, key=lambda job: jobs[job].synthesizer not in ("ctgan", "ctgan-package"))
    results = sweep(run_one, {f"{label}|{s}": jobs[(label, s)] for label, s in first}, None, progress,
                    desc="synthesizers")
    for r in results:
        r["variant"] = r["variant"].rsplit("|", 1)[0]
    return sorted(results, key=lambda r: order.index((r["variant"], r["seed"])))


def evaluate(trainer: Trainer, config: CTGANConfig) -> dict[str, float]:
    """:func:`score` of as many rows as the training table from a trained CTGAN."""
    data = table(config)
    return score(synthetic(trainer, len(data.train), config.seed + 1), data, config.seed)


KEYS = ("f1_mean", "ks", "tv", "correlation", "contingency", "missing_categories", "seconds")


def means(results: list[dict[str, Any]]) -> dict[str, dict[str, tuple[float, float]]]:
    """``{variant: {metric: (mean, s.e.)}}`` over seeds of each of :data:`KEYS` (:func:`.runs.summary`)."""
    return summary(results, KEYS, spread="se")


def summary_table(results: list[dict[str, Any]]) -> pd.DataFrame:
    """Mean ± s.e. over seeds of each of :data:`KEYS`, one row per variant, as text cells (the mean alone for
    a variant with one seed)."""
    seeds = seed_counts(results)
    return pd.DataFrame({name: {k: f"{m:.3f} ± {se:.3f}" if seeds[name] > 1 else f"{m:.3f}"
                                for k, (m, se) in row.items()}
                         for name, row in means(results).items()}).T


Config = CTGANConfig
