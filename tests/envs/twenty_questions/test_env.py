"""twenty_questions environment: tasks, the instruction, the end of a game, JSON feedback."""

import json

from curiosa import envs
from curiosa.envs.text import CHARSET, REPLY_FORMAT
from curiosa.envs.twenty_questions.catalogue import catalogue
from curiosa.envs.twenty_questions.env import TwentyQuestionsEnv
from curiosa.envs.twenty_questions.replies import parse_category

GAME = "twenty_questions"


def test_registry_entry_resolves_to_the_package():
    assert type(envs.make(GAME)) is TwentyQuestionsEnv


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


def test_instruction_announces_the_category_and_format(task_for):
    env = envs.make(GAME, task=task_for("animals", "giraffe"))
    obs, _ = env.reset(seed=0)
    assert "Category: animals" in obs and obs.endswith(REPLY_FORMAT) and "20 turns" in obs
    assert "giraffe" not in obs.lower() and set(obs) <= set(CHARSET)
    assert parse_category(obs).id == "animals"


def test_loss_reveals_the_secret(play):
    env, _, steps = play("body_parts", "heart", *["Is it a bone?"] * 20)
    obs, _, terminated, truncated, info = steps[-1]
    assert truncated and not terminated and not info["success"] and "heart" in obs


def test_feedback_is_json_and_observations_ascii(play):
    _, _, steps = play("landmarks", "eiffel_tower", "Is it in Paris?", "Est-ce en France ?", "Is it the Eiffel Tower?")
    for obs, *_, info in steps:
        json.dumps(info["feedback"])
        assert obs.isascii()
    assert steps[-1][4]["success"]


def test_package_reexports_what_other_layers_import():
    import curiosa.envs.twenty_questions as package

    for name in ("Category", "Entity", "TwentyQuestionsEnv", "UNKNOWN_REPLY", "catalogue", "catalogue_stats",
                 "extract_llm_reply", "interpret", "parse_category", "parse_reply", "score_paraphrases"):
        assert name in package.__all__ and hasattr(package, name), name
