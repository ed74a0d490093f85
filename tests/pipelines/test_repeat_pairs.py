import json
from pathlib import Path

import pytest

from curiosa.cli import main
from curiosa.data.encode import Encoder
from curiosa.data.examples import pair_examples
from curiosa.data.sets import load_pairs
from curiosa.models.loading import load_tokenizer
from curiosa.envs.text import extract_answer
from curiosa.pipelines.repeat_pairs import RepeatPairsConfig, repeat_pairs
from curiosa.pipelines.train import TrainJob, run_training
from curiosa.training.dpo import DPOConfig


def test_each_pair_prefers_the_experts_reply_to_repeating_an_earlier_one():
    config = RepeatPairsConfig(games=["twenty_questions", "minesweeper", "cellular_automata"], per_game=6,
                               train_state_replies=False)
    pairs = repeat_pairs(config)
    assert [p.chosen.group for p in pairs] == ["twenty_questions"] * 6 + ["minesweeper"] * 6 + ["cellular_automata"] * 6
    for pair in pairs:
        chosen, rejected = pair.chosen.messages, pair.rejected.messages
        assert chosen[:-1] == rejected[:-1] and chosen[-1]["role"] == rejected[-1]["role"] == "assistant"
        earlier = [m["content"] for m in chosen[:-1] if m["role"] == "assistant"]
        assert rejected[-1]["content"] in earlier  # word for word
        assert extract_answer(chosen[-1]["content"]).lower() != extract_answer(rejected[-1]["content"]).lower()
        assert sum(len(m["content"]) for m in chosen[:-1]) < config.max_chars
    assert len({p.id for p in pairs}) == len(pairs)
    for pair in pairs:  # the scripted state is context: only each side's last reply is trained
        for side in (pair.chosen, pair.rejected):
            assert [m.get("train", True) for m in side.messages if m["role"] == "assistant"][-1] is True
            assert all(m.get("train") is False for m in side.messages[:-1] if m["role"] == "assistant")
    trained = repeat_pairs(RepeatPairsConfig(games=["wordle"], per_game=2))
    assert not any("train" in m for p in trained for m in p.chosen.messages + p.rejected.messages)
    assert [p.to_json() for p in repeat_pairs(config)] == [p.to_json() for p in pairs]  # deterministic


def test_the_command_writes_a_pairs_file_rpo_trains_on(tmp_path, tiny_model_dir):
    out = tmp_path / "pairs.jsonl"
    assert main(["repeat-pairs", f"output={out}", "games=[wordle, mastermind]", "per_game=2",
                 "train_state_replies=false"]) == 0
    pairs = load_pairs(out)
    assert len(pairs) == 4
    (example,) = pair_examples(pairs[:1], Encoder.for_tokenizer(load_tokenizer(str(tiny_model_dir))))
    runs = lambda mask: sum(1 for i, m in enumerate(mask) if m and (i == 0 or not mask[i - 1]))  # noqa: E731
    assert runs(example.mask) == runs(example.rejected_mask) == 1  # the last reply of each side only
    job = TrainJob(model=str(tiny_model_dir), data=[str(out)],
                   train=DPOConfig(output_dir=str(tmp_path / "rpo"), batch_size=4, max_steps=1, progress=False))
    model = run_training("rpo", job)
    assert (model / "config.json").is_file()
    step = json.loads((tmp_path / "rpo" / "metrics.jsonl").read_text().splitlines()[0])
    assert step["reward_accuracy"] >= 0 and step["dpo_loss"] > 0


@pytest.mark.parametrize("setting, message", [({"games": ["chess"]}, "no scripted policies"),
                                              ({"policy_mix": {"genius": 1.0}}, "unknown policy kind"),
                                              ({"per_game": 0}, "per_game and max_chars")])
def test_bad_settings_are_refused_by_name(setting, message):
    with pytest.raises(ValueError, match=message):
        RepeatPairsConfig(**setting)


def test_an_unknown_game_on_the_command_line_is_a_clear_error(capsys):
    with pytest.raises(SystemExit):
        main(["repeat-pairs", "games=[chess]", f"output={Path('unused.jsonl')}"])
    assert "no scripted policies for game(s) chess" in capsys.readouterr().err
