"""The two-attempt episode: per-attempt rewards, transitions, answer forms, the instruction, and the group constants."""

from fractions import Fraction

import pytest

from curiosa import envs
from curiosa.envs import math_synthetic as ms
from curiosa.envs.self_correction import REVISION_PROMPT, self_correction_metrics

GAME = "math_synthetic"


def _task(family="arithmetic", level=None):
    return next(t for t in envs.load_tasks(GAME, "test")
                if t.params["family"] == family and (level is None or t.params["difficulty"] == level))


def _reply(answer):
    return f"Thought: working.\nAnswer: {answer}"


def test_two_attempts_per_attempt_rewards_and_success_on_the_final_one():
    task = _task()
    right, wrong = task.params["answer"], str(Fraction(task.params["answer"]) + 1)
    env = envs.make(GAME, task=task)
    obs, info = env.reset(seed=0)
    assert task.params["problem"] in obs and env.max_turns == 2
    obs, reward, terminated, truncated, info = env.step(_reply(right))
    assert reward == 1.0 and not terminated and not truncated and info["success"] is False
    assert info["feedback"]["attempt_rewards"] == [1.0] and info["feedback"]["correct"] is True
    obs, reward, terminated, truncated, info = env.step(_reply(wrong))
    assert reward == 0.0 and terminated and not info["success"]
    fb = info["feedback"]
    assert fb["attempt_rewards"] == [1.0, 0.0] and fb["transition"] == "c->i"
    assert fb["first_correct"] is True and fb["final_correct"] is False
    assert right in obs  # the expected answer is revealed once the episode is over
    obs, reward, terminated, _, info = env.step(_reply(right))
    assert terminated and reward == 0.0 and info["invalid_action"]


@pytest.mark.parametrize("first, second, transition", [
    ("right", "right", "c->c"), ("wrong", "right", "i->c"), ("right", "wrong", "c->i"), ("wrong", "wrong", "i->i"),
])
def test_transitions(first, second, transition):
    task = _task("linear", 4)
    answers = {"right": f"x = {task.params['answer']}", "wrong": str(Fraction(task.params["answer"]) - 3)}
    env = envs.make(GAME, task=task)
    env.reset(seed=0)
    env.step(_reply(answers[first]))
    obs, reward, terminated, _, info = env.step(_reply(answers[second]))
    assert terminated and info["feedback"]["transition"] == transition
    assert info["success"] == (second == "right") and reward == float(second == "right")
    assert obs.startswith("Your final answer is " + ("correct" if second == "right" else "not correct"))


def test_revision_request_never_reveals_correctness():
    task = _task("word")
    seen = set()
    for answer in (task.params["answer"], str(Fraction(task.params["answer"]) + 5)):
        env = envs.make(GAME, task=task)
        env.reset(seed=0)
        obs, *_ = env.step(_reply(answer))
        seen.add(obs)
    assert seen == {REVISION_PROMPT}
    lowered = REVISION_PROMPT.lower()
    assert not any(word in lowered for word in ("incorrect", "not correct", "is wrong", "is right", "well done"))


@pytest.mark.parametrize("form", ["\\boxed{{{a}}}", "x = {a}", "$ {a} $", "{a}.", "The answer is {a}"])
def test_equivalent_forms_are_accepted(form):
    task = next(t for t in envs.load_tasks(GAME, "test")
                if "/" in t.params["answer"] and t.params["family"] == "linear")
    num, den = task.params["answer"].split("/")
    for text in (task.params["answer"], f"\\frac{{{num}}}{{{den}}}"):
        env = envs.make(GAME, task=task)
        env.reset(seed=0)
        _, reward, *_ = env.step(_reply(form.format(a=text)))
        assert reward == 1.0, form.format(a=text)


def test_boxed_answer_without_answer_line_is_read():
    task = _task()
    env = envs.make(GAME, task=task)
    env.reset(seed=0)
    assert env.parse_reply(f"So the result is \\boxed{{{task.params['answer']}}}.") == Fraction(task.params["answer"])


def test_unreadable_first_attempt_is_wrong_and_the_second_still_counts():
    task = _task()
    env = envs.make(GAME, task=task)
    env.reset(seed=0)
    with pytest.raises(envs.FormatError, match="not a single exact number"):
        env.parse_reply("Thought: hmm\nAnswer: maybe seven or eight")
    obs, reward, terminated, truncated, info = env.step("Thought: hmm\nAnswer: no idea")
    assert info["format_error"] and reward == 0.0 and not (terminated or truncated)
    assert obs.endswith(REVISION_PROMPT) and info["feedback"]["attempt_rewards"] == [0.0]
    obs, reward, terminated, _, info = env.step(_reply(task.params["answer"]))
    assert terminated and info["success"] and info["feedback"]["transition"] == "i->c"


def test_instruction_is_read_back():
    text = ms.write_instruction(4, "What is 3/4 + 5/6?")
    assert ms.problem_of(text) == "What is 3/4 + 5/6?" and ms.level_of(text) == 4
    assert ms.MATH_REPLY_FORMAT in text
    assert ms.problem_of("no problem here") is None and ms.level_of("no level here") is None


def test_instruction_states_the_problem_and_level_only():
    task = _task(level=2)
    obs, _ = envs.make(GAME, task=task).reset(seed=0)
    assert ms.problem_of(obs) == task.params["problem"] and ms.level_of(obs) == 2
    assert task.params["answer"] not in obs.replace(task.params["problem"], "")


def test_metrics():
    m = self_correction_metrics([[1, 1], [0, 1], [1, 0], [0, 0], [0, 1]])
    assert m["accuracy_t1"] == pytest.approx(0.4) and m["accuracy_t2"] == pytest.approx(0.6)
    assert m["delta_i_to_c"] == pytest.approx(0.4) and m["delta_c_to_i"] == pytest.approx(0.2)
    assert m["delta"] == pytest.approx(m["delta_i_to_c"] - m["delta_c_to_i"])
    with pytest.raises(ValueError, match="episode 0 has 1 attempt"):
        self_correction_metrics([[1]])
    with pytest.raises(ValueError, match="no episodes"):
        self_correction_metrics([])


def test_group_constants():
    assert len(envs.PAPRIKA_GROUPS) == 10 and len(set(envs.PAPRIKA_GROUPS)) == 10
    assert set(envs.PAPRIKA_GROUPS) | set(envs.SELF_CORRECTION_GROUPS) <= set(envs.names())
    assert not set(envs.PAPRIKA_GROUPS) & set(envs.SELF_CORRECTION_GROUPS)
    assert all(envs.env_class(g).max_turns == 2 for g in envs.SELF_CORRECTION_GROUPS)
