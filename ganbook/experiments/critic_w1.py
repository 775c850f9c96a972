"""Chapter 10, part 1: does a trained critic estimate W1? Checked where W1 is known exactly.

Each :class:`Problem` pairs a data distribution ``p`` with a frozen "generator"
``q`` whose W1 distance is known: in closed form for two 1-D normals
(:func:`ganbook.metrics.wasserstein1_normals`), and by the exact
optimal-transport program for two 2-D point clouds
(:func:`ganbook.metrics.wasserstein1_points`). Only the critic learns (the
generator's learning rate is 0), through the book's one trainer and
:class:`ganbook.games.wasserstein.WassersteinGame`, once with weight clipping
and once with the gradient penalty; :func:`estimate` then reads
``E_p f - E_q f`` off held-out samples and the largest slope of ``f`` between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar

import torch
from torch import Tensor, nn

from .. import metrics
from ..data import Gaussian1D, grid, ring
from ..games.wasserstein import WassersteinGame
from ..models import MLPDiscriminator
from ..train import Trainer
from .base import ExperimentConfig
from .fixed_g import AffineGenerator


@dataclass(frozen=True)
class CriticW1Config(ExperimentConfig):
    """Critic sizes and each constraint's optimiser (its paper's), per profile."""

    steps: int = 3000  # critic updates
    batch_size: int = 256
    hidden: tuple[int, ...] = (64, 64, 64)
    lr_clip: float = 5e-5  # RMSProp with weight clipping (Arjovsky et al., 2017)
    clip: float = 0.01
    lr_gp: float = 1e-4  # Adam, betas (0, 0.9), with the gradient penalty (Gulrajani et al., 2017)
    gp_weight: float = 10.0
    eval_samples: int = 20000  # fresh draws per side for a 1-D problem (a point cloud is used whole)
    cloud_points: int = 400  # points per 2-D cloud (the exact program is cubic in it)

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=150, batch_size=256, lr_clip=5e-5, lr_gp=1e-4, eval_samples=4000, cloud_points=150),
        "cpu": dict(steps=3000, batch_size=256, lr_clip=5e-5, lr_gp=1e-4, eval_samples=20000, cloud_points=400),
        "gpu": dict(steps=10000, batch_size=256, lr_clip=5e-5, lr_gp=1e-4, eval_samples=100000, cloud_points=400),
    }


class PointCloudGenerator(nn.Module):
    """A frozen "generator" whose samples are the rows of ``points`` ``(M, d)``: ``u`` in [0, 1) picks a row."""

    def __init__(self, points: Tensor) -> None:
        super().__init__()
        self.latent_dim = 1
        self.register_buffer("points", points.float())
        self.anchor = nn.Parameter(torch.zeros(()))  # one parameter, so the (unused) G optimiser has something

    def forward(self, u: Tensor) -> Tensor:  # (n, 1) -> (n, d)
        index = (u[:, 0] * len(self.points)).long().clamp_(0, len(self.points) - 1)
        return self.points[index] + 0.0 * self.anchor


@dataclass(frozen=True)
class Problem:
    """``p`` (a sampler ``(n, generator) -> (n, d)``) against a frozen generator for ``q``, with the exact W1."""

    name: str
    dim: int
    sample_p: Callable[[int, torch.Generator], Tensor]
    make_q: Callable[[], nn.Module]
    exact: float
    uniform_latent: bool = False  # a point cloud's generator takes u ~ U[0, 1)
    p_points: Tensor | None = None  # a point cloud's whole sets, used to evaluate
    q_points: Tensor | None = None


def _normals(m1: float, s1: float, m2: float, s2: float) -> Problem:
    p = Gaussian1D(m1, s1)
    return Problem(f"N({m1:g}, {s1:g}^2) vs N({m2:g}, {s2:g}^2)", 1, p.sample,
                   lambda: AffineGenerator(m2, s2), metrics.wasserstein1_normals(m1, s1, m2, s2))


def _clouds(name: str, a: Tensor, b: Tensor) -> Problem:
    def sample_p(n: int, g: torch.Generator) -> Tensor:
        return a[torch.randint(len(a), (n,), generator=g)]

    exact = metrics.wasserstein1_points(a.numpy(), b.numpy())
    return Problem(name, a.shape[1], sample_p, lambda: PointCloudGenerator(b), exact, True, a, b)


def problems(config: CriticW1Config) -> list[Problem]:
    """Three pairs of 1-D normals and two pairs of 2-D point clouds, each with its exact W1."""
    g = torch.Generator().manual_seed(config.seed + 7)
    n = config.cloud_points
    blob = 0.5 * torch.randn(2 * n, 2, generator=g)
    return [
        _normals(0.0, 1.0, 2.0, 1.0),  # a shift: W1 = 2
        _normals(0.0, 1.0, 0.0, 0.5),  # a change of scale: W1 = 0.5 sqrt(2 / pi)
        _normals(4.0, 1.25, 1.5, 0.75),  # chapter 2's data and frozen generator
        _clouds(f"8-ring vs 25-grid ({n} points each)", ring().sample(n, g), grid().sample(n, g)),
        _clouds(f"two blobs one unit apart ({n} points each)", blob[:n], blob[n:] + torch.tensor([1.0, 0.0])),
    ]


def build(problem: Problem, constraint: str, config: CriticW1Config) -> Trainer:
    """Only the critic learns, with ``constraint`` and that constraint's optimiser; G is frozen (lr 0)."""
    torch.manual_seed(config.seed)
    G, D = problem.make_q(), MLPDiscriminator(problem.dim, config.hidden)
    if constraint == "clip":
        opt_d: torch.optim.Optimizer = torch.optim.RMSprop(D.parameters(), lr=config.lr_clip)
    else:
        opt_d = torch.optim.Adam(D.parameters(), lr=config.lr_gp, betas=(0.0, 0.9))
    latent = (lambda n, rng: torch.rand(n, 1, generator=rng)) if problem.uniform_latent else None
    game = WassersteinGame(G, D, constraint, clip=config.clip, gp_weight=config.gp_weight, n_critic=1, latent=latent)
    return Trainer(game, problem.sample_p, {"d": opt_d, "g": torch.optim.SGD(G.parameters(), lr=0.0)},
                   batch_size=config.batch_size, seed=config.seed)


