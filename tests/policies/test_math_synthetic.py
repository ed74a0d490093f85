"""Scripted math players: an expert that is always right, and the student whose revisions copy, fix or break."""

import pickle
from collections import Counter

import numpy as np
import pytest

from curiosa import envs, policies
from curiosa.envs.text import extract_answer
from curiosa.data.conversations import check_conversation
from curiosa.pipelines import mixture
from curiosa.policies.math_synthetic import MathSyntheticPolicy, SelfCorrectionSource, self_correction_math

GAME = "math_synthetic"


def _play(kind, tasks, seed=0, **kwargs):
    env = envs.make(GAME)
    return [policies.run_episode(env, policies.scripted(GAME, kind, seed=seed + i, **kwargs), seed=i, task=t)
            for i, t in enumerate(tasks)]


def _transitions(results):
    return Counter(r.infos[-1]["feedback"]["transition"] for r in results)


def _rates(counts):
    wrong, right = counts["i->c"] + counts["i->i"], counts["c->c"] + counts["c->i"]
    return {"accuracy_t1": right / sum(counts.values()), "fix": counts["i->c"] / max(1, wrong),
            "break": counts["c->i"] / max(1, right)}


def test_expert_is_always_right_and_keeps_its_answer():
    results = _play("expert", envs.load_tasks(GAME, "test")[:150])
    assert _transitions(results) == {"c->c": 150}
    assert all(r.format_errors == 0 and r.invalid_actions == 0 for r in results)


def test_student_rates_follow_the_configuration():
    tasks = envs.load_tasks(GAME, "train")[:800]
    rates = _rates(_transitions(_play("heuristic", tasks, accuracy=0.6, fix_rate=0.3, break_rate=0.2)))
    assert rates["accuracy_t1"] == pytest.approx(0.6, abs=0.06)
    assert rates["fix"] == pytest.approx(0.3, abs=0.07)
    assert rates["break"] == pytest.approx(0.2, abs=0.06)


def test_default_student_gets_worse_with_difficulty_and_mostly_copies():
    tasks = envs.load_tasks(GAME, "train")[:1000]
    results = _play("heuristic", tasks, seed=100)
    by_level = {}
    for task, result in zip(tasks, results):
        by_level.setdefault(task.params["difficulty"], []).append(result.infos[0]["feedback"]["correct"])
    accuracy = {level: np.mean(v) for level, v in by_level.items()}
    assert accuracy[1] > 0.75 and accuracy[5] < 0.45 and accuracy[1] > accuracy[3] > accuracy[5]
    counts = _transitions(results)
    assert counts["i->c"] > 0 and counts["c->i"] > 0
    same = sum(extract_answer(r.messages[1]["content"]) == extract_answer(r.messages[3]["content"]) for r in results)
    assert same / len(results) > 0.75, "second attempts mostly copy the first"


def test_noisy_accuracy_is_one_minus_epsilon():
    tasks = envs.load_tasks(GAME, "train")[:400]
    rates = _rates(_transitions(_play("noisy", tasks, epsilon=0.4)))
    assert rates["accuracy_t1"] == pytest.approx(0.6, abs=0.08)


def test_thoughts_show_worked_steps_and_fixes_name_the_wrong_step():
    tasks = envs.load_tasks(GAME, "train")[:300]
    results = _play("heuristic", tasks, accuracy=0.0, fix_rate=1.0, break_rate=0.0)
    assert _transitions(results)["i->c"] >= 290  # a rare slip leaves the answer unchanged
    for r in results[:50]:
        first, second = r.messages[1]["content"], r.messages[3]["content"]
        assert first.startswith("Thought: ") and len(first.splitlines()[0]) <= 240
        assert sum("=" in line for line in first.splitlines()[1:-1]) >= 1
        if r.infos[-1]["feedback"]["transition"] == "i->c":
            assert second.startswith("Thought: I find a mistake")


def test_policy_reads_only_the_conversation():
    instruction = ("Solve this math problem (level 1 of 5).\nProblem: What is 2 + 3 * 4?\n"
                   "Reply with a line 'Thought:' ... 'Answer: <the exact answer>'.")
    reply = policies.scripted(GAME, "expert").act([{"role": "user", "content": instruction}])
    assert extract_answer(reply) == "14" and "3 * 4 = 12" in reply
    unknown = policies.scripted(GAME, "heuristic").act([{"role": "user", "content": "Problem: name a colour"}])
    assert extract_answer(unknown) == "0"


def test_random_guesses_and_is_deterministic():
    tasks = envs.load_tasks(GAME, "test")[:100]
    assert _rates(_transitions(_play("random", tasks)))["accuracy_t1"] < 0.2
    a = [r.messages for r in _play("heuristic", tasks[:20], seed=7)]
    b = [r.messages for r in _play("heuristic", tasks[:20], seed=7)]
    assert a == b


def test_bad_rates_are_rejected():
    with pytest.raises(ValueError, match="fix_rate must be a probability"):
        MathSyntheticPolicy("heuristic", fix_rate=1.5)
    with pytest.raises(ValueError, match=r"accuracy\[2\]"):
        MathSyntheticPolicy("heuristic", accuracy={2: -0.1})
    with pytest.raises(ValueError, match="kinds needs"):
        list(SelfCorrectionSource(kinds={})(0, 1))


def test_warm_start_source_is_named_picklable_and_deterministic():
    assert mixture.EXTRA_SOURCES["self_correction_math"] is self_correction_math
    assert pickle.loads(pickle.dumps(self_correction_math)) is self_correction_math
    first = list(self_correction_math(3, 40))
    assert first == list(self_correction_math(3, 40)) and len(first) == 40
    for conversation in first:
        clean = check_conversation(conversation)
        assert [m["role"] for m in clean] == ["user", "assistant", "user", "assistant"]
    kinds = Counter()
    for c in self_correction_math(5, 300):
        a1, a2 = extract_answer(c[1]["content"]), extract_answer(c[3]["content"])
        kinds["copy" if a1 == a2 else "change"] += 1
    assert kinds["copy"] > kinds["change"] > 0


def test_the_mixture_accepts_the_source(tmp_path):
    config = mixture.MixtureConfig(games=["mastermind"], extra_sources={"self_correction_math": 1.0})
    assert [p.name for p in mixture.mixture(config)] == ["mastermind", "self_correction_math"]
