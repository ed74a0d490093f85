"""Customer service: the data files (schema, types, unique keys, references that resolve)."""

import json
import re
from collections import Counter

import pytest

from curiosa.envs.customer_service import PRODUCT_BY_KEY, PRODUCTS, TOPICS, VAGUE
from curiosa.envs.customer_service.manual import DATA_DIR
from curiosa.envs.customer_service.scenarios import N_TEST_NAMES

FILES = ("topics.json", "products.json", "faults.json", "customers.json", "vocabulary.json")
TOPIC_FIELDS = {"label", "questions", "keywords"}
PRODUCT_FIELDS = {"key", "name", "models", "complaints", "tries", "facts", "complaint_facts", "topics", "aliases"}
FAULT_FIELDS = {"product", "key", "name", "short", "fix", "patterns", "tried", "complaint", "facts"}
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
KEYWORD_SPEC = re.compile(r"^[a-z0-9 *]+(?:\|[a-z0-9 *]+)*$")
FIX_GROUP = re.compile(r"^[a-z0-9 '*]+(?:\|[a-z0-9 '*]+)*$")
VOCABULARY_WORD = re.compile(r"^[a-z]+(?: [a-z]+)*$")


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    duplicates = [k for k, n in Counter(keys).items() if n > 1]
    assert not duplicates, f"duplicate keys {duplicates}"
    return dict(pairs)


