"""The pool and its splits: sizes per level, disjoint and stable splits, answers read back from the text."""

import json
from collections import Counter
from fractions import Fraction

import pytest

from curiosa import envs
from curiosa.envs import math_synthetic as ms
from curiosa.envs.math_answers import parse_answer
from curiosa.envs.math_synthetic.solving import ARITHMETIC

GAME = "math_synthetic"


@pytest.fixture(scope="module")
def splits():
    return {s: envs.load_tasks(GAME, s) for s in ("train", "test")}


def test_sizes_and_levels(splits):
    assert len(splits["train"]) == 2500 and len(splits["test"]) == 500
    for split, per_level in (("train", 500), ("test", 100)):
        levels = Counter(t.params["difficulty"] for t in splits[split])
        assert levels == {level: per_level for level in range(1, 6)}
    families = Counter(t.params["family"] for t in splits["train"])
    assert set(families) == set(ms.FAMILIES) and min(families.values()) > 150


def test_splits_are_disjoint_deterministic_and_ids_stable(splits):
    train_text = {t.params["problem"] for t in splits["train"]}
    test_text = {t.params["problem"] for t in splits["test"]}
    assert len(train_text) == 2500 and len(test_text) == 500
    assert not train_text & test_text
    ms.problem_pool.cache_clear()
    again = ms.MathSyntheticEnv.build_tasks("test")
    assert [t.to_dict() for t in again] == [t.to_dict() for t in splits["test"]]
    assert [t.id for t in splits["test"][:2]] == ["math_synthetic-test-00000", "math_synthetic-test-00001"]
    # pinned so that an accidental change to the generator (which would renumber every task) is noticed
    assert splits["test"][0].params["problem"] == "What is 10 + (-13) - (23 - 19 - 21)?"
    assert splits["test"][0].params["answer"] == "14"


def test_no_near_duplicates_across_splits(splits):
    def expression(task):
        m = ARITHMETIC.match(task.params["problem"])
        return m.group("expr") if m else None

    train = {expression(t) for t in splits["train"]} - {None}
    test = {expression(t) for t in splits["test"]} - {None}
    assert not train & test, "the same expression appears in both splits under different phrasings"


def test_every_answer_is_read_back_from_its_text(splits):
    for task in splits["train"][:600] + splits["test"]:
        p = task.params
        assert ms.solve(p["problem"]) == Fraction(p["answer"]) == parse_answer(p["answer"])
        assert ms.family_of(p["problem"]) == p["family"]
        json.dumps(p)


def test_level_one_is_short_and_whole(splits):
    level_one = [t.params for t in splits["train"] if t.params["difficulty"] == 1]
    assert max(len(p["problem"]) for p in level_one) <= 100
    assert all(Fraction(p["answer"]).denominator == 1 for p in level_one)
    arithmetic = [p["problem"] for p in level_one if p["family"] == "arithmetic"]
    assert all(sum(p.count(op) for op in "+-*/") <= 2 for p in arithmetic)
    harder = [t.params for t in splits["train"] if t.params["difficulty"] == 5]
    assert sum("/" in p["answer"] for p in harder) > 100, "level 5 should hold many fractional answers"


def test_problem_record_reads_back_and_rejects_a_wrong_build():
    draft = ms.Draft("arithmetic", "What is 7 + 5 * 3?", "arithmetic:7 + 5 * 3", Fraction(22))
    record = ms.problem_record(1, draft)
    assert record == {"difficulty": 1, "family": "arithmetic", "problem": "What is 7 + 5 * 3?", "answer": "22",
                      "variable": ""}
    assert ms.problem_record(1, ms.Draft("arithmetic", "What is 1 / 0?", "k", Fraction(0))) is None
    with pytest.raises(RuntimeError, match="was built on 23"):
        ms.problem_record(1, ms.Draft("arithmetic", "What is 7 + 5 * 3?", "k", Fraction(23)))
