"""Numbers in a move ('2.5 million', 'two thousand', '40 degrees north', 'UTC+5:30') and the comparison
around them ('more than', 'under', 'between A and B')."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

from curiosa.envs.guess_my_city.reading import Reading
from curiosa.envs.guess_my_city.tables import multipliers, number_words
from curiosa.envs.guess_my_city.tokens import Token

_GT = r"(over|above|more than|greater than|larger than|bigger than|higher than|exceeds?|exceeding|at least|beyond|" \
      r"in excess of|upwards of|north of|east of|>|plus|\+|further north than|further east than)"
_LT = r"(under|below|less than|fewer than|smaller than|lower than|at most|up to|not more than|no more than|" \
      r"south of|west of|<|further south than|further west than)"
_ABBREVIATED = ("m", "k", "b")
"""Multipliers that follow only a written number ('5m'), never a number word ('a m')."""


@dataclass
class Number:
    value: float
    start: int
    end: int
    factor: float
    """The product of the multiplier words after it ('2.5 million': 1e6), 1 if none."""
    direction: str = ""
    """'n', 's', 'e' or 'w' when followed by a compass word (e.g. '40 degrees north')."""

    @property
    def multiplied(self) -> bool:
        return self.factor != 1.0


def numbers(tokens: Sequence[Token]) -> list[Number]:
    """The numbers of a move, in order, with their sign, multipliers and compass direction."""
    words = [t.low for t in tokens]
    word_values, factors = number_words(), multipliers()
    out: list[Number] = []
    i = 0
    while i < len(words):
        w = words[i]
        value = None
        if w[0].isdigit():
            try:
                if ":" in w:
                    h, m = w.split(":", 1)
                    value = float(h) + float(m.split(":")[0]) / 60
                else:
                    value = float(w)
            except ValueError:
                value = None
        elif w in word_values:
            j, v = i, 1.0
            while j < len(words) and words[j] in word_values:
                v *= word_values[words[j]]
                j += 1
            if j < len(words) and words[j] in factors and words[j] not in _ABBREVIATED:
                value, i_end = v, j
            else:
                i += 1
                continue
        if value is None:
            i += 1
            continue
        start = i
        j = i + 1 if w[0].isdigit() else i_end
        factor = 1.0
        while j < len(words) and words[j] in factors:
            factor *= factors[words[j]]
            j += 1
        value *= factor
        if not math.isfinite(value) or abs(value) > 1e13:
            i = j
            continue
        if start > 0 and words[start - 1] in "+-":
            value = -value if words[start - 1] == "-" else value
            start -= 1
        k = j
        if k < len(words) and words[k] in ("degrees", "degree", "deg"):
            k += 1
        direction = ""
        if k < len(words) and words[k] in ("north", "south", "east", "west", "n", "s", "e", "w"):
            direction = words[k][0]
            j = k + 1
        out.append(Number(value, start, j, factor, direction))
        i = j
    return out


def op_before(reading: Reading, num: Number) -> str:
    """'gt', 'lt' or '' from the words just before a number (or 'plus' just after it)."""
    words = [t.low for t in reading.tokens]
    before = " " + " ".join(w for w in words[max(0, num.start - 5):num.start]
                            if w not in ("latitude", "longitude", "of", "the", "a", "about", "roughly")) + " "
    before_raw = " " + " ".join(words[max(0, num.start - 4):num.start]) + " "
    after = words[num.end] if num.end < len(words) else ""
    if re.search(r"\b(not more than|no more than|not over)\s*$", before_raw):
        return "lt"
    for text in (before_raw, before):
        if re.search(r"(?:^|\s)" + _LT + r"\s*$", text):
            return "lt"
        if re.search(r"(?:^|\s)" + _GT + r"\s*$", text):
            return "gt"
    if after in ("plus", "+", "or"):
        if after == "or" and num.end + 1 < len(words) and words[num.end + 1] in ("more", "above", "over"):
            return "gt"
        if after != "or":
            return "gt"
    return ""


def between_bounds(reading: Reading, nums: Sequence[Number]) -> tuple[float, float] | None:
    """The bounds of 'between A and B' / 'from A to B' ('between 1 and 2 million': the unit applies to both)."""
    words = [t.low for t in reading.tokens]
    for a, b in zip(nums, nums[1:]):
        if a.start > 0 and words[a.start - 1] in ("between", "from") and \
                " ".join(words[a.end:b.start]) in ("and", "to", ""):
            va = a.value * b.factor if not a.multiplied and a.value < 1000 else a.value
            return (min(va, b.value), max(va, b.value))
    return None
