"""HumanEval and MBPP as two-attempt tasks: data, splits, reading code, and the sandboxed reward."""

import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curiosa import envs
from curiosa.envs import code_tasks as ct
from curiosa.envs.self_correction import REVISION_PROMPT

needs_sandbox = pytest.mark.skipif(not ct.sandbox_available(),
                                   reason="curiosa.sandbox (run_tests) is not available: rewards of code cannot be run")


@pytest.fixture(scope="module")
def humaneval():
    return {s: envs.load_tasks("humaneval", s) for s in ("train", "test")}


def _answer(code):
    return f"Thought: here is the function.\nAnswer:\n```python\n{code}```"


def test_all_164_problems_split_by_a_fixed_hash(humaneval):
    train, test = humaneval["train"], humaneval["test"]
    assert len(ct.humaneval_problems()) == 164 and len(train) + len(test) == 164
    assert 25 <= len(train) <= 60, "about a quarter is train"
    ids = {s: {t.params["task_id"] for t in ts} for s, ts in humaneval.items()}
    assert not ids["train"] & ids["test"]
    assert all(ct.humaneval_split(t.params["task_id"]) == s for s, ts in humaneval.items() for t in ts)
    assert [t.to_dict() for t in ct.HumanEvalEnv.build_tasks("test")] == [t.to_dict() for t in test]
    assert test[0].id == "humaneval-test-00000" and test[0].params["task_id"] == "HumanEval/0"


def test_instruction_shows_the_prompt_not_the_tests(humaneval):
    task = humaneval["test"][0]
    obs, _ = envs.make("humaneval", task=task).reset(seed=0)
    assert "def has_close_elements(" in obs and "```python" in obs
    assert "check(" not in obs and task.params["reference"].strip() not in obs


@pytest.mark.parametrize("reply, code", [
    ("Thought: a\nAnswer:\n```python\ndef f():\n    return 1\n```", "def f():\n    return 1\n"),
    ("Thought: a\nAnswer:\n```\ndef f():\n    return 1\n```\nDone.", "def f():\n    return 1\n"),
    ("Thought: a\nAnswer:\n```py\ndef f():\n    return 1", "def f():\n    return 1\n"),  # unclosed fence
    ("```python\ndef g(): pass\n```\nThought: a\nAnswer:\n```python\ndef f(): pass\n```", "def f(): pass\n"),
    ("Thought: sketch\n```python\ndef f(): pass\n```\nThat is all.", "def f(): pass\n"),
    ("Thought: a\nAnswer: def f(): return 2", "def f(): return 2\n"),
    ("Thought: a\nAnswer:\n    return sorted(x)\n", "    return sorted(x)\n"),
])
def test_code_extraction(reply, code):
    assert ct.extract_code(reply) == code


@pytest.mark.parametrize("reply", ["no code at all", "Thought: a\nAnswer: 42", "Answer:\n```python\n```", ""])
def test_no_code_is_a_format_error(humaneval, reply):
    env = envs.make("humaneval", task=humaneval["test"][0])
    env.reset(seed=0)
    assert ct.extract_code(reply) is None
    with pytest.raises(envs.FormatError, match="no Python code"):
        env.parse_reply(reply)


def test_programs_accept_a_whole_function_or_a_body(humaneval):
    task = humaneval["test"][0]
    p = task.params
    env = envs.make("humaneval", task=task)
    whole = p["prompt"] + p["reference"]
    body = p["reference"]
    flat = "\n".join(line[4:] for line in body.splitlines())
    for code in (whole, body, flat):
        assert ct.syntax_error(env.program(code)) is None


def test_syntax_errors_fail_without_running(humaneval, monkeypatch):
    monkeypatch.setattr(ct, "run_unit_tests", lambda *a, **k: pytest.fail("the sandbox must not be started"))
    env = envs.make("humaneval", task=humaneval["test"][0])
    env.reset(seed=0)
    _, reward, _, _, info = env.step(_answer("def has_close_elements(:\n"))
    assert reward == 0.0 and info["feedback"]["error"].startswith("SyntaxError")


def test_missing_sandbox_raises_instead_of_scoring_zero(humaneval, monkeypatch):
    import curiosa

    monkeypatch.setitem(sys.modules, "curiosa.sandbox", None)  # importing it now fails
    monkeypatch.delattr(curiosa, "sandbox", raising=False)
    env = envs.make("humaneval", task=humaneval["test"][0])
    env.reset(seed=0)
    with pytest.raises(ct.SandboxUnavailable):
        env.step(_answer(humaneval["test"][0].params["reference"]))
    assert env.turn == 0 and env.attempt_rewards == []


@needs_sandbox
def test_reference_solutions_pass_and_wrong_ones_fail(humaneval):
    for task in humaneval["test"][:3]:
        p = task.params
        env = envs.make("humaneval", task=task)
        env.reset(seed=0)
        obs, reward, terminated, _, info = env.step(_answer(f"def {p['entry_point']}(*args):\n    return None\n"))
        assert reward == 0.0 and not terminated and obs == REVISION_PROMPT and info["feedback"]["error"]
        obs, reward, terminated, _, info = env.step(_answer(p["prompt"] + p["reference"]))
        assert reward == 1.0 and terminated and info["success"] and info["feedback"]["transition"] == "i->c"


@needs_sandbox
def test_a_body_only_answer_passes(humaneval):
    task = humaneval["train"][0]
    env = envs.make("humaneval", task=task)
    env.reset(seed=0)
    _, reward, *_ = env.step(_answer(task.params["reference"]))
    assert reward == 1.0


# ----------------------------------------------------------------------------------- MBPP
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


_code_like = st.one_of(
    st.text(max_size=200),
    st.builds(lambda body: "Thought: x\nAnswer:\n```python\n" + body + "\n```", st.text(max_size=120)),
    st.builds(lambda body: "Answer: def f():\n" + body, st.text(alphabet="abc()=:+-\n\t ```'\"\\#", max_size=80)),
)


@given(replies=st.lists(_code_like, min_size=1, max_size=3))
def test_any_reply_never_crashes_a_code_env(replies):
    calls = []

    def fake_tests(program, tests, **kwargs):
        calls.append(program)
        return ct.TestRun(passed=False, detail="stub")

    task = ct.HumanEvalEnv.build_tasks("test")[5]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ct, "run_unit_tests", fake_tests)
        env = envs.make("humaneval", task=task)
        env.reset(seed=0)
        for reply in replies:
            obs, reward, terminated, truncated, info = env.step(reply)
            assert env.observation_space.contains(obs) and reward in (0.0, 1.0)
            json.dumps(info["feedback"])
            if terminated or truncated:
                break
    assert all(ct.syntax_error(p) is None for p in calls), "only programs that compile reach the sandbox"
