"""A table as a network sees it (chapter 23): CTGAN's mode-specific normalisation and one-hot columns.

A continuous column of a real table is seldom one bump: Adult's capital gain
is mostly 0 with a long tail, its age several overlapping groups. Squashing
it to [-1, 1] by its minimum and maximum leaves most values in a sliver that a
tanh output can hardly hit. CTGAN (Xu et al., 2019) fits a variational
Gaussian mixture to the column (scikit-learn's ``BayesianGaussianMixture``,
at most 10 modes, a Dirichlet-process prior of weight 0.001; modes of weight
under 0.005 dropped, as the authors' code does) and writes each value ``x`` as

- a one-hot ``beta`` of the mode ``k`` it is put in, drawn from the mixture's
  posterior over modes given ``x``;
- a scalar ``alpha = (x - mu_k) / (4 sigma_k)``, clipped to [-0.99, 0.99].

Decoding takes the most likely mode of ``beta`` and inverts the scalar
(rounded, for a column of whole numbers). A discrete column is one-hot. :class:`TableEncoder` does both, and with
``mode_specific=False`` encodes continuous columns the naive way (min-max to
[-1, 1], one scalar) for comparison. :attr:`TableEncoder.spans` says which
slice of an encoded row is what, which the generator's output layer and the
conditional vector both follow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import Tensor

MAX_MODES = 10
WEIGHT_THRESHOLD = 0.005
PRIOR = 0.001


@dataclass(frozen=True)
class Span:
    """A slice of an encoded row: ``size`` numbers from ``start``, squashed by ``activation`` ("tanh" for a
    scalar, "softmax" for a one-hot), belonging to ``column``; ``discrete`` for a discrete column's one-hot."""

    column: str
    start: int
    size: int
    activation: str
    discrete: bool = False

    @property
    def end(self) -> int:
        return self.start + self.size


class TableEncoder:
    """Fits on a real table; :meth:`encode` rows to a float tensor, :meth:`decode` it back to a table."""

    def __init__(self, continuous: tuple[str, ...], discrete: tuple[str, ...], mode_specific: bool = True) -> None:
        self.continuous, self.discrete, self.mode_specific = tuple(continuous), tuple(discrete), mode_specific

    def fit(self, table: pd.DataFrame, seed: int = 0) -> "TableEncoder":
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.mixture import BayesianGaussianMixture

        missing = [c for c in self.continuous + self.discrete if c not in table.columns]
        if missing:
            raise ValueError(f"the table has no column(s) {', '.join(missing)}; it has {', '.join(table.columns)}")
        self.modes: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # column -> (means, stds) of its kept modes
        self.mixtures: dict[str, tuple[object, np.ndarray]] = {}
        self.ranges: dict[str, tuple[float, float]] = {}
        self.categories = {c: np.array(sorted(table[c].astype(str).unique())) for c in self.discrete}
        self.integers = {c for c in self.continuous if np.all(np.mod(table[c].to_numpy(float), 1) == 0)}
        spans, start = [], 0
        for c in self.continuous:
            x = table[c].to_numpy(float)[:, None]
            if self.mode_specific:
                bgm = BayesianGaussianMixture(n_components=min(MAX_MODES, len(x)), random_state=seed, n_init=1,
                                              weight_concentration_prior_type="dirichlet_process",
                                              weight_concentration_prior=PRIOR, max_iter=100)
                with warnings.catch_warnings():  # 100 iterations is CTGAN's setting; some columns stop short of it
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    bgm.fit(x)
                keep = bgm.weights_ > WEIGHT_THRESHOLD
                self.mixtures[c] = (bgm, keep)
                self.modes[c] = (bgm.means_[keep, 0], np.sqrt(bgm.covariances_[keep].reshape(-1)))
                spans += [Span(c, start, 1, "tanh"), Span(c, start + 1, int(keep.sum()), "softmax")]
                start += 1 + int(keep.sum())
            else:
                self.ranges[c] = (float(x.min()), float(x.max()))
                spans.append(Span(c, start, 1, "tanh"))
                start += 1
        for c in self.discrete:
            spans.append(Span(c, start, len(self.categories[c]), "softmax", discrete=True))
            start += len(self.categories[c])
        self.spans, self.width = tuple(spans), start
        return self

    def discrete_spans(self) -> list[Span]:
        """The one-hot spans of the discrete columns, in order (what the conditional vector is made of)."""
        return [s for s in self.spans if s.discrete]

    def encode(self, table: pd.DataFrame, seed: int = 0) -> Tensor:
        """``(n, width)`` float rows; each continuous value's mode drawn from the posterior with ``seed``."""
        rng = np.random.default_rng(seed)
        out = np.zeros((len(table), self.width), dtype=np.float32)
        for s in self.spans:
            if s.discrete:
                values = table[s.column].astype(str).to_numpy()
                index = np.minimum(np.searchsorted(self.categories[s.column], values), s.size - 1)
                if not (self.categories[s.column][index] == values).all():
                    raise ValueError(f"column {s.column} holds categories the encoder never saw")
                out[np.arange(len(table)), s.start + index] = 1
            elif s.activation == "tanh":
                x = table[s.column].to_numpy(float)
                if self.mode_specific:
                    bgm, keep = self.mixtures[s.column]
                    means, stds = self.modes[s.column]
                    post = bgm.predict_proba(x[:, None])[:, keep] + 1e-6
                    post /= post.sum(1, keepdims=True)
                    mode = (post.cumsum(1) > rng.random((len(x), 1))).argmax(1)  # one draw per row
                    out[:, s.start] = np.clip((x - means[mode]) / (4 * stds[mode]), -0.99, 0.99)
                    out[np.arange(len(x)), s.start + 1 + mode] = 1
                else:
                    low, high = self.ranges[s.column]
                    out[:, s.start] = 2 * (x - low) / max(high - low, 1e-12) - 1
        return torch.from_numpy(out)

    def decode(self, rows: Tensor) -> pd.DataFrame:
        """A table from encoded (or generated) rows: the most likely mode or category of each one-hot."""
        rows = rows.detach().cpu().numpy()
        out: dict[str, np.ndarray] = {}
        spans = list(self.spans)
        for i, s in enumerate(spans):
            if s.discrete:
                out[s.column] = self.categories[s.column][rows[:, s.start:s.end].argmax(1)]
            elif s.activation == "tanh":
                alpha = np.clip(rows[:, s.start], -1, 1)
                if self.mode_specific:
                    means, stds = self.modes[s.column]
                    mode = rows[:, spans[i + 1].start:spans[i + 1].end].argmax(1)
                    out[s.column] = alpha * 4 * stds[mode] + means[mode]
                else:
                    low, high = self.ranges[s.column]
                    out[s.column] = (alpha + 1) / 2 * (high - low) + low
        for c in self.integers:  # a column of whole numbers comes back as whole numbers, as CTGAN's does
            out[c] = np.round(out[c])
        return pd.DataFrame({c: out[c] for c in self.continuous + self.discrete})
