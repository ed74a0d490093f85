"""Scripted support agents: format, legality, reading the conversation, and strength order."""

import pytest

from curiosa import envs, policies
from curiosa.envs.customer_service import PRODUCT_BY_KEY, CustomerServiceEnv, read_move
from curiosa.envs.text import extract_answer
from curiosa.policies.base import View
from curiosa.policies.customer_service import CustomerServicePolicy

GAME = "customer_service"
envs.register(CustomerServiceEnv)  # a no-op once the registry lists the game


def scripted(kind, seed=0):
    if GAME in policies.games():
        return policies.scripted(GAME, kind, seed=seed)
    return CustomerServicePolicy(kind=kind, seed=seed)


def _play(kind, task, seed):
    return policies.run_episode(envs.make(GAME), scripted(kind, seed), seed=seed, task=task)


@pytest.mark.parametrize("kind", ["random", "heuristic", "expert", "noisy"])
def test_every_kind_replies_in_format(kind):
    for i, task in enumerate(envs.load_tasks(GAME, "test")[:8]):
        result = _play(kind, task, i)
        assert result.format_errors == 0
        replies = [m["content"] for m in result.messages if m["role"] == "assistant"]
        for reply in replies:
            assert reply.startswith("Thought: ") and extract_answer(reply)
            assert len(reply.splitlines()[0]) <= 170, reply
        if kind == "expert":
            assert result.invalid_actions == 0


def test_expert_asks_real_questions_then_fixes_once():
    for i, task in enumerate(envs.load_tasks(GAME, "test")[:40]):
        result = _play("expert", task, i)
        assert result.success and result.num_turns <= 4, task.params
        kinds = [info["feedback"]["kind"] for info in result.infos]
        assert kinds[-1] == "fix" and set(kinds[:-1]) <= {"question"}
        assert all(info["feedback"]["topic"] not in (None, "tried") for info in result.infos[:-1])


def test_expert_reads_only_the_conversation():
    """Two tasks that look the same so far get the same next move, whatever their hidden faults."""
    product = PRODUCT_BY_KEY["washing_machine"]
    instruction = ("You are a customer support agent talking to a customer, Nina.\n"
                   "Product: washing machine (AquaWash 7, about a year old)\n"
                   'Nina says: "My washing machine won\'t start."\n')
    view = View(instruction, [], [])
    thought, question = CustomerServicePolicy("expert", seed=0).expert(view)
    kind, topic, _ = read_move(product, question)
    assert kind == "question" and "door not latching" in thought
    # Answer as the child-lock fault would: the expert must now name that fix.
    answers = {"error": "There's a little key symbol on the display.", "noise": "The buttons don't beep when I press them.",
               "lights": "The lights on the panel look normal.", "power": "It has power, the panel lights up.",
               "changes": "My grandson was visiting on Sunday.", "door": "The door closes and clicks like normal.",
               "damage": "No, it looks fine.", "other_devices": "Everything else in the house works.",
               "screen": "There's a little key symbol on the display."}
    view = View(instruction, [f"Nina: {answers[topic]}\nTurns left: 19. Failed fixes: 0 of 2."],
                [f"Thought: x\nAnswer: {question}"])
    _, fix = CustomerServicePolicy("expert", seed=0).expert(view)
    assert read_move(product, fix) == ("fix", None, ["child_lock"])


def test_expert_drops_a_fix_that_failed():
    instruction = ("You are a customer support agent talking to a customer, Nina.\n"
                   "Product: car (Atlas Estate, about a year old)\n"
                   'Nina says: "My car won\'t start."\n')
    view = View(instruction, ["Nina: Okay, I did that, but it's still not working.\nTurns left: 19. Failed fixes: 1 of 2.",
                              "Nina: The dashboard lights are bright.\nTurns left: 18. Failed fixes: 1 of 2."],
                ["Thought: x\nAnswer: Fill the tank up with fuel.", "Thought: x\nAnswer: What do the little lights on it show?"])
    _, move = CustomerServicePolicy("expert", seed=0).expert(view)
    assert read_move(PRODUCT_BY_KEY["car"], move) == ("fix", None, ["starter_motor"])


def test_heuristic_skips_fixes_already_tried():
    instruction = ("You are a customer support agent talking to a customer, Nina.\n"
                   "Product: router (SkyBox 2, about a year old)\n"
                   'Nina says: "My internet isn\'t working at all."\n')
    replies = ["Thought: x\nAnswer: What have you already tried?", "Thought: x\nAnswer: When did the problem start?"]
    observations = ["Nina: I already pushed all the cables back in, but it didn't help.\nTurns left: 19. Failed fixes: 0 of 2.",
                    "Nina: It started yesterday.\nTurns left: 18. Failed fixes: 0 of 2."]
    _, move = CustomerServicePolicy("heuristic", seed=0).heuristic(View(instruction, observations, replies))
    assert read_move(PRODUCT_BY_KEY["router"], move) == ("fix", None, ["provider_outage"])


def test_policies_are_deterministic_for_their_seed():
    task = envs.load_tasks(GAME, "test")[5]
    runs = [_play("noisy", task, 3).messages for _ in range(2)]
    assert runs[0] == runs[1]


def test_strength_order_expert_heuristic_random():
    tasks = envs.load_tasks(GAME, "test")[:100]
    rate = {kind: policies.evaluate_policy(GAME, lambda i, k=kind: scripted(k, seed=i), tasks)["success_rate"]
            for kind in ("random", "heuristic", "expert")}
    assert rate["expert"] >= 0.95 and rate["expert"] > rate["heuristic"] + 0.15
    assert rate["heuristic"] > rate["random"] + 0.2, rate
