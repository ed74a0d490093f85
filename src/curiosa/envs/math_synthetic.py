"""Procedurally generated math problems with exact answers: the offline default of SCoRe's math task.

Five difficulty levels (``Task.params["difficulty"]``), five families:

* ``arithmetic``: ``What is 7 + 5 * 3?`` (level 1: two operations on small whole numbers; level 3:
  four operations with parentheses and negatives; levels 4-5: fractions such as ``3/4 + 5/6``).
* ``linear``: ``Solve for x: 3(x - 2) + 4 = 2x + 9.`` (from ``x + 4 = 9`` up to fractional
  solutions of equations with brackets and quotients).
* ``percent``: percent of a number, price rises and discounts, successive changes, reverse percent.
* ``word``: one- to three-step word problems from templates (shopping, sharing, rates, averages).
* ``system``: two linear equations in x and y; the question asks for x, y, x + y or x - y.

Every answer is an exact rational. Answers are compared exactly after parsing
(:func:`curiosa.envs.math_answers.parse_answer`), so ``3/4``, ``0.75``, ``\\frac{3}{4}``,
``\\boxed{3/4}`` and ``x = 3/4`` are all right and ``0.7499`` is not.

Problems are written so that :func:`solve` can read them back: the stored answer of every task is
computed by reading its text, and cross-checked against the value the generator built the problem
around. The scripted policies solve from the text the agent sees, with worked steps
(:class:`Work`), and can make one realistic slip in a chosen step.

Splits: 600 distinct problems per level, 500 for train and 100 for test (2500 / 500 in all); no
problem text occurs in both splits. Task ids are stable: the pool depends only on fixed seeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, ClassVar, Mapping

import numpy as np

from curiosa.envs.base import FormatError
from curiosa.envs.math_answers import (
    AnswerError, Bin, Neg, Node, Num, Var, apply, extract_math_answer, format_number, format_operand, parse_answer,
    parse_expression,
)
from curiosa.envs.self_correction import SelfCorrectionEnv, Verdict
from curiosa.envs.task import Task, make_tasks, stable_rng
from curiosa.envs.text import quote

GROUP = "math_synthetic"
LEVELS = (1, 2, 3, 4, 5)
PER_LEVEL = {"train": 500, "test": 100}
FAMILIES = ("arithmetic", "linear", "percent", "word", "system")

MATH_REPLY_FORMAT = (
    "Reply with a line 'Thought:' followed by your working, one short step per line, "
    "and end with a line 'Answer: <the exact answer>'."
)

_PROBLEM_LINE = re.compile(r"^Problem: (?P<problem>.+)$", re.MULTILINE)
_LEVEL = re.compile(r"\(level (?P<level>[1-5]) of 5\)")


def problem_of(instruction: str) -> str | None:
    """The problem sentence inside an instruction of this task (None if there is none)."""
    m = _PROBLEM_LINE.search(instruction)
    return m.group("problem").strip() if m else None


def level_of(instruction: str) -> int | None:
    """The difficulty level stated in an instruction (None if it states none)."""
    m = _LEVEL.search(instruction)
    return int(m.group("level")) if m else None


# --------------------------------------------------------------------------------------------- worked steps
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
        self.lines.append(line)

    def op(self, a: Fraction | int, sym: str, b: Fraction | int, *, label: str = "",
           line: Callable[[Fraction, Fraction, Fraction], str] | None = None, show: bool = True) -> Fraction:
        a, b = Fraction(a), Fraction(b)
        exact = apply(sym, a, b)
        value = exact
        if not _trivial(sym, a, b):
            if self.count == self.slip:
                value = self._perturb(sym, a, b, exact)
            self.count += 1
        plain = f"{_left(a)} {sym} {format_operand(b)} = {format_number(value)}"
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
    if sym in "+-":
        return b == 0 or (sym == "+" and a == 0)
    if sym == "*":
        return a in (0, 1, -1) or b in (0, 1, -1)
    if sym == "/":
        return b in (1, -1) or a == 0
    return False


def _left(a: Fraction) -> str:
    return format_number(a) if a.denominator == 1 else format_operand(a)


# --------------------------------------------------------------------------------------------- linear forms
Linear = dict[str, Fraction]
"""A linear expression: variable name -> coefficient, ``""`` -> constant."""
Numbers = dict[str, Fraction]
"""The numbers of a word problem by placeholder name (``{"a": 12, "b": 3}``)."""


def linearize(node: Node, work: Work) -> Linear:
    """A linear expression's coefficients (the arithmetic of expanding goes through ``work``, unshown)."""
    if isinstance(node, Num):
        return {"": node.value}
    if isinstance(node, Var):
        return {node.name: Fraction(1)}
    if isinstance(node, Neg):
        return {k: -v for k, v in linearize(node.operand, work).items()}
    left, right = linearize(node.left, work), linearize(node.right, work)
    if node.op in "+-":
        out = dict(left)
        for k, v in right.items():
            out[k] = work.op(out[k], node.op, v, show=False) if k in out else (v if node.op == "+" else -v)
        return out
    if node.op == "*":
        if set(left) <= {""}:
            left, right = right, left
        if not set(right) <= {""}:
            raise AnswerError("not a linear expression (a product of two unknowns)")
        c = right.get("", Fraction(0))
        return {k: work.op(c, "*", v, show=False) for k, v in left.items()}
    if node.op == "/":
        if not set(right) <= {""}:
            raise AnswerError("not a linear expression (division by an unknown)")
        c = right.get("", Fraction(0))
        return {k: work.op(v, "/", c, show=False) for k, v in left.items()}
    raise AnswerError(f"not a linear expression (operator {node.op!r})")


