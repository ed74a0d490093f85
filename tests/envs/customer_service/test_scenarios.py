"""Customer service: scenario generation (sizes, determinism, disjoint splits, consistent details)."""

import json

from curiosa import envs
from curiosa.envs.customer_service import (
    PRODUCT_BY_KEY, PRODUCTS, VAGUE, CustomerServiceEnv, complaint_of, matched_faults, openings, tried_reply,
)

GAME = "customer_service"
envs.register(CustomerServiceEnv)  # a no-op once the registry lists the game


def test_tasks_sizes_deterministic_disjoint_and_distinct():
    train, test = envs.load_tasks(GAME, "train"), envs.load_tasks(GAME, "test")
    assert len(train) >= 628 and len(test) >= 200
    assert [t.to_dict() for t in test] == [t.to_dict() for t in CustomerServiceEnv.build_tasks("test")]
    hidden = lambda ts: [json.dumps(t.params, sort_keys=True) for t in ts]  # noqa: E731
    assert len(set(hidden(train))) == len(train) and len(set(hidden(test))) == len(test)
    assert not set(hidden(train)) & set(hidden(test))
    assert not {t.params["name"] for t in train} & {t.params["name"] for t in test}, "customers are split"
    all_faults = {(p.key, f.key) for p in PRODUCTS for f in p.faults}
    for tasks in (train, test):
        assert {(t.params["product"], t.params["fault"]) for t in tasks} == all_faults
        vague = sum(t.params["complaint"] == VAGUE for t in tasks) / len(tasks)
        assert 0.25 < vague < 0.55


def test_task_details_are_consistent():
    for t in envs.load_tasks(GAME, "test") + envs.load_tasks(GAME, "train")[:300]:
        p = t.params
        product = PRODUCT_BY_KEY[p["product"]]
        fault = product.fault(p["fault"])
        assert complaint_of(product, p["opening"]) == p["complaint"] in (VAGUE, fault.complaint)
        assert p["symptom"] in openings(product, fault.complaint)
        assert p["tried_fault"] != fault.key
        expected = [p["tried_fault"]] if p["tried_fault"] else []
        assert matched_faults(product, tried_reply(p["tried"])) == expected
