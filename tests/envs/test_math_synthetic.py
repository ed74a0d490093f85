"""math_synthetic: splits, exact answers read back from the text, and the two-attempt flow."""

import json
from collections import Counter
from fractions import Fraction

import pytest

from curiosa import envs
from curiosa.envs import math_synthetic as ms
from curiosa.envs.math_answers import parse_answer
from curiosa.envs.self_correction import REVISION_PROMPT, self_correction_metrics

GAME = "math_synthetic"


@pytest.fixture(scope="module")
def splits():
    return {s: envs.load_tasks(GAME, s) for s in ("train", "test")}


def test_sizes_and_levels(splits):
    assert len(splits["train"]) == 2500 and len(splits["test"]) == 500
    for split, per_level in (("train", 500), ("test", 100)):
        levels = Counter(t.params["difficulty"] for t in splits[split])
        assert levels == {level: per_level for level in range(1, 6)}
    families = Counter(t.params["family"] for t in splits["train"])
    assert set(families) == set(ms.FAMILIES) and min(families.values()) > 150


def test_splits_are_disjoint_deterministic_and_ids_stable(splits):
    train_text = {t.params["problem"] for t in splits["train"]}
    test_text = {t.params["problem"] for t in splits["test"]}
    assert len(train_text) == 2500 and len(test_text) == 500
    assert not train_text & test_text
    ms.problem_pool.cache_clear()
    again = ms.MathSyntheticEnv.build_tasks("test")
    assert [t.to_dict() for t in again] == [t.to_dict() for t in splits["test"]]
    assert [t.id for t in splits["test"][:2]] == ["math_synthetic-test-00000", "math_synthetic-test-00001"]
    # pinned so that an accidental change to the generator (which would renumber every task) is noticed
    assert splits["test"][0].params["problem"] == "What is 10 + (-13) - (23 - 19 - 21)?"
    assert splits["test"][0].params["answer"] == "14"


def test_no_near_duplicates_across_splits(splits):
    def expression(task):
        m = ms._ARITH.match(task.params["problem"])
        return m.group("expr") if m else None

    train = {expression(t) for t in splits["train"]} - {None}
    test = {expression(t) for t in splits["test"]} - {None}
    assert not train & test, "the same expression appears in both splits under different phrasings"


def test_every_answer_is_read_back_from_its_text(splits):
    for task in splits["train"][:600] + splits["test"]:
        p = task.params
        assert ms.solve(p["problem"]) == Fraction(p["answer"]) == parse_answer(p["answer"])
        assert ms.family_of(p["problem"]) == p["family"]
        json.dumps(p)


def test_level_one_is_short_and_whole(splits):
    level_one = [t.params for t in splits["train"] if t.params["difficulty"] == 1]
    assert max(len(p["problem"]) for p in level_one) <= 100
    assert all(Fraction(p["answer"]).denominator == 1 for p in level_one)
    arithmetic = [p["problem"] for p in level_one if p["family"] == "arithmetic"]
    assert all(sum(p.count(op) for op in "+-*/") <= 2 for p in arithmetic)
    harder = [t.params for t in splits["train"] if t.params["difficulty"] == 5]
    assert sum("/" in p["answer"] for p in harder) > 100, "level 5 should hold many fractional answers"


@pytest.mark.parametrize("problem, answer", [
    ("What is 7 + 5 * 3?", 22),
    ("Compute 12 / (2 + 4) - 3.", -1),
    ("What is 3/4 + 5/6?", Fraction(19, 12)),
    ("Evaluate (2/3) * (9/4) - 1/2.", 1),
    ("Solve for x: 3(x - 2) + 4 = 2x + 9.", 11),
    ("Solve for x: (x + 2) / 3 = 5x + 12.", Fraction(-17, 7)),
    ("Solve the system 2x + 3y = 12 and x - y = 1. What is x + y?", Fraction(3) + Fraction(2)),
    ("What is 35% of 240?", 84),
    ("After a 20% discount, a lamp costs 64 dollars. What was the price before the discount, in dollars?", 80),
    ("Ana has 12 apples. Ana buys 3 packs of 5 apples each. How many apples does Ana have now?", 27),
])
def test_solver_on_hand_made_problems(problem, answer):
    work = ms.Work()
    assert ms.solve(problem, work) == answer
    assert work.lines, "the solver shows its steps"


def test_solver_rejects_foreign_text():
    with pytest.raises(ValueError, match="not a math_synthetic problem"):
        ms.solve("What is the capital of France?")


def test_slips_change_the_answer_and_propagate():
    problem = "What is 7 + 5 * 3?"
    for slip in range(2):
        work = ms.Work(slip=slip, rng=__import__("numpy").random.default_rng(slip))
        value = ms.solve(problem, work)
        assert value != 22 and work.slipped in work.lines


# ----------------------------------------------------------------------------------- the episode
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
