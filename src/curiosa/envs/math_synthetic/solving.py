"""Reading a problem back from its text: its family, the unknown it asks for, and its exact answer with working.

The stored answer of every task comes from :func:`solve` on its text, and the scripted players
solve the text they are shown with it, so the answer key and the players can never disagree.
"""

from __future__ import annotations

import re
from fractions import Fraction

from curiosa.envs.math_answers import AnswerError, Bin, Neg, Node, Num, format_number, format_operand, parse_expression
from curiosa.envs.math_synthetic.expressions import Linear, format_linear, format_x, linearize
from curiosa.envs.math_synthetic.problems import GROUP
from curiosa.envs.math_synthetic.templates import load_templates
from curiosa.envs.math_synthetic.work import Work, format_left

ARITHMETIC = re.compile(r"^(?:What is|Compute|Evaluate|Find the value of) (?P<expr>[-+*/^() 0-9]+?)[?.]$")
"""An arithmetic problem; ``expr`` is its expression (the phrasings of ``data/arithmetic_phrases.json``)."""
LINEAR = re.compile(r"^Solve for x: (?P<lhs>[-+*/() 0-9x]+?) = (?P<rhs>[-+*/() 0-9x]+?)\.$")
SYSTEM = re.compile(r"^Solve the system (?P<e1>[-+ 0-9xy]+ = -?\d+) and (?P<e2>[-+ 0-9xy]+ = -?\d+)\. "
                    r"What is (?P<target>x \+ y|x - y|x|y)\?$")


def family_of(problem: str) -> str | None:
    """Which family a problem text belongs to (None when it is none of ours)."""
    if ARITHMETIC.match(problem):
        return "arithmetic"
    if LINEAR.match(problem):
        return "linear"
    if SYSTEM.match(problem):
        return "system"
    for t in load_templates():
        if t.pattern.match(problem):
            return t.family
    return None


def target_variable(problem: str) -> str | None:
    """The unknown a problem asks for, when it asks for a single variable (answers like ``x = 5``)."""
    if LINEAR.match(problem):
        return "x"
    m = SYSTEM.match(problem)
    if m and m.group("target") in ("x", "y"):
        return m.group("target")
    return None


def solve(problem: str, work: Work | None = None) -> Fraction:
    """The exact answer of a problem of this game, read from its text (steps go to ``work``).

    Raises ValueError when the text is not one of the problem forms generated here.
    """
    work = work if work is not None else Work()
    m = ARITHMETIC.match(problem)
    if m:
        return _solve_arithmetic(m.group("expr"), work)
    m = LINEAR.match(problem)
    if m:
        return _solve_linear(m.group("lhs"), m.group("rhs"), work)
    m = SYSTEM.match(problem)
    if m:
        return _solve_system(m.group("e1"), m.group("e2"), m.group("target"), work)
    for t in load_templates():
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
        coef = work.op(a, "-", c,
                       line=lambda p, q, r: f"x terms to the left: {format_x(p)} - {format_x(q, True)} = {format_x(r)}")
    const = d
    if b != 0:
        const = work.op(d, "-", b, line=lambda p, q, r: f"Numbers to the right: {format_left(p)} - "
                                                        f"{format_operand(q)} = {format_number(r)}")
    work.note(f"So {format_linear({'x': coef})} = {format_number(const)}")
    if coef == 0:
        raise AnswerError("the equation has no single solution")
    if coef == 1:
        return const
    return work.op(const, "/", coef,
                   line=lambda p, q, r: f"x = {format_left(p)} / {format_operand(q)} = {format_number(r)}")


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
