"""The fixed pool of checked, distinct problems per level that the train and test splits are cut from."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from curiosa.envs.math_answers import format_number
from curiosa.envs.math_synthetic.generation import Draft, generate_problem
from curiosa.envs.math_synthetic.problems import GROUP, LEVELS
from curiosa.envs.math_synthetic.solving import solve, target_variable
from curiosa.envs.task import stable_rng

PER_LEVEL = {"train": 500, "test": 100}
"""Problems per level in each split."""


def problem_record(level: int, draft: Draft) -> dict[str, Any] | None:
    """A draft as task params, its answer read back from its text (None when it cannot be used).

    Reading back must give the value the generator built the problem on: anything else is a bug
    in a generator or in the solver, so it raises instead of storing a wrong answer.
    """
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
            record = problem_record(level, draft)
            if record is not None:
                seen.update((draft.key, draft.text))
                records.append(record)
        if len(records) < need:
            raise RuntimeError(f"{GROUP}: level {level} yielded only {len(records)} distinct problems, need {need}")
        pool[level] = tuple(records)
    return pool
