"""User math datasets (MATH-style and GSM8K-style JSONL) as registered two-attempt games."""

import json

import pytest

from curiosa import envs
from curiosa.envs.math_data import hash_split, load_math_jsonl, register_from_environment, register_math_jsonl

MATH_ROWS = [
    {"problem": "What is $\\frac{1}{2} + \\frac{1}{4}$?", "solution": "We get $\\boxed{\\frac{3}{4}}$.",
     "level": "Level 2", "type": "Prealgebra"},
    {"problem": "Simplify $\\sqrt{8}$.", "solution": "$\\sqrt{8} = \\boxed{2\\sqrt{2}}$", "level": "Level 3"},
    {"problem": "Find the interval where $x^2 < 4$.", "answer": "(-2, 2)"},
]
GSM_ROWS = [
    {"question": "Natalia sold 48 clips in April and half as many in May. How many in all?",
     "answer": "In May she sold 48/2 = <<48/2=24>>24.\nIn all 48+24 = <<48+24=72>>72.\n#### 72"},
    {"question": "A shop sells 1234 pens a day for 1 day. How many pens?", "answer": "It sells 1,234.\n#### 1,234"},
]


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _play(game, task, first, second):
    env = envs.make(game, task=task)
    env.reset(seed=0)
    env.step(f"Thought: a\nAnswer: {first}")
    return env.step(f"Thought: b\nAnswer: {second}")


def test_no_math_game_without_a_file():
    assert "math" not in envs.names() and "mbpp" not in envs.names()


def test_math_records_and_answers(tmp_path):
    tasks = load_math_jsonl(_write(tmp_path / "m.jsonl", MATH_ROWS), "test")
    assert [t.id for t in tasks] == ["math-test-00000", "math-test-00001", "math-test-00002"]
    assert [t.params["answer"] for t in tasks] == ["\\frac{3}{4}", "2\\sqrt{2}", "(-2, 2)"]
    assert tasks[0].params["difficulty"] == 2 and tasks[0].params["subject"] == "Prealgebra"
    assert tasks[0].params["source"] == "m.jsonl:1"


def test_registered_math_dataset_plays_and_checks_equivalence(tmp_path):
    train, test = _write(tmp_path / "train.jsonl", GSM_ROWS), _write(tmp_path / "test.jsonl", MATH_ROWS)
    register_math_jsonl(train=train, test=test, name="math_loader_t1")
    assert "math_loader_t1" in envs.names()
    test_tasks, train_tasks = envs.load_tasks("math_loader_t1", "test"), envs.load_tasks("math_loader_t1", "train")
    assert len(test_tasks) == 3 and len(train_tasks) == 2
    assert envs.get_task("math_loader_t1-train-00001").params["answer"] == "1234"
    obs, reward, terminated, _, info = _play("math_loader_t1", test_tasks[0], "0.5", "0.75")
    assert info["feedback"]["transition"] == "i->c" and reward == 1.0 and terminated
    _, _, _, _, info = _play("math_loader_t1", train_tasks[0], "72", "\\boxed{72}")
    assert info["feedback"]["attempt_rewards"] == [1.0, 1.0]
    _, _, _, _, info = _play("math_loader_t1", train_tasks[1], "1,234", "1235")
    assert info["feedback"]["transition"] == "c->i"
    _, _, _, _, info = _play("math_loader_t1", test_tasks[2], "(-2,2)", "[-2, 2]")
    assert info["feedback"]["attempt_rewards"] == [1.0, 0.0]


def test_test_problems_are_dropped_from_train(tmp_path):
    both = GSM_ROWS[:1]
    register_math_jsonl(train=_write(tmp_path / "a.jsonl", GSM_ROWS), test=_write(tmp_path / "b.jsonl", both),
                        name="math_loader_t2")
    train = envs.load_tasks("math_loader_t2", "train")
    assert [t.params["problem"] for t in train] == [GSM_ROWS[1]["question"]]


def test_one_file_is_split_by_hash(tmp_path):
    rows = [{"question": f"What is {i} + {i}?", "answer": f"#### {2 * i}"} for i in range(200)]
    register_math_jsonl(path=_write(tmp_path / "all.jsonl", rows), name="math_loader_t3", test_fraction=0.25)
    train, test = envs.load_tasks("math_loader_t3", "train"), envs.load_tasks("math_loader_t3", "test")
    assert len(train) + len(test) == 200 and 25 <= len(test) <= 75
    assert all(hash_split(t.params["problem"], 0.25) == "test" for t in test)
    assert not {t.params["problem"] for t in train} & {t.params["problem"] for t in test}


def test_environment_variables(tmp_path, monkeypatch):
    monkeypatch.delenv("CURIOSA_MATH_TRAIN", raising=False)
    monkeypatch.delenv("CURIOSA_MATH_TEST", raising=False)
    assert register_from_environment() is None
    monkeypatch.setenv("CURIOSA_MATH_TEST", str(_write(tmp_path / "t.jsonl", MATH_ROWS)))
    monkeypatch.setenv("CURIOSA_MATH_NAME", "math_loader_t4")
    register_from_environment()
    assert len(envs.load_tasks("math_loader_t4", "test")) == 3


@pytest.mark.parametrize("line, message", [
    ("{not json", "m.jsonl:2: not valid JSON"),
    ('{"problem": "x", "solution": "no box"}', "m.jsonl:2: MATH-style record has no 'answer'"),
    ('{"question": "x", "answer": "42"}', "m.jsonl:2: GSM8K-style record needs"),
    ('{"text": "x"}', "m.jsonl:2: a record needs 'problem'"),
    ("[1, 2]", "m.jsonl:2: expected a JSON object"),
])
def test_bad_lines_are_named(tmp_path, line, message):
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps(MATH_ROWS[0]) + "\n" + line + "\n")
    with pytest.raises(ValueError, match=message):
        load_math_jsonl(path)


def test_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        load_math_jsonl(tmp_path / "missing.jsonl")
    with pytest.raises(ValueError, match="no math dataset given"):
        register_math_jsonl(name="math_loader_t5")
    with pytest.raises(ValueError, match="not both"):
        register_math_jsonl(train=tmp_path / "a", path=tmp_path / "b", name="math_loader_t5")
    with pytest.raises(ValueError, match="already registered"):
        register_math_jsonl(test=tmp_path / "a", name="wordle")
    with pytest.raises(ValueError, match="lowercase"):
        register_math_jsonl(test=tmp_path / "a", name="Bad Name")
    with pytest.raises(ValueError, match="unknown split"):
        load_math_jsonl(_write(tmp_path / "ok.jsonl", MATH_ROWS), "dev")
