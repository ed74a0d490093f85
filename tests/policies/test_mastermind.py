"""Scripted Mastermind players: format, legality, state read from the conversation, and strength order."""

import pytest

from curiosa import envs, policies
from curiosa.envs.mastermind import score
from curiosa.envs.text import extract_answer
from curiosa.policies.mastermind import OPENER


def _messages(code, guesses):
    """A conversation in which ``guesses`` were played against ``code``."""
    env = envs.make("mastermind", task=envs.Task("mastermind-test-00000", "mastermind", "test", {"code": code}))
    obs, _ = env.reset(seed=0)
    messages = [{"role": "user", "content": obs}]
    for g in guesses:
        reply = f"Thought: t\nAnswer: {g}"
        obs, *_ = env.step(reply)
        messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": obs}]
    return messages


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
def test_every_kind_replies_in_format(kind):
    env = envs.make("mastermind")
    for i, task in enumerate(envs.load_tasks("mastermind", "test")[:5]):
        result = policies.run_episode(env, policies.scripted("mastermind", kind, seed=i), seed=i, task=task)
        assert result.format_errors == 0 and result.invalid_actions == 0
        for m in result.messages[1::2]:
            thought = m["content"].splitlines()[0]
            assert thought.startswith("Thought: ") and len(thought) < 180
            answer = extract_answer(m["content"])
            assert len(answer) == 4 and answer.isdigit()


@pytest.mark.parametrize("code", ["1123", "0000", "9876", "5505"])
def test_expert_guesses_are_consistent_with_all_feedback(code):
    guesses = ["0123", "4567", "8899"]
    messages = _messages(code, guesses)
    guess = extract_answer(policies.scripted("mastermind", "expert", seed=0).act(messages))
    for g in guesses:
        assert score(g, guess) == score(g, code)
    assert extract_answer(policies.scripted("mastermind", "expert").act(_messages(code, []))) == OPENER


def test_expert_ignores_invalid_turns_and_names_a_forced_code():
    messages = _messages("1123", ["12", "1111", "2222", "3333", "1123"[::-1], "1213"])
    messages[1]["content"] = "nonsense"
    reply = policies.scripted("mastermind", "expert", seed=0).act(messages)
    answer = extract_answer(reply)
    for g in ["1111", "2222", "3333", "3211", "1213"]:
        assert score(g, answer) == score(g, "1123")


def test_heuristic_probes_then_arranges():
    probe = extract_answer(policies.scripted("mastermind", "heuristic", seed=0).act(_messages("1123", [])))
    assert len(set(probe)) == 1
    messages = _messages("1123", [f"{d}" * 4 for d in range(10) if d != 4])  # 4 is inferred: none left
    guess = extract_answer(policies.scripted("mastermind", "heuristic", seed=0).act(messages))
    assert sorted(guess) == sorted("1123")
    messages = _messages("1123", ["0000", "1111", "2222", "3333"])
    guess = extract_answer(policies.scripted("mastermind", "heuristic", seed=0).act(messages))
    assert sorted(guess) == sorted("1123")


def test_policy_is_deterministic_for_its_seed():
    task = envs.load_tasks("mastermind", "test")[2]
    runs = [
        policies.run_episode(envs.make("mastermind"), policies.scripted("mastermind", "expert", seed=4), seed=1,
                             task=task).messages
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_expert_beats_heuristic_beats_random():
    tasks = envs.load_tasks("mastermind", "test")[:60]
    stats = {
        kind: policies.evaluate_policy(
            "mastermind", lambda i, k=kind: policies.scripted("mastermind", k, seed=i), tasks
        )
        for kind in ("random", "heuristic", "expert")
    }
    assert stats["expert"]["invalid_rate"] == 0.0
    assert stats["expert"]["success_rate"] >= 0.97 and stats["expert"]["mean_turns"] <= 7.0
    assert stats["expert"]["success_rate"] > stats["heuristic"]["success_rate"] > stats["random"]["success_rate"]
    assert stats["heuristic"]["success_rate"] >= 0.4