def format_linear(form: Mapping[str, Fraction], variables: tuple[str, ...] = ("x",)) -> str:
    """``3x - 2``, ``-x + 4y``, ``5``: a simplified linear expression as the problems write it."""
    parts: list[str] = []
    for name in (*variables, ""):
        value = Fraction(form.get(name, 0))
        if value == 0:
            continue
        magnitude = abs(value)
        if name:
            text = ("" if magnitude == 1 else _coef(magnitude)) + name
        else:
            text = format_number(magnitude)
        if not parts:
            parts.append(("-" if value < 0 else "") + text)
        else:
            parts.append(("- " if value < 0 else "+ ") + text)
    return " ".join(parts) if parts else "0"


def _x(coef: Fraction, operand: bool = False) -> str:
    """``3x``, ``-x``, ``(1/3)x``; as the right operand of a subtraction a negative term is bracketed."""
    text = format_linear({"x": Fraction(coef)})
    return f"({text})" if operand and coef < 0 else text


def _coef(value: Fraction) -> str:
    return format_number(value) if value.denominator == 1 else f"({format_number(value)})"


# --------------------------------------------------------------------------------------------- word templates
@dataclass(frozen=True)
class Template:
    """A word problem: text with ``{name}``/``{item}``/``{thing}`` words and one-letter numbers ``{a}``..``{e}``."""

    key: str
    family: str
    levels: tuple[int, ...]
    text: str
    generate: Callable[[np.random.Generator, int], dict[str, int]]
    solve: Callable[[Work, Numbers], Fraction]
    fractions: bool = False
    """The answer may be a fraction (else it must be a whole number)."""

    @property
    def pattern(self) -> re.Pattern[str]:
        return _template_regex(self.text)


@lru_cache(maxsize=None)
def _template_regex(text: str) -> re.Pattern[str]:
    out, seen, pos = [], set(), 0
    for m in re.finditer(r"\{(\w+)\}", text):
        out.append(re.escape(text[pos:m.start()]))
        name = m.group(1)
        if name in seen:
            out.append(f"(?P={name})")
        elif len(name) == 1:
            out.append(f"(?P<{name}>\\d+)")
        elif name == "name":
            out.append("(?P<name>[A-Z][a-z]+)")
        else:
            out.append(f"(?P<{name}>[a-z]+)")
        seen.add(name)
        pos = m.end()
    out.append(re.escape(text[pos:]))
    return re.compile("^" + "".join(out) + "$")


NAMES = ("Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jamal", "Kenji", "Lena", "Mateo",
         "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Yara", "Zoe")
ITEMS = ("apples", "marbles", "stickers", "pencils", "cards", "cookies", "books", "shells", "stamps", "beads",
         "balloons", "coins")
THINGS = ("jacket", "lamp", "bicycle", "backpack", "chair", "kettle", "camera", "guitar", "tent", "watch")


def _r(rng: np.random.Generator, lo: int, hi: int) -> int:
    return int(rng.integers(lo, hi + 1))


def _percent_of(w: Work, n: Fraction, p: Fraction, label: str = "") -> Fraction:
    return w.op(w.op(n, "*", p), "/", 100, label=label)


def _solve_share(w: Work, v: Numbers) -> Fraction:
    each = w.op(v["a"], "/", v["b"], label="Each child gets: ")
    return w.op(each, "-", v["c"], label="Left: ")


def _solve_change(w: Work, v: Numbers) -> Fraction:
    notebooks = w.op(v["a"], "*", v["b"], label="Notebooks: ")
    pens = w.op(v["c"], "*", v["d"], label="Pens: ")
    return w.op(v["e"], "-", w.op(notebooks, "+", pens, label="Cost: "), label="Change: ")


def _solve_savings(w: Work, v: Numbers) -> Fraction:
    first = w.op(v["a"], "*", v["b"], label="Saved first: ")
    after = w.op(first, "-", v["c"], label="After spending: ")
    return w.op(after, "+", w.op(v["a"], "*", v["d"], label="Saved later: "), label="End: ")


