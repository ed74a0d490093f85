"""Scenario generation: which fault each customer has, and the customer's details.

Customer details (name, model, age, opening wording, when it started, what they already tried) vary
per task; train and test customers have disjoint names (``data/customers.json``), so the splits never
share a hidden state.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from curiosa.envs.customer_service.answers import tried_reply
from curiosa.envs.customer_service.manual import PRODUCTS, VAGUE, openings, read_data
from curiosa.envs.customer_service.matching import matched_faults
from curiosa.envs.task import distinct_draws, stable_rng

N_TRAIN, N_TEST = 1000, 200
N_TEST_NAMES = 20
VAGUE_SHARE = 0.4
"""Share of customers who open with a vague complaint ("Something is wrong with my fridge.")."""


@lru_cache(maxsize=1)
def _customers() -> dict[str, tuple[str, ...]]:
    raw = read_data("customers.json")
    return {key: tuple(raw[key]) for key in ("names", "ages", "since")}


NAMES: tuple[str, ...] = _customers()["names"]
AGES: tuple[str, ...] = _customers()["ages"]
SINCE: tuple[str, ...] = _customers()["since"]
"""Answers to 'when did it start' for faults whose manual entry says nothing about the timing."""


def _split_names(split: str) -> list[str]:
    order = stable_rng("customer_service", "names").permutation(len(NAMES))
    names = [NAMES[i] for i in order]
    return names[:N_TEST_NAMES] if split == "test" else names[N_TEST_NAMES:]


def build_scenarios(split: str, n: int) -> list[dict[str, Any]]:
    """``n`` distinct scenarios of one split; every fault appears about equally often."""
    rng = stable_rng("customer_service", "scenarios", split)
    names = _split_names(split)
    faults = [(p, f) for p in PRODUCTS for f in p.faults]
    order: list[int] = []
    pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731

    def draw() -> dict[str, Any] | None:
        if not order:
            order.extend(int(i) for i in rng.permutation(len(faults)))
        product, fault = faults[order.pop()]
        symptom = pick(product.complaints[fault.complaint])
        vague = rng.random() < VAGUE_SHARE
        tries = [product.tries[i] for i in sorted(rng.choice(len(product.tries), int(rng.integers(1, 3)), replace=False))]
        tried_fault = None
        if rng.random() < 0.5:
            other = pick([g for g in product.faults if g.key != fault.key])
            tried_fault = other.key
            tries.insert(int(rng.integers(len(tries) + 1)), other.tried)
        if matched_faults(product, tried_reply(tries)) != ([tried_fault] if tried_fault else []):
            return None  # the customer's words would hint at a fix they did not try
        return {
            "product": product.key, "fault": fault.key, "complaint": VAGUE if vague else fault.complaint,
            "opening": pick(openings(product, VAGUE)) if vague else symptom, "symptom": symptom,
            "name": pick(names), "model": pick(product.models),
            "age": pick(AGES), "since": pick(SINCE), "tried": tries, "tried_fault": tried_fault,
        }

    return distinct_draws(draw, n, key=lambda params: json.dumps(params, sort_keys=True))
