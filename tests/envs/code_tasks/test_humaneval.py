"""HumanEval as two-attempt tasks: data, splits, programs built from the prompt, and the sandboxed reward."""

import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curiosa import envs
from curiosa.envs import code_tasks as ct
from curiosa.envs.code_tasks import humaneval as humaneval_module
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
    monkeypatch.setattr(humaneval_module, "run_unit_tests",
                        lambda *a, **k: pytest.fail("the sandbox must not be started"))
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
        mp.setattr(humaneval_module, "run_unit_tests", fake_tests)
        env = envs.make("humaneval", task=task)
        env.reset(seed=0)
        for reply in replies:
            obs, reward, terminated, truncated, info = env.step(reply)
            assert env.observation_space.contains(obs) and reward in (0.0, 1.0)
            json.dumps(info["feedback"])
            if terminated or truncated:
                break
    assert all(ct.syntax_error(p) is None for p in calls), "only programs that compile reach the sandbox"
