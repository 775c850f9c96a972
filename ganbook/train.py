"""One training loop for every chapter.

A :class:`Trainer` owns a generator G, a discriminator D, their optimisers, an
:class:`Objective` (the two losses, pure functions of logits), a seeded random
stream and a history of losses. Each step does ``n_critic`` discriminator
updates, then one generator update. Callbacks run after each step; plots and
widgets are callbacks, not part of the loop.

Determinism: every random draw (real batch, latent batch) comes from one
``torch.Generator`` seeded by the trainer, and its state is part of the
checkpoint, so on the CPU a resumed run equals an uninterrupted one bit for bit.
"""

from __future__ import annotations

import copy
import math
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import torch
from torch import Tensor, nn
from tqdm.auto import tqdm

from . import checkpoints
from .errors import CheckpointError, TrainingDiverged
from .losses import as_logits, d_loss_bce, g_loss_nonsaturating

SampleReal = Callable[[int, torch.Generator], "Tensor | tuple[Tensor, Tensor]"]
"""``sample_real(n, rng)`` returns ``n`` real samples drawn with ``rng``, or ``(samples, conditions)``.

With conditions (a conditional GAN's labels, LAPGAN's coarse images) the trainer
calls ``G(z, c)`` and ``D(x, c)``, and the fakes of a step get the conditions of
that step's real batch.
"""

SampleLatent = Callable[[int, torch.Generator], Tensor]
"""``sample_latent(n, rng)``: ``n`` latent vectors; the default is ``z ~ N(0, I)``."""


Penalty = Callable[[nn.Module, Tensor, Tensor, torch.Generator], Tensor]
"""``penalty(D, real, fake, rng)``: a scalar added to D's loss (see :mod:`ganbook.penalties`)."""


@dataclass(frozen=True)
class Objective:
    """The game being played: D minimises ``d_loss`` (+ a weighted penalty), G minimises ``g_loss``.

    With ``g_features`` set, G instead minimises ``g_features(h(real), h(fake))``
    on D's hidden features ``h = D.features`` (feature matching).
    """

    d_loss: Callable[[Tensor, Tensor], Tensor] = d_loss_bce
    g_loss: Callable[[Tensor], Tensor] = g_loss_nonsaturating
    penalty: Penalty | None = None
    penalty_weight: float = 0.0
    g_features: Callable[[Tensor, Tensor], Tensor] | None = None
    info: Callable[[Tensor, Tensor], Tensor] | None = None
    info_weight: float = 1.0
    """InfoGAN: ``info(z, q)`` is the negative log-likelihood of the codes in ``z``
    under D's Q head output ``q``; with it set, D must have ``heads(x) -> (logits, q)``,
    and both D (with Q) and G add ``info_weight * info`` to their losses."""
    info_view: Callable[[Tensor, torch.Generator], Tensor] | None = None
    info_view_loss: Callable[[Tensor, Tensor], Tensor] | None = None
    info_view_weight: float = 1.0
    """InfoGAN with views: Q also reads codes back from ``info_view(fake, rng)``, a
    randomly changed copy of each fake (e.g. :func:`ganbook.augment.random_affine`);
    ``info_view_loss(z, q_view)`` scores the codes that change must not alter, and
    ``info_weight * info_view_weight`` times it joins both players' losses."""

    def __post_init__(self) -> None:
        if (self.info_view is None) != (self.info_view_loss is None):
            raise ValueError("Objective: set info_view and info_view_loss together (the change, and the codes it keeps)")
        if self.info_view is not None and self.info is None:
            raise ValueError("Objective: info_view needs info, InfoGAN's loss; set info=codes.loss as well")


def linear_decay(total: int, start: float = 0.5) -> Callable[[int], float]:
    """Learning-rate factor 1 until ``start * total`` steps, then linearly down to 0 at ``total``."""
    begin = int(start * total)

    def factor(step: int) -> float:
        if step < begin:
            return 1.0
        return max(0.0, (total - step) / max(1, total - begin))

    return factor


def grad_norm(module: nn.Module) -> float:
    """Euclidean norm of all of ``module``'s current parameter gradients (NaN if it has none)."""
    grads = [p.grad for p in module.parameters() if p.grad is not None]
    return float(torch.sqrt(sum((g**2).sum() for g in grads))) if grads else float("nan")


class Every:
    """Run ``fn(trainer)`` after every ``n``-th step (and after step 0 if ``at_start``)."""

    def __init__(self, n: int, fn: Callable[["Trainer"], None], at_start: bool = True) -> None:
        if n < 1:
            raise ValueError(f"Every needs n >= 1, got {n}")
        self.n, self.fn, self.at_start = n, fn, at_start

    def __call__(self, trainer: "Trainer") -> None:
        if trainer.step % self.n == 0:
            self.fn(trainer)


