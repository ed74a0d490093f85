"""How often the offline dialogue simulators answer a person's natural questions, and how well.

Plays the question banks under tests/envs/<game>/data/ against the offline simulators (no model, no
network) and prints, per game and bank:

* twenty_questions (common_questions.json, and the held-out common_questions_heldout.json): the share
  of readings answered Yes or No, the share of those answers that are right, and the share of
  questions whose phrasings all get the same answer;
* guess_my_city (natural_questions.json and natural_questions_heldout.json, asked about a few test
  cities): the share of questions GeoNames can answer that get an answer, the share of the others that
  get an honest "I'm not sure", and the share that get a request to ask something else;
* customer_service (natural_questions.json and natural_questions_heldout.json, read for every
  product): the share answered, the share read as the expected topic, and the share not understood.

The last line is a JSON object with every rate.

    python benchmarks/dialogue_answer_rates.py [--cities N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from curiosa import envs
from curiosa.envs.customer_service.natural_questions import score_natural_questions as score_customer_service
from curiosa.envs.guess_my_city.natural_questions import score_natural_questions as score_guess_my_city
from curiosa.envs.twenty_questions.question_bank import score_question_bank

TESTS = Path(__file__).resolve().parents[1] / "tests" / "envs"


def _bank(game: str, name: str) -> list[dict[str, Any]]:
    return json.loads((TESTS / game / "data" / name).read_text(encoding="utf-8"))["questions"]


def _rounded(report: dict[str, Any]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in report.items() if isinstance(v, float)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=8, help="test cities each guess_my_city question is asked about")
    args = parser.parse_args()
    summary: dict[str, dict[str, float]] = {}
    start = time.perf_counter()
    for bank in ("common_questions.json", "common_questions_heldout.json"):
        questions = _bank("twenty_questions", bank)
        r = score_question_bank(questions)
        summary[f"twenty_questions/{bank}"] = _rounded(r)
        print(f"twenty_questions  {bank:32s} {len(questions):4d} questions  answered {r['answered_rate']:.3f}  "
              f"correct {r['correct_rate']:.3f}  phrasings agree {r['agreement_rate']:.3f}")
    cities = envs.load_tasks("guess_my_city", "test")[:args.cities]
    for bank in ("natural_questions.json", "natural_questions_heldout.json"):
        questions = _bank("guess_my_city", bank)
        r = score_guess_my_city(questions, cities)
        summary[f"guess_my_city/{bank}"] = _rounded(r)
        print(f"guess_my_city     {bank:32s} {len(questions):4d} questions  answered {r['answered_rate']:.3f}  "
              f"honest 'not sure' {r['honest_rate']:.3f}  asked to rephrase {r['complaint_rate']:.3f}")
    for bank in ("natural_questions.json", "natural_questions_heldout.json"):
        questions = _bank("customer_service", bank)
        r = score_customer_service(questions)
        summary[f"customer_service/{bank}"] = _rounded(r)
        print(f"customer_service  {bank:32s} {len(questions):4d} questions  answered {r['answered_rate']:.3f}  "
              f"on topic {r['topic_rate']:.3f}  not understood {r['not_understood_rate']:.3f}")
    print(f"({time.perf_counter() - start:.1f} s)")
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
