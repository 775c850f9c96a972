"""Chapter 10, part 1: does a trained critic estimate W1? Checked where W1 is known exactly.

Each :class:`Problem` pairs a data distribution ``p`` with a frozen "generator"
``q`` whose W1 distance is known: in closed form for two 1-D normals
(:func:`ganbook.metrics.wasserstein1_normals`), and by the exact
optimal-transport program for two 2-D point clouds
(:func:`ganbook.metrics.wasserstein1_points`). Only the critic learns (the
generator's learning rate is 0), through the book's one trainer and
:func:`ganbook.games.wasserstein.wasserstein_game`, once with weight clipping
and once with the gradient penalty; :func:`estimate` then reads
``E_p f - E_q f`` off held-out samples and the largest slope of ``f`` between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, ClassVar

import torch
from torch import Tensor, nn

from .. import metrics
from ..data import Gaussian1D, grid, ring
from ..games.wasserstein import CONSTRAINTS, wasserstein_game
from ..models import MLPDiscriminator
from ..train import Trainer
from .base import ExperimentConfig, make_trainer
from .fixed_g import AffineGenerator
from .runs import parallel_map


@dataclass(frozen=True)
class CriticW1Config(ExperimentConfig):
    """Critic sizes and each constraint's optimiser (its paper's), per profile."""

    steps: int = 2000  # critic updates
    batch_size: int = 256
    hidden: tuple[int, ...] = (64, 64, 64)
    lr_clip: float = 5e-5  # RMSProp with weight clipping (Arjovsky et al., 2017)
    clip: float = 0.01
    lr_gp: float = 1e-4  # Adam, betas (0, 0.9), with the gradient penalty (Gulrajani et al., 2017)
    gp_weight: float = 10.0
    eval_samples: int = 20000  # fresh draws per side for a 1-D problem (a point cloud is used whole)
    cloud_points: int = 1000  # points per 2-D cloud

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=50, batch_size=128, eval_samples=2000, cloud_points=100),
        "cpu": {},
        "gpu": dict(steps=10000, eval_samples=100000, cloud_points=2000),
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


@lru_cache(maxsize=4)
def problems(config: CriticW1Config) -> tuple[Problem, ...]:
    """Three pairs of 1-D normals and two pairs of 2-D point clouds, each with its exact W1 (computed once)."""
    g = torch.Generator().manual_seed(config.seed + 7)
    n = config.cloud_points
    blob = 0.5 * torch.randn(2 * n, 2, generator=g)
    return (
        _normals(0.0, 1.0, 2.0, 1.0),  # a shift: W1 = 2
        _normals(0.0, 1.0, 0.0, 0.5),  # a change of scale: W1 = 0.5 sqrt(2 / pi)
        _normals(4.0, 1.25, 1.5, 0.75),  # chapter 2's data and frozen generator
        _clouds(f"8-ring vs 25-grid ({n} points each)", ring().sample(n, g), grid().sample(n, g)),
        _clouds(f"two blobs one unit apart ({n} points each)", blob[:n], blob[n:] + torch.tensor([1.0, 0.0])),
    )


def build(problem: Problem, constraint: str, config: CriticW1Config) -> Trainer:
    """Only the critic learns, with ``constraint`` and that constraint's optimiser; G is frozen (lr 0)."""
    torch.manual_seed(config.seed)
    G, D = problem.make_q(), MLPDiscriminator(problem.dim, config.hidden)
    if constraint == "clip":  # the penalties share WGAN-GP's optimiser
        opt_d: torch.optim.Optimizer = torch.optim.RMSprop(D.parameters(), lr=config.lr_clip)
    else:
        opt_d = torch.optim.Adam(D.parameters(), lr=config.lr_gp, betas=(0.0, 0.9))
    latent = (lambda n, rng: torch.rand(n, 1, generator=rng)) if problem.uniform_latent else None
    game = wasserstein_game(G, D, constraint, clip=config.clip, gp_weight=config.gp_weight, n_critic=1, latent=latent)
    optimizers = {"d": opt_d, "g": torch.optim.SGD(G.parameters(), lr=0.0)}  # G never moves
    return make_trainer(game, problem.sample_p, config, optimizers=optimizers)


