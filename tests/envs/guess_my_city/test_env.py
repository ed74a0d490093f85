"""guess_my_city: the tasks, the game frame (instruction, turns, reveal) and the LLM-mode hooks."""

import json

from curiosa import envs
from curiosa.envs import guess_my_city as gmc
from curiosa.envs.task import Task
from curiosa.envs.text import REPLY_FORMAT

GAME = "guess_my_city"


def test_task_sizes_split_and_determinism():
    train, test = envs.load_tasks(GAME, "train"), envs.load_tasks(GAME, "test")
    assert len(train) >= 500 and len(test) >= 185
    assert [t.to_dict() for t in test] == [t.to_dict() for t in envs.load_tasks(GAME, "test")]
    ids = [t.params["geonameid"] for t in train + test]
    assert len(set(ids)) == len(ids), "train and test must hold different cities"
    json.dumps([t.params for t in train + test])  # JSON-serialisable hidden state


def test_questions_it_cannot_answer_get_honest_replies_and_use_a_turn(env_for):
    env = env_for("Munich")
    moves = [("Is it known for beer?", "I'm not sure; I don't know its food.", "question", "unsure"),
             ("Do you like it?", gmc.UNSURE_REPLY, "question", "unsure"),
             ("Tell me a joke.", gmc.UNKNOWN_REPLY, "unknown", None)]
    for turn, (q, reply, kind, answer) in enumerate(moves, start=1):
        obs, reward, terminated, truncated, info = env.step(f"Answer: {q}")
        assert obs == reply and info["feedback"]["kind"] == kind and info["feedback"]["answer"] == answer, q
        assert info["turn"] == turn and not info["invalid_action"] and not terminated


def test_distances_from_a_named_city(env_for, ask):
    env = env_for("Munich")  # about 500 km from Berlin, 680 km from Paris
    assert ask(env, "Is it near Paris?")[0].startswith("No, it is more than 300 km from that city (about 680 km)")
    obs, fb, _, _ = ask(env, "Is it within 600 km of Berlin?")
    assert obs.startswith("Yes, it is within 600 km") and fb["topic"] == "distance" and fb["answer"] == "yes"
    obs, fb, _, _ = ask(env, "How far is it from Berlin?")
    assert obs == "It is about 500 km from that city." and 480 <= fb["answer"] <= 520


def test_instruction_reveal_and_ascii(env_for, ask):
    env = env_for("Munich")
    obs, _ = env.reset(seed=0)
    assert obs.endswith(REPLY_FORMAT) and "20 turns" in obs and "Answer: Is it Munich?" in obs and obs.isascii()
    for _ in range(19):
        ask(env, "Is it in Asia?")
    obs, _, terminated, truncated, info = env.step("Answer: Is it in Asia?")
    assert truncated and not terminated and not info["success"]
    assert obs.endswith("The city was Munich, Germany.")


def test_llm_hooks(env_for):
    env = env_for("Munich")
    prompt = env.llm_simulator_prompt()
    for fact in ("Munich", "Germany", "Europe", "German", "euro (EUR)", "UTC+1", "Berlin", "Austria"):
        assert fact in prompt
    assert "Never write the name" in prompt
    assert env.llm_extract_reply("  Yes, it is in Europe.  ") == "Yes, it is in Europe."
    assert env.llm_extract_reply('"No, that is not the city."') == "No, that is not the city."
    for bad in ("", "   ", "...", "Yes, it is Munich!", "It is in Germany.", "Ja, München."):
        assert env.llm_extract_reply(bad) is None, bad
    spec = env.llm_judge("Is it Munich?")
    assert spec.question == "Does the message guess that the city is Munich (Germany)?"
    assert spec.labels == {"yes": (True, True), "no": (False, False)}
    assert env.llm_feedback("Is it Munich?", "yes") == {"kind": "guess", "topic": "guess", "answer": "yes"}
    assert env.llm_feedback("Is it Berlin?", "no") == {"kind": "guess", "topic": "guess", "answer": "no"}
    assert env.llm_feedback("Is it in Europe?", "no") == {"kind": "question", "topic": "continent", "answer": None}
    assert env.llm_feedback("Is it famous?", "no") == {"kind": "question", "topic": "unsure", "answer": None}
    assert env.llm_feedback("Tell me a joke.", "no")["kind"] == "unknown"


def test_llm_mode_retries_a_reply_that_names_the_city(facts_of):
    from curiosa.testing.fake_openai import FakeOpenAIServer

    answers = iter(["Yes, Munich is in Europe.", "Yes, it is in Europe."])

    def role_play(body):
        system = body["messages"][0]["content"]
        last = body["messages"][-1]["content"]
        if system.startswith("You are a strict referee"):
            return "yes" if "munich" in last.split("Player's message:")[-1].lower() else "no"
        return next(answers)

    with FakeOpenAIServer(role_play) as server:
        task = Task(f"{GAME}-test-99999", GAME, "test", facts_of("Munich"))
        ep = {"base_url": server.base_url, "model": "fake", "backoff_s": 0.0, "timeout_s": 5.0}
        env = envs.make(GAME, task=task, simulator="llm", endpoint=ep)
        env.reset(seed=0)
        obs, reward, terminated, _, info = env.step("Answer: Is it in Europe?")
        assert obs == "Yes, it is in Europe." and not terminated and reward == 0.0
        assert info["feedback"]["topic"] == "continent"
        obs, reward, terminated, _, info = env.step("Answer: Is it Munich?")
        assert terminated and reward == 1.0 and info["success"]
