"""Murder mystery: the offline narrator's rules, move reading, reading the text back and the LLM hooks."""

import json

import pytest

from curiosa import envs
from curiosa.envs.murder_mystery import (
    UNKNOWN_REPLY, MurderMysteryEnv, claim_check, parse_instruction, read_action, read_evidence, read_statement,
    read_testimony,
)
from curiosa.envs.text import CHARSET, REPLY_FORMAT

GAME = "murder_mystery"
envs.register(MurderMysteryEnv)  # a no-op once the registry lists the game


def _suspect(title, first, last, gender, occupation, place, check, target, statement, testimony=None, motive=None):
    return {"title": title, "first": first, "last": last, "gender": gender, "occupation": occupation,
            "name": f"{title} {last}", "claimed_place": place, "check": check, "check_target": target,
            "statement": statement, "testimony": testimony or {}, "motive": motive}


def _clue(cid, action, target, kind, suspect, text, about=None):
    return {"id": cid, "action": action, "target": target, "about": about, "kind": kind, "suspect": suspect,
            "text": text}


HALE = 'I was in the billiard room from nine until ten, playing cards with Mrs Price.'
PRICE = "I was in the library from nine until ten, reading. I left my novel and my spectacles there."
KENDRICK = "I was in the drawing room from nine until ten, playing chess with Ms Vance."
VANCE = "I was in the drawing room from nine until ten, playing chess with Dr Kendrick."

CASE = {
    "setting": "Blackwood Manor", "staff": "a maid",
    "victim": {"title": "Lord", "first": "Edmund", "last": "Ashcroft", "gender": "m",
               "role": "the owner of Blackwood Manor"},
    "cause": "blunt", "scene": "study", "weapon": "silver candlestick", "culprit": "Colonel Hale",
    "suspects": [
        _suspect("Colonel", "Arthur", "Hale", "m", "a retired army officer", "billiard room", "witness", "Mrs Price",
                 HALE, {"Mrs Price": 'Colonel Hale says about Mrs Price: "Mrs Price was with me in the billiard '
                                     'room from nine until ten."'}, "owed the victim a large gambling debt"),
        _suspect("Mrs", "Edith", "Price", "f", "a novelist", "library", "search", "library", PRICE,
                 motive="had just been cut out of the victim's will"),
        _suspect("Dr", "Basil", "Kendrick", "m", "a surgeon", "drawing room", "witness", "Ms Vance", KENDRICK),
        _suspect("Ms", "Nora", "Vance", "f", "a jazz singer", "drawing room", "witness", "Dr Kendrick", VANCE),
    ],
    "places": ["library", "study", "billiard room", "drawing room", "kitchen"],
    "items": ["silver candlestick", "brass poker", "torn letter"],
    "clues": [
        _clue("confirm-price", "search", "library", "confirm", "Mrs Price",
              "Mrs Price's novel and spectacles lie on a chair. This confirms Mrs Price's alibi."),
        _clue("contradict-hale", "question", "Mrs Price", "contradict", "Colonel Hale",
              'Mrs Price says about Colonel Hale: "I did not see Colonel Hale at all between nine and ten; I was in '
              'the library." This contradicts Colonel Hale\'s alibi.', about="Colonel Hale"),
        _clue("confirm-vance", "question", "Dr Kendrick", "confirm", "Ms Vance",
              'Dr Kendrick says about Ms Vance: "Ms Vance was with me in the drawing room from nine until ten and '
              'never left the room." This confirms Ms Vance\'s alibi.', about="Ms Vance"),
        _clue("confirm-kendrick", "question", "Ms Vance", "confirm", "Dr Kendrick",
              'Ms Vance says about Dr Kendrick: "Dr Kendrick was with me in the drawing room from nine until ten and '
              'never left the room." This confirms Dr Kendrick\'s alibi.', about="Dr Kendrick"),
        _clue("link-hale", "examine", "silver candlestick", "link", "Colonel Hale",
              "The silver candlestick is the murder weapon: there is blood on its base, and a clear fingerprint on "
              "it matches Colonel Hale's. This links the silver candlestick to Colonel Hale."),
        _clue("motive-price", "examine", "torn letter", "motive", "Mrs Price",
              "The torn letter shows that Mrs Price had just been cut out of the victim's will. "
              "This gives Mrs Price a motive."),
    ],
    "extras": {"brass poker": "The brass poker is clean; it was not used in the murder."},
}
NAMES = ["Colonel Hale", "Mrs Price", "Dr Kendrick", "Ms Vance"]


