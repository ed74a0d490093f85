"""The worked steps of a solution, and the realistic slips a scripted student makes in them."""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

import numpy as np

from curiosa.envs.math_answers import apply, format_number, format_operand


class Work:
    """The worked steps of a solution, one line per step.

    With ``slip`` set to ``k``, the ``k``-th non-trivial operation comes out wrong the way people get
    it wrong (a sign flipped when moving a term, a product off by one factor, an addition off by
    one or ten) and the mistake carries through every later step, as a student's would.
    """

    def __init__(self, slip: int | None = None, rng: np.random.Generator | None = None) -> None:
        self.lines: list[str] = []
        self.count = 0
        """Non-trivial operations so far (the places where a slip can happen)."""
        self.slip = slip
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self.slipped: str | None = None
        """The line of the wrong step, once it happened (for a hidden step: its arithmetic)."""

    def note(self, line: str) -> None:
        """A step without arithmetic (a rule, a rewritten side)."""
        self.lines.append(line)

    def op(self, a: Fraction | int, sym: str, b: Fraction | int, *, label: str = "",
           line: Callable[[Fraction, Fraction, Fraction], str] | None = None, show: bool = True) -> Fraction:
        """One operation ``a sym b``: its value (wrong if this is the slip), written as a step when ``show``."""
        a, b = Fraction(a), Fraction(b)
        exact = apply(sym, a, b)
        value = exact
        if not _trivial(sym, a, b):
            if self.count == self.slip:
                value = self._perturb(sym, a, b, exact)
            self.count += 1
        plain = f"{format_left(a)} {sym} {format_operand(b)} = {format_number(value)}"
        text = line(a, b, value) if line is not None else label + plain
        if value != exact and self.slipped is None:
            self.slipped = text if show else plain
        if show:
            self.lines.append(text)
        return value

    def _perturb(self, sym: str, a: Fraction, b: Fraction, exact: Fraction) -> Fraction:
        if sym == "+":
            options = [a - b, exact + 1, exact - 1, exact + 10, exact - 10]
        elif sym == "-":
            options = [a + b, b - a, exact + 1, exact - 1, exact - 10]
        elif sym == "*":
            options = [a * (b + 1), a * (b - 1), exact + a, a + b, exact + 10]
        elif sym == "/":
            options = [exact + 1, exact - 1, a * b] + ([b / a] if a != 0 else [])
        else:
            options = [exact + 1, exact * 2]
        options = [o for o in options if o != exact]
        return options[int(self.rng.integers(len(options)))]


def _trivial(sym: str, a: Fraction, b: Fraction) -> bool:
    """Operations nobody gets wrong (adding 0, multiplying by 1...): never the place of a slip."""
    if sym in "+-":
        return b == 0 or (sym == "+" and a == 0)
    if sym == "*":
        return a in (0, 1, -1) or b in (0, 1, -1)
    if sym == "/":
        return b in (1, -1) or a == 0
    return False


def format_left(a: Fraction) -> str:
    """A number as the left operand of a written step: whole numbers bare, fractions bracketed."""
    return format_number(a) if a.denominator == 1 else format_operand(a)
