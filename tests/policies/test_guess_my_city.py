"""Scripted guess_my_city players: format, legality, reading answers from the text only, strength order."""

import time

import numpy as np
import pytest

from curiosa import envs, policies
from curiosa.envs import guess_my_city as gmc
from curiosa.envs.guess_my_city import GuessMyCityEnv
from curiosa.envs.task import Task
from curiosa.envs.text import extract_answer
from curiosa.policies.base import View
from curiosa.policies.guess_my_city import GuessMyCityPolicy, candidates, question_bank

GAME = "guess_my_city"
envs.register(GuessMyCityEnv)  # a no-op once the registry lists the game


def scripted(kind, seed=0, **kwargs):
    if GAME in policies.games():
        return policies.scripted(GAME, kind, seed=seed, **kwargs)
    return GuessMyCityPolicy(kind=kind, seed=seed, **kwargs)


def play(kind, task, seed, **kwargs):
    return policies.run_episode(envs.make(GAME), scripted(kind, seed, **kwargs), seed=seed, task=task)


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
def test_every_kind_replies_in_format(kind):
    for i, task in enumerate(envs.load_tasks(GAME, "test")[:5]):
        result = play(kind, task, i)
        replies = [m["content"] for m in result.messages if m["role"] == "assistant"]
        assert result.format_errors == 0 and all(extract_answer(r) for r in replies)
        for reply in replies:
            thought = reply.splitlines()[0]
            assert thought.startswith("Thought: ") and len(thought) <= 170, thought
        kinds = [info["feedback"].get("kind") for info in result.infos]
        if kind in ("expert", "heuristic"):
            assert result.invalid_actions == 0 and "unknown" not in kinds, replies


def test_bank_questions_are_understood_and_never_name_a_city():
    bank = question_bank()
    pool = gmc.city_pool()
    assert bank.codes.shape == (len(bank.questions), len(pool))
    names = frozenset().union(*(gmc.aliases(f["geonameid"]) for f in pool))
    for q in bank.questions:
        for text in q.texts:
            reading = gmc.read(text, names)  # as if every city of the game were the secret one
            assert not reading.of("secret") and not reading.of("city"), text  # never read as a guess
            query = gmc.parse_question(reading)
            assert query is not None and query.topic in (q.topic, "continent"), text
        first = gmc.parse_question(gmc.read(q.texts[0]))
        for text in q.texts[1:]:  # the phrasings mean the same to the host
            other = gmc.parse_question(gmc.read(text))
            assert [gmc.answer(other, f)[1] for f in pool[::37]] == [gmc.answer(first, f)[1] for f in pool[::37]], text


def test_expert_reads_answers_from_the_conversation_only():
    intro = GuessMyCityEnv(Task(f"{GAME}-test-99999", GAME, "test", gmc.city_pool()[0])).reset()[0]
    view = View(intro, ["Yes, it is in Europe.", "No, it is not the capital of its country.",
                        "Yes, more than 1 million people live there.", "No, that is not the city."],
                ["Answer: Is the city in Europe?", "Answer: Is it the capital of its country?",
                 "Answer: Is the population over 1 million?", "Answer: Is it Barcelona?"])
    left = candidates(view)
    assert left and all(f["continent"] == "EU" and not f["is_capital"] and f["population"] > 1e6 for f in left)
    assert "Barcelona" not in {f["city"] for f in left} and "Munich" in {f["city"] for f in left}
    open_view = View(intro, ["People there mainly speak German."], ["Answer: What language do people speak there?"])
    assert {f["country_code"] for f in candidates(open_view)} == {"DE"}


def test_expert_finds_every_city_of_a_sample_quickly():
    tasks = envs.load_tasks(GAME, "test")[::10]
    started = time.perf_counter()
    results = [play("expert", t, i) for i, t in enumerate(tasks)]
    per_turn = (time.perf_counter() - started) / sum(r.num_turns for r in results)
    assert all(r.success and r.invalid_actions == 0 for r in results)
    assert np.mean([r.num_turns for r in results]) <= 12
    assert per_turn < 0.05, per_turn  # policy and host together, per turn


def test_open_question_expert_is_faster():
    tasks = envs.load_tasks(GAME, "test")[:10]
    turns = [play("expert", t, i, open_questions=True).num_turns for i, t in enumerate(tasks)]
    assert np.mean(turns) <= 5


def test_expert_beats_heuristic_beats_random():
    tasks = envs.load_tasks(GAME, "test")[:40]
    rate = {
        kind: policies.evaluate_policy(GAME, lambda i, k=kind: scripted(k, seed=i), tasks)["success_rate"]
        for kind in ("random", "heuristic", "expert")
    }
    assert rate["expert"] > rate["heuristic"] > rate["random"], rate
    assert rate["expert"] == 1.0 and 0.2 <= rate["heuristic"] <= 0.8, rate


def test_policy_is_deterministic_for_its_seed():
    task = envs.load_tasks(GAME, "test")[3]
    runs = [play("noisy", task, 4).messages for _ in range(2)]
    assert runs[0] == runs[1]
