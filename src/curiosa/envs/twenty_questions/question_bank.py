"""Measure the offline host on a bank of common questions: how often it answers, how often rightly, and
whether the phrasings of one question get the same answer.

A bank (``tests/envs/twenty_questions/data/common_questions.json``) lists questions, each with several
phrasings and the answer a person would give per category ("animals": "yes") or per entity
("animals/dog": "no", which overrides its category); "any" accepts either answer. Used by the tests and
``benchmarks/dialogue_answer_rates.py``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping

from curiosa.envs.twenty_questions.answers import answer
from curiosa.envs.twenty_questions.catalogue import Entity, catalogue

ANSWERED = ("yes", "no")


def labelled_entities(answers: Mapping[str, str]) -> dict[str, list[tuple[Entity, str]]]:
    """Category id -> (entity, expected answer) for every entity a question's labels cover."""
    cats = catalogue().categories
    out: dict[str, list[tuple[Entity, str]]] = {}
    for cat_id in sorted({key.split("/")[0] for key in answers}):
        rows = []
        for ent in cats[cat_id].entities:
            label = answers.get(f"{cat_id}/{ent.id}", answers.get(cat_id))
            if label is not None:
                rows.append((ent, label))
        out[cat_id] = rows
    return out


def reply_of(question: str, category_id: str, secret: Entity) -> str:
    """The host's reply as one word: "yes", "no", "unsure" (a question it cannot map), "guess" or "unknown"."""
    feedback = answer(question, category_id, secret, turns_left=19).feedback
    if feedback["kind"] == "question":
        return feedback["answer"] if feedback["answer"] in ANSWERED else "unsure"
    return str(feedback["kind"])


def score_question_bank(questions: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Answered rate, correct rate (of those answered) and phrasing agreement on a question bank.

    * answered: share of (phrasing, category) readings answered Yes or No (the reading does not depend
      on the secret; the first labelled entity of the category stands for it);
    * correct: share of answered (phrasing, labelled entity) replies that match the label;
    * agreement: share of (question, entity) pairs, among those with two or more answered phrasings,
      whose answered phrasings all give the same answer.
    """
    questions = list(questions)
    readings = answered = 0
    scored = right = 0
    pairs = agreeing = 0
    per_category: dict[str, Counter] = {}
    misses: list[dict[str, Any]] = []
    unanswered: Counter = Counter()
    for q in questions:
        for cat_id, rows in labelled_entities(q["answers"]).items():
            if not rows:
                continue
            stats = per_category.setdefault(cat_id, Counter())
            replies = {ent.id: [reply_of(p, cat_id, ent) for p in q["phrasings"]] for ent, _ in rows}
            first = replies[rows[0][0].id]
            for phrasing, reply in zip(q["phrasings"], first):
                readings += 1
                stats["readings"] += 1
                if reply in ANSWERED:
                    answered += 1
                    stats["answered"] += 1
                else:
                    unanswered[(cat_id, phrasing, reply)] += 1
            for ent, label in rows:
                got = replies[ent.id]
                for phrasing, reply in zip(q["phrasings"], got):
                    if reply not in ANSWERED:
                        continue
                    scored += 1
                    stats["scored"] += 1
                    if label == "any" or reply == label:
                        right += 1
                        stats["right"] += 1
                    else:
                        misses.append({"question": q["id"], "phrasing": phrasing, "entity": f"{cat_id}/{ent.id}",
                                       "expected": label, "got": reply})
                given = {r for r in got if r in ANSWERED}
                if sum(r in ANSWERED for r in got) >= 2:
                    pairs += 1
                    agreeing += len(given) == 1
    return {
        "questions": len(questions),
        "readings": readings,
        "answered_rate": answered / max(1, readings),
        "correct_rate": right / max(1, scored),
        "agreement_rate": agreeing / max(1, pairs),
        "by_category": {c: {"answered_rate": s["answered"] / max(1, s["readings"]),
                            "correct_rate": s["right"] / max(1, s["scored"])}
                        for c, s in sorted(per_category.items())},
        "misses": misses,
        "unanswered": [{"category": c, "phrasing": p, "reply": r} for (c, p, r) in unanswered],
    }
