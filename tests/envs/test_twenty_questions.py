"""twenty_questions: catalogue, tasks, the offline simulator's reading of questions, LLM hooks."""

import json
from pathlib import Path

import pytest

from curiosa import envs
from curiosa.envs.text import CHARSET, REPLY_FORMAT
from curiosa.envs.twenty_questions import (
    UNKNOWN_REPLY, TwentyQuestionsEnv, catalogue, catalogue_stats, extract_llm_reply, interpret, parse_category,
    parse_reply, score_paraphrases,
)

GAME = "twenty_questions"
PARAPHRASES = Path(__file__).parent / "data" / "twenty_questions_paraphrases.json"


def task_for(category, entity):
    for split in ("train", "test"):
        for task in envs.load_tasks(GAME, split):
            if task.params == {"category": category, "entity": entity}:
                return task
    raise AssertionError(f"no task for {category}/{entity}")


def play(category, entity, *moves):
    env = envs.make(GAME, task=task_for(category, entity))
    obs, _ = env.reset(seed=0)
    steps = [env.step("Thought: testing.\nAnswer: " + move) for move in moves]
    return env, obs, steps


def feedback(category, entity, move):
    _, _, [(obs, reward, terminated, truncated, info)] = play(category, entity, move)
    return obs, info["feedback"], terminated, info


# --------------------------------------------------------------------------- catalogue
def test_catalogue_is_large_and_complete():
    stats = catalogue_stats()
    assert stats["entities"] >= 400 and stats["categories"] >= 15 and stats["min_attributes_per_entity"] >= 40
    for cat in catalogue().categories.values():
        assert len(cat.entities) >= 20
        vectors = set()
        for ent in cat.entities:
            assert set(ent.values) == set(cat.attributes) and all(isinstance(v, bool) for v in ent.values.values())
            vectors.add(tuple(ent.values[a] for a in cat.attributes))
        assert len(vectors) == len(cat.entities), f"{cat.id}: two entities share every answer"
        for attr in cat.attributes:
            assert cat.questions[attr] and all(q.isascii() for q in cat.questions[attr])


def test_some_facts_of_the_catalogue():
    cats = catalogue().categories
    giraffe = cats["animals"].entity("giraffe")
    assert giraffe.values["mammal"] and giraffe.values["long_neck"] and giraffe.values["africa"]
    assert not giraffe.values["carnivore"] and not giraffe.values["fly"]
    penguin = cats["animals"].entity("penguin")
    assert penguin.values["bird"] and not penguin.values["fly"] and penguin.values["swim"]
    assert cats["fruits_vegetables"].entity("tomato").values["native_americas"]
    assert cats["landmarks"].entity("eiffel_tower").values["city_paris"]
    assert not cats["landmarks"].entity("mount_everest").values["man_made"]
    assert cats["body_parts"].entity("heart").values["pumps_blood"]
    for cat_id, attr, value in [("animals", "alive", True), ("fruits_vegetables", "edible", True),
                                ("household", "man_made", True), ("weather", "man_made", False),
                                ("electronics", "electric", True), ("foods", "edible", True)]:
        assert all(e.values[attr] is value for e in cats[cat_id].entities), (cat_id, attr)


def test_every_catalogue_phrasing_is_read_as_its_attribute():
    for cat in catalogue().categories.values():
        for attr in cat.attributes:
            for question in cat.questions[attr]:
                r = interpret(question, cat.id)
                assert r.kind == "question" and not r.negated and r.other_attribute is None, (cat.id, question, r)
                same = r.attribute == attr or all(e.values[attr] == e.values[r.attribute] for e in cat.entities)
                assert same, (cat.id, question, attr, r.attribute)


def test_every_name_and_alias_is_read_as_a_guess_of_its_entity():
    for cat in catalogue().categories.values():
        for ent in cat.entities:
            for label in ent.names:
                for move in (f"Is it a {label}?", label, f"My guess is the {label}."):
                    r = interpret(move, cat.id)
                    assert r.kind == "guess" and r.entity is ent, (cat.id, move, r)


# --------------------------------------------------------------------------- tasks
def test_tasks_split_by_entity_deterministically():
    train, test = envs.load_tasks(GAME, "train"), envs.load_tasks(GAME, "test")
    assert [t.to_dict() for t in test] == [t.to_dict() for t in TwentyQuestionsEnv.build_tasks("test")]
    keys = lambda ts: {(t.params["category"], t.params["entity"]) for t in ts}  # noqa: E731
    assert len(keys(train)) == len(train) and len(keys(test)) == len(test)
    assert not keys(train) & keys(test)
    everything = {(c.id, e.id) for c in catalogue().categories.values() for e in c.entities}
    assert keys(train) | keys(test) == everything
    assert len(test) >= 0.15 * len(everything) and len(train) >= 0.75 * len(everything)
    assert {t.params["category"] for t in test} == set(catalogue().categories)


# --------------------------------------------------------------------------- instruction and replies
def test_instruction_announces_the_category_and_format():
    env = envs.make(GAME, task=task_for("animals", "giraffe"))
    obs, _ = env.reset(seed=0)
    assert "Category: animals" in obs and obs.endswith(REPLY_FORMAT) and "20 turns" in obs
    assert "giraffe" not in obs.lower() and set(obs) <= set(CHARSET)
    assert parse_category(obs).id == "animals"


