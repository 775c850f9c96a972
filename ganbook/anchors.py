"""Published numbers the chapters print beside their own, each with its source.

This is the one table of paper numbers in the book, each with the table and
the place it was read (``read_at``). ``status`` is how far the value was
checked: ``checked`` (read in the paper's own table or text, or in the
authors' repository), ``quoted`` (read where a third party quotes the paper;
printed with "as quoted by"), ``open`` (not found: :meth:`Anchor.cite` refuses
to print it). ``spread`` names what the ``+-`` of a row is, so a chapter can
print its own rows the same way. A row of settings (a paper's clip value,
learning rate or budget) has no spread: its values are what the paper or its
code sets, and the chapters read them from here instead of typing them.
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

    def means(self) -> dict[str, float]:
        """Each value without its spread: ``{metric: mean}`` (for a row of settings, the settings)."""
        return {k: m for k, (m, _) in self.values.items()}

    def cite(self) -> str:
        """A one-line source; refuses a row nobody has read in the paper."""
        if self.status == "open":
            raise ValueError(f"anchor {self.key} is not checked against its paper: check it and record where "
                             "(ganbook/anchors.py) before printing it")
        quoted = f" (as quoted by {self.read_at})" if self.status == "quoted" else ""
        return f"{self.source}{quoted}; {self.setting}"


def anchors() -> dict[str, Anchor]:
    """All anchors, by key."""
    setup = _pacgan_setups()
    v = {k: int(m) for k, (m, _) in setup[0].values.items()}
    pacgan_setting = (f"mean +- standard error over {v['runs']} trials, 2,500 samples; {v['training_points']:,} "
                      f"training points, {v['epochs']} epochs of batch {v['batch_size']}, G {v['g_layers']}x"
                      f"{v['g_hidden']} ReLU, D maxout {v['d_hidden']}")
    rows = [
        *setup,
        *_pacgan_table1(pacgan_setting),
        *_veegan_table1(),
        *_pacgan_table2(),
        *_wasserstein(),
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
    from .anchors_translation import translation  # imports Anchor from here: read at call time
    from .anchors_text import text_to_image
    from .anchors_superres import superres
    from .anchors_video import video
    from .anchors_voxels import voxels
    from .anchors_tables import tables

    return {a.key: a for a in rows + translation() + superres() + voxels() + text_to_image() + video() + tables()}


# Where the quoted rows of ProGAN and StyleGAN were read: an image of the paper's table on a page that was not
# recorded when the values were copied. Until that page is found, cite() says so instead of naming one.
TABLE_IMAGE = "an unrecorded page showing the table as an image"
# Configuration F's row, corroborated in text: NVlabs' README reports, for the released FFHQ network that its
# train.py builds as "configuration F", W separability 3.7447 and W path lengths 233.3 (full) and 197.2 (end).
CONFIG_F_README = (TABLE_IMAGE + "; row F's configuration corroborated by NVlabs/stylegan README.md (its released "
                   "configuration-F network: W separability 3.7447, W path length 233.3 full, 197.2 end)")
NONE = "none (a setting, not a measurement)"


def _wasserstein() -> list[Anchor]:
    """WGAN's and WGAN-GP's settings (chapters 10 and 11) and SN-GAN's power iteration count (chapter 11)."""
    nan = float("nan")
    return [
        Anchor(key="wgan-clipping", description="WGAN with weight clipping: the paper's default settings",
               values={"clip": (0.01, nan), "lr": (5e-5, nan), "n_critic": (5, nan), "batch_size": (64, nan),
                       "warmup_critic_updates": (100, nan), "warmup_generator_steps": (25, nan)},
               spread=NONE,
               source="Arjovsky et al. 2017 (WGAN), Algorithm 1's defaults (alpha = 0.00005, c = 0.01, m = 64, "
                      "n_critic = 5) as the authors' code sets them",
               setting="RMSProp for critic and generator; the reference code trains the critic 100 times per "
                       "generator step for the first 25 generator steps (and every 500th)",
               status="checked",
               read_at="martinarjovsky/WassersteinGAN, main.py: argparse defaults --lrD 0.00005, --lrG 0.00005, "
                       "--clamp_lower -0.01, --clamp_upper 0.01, --Diters 5, --batchSize 64, RMSprop unless --adam; "
                       "Diters = 100 while gen_iterations < 25 or gen_iterations % 500 == 0"),
        Anchor(key="wgan-gp-algorithm1", description="WGAN-GP: the paper's default settings",
               values={"gp_weight": (10.0, nan), "n_critic": (5, nan), "lr": (1e-4, nan), "beta1": (0.0, nan),
                       "beta2": (0.9, nan)},
               spread=NONE,
               source="Gulrajani et al. 2017 (WGAN-GP), Algorithm 1's default values",
               setting="Adam for critic and generator; the two-sided penalty on points between real and generated "
                       "samples", status="checked",
               read_at="a full-text copy of the paper (wenku.csdn.net/doc/1b2gs4kt9k), Algorithm 1: 'We use "
                       "default values of lambda = 10, n_critic = 5, alpha = 0.0001, beta1 = 0, beta2 = 0.9'"),
        Anchor(key="wgan-gp-toy-script", description="WGAN-GP on the 2-D toys: the authors' toy script's settings",
               values={"gp_weight": (0.1, nan), "n_critic": (5, nan), "lr": (1e-4, nan), "beta1": (0.5, nan),
                       "beta2": (0.9, nan), "batch_size": (256, nan), "iterations": (100_000, nan),
                       "width": (512, nan)},
               spread=NONE,
               source="Gulrajani et al. 2017 (WGAN-GP), the authors' toy script gan_toy.py (MODE 'wgan-gp')",
               setting="8 Gaussians (radius 2, std 0.02) or 25 (spacing 2, std 0.05), each set divided by its "
                       "std; G and D three ReLU layers of 512",
               status="checked",
               read_at="igul222/improved_wgan_training, gan_toy.py (commit 3c8ba3c): LAMBDA = .1, CRITIC_ITERS = 5, "
                       "BATCH_SIZE = 256, ITERS = 100000, DIM = 512, AdamOptimizer(learning_rate=1e-4, beta1=0.5, "
                       "beta2=0.9)"),
        Anchor(key="sngan-power-iterations", description="spectral normalisation: power iterations per update",
               values={"power_iterations": (1, nan)}, spread=NONE,
               source="Miyato et al. 2018 (SN-GAN), one power iteration per update, the vector kept between updates",
               setting="each layer's weight as a matrix (out, in * kernel), its estimated largest singular value "
                       "divided out", status="checked",
               read_at="pfnet-research/sngan_projection, source/links/sn_convolution_2d.py and sn_linear.py "
                       "(Ip=1 by default, u a persistent buffer updated in training mode), "
                       "source/functions/max_sv.py"),
    ]


