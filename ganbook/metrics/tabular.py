"""How alike two tables are (chapter 23): column by column, pair by pair, and for a classifier.

A synthetic table is judged three ways, all against the real training table
and the held-out real rows:

- **each column** (:func:`column_distances`): the Kolmogorov-Smirnov statistic
  (the largest gap between the two empirical CDFs) for a continuous column,
  the total variation distance between the category frequencies for a
  discrete one. SDMetrics reports one minus each (``KSComplement``,
  ``TVComplement``); we report the distances, 0 for identical marginals; and
  the share of the real categories a synthetic table never produces
  (:func:`missing_categories`);
- **each pair of columns** (:func:`correlation_difference`): the absolute
  difference between the real and the synthetic Pearson correlation of every
  pair of continuous columns (SDMetrics' ``CorrelationSimilarity`` is one minus
  half of it), and for a pair with a discrete column the total variation
  distance between the two tables' joint frequencies (``ContingencySimilarity``
  is one minus it), continuous columns cut into the real column's deciles;
- **for a classifier** (:func:`efficacy`): train on synthetic, test on real
  (TSTR) against train on real, test on real (TRTR), with the classifiers,
  features and F1 score of SDGym's machine-learning efficacy benchmark (read
  in sdv-dev/SDGym's ``sdgym/evaluate.py``).
"""

from __future__ import annotations

from itertools import combinations
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats


def ks_distance(real: np.ndarray, fake: np.ndarray) -> float:
    """The two-sample Kolmogorov-Smirnov statistic: ``max_x |F_real(x) - F_fake(x)|`` (scipy's; the
    asymptotic method only changes the p-value, which is not used)."""
    return float(stats.ks_2samp(np.asarray(real, float), np.asarray(fake, float), method="asymp").statistic)


def tv_distance(real: Sequence[Any], fake: Sequence[Any]) -> float:
    """Total variation distance between the frequencies of the values in ``real`` and in ``fake``:
    ``1/2 sum_v |p_real(v) - p_fake(v)|`` over every value either holds."""
    p = pd.Series(real).value_counts(normalize=True, dropna=False)
    q = pd.Series(fake).value_counts(normalize=True, dropna=False)
    return float(0.5 * p.sub(q, fill_value=0).abs().sum())


def column_distances(real: pd.DataFrame, fake: pd.DataFrame, continuous: Sequence[str],
                     discrete: Sequence[str]) -> dict[str, float]:
    """``{column: distance}``: KS for each of ``continuous``, total variation for each of ``discrete``."""
    out = {c: ks_distance(real[c].to_numpy(), fake[c].to_numpy()) for c in continuous}
    out.update({c: tv_distance(real[c], fake[c]) for c in discrete})
    return out


def missing_categories(real: pd.DataFrame, fake: pd.DataFrame, discrete: Sequence[str]) -> float:
    """The share of the real table's (column, category) pairs that never occur in ``fake``."""
    pairs = [(c, v) for c in discrete for v in real[c].unique()]
    seen = {c: set(fake[c].unique()) for c in discrete}
    return sum(v not in seen[c] for c, v in pairs) / len(pairs)


def _binned(column: pd.Series, edges: np.ndarray) -> pd.Series:
    return pd.Series(np.searchsorted(edges, column.to_numpy(float), side="right"), index=column.index)


