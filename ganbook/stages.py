"""A run of several stages, each its own trainer, trained one after another (LAPGAN's levels, StackGAN's).

:class:`Stages` looks like one :class:`~ganbook.train.Trainer` to the store and the
command line: ``fit`` trains the stages in order, each for its own number of
steps; ``step`` counts all of them; one checkpoint holds every stage, so a run
interrupted in its second stage resumes there, bit for bit.
"""

from __future__ import annotations

import os
from typing import Any

from . import checkpoints, distributed
from .errors import CheckpointError
from .train import Trainer


class Stages:
    """Trainers ``trainers[k]`` trained for ``steps[k]`` steps each, in list order."""

    def __init__(self, trainers: list[Trainer], steps: list[int], names: list[str]) -> None:
        if not (len(trainers) == len(steps) == len(names)):
            raise ValueError(f"Stages needs one step count and one name per trainer, got "
                             f"{len(trainers)} trainers, {len(steps)} step counts, {len(names)} names")
        self.trainers, self.steps, self.names = trainers, steps, names

    @property
    def step(self) -> int:
        return sum(t.step for t in self.trainers)

    @property
    def history(self) -> dict[str, dict[str, list[float]]]:
        return {name: t.history for name, t in zip(self.names, self.trainers)}

    def __getitem__(self, name: str) -> Trainer:
        return self.trainers[self.names.index(name)]

    def fit(self, steps: int | None = None, progress: bool = True, checkpoint: str | os.PathLike | None = None,
            checkpoint_every: int = 0, manifest: dict[str, Any] | None = None) -> "Stages":
        """Train every stage to its step count (``steps``, if given, must be their total), saving after each."""
        if steps is not None and steps != sum(self.steps):
            raise ValueError(f"these stages take {sum(self.steps)} steps in all ({self.steps}), not {steps}")
        for trainer, n in zip(self.trainers, self.steps):
            trainer.fit(n, progress=progress)
            if checkpoint is not None:
                self.save(checkpoint, manifest)
        return self

    def use_precision(self, precision: str) -> "Stages":
        for t in self.trainers:
            t.use_precision(precision)
        return self

    @property
    def precision(self) -> Any:
        return self.trainers[0].precision

    def compile(self) -> "Stages":
        for t in self.trainers:
            t.compile()
        return self

    def state_dict(self) -> dict[str, Any]:
        return {"stages": {name: t.state_dict() for name, t in zip(self.names, self.trainers)}}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        if sorted(state.get("stages", {})) != sorted(self.names):
            raise CheckpointError(f"checkpoint holds stages {sorted(state.get('stages', {}))}, this run has "
                                  f"{sorted(self.names)}: retrain with `python -m ganbook train NAME --profile P`")
        for name, t in zip(self.names, self.trainers):
            t.load_state_dict(state["stages"][name])

    def save(self, path: str | os.PathLike, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
        state = self.state_dict()
        meta = {"step": self.step, "stage_steps": [t.step for t in self.trainers],
                "processes": distributed.world_size(), **(manifest or {})}
        return distributed.on_main(lambda: checkpoints.save(path, state, meta), meta)

    def resume(self, path: str | os.PathLike) -> dict[str, Any]:
        state, manifest = checkpoints.load(path, map_location=self.trainers[0].device)
        self.load_state_dict(state)
        return manifest
