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
        *_pacgan_table1(pacgan_setting),
        *_veegan_table1(),
        *_pacgan_table2(),
        Anchor(
            key="infogan-mnist-categorical",
            description="InfoGAN's 10-way categorical code as a digit classifier (codes matched to classes)",
            values={"cluster_accuracy": (0.95, float("nan"))},
            spread="none published",
            source="Chen et al. 2016 (InfoGAN), section 'Disentangled Representation': 5% classification error",
            setting="full MNIST (60,000 training digits), 62 noise + 10 categorical + 2 continuous codes",
            status="quoted", read_at="a paper-translation post quoting the sentence verbatim",
        ),
        *_style_based(),
    ]
    return {a.key: a for a in rows}


ANCHORS_MD = "the project's ANCHORS.md (table images)"


def _style_based() -> list[Anchor]:
    """ProGAN Table 1's average SWD and StyleGAN Tables 2 and 3 (chapters 14 and 16)."""
    nan = float("nan")
    none = "none published"
    ffhq = "FFHQ, 1024x1024, 8-layer mapping MLP, 512-d Z and W, no truncation in the FIDs"
    rows = [
        Anchor(key="progan-swd", description="average SWD x 1e3 over the pyramid levels, without and with growing",
               values={"not_grown": (9.28, nan), "grown": (4.28, nan)}, spread=none,
               source="Karras et al. 2018 (ProGAN), Table 1", setting="CelebA, 128x128", status="quoted",
               read_at=ANCHORS_MD),
    ]
    for key, label, full, end in (("z", "traditional generator, in Z", 412.0, 415.3),
                                  ("w", "style-based generator, in W", 446.2, 376.6),
                                  ("w-noise", "style-based + noise inputs, in W", 200.5, 160.6),
                                  ("w-mixing", "style-based + mixing 90%, in W", 234.0, 195.9)):
        rows.append(Anchor(key=f"stylegan-ppl-{key}", description=f"perceptual path length, {label}",
                           values={"full": (full, nan), "end": (end, nan)}, spread=none,
                           source="Karras et al. 2019 (StyleGAN), Table 3", setting=ffhq, status="quoted",
                           read_at=ANCHORS_MD))
    rows.append(Anchor(key="stylegan-separability", description="linear separability of 40 CelebA attributes",
                       values={"z": (10.78, nan), "w": (3.79, nan)}, spread=none,
                       source="Karras et al. 2019 (StyleGAN), Table 3 (traditional G in Z; style-based G in W)",
                       setting=ffhq, status="quoted", read_at=ANCHORS_MD))
    for key, label, fids in (("none", "no mixing regularisation", (4.42, 8.22, 12.88, 17.41)),
                             ("90", "mixing regularisation 90%", (4.40, 5.11, 6.88, 9.03))):
        rows.append(Anchor(key=f"stylegan-mixing-{key}", description=f"FID with 1-4 latents mixed at test time, {label}",
                           values={f"latents_{i + 1}": (v, nan) for i, v in enumerate(fids)}, spread=none,
                           source="Karras et al. 2019 (StyleGAN), Table 2", setting=ffhq, status="quoted",
                           read_at=ANCHORS_MD))
    return rows


PACGAN_TABLE1 = "fjxmlzn/PacGAN, synthetic_data_experiments/results/Table1.png"
# PacGAN Table 1: (modes, high-quality share, reverse KL) as (mean, standard error) on the ring, then the grid
_PACGAN_ROWS = {
    "gan": ("GAN", ((6.3, 0.5), (0.982, 0.002), (0.45, 0.09)), ((17.3, 0.8), (0.948, 0.007), (0.70, 0.07))),
    "pacgan2": ("PacGAN2", ((7.9, 0.1), (0.956, 0.020), (0.07, 0.03)), ((23.8, 0.7), (0.913, 0.008), (0.13, 0.04))),
    "pacgan3": ("PacGAN3", ((7.8, 0.1), (0.977, 0.003), (0.10, 0.02)), ((24.6, 0.4), (0.942, 0.004), (0.06, 0.02))),
    "pacgan4": ("PacGAN4", ((7.8, 0.1), (0.959, 0.014), (0.07, 0.02)), ((24.8, 0.2), (0.936, 0.006), (0.04, 0.01))),
}


