"""The shape world's captions as a small grammar, and the tokenizer that turns them into word indices (chapter 21).

Every caption is made from a scene's known factors, so what it asks for can be
checked exactly. A one-shape caption names the shape's size, colour, kind and
place in a 3x3 grid of the image; a two-shape caption names both shapes and the
first one's relation to the second (:func:`ganbook.data.shapes.caption`):

- "a small red circle at the top left"
- "a large blue square above a small green star"

:data:`VOCABULARY` holds every word either kind can use, with index 0 for
padding; :class:`Tokenizer` maps captions to padded index rows and back and
refuses a word outside the grammar with a one-line error that lists it.
:func:`grammar` lists every one-shape caption (432 of them), what the caption
composer of chapter 21 pre-renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import torch
from torch import Tensor

from ..batch import Batch
from ..errors import DataError
from . import shapes

SIZES = ("small", "large")
ROWS = ("top", "middle", "bottom")
COLUMNS = ("left", "centre", "right")
RELATIONS = ("above", "below", "left of", "right of")
PLACES = {(r, c): ("in the middle" if (r, c) == ("middle", "centre") else
                   f"on the {c}" if r == "middle" else f"at the {r}" if c == "centre" else f"at the {r} {c}")
          for r in ROWS for c in COLUMNS}
"""The words for each cell of the 3x3 grid: "at the top left", "at the top", ..., "in the middle"."""
PAD = "<pad>"


def _words() -> tuple[str, ...]:
    words = ["a", *SIZES, *shapes.HUES, *shapes.SHAPES]
    for phrase in (*PLACES.values(), *RELATIONS):
        words += phrase.split()
    return (PAD, *dict.fromkeys(words))


VOCABULARY = _words()
"""Every word of the grammar, index 0 the padding."""


def cell(x: float, y: float) -> tuple[str, str]:
    """The grid cell (row, column) of a centre at ``x``, ``y`` (shares of the side, ``y`` down)."""
    return ROWS[min(2, int(y * 3))], COLUMNS[min(2, int(x * 3))]


def describe(factors: dict[str, Tensor], i: int) -> str:
    """Scene ``i``'s caption: a one-shape scene with its place, a two-shape scene with the relation."""
    if factors["shape"].shape[1] == 2:
        return shapes.caption(factors, i)
    place = PLACES[cell(float(factors["x"][i, 0]), float(factors["y"][i, 0]))]
    return f"{shapes.caption(factors, i)} {place}"


def caption_rows(factors: dict[str, Tensor]) -> Tensor:
    """The word rows (:class:`Tokenizer`) of every scene's caption (:func:`describe`)."""
    return Tokenizer().encode([describe(factors, i) for i in range(len(factors["shape"]))])


def split(factors: dict[str, Tensor]) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
    """:func:`captioned_scenes`' factors as the one-shape part's and the two-shape part's (either may be
    empty)."""
    return ({k: v for k, v in factors.items() if not k.endswith("2")},
            {k[:-1]: v for k, v in factors.items() if k.endswith("2")})


def grammar() -> list[dict[str, str]]:
    """Every one-shape caption as its parts (size, colour, shape, place) and its text, in menu order."""
    out = []
    for size, hue, shape, (row, column) in product(SIZES, shapes.HUES, shapes.SHAPES, PLACES):
        text = f"a {size} {hue} {shape} {PLACES[(row, column)]}"
        out.append({"size": size, "colour": hue, "shape": shape, "row": row, "column": column, "text": text})
    return out


KINDS = {"size": SIZES, "colour": shapes.HUES, "shape": shapes.SHAPES}
"""The one-word attributes a caption names, each with its words."""


def mismatch(tokens: Tensor, rng: torch.Generator) -> Tensor:
    """Captions ``tokens`` ``(n, L)`` with one word changed each: the first shape's size, colour or kind
    (one of the three at random, each equally likely) replaced by another word of the same kind. A scene shown
    with its mismatched caption is a pair a matching-aware critic must reject."""
    index = {w: i for i, w in enumerate(VOCABULARY)}
    out = tokens.clone()
    kinds = torch.randint(len(KINDS), (len(tokens),), generator=rng)
    shifts = torch.rand(len(tokens), generator=rng)
    for r, (kind, shift) in enumerate(zip(kinds.tolist(), shifts.tolist())):
        words = list(KINDS.values())[kind]
        ids = torch.tensor([index[w] for w in words])
        at = int(torch.isin(tokens[r], ids).nonzero()[0, 0])  # the first word of that kind
        k = int((ids == tokens[r, at]).nonzero()[0, 0])
        out[r, at] = ids[(k + 1 + int(shift * (len(words) - 1))) % len(words)]  # any other word of the kind
    return out


