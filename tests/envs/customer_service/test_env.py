"""Customer service: the instruction, the offline customer's rules and the LLM hooks."""

import json
from collections import Counter

from curiosa import envs
from curiosa.envs.customer_service import (
    ALREADY_REPLY, ASKED_NO, ASKED_YES, EXAMPLE_FIX, MULTI_REPLY, NA_REPLY, PRODUCT_BY_KEY, PRODUCTS, SUCCESS_REPLY,
    UNKNOWN_REPLY, VAGUE, WRONG_REPLY, CustomerServiceEnv, parse_customer, parse_instruction, read_move,
)
from curiosa.envs.task import Task
from curiosa.envs.text import REPLY_FORMAT

GAME = "customer_service"
envs.register(CustomerServiceEnv)  # a no-op once the registry lists the game

ROUTER = PRODUCT_BY_KEY["router"]
SCENARIO = {
    "product": "router", "fault": "loose_cable", "complaint": "no_internet",
    "opening": "My internet isn't working at all.", "symptom": "My internet isn't working at all.",
    "name": "Maria", "model": "SkyBox 2", "age": "about two years old", "since": "It started yesterday.",
    "tried": ["restarted my laptop", "typed the Wi-Fi password in again"], "tried_fault": "new_password",
}


def _env(**changes):
    task = Task("customer_service-test-99999", GAME, "test", {**SCENARIO, **changes})
    env = CustomerServiceEnv(task)
    env.reset(seed=0)
    return env


def _say(env, text):
    return env.step(f"Thought: test\nAnswer: {text}")


def test_instruction_states_role_product_budget_and_format():
    env = _env()
    obs, _ = env.reset(seed=3)
    assert obs.endswith(REPLY_FORMAT) and obs.isascii()
    assert "Product: router (SkyBox 2, about two years old)" in obs
    assert 'Maria says: "My internet isn\'t working at all."' in obs
    assert "20 turns" in obs and "After 2 fixes that do not work" in obs and "Answer:" in obs
    assert all(read_move(p, EXAMPLE_FIX)[0] == "action" for p in PRODUCTS)
    assert parse_instruction(obs)[0] is ROUTER and parse_instruction(obs)[1:] == ("no_internet", "Maria")
    vague = _env(complaint=VAGUE, opening="Something is wrong with my router.")
    assert parse_instruction(vague.reset(seed=0)[0])[1] == VAGUE


def test_questions_get_plain_answers_from_the_scenario():
    env = _env()
    obs, reward, term, trunc, info = _say(env, "Are any of the lights blinking or off?")
    assert obs.splitlines()[0] == "Maria: The light with the little globe picture is off, but the others are on."
    assert obs.splitlines()[1] == "Turns left: 19. Failed fixes: 0 of 2."
    assert info["feedback"] == {"reply": parse_customer(obs, "Maria"), "kind": "question", "topic": "lights",
                                "fixed": False, "failed_fixes": 0}
    assert not term and reward == 0.0
    assert _say(env, "When did the problem start?")[0].startswith("Maria: It started yesterday.")
    assert parse_customer(_say(env, "What have you already tried?")[0], "Maria") == (
        "I already restarted my laptop and typed the Wi-Fi password in again, but it didn't help.")
    assert parse_customer(_say(env, "Do you notice any smell?")[0], "Maria") == NA_REPLY
    assert parse_customer(_say(env, "How fast is it working?")[0], "Maria") == "Nothing loads at all, so I can't say."
    assert parse_customer(_say(env, "What exactly is the problem?")[0], "Maria") == SCENARIO["symptom"]
    assert parse_customer(_say(env, "How old is it?")[0], "Maria") == "It's the SkyBox 2, about two years old."


def test_unknown_message_uses_a_turn_with_a_fixed_reply():
    env = _env()
    obs, _, term, _, info = _say(env, "Banana?")
    assert obs.startswith(f"Maria: {UNKNOWN_REPLY}") and info["turn"] == 1 and not term
    assert info["feedback"]["kind"] == "unknown" and info["feedback"]["topic"] is None


def test_true_fix_wins_in_any_phrasing():
    for text in ("Push the cable from the wall socket firmly back into the router.",
                 "Okay. Could you try reconnecting the cable to the router?",
                 "I think a cable came loose. Please plug the cable back in firmly."):
        env = _env()
        obs, reward, term, trunc, info = _say(env, text)
        assert term and reward == 1.0 and info["success"], text
        assert obs.startswith(f"Maria: {SUCCESS_REPLY}") and "You win" in obs
        assert info["feedback"]["kind"] == "fix" and info["feedback"]["fixed"] is True