def test_yes_no_answers_and_feedback():
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
def test_paraphrases_and_negations(move, answer):
    _, fb, _, _ = feedback("animals", "giraffe", move)
    assert fb["kind"] == "question" and fb["answer"] == answer, fb


def test_guesses_by_name_alias_typo_and_forms():
    for move in ("Is it a giraffe?", "giraffe", "My guess is the giraffe", "Is it a girafe?", "I think it's a giraffe.",
                 "Is the animal a giraffe?", "camelopard"):
        _, fb, done, info = feedback("animals", "giraffe", move)
        assert done and info["success"] and fb["kind"] == "guess" and fb["answer"] == "goal", move


def test_wrong_guess_is_no_and_the_game_goes_on():
    env, _, steps = play("animals", "giraffe", "Is it a zebra?", "Is it a wombat?", "Is it a banana?")
    for obs, reward, terminated, truncated, info in steps:
        assert obs.startswith("No.") and reward == 0.0 and not terminated
        assert info["feedback"]["kind"] == "guess" and info["feedback"]["answer"] == "no"
    assert [s[4]["feedback"]["guess"] for s in steps] == ["zebra", "wombat", "banana"]
    obs, reward, terminated, _, info = env.step("Answer: Is it a giraffe?")
    assert terminated and reward == 1.0 and info["success"] and info["turn"] == 4


def test_colour_question_versus_fruit_guess():
    _, fb, done, _ = feedback("fruits_vegetables", "carrot", "Is it orange?")
    assert fb["kind"] == "question" and fb["answer"] == "yes" and not done
    _, fb, done, _ = feedback("fruits_vegetables", "carrot", "Is it an orange?")
    assert fb["kind"] == "guess" and fb["answer"] == "no" and not done


def test_unknown_questions_get_one_fixed_reply_and_use_a_turn():
    for move in ("What colour is it?", "Tell me a story about pirates", "Is it bigger than a car?", "zzzz qqqq"):
        obs, fb, done, info = feedback("animals", "giraffe", move)
        assert fb == {"reply": UNKNOWN_REPLY, "kind": "unknown", "answer": None, "attribute": None}
        assert obs.startswith(UNKNOWN_REPLY) and not done and info["turn"] == 1 and not info["invalid_action"]


def test_loss_reveals_the_secret():
    env, _, steps = play("body_parts", "heart", *["Is it a bone?"] * 20)
    obs, _, terminated, truncated, info = steps[-1]
    assert truncated and not terminated and not info["success"] and "heart" in obs


def test_feedback_is_json_and_observations_ascii():
    _, _, steps = play("landmarks", "eiffel_tower", "Is it in Paris?", "Est-ce en France ?", "Is it the Eiffel Tower?")
    for obs, *_, info in steps:
        json.dumps(info["feedback"])
        assert obs.isascii()
    assert steps[-1][4]["success"]


# --------------------------------------------------------------------------- paraphrase accuracy
def test_held_out_paraphrase_accuracy():
    items = json.loads(PARAPHRASES.read_text())["items"]
    assert len(items) >= 200
    report = score_paraphrases(items)
    print(f"paraphrases: accuracy {report['accuracy']:.3f}, wrong {report['wrong_rate']:.3f}, "
          f"not understood {report['not_understood_rate']:.3f}")
    assert report["accuracy"] >= 0.85
    assert report["wrong_rate"] <= 0.03, report["misses"]


# --------------------------------------------------------------------------- LLM hooks
def test_llm_simulator_prompt_names_the_secret_and_the_reply_form():
    env = envs.make(GAME, task=task_for("animals", "giraffe"))
    env.reset(seed=0)
    prompt = env.llm_simulator_prompt()
    for text in ("giraffe", "camelopard", "animals", "Yes", "No", "Goal reached", "Is it a mammal"):
        assert text in prompt
    assert "Does it eat meat" not in prompt  # only the true facts are listed


def test_llm_reply_extraction_is_strict():
    assert extract_llm_reply("Yes") == "Yes" and extract_llm_reply(" no. ") == "No"
    assert extract_llm_reply("**Goal reached!**") == "Goal reached" and extract_llm_reply("'YES'") == "Yes"
    for text in ("Yes, it is.", "Maybe", "I think so", "", "No no", "Goal"):
        assert extract_llm_reply(text) is None, text


def test_llm_judge_and_feedback():
    env = envs.make(GAME, task=task_for("animals", "giraffe"))
    env.reset(seed=0)
    spec = env.llm_judge("Is it a giraffe?")
    assert "giraffe" in spec.question and "camelopard" in spec.question
    assert spec.labels == {"yes": (True, True), "no": (False, False)}
    assert env.llm_feedback("Is it a giraffe?", "yes") == {"kind": "guess", "answer": "goal", "attribute": None}
    assert env.llm_feedback("Does it have fur?", "no") == {"kind": "question", "answer": None, "attribute": "fur"}