def _pacgan_setups() -> list[Anchor]:
    """PacGAN's training settings on the 2-D mixtures and on stacked MNIST (chapter 12)."""
    nan = float("nan")
    return [
        Anchor(key="pacgan-2d-setup", description="PacGAN's training on the 2-D ring and grid",
               values={"epochs": (400, nan), "training_points": (100_000, nan), "batch_size": (100, nan),
                       "lr": (1e-4, nan), "beta1": (0.8, nan), "g_layers": (4, nan), "g_hidden": (400, nan),
                       "d_layers": (3, nan), "d_hidden": (200, nan), "d_pieces": (5, nan), "z_dim": (2, nan),
                       "runs": (10, nan)},
               spread=NONE, source="Lin et al. 2018 (PacGAN), the 2-D experiments of Table 1 as the authors' code "
                                   "runs them",
               setting="G: four hidden layers with batch norm and ReLU; D: three maxout layers; weights from "
                       "N(0, 0.02); Adam", status="checked",
               read_at="fjxmlzn/PacGAN, synthetic_data_experiments/2DRing_GAN&PacGAN/config.py and "
                       "2DGrid_GAN&PacGAN/config.py (num_epoch, num_sample, batch_size, learning_rate, beta1, "
                       "gen_hidden_size, disc_hidden_size, disc_maxout_pieces, num_zdim, run), pacgan_task.py "
                       "(the layers)"),
        Anchor(key="pacgan-stacked-setup", description="PacGAN's DCGAN training on stacked MNIST",
               values={"epochs": (50, nan), "training_images": (128_000, nan), "batch_size": (64, nan),
                       "lr": (2e-4, nan), "beta1": (0.5, nan), "z_dim": (100, nan), "eval_samples": (26_000, nan),
                       "runs": (10, nan)},
               spread=NONE, source="Lin et al. 2018 (PacGAN), the stacked-MNIST experiment of Table 2 as the "
                                   "authors' code runs it",
               setting="DCGAN on 28x28 stacked digits", status="checked",
               read_at="fjxmlzn/PacGAN, stacked_MNIST_experiments/VEEGAN_experiment/config.py (epoch, learning_rate, "
                       "beta1, batch_size, num_training_sample, z_dim, num_test_sample, run)"),
    ]


