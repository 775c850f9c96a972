"""Published numbers the chapters print beside their own, each with its source.

This is the one table of paper numbers in the book, copied from the project's
ANCHORS.md with the table and place each was read. ``status`` is how far the
value was checked: ``checked`` (read in the paper's own table or the authors'
repository), ``quoted`` (read where a third party quotes the paper verbatim;
printed with "as quoted by"), ``open`` (not found: :meth:`Anchor.cite` refuses
to print it). ``spread`` names what the ``+-`` of a row is, so a chapter can
print its own rows the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("checked", "quoted", "open")


@dataclass(frozen=True)
class Anchor:
    """One published result: what was measured, the values, and where they come from."""

    key: str
    description: str
    values: dict[str, tuple[float, float]]  # metric -> (mean, spread as published)
    spread: str  # what the second number is: "standard error over 10 trials", ...
    source: str
    setting: str
    status: str
    read_at: str  # where the value was read

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"anchor {self.key}: status must be one of {', '.join(STATUSES)}, got {self.status!r}")

    def cite(self) -> str:
        """A one-line source; refuses a row nobody has read in the paper."""
        if self.status == "open":
            raise ValueError(f"anchor {self.key} is not checked against its paper: check it and record where "
                             "(ganbook/anchors.py) before printing it")
        quoted = f" (as quoted by {self.read_at})" if self.status == "quoted" else ""
        return f"{self.source}{quoted}; {self.setting}"


def anchors() -> dict[str, Anchor]:
    """All anchors, by key."""
    pacgan_setting = ("mean +- standard error over 10 trials, 2,500 samples; 100,000 training points, 400 epochs "
                      "of batch 100, G 4x400 ReLU, D maxout 200")
    rows = [
        Anchor(
            key="pacgan-grid-gan",
            description="vanilla GAN on the 5x5 grid of Gaussians (means {-4,-2,0,2,4}^2, std 0.05)",
            values={"modes": (17.3, 0.8), "high_quality": (0.948, 0.007), "reverse_kl": (0.70, 0.07)},
            spread="standard error over 10 trials",
            source="Lin et al. 2018 (PacGAN), Table 1, row GAN, 2D-grid",
            setting=pacgan_setting, status="checked",
            read_at="fjxmlzn/PacGAN, synthetic_data_experiments/results/Table1.png",
        ),
        Anchor(
            key="pacgan-ring-gan",
            description="vanilla GAN on PacGAN's ring of 8 Gaussians (radius 1, std 0.01)",
            values={"modes": (6.3, 0.5), "high_quality": (0.982, 0.002), "reverse_kl": (0.45, 0.09)},
            spread="standard error over 10 trials",
            source="Lin et al. 2018 (PacGAN), Table 1, row GAN, 2D-ring",
            setting=pacgan_setting, status="checked",
            read_at="fjxmlzn/PacGAN, synthetic_data_experiments/results/Table1.png",
        ),
        Anchor(
            key="infogan-mnist-categorical",
            description="InfoGAN's 10-way categorical code as a digit classifier (codes matched to classes)",
            values={"cluster_accuracy": (0.95, float("nan"))},
            spread="none published",
            source="Chen et al. 2016 (InfoGAN), section 'Disentangled Representation': 5% classification error",
            setting="full MNIST (60,000 training digits), 62 noise + 10 categorical + 2 continuous codes",
            status="quoted", read_at="a paper-translation post quoting the sentence verbatim",
        ),
    ]
    return {a.key: a for a in rows}


def anchor(key: str) -> Anchor:
    """The anchor called ``key``, with a one-line error naming the choices."""
    table = anchors()
    if key not in table:
        raise KeyError(f"no anchor {key!r}: choose one of {', '.join(table)}")
    return table[key]
