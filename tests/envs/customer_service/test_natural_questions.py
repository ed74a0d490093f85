"""customer_service: the customer on a bank of natural support questions (answered, not misread as a fix).

The bank (``data/natural_questions.json``) was written for this measure; the held-out bank was written
after the customer was tuned on the first and not used to tune it.
"""

import json
from pathlib import Path

import pytest

from curiosa.envs.customer_service.manual import TOPICS
from curiosa.envs.customer_service.natural_questions import score_natural_questions

DATA = Path(__file__).parent / "data"


def bank(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))["questions"]


@pytest.mark.parametrize("name", ["natural_questions.json", "natural_questions_heldout.json"])
def test_bank_is_well_formed(name):
    questions = bank(name)
    assert len(questions) >= 30 and len({q["question"] for q in questions}) == len(questions)
    for q in questions:
        assert set(q) == {"question", "topic"} and (q["topic"] == "any" or q["topic"] in TOPICS), q


@pytest.mark.parametrize("name, answered", [("natural_questions.json", 0.95), ("natural_questions_heldout.json", 0.85)])
def test_natural_questions_are_answered(name, answered):
    report = score_natural_questions(bank(name))
    print(f"{name}: answered {report['answered_rate']:.3f}, on topic {report['topic_rate']:.3f}, "
          f"misread as a fix {report['misread_as_fix_rate']:.3f}")
    assert report["answered_rate"] >= answered and report["misread_as_fix_rate"] == 0.0, report["misses"]
