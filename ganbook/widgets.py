"""Sliders over pictures that work in a kernel and in the built site.

The mechanism: pre-render one PNG frame per slider position, put the frames
in an ipywidgets ``Stack`` (only the selected child is visible), and connect
the slider to the stack's ``selected_index`` with ``jslink``. The link runs in
the browser, not in Python, so when the book is built the saved widget state
still moves the picture with no kernel behind the page. In a live kernel the
same widget is an ordinary ipywidget.

Later chapters reuse :func:`frame_slider` for latent interpolation, truncation
and code sliders: give it a render function and the values to pre-render.
"""

from __future__ import annotations

from typing import Callable, Sequence

import ipywidgets as w
from matplotlib.figure import Figure

from .plot import to_png


def frame_slider(
    frames: Sequence[bytes],
    labels: Sequence[str] | None = None,
    description: str = "frame",
    play: bool = True,
    interval_ms: int = 300,
    start: int | None = None,
) -> w.VBox:
    """A slider (and optional play button) that flips through PNG ``frames``.

    ``labels[i]`` is shown beside the slider for frame ``i`` (e.g. the training
    step); without labels the slider shows the index.
    """
    if not frames:
        raise ValueError("frame_slider needs at least one frame")
    if labels is not None and len(labels) != len(frames):
        raise ValueError(f"got {len(frames)} frames but {len(labels)} labels")
    n = len(frames)
    start = n - 1 if start is None else start
    images = [w.Image(value=f, format="png", layout=w.Layout(max_width="100%")) for f in frames]
    stack = w.Stack(images, selected_index=start)
    if labels is None:
        slider = w.IntSlider(value=start, min=0, max=n - 1, description=description, continuous_update=True)
    else:
        # SelectionSlider shows the label; its ``index`` is what we link to the stack.
        slider = w.SelectionSlider(options=list(labels), index=start, description=description, continuous_update=True)
    slider.layout = w.Layout(width="min(100%, 560px)")
    index_trait = "value" if labels is None else "index"
    links = [w.jslink((slider, index_trait), (stack, "selected_index"))]
    controls: list[w.Widget] = [slider]
    if play and n > 1:
        player = w.Play(value=start, min=0, max=n - 1, interval=interval_ms, description="play")
        links.append(w.jslink((player, "value"), (slider, index_trait)))
        controls.insert(0, player)
    box = w.VBox([w.HBox(controls), stack])
    box.links = links  # the browser-side links, kept for inspection and tests
    return box


def figure_slider(
    render: Callable[[float], Figure],
    values: Sequence[float],
    description: str = "value",
    fmt: str = "{:g}",
    dpi: int = 80,
    **kwargs: object,
) -> w.VBox:
    """Render ``render(v)`` for every ``v`` in ``values`` and put the frames on a slider."""
    frames = [to_png(render(v), dpi=dpi) for v in values]
    return frame_slider(frames, [fmt.format(v) for v in values], description=description, **kwargs)


def frame_picker(frames: Sequence[bytes], options: Sequence[str], description: str = "pick",
                 start: int = 0, button_width: str = "2.6em") -> w.VBox:
    """Buttons (one per option, each ``button_width`` wide) that choose which PNG frame is shown: chapter 7's
    label picker, chapter 19's photographs.

    Same mechanism as :func:`frame_slider`: the buttons' ``index`` is ``jslink``-ed
    to a ``Stack``, so the choice also works in the built site.
    """
    if len(frames) != len(options) or not frames:
        raise ValueError(f"frame_picker needs one frame per option, got {len(frames)} frames and {len(options)} options")
    images = [w.Image(value=f, format="png", layout=w.Layout(max_width="100%")) for f in frames]
    stack = w.Stack(images, selected_index=start)
    buttons = w.ToggleButtons(options=list(options), index=start, description=description,
                              style={"button_width": button_width})
    box = w.VBox([buttons, stack])
    box.links = [w.jslink((buttons, "index"), (stack, "selected_index"))]
    return box


def grid_slider(frames: Sequence[Sequence[bytes]], labels_a: Sequence[str], labels_b: Sequence[str],
                description_a: str = "a", description_b: str = "b") -> w.VBox:
    """Two sliders over a 2-D table of PNG frames, ``frames[i][j]`` for slider values ``(a_i, b_j)``.

    Links only copy a value from one widget to another, so the 2-D choice is
    built from nested stacks: slider a picks the row (an outer ``Stack`` whose
    children are ``Stack`` s), slider b is linked to every inner stack. Chapter 8
    puts InfoGAN's two continuous codes on it.
    """
    if not frames or any(len(row) != len(labels_b) for row in frames) or len(frames) != len(labels_a):
        raise ValueError("grid_slider needs frames[i][j] for every pair of labels_a[i], labels_b[j]")
    mid_a, mid_b = len(labels_a) // 2, len(labels_b) // 2
    rows = [w.Stack([w.Image(value=f, format="png", layout=w.Layout(max_width="100%")) for f in row],
                    selected_index=mid_b) for row in frames]
    outer = w.Stack(rows, selected_index=mid_a)
    sliders = []
    for labels, description, mid in ((labels_a, description_a, mid_a), (labels_b, description_b, mid_b)):
        s = w.SelectionSlider(options=list(labels), index=mid, description=description, continuous_update=True)
        s.layout = w.Layout(width="min(100%, 420px)")
        sliders.append(s)
    links = [w.jslink((sliders[0], "index"), (outer, "selected_index"))]
    links += [w.jslink((sliders[1], "index"), (row, "selected_index")) for row in rows]
    box = w.VBox([w.HBox(sliders), outer])
    box.links = links
    return box


def menu_picker(frames: dict[tuple[str, ...], bytes], menus: dict[str, Sequence[str]]) -> w.VBox:
    """Drop-down menus, one per entry of ``menus`` (its name and options), choosing among PNG ``frames``
    pre-rendered for every combination of options: ``frames[(option_1, ..., option_k)]``. Chapter 21's
    caption composer (size, colour, shape, place).

    :func:`grid_slider`'s nesting, to any depth: menu ``k`` is ``jslink``-ed to every ``Stack`` at depth
    ``k``, so any choice works in the built site without a kernel.
    """
    names, options = list(menus), [list(o) for o in menus.values()]
    missing = [key for key in _combinations(options) if key not in frames]
    if not names or missing:
        raise ValueError(f"menu_picker needs one frame per combination of options; missing e.g. {missing[:1]}")
    levels: list[list[w.Stack]] = [[] for _ in names]

    def build(prefix: tuple[str, ...]) -> w.Widget:
        depth = len(prefix)
        if depth == len(names):
            return w.Image(value=frames[prefix], format="png", layout=w.Layout(max_width="100%"))
        stack = w.Stack([build(prefix + (o,)) for o in options[depth]], selected_index=0)
        levels[depth].append(stack)
        return stack

    root = build(())
    menus_w = [w.Dropdown(options=o, index=0, description=name, layout=w.Layout(width="14em"))
               for name, o in zip(names, options)]
    links = [w.jslink((menu, "index"), (stack, "selected_index")) for menu, stacks in zip(menus_w, levels)
             for stack in stacks]
    box = w.VBox([w.HBox(menus_w), root])
    box.links = links
    return box


def _combinations(options: list[list[str]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [()]
    for choices in options:
        out = [key + (c,) for key in out for c in choices]
    return out