def _solve_average_speed(w: Work, v: Numbers) -> Fraction:
    first = w.op(v["a"], "*", v["b"], label="First distance: ")
    second = w.op(v["c"], "*", v["d"], label="Second distance: ")
    distance = w.op(first, "+", second, label="Distance: ")
    return w.op(distance, "/", w.op(v["b"], "+", v["d"], label="Time: "), label="Average: ")


def _solve_average_score(w: Work, v: Numbers) -> Fraction:
    total = v["a"]
    for key in "bcd":
        total = w.op(total, "+", v[key], label="Sum: ")
    return w.op(total, "/", 4, label="Average: ")


def _solve_two_changes(w: Work, v: Numbers) -> Fraction:
    risen = w.op(v["n"], "+", _percent_of(w, v["n"], v["p"], "Rise: "), label="After rise: ")
    return w.op(risen, "-", _percent_of(w, risen, v["q"], "Fall: "), label="Final: ")


def _solve_before_discount(w: Work, v: Numbers) -> Fraction:
    share = w.op(w.op(100, "-", v["p"], label="Percent paid: "), "/", 100, label="Share paid: ")
    return w.op(v["n"], "/", share, label="Before: ")


def _gen_what_percent(rng: np.random.Generator, level: int) -> dict[str, int]:
    whole = int(rng.choice([8, 20, 25, 40, 50, 80, 120, 200]))
    return {"a": _r(rng, 1, whole - 1), "b": whole}


def _gen_share(rng: np.random.Generator, level: int) -> dict[str, int]:
    children, each = _r(rng, 2, 9), _r(rng, 3, 15)
    return {"a": children * each, "b": children, "c": _r(rng, 1, each - 1)}


def _gen_tank(rng: np.random.Generator, level: int) -> dict[str, int]:
    drain = _r(rng, 1, 8)
    return {"a": 10 * _r(rng, 5, 40), "b": drain + _r(rng, 1, 9), "c": drain}


