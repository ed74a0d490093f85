"""Reading problems back: exact answers with working, families, the asked unknown, foreign text."""

from fractions import Fraction

import pytest

from curiosa.envs import math_synthetic as ms


@pytest.mark.parametrize("problem, answer", [
    ("What is 7 + 5 * 3?", 22),
    ("Compute 12 / (2 + 4) - 3.", -1),
    ("What is 3/4 + 5/6?", Fraction(19, 12)),
    ("Evaluate (2/3) * (9/4) - 1/2.", 1),
    ("Solve for x: 3(x - 2) + 4 = 2x + 9.", 11),
    ("Solve for x: (x + 2) / 3 = 5x + 12.", Fraction(-17, 7)),
    ("Solve the system 2x + 3y = 12 and x - y = 1. What is x + y?", Fraction(3) + Fraction(2)),
    ("What is 35% of 240?", 84),
    ("After a 20% discount, a lamp costs 64 dollars. What was the price before the discount, in dollars?", 80),
    ("Ana has 12 apples. Ana buys 3 packs of 5 apples each. How many apples does Ana have now?", 27),
])
def test_solver_on_hand_made_problems(problem, answer):
    work = ms.Work()
    assert ms.solve(problem, work) == answer
    assert work.lines, "the solver shows its steps"


def test_solver_rejects_foreign_text():
    with pytest.raises(ValueError, match="not a math_synthetic problem"):
        ms.solve("What is the capital of France?")


@pytest.mark.parametrize("problem, family, variable", [
    ("What is 7 + 5 * 3?", "arithmetic", None),
    ("Solve for x: 3(x - 2) + 4 = 2x + 9.", "linear", "x"),
    ("Solve the system 2x + 3y = 12 and x - y = 1. What is y?", "system", "y"),
    ("Solve the system 2x + 3y = 12 and x - y = 1. What is x - y?", "system", None),
    ("What is 35% of 240?", "percent", None),
    ("Ana has 12 apples. Ana gets 3 more apples. How many apples does Ana have now?", "word", None),
    ("Ana has 12 apples. Ben gets 3 more apples. How many apples does Ana have now?", None, None),
    ("What is the capital of France?", None, None),
])
def test_family_and_asked_unknown(problem, family, variable):
    assert ms.family_of(problem) == family and ms.target_variable(problem) == variable