class Trainer:
    """Alternating GAN training with history, callbacks and exact resume."""

    def __init__(
        self,
        generator: nn.Module,
        discriminator: nn.Module,
        sample_real: SampleReal,
        opt_g: torch.optim.Optimizer,
        opt_d: torch.optim.Optimizer,
        objective: Objective = Objective(),
        batch_size: int = 64,
        n_critic: int = 1,
        seed: int = 0,
        device: torch.device | str = "cpu",
        lr_schedule: Callable[[int], float] | None = None,
        ema_decay: float | None = None,
        instance_noise: Callable[[int], float] | None = None,
        sample_latent: SampleLatent | None = None,
    ) -> None:
        self.G, self.D = generator.to(device), discriminator.to(device)
        self.sample_real = sample_real
        self.opt_g, self.opt_d = opt_g, opt_d
        self.objective = objective
        self.batch_size, self.n_critic = batch_size, n_critic
        self.device = torch.device(device)
        self.seed = seed
        self.rng = torch.Generator().manual_seed(seed)
        self.step = 0
        self.history: dict[str, list[float]] = {"step": [], "loss_d": [], "loss_g": []}
        # an exponential moving average of G's weights (Yazici et al., 2019): the
        # average of an oscillating generator usually sits nearer the target
        self.ema_decay = ema_decay
        self.G_ema = copy.deepcopy(self.G).requires_grad_(False) if ema_decay else None
        # lr_schedule(step) multiplies both optimisers' initial learning rates
        self.lr_schedule = lr_schedule
        self._base_lrs = [[g["lr"] for g in opt.param_groups] for opt in (opt_g, opt_d)]
        # instance_noise(step) is the std of Gaussian noise added to everything D sees
        # (Sonderby et al., 2017; Arjovsky & Bottou, 2017): it makes the two
        # distributions overlap, so D cannot separate them perfectly
        self.instance_noise = instance_noise
        self.sample_latent = sample_latent

    # -- sampling ---------------------------------------------------------
    def latent(self, n: int, rng: torch.Generator | None = None) -> Tensor:
        """``n`` latent vectors ``(n, G.latent_dim)`` on the device: ``N(0, I)`` unless ``sample_latent`` is set."""
        rng = rng or self.rng
        z = self.sample_latent(n, rng) if self.sample_latent else torch.randn(n, self.G.latent_dim, generator=rng)
        return z.to(self.device)

    @torch.no_grad()
    def generate(self, n: int, seed: int = 1234, ema: bool = True, condition: Tensor | None = None,
                 z: Tensor | None = None) -> Tensor:
        """``n`` samples (CPU tensor) with latents from their own seeded stream (or the given ``z``).

        Uses the averaged generator when there is one and ``ema`` is true;
        ``condition`` (n rows) is passed on to a conditional G.
        """
        G = self.G_ema if (ema and self.G_ema is not None) else self.G
        was_training = G.training
        G.eval()
        z = self.latent(n, torch.Generator().manual_seed(seed)) if z is None else z.to(self.device)
        out = (G(z) if condition is None else G(z, condition.to(self.device))).cpu()
        G.train(was_training)
        return out

    def _seen_by_d(self, x: Tensor) -> Tensor:
        """``x`` plus instance noise of the current step's std (``x`` itself without noise)."""
        if self.instance_noise is None:
            return x
        sigma = self.instance_noise(self.step)
        if sigma <= 0:
            return x
        return x + sigma * torch.randn(x.shape, generator=self.rng).to(x.device)

    def _real_batch(self) -> tuple[Tensor, Tensor | None]:
        """A batch of real samples on the device as D sees it, and their conditions (or None)."""
        out = self.sample_real(self.batch_size, self.rng)
        x, c = out if isinstance(out, tuple) else (out, None)
        return self._seen_by_d(x.to(self.device)), (None if c is None else c.to(self.device))

    def _d_out(self, x: Tensor, c: Tensor | None, z: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """D's logits on ``x`` (given conditions ``c``) and, for fakes made from latents ``z``,
        the InfoGAN loss of their codes (0 for real ``x``, ``z=None``, or without InfoGAN)."""
        obj = self.objective
        if obj.info is None:
            logits = self.D(x) if c is None else self.D(x, c)
            return as_logits(logits), x.new_zeros(())
        logits, q = self.D.heads(x)
        if z is None:
            return as_logits(logits), x.new_zeros(())
        info = obj.info(z, q)
        if obj.info_view is not None:
            _, q_view = self.D.heads(obj.info_view(x, self.rng))
            info = info + obj.info_view_weight * obj.info_view_loss(z, q_view)
        return as_logits(logits), info

    def _g(self, z: Tensor, c: Tensor | None) -> Tensor:
        return self.G(z) if c is None else self.G(z, c)

    # -- one step ---------------------------------------------------------
    def train_step(self) -> dict[str, float]:
        """``n_critic`` discriminator updates, then one generator update."""
        bs, obj = self.batch_size, self.objective
        if self.lr_schedule is not None:
            factor = self.lr_schedule(self.step)
            for opt, base in zip((self.opt_g, self.opt_d), self._base_lrs):
                for group, lr in zip(opt.param_groups, base):
                    group["lr"] = lr * factor
        for _ in range(self.n_critic):
            real, c = self._real_batch()
            z = self.latent(bs)
            with torch.no_grad():
                fake = self._seen_by_d(self._g(z, c))
            real_logits, _ = self._d_out(real, c)
            fake_logits, info = self._d_out(fake, c, z)
            loss_d = obj.d_loss(real_logits, fake_logits) + obj.info_weight * info
            if obj.penalty is not None:
                loss_d = loss_d + obj.penalty_weight * obj.penalty(self.D, real, fake, self.rng)
            self.opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            self.opt_d.step()

        z = self.latent(bs)
        fake = self._seen_by_d(self._g(z, c))  # the last real batch's conditions
        if obj.g_features is not None:
            real, _ = self._real_batch()
            with torch.no_grad():
                real_features = self.D.features(real)
            loss_g = obj.g_features(real_features, self.D.features(fake))
        else:
            fake_logits, info = self._d_out(fake, c, z)
            loss_g = obj.g_loss(fake_logits) + obj.info_weight * info
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()
        if self.G_ema is not None:
            with torch.no_grad():
                # warm-up: early on, average over the ~step/10 steps seen so far
                decay = min(self.ema_decay, (1 + self.step) / (10 + self.step))
                for p_ema, p in zip(self.G_ema.parameters(), self.G.parameters()):
                    p_ema.lerp_(p, 1.0 - decay)
                for b_ema, b in zip(self.G_ema.buffers(), self.G.buffers()):
                    b_ema.copy_(b)

        self.step += 1
        values = {"loss_d": loss_d.item(), "loss_g": loss_g.item()}
        for name, value in values.items():
            if not math.isfinite(value):
                raise TrainingDiverged(
                    f"training diverged at step {self.step}: {name} is {value}; "
                    "lower the learning rates, check the data for NaN, or resume from the last checkpoint"
                )
        self.history["step"].append(float(self.step))
        for name, value in values.items():
            self.history[name].append(value)
        return values

    # -- the loop ---------------------------------------------------------
    def fit(
        self,
        steps: int,
        callbacks: Iterable[Callable[["Trainer"], None]] = (),
        progress: bool = True,
        checkpoint: str | os.PathLike | None = None,
        checkpoint_every: int = 0,
        manifest: dict[str, Any] | None = None,
    ) -> "Trainer":
        """Train until ``self.step == steps`` (a resumed trainer continues where it stopped).

        Callbacks run once before the first step (at step 0 of a fresh run) and after
        every step. With ``checkpoint`` set, the state is saved every
        ``checkpoint_every`` steps (if > 0) and at the end.
        """
        callbacks = list(callbacks)
        if self.step == 0:
            for cb in callbacks:
                if not isinstance(cb, Every) or cb.at_start:
                    cb(self)
        bar = tqdm(total=steps, initial=self.step, disable=not progress, desc="training", leave=True)
        try:
            while self.step < steps:
                values = self.train_step()
                for cb in callbacks:
                    cb(self)
                if checkpoint is not None and checkpoint_every and self.step % checkpoint_every == 0:
                    self.save(checkpoint, manifest)
                bar.update(1)
                if self.step % 50 == 0 or self.step == steps:
                    bar.set_postfix(loss_d=f"{values['loss_d']:.3f}", loss_g=f"{values['loss_g']:.3f}")
        finally:
            bar.close()
        if checkpoint is not None:
            self.save(checkpoint, manifest)
        return self

    # -- checkpoints ------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly: weights, optimisers, RNG, step, history."""
        return {
            "G": self.G.state_dict(),
            "D": self.D.state_dict(),
            "G_ema": self.G_ema.state_dict() if self.G_ema is not None else {},
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "rng": self.rng.get_state(),
            "torch_rng": torch.get_rng_state(),
            "step": self.step,
            "seed": self.seed,
            "history": self.history,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        try:
            self.G.load_state_dict(state["G"])
            self.D.load_state_dict(state["D"])
            if self.G_ema is not None:
                self.G_ema.load_state_dict(state["G_ema"])
            self.opt_g.load_state_dict(state["opt_g"])
            self.opt_d.load_state_dict(state["opt_d"])
        except (KeyError, RuntimeError, ValueError) as err:
            first = str(err).strip().splitlines()[0]
            raise CheckpointError(
                f"checkpoint does not fit this model ({first}); "
                "it was made with another config or profile: retrain with `python -m ganbook train NAME --profile P`"
            ) from None
        self.rng.set_state(state["rng"])
        torch.set_rng_state(state["torch_rng"])
        self.step = int(state["step"])
        self.history = {k: list(v) for k, v in state["history"].items()}

    def save(self, path: str | os.PathLike, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
        """Write a checkpoint and its manifest atomically; return the manifest."""
        info = {"step": self.step, "seed": self.seed, **(manifest or {})}
        return checkpoints.save(path, self.state_dict(), info)

    def resume(self, path: str | os.PathLike) -> dict[str, Any]:
        """Load a checkpoint written by :meth:`save` (sha256-checked); return its manifest."""
        state, manifest = checkpoints.load(path, map_location=self.device)
        self.load_state_dict(state)
        return manifest
