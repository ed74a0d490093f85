"""Scripted twenty_questions players: legal replies, reading the conversation, and their ranking."""

import time

import pytest

from curiosa import envs, policies
from curiosa.envs.twenty_questions import catalogue, interpret
from curiosa.policies.base import View
from curiosa.policies.twenty_questions import GameState, guess_question

GAME = "twenty_questions"


def sample(n):
    tasks = envs.load_tasks(GAME, "test")
    step = max(1, len(tasks) // n)
    return tasks[::step][:n]


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
def test_replies_parse_and_expert_is_never_invalid(kind):
    env = envs.make(GAME)
    for i, task in enumerate(sample(6)):
        result = policies.run_episode(env, policies.scripted(GAME, kind, seed=i), seed=i, task=task)
        assert result.format_errors == 0 and result.invalid_actions == 0
        if kind == "expert":
            kinds = [info["feedback"]["kind"] for info in result.infos]
            assert "unknown" not in kinds and result.success


def test_expert_questions_and_guesses_are_understood_by_the_simulator():
    for cat in catalogue().categories.values():
        for attr in cat.attributes:
            reading = interpret(cat.canonical_question(attr), cat.id)
            assert reading.kind == "question"
        for ent in cat.entities:
            assert interpret(guess_question(ent, cat), cat.id).entity is ent


def animal_task(entity):
    return next(t for t in envs.load_tasks(GAME, "train") + envs.load_tasks(GAME, "test")
                if t.params == {"category": "animals", "entity": entity})


def test_state_is_rebuilt_from_the_conversation_only():
    env = envs.make(GAME, task=animal_task("giraffe"))
    instruction, _ = env.reset(seed=0)
    view = View(instruction, ["Yes. 19 turns left.", "No. 18 turns left.", "No. 17 turns left."],
                ["Thought: a\nAnswer: Is it a mammal?", "Thought: b\nAnswer: Does it live in Africa?",
                 "Thought: c\nAnswer: Is it a dog?"])
    state = GameState(view)
    names = {e.name for e in state.candidates}
    assert state.category.id == "animals" and state.turns_left == 17 and state.consistent
    assert "dog" not in names and "lion" not in names and "brown bear" in names and "eagle" not in names
    novice = GameState(view, positive_only=True)  # ignores the "no" answers
    assert {e.name for e in novice.candidates} > names and "lion" in {e.name for e in novice.candidates}


def test_expert_narrows_down_on_an_animal():
    cat = catalogue().categories["animals"]
    env = envs.make(GAME, task=animal_task("giraffe"))
    result = policies.run_episode(env, policies.scripted(GAME, "expert", seed=0), seed=0)
    assert result.success and result.num_turns <= 9
    replies = [m["content"] for m in result.messages if m["role"] == "assistant"]
    assert replies[-1].endswith("Answer: Is it a giraffe?")
    assert all(len(r.splitlines()[0]) <= 200 for r in replies)
    assert len(cat.entities) > 60


def test_expert_beats_heuristic_beats_random():
    tasks = sample(40)
    rates = {}
    for kind in ("random", "heuristic", "expert"):
        report = policies.evaluate_policy(GAME, lambda i, k=kind: policies.scripted(GAME, k, seed=i), tasks)
        rates[kind] = (report["success_rate"], report["mean_turns"])
    assert rates["expert"][0] == 1.0 and rates["expert"][1] < 8.5, rates
    assert rates["expert"][0] > rates["heuristic"][0] > rates["random"][0], rates
    assert rates["heuristic"][1] > rates["expert"][1], rates


def test_expert_is_fast():
    env = envs.make(GAME)
    task = sample(1)[0]
    policy = policies.scripted(GAME, "expert", seed=0)
    obs, _ = env.reset(seed=0, options={"task": task})
    messages = [{"role": "user", "content": obs}]
    start = time.perf_counter()
    policy.act(messages)
    for _ in range(5):
        reply = policy.act(messages)
        obs, *_ = env.step(reply)
        messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": obs}]
    assert (time.perf_counter() - start) / 6 < 0.05
