"""MBPP from user JSON-lines files: the standard and the hashed split, bad input, and the sandboxed reward."""

import json

import pytest

from curiosa import envs
from curiosa.envs import code_tasks as ct

needs_sandbox = pytest.mark.skipif(not ct.sandbox_available(),
                                   reason="curiosa.sandbox (run_tests) is not available: rewards of code cannot be run")


def _answer(code):
    return f"Thought: here is the function.\nAnswer:\n```python\n{code}```"


MBPP_ROWS = [
    {"task_id": 11, "text": "Write a function to add two numbers.", "code": "def add(a, b):\n    return a + b",
     "test_list": ["assert add(1, 2) == 3", "assert add(-1, 1) == 0"], "test_setup_code": ""},
    {"task_id": 12, "text": "Write a function to square a number.", "code": "def sq(x):\n    return x * x",
     "test_list": ["assert sq(3) == 9"], "test_setup_code": "import math"},
    {"task_id": 601, "text": "Write a function to negate a number.", "code": "def neg(x):\n    return -x",
     "test_list": ["assert neg(3) == -3"]},
]


@pytest.fixture(scope="module")
def mbpp(tmp_path_factory):
    path = tmp_path_factory.mktemp("mbpp") / "mbpp.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in MBPP_ROWS))
    ct.register_mbpp_jsonl(path=path, name="mbpp_test_set")
    return {s: envs.load_tasks("mbpp_test_set", s) for s in ("train", "test")}


def test_mbpp_standard_split_and_instruction(mbpp):
    assert [t.params["task_id"] for t in mbpp["test"]] == [11, 12]
    assert [t.params["task_id"] for t in mbpp["train"]] == [601]
    obs, _ = envs.make("mbpp_test_set", task=mbpp["test"][0]).reset(seed=0)
    assert "add two numbers" in obs and "assert add(1, 2) == 3" in obs


@needs_sandbox
def test_mbpp_reward(mbpp):
    env = envs.make("mbpp_test_set", task=mbpp["test"][1])
    env.reset(seed=0)
    _, r1, *_ = env.step(_answer("def sq(x):\n    return math.pow(x, 2)\n"))
    _, r2, terminated, _, info = env.step(_answer("def sq(x):\n    return 2 * x\n"))
    assert (r1, r2) == (1.0, 0.0) and terminated and info["feedback"]["transition"] == "c->i"


def test_mbpp_hash_split_without_ids_and_bad_input(tmp_path):
    rows = [{"text": f"Task {i}.", "code": "", "test_list": [f"assert {i} == {i}"]} for i in range(40)]
    path = tmp_path / "noid.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    ct.register_mbpp_jsonl(path=path, name="mbpp_test_hash")
    train, test = envs.load_tasks("mbpp_test_hash", "train"), envs.load_tasks("mbpp_test_hash", "test")
    assert len(train) + len(test) == 40 and train and test
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "x", "test_list": []}) + "\n")
    with pytest.raises(ValueError, match="bad.jsonl:1: an MBPP record needs 'test_list'"):
        ct.read_mbpp_jsonl(bad)
    with pytest.raises(FileNotFoundError):
        ct.read_mbpp_jsonl(tmp_path / "missing.jsonl")
    with pytest.raises(ValueError, match="no MBPP data"):
        ct.register_mbpp_jsonl(name="mbpp_test_none")
