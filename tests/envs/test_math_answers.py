"""Reading math answers: equivalent notations accepted, wrong values and non-answers rejected."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curiosa.envs.math_answers import (
    AnswerError, equivalent, extract_math_answer, last_boxed, math_verify_available, parse_answer, same_number,
)


@pytest.mark.parametrize("text", [
    "3/4", "0.75", " 0.750 ", ".75", "\\frac{3}{4}", "\\dfrac{3}{4}", "\\tfrac34", "\\frac34", "$\\frac{3}{4}$",
    "\\boxed{3/4}", "\\boxed{\\frac{3}{4}}", "x = 3/4", "x=0.75", "The answer is 3/4", "6/8", "3 / 4", "(3)/(4)",
    "\\(\\frac{3}{4}\\)", "3/4 dollars",
])
def test_three_quarters_in_every_notation(text):
    assert parse_answer(text) == Fraction(3, 4)


@pytest.mark.parametrize("text, value", [
    ("5", 5), ("\\boxed{5}", 5), ("x = 5", 5), ("5 apples", 5), ("$5", 5), ("5 dollars", 5), ("1,200", 1200),
    ("-7", -7), ("−7", -7), ("\\boxed{-\\frac{7}{4}}", Fraction(-7, 4)), ("-\\frac{7}{4}", Fraction(-7, 4)),
    ("\\frac{-7}{4}", Fraction(-7, 4)), ("3 1/2", Fraction(7, 2)), ("-3 1/2", Fraction(-7, 2)), ("21/3", 7),
    ("2^3", 8), ("25%", 25), ("12.5", Fraction(25, 2)), ("7 \\cdot 3", 21), ("x = -4", -4),
    ("\\boxed{x = 2}", 2), ("Answer is 9", 9), ("**9**".strip("*"), 9),
])
def test_other_values(text, value):
    assert parse_answer(text) == value


def test_the_asked_variable_is_picked_from_several_assignments():
    assert parse_answer("x = 3, y = 5", "y") == 5
    assert parse_answer("x = 3 and y = 5", "x") == 3
    assert parse_answer("x = 3, y = 5") == 5  # no variable given: the last assignment


@pytest.mark.parametrize("text", [
    "", "   ", "I don't know", "5 or 6", "x", "3x", "\\sqrt{2}", "9^99", "(((((1", "1/0", "1" * 400, "((1)))", "5 6",
])
def test_non_answers_raise(text):
    with pytest.raises(AnswerError):
        parse_answer(text)


def test_no_rounding_is_accepted():
    assert not same_number("0.33", Fraction(1, 3))
    assert not same_number("0.7499", Fraction(3, 4))
    assert not same_number("3/5", Fraction(3, 4))
    assert same_number("0.75", Fraction(3, 4))


def test_deep_nesting_within_the_length_limit_is_read():
    assert parse_answer("(" * 140 + "1" + ")" * 140) == 1


@given(st.text(max_size=120))
def test_any_text_parses_or_raises_answer_error(text):
    try:
        value = parse_answer(text)
    except AnswerError:
        return
    assert isinstance(value, Fraction)


def test_boxed_and_extraction():
    assert last_boxed("so \\boxed{\\frac{1}{2}} and then \\boxed{3}") == "3"
    assert last_boxed("\\boxed{\\frac{1}{2}}") == "\\frac{1}{2}"
    assert last_boxed("no box") is None
    assert extract_math_answer("Thought: a\nAnswer: 12") == "12"
    assert extract_math_answer("The result is \\boxed{12}.") == "\\boxed{12}"
    assert extract_math_answer("Natalia sold 48/2 = 24 clips.\n#### 72") == "72"
    assert extract_math_answer("no answer here") is None


def test_general_equivalence():
    assert equivalent("0.5", "\\frac{1}{2}")
    assert equivalent("1,234", "1234")
    assert equivalent("\\boxed{(1, 2)}", "(1,2)")
    assert equivalent("\\text{(B)}", "(B)")
    assert not equivalent("3", "4")
    assert not equivalent("(1, 3)", "(1,2)")


@pytest.mark.skipif(not math_verify_available(), reason="math-verify is not installed (optional dependency)")
def test_symbolic_equivalence_with_math_verify():
    assert equivalent("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}")
    assert equivalent("2\\pi", "\\pi \\cdot 2")
    assert not equivalent("\\sqrt{3}", "\\sqrt{2}")
