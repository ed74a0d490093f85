"""twenty_questions: the offline host's replies to questions, guesses and moves it cannot read."""

import pytest

from curiosa.envs.twenty_questions.answers import OPEN_QUESTION_REPLY, UNKNOWN_REPLY, UNSURE_REPLY
from curiosa.envs.twenty_questions.replies import parse_reply


def test_yes_no_answers_and_feedback(feedback):
    obs, fb, done, _ = feedback("animals", "giraffe", "Is it a mammal?")
    assert fb == {"reply": "Yes.", "kind": "question", "answer": "yes", "attribute": "mammal"}
    assert obs == "Yes. 19 turns left." and not done and parse_reply(obs) == "yes"
    obs, fb, _, _ = feedback("animals", "giraffe", "Does it eat meat?")
    assert fb["answer"] == "no" and fb["attribute"] == "eats_meat" and parse_reply(obs) == "no"


@pytest.mark.parametrize("move, answer", [
    ("Is it not a mammal?", "no"),            # negation flips
    ("Isn't it a mammal?", "yes"),            # a negative auxiliary asks the positive question
    ("Does it have no legs?", "no"),
    ("Is it cold-blooded?", "no"),            # synonym that carries a negation
    ("Is it small?", "no"),
    ("Would you find it in Africa?", "yes"),  # filler words
    ("does it have hoofs", "yes"),            # plural and spelling variants
    ("OK, is it African?", "yes"),
    ("Is it a herbivore or a carnivore?", "yes"),  # two attributes joined by "or"
    ("Is it a carnivore and does it live in Africa?", "no"),
    ("Is it an animal?", "yes"),              # the category itself
])
def test_paraphrases_and_negations(feedback, move, answer):
    _, fb, _, _ = feedback("animals", "giraffe", move)
    assert fb["kind"] == "question" and fb["answer"] == answer, fb


def test_guesses_by_name_alias_typo_and_forms(feedback):
    for move in ("Is it a giraffe?", "giraffe", "My guess is the giraffe", "Is it a girafe?", "I think it's a giraffe.",
                 "Is the animal a giraffe?", "camelopard"):
        _, fb, done, info = feedback("animals", "giraffe", move)
        assert done and info["success"] and fb["kind"] == "guess" and fb["answer"] == "goal", move


def test_wrong_guess_is_no_and_the_game_goes_on(play):
    env, _, steps = play("animals", "giraffe", "Is it a zebra?", "Is it a wombat?", "Is it a banana?")
    for obs, reward, terminated, truncated, info in steps:
        assert obs.startswith("No.") and reward == 0.0 and not terminated
        assert info["feedback"]["kind"] == "guess" and info["feedback"]["answer"] == "no"
    assert [s[4]["feedback"]["guess"] for s in steps] == ["zebra", "wombat", "banana"]
    obs, reward, terminated, _, info = env.step("Answer: Is it a giraffe?")
    assert terminated and reward == 1.0 and info["success"] and info["turn"] == 4


def test_colour_question_versus_fruit_guess(feedback):
    _, fb, done, _ = feedback("fruits_vegetables", "carrot", "Is it orange?")
    assert fb["kind"] == "question" and fb["answer"] == "yes" and not done
    _, fb, done, _ = feedback("fruits_vegetables", "carrot", "Is it an orange?")
    assert fb["kind"] == "guess" and fb["answer"] == "no" and not done


def test_unmapped_yes_no_questions_get_an_honest_short_reply(feedback):
    for move in ("Does it like jazz?", "Would it win an election?"):
        obs, fb, done, info = feedback("animals", "giraffe", move)
        assert fb == {"reply": UNSURE_REPLY, "kind": "question", "answer": "unsure", "attribute": None}, move
        assert obs == "I'm not sure. 19 turns left." and parse_reply(obs) is None
        assert not done and info["turn"] == 1 and not info["invalid_action"]


def test_open_questions_and_unreadable_moves_get_fixed_replies_and_use_a_turn(feedback):
    for move, reply in (("What colour is it?", OPEN_QUESTION_REPLY), ("Where does it live?", OPEN_QUESTION_REPLY),
                        ("Tell me a story about pirates", UNKNOWN_REPLY), ("zzzz qqqq", UNKNOWN_REPLY)):
        obs, fb, done, info = feedback("animals", "giraffe", move)
        assert fb == {"reply": reply, "kind": "unknown", "answer": None, "attribute": None}, move
        assert obs.startswith(reply) and not done and info["turn"] == 1 and not info["invalid_action"]


@pytest.mark.parametrize("category, entity, move, answer", [
    ("animals", "giraffe", "Is it bigger than a car?", "yes"),   # general properties, asked of every entity
    ("animals", "mouse", "Is it bigger than a breadbox?", "no"),
    ("board_games", "chess", "Is it alive?", "no"),
    ("board_games", "chess", "Is it made of wood?", "yes"),
    ("sports", "soccer", "Is it found indoors?", "no"),
    ("landmarks", "eiffel_tower", "Is it made of metal?", "yes"),
    ("professions", "firefighter", "Is it a person?", "yes"),
    ("weather", "rainbow", "Is it colourful?", "yes"),
    ("animals", "blue_whale", "Is it small?", "no"),
    ("animals", "penguin", "Can it fly?", "no"),
    ("household", "fork", "Is it quiet?", "yes"),             # a synonym that carries a negation
    ("animals", "giraffe", "Is it a creature?", "yes"),       # another word for the category
])
def test_general_properties(feedback, category, entity, move, answer):
    _, fb, _, _ = feedback(category, entity, move)
    assert fb["kind"] == "question" and fb["answer"] == answer, (move, fb)