def _gen_before_discount(rng: np.random.Generator, level: int) -> dict[str, int]:
    percent, original = 5 * _r(rng, 1, 16), 20 * _r(rng, 2, 40)
    return {"p": percent, "n": original * (100 - percent) // 100}


TEMPLATES: tuple[Template, ...] = (
    # ------------------------------------------------------------------ one step (levels 1-2)
    Template("more", "word", (1,),
             "{name} has {a} {item}. {name} gets {b} more {item}. How many {item} does {name} have now?",
             lambda rng, lv: {"a": _r(rng, 2, 30), "b": _r(rng, 2, 20)},
             lambda w, v: w.op(v["a"], "+", v["b"], label="Total: ")),
    Template("give_away", "word", (1,),
             "{name} has {a} {item} and gives away {b} of them. How many {item} are left?",
             lambda rng, lv: {"a": _r(rng, 10, 40), "b": _r(rng, 1, 9)},
             lambda w, v: w.op(v["a"], "-", v["b"], label="Left: ")),
    Template("bags", "word", (1, 2),
             "There are {a} bags with {b} {item} in each bag. How many {item} are there in total?",
             lambda rng, lv: {"a": _r(rng, 2, 9), "b": _r(rng, 2, 12)},
             lambda w, v: w.op(v["a"], "*", v["b"], label="Total: ")),
    Template("percent_of", "percent", (1, 2), "What is {p}% of {n}?",
             lambda rng, lv: ({"p": int(rng.choice([10, 20, 25, 50])), "n": 20 * _r(rng, 1, 10)} if lv == 1
                              else {"p": 5 * _r(rng, 1, 19), "n": 20 * _r(rng, 1, 25)}),
             lambda w, v: _percent_of(w, v["n"], v["p"])),
    # ------------------------------------------------------------------ two steps (levels 2-4)
    Template("buy_packs", "word", (2, 3),
             "{name} has {a} {item}. {name} buys {b} packs of {c} {item} each. How many {item} does {name} have now?",
             lambda rng, lv: {"a": _r(rng, 2, 40), "b": _r(rng, 2, 9), "c": _r(rng, 3, 15)},
             lambda w, v: w.op(v["a"], "+", w.op(v["b"], "*", v["c"], label="Bought: "), label="Total: ")),
    Template("give_friends", "word", (2, 3),
             "{name} has {a} {item} and gives {b} {item} to each of {c} friends. "
             "How many {item} does {name} have left?",
             lambda rng, lv: {"a": _r(rng, 30, 120), "b": _r(rng, 2, 9), "c": _r(rng, 2, 8)},
             lambda w, v: w.op(v["a"], "-", w.op(v["b"], "*", v["c"], label="Given: "), label="Left: ")),
    Template("pages", "word", (2, 3),
             "{name} reads {a} pages every day for {b} days and then {c} pages on the last day. "
             "How many pages does {name} read in total?",
             lambda rng, lv: {"a": _r(rng, 5, 40), "b": _r(rng, 2, 9), "c": _r(rng, 1, 30)},
             lambda w, v: w.op(w.op(v["a"], "*", v["b"], label="First days: "), "+", v["c"], label="Total: ")),
    Template("wages", "word", (2, 3),
             "{name} earns {a} dollars per hour and works {b} hours. Then {name} spends {c} dollars. "
             "How many dollars does {name} have left?",
             lambda rng, lv: {"a": _r(rng, 8, 30), "b": _r(rng, 2, 10), "c": _r(rng, 5, 60)},
             lambda w, v: w.op(w.op(v["a"], "*", v["b"], label="Earned: "), "-", v["c"], label="Left: ")),
    Template("share", "word", (2, 3, 4),
             "{a} {item} are shared equally among {b} children. Each child then uses {c} of them. "
             "How many {item} does each child have left?",
             _gen_share, _solve_share),
    Template("price_up", "percent", (3, 4),
             "A {thing} costs {n} dollars. Its price goes up by {p}%. What is the new price, in dollars?",
             lambda rng, lv: {"n": 10 * _r(rng, 2, 40), "p": 5 * _r(rng, 1, 12)},
             lambda w, v: w.op(v["n"], "+", _percent_of(w, v["n"], v["p"], "Increase: "), label="New price: "),
             fractions=True),
    Template("discount", "percent", (3, 4),
             "A {thing} costs {n} dollars and is sold at {p}% off. What is the sale price, in dollars?",
             lambda rng, lv: {"n": 10 * _r(rng, 2, 40), "p": 5 * _r(rng, 1, 14)},
             lambda w, v: w.op(v["n"], "-", _percent_of(w, v["n"], v["p"], "Discount: "), label="Sale price: "),
             fractions=True),
    Template("what_percent", "percent", (4,), "{a} is what percent of {b}?", _gen_what_percent,
             lambda w, v: w.op(w.op(v["a"], "/", v["b"], label="Share: "), "*", 100, label="Percent: "),
             fractions=True),
    # ------------------------------------------------------------------ three steps and more (levels 4-5)
    Template("change", "word", (4, 5),
             "{name} buys {a} notebooks at {b} dollars each and {c} pens at {d} dollars each, and pays with a "
             "{e}-dollar bill. How much change does {name} get, in dollars?",
             lambda rng, lv: {"a": _r(rng, 2, 6), "b": _r(rng, 2, 9), "c": _r(rng, 2, 8), "d": _r(rng, 1, 5),
                              "e": int(rng.choice([50, 100]))},
             _solve_change),
    Template("savings", "word", (4, 5),
             "{name} saves {a} dollars every week. After {b} weeks {name} spends {c} dollars, then saves for "
             "{d} more weeks. How many dollars does {name} have at the end?",
             lambda rng, lv: {"a": _r(rng, 5, 25), "b": _r(rng, 3, 10), "c": _r(rng, 10, 60), "d": _r(rng, 2, 8)},
             _solve_savings),
    Template("average_speed", "word", (4, 5),
             "A car drives at {a} km per hour for {b} hours and then at {c} km per hour for {d} hours. "
             "What is its average speed over the whole trip, in km per hour?",
             lambda rng, lv: {"a": 10 * _r(rng, 3, 12), "b": _r(rng, 1, 5), "c": 10 * _r(rng, 3, 12),
                              "d": _r(rng, 1, 5)},
             _solve_average_speed, fractions=True),
    Template("average_score", "word", (4, 5),
             "{name} scores {a}, {b}, {c} and {d} points in four games. What is the average number of points per game?",
             lambda rng, lv: {k: _r(rng, 3, 40) for k in "abcd"}, _solve_average_score, fractions=True),
    Template("tank", "word", (5,),
             "A tank holds {a} liters. It is filled at {b} liters per minute while {c} liters per minute drain out. "
             "Starting empty, how many minutes does it take to fill the tank?",
             _gen_tank, lambda w, v: w.op(v["a"], "/", w.op(v["b"], "-", v["c"], label="Net rate: "),
                                          label="Minutes: "),
             fractions=True),
    Template("two_changes", "percent", (5,),
             "A {thing} costs {n} dollars. Its price rises by {p}% and then falls by {q}%. "
             "What is the final price, in dollars?",
             lambda rng, lv: {"n": 20 * _r(rng, 1, 20), "p": 5 * _r(rng, 1, 10), "q": 5 * _r(rng, 1, 10)},
             _solve_two_changes, fractions=True),
    Template("before_discount", "percent", (5,),
             "After a {p}% discount, a {thing} costs {n} dollars. What was the price before the discount, in dollars?",
             _gen_before_discount, _solve_before_discount, fractions=True),
)


def _fill(template: Template, rng: np.random.Generator, numbers: Mapping[str, int]) -> str:
    words = {"name": str(rng.choice(NAMES)), "item": str(rng.choice(ITEMS)), "thing": str(rng.choice(THINGS))}
    return template.text.format(**words, **{k: str(v) for k, v in numbers.items()})


# --------------------------------------------------------------------------------------------- solver
_ARITH = re.compile(r"^(?:What is|Compute|Evaluate|Find the value of) (?P<expr>[-+*/^() 0-9]+?)[?.]$")
_LINEAR = re.compile(r"^Solve for x: (?P<lhs>[-+*/() 0-9x]+?) = (?P<rhs>[-+*/() 0-9x]+?)\.$")
_SYSTEM = re.compile(r"^Solve the system (?P<e1>[-+ 0-9xy]+ = -?\d+) and (?P<e2>[-+ 0-9xy]+ = -?\d+)\. "
                     r"What is (?P<target>x \+ y|x - y|x|y)\?$")


def family_of(problem: str) -> str | None:
    """Which family a problem text belongs to (None when it is none of ours)."""
    if _ARITH.match(problem):
        return "arithmetic"
    if _LINEAR.match(problem):
        return "linear"
    if _SYSTEM.match(problem):
        return "system"
    for t in TEMPLATES:
        if t.pattern.match(problem):
            return t.family
    return None


def target_variable(problem: str) -> str | None:
    """The unknown a problem asks for, when it asks for a single variable (answers like ``x = 5``)."""
    if _LINEAR.match(problem):
        return "x"
    m = _SYSTEM.match(problem)
    if m and m.group("target") in ("x", "y"):
        return m.group("target")
    return None


def solve(problem: str, work: Work | None = None) -> Fraction:
    """The exact answer of a problem of this module, read from its text (steps go to ``work``).

    Raises ValueError when the text is not one of the problem forms generated here.
    """
    work = work if work is not None else Work()
    m = _ARITH.match(problem)
    if m:
        return _solve_arithmetic(m.group("expr"), work)
    m = _LINEAR.match(problem)
    if m:
        return _solve_linear(m.group("lhs"), m.group("rhs"), work)
    m = _SYSTEM.match(problem)
    if m:
        return _solve_system(m.group("e1"), m.group("e2"), m.group("target"), work)
    for t in TEMPLATES:
        tm = t.pattern.match(problem)
        if tm:
            numbers = {k: Fraction(int(v)) for k, v in tm.groupdict().items() if len(k) == 1}
            return t.solve(work, numbers)
    raise ValueError(f"not a {GROUP} problem: {problem[:120]!r}")


def _solve_arithmetic(expr: str, work: Work) -> Fraction:
    tree = parse_expression(expr)

    def walk(node: Node) -> Fraction:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Neg):
            return -walk(node.operand)
        if isinstance(node, Bin):
            left, right = walk(node.left), walk(node.right)
            return work.op(left, node.op, right)
        raise ValueError("an arithmetic problem has no unknowns")

    return walk(tree)


