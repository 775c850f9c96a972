"""Show the source of a ganbook object in a notebook, so the book teaches the code that runs."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any


class Source:
    """Source code of an object, rendered as a highlighted code block with its location."""

    def __init__(self, obj: Any) -> None:
        obj = inspect.unwrap(obj)  # a decorated function's own source, not its decorator's (torch.no_grad)
        try:
            lines, start = inspect.getsourcelines(obj)
            path = Path(inspect.getsourcefile(obj) or "?")
        except (TypeError, OSError):
            raise TypeError(f"show() needs a function, class or module with source code, got {obj!r}") from None
        self.code = "".join(lines).rstrip("\n")
        parts = path.parts
        self.where = "/".join(parts[parts.index("ganbook"):]) if "ganbook" in parts else path.name
        self.first, self.last = start or 1, (start or 1) + len(lines) - 1

    @property
    def caption(self) -> str:
        return f"{self.where}, lines {self.first}-{self.last}"

    def _repr_markdown_(self) -> str:
        return f"*{self.caption}*\n\n```python\n{self.code}\n```\n"

    def __repr__(self) -> str:
        return f"# {self.caption}\n{self.code}"


def show(obj: Any) -> Source:
    """Return ``obj``'s source; a notebook displays it as a highlighted block."""
    return Source(obj)