def test_wrong_fixes_fail_and_the_customer_gives_up_after_two():
    env = _env()
    obs, reward, term, _, info = _say(env, "Please move the router away from the microwave.")
    assert obs.startswith(f"Maria: {WRONG_REPLY}") and "Failed fixes: 1 of 2." in obs and not term
    assert info["feedback"] == {"reply": WRONG_REPLY, "kind": "fix", "topic": None, "fixed": False, "failed_fixes": 1}
    obs, reward, term, trunc, info = _say(env, "Try restarting it.")  # outside the manual: fails too
    assert term and not trunc and reward == 0.0 and not info["success"]
    assert "I give up" in obs and "The problem was a loose cable" in obs and info["feedback"]["failed_fixes"] == 2


def test_already_tried_fix_and_past_questions():
    env = _env()
    obs, *_ = _say(env, "Have you re-entered the Wi-Fi password?")
    assert obs.startswith(f"Maria: {ASKED_YES}") and "Failed fixes: 0" in obs
    obs, *_ = _say(env, "Did you push the cable back into the router?")
    assert obs.startswith(f"Maria: {ASKED_NO}")
    obs, _, term, _, info = _say(env, "Please type the Wi-Fi password in again.")
    assert obs.startswith(f"Maria: {ALREADY_REPLY}") and info["feedback"]["failed_fixes"] == 1 and not term


def test_several_fixes_at_once_are_refused_without_penalty():
    env = _env()
    obs, _, term, _, info = _say(env, "Plug the cable back in and update the firmware.")
    assert obs.startswith(f"Maria: {MULTI_REPLY}") and not term and not info["success"]
    assert info["feedback"]["failed_fixes"] == 0


def test_failed_fix_count_survives_an_unreadable_reply():
    env = _env()
    _say(env, "Please move the router away from the microwave.")
    obs, _, _, _, info = env.step("no answer line")
    assert info["format_error"] and info["feedback"]["failed_fixes"] == 1


def test_turn_limit_reveals_the_fault():
    env = _env()
    for _ in range(env.max_turns):
        obs, _, term, trunc, _ = _say(env, "Do you notice any smell?")
    assert trunc and not term and "The problem was a loose cable" in obs and "Push the cable" in obs


def test_llm_prompt_holds_the_scenario_and_the_rules():
    env = _env()
    prompt = env.llm_simulator_prompt()
    for needed in ("Maria", "router", "SkyBox 2", SCENARIO["opening"],
                   "The light with the little globe picture is off", "looks like it's hanging out a bit",
                   "It started yesterday.", "typed the Wi-Fi password in again", "a loose cable between the wall socket",
                   "Push the cable from the wall socket firmly back", "never", UNKNOWN_REPLY):
        assert needed in prompt, needed
    assert prompt.isascii()


def test_llm_judge_and_feedback():
    env = _env()
    spec = env.llm_judge("Please plug the cable back in.")
    assert spec.question.startswith("Does the message propose to push the cable from the wall socket firmly")
    assert spec.question.endswith("(or an equivalent action) as the fix?")
    assert dict(spec.labels) == {"yes": (True, True), "no": (False, False)}
    assert env.llm_feedback("Please plug the cable back in.", "yes")["fixed"] is True
    assert env.llm_feedback("Do the lights blink?", "no") == {"kind": "question", "topic": "lights", "fixed": False,
                                                              "failed_fixes": None}
    assert env.llm_feedback("Please update the firmware.", "no")["kind"] == "fix"


def test_llm_extract_reply_strips_roles_and_rejects_empty_or_leaking_replies():
    env = _env()
    assert env.llm_extract_reply("Customer: The light is red.") == "The light is red."
    assert env.llm_extract_reply('**Maria:** "It is quite warm."') == "It is quite warm."
    assert env.llm_extract_reply("  It beeps twice.  ") == "It beeps twice."
    assert env.llm_extract_reply("") is None and env.llm_extract_reply("Customer:  ") is None
    assert env.llm_extract_reply("Maybe I should push the cable back into the router?") is None
    assert env.llm_extract_reply("I moved the microwave, but it didn't help.") is not None


def test_any_text_keeps_observations_in_the_charset():
    env = _env()
    counts = Counter()
    for text in ("", "Answer:", "Answer: ???", "Answer: \u00e9t\u00e9 \u2603 caf\u00e9", "Answer: " + "x" * 5000,
                 "Answer: Please clean the filter!!!", "<answer>What lights?</answer>"):
        obs, _, term, trunc, info = env.step(text)
        assert env.observation_space.contains(obs)
        counts[info["format_error"]] += 1
        json.dumps(info["feedback"])
        if term or trunc:
            break
    assert counts[True] >= 2
