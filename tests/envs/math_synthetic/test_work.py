"""Worked steps: a slip changes the answer, shows in the working, and carries through."""

from fractions import Fraction

import numpy as np

from curiosa.envs import math_synthetic as ms


def test_slips_change_the_answer_and_propagate():
    problem = "What is 7 + 5 * 3?"
    for slip in range(2):
        work = ms.Work(slip=slip, rng=np.random.default_rng(slip))
        value = ms.solve(problem, work)
        assert value != 22 and work.slipped in work.lines


def test_trivial_steps_are_never_slips():
    work = ms.Work(slip=0)
    assert work.op(5, "*", 1) == 5 and work.op(5, "+", 0) == 5 and work.count == 0 and work.slipped is None
    assert work.op(Fraction(1, 2), "+", 2, label="Sum: ") != Fraction(5, 2)
    assert work.count == 1 and work.slipped == work.lines[-1] and work.lines[-1].startswith("Sum: (1/2) + 2 = ")
