"""One training loop for every chapter; what is minimised, and by which networks, belongs to the game.

A :class:`~ganbook.game.Game` (:mod:`ganbook.game`) holds the networks, lists its
:class:`~ganbook.game.Phase` objects and says which networks are its generators
and how they make samples. The games live in :mod:`ganbook.games`.
The :class:`Trainer` does the bookkeeping any game needs: steps, one seeded
random stream (rank-aware under ``torchrun``), batches, the sum of each phase's
terms and their history by name, schedules, EMA, a NaN stop, callbacks, progress,
device and precision, and checkpoints that resume bit for bit on the CPU.
"""

from __future__ import annotations

import copy
import functools
import math
import operator
import os
from typing import Any, Callable, Iterable

import torch
from torch import Tensor, nn
from torch.optim import swa_utils
from tqdm.auto import tqdm

from . import accel, checkpoints, distributed, players
from .batch import Batch, DataSource, as_batch
from .errors import CheckpointError, TrainingDiverged
from .game import Game, Phase

__all__ = ["Every", "Game", "Phase", "Trainer", "linear_decay"]


def linear_decay(total: int, start: float = 0.5) -> Callable[[int], float]:
    """Learning-rate factor 1 until ``start * total`` steps, then linearly down to 0 at ``total``."""
    begin = int(start * total)
    return lambda step: 1.0 if step < begin else max(0.0, (total - step) / max(1, total - begin))


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
    """Runs any :class:`Game` with history, callbacks and exact resume.

    ``batch_size`` is the batch of one step; under ``torchrun`` each of the N
    processes draws ``batch_size / N`` of it. ``precision`` ``auto`` is fp32
    on the CPU and mixed precision on a GPU (:mod:`ganbook.accel`).
    """

    def __init__(self, game: Game, data: DataSource, optimizers: dict[str, torch.optim.Optimizer],
                 batch_size: int = 64, seed: int = 0, device: torch.device | str = "cpu",
                 lr_schedule: Callable[[int], float] | None = None, ema_decay: float | None = None,
                 precision: str = "auto") -> None:
        self.game, self.data, self.optimizers, self.device = game, data, optimizers, torch.device(device)
        nets = list(game.networks().values())
        for net in nets:
            net.to(self.device)
        accel.tune_for_gpu(nets, self.device)
        self.precision = accel.Precision(precision, self.device)
        world = distributed.world_size()
        if batch_size % world:
            raise ValueError(f"batch size {batch_size} does not split over {world} processes: choose a multiple of {world}")
        self.batch_size, self.seed = batch_size // world, seed
        self.rng = torch.Generator().manual_seed(distributed.rank_seed(seed, distributed.rank()))
        distributed.broadcast_parameters(nets)
        self.step, self.history = 0, {"step": []}
        self.ema_decay = ema_decay  # an exponential moving average of each generator's weights (Yazici et al., 2019)
        self.averaged = ({k: copy.deepcopy(g).requires_grad_(False) for k, g in game.generators().items()}
                         if ema_decay else {})
        self.lr_schedule = lr_schedule  # lr_schedule(step) multiplies every optimiser's initial rates
        self._base_lrs = {k: [g["lr"] for g in opt.param_groups] for k, opt in optimizers.items()}
        self._others = {k: players.outside(optimizers, k) for k in optimizers}  # frozen while k's phase runs

    @property
    def G(self) -> nn.Module:
        return self.game.networks()["G"]

    @property
    def D(self) -> nn.Module:
        return self.game.networks()["D"]

    @property
    def G_ema(self) -> nn.Module | None:
        """The moving average of the generator called ``G`` (None without averaging)."""
        return self.averaged.get("G")

    # -- what a game draws ------------------------------------------------
    def real(self, n: int | None = None) -> Batch:
        """``n`` (default: this process's batch) real samples on the device, drawn from the trainer's stream."""
        return as_batch(self.data(n or self.batch_size, self.rng)).to(self.device)

    def latent(self, n: int | None = None, rng: torch.Generator | None = None) -> Tensor:
        """``n`` latent vectors from the game's prior, on the device (drawn from ``rng`` or the trainer's stream)."""
        return self.game.latent(n or self.batch_size, rng or self.rng).to(self.device)

    def generate(self, n: int, seed: int = 1234, ema: bool = True, condition: Tensor | None = None,
                 z: Tensor | None = None) -> Tensor:
        """``n`` samples (CPU tensor) made by the game's generators (their moving averages when there are
        some and ``ema`` is true) from inputs drawn from their own seeded stream (:meth:`Game.inputs`: a given
        ``z`` or ``condition``, n rows, is used as it is; without a condition, the game's default, such as
        the classes in turn)."""
        nets = self.averaged if (ema and self.averaged) else self.game.generators()
        condition = self.game.conditions(n) if condition is None else condition
        inputs = self.game.inputs(n, torch.Generator().manual_seed(seed), condition, z)
        with players.inference(*nets.values()):
            return self.game.generate(nets, {k: v.to(self.device) for k, v in inputs.items()}).float().cpu()

    # -- one step ---------------------------------------------------------
    def train_step(self) -> dict[str, float]:
        """Every phase of the game that is due at this step, in order; then the moving average."""
        if self.lr_schedule is not None:
            factor = self.lr_schedule(self.step)
            for key, opt in self.optimizers.items():
                for group, lr in zip(opt.param_groups, self._base_lrs[key]):
                    group["lr"] = lr * factor
        values: dict[str, float] = {}
        for phase in self.game.phases:
            if self.step % phase.every:
                continue
            opt = self.optimizers[phase.optimizer]
            for _ in range(phase.repeat):
                with players.frozen(self._others[phase.optimizer]):  # D learns nothing in G's phase, and back
                    with self.precision.autocast():
                        terms = phase.losses(self)
                    total = functools.reduce(operator.add, terms.values())  # term 1 + term 2 + ..., in order
                    if phase.step_if is not None and not phase.step_if():
                        continue  # the game says this network sits this update out
                    opt.zero_grad(set_to_none=True)
                    self.precision.backward(total)
                if distributed.active() or phase.clip_norm is not None:  # at true scale: average, then clip
                    self.precision.unscale(opt)
                    params = [p for g in opt.param_groups for p in g["params"]]
                    if distributed.active():
                        distributed.average_gradients(params)
                    if phase.clip_norm is not None:
                        torch.nn.utils.clip_grad_norm_(params, phase.clip_norm)
                self.precision.step(opt)
                if phase.after is not None:
                    phase.after()
            values[f"loss_{phase.name}"] = total.item()
            values.update({f"{phase.name}.{k}": v.item() for k, v in terms.items()})
        self.precision.update()
        if self.averaged:
            self._update_ema()
        self.step += 1
        for name, value in values.items():
            if not math.isfinite(value):
                raise TrainingDiverged(
                    f"training diverged at step {self.step}: {name} is {value}; "
                    "lower the learning rates, check the data for NaN, or resume from the last checkpoint")
        self._log(values)
        return values

    @torch.no_grad()
    def _update_ema(self) -> None:
        """PyTorch's EMA update (``swa_utils``) with a warm-up: early on, average over the ~step/10 steps seen so far."""
        decay = min(self.ema_decay, (1 + self.step) / (10 + self.step))
        for name, live in self.game.generators().items():
            avg = self.averaged[name]
            swa_utils.get_ema_multi_avg_fn(decay)(list(avg.parameters()), list(live.parameters()), self.step)
            for b_avg, b in zip(avg.buffers(), live.buffers()):
                b_avg.copy_(b)

    def _log(self, values: dict[str, float]) -> None:
        """Append this step's values; a phase that did not run this step (``every`` > 1) logs NaN."""
        n = len(self.history["step"])
        for name in values:
            if name not in self.history:
                self.history[name] = [math.nan] * n
        self.history["step"].append(float(self.step))
        for name, column in self.history.items():
            if name != "step":
                column.append(values.get(name, math.nan))

    # -- the loop ---------------------------------------------------------
    def fit(self, steps: int, callbacks: Iterable[Callable[["Trainer"], None]] = (), progress: bool = True,
            checkpoint: str | os.PathLike | None = None, checkpoint_every: int = 0,
            manifest: dict[str, Any] | None = None) -> "Trainer":
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
        show = progress and distributed.is_main()
        bar = tqdm(total=steps, initial=self.step, disable=not show, desc="training", leave=True)
        try:
            while self.step < steps:
                values = self.train_step()
                for cb in callbacks:
                    cb(self)
                if checkpoint is not None and checkpoint_every and self.step % checkpoint_every == 0:
                    self.save(checkpoint, manifest)
                bar.update(1)
                if show and (self.step % 50 == 0 or self.step == steps):
                    bar.set_postfix({k: f"{v:.3f}" for k, v in values.items() if k.startswith("loss_")})
        finally:
            bar.close()
        if checkpoint is not None:
            self.save(checkpoint, manifest)
        return self

    # -- checkpoints ------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly: weights, optimisers, game state, every process's RNG, step, history."""
        return {
            "networks": {k: m.state_dict() for k, m in self.game.networks().items()},
            "averaged": {k: g.state_dict() for k, g in self.averaged.items()},
            "optimizers": {k: opt.state_dict() for k, opt in self.optimizers.items()},
            "game": self.game.state_dict(),
            "rng": distributed.gather(self.rng.get_state()),
            "torch_rng": torch.get_rng_state(),
            "step": self.step,
            "seed": self.seed,
            "history": self.history,
            **({"scaler": self.precision.scaler.state_dict()} if self.precision.scaler else {}),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        try:
            for k, m in self.game.networks().items():
                m.load_state_dict(state["networks"][k])
            for k, g in self.averaged.items():
                g.load_state_dict(state["averaged"][k])
            for k, opt in self.optimizers.items():
                opt.load_state_dict(state["optimizers"][k])
            self.game.load_state_dict(state["game"])
            if self.precision.scaler and "scaler" in state:  # fp16's loss scale continues where it was
                self.precision.scaler.load_state_dict(state["scaler"])
        except (KeyError, RuntimeError, ValueError) as err:
            first = str(err).strip().splitlines()[0]
            raise CheckpointError(
                f"checkpoint does not fit this model ({first}); "
                "it was made with another config or profile: retrain with `python -m ganbook train NAME --profile P`"
            ) from None
        if len(state["rng"]) != distributed.world_size():
            raise CheckpointError(f"checkpoint was written by {len(state['rng'])} process(es), this run has "
                                  f"{distributed.world_size()}: resume with --nproc-per-node {len(state['rng'])}")
        self.rng.set_state(state["rng"][distributed.rank()])
        torch.set_rng_state(state["torch_rng"])
        self.step = int(state["step"])
        self.history = {k: list(v) for k, v in state["history"].items()}

    def save(self, path: str | os.PathLike, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
        """Write a checkpoint and its manifest atomically (rank 0 only under torchrun); return the manifest."""
        state = self.state_dict()  # every process takes part: the RNG states are gathered
        meta = {"step": self.step, "seed": self.seed, "processes": distributed.world_size(), **(manifest or {})}
        return distributed.on_main(lambda: checkpoints.save(path, state, meta), meta)

    def resume(self, path: str | os.PathLike) -> dict[str, Any]:
        """Load a checkpoint written by :meth:`save` (sha256-checked); return its manifest."""
        state, manifest = checkpoints.load(path, map_location=self.device)
        self.load_state_dict(state)
        return manifest

    def use_precision(self, precision: str) -> "Trainer":
        """Train from now on in ``precision`` (``auto``, ``fp32``, ``bf16``, ``fp16``: :mod:`ganbook.accel`)."""
        self.precision = accel.Precision(precision, self.device)
        return self

    def compile(self) -> "Trainer":
        """Compile every network in place with ``torch.compile`` (opt-in: it pays on a GPU, not on this CPU)."""
        for net in self.game.networks().values():
            net.compile()
        return self
