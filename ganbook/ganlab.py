"""The GAN-Lab view: watch a 2-D GAN train, one picture per snapshot on a slider.

After GAN Lab (Kahng et al., 2019). At each snapshot :class:`GanLabRecorder`
stores D's output on a grid (the heat map), a fixed set of generated points,
and for each of them the direction in which the generator's loss would move it
(minus the gradient of G's loss with respect to the point): the arrows. The
arrows are what the generator *learns from*; where D is flat they are short.
:func:`gan_lab_view` draws each snapshot with :func:`ganbook.plot.gan_lab_frame`
and puts the frames on :func:`ganbook.widgets.frame_slider`, so the slider moves
in a kernel and in the built site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w
import numpy as np
import torch

from .losses import as_logits
from .plot import gan_lab_frame, to_png
from .train import Trainer
from .widgets import frame_slider


@dataclass
class GanLabRecorder:
    """Training callback recording what the GAN-Lab view shows.

    ``extent`` = (xmin, xmax, ymin, ymax) of the heat map; ``resolution`` grid
    points per side; ``n_samples`` generated points (fixed latents) of which the
    first ``n_arrows`` get an arrow. Arrow lengths are scaled so the longest arrow
    of a snapshot spans ``arrow_span`` of the plot's width.
    """

    extent: tuple[float, float, float, float]
    resolution: int = 60
    n_samples: int = 400
    n_arrows: int = 60
    arrow_span: float = 0.12
    records: list[dict[str, Any]] = field(default_factory=list)

    def grid(self) -> np.ndarray:
        """The heat map's grid points, shape ``(resolution**2, 2)``, row-major from the bottom."""
        xs = np.linspace(self.extent[0], self.extent[1], self.resolution)
        ys = np.linspace(self.extent[2], self.extent[3], self.resolution)
        xx, yy = np.meshgrid(xs, ys)
        return np.stack([xx.ravel(), yy.ravel()], axis=1)

    def __call__(self, trainer: Trainer) -> None:
        D, device = trainer.D, trainer.device
        fake = trainer.generate(self.n_samples, seed=11, ema=False).to(device)
        x = fake[: self.n_arrows].clone().requires_grad_(True)
        # the generator's loss as a function of the points themselves: where would G move them?
        loss = trainer.game.objective.g_loss(as_logits(D(x))) * len(x)
        (grad,) = torch.autograd.grad(loss, x)
        with torch.no_grad():
            g = torch.as_tensor(self.grid(), dtype=torch.float32, device=device)
            d_map = torch.sigmoid(D(g)).reshape(self.resolution, self.resolution).cpu().numpy()
        arrows = -grad.cpu().numpy()
        longest = float(np.linalg.norm(arrows, axis=1).max())
        if longest > 0:
            arrows = arrows * (self.arrow_span * (self.extent[1] - self.extent[0]) / longest)
        self.records.append({"step": trainer.step, "fake": fake.detach().cpu().numpy(),
                             "arrows": arrows, "d_map": d_map, "grad_scale": longest})


def gan_lab_view(recorder: GanLabRecorder, real: np.ndarray, dpi: int = 72) -> w.VBox:
    """A slider over the recorded snapshots (and a play button), each drawn as a GAN-Lab frame."""
    if not recorder.records:
        raise ValueError("the recorder has no snapshots: pass it to Trainer.fit as a callback first")
    frames = [
        to_png(gan_lab_frame(real, r["fake"], r["arrows"], r["d_map"], recorder.extent, title=f"step {r['step']}"), dpi=dpi)
        for r in recorder.records
    ]
    return frame_slider(frames, [str(r["step"]) for r in recorder.records], description="step")