def _style_based() -> list[Anchor]:
    """ProGAN Table 1's average SWD and StyleGAN Tables 2 and 3 (chapters 14 and 16)."""
    nan = float("nan")
    none = "none published"
    ffhq = "FFHQ, 1024x1024, 8-layer mapping MLP, 512-d Z and W, no truncation in the FIDs"
    rows = [
        Anchor(key="progan-swd", description="average SWD x 1e3 over the pyramid levels, without and with growing",
               values={"not_grown": (9.28, nan), "grown": (4.28, nan)}, spread=none,
               source="Karras et al. 2018 (ProGAN), Table 1", setting="CelebA, 128x128", status="quoted",
               read_at=TABLE_IMAGE),
    ]
    for key, label, full, end in (("z", "traditional generator, in Z", 412.0, 415.3),
                                  ("w", "style-based generator, in W", 446.2, 376.6),
                                  ("w-noise", "style-based + noise inputs, in W", 200.5, 160.6),
                                  ("w-mixing", "style-based + mixing 90%, in W", 234.0, 195.9)):
        rows.append(Anchor(key=f"stylegan-ppl-{key}", description=f"perceptual path length, {label}",
                           values={"full": (full, nan), "end": (end, nan)}, spread=none,
                           source="Karras et al. 2019 (StyleGAN), Table 3", setting=ffhq, status="quoted",
                           read_at=CONFIG_F_README if key == "w-mixing" else TABLE_IMAGE))
    rows.append(Anchor(key="stylegan-separability", description="linear separability of 40 CelebA attributes",
                       values={"z": (10.78, nan), "w": (3.79, nan)}, spread=none,
                       source="Karras et al. 2019 (StyleGAN), Table 3, separability column: Z is the traditional "
                              "generator's (configuration B), W the style-based generator's with noise inputs and "
                              "90% mixing regularisation (configuration F, the table's last row)",
                       setting=ffhq, status="quoted", read_at=CONFIG_F_README))
    for key, label, fids in (("none", "no mixing regularisation", (4.42, 8.22, 12.88, 17.41)),
                             ("90", "mixing regularisation 90%", (4.40, 5.11, 6.88, 9.03))):
        rows.append(Anchor(key=f"stylegan-mixing-{key}",
                           description=f"FID with 1-4 latents mixed at test time, {label}",
                           values={f"latents_{i + 1}": (v, nan) for i, v in enumerate(fids)}, spread=none,
                           source="Karras et al. 2019 (StyleGAN), Table 2", setting=ffhq, status="quoted",
                           read_at=TABLE_IMAGE))
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


VEEGAN_SETTING = ("VEEGAN's own 2-D ring of 8 and grid of 25 Gaussians with VEEGAN's networks and budget, not "
                  "PacGAN's (their radius, std, networks and steps are in the paper's appendix, which was not read "
                  "here); 2,500 samples per model, high quality within 3 standard deviations of the nearest mode, "
                  "average of 5 runs, the unrolled GAN with 5 unrolling steps")


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
        setting=VEEGAN_SETTING, status="checked",
        read_at="akashgit/VEEGAN, tab.png (the values) and index.md (the evaluation and the 5 runs)")
        for key, (label, ring, grid) in rows.items() for data, values in (("ring", ring), ("grid", grid))]


def _pacgan_table2() -> list[Anchor]:
    """PacGAN Table 2 on stacked MNIST (1,000 modes, 26,000 samples): the rows ``stacked-*``."""
    nan = float("nan")
    read_at = "fjxmlzn/PacGAN, stacked_MNIST_experiments/results/Table2.png"
    v = _pacgan_setups()[1].means()
    setting = (f"DCGAN, Adam {v['lr']:g} beta1 {v['beta1']:g}, batch {v['batch_size']:.0f}, z {v['z_dim']:.0f}, "
               f"{v['epochs']:.0f} epochs of {v['training_images']:,.0f} stacked images")
    veegan = ("VEEGAN's own run (its networks and budget, not PacGAN's): 26,000 samples, average of 5 runs, as "
              "VEEGAN's project page (akashgit/VEEGAN, index.md) describes its stacked-MNIST experiment")
    se = "standard error over 10 trials"
    rows = [("dcgan-veegan", "DCGAN (VEEGAN's run, copied by PacGAN)", (99.0, nan), (3.40, nan), "none published",
             veegan),
            ("unrolled-veegan", "Unrolled GAN (VEEGAN's run, copied by PacGAN)", (48.7, nan), (4.32, nan),
             "none published", veegan),
            ("dcgan", "DCGAN (PacGAN's run)", (78.9, 6.46), (4.50, 0.127), se, setting),
            ("pacdcgan2", "PacDCGAN2", (1000.0, 0.0), (0.06, 0.003), se, setting),
            ("pacdcgan3", "PacDCGAN3", (1000.0, 0.0), (0.06, 0.003), se, setting),
            ("pacdcgan4", "PacDCGAN4", (1000.0, 0.0), (0.07, 0.005), se, setting)]
    return [Anchor(key=f"stacked-{key}", description=f"{label} on stacked MNIST",
                   values={"modes": modes, "kl": kl}, spread=spread,
                   source=f"Lin et al. 2018 (PacGAN), Table 2, row {label}", setting=row_setting,
                   status="checked", read_at=read_at) for key, label, modes, kl, spread, row_setting in rows]


def anchor(key: str) -> Anchor:
    """The anchor called ``key``, with a one-line error naming the choices."""
    table = anchors()
    if key not in table:
        raise KeyError(f"no anchor {key!r}: choose one of {', '.join(table)}")
    return table[key]
