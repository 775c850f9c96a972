"""Progressive growing as a game: the standard game whose networks' stage is a function of the step.

:class:`Growth` splits a run into equal phases: the 4-pixel networks train
alone, then each new resolution fades in (alpha rising linearly from 0 to 1)
and then trains at full strength; the last resolution keeps two phases, so for
4 resolutions the run is 8 phases. ``Growth(steps, grow=False)`` is the
baseline that trains the full-size networks from the first step.

The stage depends only on the step, so a resumed run grows exactly as an
uninterrupted one.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor, nn

from ..models.progan import RESOLUTIONS
from ..train import Trainer
from .standard import Objective, StandardGame


@dataclass(frozen=True)
class Growth:
    """The stage ``(level, alpha)`` for every step of a ``steps``-step run."""

    steps: int
    grow: bool = True
    levels: int = len(RESOLUTIONS)

    @property
    def phase(self) -> float:
        return self.steps / (2 * self.levels)

    def stage(self, step: int) -> tuple[int, float]:
        """``(level, alpha)`` at ``step``: level indexes :data:`RESOLUTIONS`, alpha the newest block's weight."""
        if not self.grow:
            return self.levels - 1, 1.0
        k = min(int(step / self.phase), 2 * self.levels - 1)  # phases 0: 4 px; 1, 2: fade and train 8 px; ...
        if k == 0:
            return 0, 1.0
        level = min((k + 1) // 2, self.levels - 1)
        if k % 2 == 1 and k < 2 * self.levels - 1:  # a fade-in phase
            return level, (step - k * self.phase) / self.phase
        return level, 1.0

    def changes(self) -> list[int]:
        """The steps where a new resolution starts to fade in."""
        return [round((2 * level - 1) * self.phase) for level in range(1, self.levels)] if self.grow else []


class ProgressiveGame(StandardGame):
    """:class:`StandardGame` that sets G's and D's stage from :class:`Growth` before each step."""

    def __init__(self, G: nn.Module, D: nn.Module, growth: Growth, objective: Objective = Objective()) -> None:
        super().__init__(G, D, objective)
        self.growth = growth

    def d_losses(self, t: Trainer) -> dict[str, Tensor]:
        level, alpha = self.growth.stage(t.step)
        for net in (self.G, self.D):
            net.set_stage(level, alpha)
        return super().d_losses(t)