def load(name):
    """A data file parsed strictly: a key repeated inside one JSON object fails."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"), object_pairs_hook=_no_duplicate_keys)


def _unique_strings(value, what, *, allow_empty=False):
    assert isinstance(value, list) and (value or allow_empty), f"{what}: a non-empty list"
    assert all(isinstance(s, str) and s.strip() == s and s for s in value), f"{what}: non-empty trimmed strings"
    assert len(set(value)) == len(value), f"{what}: duplicates {[s for s, n in Counter(value).items() if n > 1]}"


def _check_topic(key, topic):
    assert KEY.match(key), key
    assert isinstance(topic, dict) and set(topic) == TOPIC_FIELDS, key
    assert isinstance(topic["label"], str) and topic["label"], key
    _unique_strings(topic["questions"], f"{key}.questions")
    keywords = topic["keywords"]
    assert isinstance(keywords, dict) and keywords, key
    for weight, spec in keywords.items():
        assert weight.isdigit() and 1 <= int(weight) <= 4, (key, weight)
        assert isinstance(spec, str) and KEYWORD_SPEC.match(spec), (key, spec)
        alternatives = [a.strip() for a in spec.split("|")]
        assert all(alternatives) and len(set(alternatives)) == len(alternatives), (key, spec)


def test_every_data_file_is_checked_here_and_is_ascii():
    assert sorted(p.name for p in DATA_DIR.glob("*.json")) == sorted(FILES)
    for name in FILES:
        assert (DATA_DIR / name).read_text(encoding="utf-8").isascii(), name
        load(name)


def test_topics():
    topics = load("topics.json")
    assert isinstance(topics, dict) and topics
    for key, topic in topics.items():
        _check_topic(key, topic)
    for needed in ("tried", "when", "symptom", "about"):  # answered from the customer's details
        assert needed in topics


def test_products():
    products = load("products.json")
    global_topics = set(load("topics.json"))
    assert isinstance(products, list) and products
    for field in ("key", "name"):
        values = [p[field] for p in products]
        assert len(set(values)) == len(values), f"product {field}s must be unique"
    for p in products:
        assert isinstance(p, dict) and set(p) == PRODUCT_FIELDS, p.get("key")
        key = p["key"]
        assert KEY.match(key) and isinstance(p["name"], str) and p["name"], key
        _unique_strings(p["models"], f"{key}.models")
        _unique_strings(p["tries"], f"{key}.tries")
        assert isinstance(p["complaints"], dict) and p["complaints"], key
        assert VAGUE not in p["complaints"], f"{key}: '{VAGUE}' is reserved for the vague openings"
        for complaint, wordings in p["complaints"].items():
            assert KEY.match(complaint), (key, complaint)
            _unique_strings(wordings, f"{key}.complaints.{complaint}")
        for topic_key, topic in p["topics"].items():
            _check_topic(topic_key, topic)
            assert topic_key not in global_topics, f"{key}: topic {topic_key} shadows a global topic"
        known = global_topics | set(p["topics"])
        assert all(isinstance(v, str) and v for v in p["facts"].values()), key
        assert set(p["facts"]) <= known, (key, set(p["facts"]) - known)
        assert set(p["complaint_facts"]) <= set(p["complaints"]), key
        for complaint, facts in p["complaint_facts"].items():
            assert isinstance(facts, dict) and set(facts) <= known, (key, complaint)
            assert all(isinstance(v, str) and v for v in facts.values()), (key, complaint)
        assert isinstance(p["aliases"], dict), key
        for topic, answered_by in p["aliases"].items():
            assert topic in known and answered_by in known and topic != answered_by, (key, topic)


def test_faults():
    faults = load("faults.json")
    products = {p["key"]: p for p in load("products.json")}
    global_topics = set(load("topics.json"))
    assert isinstance(faults, list) and faults
    ids = [(f["product"], f["key"]) for f in faults]
    assert len(set(ids)) == len(ids), "fault keys must be unique within a product"
    for f in faults:
        assert isinstance(f, dict) and set(f) == FAULT_FIELDS, f.get("key")
        assert f["product"] in products, f"fault {f['key']} names an unknown product {f['product']}"
        product = products[f["product"]]
        assert KEY.match(f["key"]), f["key"]
        for field in ("name", "short", "fix", "tried"):
            assert isinstance(f[field], str) and f[field].strip() == f[field] and f[field], (f["key"], field)
        assert f["complaint"] in product["complaints"], (f["key"], f["complaint"])
        _unique_strings(f["patterns"], f"{f['key']}.patterns")
        for pattern in f["patterns"]:
            groups = pattern.split(" + ")
            assert all(FIX_GROUP.match(g.strip()) for g in groups), (f["key"], pattern)
        known = global_topics | set(product["topics"])
        assert set(f["facts"]) <= known, (f["key"], set(f["facts"]) - known)
        assert all(isinstance(v, str) and v for v in f["facts"].values()), f["key"]
    for key, product in products.items():
        assert any(f["product"] == key for f in faults), f"product {key} has no faults"
        for complaint in product["complaints"]:
            assert any(f["product"] == key and f["complaint"] == complaint for f in faults), (key, complaint)


def test_customers():
    customers = load("customers.json")
    assert set(customers) == {"names", "ages", "since", "vague_openings"}
    for key, values in customers.items():
        _unique_strings(values, key)
    assert len(customers["names"]) > N_TEST_NAMES, "train and test need names of their own"
    assert all(re.fullmatch(r"[A-Z][a-z]+", n) for n in customers["names"])
    for opening in customers["vague_openings"]:
        assert "{product}" in opening and opening.format(product="router") != opening, opening


def test_vocabulary():
    vocabulary = load("vocabulary.json")
    lists = ("fillers", "requests", "suggestion_leads", "question_openers", "action_stems", "diagnostic_requests")
    assert set(vocabulary) == {*lists, "past_question"}
    for key in lists:
        _unique_strings(vocabulary[key], key)
        assert all(VOCABULARY_WORD.match(w) for w in vocabulary[key]), key
    past = vocabulary["past_question"]
    assert set(past) == {"auxiliaries", "subjects", "openers"}
    for key, words in past.items():
        _unique_strings(words, f"past_question.{key}")
        assert all(VOCABULARY_WORD.match(w) for w in words), key


def test_loaded_manual_matches_the_files():
    products, faults = load("products.json"), load("faults.json")
    assert [p.key for p in PRODUCTS] == [p["key"] for p in products] == list(PRODUCT_BY_KEY)
    assert [(p.key, f.key) for p in PRODUCTS for f in p.faults] == [(f["product"], f["key"]) for f in faults]
    assert list(TOPICS) == list(load("topics.json"))
    assert all(isinstance(w, int) for t in TOPICS.values() for w in t.keywords)


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.key)
def test_every_fact_is_reachable(product):
    """A fact no fault can be asked about would be dead data: aliases only redirect, never hide a fact."""
    for topic in product.aliases:
        assert topic not in product.facts and all(topic not in f.facts for f in product.faults), (product.key, topic)
