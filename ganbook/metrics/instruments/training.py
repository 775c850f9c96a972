"""What the measuring instruments (the digit classifier, the shape reader) share: how the CLI trains one.

An instrument is a module of this package with ``INSTRUMENT = True``, ``NAME``,
``SHIPPED`` (the path of the shipped weights), ``Config``, ``train(config,
progress) -> (model, report)`` and ``save(model, report, config, path, seconds)``.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import ModuleType
from typing import Any


def train_and_save(exp: ModuleType, profile: str, out: str | Path, progress: bool = True,
                   changes: dict[str, Any] | None = None) -> tuple[Path, dict[str, float], float]:
    """What ``python -m ganbook train NAME`` does for an instrument; returns (path, report, seconds).

    The instrument itself (any profile but ``smoke``, no changes) is written under its shipped file
    name; anything else as ``NAME-PROFILE-HASH.pt``, beside it rather than over it.
    """
    config = exp.Config.for_profile(profile, **(changes or {}))
    start = time.perf_counter()
    model, result = exp.train(config, progress)
    seconds = time.perf_counter() - start
    shipped_config = profile != "smoke" and not changes
    path = Path(out) / (exp.SHIPPED.name if shipped_config else f"{exp.NAME}-{profile}-{config.short_hash()}.pt")
    exp.save(model, result, config, path, seconds)
    return path, result, seconds
