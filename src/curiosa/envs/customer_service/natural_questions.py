"""Measure the offline customer on a bank of natural support questions: how many get an answer, and
how many are misread (as a fix to try, or not understood at all).

A bank (``tests/envs/customer_service/data/natural_questions.json``) lists questions a support agent
asks, with the diagnostic topic each should be read as ("any" when several fit). Reading a message
depends only on the product, so each question is read once per product. Used by the tests and
``benchmarks/dialogue_answer_rates.py``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping

from curiosa.envs.customer_service.manual import PRODUCTS
from curiosa.envs.customer_service.parsing import read_move


def score_natural_questions(questions: Iterable[Mapping[str, str]]) -> dict[str, Any]:
    """Rates of the customer's readings of ``questions`` over every product.

    * answered: share of (question, product) readings that get an answer (a diagnostic topic, or
      whether a fix was already tried);
    * topic: share read as their expected topic (questions marked "any" count when answered);
    * misread_as_fix: share read as a fix or an instruction (the customer would try something);
    * not_understood: share that get "I'm not sure what you mean".
    """
    questions = list(questions)
    counts: Counter = Counter()
    misses: Counter = Counter()
    for q in questions:
        for product in PRODUCTS:
            kind, topic, _ = read_move(product, q["question"])
            counts["n"] += 1
            if kind in ("question", "asked"):
                counts["answered"] += 1
                if q["topic"] in ("any", topic):
                    counts["topic"] += 1
                else:
                    misses[(q["question"], f"topic {topic}")] += 1
            elif kind == "unknown":
                counts["unknown"] += 1
                misses[(q["question"], "not understood")] += 1
            else:
                counts["fix"] += 1
                misses[(q["question"], f"read as {kind}")] += 1
    n = max(1, counts["n"])
    return {
        "questions": len(questions),
        "answered_rate": counts["answered"] / n,
        "topic_rate": counts["topic"] / n,
        "misread_as_fix_rate": counts["fix"] / n,
        "not_understood_rate": counts["unknown"] / n,
        "misses": [{"question": q, "got": got, "products": k} for (q, got), k in misses.most_common()],
    }