def examples(n: int) -> Tensor:
    """The word rows of ``n`` one-shape captions that vary every part at once (the ``i``-th: shape ``i mod 4``,
    colour ``i mod 6``, size ``i // 2 mod 2``, place ``i mod 9``): what a caption generator is asked for when
    nobody says (its pictures and its shipped fingerprint)."""
    places = list(PLACES.values())
    return Tokenizer().encode([f"a {SIZES[(i // 2) % 2]} {shapes.HUES[i % 6]} {shapes.SHAPES[i % 4]} {places[i % 9]}"
                               for i in range(n)])


@dataclass(frozen=True)
class Tokenizer:
    """Captions <-> rows of word indices, padded with 0 to ``length`` words (the longest caption by default)."""

    length: int = max(len(c.split()) for c in ("a large magenta triangle right of a large magenta triangle",
                                               "a large magenta triangle at the bottom right"))

    def encode(self, captions: list[str] | tuple[str, ...]) -> Tensor:
        """``(n, length)`` int64 word indices; a word outside :data:`VOCABULARY` is a one-line error."""
        index = {w: i for i, w in enumerate(VOCABULARY)}
        rows = torch.zeros(len(captions), self.length, dtype=torch.long)
        for r, text in enumerate(captions):
            words = text.split()
            unknown = [w for w in words if w not in index]
            if unknown:
                raise DataError(f"caption {text!r} uses {', '.join(map(repr, unknown))}, outside the shape world's "
                                f"grammar: use words of ganbook.data.captions.VOCABULARY")
            if len(words) > self.length:
                raise DataError(f"caption {text!r} has {len(words)} words; this tokenizer keeps {self.length}")
            rows[r, :len(words)] = torch.tensor([index[w] for w in words])
        return rows

    def decode(self, rows: Tensor) -> list[str]:
        """The captions of index rows (padding dropped)."""
        return [" ".join(VOCABULARY[i] for i in row.tolist() if i) for row in rows]

    @staticmethod
    def lengths(rows: Tensor) -> Tensor:
        """The number of words of each row ``(n,)``."""
        return (rows != 0).sum(1)


def captioned_scenes(n: int, rng: torch.Generator, size: int = 64, two_share: float = 0.5
                     ) -> tuple[Tensor, Tensor, dict[str, Tensor], int]:
    """``n`` scenes drawn with ``rng`` (the first ``n - round(two_share * n)`` with one shape, the rest with
    two), their captions' word rows, and the factors and count of the one-shape part and the two-shape part
    (``factors`` holds the two-shape part's under keys ending in ``"2"``)."""
    two = round(two_share * n)
    parts, rows, factors = [], [], {}
    for objects, count in ((1, n - two), (2, two)):
        if not count:
            continue
        f = shapes.sample_factors(count, rng, objects)
        parts.append(shapes.render(f, size)[0])
        rows.append(caption_rows(f))
        factors.update({k + ("2" if objects == 2 else ""): v for k, v in f.items()})
    return torch.cat(parts), torch.cat(rows), factors, n - two


@dataclass(frozen=True)
class CaptionSource:
    """A data source of captioned scenes rendered on the fly from the trainer's stream: ``Batch(x=scenes,
    tokens=word rows)``, ``two_share`` of each batch with two shapes (chapter 21's training data); with
    ``as_condition`` the word rows are the batch's condition instead, ``Batch(x=scenes, c=word rows)``."""

    size: int = 64
    two_share: float = 0.5
    as_condition: bool = False

    def __call__(self, n: int, rng: torch.Generator) -> Batch:
        images, tokens, _, _ = captioned_scenes(n, rng, self.size, self.two_share)
        return Batch(images, c=tokens) if self.as_condition else Batch(images, tokens=tokens)
