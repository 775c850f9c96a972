"""The published rows of chapter 23: SDGym's leaderboard for synthetic Adult, machine-learning efficacy F1.

The leaderboard is CTGAN's authors' own benchmark (SDGym), and the row is read
where it is published, so it is checked, not quoted: sdv-dev/SDGym's
SYNTHESIZERS.md, section "Leaderboard", "Real World Datasets", column
``adult/f1``. That column is the binary F1 on Adult's real test split of four
classifiers (a depth-15 decision tree, AdaBoost, logistic regression, an MLP
of 50 units) trained on synthetic rows, averaged over the classifiers and
three refits of each synthesizer; "Identity" trains on the real rows. The
same repository's leaderboard.csv of 2020-04-12 holds a later run with
slightly different values (Identity 0.6616, CTGAN 0.5974, TVAE 0.6302), which
is why the file read is named."""

from __future__ import annotations

from .anchors import Anchor

LEADERBOARD = ("sdv-dev/SDGym SYNTHESIZERS.md (commit 1f55939c), section Leaderboard / Real World Datasets, "
               "column adult/f1")
CTGAN_CODE = "ctgan 0.12.1 ctgan/synthesizers/ctgan.py, CTGAN.__init__ (epochs=300)"
SETTING = ("binary F1 on Adult's real test rows, mean of a depth-15 decision tree, AdaBoost, logistic regression "
           "and an MLP (50 units) trained on as many synthetic rows as the training split, over 3 refits; "
           "full Adult training split, 300 epochs for CTGAN")


def tables() -> list[Anchor]:
    """SDGym's Adult efficacy F1 for each synthesizer on its leaderboard (checked)."""
    nan = float("nan")
    rows = {"identity": 0.669, "clbn": 0.334, "privbn": 0.414, "medgan": 0.375, "veegan": 0.235,
            "tablegan": 0.492, "tvae": 0.626, "ctgan": 0.601}
    return [Anchor(key="sdgym-adult-f1", description="SDGym leaderboard: machine-learning efficacy F1 on Adult",
                   values={k: (v, nan) for k, v in rows.items()}, spread="none published",
                   source="SDGym leaderboard (Xu et al. 2019's benchmark)", setting=SETTING, status="checked",
                   read_at=LEADERBOARD),
            Anchor(key="sdgym-ctgan-epochs", description="the epochs CTGAN trains for on the leaderboard (a setting)",
                   values={"epochs": (300, nan)}, spread="none (a setting)", source="ctgan package, CTGAN's default",
                   setting="full Adult training split; SDGym's leaderboard runs the package's defaults",
                   status="checked", read_at=CTGAN_CODE)]