def _simplify_side(text: str, side: str, work: Work, variables: tuple[str, ...]) -> Linear:
    form = linearize(parse_expression(text), work)
    simple = format_linear(form, variables)
    if simple.replace(" ", "") != text.replace(" ", ""):
        work.note(f"Simplify the {side} side: {text} = {simple}")
    return form


def _solve_linear(lhs: str, rhs: str, work: Work) -> Fraction:
    left = _simplify_side(lhs, "left", work, ("x",))
    right = _simplify_side(rhs, "right", work, ("x",))
    a, b = left.get("x", Fraction(0)), left.get("", Fraction(0))
    c, d = right.get("x", Fraction(0)), right.get("", Fraction(0))
    coef = a
    if c != 0:
        coef = work.op(a, "-", c, line=lambda p, q, r: f"x terms to the left: {_x(p)} - {_x(q, True)} = {_x(r)}")
    const = d
    if b != 0:
        const = work.op(d, "-", b, line=lambda p, q, r: f"Numbers to the right: {_left(p)} - {format_operand(q)} = "
                                                        f"{format_number(r)}")
    work.note(f"So {format_linear({'x': coef})} = {format_number(const)}")
    if coef == 0:
        raise AnswerError("the equation has no single solution")
    if coef == 1:
        return const
    return work.op(const, "/", coef, line=lambda p, q, r: f"x = {_left(p)} / {format_operand(q)} = {format_number(r)}")


