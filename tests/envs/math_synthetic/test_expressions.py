"""Printing expressions and linear forms the way the problems write them, and reading linear forms."""

from fractions import Fraction

import pytest

from curiosa.envs import math_synthetic as ms
from curiosa.envs.math_answers import AnswerError, parse_expression


@pytest.mark.parametrize("text", [
    "7 + 5 * 3", "10 + (-13) - (23 - 19 - 21)", "(2/3) * (9/4) - 1/2", "12 / (2 + 4) - 3",
])
def test_render_round_trips_printed_expressions(text):
    assert ms.render(parse_expression(text)) == text


@pytest.mark.parametrize("form, text", [
    ({"x": Fraction(3), "": Fraction(-2)}, "3x - 2"),
    ({"x": Fraction(-1), "y": Fraction(4)}, "-x + 4y"),
    ({"x": Fraction(1, 3)}, "(1/3)x"),
    ({"": Fraction(5)}, "5"),
    ({}, "0"),
])
def test_format_linear(form, text):
    assert ms.format_linear(form, ("x", "y")) == text


def test_linearize_expands_brackets_and_rejects_products_of_unknowns():
    assert ms.linearize(parse_expression("3(x - 2) + 4"), ms.Work()) == {"x": 3, "": -2}
    assert ms.linearize(parse_expression("(x + 2) / 4"), ms.Work()) == {"x": Fraction(1, 4), "": Fraction(1, 2)}
    with pytest.raises(AnswerError, match="product of two unknowns"):
        ms.linearize(parse_expression("x * y"), ms.Work())
