"""Customer service: the fault manuals (every fix phrasing, topic question and customer word checked)."""

import itertools

import pytest

from curiosa.envs.customer_service import (
    PRODUCTS, VAGUE, candidates, classify_fixes, manual_class, manual_reply, matched_faults, openings, product_topics,
    read_move,
)
from curiosa.envs.text import CHARSET


def test_products_are_many_and_each_complaint_has_several_faults():
    assert len(PRODUCTS) >= 14
    names = {p.name for p in PRODUCTS}
    for needed in ("router", "printer", "laptop", "phone", "washing machine", "dishwasher", "smart TV", "car",
                   "bicycle", "coffee machine", "game console", "fridge", "wireless headphones"):
        assert needed in names
    for p in PRODUCTS:
        assert len(p.faults) >= 5 and len({f.key for f in p.faults}) == len(p.faults)
        for complaint in p.complaints:
            assert len(candidates(p, complaint)) >= 2, (p.key, complaint)


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.key)
def test_each_fix_phrasing_names_exactly_its_fault(product):
    for fault in product.faults:
        assert classify_fixes(product, fault.fix) == ([fault.key], []), fault.fix
        assert matched_faults(product, fault.tried) == [fault.key], fault.tried
    for generic in product.tries:
        assert matched_faults(product, generic) == [], generic


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.key)
def test_topic_questions_map_to_their_topic_and_propose_nothing(product):
    for key, topic in product_topics(product).items():
        for question in topic.questions:
            assert read_move(product, question) == ("question", key, []), question


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.key)
def test_faults_of_a_complaint_can_be_told_apart(product):
    topics = [t for t in product_topics(product) if t != "tried"]
    for complaint in (*product.complaints, VAGUE):
        for a, b in itertools.combinations(candidates(product, complaint), 2):
            assert any(manual_class(product, a, t) != manual_class(product, b, t) for t in topics), (a.key, b.key)


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.key)
def test_customer_words_are_plain_and_never_give_the_fix_away(product):
    topics = product_topics(product)
    assert set(product.facts) <= set(topics)
    for complaint in (*product.complaints, VAGUE):
        for opening in openings(product, complaint):
            assert opening.isascii() and matched_faults(product, opening) == [], opening
    for fault in product.faults:
        assert set(fault.facts) <= set(topics), fault.key
        assert fault.complaint in product.complaints
        for topic in topics:
            reply = manual_reply(product, fault, topic)
            if reply is not None:
                assert set(reply) <= set(CHARSET) and reply.isascii()
                assert fault.key not in matched_faults(product, reply), (fault.key, reply)