def _solve_system(e1: str, e2: str, target: str, work: Work) -> Fraction:
    rows = []
    for eq in (e1, e2):
        lhs, rhs = eq.split("=")
        form = linearize(parse_expression(lhs), work)
        rows.append((form.get("x", Fraction(0)), form.get("y", Fraction(0)), Fraction(int(rhs)) - form.get("", 0)))
    (a1, b1, c1), (a2, b2, c2) = rows
    work.note("D = a1*b2 - a2*b1, Dx = c1*b2 - c2*b1, Dy = a1*c2 - a2*c1; then x = Dx / D and y = Dy / D.")
    det = work.op(work.op(a1, "*", b2, label="D: "), "-", work.op(a2, "*", b1, label="D: "), label="D = ")
    if det == 0:
        raise AnswerError("the system has no single solution")
    values: dict[str, Fraction] = {}
    if target != "y":
        dx = work.op(work.op(c1, "*", b2, label="Dx: "), "-", work.op(c2, "*", b1, label="Dx: "), label="Dx = ")
        values["x"] = work.op(dx, "/", det, label="x = Dx / D: ")
    if target != "x":
        dy = work.op(work.op(a1, "*", c2, label="Dy: "), "-", work.op(a2, "*", c1, label="Dy: "), label="Dy = ")
        values["y"] = work.op(dy, "/", det, label="y = Dy / D: ")
    if target == "x + y":
        return work.op(values["x"], "+", values["y"], label="x + y: ")
    if target == "x - y":
        return work.op(values["x"], "-", values["y"], label="x - y: ")
    return values[target]


# --------------------------------------------------------------------------------------------- generators
FAMILY_WEIGHTS: dict[int, dict[str, float]] = {
    1: {"arithmetic": 0.4, "linear": 0.3, "percent": 0.1, "word": 0.2},
    2: {"arithmetic": 0.3, "linear": 0.3, "percent": 0.15, "word": 0.25},
    3: {"arithmetic": 0.25, "linear": 0.25, "percent": 0.15, "word": 0.2, "system": 0.15},
    4: {"arithmetic": 0.25, "linear": 0.2, "percent": 0.15, "word": 0.2, "system": 0.2},
    5: {"arithmetic": 0.2, "linear": 0.25, "percent": 0.15, "word": 0.15, "system": 0.25},
}
"""How often each family appears at each level."""

_ARITH_PHRASES = ("What is {}?", "Compute {}.", "Evaluate {}.", "Find the value of {}.")
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}


def render(node: Node, parent: int = 0, right: bool = False, parent_op: str = "") -> str:
    """An expression as the problems print it: minimal brackets, ``(-3)`` for negatives, ``3/4`` for fractions."""
    if isinstance(node, Num):
        text = format_number(abs(node.value))
        if node.value.denominator != 1 and parent >= 2:
            text = f"({text})"
        return f"(-{text.strip('()')})" if node.value < 0 else text
    if isinstance(node, Neg):
        return f"(-{render(node.operand, 3)})"
    if isinstance(node, Bin):
        prec = _PREC[node.op]
        inner = f"{render(node.left, prec, False, node.op)} {node.op} {render(node.right, prec, True, node.op)}"
        needs = prec < parent or (right and prec == parent and parent_op in "-/^") or (prec == parent == 3)
        return f"({inner})" if needs else inner
    return node.name  # Var


def _arith_leaf(rng: np.random.Generator, level: int) -> Num:
    if level <= 2:
        return Num(Fraction(_r(rng, 1, 12 if level == 1 else 20)))
    if level == 3:
        value = _r(rng, 1, 30)
        return Num(Fraction(-value if rng.random() < 0.15 else value))
    if rng.random() < (0.6 if level == 4 else 0.5):
        den = _r(rng, 2, 12)
        num = _r(rng, 1, 2 * den)
        while Fraction(num, den).denominator == 1:
            num = _r(rng, 1, 2 * den)
        return Num(Fraction(num, den))
    value = _r(rng, 1, 12)
    return Num(Fraction(-value if level == 5 and rng.random() < 0.15 else value))


def _arith_tree(rng: np.random.Generator, n_ops: int, level: int, ops: str) -> Node:
    if n_ops == 0:
        return _arith_leaf(rng, level)
    k = _r(rng, 0, n_ops - 1)
    op = ops[int(rng.integers(len(ops)))]
    return Bin(op, _arith_tree(rng, k, level, ops), _arith_tree(rng, n_ops - 1 - k, level, ops))


@dataclass(frozen=True)
class Draft:
    """A generated problem before it is checked: its text, a key for near-duplicates, the value it was built on."""

    family: str
    text: str
    key: str
    """Problems with equal keys differ only in wording (names, items, phrasing): at most one is kept."""
    expected: Fraction


def _gen_arithmetic(rng: np.random.Generator, level: int) -> Draft | None:
    n_ops, ops = {1: (2, "+-*"), 2: (3, "+-*/"), 3: (4, "+-*/"), 4: (2, "+-*/"), 5: (_r(rng, 3, 4), "+-*/")}[level]
    tree = _arith_tree(rng, n_ops, level, ops)
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
    limit = {1: 150, 2: 300, 3: 1000, 4: 100, 5: 200}[level]
    if any(abs(v) > limit or v.denominator > 144 for v in values):
        return None
    if level <= 2 and result < 0:
        return None
    if level >= 4 and result.denominator == 1 and rng.random() < 0.7:
        return None  # mostly fractional answers at levels 4-5
    expr = render(tree)
    phrase = _ARITH_PHRASES[int(rng.integers(len(_ARITH_PHRASES)))]
    return Draft("arithmetic", phrase.format(expr), "arithmetic:" + expr, result)


