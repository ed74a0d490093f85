"""The packaged tables: words, arithmetic phrasings, family weights per level and word-problem templates."""

import json
import re
from fractions import Fraction

import numpy as np
import pytest

from curiosa.envs.math_synthetic import generation, templates as tm
from curiosa.envs.math_synthetic.problems import FAMILIES, LEVELS
from curiosa.envs.math_synthetic.solving import ARITHMETIC, family_of, solve
from curiosa.envs.math_synthetic.work import Work

TEMPLATE_FAMILIES = ("percent", "word")
"""The families whose problems come from templates (the others have their own generators)."""


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _distinct_strings(values):
    assert isinstance(values, list) and values
    assert all(isinstance(v, str) and v for v in values)
    assert len(set(values)) == len(values)


def test_words_schema():
    raw = _load(tm.WORDS_FILE)
    assert set(raw) == {"names", "items", "things"}
    for key, values in raw.items():
        _distinct_strings(values)
    # the shapes the template patterns read back
    assert all(re.fullmatch(r"[A-Z][a-z]+", n) for n in raw["names"])
    assert all(re.fullmatch(r"[a-z]+", w) for w in raw["items"] + raw["things"])
    assert tm.load_words() == {"name": tuple(raw["names"]), "item": tuple(raw["items"]), "thing": tuple(raw["things"])}
    assert set(tm.load_words()) == set(tm.WORD_PLACEHOLDERS)


def test_arithmetic_phrases_schema_and_read_back():
    raw = _load(generation.PHRASES_FILE)
    _distinct_strings(raw)
    assert generation.arithmetic_phrases() == tuple(raw)
    for phrase in raw:
        assert phrase.count("{}") == 1 and "{" not in phrase.replace("{}", "")
        text = phrase.format("7 + 5 * 3")
        assert ARITHMETIC.match(text) and family_of(text) == "arithmetic" and solve(text) == 22


def test_family_weights_schema():
    raw = _load(generation.FAMILY_WEIGHTS_FILE)
    assert isinstance(raw, dict) and sorted(raw) == [str(level) for level in LEVELS]
    for level, weights in raw.items():
        assert isinstance(weights, dict) and weights and set(weights) <= set(FAMILIES)
        assert all(isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0 for w in weights.values())
        assert sum(weights.values()) > 0
    assert set().union(*raw.values()) == set(FAMILIES), "every family appears at some level"
    assert generation.family_weights() == {int(k): v for k, v in raw.items()}


def test_every_weighted_template_family_has_a_template_at_that_level():
    for level, weights in generation.family_weights().items():
        for family in set(weights) & set(TEMPLATE_FAMILIES):
            assert any(t.family == family and level in t.levels for t in tm.load_templates()), (level, family)


def test_templates_schema():
    raw = _load(tm.TEMPLATES_FILE)
    assert isinstance(raw, list) and raw
    for row in raw:
        assert set(row) == {"key", "family", "levels", "fractions", "text"}
        assert isinstance(row["key"], str) and re.fullmatch(r"[a-z_]+", row["key"])
        assert row["family"] in TEMPLATE_FAMILIES
        levels = row["levels"]
        assert isinstance(levels, list) and levels and len(set(levels)) == len(levels) and set(levels) <= set(LEVELS)
        assert isinstance(row["fractions"], bool)
        assert isinstance(row["text"], str) and row["text"].strip() == row["text"] and row["text"]
    keys = [row["key"] for row in raw]
    assert len(set(keys)) == len(keys)
    assert len({row["text"] for row in raw}) == len(raw)
    assert [t.key for t in tm.load_templates()] == keys


def test_every_template_has_code_and_no_code_lacks_a_template():
    keys = {t.key for t in tm.load_templates()}
    assert set(tm.NUMBER_GENERATORS) == keys and set(tm.SOLVERS) == keys


@pytest.mark.parametrize("template", tm.load_templates(), ids=lambda t: t.key)
def test_every_placeholder_is_filled_and_the_text_reads_back(template):
    words = {p for p in template.placeholders if len(p) > 1}
    numbers = {p for p in template.placeholders if len(p) == 1}
    assert words <= set(tm.WORD_PLACEHOLDERS), "unknown word placeholder"
    assert numbers, "a word problem needs numbers"
    rng = np.random.default_rng(0)
    for level in template.levels:
        for _ in range(20):
            drawn = template.generate(rng, level)
            assert set(drawn) == numbers, "the generator fills exactly the number placeholders"
            assert all(isinstance(v, int) and v >= 0 for v in drawn.values())
            expected = template.solve(Work(), {k: Fraction(v) for k, v in drawn.items()})
            text = tm.fill(template, rng, drawn)
            assert "{" not in text and "}" not in text
            # the first template that matches is this one, so the solver that answers is this one's
            assert next(t for t in tm.load_templates() if t.pattern.match(text)) is template
            assert family_of(text) == template.family and solve(text) == expected
