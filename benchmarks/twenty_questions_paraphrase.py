"""How often the twenty_questions offline simulator answers paraphrased questions correctly.

Plays every item of a paraphrase set (default: the held-out set under tests/envs/twenty_questions/data;
the development set used to tune the matcher is paraphrases_dev.json next to it) as the first
move of a game whose secret is the item's entity, and prints accuracy, wrong-answer rate and
not-understood rate (overall and per category). The last line is a JSON object.

    python benchmarks/twenty_questions_paraphrase.py [--data PATH] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from curiosa.envs.twenty_questions import catalogue_stats, score_paraphrases

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "envs" / "twenty_questions" / "data" / "paraphrases.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="paraphrase set (JSON with an 'items' list)")
    parser.add_argument("--show-misses", action="store_true", help="list the items answered wrongly or not understood")
    args = parser.parse_args()
    items = json.loads(args.data.read_text(encoding="utf-8"))["items"]
    start = time.perf_counter()
    report = score_paraphrases(items)
    seconds = time.perf_counter() - start
    print(f"paraphrase set: {args.data} ({report['items']} items)")
    for cat, row in report["by_category"].items():
        print(f"  {cat:20s} {row['items']:4d} items  accuracy {row['accuracy']:.3f}")
    if args.show_misses:
        for miss in report["misses"]:
            print(f"  miss: [{miss['category']}/{miss['entity']}] {miss['question']!r} expected {miss['expected']}, "
                  f"got {miss['got'] or 'not understood'}")
    print(f"accuracy {report['accuracy']:.3f}  wrong-answer rate {report['wrong_rate']:.3f}  "
          f"not-understood rate {report['not_understood_rate']:.3f}  ({seconds:.2f} s)")
    summary = {
        "items": report["items"],
        "accuracy": round(report["accuracy"], 4),
        "wrong_rate": round(report["wrong_rate"], 4),
        "not_understood_rate": round(report["not_understood_rate"], 4),
        "catalogue": dict(catalogue_stats()),
    }
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
