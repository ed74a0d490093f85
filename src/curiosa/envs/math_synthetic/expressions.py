"""Expressions as the problems print them, and linear forms (coefficients per unknown) read from them."""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from curiosa.envs.math_answers import AnswerError, Bin, Neg, Node, Num, Var, format_number
from curiosa.envs.math_synthetic.work import Work

Linear = dict[str, Fraction]
"""A linear expression: variable name -> coefficient, ``""`` -> constant."""

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}


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
        prec = _PRECEDENCE[node.op]
        inner = f"{render(node.left, prec, False, node.op)} {node.op} {render(node.right, prec, True, node.op)}"
        needs = prec < parent or (right and prec == parent and parent_op in "-/^") or (prec == parent == 3)
        return f"({inner})" if needs else inner
    return node.name  # Var


def linearize(node: Node, work: Work) -> Linear:
    """A linear expression's coefficients.

    The arithmetic of expanding goes through ``work`` (unshown) so that a slip can happen inside a bracket too.
    """
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
            text = ("" if magnitude == 1 else _coefficient(magnitude)) + name
        else:
            text = format_number(magnitude)
        if not parts:
            parts.append(("-" if value < 0 else "") + text)
        else:
            parts.append(("- " if value < 0 else "+ ") + text)
    return " ".join(parts) if parts else "0"


def format_x(coef: Fraction, operand: bool = False) -> str:
    """``3x``, ``-x``, ``(1/3)x``; as the right operand of a subtraction a negative term is bracketed."""
    text = format_linear({"x": Fraction(coef)})
    return f"({text})" if operand and coef < 0 else text


def _coefficient(value: Fraction) -> str:
    return format_number(value) if value.denominator == 1 else f"({format_number(value)})"
