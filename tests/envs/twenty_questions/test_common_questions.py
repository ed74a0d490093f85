"""twenty_questions: the offline host on a bank of common questions (general and per category).

The bank (``data/common_questions.json``) was written for this measure: over 300 questions people ask
in Twenty Questions, each in several phrasings, with the answer a person would give per category or
per entity. The host must answer most of them, answer them rightly, and give every phrasing of a
question the same answer.
"""

import json
from pathlib import Path

from curiosa.envs.twenty_questions.catalogue import catalogue
from curiosa.envs.twenty_questions.question_bank import score_question_bank

BANK = Path(__file__).parent / "data" / "common_questions.json"
QUESTIONS = json.loads(BANK.read_text(encoding="utf-8"))["questions"]


def test_bank_is_well_formed():
    cats = catalogue().categories
    ids = [q["id"] for q in QUESTIONS]
    assert len(ids) >= 300 and len(set(ids)) == len(ids)
    for q in QUESTIONS:
        assert len(q["phrasings"]) >= 2 and len(set(q["phrasings"])) == len(q["phrasings"]), q["id"]
        assert all(p.endswith("?") for p in q["phrasings"]), q["id"]
        assert q["answers"], q["id"]
        for key, label in q["answers"].items():
            cat_id, _, entity = key.partition("/")
            assert cat_id in cats and label in ("yes", "no", "any"), (q["id"], key, label)
            if entity:
                cats[cat_id].entity(entity)


def test_common_questions_are_answered_rightly_and_consistently():
    report = score_question_bank(QUESTIONS)
    print(f"common questions: answered {report['answered_rate']:.3f}, correct {report['correct_rate']:.3f}, "
          f"phrasings agree {report['agreement_rate']:.3f}")
    assert report["answered_rate"] >= 0.90, report["unanswered"][:20]
    assert report["correct_rate"] >= 0.95, report["misses"][:20]
    assert report["agreement_rate"] >= 0.95
    for cat_id, row in report["by_category"].items():
        assert row["answered_rate"] >= 0.80 and row["correct_rate"] >= 0.90, (cat_id, row)


def test_held_out_common_questions():
    """Wordings the matcher was not tuned on: fewer are answered, but those answered stay right."""
    held_out = json.loads((BANK.parent / "common_questions_heldout.json").read_text(encoding="utf-8"))["questions"]
    report = score_question_bank(held_out)
    print(f"held-out common questions: answered {report['answered_rate']:.3f}, correct {report['correct_rate']:.3f}, "
          f"phrasings agree {report['agreement_rate']:.3f}")
    assert report["answered_rate"] >= 0.70 and report["correct_rate"] >= 0.95 and report["agreement_rate"] >= 0.95
