"""Score the offline host on a bank of paraphrased questions (used by the tests and
``benchmarks/twenty_questions_paraphrase.py``)."""

from __future__ import annotations

from typing import Any, Mapping

from curiosa.envs.task import Task
from curiosa.envs.twenty_questions.env import TwentyQuestionsEnv


def score_paraphrases(items: list[Mapping[str, str]]) -> dict[str, Any]:
    """How the offline simulator answers ``items`` of ``{"category", "entity", "question", "expected"}``.

    Each question is played as the first move of a fresh game whose secret is the item's entity;
    ``expected`` is "yes", "no" or "goal". Returns the rates of correct, wrong and not-understood
    answers ("I'm not sure" and the replies to unreadable moves) overall and per category, and the
    items answered wrongly or not understood.
    """
    env = TwentyQuestionsEnv()
    per_category: dict[str, list[int]] = {}
    misses: list[dict[str, Any]] = []
    totals = [0, 0, 0]  # correct, wrong, not understood
    for item in items:
        task = Task("twenty_questions-eval-00000", TwentyQuestionsEnv.group, "test",
                    {"category": item["category"], "entity": item["entity"]})
        env.reset(seed=0, options={"task": task})
        _, _, _, _, info = env.step("Answer: " + item["question"])
        got = info["feedback"].get("answer")
        if got == "unsure":  # "I'm not sure.": the host did not understand what was asked
            got = None
        outcome = 0 if got == item["expected"] else (2 if got is None else 1)
        totals[outcome] += 1
        per_category.setdefault(item["category"], [0, 0, 0])[outcome] += 1
        if outcome:
            misses.append({**item, "got": got})
    n = max(1, len(items))
    return {
        "items": len(items),
        "accuracy": totals[0] / n,
        "wrong_rate": totals[1] / n,
        "not_understood_rate": totals[2] / n,
        "by_category": {c: {"items": sum(v), "accuracy": v[0] / sum(v)} for c, v in sorted(per_category.items())},
        "misses": misses,
    }
