"""Measure the offline host on a bank of natural questions: how many it answers, and how it declines
the rest (honestly, or with a request for another question).

A bank (``tests/envs/guess_my_city/data/natural_questions.json``) gives each question a scope:
"geonames" (the host's data can answer it, ``topic`` is the reading it should get), "unknown" (outside
GeoNames: the host should say it does not know) or "forbidden" (the name, which it never tells). Used
by the tests and ``benchmarks/dialogue_answer_rates.py``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping, Sequence

from curiosa.envs.guess_my_city.env import GuessMyCityEnv
from curiosa.envs.guess_my_city.replies import LEAK_REPLY, NAME_REPLY
from curiosa.envs.task import Task


def reply_class(feedback: Mapping[str, Any]) -> str:
    """What kind of reply the host gave: "answer", "unsure" (it says it does not know), "refused"
    (the name, or a reply that would give it away), "guess" or "complaint" (asks for another question)."""
    if feedback["kind"] == "guess":
        return "guess"
    if feedback["reply"] in (NAME_REPLY, LEAK_REPLY):
        return "refused"
    if feedback["kind"] == "question":
        return "unsure" if feedback["answer"] == "unsure" else "answer"
    return "complaint"


def score_natural_questions(questions: Iterable[Mapping[str, str]], tasks: Sequence[Task]) -> dict[str, Any]:
    """Rates of the host's replies to ``questions``, each asked as the first move about every city of ``tasks``.

    * answered: share of "geonames" questions that get an answer, and topic: share read as their ``topic``;
    * honest: share of "unknown" questions answered with "I'm not sure" (or another honest don't-know);
    * natural: share of all questions that get what a person would give (an answer, an honest don't-know,
      or the refusal to name the city); complaints: share that get a request to ask something else.
    """
    questions = list(questions)
    env = GuessMyCityEnv()
    counts: dict[str, Counter] = {"geonames": Counter(), "unknown": Counter(), "forbidden": Counter()}
    misses: Counter = Counter()
    for task in tasks:
        env.reset(seed=0, options={"task": task})
        for q in questions:
            _, feedback, _ = env.respond(q["question"])
            cls = reply_class(feedback)
            row = counts[q["scope"]]
            row["n"] += 1
            row[cls] += 1
            if q["scope"] == "geonames" and cls == "answer" and feedback["topic"] == q["topic"]:
                row["topic"] += 1
            expected = {"geonames": "answer", "unknown": "unsure", "forbidden": "refused"}[q["scope"]]
            if cls != expected:
                misses[(q["question"], q["scope"], cls)] += 1
    geo, unk, forb = counts["geonames"], counts["unknown"], counts["forbidden"]
    total = sum(c["n"] for c in counts.values())
    return {
        "questions": len(questions),
        "answered_rate": geo["answer"] / max(1, geo["n"]),
        "topic_rate": geo["topic"] / max(1, geo["n"]),
        "honest_rate": unk["unsure"] / max(1, unk["n"]),
        "natural_rate": (geo["answer"] + unk["unsure"] + forb["refused"]) / max(1, total),
        "complaint_rate": sum(c["complaint"] for c in counts.values()) / max(1, total),
        "misses": [{"question": q, "scope": s, "got": c, "count": n} for (q, s, c), n in misses.most_common()],
    }
