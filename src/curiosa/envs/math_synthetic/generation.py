"""Drawing problems: one random draft per family and level, mixed by the level's family weights.

A draft is only a candidate: :mod:`curiosa.envs.math_synthetic.pool` reads it back, checks it and
drops near-duplicates. Every generator draws from the ``rng`` it is given in a fixed order, so the
pool (and every task id) depends only on the seeds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import numpy as np

from curiosa.envs.math_answers import AnswerError, Bin, Node, Num, apply
from curiosa.envs.math_synthetic.expressions import format_linear, render
from curiosa.envs.math_synthetic.sampling import draw, draw_nonzero
from curiosa.envs.math_synthetic.templates import fill, load_templates
from curiosa.envs.math_synthetic.work import Work

DATA = Path(__file__).parent / "data"
FAMILY_WEIGHTS_FILE = DATA / "family_weights.json"
PHRASES_FILE = DATA / "arithmetic_phrases.json"


@lru_cache(maxsize=1)
def family_weights() -> dict[int, dict[str, float]]:
    """How often each family appears at each level (relative weights, in the file's order)."""
    raw = json.loads(FAMILY_WEIGHTS_FILE.read_text(encoding="utf-8"))
    return {int(level): {str(f): float(w) for f, w in weights.items()} for level, weights in raw.items()}


@lru_cache(maxsize=1)
def arithmetic_phrases() -> tuple[str, ...]:
    """The ways an arithmetic problem is asked (``{}`` stands for the expression)."""
    return tuple(str(p) for p in json.loads(PHRASES_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Draft:
    """A generated problem before it is checked: its text, a key for near-duplicates, the value it was built on."""

    family: str
    text: str
    key: str
    """Problems with equal keys differ only in wording (names, items, phrasing): at most one is kept."""
    expected: Fraction


def generate_problem(rng: np.random.Generator, level: int) -> Draft | None:
    """One random problem of ``level`` (None when the draw was rejected: try another generator)."""
    weights = family_weights()[level]
    names = list(weights)
    probs = np.array([weights[n] for n in names]) / sum(weights.values())
    family = names[int(rng.choice(len(names), p=probs))]
    for _ in range(100):  # retry within the family so that rejections do not skew the mix
        if family == "arithmetic":
            draft = _arithmetic(rng, level)
        elif family == "linear":
            draft = _linear(rng, level)
        elif family == "system":
            draft = _system(rng, level)
        else:
            draft = _word(rng, level, family)
        if draft is not None:
            return draft
    return None


# --------------------------------------------------------------------------------------------- arithmetic
def _arithmetic_leaf(rng: np.random.Generator, level: int) -> Num:
    if level <= 2:
        return Num(Fraction(draw(rng, 1, 12 if level == 1 else 20)))
    if level == 3:
        value = draw(rng, 1, 30)
        return Num(Fraction(-value if rng.random() < 0.15 else value))
    if rng.random() < (0.6 if level == 4 else 0.5):
        den = draw(rng, 2, 12)
        num = draw(rng, 1, 2 * den)
        while Fraction(num, den).denominator == 1:
            num = draw(rng, 1, 2 * den)
        return Num(Fraction(num, den))
    value = draw(rng, 1, 12)
    return Num(Fraction(-value if level == 5 and rng.random() < 0.15 else value))


def _arithmetic_tree(rng: np.random.Generator, n_ops: int, level: int, ops: str) -> Node:
    if n_ops == 0:
        return _arithmetic_leaf(rng, level)
    k = draw(rng, 0, n_ops - 1)
    op = ops[int(rng.integers(len(ops)))]
    return Bin(op, _arithmetic_tree(rng, k, level, ops), _arithmetic_tree(rng, n_ops - 1 - k, level, ops))


_LIMITS = {1: 150, 2: 300, 3: 1000, 4: 100, 5: 200}
"""The largest magnitude of any intermediate value, per level."""


def _arithmetic(rng: np.random.Generator, level: int) -> Draft | None:
    level_five_ops = draw(rng, 3, 4)  # drawn at every level: the pool's seeds depend on this draw
    n_ops, ops = {1: (2, "+-*"), 2: (3, "+-*/"), 3: (4, "+-*/"), 4: (2, "+-*/"), 5: (level_five_ops, "+-*/")}[level]
    tree = _arithmetic_tree(rng, n_ops, level, ops)
    values: list[Fraction] = []

    def check(node: Node) -> Fraction:
        if isinstance(node, Num):
            return node.value
        assert isinstance(node, Bin)
        value = apply(node.op, check(node.left), check(node.right))
        values.append(value)
        return value

    try:
        result = check(tree)
    except AnswerError:  # division by zero
        return None
    if level <= 3 and any(v.denominator != 1 for v in values):
        return None
    if any(abs(v) > _LIMITS[level] or v.denominator > 144 for v in values):
        return None
    if level <= 2 and result < 0:
        return None
    if level >= 4 and result.denominator == 1 and rng.random() < 0.7:
        return None  # mostly fractional answers at levels 4-5
    expr = render(tree)
    phrases = arithmetic_phrases()
    phrase = phrases[int(rng.integers(len(phrases)))]
    return Draft("arithmetic", phrase.format(expr), "arithmetic:" + expr, result)


# --------------------------------------------------------------------------------------------- linear equations
def _side(a: int, b: int) -> str:
    """``ax + b`` as the problems write it."""
    return format_linear({"x": Fraction(a), "": Fraction(b)})


def _bracket(k: int, shift: int) -> str:
    """``3(x - 2)``."""
    inner = _side(1, shift)
    return f"{'' if k == 1 else '-' if k == -1 else k}({inner})"


def _plus(text: str, c: int) -> str:
    return text if c == 0 else f"{text} {'+' if c > 0 else '-'} {abs(c)}"


def _equation(lhs: str, rhs: str | int, x: Fraction | int) -> Draft:
    text = f"Solve for x: {lhs} = {rhs}."
    return Draft("linear", text, text, Fraction(x))


def _linear(rng: np.random.Generator, level: int) -> Draft | None:
    x = draw(rng, 1, 20) if level == 1 else draw(rng, -10, 15)
    if level == 1:
        form = int(rng.integers(4))
        a = draw(rng, 2, 12)
        if form == 0:
            return _equation(_side(1, a), x + a, x)
        if form == 1:
            return _equation(_side(1, -a), x - a, x)
        if form == 2:
            return _equation(f"{a} + x", a + x, x)
        return _equation(_side(a, 0), a * x, x)
    if level == 2:
        a, b = draw_nonzero(rng, -9, 9), draw_nonzero(rng, -20, 20)
        return None if a == 1 else _equation(_side(a, b), a * x + b, x)
    if level == 3:
        a, c, b = draw_nonzero(rng, -9, 9), draw_nonzero(rng, -9, 9), draw_nonzero(rng, -20, 20)
        return None if a == c else _equation(_side(a, b), _side(c, (a - c) * x + b), x)
    if level == 4:
        k, s, c = draw_nonzero(rng, -6, 6), draw_nonzero(rng, -9, 9), draw(rng, -15, 15)
        if abs(k) == 1:
            return None
        if rng.random() < 0.5:
            m, t = draw_nonzero(rng, -6, 6), draw_nonzero(rng, -9, 9)
            # k(x + s) + c = m(x + t)  <=>  x = (m t - k s - c) / (k - m); keep whole solutions
            if k == m or (m * t - k * s - c) % (k - m):
                return None
            return _equation(_plus(_bracket(k, s), c), _bracket(m, t), Fraction(m * t - k * s - c, k - m))
        c2 = draw_nonzero(rng, -9, 9)
        if c2 == k:
            return None
        return _equation(_plus(_bracket(k, s), c), _side(c2, k * (x + s) + c - c2 * x), x)
    # level 5: fractional solutions, quotients and two brackets
    if rng.random() < 0.5:
        s, q, c, d = draw_nonzero(rng, -9, 9), draw(rng, 2, 6), draw_nonzero(rng, -5, 5), draw(rng, -12, 12)
        # (x + s) / q = c x + d  <=>  x (1 - q c) = q d - s
        if 1 - q * c == 0:
            return None
        return _equation(f"({_side(1, s)}) / {q}", _side(c, d), Fraction(q * d - s, 1 - q * c))
    k, s, m, t = draw_nonzero(rng, 2, 7), draw_nonzero(rng, -9, 9), draw_nonzero(rng, 2, 7), draw_nonzero(rng, -9, 9)
    e = draw(rng, -20, 20)
    # k(x + s) - m(x + t) = e  <=>  x = (e - k s + m t) / (k - m)
    if k == m:
        return None
    return _equation(f"{_bracket(k, s)} - {_bracket(m, t)}", e, Fraction(e - k * s + m * t, k - m))


# --------------------------------------------------------------------------------------------- systems
def _system(rng: np.random.Generator, level: int) -> Draft | None:
    x, y = draw(rng, -9, 12), draw(rng, -9, 12)
    if level == 3:
        rows = [(1, 1), (1, -1)]
        target = "x" if rng.random() < 0.5 else "y"
    else:
        rows = [(draw_nonzero(rng, -5, 5), draw_nonzero(rng, -5, 5)) for _ in range(2)]
        target = str(rng.choice(["x", "y"] if level == 4 else ["x", "y", "x + y", "x - y"]))
    (a1, b1), (a2, b2) = rows
    if a1 * b2 - a2 * b1 == 0:
        return None
    eqs = [f"{format_linear({'x': Fraction(a), 'y': Fraction(b)}, ('x', 'y'))} = {a * x + b * y}" for a, b in rows]
    text = f"Solve the system {eqs[0]} and {eqs[1]}. What is {target}?"
    value = {"x": x, "y": y, "x + y": x + y, "x - y": x - y}[target]
    return Draft("system", text, text, Fraction(value))


# --------------------------------------------------------------------------------------------- word problems
def _word(rng: np.random.Generator, level: int, family: str) -> Draft | None:
    options = [t for t in load_templates() if t.family == family and level in t.levels]
    template = options[int(rng.integers(len(options)))]
    numbers = template.generate(rng, level)
    value = template.solve(Work(), {k: Fraction(v) for k, v in numbers.items()})
    if value < 0 or value.denominator > 100 or (value.denominator != 1 and not (template.fractions and level >= 4)):
        return None
    key = template.key + ":" + ",".join(f"{k}={v}" for k, v in sorted(numbers.items()))
    return Draft(family, fill(template, rng, numbers), key, value)