def _side(a: int, b: int) -> str:
    return format_linear({"x": Fraction(a), "": Fraction(b)})


def _bracket(k: int, shift: int) -> str:
    """``3(x - 2)``."""
    inner = _side(1, shift)
    return f"{'' if k == 1 else '-' if k == -1 else k}({inner})"


def _plus(text: str, c: int) -> str:
    return text if c == 0 else f"{text} {'+' if c > 0 else '-'} {abs(c)}"


def _nonzero(rng: np.random.Generator, lo: int, hi: int) -> int:
    value = 0
    while value == 0:
        value = _r(rng, lo, hi)
    return value


def _equation(lhs: str, rhs: str | int, x: Fraction | int) -> Draft:
    text = f"Solve for x: {lhs} = {rhs}."
    return Draft("linear", text, text, Fraction(x))


def _gen_linear(rng: np.random.Generator, level: int) -> Draft | None:
    x = _r(rng, 1, 20) if level == 1 else _r(rng, -10, 15)
    if level == 1:
        form = int(rng.integers(4))
        a = _r(rng, 2, 12)
        if form == 0:
            return _equation(_side(1, a), x + a, x)
        if form == 1:
            return _equation(_side(1, -a), x - a, x)
        if form == 2:
            return _equation(f"{a} + x", a + x, x)
        return _equation(_side(a, 0), a * x, x)
    if level == 2:
        a, b = _nonzero(rng, -9, 9), _nonzero(rng, -20, 20)
        return None if a == 1 else _equation(_side(a, b), a * x + b, x)
    if level == 3:
        a, c, b = _nonzero(rng, -9, 9), _nonzero(rng, -9, 9), _nonzero(rng, -20, 20)
        return None if a == c else _equation(_side(a, b), _side(c, (a - c) * x + b), x)
    if level == 4:
        k, s, c = _nonzero(rng, -6, 6), _nonzero(rng, -9, 9), _r(rng, -15, 15)
        if abs(k) == 1:
            return None
        if rng.random() < 0.5:
            m, t = _nonzero(rng, -6, 6), _nonzero(rng, -9, 9)
            # k(x + s) + c = m(x + t)  <=>  x = (m t - k s - c) / (k - m); keep whole solutions
            if k == m or (m * t - k * s - c) % (k - m):
                return None
            return _equation(_plus(_bracket(k, s), c), _bracket(m, t), Fraction(m * t - k * s - c, k - m))
        c2 = _nonzero(rng, -9, 9)
        if c2 == k:
            return None
        return _equation(_plus(_bracket(k, s), c), _side(c2, k * (x + s) + c - c2 * x), x)
    # level 5: fractional solutions, quotients and two brackets
    if rng.random() < 0.5:
        s, q, c, d = _nonzero(rng, -9, 9), _r(rng, 2, 6), _nonzero(rng, -5, 5), _r(rng, -12, 12)
        # (x + s) / q = c x + d  <=>  x (1 - q c) = q d - s
        if 1 - q * c == 0:
            return None
        return _equation(f"({_side(1, s)}) / {q}", _side(c, d), Fraction(q * d - s, 1 - q * c))
    k, s, m, t = _nonzero(rng, 2, 7), _nonzero(rng, -9, 9), _nonzero(rng, 2, 7), _nonzero(rng, -9, 9)
    e = _r(rng, -20, 20)
    # k(x + s) - m(x + t) = e  <=>  x = (e - k s + m t) / (k - m)
    if k == m:
        return None
    return _equation(f"{_bracket(k, s)} - {_bracket(m, t)}", e, Fraction(e - k * s + m * t, k - m))


def _gen_system(rng: np.random.Generator, level: int) -> Draft | None:
    x, y = _r(rng, -9, 12), _r(rng, -9, 12)
    if level == 3:
        rows = [(1, 1), (1, -1)]
        target = "x" if rng.random() < 0.5 else "y"
    else:
        rows = [(_nonzero(rng, -5, 5), _nonzero(rng, -5, 5)) for _ in range(2)]
        target = str(rng.choice(["x", "y"] if level == 4 else ["x", "y", "x + y", "x - y"]))
    (a1, b1), (a2, b2) = rows
    if a1 * b2 - a2 * b1 == 0:
        return None
    eqs = [f"{format_linear({'x': Fraction(a), 'y': Fraction(b)}, ('x', 'y'))} = {a * x + b * y}" for a, b in rows]
    text = f"Solve the system {eqs[0]} and {eqs[1]}. What is {target}?"
    value = {"x": x, "y": y, "x + y": x + y, "x - y": x - y}[target]
    return Draft("system", text, text, Fraction(value))


