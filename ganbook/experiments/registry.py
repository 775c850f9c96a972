"""Every experiment the command line can train, by name, found by looking.

An experiment is any module of :mod:`ganbook.experiments` or
:mod:`ganbook.metrics.instruments` that sets ``NAME`` (see
:mod:`ganbook.experiments.base`); a new chapter's module is listed as soon as
it exists. The registry is kept apart from the experiments themselves (and
is not imported by them or by any chapter), so that a chapter's dependencies
(:mod:`ganbook.deps`) include only the experiments it uses.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

PACKAGES = ("ganbook.experiments", "ganbook.metrics.instruments")


def registry() -> dict[str, ModuleType]:
    """``{NAME: module}`` for every experiment, in the book's order (by ``CHAPTER``, then name)."""
    found: dict[str, ModuleType] = {}
    for package in PACKAGES:
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            name = getattr(module, "NAME", None)
            if name is None:
                continue
            if name in found:
                raise RuntimeError(f"{module.__name__} and {found[name].__name__} are both called {name!r}: rename one")
            found[name] = module
    return dict(sorted(found.items(), key=lambda item: (item[1].CHAPTER, item[0])))
