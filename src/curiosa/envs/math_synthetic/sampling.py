"""Random whole numbers for the generators (every draw consumes the generator the same way, so seeds stay valid)."""

from __future__ import annotations

import numpy as np


def draw(rng: np.random.Generator, lo: int, hi: int) -> int:
    """A whole number from ``lo`` to ``hi``, both included."""
    return int(rng.integers(lo, hi + 1))


def draw_nonzero(rng: np.random.Generator, lo: int, hi: int) -> int:
    """As :func:`draw`, redrawn until it is not 0 (a zero coefficient would drop a term)."""
    value = 0
    while value == 0:
        value = draw(rng, lo, hi)
    return value
