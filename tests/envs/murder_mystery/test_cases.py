"""Murder mystery: generated cases (sizes, determinism, well-formedness, solvability from the text)."""

import json
from collections import Counter

from curiosa import envs
from curiosa.envs.murder_mystery import (
    WEAPON_KIND, MurderMysteryEnv, case_pool, claim_check, generate_case, parse_instruction, read_evidence,
)

GAME = "murder_mystery"
envs.register(MurderMysteryEnv)  # a no-op once the registry lists the game


def _step(env, answer):
    return env.step(f"Thought: t\nAnswer: {answer}")


def test_task_sizes_determinism_and_disjointness():
    train, test = envs.load_tasks(GAME, "train"), envs.load_tasks(GAME, "test")
    assert (len(train), len(test)) == (1000, 200)
    hidden = [json.dumps(t.params, sort_keys=True) for t in train + test]
    assert len(set(hidden)) == len(hidden)
    assert generate_case(17) == generate_case(17) and generate_case(17) != generate_case(18)
    assert [t.to_dict() for t in test] == [t.to_dict() for t in envs.load_tasks(GAME, "test")]
    assert test[0].id == "murder_mystery-test-00000"


def test_every_case_is_well_formed():
    sizes = Counter()
    for case in case_pool():
        names = [s["name"] for s in case["suspects"]]
        sizes[len(names)] += 1
        assert 3 <= len(names) <= 6 and len(set(names)) == len(names)
        assert len({s["first"] for s in case["suspects"]}) == len(names)
        assert 5 <= len(case["places"]) <= 7 and case["scene"] in case["places"]
        assert case["weapon"] in case["items"] and WEAPON_KIND[case["weapon"]] == case["cause"]
        assert case["culprit"] in names and case["suspects"][names.index(case["culprit"])]["motive"]
        keys = [(c["action"], c["target"], c["about"]) for c in case["clues"]]
        assert len(set(keys)) == len(keys), "one clue per action"
        for c in case["clues"]:
            assert c["target"] in {"search": case["places"], "examine": case["items"], "question": names}[c["action"]]
        herrings = [c["suspect"] for c in case["clues"] if c["kind"] == "motive" and c["suspect"] != case["culprit"]]
        assert herrings, "some innocent suspect has a motive too"
        for s in case["suspects"]:
            assert s["claimed_place"] != case["scene"]
        text = json.dumps(case)
        assert text.isascii()
    assert set(sizes) == {3, 4, 5, 6}


def test_following_every_clue_from_the_text_singles_out_the_killer():
    """Solvability: play each clue-bearing action and read the verdicts back from the narration only."""
    for task in envs.load_tasks(GAME, "train") + envs.load_tasks(GAME, "test"):
        env = envs.make(GAME, task=task)
        obs, _ = env.reset(seed=0)
        public = parse_instruction(obs)
        names = public.names
        confirmed, implicated = set(), set()
        for clue in task.params["clues"][:env.max_turns - 1]:
            verb = {"question": "Ask", "search": "Search the", "examine": "Examine the"}[clue["action"]]
            answer = f"{verb} {clue['target']}" + (f" about {clue['about']}" if clue["about"] else "")
            obs, _, done, _, info = _step(env, answer)
            assert not done and not info["invalid_action"] and info["feedback"]["clue"] == clue["id"], (answer, obs)
            for kind, name in read_evidence(obs, names):
                if kind == "confirm":
                    confirmed.add(name)
                elif kind in ("contradict", "link", "scene"):
                    implicated.add(name)
        assert implicated == {task.params["culprit"]}
        assert confirmed == set(names) - implicated


def test_every_generated_statement_points_at_its_check():
    for task in envs.load_tasks(GAME, "test"):
        obs, _ = envs.make(GAME, task=task).reset(seed=0)
        public = parse_instruction(obs)
        for s in task.params["suspects"]:
            kind, target = claim_check(s["statement"], s["name"], public)
            assert target == s["check_target"] and kind == {"search": "search", "item": "examine",
                                                            "witness": "question"}[s["check"]]