def _gen_word(rng: np.random.Generator, level: int, family: str) -> Draft | None:
    options = [t for t in TEMPLATES if t.family == family and level in t.levels]
    template = options[int(rng.integers(len(options)))]
    numbers = template.generate(rng, level)
    value = template.solve(Work(), {k: Fraction(v) for k, v in numbers.items()})
    if value < 0 or value.denominator > 100 or (value.denominator != 1 and not (template.fractions and level >= 4)):
        return None
    key = template.key + ":" + ",".join(f"{k}={v}" for k, v in sorted(numbers.items()))
    return Draft(family, _fill(template, rng, numbers), key, value)


def generate_problem(rng: np.random.Generator, level: int) -> Draft | None:
    """One random problem of ``level`` (None when the draw was rejected: try another generator)."""
    weights = FAMILY_WEIGHTS[level]
    names = list(weights)
    probs = np.array([weights[n] for n in names]) / sum(weights.values())
    family = names[int(rng.choice(len(names), p=probs))]
    for _ in range(100):  # retry within the family so that rejections do not skew the mix
        if family == "arithmetic":
            draft = _gen_arithmetic(rng, level)
        elif family == "linear":
            draft = _gen_linear(rng, level)
        elif family == "system":
            draft = _gen_system(rng, level)
        else:
            draft = _gen_word(rng, level, family)
        if draft is not None:
            return draft
    return None


def _problem_record(level: int, draft: Draft) -> dict[str, Any] | None:
    try:
        answer = solve(draft.text)
    except (ValueError, ArithmeticError):
        return None
    if answer != draft.expected:
        raise RuntimeError(f"{GROUP}: reading back {draft.text!r} gives {answer}, but it was built on {draft.expected}")
    if level == 5 and draft.family == "linear" and answer.denominator > 30:
        return None
    return {"difficulty": level, "family": draft.family, "problem": draft.text, "answer": format_number(answer),
            "variable": target_variable(draft.text) or ""}


@lru_cache(maxsize=1)
def problem_pool() -> dict[int, tuple[dict[str, Any], ...]]:
    """Every level's distinct problems, in a fixed order (train and test are cut from these)."""
    need = sum(PER_LEVEL.values())
    seen: set[str] = set()
    pool: dict[int, tuple[dict[str, Any], ...]] = {}
    for level in LEVELS:
        records: list[dict[str, Any]] = []
        for i in range(200 * need):
            if len(records) == need:
                break
            draft = generate_problem(stable_rng(GROUP, "pool", level, i), level)
            if draft is None or draft.key in seen or draft.text in seen:
                continue
            record = _problem_record(level, draft)
            if record is not None:
                seen.update((draft.key, draft.text))
                records.append(record)
        if len(records) < need:
            raise RuntimeError(f"{GROUP}: level {level} yielded only {len(records)} distinct problems, need {need}")
        pool[level] = tuple(records)
    return pool


# --------------------------------------------------------------------------------------------- environment
class MathSyntheticEnv(SelfCorrectionEnv):
    """Solve a generated math problem, then (turn 2) review the solution and answer again."""

    group: ClassVar[str] = GROUP

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        params: list[dict[str, Any]] = []
        offset = 0
        for s in ("train", "test"):
            if s == split:
                for level, records in problem_pool().items():
                    order = stable_rng(GROUP, "split", level).permutation(len(records))
                    params += [dict(records[int(j)]) for j in order[offset:offset + PER_LEVEL[s]]]
            offset += PER_LEVEL[s]
        mixed = stable_rng(GROUP, "order", split).permutation(len(params))
        return make_tasks(GROUP, split, [params[int(i)] for i in mixed])

    def _problem_prompt(self) -> str:
        assert self.task is not None
        p = self.task.params
        return (
            f"Solve this math problem (level {int(p['difficulty'])} of 5).\n"
            f"Problem: {p['problem']}\n"
            "Give the exact answer: a whole number or a fraction such as 7/4 (no rounding, no units).\n"
            + MATH_REPLY_FORMAT
        )

    def parse_reply(self, reply: str) -> Fraction:
        """The exact number of the reply's ``Answer:`` line (or, lacking one, of its last ``\\boxed{}``)."""
        answer = extract_math_answer(reply)
        if answer is None:
            raise FormatError("no 'Answer:' line found. " + MATH_REPLY_FORMAT)
        return self._parse(answer)

    def _parse(self, answer: str) -> Fraction:
        assert self.task is not None
        try:
            return parse_answer(answer, str(self.task.params.get("variable") or "") or None)
        except (ValueError, ArithmeticError, RecursionError, OverflowError) as err:
            raise FormatError(f"{quote(answer)} is not a single exact number ({err}). "
                              "End with a line such as 'Answer: 12' or 'Answer: -7/4'.") from None

    def _judge(self, move: Fraction) -> Verdict:
        assert self.task is not None
        expected = Fraction(str(self.task.params["answer"]))
        return Verdict(move == expected, {"answer": format_number(move)})

    def _expected(self) -> str:
        assert self.task is not None
        return str(self.task.params["answer"])
