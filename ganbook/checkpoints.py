"""Checkpoints: written atomically, loaded with ``weights_only=True``, checked by sha256.

A checkpoint ``NAME.pt`` holds only tensors, numbers, strings, lists and dicts
(so ``torch.load(weights_only=True)`` can read it and no pickled code runs).
Beside it, ``NAME.json`` is its manifest: the command that rebuilds it, the
step count, the measured metrics and the file's sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import torch

from .errors import CheckpointError


def manifest_path(path: str | os.PathLike) -> Path:
    """The manifest that belongs to checkpoint ``path``: same name, ``.json`` suffix."""
    return Path(path).with_suffix(".json")


def sha256(path: str | os.PathLike) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _atomic_write(path: Path, write: Any) -> None:
    """Call ``write(file)`` on a temporary file, then move it over ``path`` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a checkpoint is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that a reader sees the old file or the new one, never half."""
    _atomic_write(Path(path), lambda f: f.write(text.encode()))


def save(path: str | os.PathLike, state: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """Write ``state`` to ``path`` and its manifest beside it; return the manifest written.

    The checkpoint is written first and the manifest (with the checkpoint's sha256)
    second, each atomically: a crash leaves either the old pair, or a new
    checkpoint whose manifest does not match, which :func:`load` reports.
    """
    path = Path(path)
    _atomic_write(path, lambda f: torch.save(state, f))
    full = {**manifest, "file": path.name, "sha256": sha256(path)}
    text = json.dumps(full, indent=2, sort_keys=True) + "\n"
    _atomic_write(manifest_path(path), lambda f: f.write(text.encode()))
    return full


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """Read the manifest of checkpoint ``path``."""
    mpath = manifest_path(path)
    if not mpath.exists():
        raise CheckpointError(
            f"no manifest {mpath} beside checkpoint {path}: "
            "re-create both with `python -m ganbook train NAME`"
        )
    try:
        return json.loads(mpath.read_text())
    except json.JSONDecodeError as err:
        raise CheckpointError(f"manifest {mpath} is not valid JSON ({err}): re-create it with `python -m ganbook train NAME`") from None


def load(
    path: str | os.PathLike, map_location: str | torch.device = "cpu"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return ``(state, manifest)`` after checking the file against the manifest's sha256."""
    path = Path(path)
    if not path.exists():
        raise CheckpointError(
            f"checkpoint {path} does not exist: make it with `python -m ganbook train NAME`"
        )
    manifest = read_manifest(path)
    rebuild = manifest.get("command", "python -m ganbook train NAME")
    digest = sha256(path)
    if digest != manifest.get("sha256"):
        raise CheckpointError(
            f"checkpoint {path} does not match its manifest (sha256 {digest[:12]}... "
            f"!= {str(manifest.get('sha256'))[:12]}...): it is corrupted or was replaced; "
            f"rebuild it with `{rebuild}`"
        )
    try:
        state = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as err:  # noqa: BLE001 - any unpickling failure means a bad file
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise CheckpointError(
            f"checkpoint {path} could not be read ({first}); rebuild it with `{rebuild}`"
        ) from None
    return state, manifest
