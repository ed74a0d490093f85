"""How the host writes numbers, offsets, coordinates and lists in its replies."""

from __future__ import annotations

import math
from typing import Sequence


def fmt_count(n: float) -> str:
    """An exact count as a player wrote it: '2.5 million', '100,000'."""
    n = float(n)
    if n >= 1e6 and round(n / 1e5) * 1e5 == round(n):
        return f"{n / 1e6:g} million"
    return f"{int(round(n)):,}"


def approx(n: float) -> str:
    """A count rounded to two significant digits ('1.5 million', '360,000'): the host gives no exact figures."""
    n = float(n)
    if n <= 0:
        return "0"
    digits = 2
    rounded = round(n, -int(math.floor(math.log10(n))) + digits - 1)
    if rounded >= 1e9:
        return f"{rounded / 1e9:.3g} billion"
    if rounded >= 1e6:
        return f"{rounded / 1e6:.3g} million"
    return f"{int(rounded):,}"


def fmt_offset(hours: float) -> str:
    """'UTC+5:30', 'UTC-3'."""
    sign = "+" if hours >= 0 else "-"
    h = abs(hours)
    whole, minutes = int(h), int(round((h - int(h)) * 60))
    return f"UTC{sign}{whole}" + (f":{minutes:02d}" if minutes else "")


def fmt_lat(v: float) -> str:
    """'40 degrees north', or 'the equator'."""
    if abs(v) < 1e-9:
        return "the equator"
    return f"{abs(v):g} degrees {'north' if v > 0 else 'south'}"


def fmt_lon(v: float) -> str:
    """'10 degrees west', or 'the prime meridian'."""
    if abs(v) < 1e-9:
        return "the prime meridian"
    return f"{abs(v):g} degrees {'east' if v > 0 else 'west'}"


def band(v: float, step: int, pos: str, neg: str) -> str:
    """The band of ``step`` degrees a coordinate lies in ('between 40 and 50 degrees north'): never the exact value."""
    lo = math.floor(abs(v) / step) * step
    return f"between {lo} and {lo + step} degrees {pos if v >= 0 else neg}"


def join(items: Sequence[str]) -> str:
    """'A, B and C'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
