"""The frame slider: a jslinked Stack, so it moves without a kernel."""

import ipywidgets as w
import matplotlib.pyplot as plt
import pytest

from ganbook import widgets


def linked(box, a, b):
    """The browser-side links of ``box`` that connect widgets a and b."""
    return [link for link in box.links if {link.source[0], link.target[0]} == {a, b}]


def test_frame_slider_links_slider_to_stack_in_the_browser():
    frames = [bytes([i]) * 10 for i in range(5)]
    box = widgets.frame_slider(frames, [f"step {i}" for i in range(5)])
    (controls, stack) = box.children
    player, slider = controls.children
    assert isinstance(stack, w.Stack) and len(stack.children) == 5
    assert stack.selected_index == 4 and slider.index == 4
    assert [c.value for c in stack.children] == frames
    assert linked(box, slider, stack) and linked(box, player, slider)
    slider.index = 1  # in a kernel the link also works through Python
    assert slider.label == "step 1"


def test_figure_slider_renders_each_value():
    def render(v):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, v])
        return fig

    box = widgets.figure_slider(render, [0.0, 0.5, 1.0], play=False)
    slider, stack = box.children[0].children[0], box.children[1]
    assert slider.options == ("0", "0.5", "1")
    assert all(img.value[:8] == b"\x89PNG\r\n\x1a\n" for img in stack.children)


def test_frame_slider_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="2 frames but 3 labels"):
        widgets.frame_slider([b"a", b"b"], ["1", "2", "3"])


def test_menu_picker_links_every_menu_to_every_stack_of_its_depth():
    menus = {"size": ["small", "large"], "colour": ["red", "blue", "green"], "shape": ["circle", "star"]}
    frames = {(a, b, c): f"{a}-{b}-{c}".encode() for a in menus["size"] for b in menus["colour"]
              for c in menus["shape"]}
    box = widgets.menu_picker(frames, menus)
    (controls, root) = box.children
    size, colour, shape = controls.children
    assert isinstance(colour, w.Dropdown) and list(colour.options) == menus["colour"]
    assert len(box.links) == 1 + 2 + 2 * 3  # one stack at the top, two below it, six at the bottom
    assert len(linked(box, size, root)) == 1
    leaf = root.children[1].children[2].children[0]  # large, green, circle
    assert leaf.value == b"large-green-circle"
    with pytest.raises(ValueError, match="one frame per combination"):
        widgets.menu_picker({k: v for k, v in list(frames.items())[1:]}, menus)
