"""Test-session settings: a headless plotting backend, and the ``smoke`` profile unless one is asked for.

Under pytest (``make test`` or a bare ``pytest --nbval``) every chapter runs on
``smoke`` unless ``GANBOOK_PROFILE`` says otherwise; without this a machine
with no GPU would pick ``cpu`` and execute the book for about an hour. The
chapter kernels that nbval starts inherit this process's environment.
"""

import os

import matplotlib

matplotlib.use("Agg")


def pytest_configure(config):
    os.environ.setdefault("GANBOOK_PROFILE", "smoke")
    os.environ.setdefault("MPLBACKEND", "agg")
