"""twenty_questions: accuracy of the offline host on held-out paraphrased questions."""

import json
from pathlib import Path

from curiosa.envs.twenty_questions.paraphrases import score_paraphrases

PARAPHRASES = Path(__file__).parent / "data" / "paraphrases.json"


def test_held_out_paraphrase_accuracy():
    items = json.loads(PARAPHRASES.read_text())["items"]
    assert len(items) >= 200
    report = score_paraphrases(items)
    print(f"paraphrases: accuracy {report['accuracy']:.3f}, wrong {report['wrong_rate']:.3f}, "
          f"not understood {report['not_understood_rate']:.3f}")
    assert report["accuracy"] >= 0.85
    assert report["wrong_rate"] <= 0.03, report["misses"]
