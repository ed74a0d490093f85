"""Customer service: the fault manuals, scenario generation, the offline customer's rules and the LLM hooks."""

import itertools
import json
from collections import Counter

import pytest

from curiosa import envs
from curiosa.envs.customer_service import (
    ALREADY_REPLY, ASKED_NO, ASKED_YES, EXAMPLE_FIX, MULTI_REPLY, SUCCESS_REPLY, WRONG_REPLY, CustomerServiceEnv, candidates,
    classify_fixes, complaint_of, manual_class, manual_reply, match_topic, matched_faults, openings, parse_customer,
    parse_instruction, product_topics, read_move, tried_reply,
)
from curiosa.envs.customer_service_scenarios import NA_REPLY, PRODUCT_BY_KEY, PRODUCTS, UNKNOWN_REPLY, VAGUE
from curiosa.envs.task import Task
from curiosa.envs.text import CHARSET, REPLY_FORMAT

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


# ------------------------------------------------------------------------------------------ the manuals
def test_products_are_many_and_each_complaint_has_several_faults():
    assert len(PRODUCTS) >= 14
    names = {p.name for p in PRODUCTS}
    for needed in ("router", "printer", "laptop", "phone", "washing machine", "dishwasher", "smart TV", "car",
                   "bicycle", "coffee machine", "game console", "fridge", "wireless headphones"):
        assert needed in names
    for p in PRODUCTS:
        assert len(p.faults) >= 5 and len({f.key for f in p.faults}) == len(p.faults)
        for complaint in p.complaints:
            assert len(candidates(p, complaint)) >= 2, (p.key, complaint)


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.key)
def test_each_fix_phrasing_names_exactly_its_fault(product):
    for fault in product.faults:
        assert classify_fixes(product, fault.fix) == ([fault.key], []), fault.fix
        assert matched_faults(product, fault.tried) == [fault.key], fault.tried
    for generic in product.tries:
        assert matched_faults(product, generic) == [], generic


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.key)
def test_topic_questions_map_to_their_topic_and_propose_nothing(product):
    for key, topic in product_topics(product).items():
        for question in topic.questions:
            assert read_move(product, question) == ("question", key, []), question


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.key)
def test_faults_of_a_complaint_can_be_told_apart(product):
    topics = [t for t in product_topics(product) if t != "tried"]
    for complaint in (*product.complaints, VAGUE):
        for a, b in itertools.combinations(candidates(product, complaint), 2):
            assert any(manual_class(product, a, t) != manual_class(product, b, t) for t in topics), (a.key, b.key)


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.key)
def test_customer_words_are_plain_and_never_give_the_fix_away(product):
    topics = product_topics(product)
    assert set(product.facts) <= set(topics)
    for complaint in (*product.complaints, VAGUE):
        for opening in openings(product, complaint):
            assert opening.isascii() and matched_faults(product, opening) == [], opening
    for fault in product.faults:
        assert set(fault.facts) <= set(topics), fault.key
        assert fault.complaint in product.complaints
        for topic in topics:
            reply = manual_reply(product, fault, topic)
            if reply is not None:
                assert set(reply) <= set(CHARSET) and reply.isascii()
                assert fault.key not in matched_faults(product, reply), (fault.key, reply)


# ------------------------------------------------------------------------------------------ tasks
def test_tasks_sizes_deterministic_disjoint_and_distinct():
    train, test = envs.load_tasks(GAME, "train"), envs.load_tasks(GAME, "test")
    assert len(train) >= 628 and len(test) >= 200
    assert [t.to_dict() for t in test] == [t.to_dict() for t in CustomerServiceEnv.build_tasks("test")]
    hidden = lambda ts: [json.dumps(t.params, sort_keys=True) for t in ts]  # noqa: E731
    assert len(set(hidden(train))) == len(train) and len(set(hidden(test))) == len(test)
    assert not set(hidden(train)) & set(hidden(test))
    assert not {t.params["name"] for t in train} & {t.params["name"] for t in test}, "customers are split"
    all_faults = {(p.key, f.key) for p in PRODUCTS for f in p.faults}
    for tasks in (train, test):
        assert {(t.params["product"], t.params["fault"]) for t in tasks} == all_faults
        vague = sum(t.params["complaint"] == VAGUE for t in tasks) / len(tasks)
        assert 0.25 < vague < 0.55


def test_task_details_are_consistent():
    for t in envs.load_tasks(GAME, "test") + envs.load_tasks(GAME, "train")[:300]:
        p = t.params
        product = PRODUCT_BY_KEY[p["product"]]
        fault = product.fault(p["fault"])
        assert complaint_of(product, p["opening"]) == p["complaint"] in (VAGUE, fault.complaint)
        assert p["symptom"] in openings(product, fault.complaint)
        assert p["tried_fault"] != fault.key
        expected = [p["tried_fault"]] if p["tried_fault"] else []
        assert matched_faults(product, tried_reply(p["tried"])) == expected


# ------------------------------------------------------------------------------------------ the instruction
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


# ------------------------------------------------------------------------------------------ the customer
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


def test_one_topic_per_message_best_keyword_then_earliest():
    assert match_topic(ROUTER, "Does it make a noise when you turn it on?") == "noise"
    assert match_topic(ROUTER, "When you turn it on, do the lights come on?") == "lights"
    assert match_topic(ROUTER, "Is there an error message, and what do the lights do?") == "error"
    assert match_topic(ROUTER, "Is it connected to the Wi-Fi?") == "wifi"
    assert match_topic(ROUTER, "Hello, how are you?") is None


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


def test_diagnostic_instructions_and_questions_about_a_fix_are_not_fixes():
    assert read_move(ROUTER, "Turn it on and tell me what the lights do.")[0] == "question"
    assert read_move(ROUTER, "Is the firmware up to date?")[0] == "question"
    assert read_move(ROUTER, "Restart the router.")[0] == "action"
    assert read_move(ROUTER, "Could you replace the power supply?")[0] == "action"


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


# ------------------------------------------------------------------------------------------ LLM hooks
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