def _env(case=CASE):
    env = envs.make(GAME, task=envs.Task("murder_mystery-test-99990", GAME, "test", json.loads(json.dumps(case))))
    obs, _ = env.reset(seed=0)
    return env, obs


def _step(env, answer):
    return env.step(f"Thought: t\nAnswer: {answer}")


def test_instruction_lists_the_public_facts_and_parses_back():
    env, obs = _env()
    assert obs.endswith(REPLY_FORMAT) and "20 turns" in obs and all(c in CHARSET for c in obs)
    assert "Lord Edmund Ashcroft, the owner of Blackwood Manor, was found dead in the study" in obs
    assert "Suspects: Colonel Arthur Hale, a retired army officer; Mrs Edith Price, a novelist;" in obs
    assert "Answer: I accuse Ms Vance" in obs and "Answer: Ask Colonel Hale about his alibi" in obs
    public = parse_instruction(obs)
    assert public.names == NAMES and public.scene == "study" and public.cause == "blunt"
    assert public.places == CASE["places"] and public.items == CASE["items"] and public.max_turns == 20
    assert public.setting == "Blackwood Manor" and public.victim.name == "Lord Ashcroft"
    assert "Hale" in obs and "culprit" not in obs.lower() and "Colonel Hale is" not in obs


def test_instructions_of_all_test_tasks_parse():
    for task in envs.load_tasks(GAME, "test"):
        obs, _ = envs.make(GAME, task=task).reset(seed=0)
        public = parse_instruction(obs)
        assert public.names == [s["name"] for s in task.params["suspects"]]
        assert public.places == task.params["places"] and public.items == task.params["items"]
        assert public.scene == task.params["scene"] and public.cause == task.params["cause"]


def test_question_gives_the_statement_only():
    env, _ = _env()
    obs, reward, done, trunc, info = _step(env, "Ask Colonel Hale about his alibi")
    assert obs == f'Colonel Hale says: "{HALE}"\n19 turns left.'
    assert info["feedback"] == {"reply": f'Colonel Hale says: "{HALE}"', "kind": "question", "target": "Colonel Hale",
                                "about": None, "clue": None, "culprit_correct": None}
    assert not done and not info["invalid_action"] and reward == 0.0
    assert read_statement(obs, NAMES) == ("Colonel Hale", HALE)


def test_asking_one_suspect_about_another():
    env, _ = _env()
    obs, *_, info = _step(env, "Ask Mrs Price about Colonel Hale")
    assert info["feedback"]["clue"] == "contradict-hale" and info["feedback"]["about"] == "Colonel Hale"
    assert read_evidence(obs, NAMES) == [("contradict", "Colonel Hale")]
    assert read_testimony(obs, NAMES) == ("Mrs Price", "Colonel Hale") and read_statement(obs, NAMES) is None
    obs, *_, info = _step(env, "ask Dr Kendrick whether Ms Vance was with him")
    assert read_evidence(obs, NAMES) == [("confirm", "Ms Vance")] and info["feedback"]["clue"] == "confirm-vance"
    # the killer lies, but no evidence sentence comes with a lie
    obs, *_, info = _step(env, "Question Colonel Hale about Mrs Price")
    assert obs.startswith('Colonel Hale says about Mrs Price: "Mrs Price was with me')
    assert info["feedback"]["clue"] is None
    assert read_evidence(obs, NAMES) == []
    obs, *_, info = _step(env, "Ask Ms Vance about Mrs Price")
    assert obs.startswith('Ms Vance says about Mrs Price: "I cannot tell you where Mrs Price was')
    assert info["feedback"]["clue"] is None and not info["invalid_action"]


