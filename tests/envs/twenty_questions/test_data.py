"""twenty_questions data files: the catalogue's schema and invariants, and the word and move tables.

The data files are the only source of the catalogue, so this is where a bad edit is caught: unknown
or undeclared attributes, wrong types, clashing ids or names, redundant overrides.
"""

import json
import re
from pathlib import Path

import pytest

import curiosa.envs.twenty_questions as package
from curiosa.envs.twenty_questions.catalogue import catalogue, name_keys
from curiosa.envs.twenty_questions.questions import interpret

DATA = Path(package.__file__).parent / "data"
CATALOGUE = DATA / "catalogue"
MIN_ATTRIBUTES = 40
CATEGORY_KEYS = {"id", "name", "noun", "other_names", "canonical", "defaults", "entities"}
ENTITY_KEYS = {"id", "name", "aliases", "values"}
ID = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def is_text_list(value):
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value) and len(set(value)) == len(value)


INDEX = load(CATALOGUE / "index.json")
ATTRIBUTES = load(CATALOGUE / "attributes.json")["attributes"]
CATEGORY_IDS = INDEX["categories"]


def test_index_lists_every_category_file_once():
    assert INDEX["version"] == 1 and is_text_list(CATEGORY_IDS)
    files = {p.stem for p in CATALOGUE.glob("*.json")} - {"index", "attributes"}
    assert files == set(CATEGORY_IDS)


def test_general_attributes_are_answered_in_every_category():
    """Every general question (alive, size, colour, material...) gets Yes or No about every entity: from
    the category's defaults and overrides, or, where the category has no such attribute, because the
    question reads as another attribute or as the category itself ("Is it a tool?" among tools)."""
    general = INDEX["general_attributes"]
    assert is_text_list(general) and set(general) <= set(ATTRIBUTES)
    for cat_id in CATEGORY_IDS:
        defaults = load(CATALOGUE / f"{cat_id}.json")["defaults"]
        for attr in general:
            if attr in defaults:
                continue
            for question in ATTRIBUTES[attr]:
                reading = interpret(question, cat_id)
                assert reading.kind == "question" and not reading.negated, (cat_id, attr, question, reading)


def test_attribute_questions():
    used = set()
    for cat_id in CATEGORY_IDS:
        used |= set(load(CATALOGUE / f"{cat_id}.json")["defaults"])
    assert set(ATTRIBUTES) == used, "every attribute is used by a category and every used one has questions"
    for attr, questions in ATTRIBUTES.items():
        assert ID.match(attr), attr
        assert is_text_list(questions), attr
        assert all(q.isascii() and q.endswith("?") for q in questions), attr


@pytest.mark.parametrize("cat_id", CATEGORY_IDS)
def test_category_file(cat_id):
    raw = load(CATALOGUE / f"{cat_id}.json")
    assert set(raw) == CATEGORY_KEYS and raw["id"] == cat_id
    assert all(isinstance(raw[k], str) and raw[k] for k in ("name", "noun"))
    assert raw["other_names"] == [] or is_text_list(raw["other_names"])
    defaults = raw["defaults"]
    assert isinstance(defaults, dict) and len(defaults) >= MIN_ATTRIBUTES
    assert all(isinstance(v, bool) for v in defaults.values())
    for attr, question in raw["canonical"].items():
        assert attr in defaults and question in ATTRIBUTES[attr], (cat_id, attr)
    ids, labels, keys = set(), set(), {}
    for ent in raw["entities"]:
        assert set(ent) == ENTITY_KEYS, ent
        assert ID.match(ent["id"]) and ent["id"] not in ids, ent["id"]
        ids.add(ent["id"])
        assert isinstance(ent["name"], str) and ent["name"] and is_text_list(ent["aliases"]), ent["id"]
        for label in (ent["name"], *ent["aliases"]):
            assert label.isascii() and label.lower() not in labels, (cat_id, label)
            labels.add(label.lower())
            for key in name_keys(label):
                assert keys.setdefault(key, ent["id"]) == ent["id"], (cat_id, label, keys[key])
        values = ent["values"]
        assert isinstance(values, dict), ent["id"]
        for attr, value in values.items():
            assert attr in defaults, f"{cat_id}/{ent['id']}: {attr} is not an attribute of the category"
            assert isinstance(value, bool), (ent["id"], attr)
            assert value != defaults[attr], f"{cat_id}/{ent['id']}: {attr} repeats the category default"


def test_loader_expands_defaults_and_overrides():
    cats = catalogue().categories
    assert list(cats) == CATEGORY_IDS
    for cat_id in CATEGORY_IDS:
        raw = load(CATALOGUE / f"{cat_id}.json")
        cat = cats[cat_id]
        assert list(cat.attributes) == list(raw["defaults"])
        assert cat.questions == {a: tuple(ATTRIBUTES[a]) for a in cat.attributes}
        for ent, row in zip(cat.entities, raw["entities"], strict=True):
            assert ent.id == row["id"] and ent.category == cat_id
            assert ent.values == {**raw["defaults"], **row["values"]}
            assert list(ent.values) == list(cat.attributes)


def test_word_tables():
    words = load(DATA / "words.json")
    for table in ("contractions", "phrases"):
        for pattern, replacement in words[table]:
            re.compile(pattern)
            assert isinstance(replacement, str)
    for table in ("numbers", "synonyms", "irregular_plurals"):
        assert all(isinstance(k, str) and k and isinstance(v, str) for k, v in words[table].items()), table
    for table in ("stopwords", "function_words", "negations", "wh_words"):
        assert is_text_list(words[table]), table
    assert all(w == w.lower() and re.fullmatch(r"[a-z0-9' ]+", w) for w in words["synonyms"])


def test_move_forms():
    moves = load(DATA / "moves.json")
    for table in ("leading_replies", "leading_fillers", "trailing_fillers", "question_guess_openers", "yes_no_openers"):
        assert is_text_list(moves[table]), table
        for alternative in moves[table]:
            re.compile(alternative)
    assert is_text_list(moves["guess_patterns"])
    for pattern in moves["guess_patterns"]:
        assert "x" in re.compile(pattern).groupindex, pattern
