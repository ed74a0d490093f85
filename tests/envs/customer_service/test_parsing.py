"""Customer service: how the offline customer reads a message (one topic, fixes vs questions)."""

from curiosa.envs.customer_service import PRODUCT_BY_KEY, match_topic, read_move

ROUTER = PRODUCT_BY_KEY["router"]


def test_one_topic_per_message_best_keyword_then_earliest():
    assert match_topic(ROUTER, "Does it make a noise when you turn it on?") == "noise"
    assert match_topic(ROUTER, "When you turn it on, do the lights come on?") == "lights"
    assert match_topic(ROUTER, "Is there an error message, and what do the lights do?") == "error"
    assert match_topic(ROUTER, "Is it connected to the Wi-Fi?") == "wifi"
    assert match_topic(ROUTER, "Hello, how are you?") is None


def test_diagnostic_instructions_and_questions_about_a_fix_are_not_fixes():
    assert read_move(ROUTER, "Turn it on and tell me what the lights do.")[0] == "question"
    assert read_move(ROUTER, "Is the firmware up to date?")[0] == "question"
    assert read_move(ROUTER, "Restart the router.")[0] == "action"
    assert read_move(ROUTER, "Could you replace the power supply?")[0] == "action"