def test_search_and_examine():
    env, _ = _env()
    obs, *_, info = _step(env, "search the library")
    assert obs.startswith("You search the library. Mrs Price's novel") and info["feedback"]["clue"] == "confirm-price"
    assert read_action(obs) == ("search", "library") and read_evidence(obs, NAMES) == [("confirm", "Mrs Price")]
    obs, *_, info = _step(env, "Search the kitchen")
    assert obs.startswith("You search the kitchen. You find nothing of interest.") and info["feedback"]["clue"] is None
    obs, *_, info = _step(env, "examine the body")
    assert obs.startswith("You search the study, where Lord Ashcroft lies dead. Apart from the body, there is nothing")
    assert info["feedback"]["target"] == "study" and read_action(obs) == ("search", "study")
    obs, *_, info = _step(env, "Examine the poker")
    assert obs.startswith("You examine the brass poker. The brass poker is clean")
    assert info["feedback"]["kind"] == "examine"
    obs, *_, info = _step(env, "look at the candlestick")
    assert read_evidence(obs, NAMES) == [("link", "Colonel Hale")] and info["feedback"]["clue"] == "link-hale"
    obs, *_, info = _step(env, "Examine the torn letter")
    assert read_evidence(obs, NAMES) == [("motive", "Mrs Price")]
    again, *_ = _step(env, "Examine the torn letter")
    assert again.splitlines()[0] == obs.splitlines()[0], "repeating an action repeats its narration"


def test_right_accusation_wins():
    env, _ = _env()
    _step(env, "Question Hale")
    obs, reward, done, trunc, info = _step(env, "I accuse Colonel Hale")
    assert done and not trunc and info["success"] and reward == 1.0 and "confesses" in obs
    assert info["feedback"]["kind"] == "accuse" and info["feedback"]["culprit_correct"] is True
    assert info["turn"] == 2


def test_wrong_accusation_loses_and_reveals():
    env, _ = _env()
    obs, reward, done, trunc, info = _step(env, "Accuse Mrs Price of the murder")
    assert done and not info["success"] and reward == 0.0
    assert info["feedback"]["culprit_correct"] is False and info["feedback"]["target"] == "Mrs Price"
    assert "Mrs Price is innocent" in obs and "The killer was Colonel Hale" in obs


@pytest.mark.parametrize("answer, reason", [
    ("I accuse Mr Green", "names none of the suspects"),
    ("I accuse Lord Ashcroft", "is the victim"),
    ("I accuse Hale and Price", "exactly one suspect"),
])
def test_accusing_no_single_suspect_is_invalid_and_continues(answer, reason):
    env, _ = _env()
    obs, reward, done, trunc, info = _step(env, answer)
    assert not done and info["invalid_action"] and reason in obs and info["turn"] == 1
    assert info["feedback"]["kind"] == "accuse" and info["feedback"]["culprit_correct"] is None
    _, _, done, _, info = _step(env, "I accuse Hale")
    assert done and info["success"]


def test_unmapped_action_gets_the_fixed_reply():
    env, _ = _env()
    obs, _, done, _, info = _step(env, "dance a jig in the moonlight")
    assert obs == UNKNOWN_REPLY + "\n19 turns left." and info["invalid_action"] and not done
    assert info["feedback"]["kind"] == "unknown" and info["feedback"]["target"] is None
    obs, *_, info = _step(env, "Hale")  # a bare name: question or accuse?
    assert obs.startswith(UNKNOWN_REPLY) and info["invalid_action"]
    obs, *_, info = _step(env, "search the attic")
    assert info["invalid_action"] and info["feedback"]["kind"] == "search" and "library" in obs


def test_turn_limit_reveals_the_killer():
    env, _ = _env()
    for _ in range(19):
        _, _, done, trunc, _ = _step(env, "search the kitchen")
        assert not done and not trunc
    obs, _, done, trunc, info = _step(env, "search the kitchen")
    assert trunc and not done and "The killer was Colonel Hale" in obs and "turns left" not in obs