def held_out(problem: Problem, trainer: Trainer, config: CriticW1Config) -> tuple[Tensor, Tensor]:
    """Samples of ``p`` and ``q`` to read the critic on: fresh draws in 1-D, the whole clouds in 2-D."""
    if problem.p_points is not None:
        return problem.p_points, problem.q_points
    rng = torch.Generator().manual_seed(config.seed + 1)
    p = problem.sample_p(config.eval_samples, rng)
    with torch.no_grad():
        return p, trainer.G(torch.randn(config.eval_samples, 1, generator=rng))


def estimate(D: nn.Module, p: Tensor, q: Tensor, seed: int = 0) -> dict[str, float]:
    """The critic's ``E_p f - E_q f`` on ``p``, ``q`` ``(n, ...)`` and its slopes ``|grad f|`` on points between them."""
    with torch.no_grad():
        gap = float(D(p).mean() - D(q).mean())
    k = min(len(p), len(q))
    eps = torch.rand(k, *([1] * (p.dim() - 1)), generator=torch.Generator().manual_seed(seed))
    between = (eps * p[:k] + (1 - eps) * q[:k]).requires_grad_(True)
    (grad,) = torch.autograd.grad(D(between).sum(), between)
    slopes = grad.flatten(1).norm(dim=1)
    return {"estimate": gap, "max_slope": float(slopes.max()), "mean_slope": float(slopes.mean())}


def surface(D: nn.Module, problem: Problem, size: int = 81) -> tuple[Tensor, Tensor]:
    """The critic on a grid around the problem: 1-D ``(xs (size,), f (size,))``; 2-D ``(extent (4,), f (size, size))``."""
    with torch.no_grad():
        if problem.dim == 1:
            xs = torch.linspace(-4.0, 8.0, size)
            return xs, D(xs[:, None]).flatten()
        both = torch.cat([problem.p_points, problem.q_points])
        lo, hi = float(both.min()) - 0.5, float(both.max()) + 0.5
        axis = torch.linspace(lo, hi, size)
        yy, xx = torch.meshgrid(axis, axis, indexing="ij")
        f = D(torch.stack([xx.flatten(), yy.flatten()], 1)).reshape(size, size)
        return torch.tensor([lo, hi, lo, hi]), f


def run_one(index: int, constraint: str, config: CriticW1Config) -> dict[str, Any]:
    """Train the critic of ``problems(config)[index]`` under ``constraint``; its estimate, slopes, weights, surface."""
    torch.set_num_threads(1)
    problem = problems(config)[index]
    trainer = build(problem, constraint, config).fit(config.steps, progress=False)
    where, f = surface(trainer.D, problem)
    return {"problem": problem.name, "dim": problem.dim, "constraint": constraint, "exact": problem.exact,
            "clip": config.clip, "gp_weight": config.gp_weight,
            **estimate(trainer.D, *held_out(problem, trainer, config), seed=config.seed + 2),
            "weights": torch.cat([p.detach().flatten() for n, p in trainer.D.named_parameters()
                                  if n.endswith("weight")]).numpy(),
            "surface": (where.numpy(), f.numpy())}


def run(config: CriticW1Config, jobs: list[tuple[int, str, CriticW1Config]] | None = None,
        workers: int | None = None, progress: bool = True) -> list[dict[str, Any]]:
    """:func:`run_one` for each ``(problem index, constraint, config)`` job, on two worker processes.

    The default jobs are every problem of :func:`problems` under both constraints.
    """
    if jobs is None:
        jobs = [(i, c, config) for i in range(len(problems(config))) for c in CONSTRAINTS]
    return parallel_map(run_one, jobs, workers, progress, desc="critics")


Config = CriticW1Config