def estimate(trainer: Trainer, problem: Problem, config: CriticW1Config) -> dict[str, float]:
    """The critic's ``E_p f - E_q f`` on held-out samples and its largest slope on points between them."""
    rng = torch.Generator().manual_seed(config.seed + 1)
    if problem.p_points is not None:
        p, q = problem.p_points, problem.q_points
    else:
        p = problem.sample_p(config.eval_samples, rng)
        q = trainer.G(torch.randn(config.eval_samples, 1, generator=rng)).detach()
    D = trainer.D
    with torch.no_grad():
        gap = float(D(p).mean() - D(q).mean())
    k = min(len(p), len(q))
    eps = torch.rand(k, 1, generator=rng)
    between = (eps * p[:k] + (1 - eps) * q[:k]).requires_grad_(True)
    (grad,) = torch.autograd.grad(D(between).sum(), between)
    slopes = grad.norm(dim=1)
    return {"estimate": gap, "max_slope": float(slopes.max()), "mean_slope": float(slopes.mean()),
            "exact": problem.exact}


def run(config: CriticW1Config, constraints: tuple[str, ...] = ("clip", "gp"),
        progress: bool = False) -> list[dict[str, Any]]:
    """Every problem with every constraint: one row per pair, with the estimate, the slopes and the exact W1."""
    rows = []
    for problem in problems(config):
        for constraint in constraints:
            trainer = build(problem, constraint, config).fit(config.steps, progress=progress)
            rows.append({"problem": problem.name, "constraint": constraint, **estimate(trainer, problem, config),
                         "critic_weights": torch.cat([p.detach().flatten() for p in trainer.D.parameters()]).numpy()})
    return rows


Config = CriticW1Config
