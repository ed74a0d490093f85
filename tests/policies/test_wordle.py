"""Scripted Wordle players: format, legality, state read from the conversation, and strength order."""

import pytest

from curiosa import envs, policies
from curiosa.envs.text import extract_answer
from curiosa.envs.wordle import answer_list, feedback_line, score, vocabulary
from curiosa.policies.wordle import opener


def _messages(secret, guesses):
    """A conversation in which ``guesses`` were played against ``secret``."""
    env = envs.make("wordle", task=envs.Task("wordle-test-00000", "wordle", "test", {"word": secret}))
    obs, _ = env.reset(seed=0)
    messages = [{"role": "user", "content": obs}]
    for g in guesses:
        reply = f"Thought: t\nAnswer: {g}"
        obs, *_ = env.step(reply)
        messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": obs}]
    return messages


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
def test_every_kind_replies_in_format(kind):
    env = envs.make("wordle")
    for i, task in enumerate(envs.load_tasks("wordle", "test")[:5]):
        result = policies.run_episode(env, policies.scripted("wordle", kind, seed=i), seed=i, task=task)
        assert result.format_errors == 0
        for m in result.messages[1::2]:
            thought = m["content"].splitlines()[0]
            assert thought.startswith("Thought: ") and len(thought) < 180 and m["content"].isascii()
            assert extract_answer(m["content"]) in vocabulary()


def test_expert_reads_the_feedback_and_counts_the_candidates():
    policy = policies.scripted("wordle", "expert", seed=0)
    first = extract_answer(policy.act(_messages("abbey", [])))
    assert first == opener()
    fits = [w for w in answer_list() if score(first, w) == score(first, "abbey")]
    thought = policy.act(_messages("abbey", [first])).splitlines()[0]
    assert len(fits) > 2 and f"{len(fits)} words" in thought
    # With one word left the expert must name it.
    reply = policy.act(_messages("abbey", ["crane", "bobby", "abyss"]))
    assert extract_answer(reply) == "abbey" and "abbey" in reply.splitlines()[0]


def test_expert_ignores_invalid_and_unreadable_turns():
    messages = _messages("abbey", ["xyzzy", "crane", "bobby", "abyss"])
    messages[3]["content"] = "I don't know"  # any noise in the agent's own turns
    assert extract_answer(policies.scripted("wordle", "expert", seed=1).act(messages)) == "abbey"


def test_heuristic_keeps_greens_and_yellows():
    history = ["crane", "bobby"]
    messages = _messages("abbey", history)
    for seed in range(10):
        guess = extract_answer(policies.scripted("wordle", "heuristic", seed=seed).act(messages))
        assert guess in answer_list() and guess not in history
        assert guess[2] == "b" and guess[4] == "y" and "e" in guess and "a" in guess and guess[0] != "b"


def test_feedback_parsing_matches_score():
    line = feedback_line("geese", score("geese", "speed"))
    assert line == "GEESE: G=grey E=yellow E=green S=yellow E=grey"


def test_policy_is_deterministic_for_its_seed():
    task = envs.load_tasks("wordle", "test")[2]
    runs = [
        policies.run_episode(envs.make("wordle"), policies.scripted("wordle", kind, seed=4), seed=1, task=task).messages
        for kind in ("heuristic", "heuristic")
    ]
    assert runs[0] == runs[1]


def test_expert_beats_heuristic_beats_random():
    tasks = envs.load_tasks("wordle", "test")[:60]
    stats = {
        kind: policies.evaluate_policy("wordle", lambda i, k=kind: policies.scripted("wordle", k, seed=i), tasks)
        for kind in ("random", "heuristic", "expert")
    }
    assert stats["expert"]["invalid_rate"] == 0.0
    assert stats["expert"]["success_rate"] >= 0.97 and stats["expert"]["mean_turns"] <= 4.2
    assert stats["expert"]["success_rate"] > stats["heuristic"]["success_rate"] > stats["random"]["success_rate"]
    assert stats["heuristic"]["success_rate"] >= 0.5 and stats["random"]["success_rate"] <= 0.1