def correlation_difference(real: pd.DataFrame, fake: pd.DataFrame, continuous: Sequence[str],
                           discrete: Sequence[str]) -> dict[str, float]:
    """Pair by pair: ``correlation`` is the mean over pairs of continuous columns of
    ``|r_real - r_fake|`` (Pearson; a constant column counts as correlation 0, as SDMetrics fills it);
    ``contingency`` the mean over the other pairs of the total variation
    between joint frequencies, each continuous column cut at the real column's deciles. nan where there
    are no such pairs."""
    corr = [abs(np.nan_to_num(real[a].corr(real[b])) - np.nan_to_num(fake[a].corr(fake[b])))
            for a, b in combinations(continuous, 2)]  # a constant column correlates 0 with anything
    edges = {c: np.unique(np.quantile(real[c].to_numpy(float), np.linspace(0.1, 0.9, 9))) for c in continuous}

    def coded(table: pd.DataFrame, c: str) -> pd.Series:
        return _binned(table[c], edges[c]) if c in edges else table[c].astype(str)

    columns = list(continuous) + list(discrete)
    joint = [tv_distance(list(zip(coded(real, a), coded(real, b))), list(zip(coded(fake, a), coded(fake, b))))
             for a, b in combinations(columns, 2) if a in discrete or b in discrete]
    return {"correlation": float(np.mean(corr)) if corr else float("nan"),
            "contingency": float(np.mean(joint)) if joint else float("nan")}


def classifiers(seed: int) -> dict[str, Any]:
    """SDGym's machine-learning efficacy classifiers for a binary target (its ``evaluate.py``), seeded: a
    balanced decision tree of depth 15, AdaBoost (50 estimators), balanced logistic regression (50
    iterations) and an MLP with one hidden layer of 50 (50 iterations)."""
    from sklearn.ensemble import AdaBoostClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.tree import DecisionTreeClassifier

    return {"decision tree": DecisionTreeClassifier(max_depth=15, class_weight="balanced", random_state=seed),
            "AdaBoost": AdaBoostClassifier(n_estimators=50, random_state=seed),
            "logistic regression": LogisticRegression(max_iter=50, class_weight="balanced"),
            "MLP": MLPClassifier((50,), max_iter=50, random_state=seed)}


def features(train: pd.DataFrame, test: pd.DataFrame, continuous: Sequence[str],
             discrete: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """SDGym's features, fitted on ``train``: a continuous column with minimum at least 0 and maximum at
    least 1000 becomes ``log(max(x, 0.01))``, any other ``5 (x - min) / (max - min)``; a discrete one is
    one-hot over the training table's categories (one it never saw is all zeros)."""
    cols_train, cols_test = [], []
    for c in continuous:
        x, y = train[c].to_numpy(float), test[c].to_numpy(float)
        low, high = x.min(), x.max()
        if low >= 0 and high >= 1000:
            cols_train.append(np.log(np.maximum(x, 0.01)))
            cols_test.append(np.log(np.maximum(y, 0.01)))
        else:
            span = high - low if high > low else 1.0
            cols_train.append(5 * (x - low) / span)
            cols_test.append(5 * (y - low) / span)
    for c in discrete:
        seen = np.unique(train[c].astype(str))
        for frame, out in ((train, cols_train), (test, cols_test)):
            values = frame[c].astype(str).to_numpy()
            out.extend((values == v).astype(float) for v in seen)
    return np.stack(cols_train, 1), np.stack(cols_test, 1)


def efficacy(train: pd.DataFrame, test: pd.DataFrame, target: str, continuous: Sequence[str],
             discrete: Sequence[str], seed: int = 0) -> dict[str, float]:
    """Machine-learning efficacy as SDGym scores it: the binary F1 on the real ``test`` rows of each of
    :func:`classifiers` trained on ``train`` (real or synthetic) to predict ``target`` (its positive class
    is the rarer one in ``test``) from :func:`features`, and their mean (``mean``). A training table with
    one class only scores 0 for every classifier."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import f1_score

    positive = test[target].value_counts().idxmin()
    y_train, y_test = (train[target] == positive).to_numpy(), (test[target] == positive).to_numpy()
    x_train, x_test = features(train, test, [c for c in continuous if c != target],
                               [c for c in discrete if c != target])
    out = {}
    for name, model in classifiers(seed).items():
        if len(np.unique(y_train)) < 2:
            out[name] = 0.0
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # 50 iterations is SDGym's setting, not a slip
            model.fit(x_train, y_train)
        out[name] = float(f1_score(y_test, model.predict(x_test)))
    out["mean"] = float(np.mean(list(out.values())))
    return out
