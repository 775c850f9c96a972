"""Published numbers the chapters print beside their own, each with its source.

This is the one table of paper numbers in the book (see ../shared/ANCHORS.md
for the project's list). ``verified`` says whether the value was checked
against the paper's table; an unverified row is printed with that warning.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    """One published result: what was measured, the values, and where they come from."""

    key: str
    description: str
    values: dict[str, tuple[float, float]]  # metric -> (mean, spread as published)
    source: str
    setting: str
    verified: bool

    def cite(self) -> str:
        """A one-line source, with a warning when the value is not yet verified."""
        note = "" if self.verified else " [unverified: recalled, to be checked against the paper's table]"
        return f"{self.source}; {self.setting}{note}"


def anchors() -> dict[str, Anchor]:
    """All anchors, by key."""
    rows = [
        Anchor(
            key="pacgan-grid-gan",
            description="vanilla GAN on the 5x5 grid of Gaussians",
            values={"modes": (17.3, 0.8), "high_quality": (0.948, 0.007), "reverse_kl": (0.70, 0.07)},
            source="Lin et al. 2018 (PacGAN), Table 1, row GAN, 2D-grid",
            setting="mean +- std over 10 trials, 2,500 samples, 400 epochs of 100,000 points, G 4x400, D 3x200 maxout",
            verified=False,
        ),
        Anchor(
            key="pacgan-ring-gan",
            description="vanilla GAN on the ring of 8 Gaussians",
            values={"modes": (6.3, 0.5), "high_quality": (0.982, 0.002), "reverse_kl": (0.45, 0.09)},
            source="Lin et al. 2018 (PacGAN), Table 1, row GAN, 2D-ring",
            setting="mean +- std over 10 trials, 2,500 samples",
            verified=False,
        ),
        Anchor(
            key="infogan-mnist-categorical",
            description="InfoGAN's 10-way categorical code as a digit classifier (codes matched to classes)",
            values={"cluster_accuracy": (0.95, float("nan"))},
            source="Chen et al. 2016 (InfoGAN), Section 5 (MNIST): about 5% classification error",
            setting="full MNIST (60,000 training digits), 62 noise + 10 categorical + 2 continuous codes",
            verified=False,
        ),
    ]
    return {a.key: a for a in rows}


def anchor(key: str) -> Anchor:
    """The anchor called ``key``, with a one-line error naming the choices."""
    table = anchors()
    if key not in table:
        raise KeyError(f"no anchor {key!r}: choose one of {', '.join(table)}")
    return table[key]