def _pacgan_table1(setting: str) -> list[Anchor]:
    """PacGAN Table 1's GAN and PacGAN2-4 rows, one anchor per model and data set (``pacgan-ring-pacgan2``...)."""
    geometry = {"ring": "PacGAN's ring of 8 Gaussians (radius 1, std 0.01)",
                "grid": "the 5x5 grid of Gaussians (means {-4,-2,0,2,4}^2, std 0.05)"}
    rows = []
    for key, (label, ring_row, grid_row) in _PACGAN_ROWS.items():
        for data, row, column in (("ring", ring_row, "2D-ring"), ("grid", grid_row, "2D-grid")):
            rows.append(Anchor(
                key=f"pacgan-{data}-{key}", description=f"{label} on {geometry[data]}",
                values=dict(zip(("modes", "high_quality", "reverse_kl"), row)),
                spread="standard error over 10 trials",
                source=f"Lin et al. 2018 (PacGAN), Table 1, row {label}, {column}",
                setting=setting, status="checked", read_at=PACGAN_TABLE1))
    return rows


def _veegan_table1() -> list[Anchor]:
    """VEEGAN Table 1's GAN and unrolled-GAN rows (5 runs, no spread published)."""
    nan = float("nan")
    rows = {"gan": ("GAN", (1.0, 0.993), (3.3, 0.005)),
            "unrolled": ("Unrolled GAN (5 steps)", (7.6, 0.356), (23.6, 0.16))}
    return [Anchor(
        key=f"veegan-{data}-{key}", description=f"{label} on the {data} of Gaussians, as VEEGAN ran it",
        values={"modes": (values[0], nan), "high_quality": (values[1], nan)},
        spread="none published (average of 5 runs)",
        source=f"Srivastava et al. 2017 (VEEGAN), Table 1, row {label}, {data}",
        setting="VEEGAN's own networks and budget; 2,500 samples, 3 standard deviations",
        status="checked", read_at="akashgit/VEEGAN, tab.png")
        for key, (label, ring, grid) in rows.items() for data, values in (("ring", ring), ("grid", grid))]


def _pacgan_table2() -> list[Anchor]:
    """PacGAN Table 2 on stacked MNIST (1,000 modes, 26,000 samples): the rows ``stacked-*``."""
    nan = float("nan")
    read_at = "fjxmlzn/PacGAN, stacked_MNIST_experiments/results/Table2.png"
    setting = "DCGAN, Adam 2e-4 beta1 0.5, batch 64, z 100, 50 epochs of 128,000 stacked images"
    rows = [("dcgan-veegan", "DCGAN (VEEGAN's run, copied by PacGAN)", (99.0, nan), (3.40, nan), "none published"),
            ("unrolled-veegan", "Unrolled GAN (VEEGAN's run, copied by PacGAN)", (48.7, nan), (4.32, nan),
             "none published"),
            ("dcgan", "DCGAN (PacGAN's run)", (78.9, 6.46), (4.50, 0.127), "standard error over 10 trials"),
            ("pacdcgan2", "PacDCGAN2", (1000.0, 0.0), (0.06, 0.003), "standard error over 10 trials"),
            ("pacdcgan3", "PacDCGAN3", (1000.0, 0.0), (0.06, 0.003), "standard error over 10 trials"),
            ("pacdcgan4", "PacDCGAN4", (1000.0, 0.0), (0.07, 0.005), "standard error over 10 trials")]
    return [Anchor(key=f"stacked-{key}", description=f"{label} on stacked MNIST",
                   values={"modes": modes, "kl": kl}, spread=spread,
                   source=f"Lin et al. 2018 (PacGAN), Table 2, row {label}", setting=setting,
                   status="checked", read_at=read_at) for key, label, modes, kl, spread in rows]


def anchor(key: str) -> Anchor:
    """The anchor called ``key``, with a one-line error naming the choices."""
    table = anchors()
    if key not in table:
        raise KeyError(f"no anchor {key!r}: choose one of {', '.join(table)}")
    return table[key]
