"""ganbook: the helper package behind the GAN book.

Import the pieces you need from their modules (``ganbook.losses``,
``ganbook.train``, ...); this file only names the version and ``show``.
"""

from .show import show

__version__ = "0.1.0"

__all__ = ["show", "__version__"]
