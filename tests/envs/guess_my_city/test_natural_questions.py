"""guess_my_city: the host on a bank of natural questions (what it answers, and how it declines the rest).

The bank (``data/natural_questions.json``) was written for this measure; the held-out bank was written
after the host was tuned on the first and not used to tune it.
"""

import json
from pathlib import Path

import pytest

from curiosa import envs
from curiosa.envs.guess_my_city.natural_questions import score_natural_questions

DATA = Path(__file__).parent / "data"


def bank(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))["questions"]


@pytest.mark.parametrize("name", ["natural_questions.json", "natural_questions_heldout.json"])
def test_bank_is_well_formed(name):
    questions = bank(name)
    assert len(questions) >= 40 and len({q["question"] for q in questions}) == len(questions)
    for q in questions:
        assert set(q) == {"question", "scope", "topic"} and q["scope"] in ("geonames", "unknown", "forbidden"), q


@pytest.mark.parametrize("name, answered, natural", [
    ("natural_questions.json", 0.95, 0.95),
    ("natural_questions_heldout.json", 0.85, 0.90),
])
def test_natural_questions_get_answers_or_honest_replies(name, answered, natural):
    report = score_natural_questions(bank(name), envs.load_tasks("guess_my_city", "test")[:4])
    print(f"{name}: answered {report['answered_rate']:.3f}, honest {report['honest_rate']:.3f}, "
          f"natural {report['natural_rate']:.3f}, complaints {report['complaint_rate']:.3f}")
    assert report["answered_rate"] >= answered and report["natural_rate"] >= natural, report["misses"]
    assert report["honest_rate"] >= 0.95 and report["complaint_rate"] <= 0.05, report["misses"]
