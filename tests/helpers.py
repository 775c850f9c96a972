"""What several test modules check the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch


def assert_resumes_exactly(build: Callable[[], Any], steps: int, path: Path) -> tuple[Any, Any]:
    """Train ``build()`` for ``steps`` straight; train another for half, save, resume a third from the
    checkpoint and finish. Every network, the moving average and the history must be equal bit for bit.
    Returns (uninterrupted, resumed) for further checks."""
    whole = build().fit(steps, progress=False)
    build().fit(steps // 2, progress=False, checkpoint=path)
    resumed = build()
    assert resumed.resume(path)["step"] == steps // 2
    resumed.fit(steps, progress=False)
    pairs = [(whole.game.networks()[k], resumed.game.networks()[k]) for k in whole.game.networks()]
    if whole.G_ema is not None:
        pairs.append((whole.G_ema, resumed.G_ema))
    for a, b in pairs:
        for (name, x), y in zip(a.state_dict().items(), b.state_dict().values()):
            assert torch.equal(x, y), name
    assert list(whole.history) == list(resumed.history)
    for name, column in whole.history.items():  # NaN marks a phase that did not run: equal to NaN here
        np.testing.assert_array_equal(column, resumed.history[name], err_msg=name)
    return whole, resumed
