"""Which ganbook code a chapter or an experiment runs, and a hash of it.

A checkpoint is reused, and a chapter's executed output kept, until the code
it depends on changes: its own module and every ganbook module it imports,
transitively (found by reading ``import`` statements, not by running them),
plus package data a module names in :data:`DATA_FILES`. Editing
``ganbook/models/lapgan.py`` changes the hash of chapter 9 and of the
``lapgan`` experiment, and of nothing else; editing ``ganbook/train.py``
changes all of them.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent  # the ganbook package
PACKAGE = ROOT.name

DATA_FILES: dict[str, list[str]] = {
    # the shipped instruments: a new one changes every metric read with it
    "ganbook.metrics.instruments.digit_classifier": ["assets/digit_classifier.pt", "assets/digit_classifier.json"],
    "ganbook.metrics.instruments.shape_reader": ["assets/shape_reader.pt", "assets/shape_reader.json"],
    "ganbook.metrics.instruments.segmenter": ["assets/segmenter.pt", "assets/segmenter.json"],
    "ganbook.metrics.instruments.text_encoder": ["assets/text_encoder.pt", "assets/text_encoder.json"],
    "ganbook.metrics.instruments.voxel_classifier": ["assets/voxel_classifier.pt", "assets/voxel_classifier.json"],
    # the shipped showcases: a retrained one changes what its chapter shows and measures
    "ganbook.experiments.dcgan_showcase": ["assets/dcgan-showcase.pt", "assets/dcgan-showcase.json"],
    "ganbook.experiments.biggan_showcase": ["assets/biggan-showcase.pt", "assets/biggan-showcase.json"],
    "ganbook.experiments.stylegan_showcase": ["assets/stylegan-showcase.pt", "assets/stylegan-showcase.json"],
    "ganbook.experiments.voxel_showcase": ["assets/voxel-showcase.pt", "assets/voxel-showcase.json"],
    "ganbook.experiments.text2image_showcase": ["assets/text2image-showcase.pt",
                                                "assets/text2image-showcase.json"],
}
"""The package data each module reads, by module; a test checks that every file in ``assets`` is listed."""


def module_path(name: str) -> Path | None:
    """The source file of ganbook module ``name`` (``ganbook.x.y``), or None if there is none."""
    parts = name.split(".")[1:]
    base = ROOT.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _resolve(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    """The absolute module an ``ImportFrom`` node names, relative imports included."""
    if node.level == 0:
        return node.module or ""
    anchor = current.split(".")
    anchor = anchor if is_package else anchor[:-1]
    anchor = anchor[:len(anchor) - (node.level - 1)]
    return ".".join(anchor + ([node.module] if node.module else []))


def imports_in_source(source: str, current: str = PACKAGE, is_package: bool = True) -> set[str]:
    """ganbook modules imported by ``source`` (``from ganbook.x import y`` counts ``ganbook.x.y`` when that is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, current, is_package)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    mods = set()
    for name in found:
        if (name == PACKAGE or name.startswith(PACKAGE + ".")) and module_path(name) is not None:
            mods.add(name)
            parts = name.split(".")
            mods.update(".".join(parts[:i]) for i in range(1, len(parts)))  # the packages on the way
    return mods


@lru_cache(maxsize=None)
def _direct(name: str) -> frozenset[str]:
    path = module_path(name)
    return frozenset(imports_in_source(path.read_text(), name, path.name == "__init__.py")) if path else frozenset()


def closure(names: set[str] | frozenset[str]) -> set[str]:
    """``names`` and every ganbook module they import, transitively."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_direct(name) - seen)
    return seen


def files_of(names: set[str]) -> list[Path]:
    """The source files (and named package data) of the modules in ``names``, sorted."""
    files = {module_path(n) for n in names} - {None}
    files.update(ROOT / f for n in names for f in DATA_FILES.get(n, []))
    return sorted(files)


def digest(names: set[str], extra: bytes = b"") -> str:
    """16 hex digits of the sha256 of the closure's files (paths and bytes) and ``extra``. A listed data
    file that does not exist yet (a showcase being trained to be shipped) counts as absent, so the hash
    still changes once it is written."""
    h = hashlib.sha256()
    for f in files_of(closure(names)):
        h.update(f.relative_to(ROOT).as_posix().encode())
        h.update(f.read_bytes() if f.exists() else b"\0absent")
    h.update(extra)
    return h.hexdigest()[:16]


def code_version(module: ModuleType | str) -> str:
    """The hash of the code ``module`` (an experiment) runs: a cached checkpoint is reused only with this code."""
    name = module if isinstance(module, str) else module.__name__
    return digest({name})


def notebook_modules(source: str) -> set[str]:
    """ganbook modules imported by the code cells of a MyST chapter (``{code-cell}`` blocks)."""
    mods: set[str] = set()
    for cell in source.split("```{code-cell}")[1:]:
        code = cell.split("\n", 1)[1].split("\n```", 1)[0] if "\n" in cell else ""
        lines = [ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            mods |= imports_in_source("\n".join(lines))
        except SyntaxError:
            continue
    return mods


def chapter_version(path: str | Path) -> str:
    """The hash of a chapter: its own text and all the ganbook code its cells import."""
    text = Path(path).read_text()
    return digest(notebook_modules(text), text.encode())
