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

Modules: ``problems`` (name, levels, families, the instruction), ``work`` (worked steps and slips),
``expressions`` (printing expressions, linear forms), ``templates`` (word problems:
``data/templates.json``, ``data/words.json``, their number generators and solvers), ``solving``
(reading a problem back), ``generation`` (random drafts per family, ``data/family_weights.json``,
``data/arithmetic_phrases.json``; ``sampling`` draws their numbers), ``pool`` (the checked problems
the splits are cut from), ``env``.
"""

from curiosa.envs.math_synthetic.env import MathSyntheticEnv
from curiosa.envs.math_synthetic.expressions import Linear, format_linear, linearize, render
from curiosa.envs.math_synthetic.generation import Draft, arithmetic_phrases, family_weights, generate_problem
from curiosa.envs.math_synthetic.pool import PER_LEVEL, problem_pool, problem_record
from curiosa.envs.math_synthetic.problems import (
    FAMILIES, GROUP, LEVELS, MATH_REPLY_FORMAT, level_of, problem_of, write_instruction,
)
from curiosa.envs.math_synthetic.solving import family_of, solve, target_variable
from curiosa.envs.math_synthetic.templates import Numbers, Template, load_templates, load_words
from curiosa.envs.math_synthetic.work import Work

__all__ = [
    "FAMILIES", "GROUP", "LEVELS", "MATH_REPLY_FORMAT", "PER_LEVEL", "Draft", "Linear", "MathSyntheticEnv", "Numbers",
    "Template", "Work", "arithmetic_phrases", "family_of", "family_weights", "format_linear", "generate_problem",
    "level_of", "linearize", "load_templates", "load_words", "problem_of", "problem_pool", "problem_record", "render",
    "solve", "target_variable", "write_instruction",
]
