"""Every experiment the command line can train, by name.

Kept apart from the experiments themselves (and not imported by them or by any
chapter), so that a chapter's dependencies (:mod:`ganbook.deps`) include only
the experiments it uses.
"""

from __future__ import annotations

from types import ModuleType


def registry() -> dict[str, ModuleType]:
    """``{NAME: module}`` for every experiment, in the book's order."""
    from ..metrics.instruments import digit_classifier, shape_reader
    from . import (biggan_shapes, biggan_showcase, cgan_concat, cgan_projection, dcgan, dcgan_shapes, dcgan_showcase,
                   fixed_g, gaussian1d, infogan, lapgan, mlp_gan, pacgan_toys, progan_shapes, sn_digits, stacked_dcgan,
                   stylegan_shapes, stylegan_showcase, toolbox_digits, toy2d, wgan_digits)

    modules = [gaussian1d, fixed_g, toy2d, digit_classifier, mlp_gan, dcgan, dcgan_showcase, cgan_concat,
               cgan_projection, infogan, lapgan, wgan_digits, sn_digits, pacgan_toys, stacked_dcgan, toolbox_digits,
               shape_reader, dcgan_shapes, progan_shapes, biggan_shapes, biggan_showcase, stylegan_shapes, stylegan_showcase]
    return {m.NAME: m for m in modules}
