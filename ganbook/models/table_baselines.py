"""Two synthesizers a table GAN must beat (chapter 23): independent columns, and a Gaussian copula.

Both fit on a real table (a pandas DataFrame, any mix of numeric and
categorical columns) and sample new rows from their own seed:

- :class:`IndependentColumns` draws each column from its own real values,
  independently of the others: every marginal is right and every relation
  between columns is lost;
- :class:`GaussianCopula` keeps each marginal the same way and adds the
  correlations between columns: each column becomes normal scores through its
  empirical CDF (ties, and so categories, spread at random over their share),
  the scores' correlation matrix is estimated, and a sample drawn from that
  Gaussian is mapped back through each column's empirical quantiles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def _check_table(table: pd.DataFrame) -> None:
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise ValueError("a synthesizer fits a non-empty pandas DataFrame of real rows")


class IndependentColumns:
    """Each column sampled, with replacement, from its own real values."""

    def fit(self, table: pd.DataFrame) -> "IndependentColumns":
        _check_table(table)
        self.table = table.reset_index(drop=True)
        return self

    def sample(self, n: int, seed: int = 0) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        return pd.DataFrame({c: self.table[c].to_numpy()[rng.integers(0, len(self.table), n)]
                             for c in self.table.columns})


class GaussianCopula:
    """Marginals from the real columns, dependence from a Gaussian on their normal scores.

    A column's value ``x`` becomes ``u = (r + 1/2) / n``, where ``r`` is its rank among the column's ``n``
    values with ties broken at random, and then the normal score ``Phi^-1(u)``. Sampling draws
    ``z ~ N(0, R)`` with ``R`` the scores' correlation, and maps each ``Phi(z)`` back to the column's
    value of that quantile (so a categorical column keeps its categories and their shares)."""

    def fit(self, table: pd.DataFrame, seed: int = 0) -> "GaussianCopula":
        _check_table(table)
        rng = np.random.default_rng(seed)
        self.columns = list(table.columns)
        self.sorted: dict[str, np.ndarray] = {}
        scores = []
        for c in self.columns:
            codes, values = self._codes(table[c])
            order = np.lexsort((rng.random(len(codes)), codes))  # by value, ties at random
            ranks = np.empty(len(codes))
            ranks[order] = np.arange(len(codes))
            self.sorted[c] = values[codes[order]]
            scores.append(stats.norm.ppf((ranks + 0.5) / len(codes)))
        self.correlation = np.corrcoef(np.stack(scores)) if len(scores) > 1 else np.ones((1, 1))
        return self

    @staticmethod
    def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Integer codes that sort like the column (numbers by value, categories by name) and the values."""
        values, codes = np.unique(column.to_numpy(), return_inverse=True)
        return codes, values

    def sample(self, n: int, seed: int = 0) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        z = rng.multivariate_normal(np.zeros(len(self.columns)), self.correlation, size=n, method="cholesky")
        u = stats.norm.cdf(z)
        out = {}
        for j, c in enumerate(self.columns):
            values = self.sorted[c]
            out[c] = values[np.minimum((u[:, j] * len(values)).astype(int), len(values) - 1)]
        return pd.DataFrame(out)