@pytest.mark.parametrize("answer, kind, target, about", [
    ("Ask Mr. Hale about his alibi", "question", "Colonel Hale", None),
    ("question hale", "question", "Colonel Hale", None),
    ("Where were you, Colonel Arthur Hale?", "question", "Colonel Hale", None),
    ("Arthur, where were you at nine?", "question", "Colonel Hale", None),
    ("talk to the novelist", "question", "Mrs Price", None),
    ("check Price's alibi", "question", "Mrs Price", None),
    ("Ask Doctor Kendrick about Nora Vance", "question", "Dr Kendrick", "Ms Vance"),
    ("SEARCH THE LIBRARY!!", "search", "library", None),
    ("look around the billiard room", "search", "billiard room", None),
    ("examine the drawing room", "search", "drawing room", None),
    ("go to the crime scene", "search", "study", None),
    ("kitchen", "search", "kitchen", None),
    ("examine the candlestick", "examine", "silver candlestick", None),
    ("dust the silver candlestick for prints", "examine", "silver candlestick", None),
    ("read the letter", "examine", "torn letter", None),
    ("I accuse Hale", "accuse", "Colonel Hale", None),
    ("Accuse Colonel Hale of the murder", "accuse", "Colonel Hale", None),
    ("Ms Vance is the killer", "accuse", "Ms Vance", None),
    ("It was Mrs Price!", "accuse", "Mrs Price", None),
    ("arrest Dr. Kendrick", "accuse", "Dr Kendrick", None),
    ("I will not accuse anyone yet; search the kitchen", "search", "kitchen", None),
])
def test_free_text_is_read_tolerantly(answer, kind, target, about):
    env, _ = _env()
    move = env.lexicon.read_move(answer)
    assert (move.kind, move.target, move.about, move.problem) == (kind, target, about, None)


def test_unreadable_reply_is_a_format_error():
    env, _ = _env()
    with pytest.raises(envs.FormatError):
        env.parse_reply("Answer: ?!")
    _, _, _, _, info = env.step("no answer line at all")
    assert info["format_error"] and info["turn"] == 1


def test_claim_check_reads_how_a_story_can_be_checked():
    public = parse_instruction(_env()[1])
    assert claim_check(HALE, "Colonel Hale", public) == ("question", "Mrs Price")
    assert claim_check(PRICE, "Mrs Price", public) == ("search", "library")
    assert claim_check("I was in the kitchen from nine until ten, sketching. My drawing is in the torn letter.",
                       "Ms Vance", public) == ("examine", "torn letter")


def test_simulator_prompt_holds_the_hidden_facts():
    env, _ = _env()
    prompt = env.llm_simulator_prompt()
    assert "the killer is Colonel Hale" in prompt and "silver candlestick" in prompt and "narrator" in prompt
    for clue in CASE["clues"]:
        assert clue["text"] in prompt
    for s in CASE["suspects"]:
        assert s["statement"] in prompt
    assert "Never say or hint who the killer is" in prompt and env.simulator_role == "the narrator"


def test_extract_reply_rejects_empty_text_and_naming_the_killer():
    env, _ = _env()
    good = "You search the library. This contradicts Colonel Hale's alibi."
    assert env.llm_extract_reply(f"  {good} ") == good
    assert env.llm_extract_reply("Narrator: You search the kitchen. You find nothing.") == (
        "You search the kitchen. You find nothing.")
    assert env.llm_extract_reply("Mrs Price is guilty of nothing but pride. Colonel Hale is calm.") is not None
    for bad in ["", "   ", "You search the study. Colonel Hale is the killer.", "It was Hale who did it.",
                "Thought: hm\nAnswer: search", "x" * 2000, "Colonel Arthur Hale confesses everything."]:
        assert env.llm_extract_reply(bad) is None, bad


def test_judge_asks_about_the_accusation():
    env, _ = _env()
    spec = env.llm_judge("I accuse Colonel Hale")
    assert "accuse" in spec.question and "Colonel Hale" in spec.question and "Mrs Price" in spec.question
    assert spec.labels == {"culprit": (True, True), "other": (True, False), "none": (False, False)}
