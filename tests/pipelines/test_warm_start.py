import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

import curiosa.pipelines.warm_start as ws  # noqa: E402
import curiosa.pipelines.mixture as mx  # noqa: E402
from curiosa.config import ConfigError, load_config  # noqa: E402
from curiosa.data.conversations import check_conversation, encode_conversations  # noqa: E402
from curiosa.models.chat import ChatTokenizer  # noqa: E402
from curiosa.models.tiny import TinyModelConfig, train_tokenizer  # noqa: E402
from curiosa.pipelines.repeat_pairs import RepeatPairsConfig  # noqa: E402
from curiosa.training.dpo import DPOConfig, DPOTrainer  # noqa: E402
from curiosa.training.offline import token_batches  # noqa: E402
from curiosa.training.sft import SFTConfig, SFTTrainer  # noqa: E402

MICRO_MODEL = TinyModelConfig(vocab_size=400, hidden_size=32, intermediate_size=64, num_layers=1, num_heads=2,
                              num_kv_heads=1, max_position_embeddings=2048)


CODE_GAME = [  # a toy two-move conversation
    {"role": "user", "content": "Guess a code."},
    {"role": "assistant", "content": "Thought: start.\nAnswer: 0123"},
    {"role": "user", "content": "0123: 1 exact, 0 partial"},
    {"role": "assistant", "content": "Thought: next.\nAnswer: 4567"},
]


def micro_config(tmp_path: Path, **kwargs) -> ws.WarmStartConfig:
    """The tiny from-scratch recipe, made micro."""
    base = dict(output_dir=str(tmp_path / "model"), games=["wordle", "mastermind"], episodes_per_game=3,
                min_episodes=2, tiny=MICRO_MODEL, max_length=1024, train=SFTConfig(batch_tokens=2048, max_steps=2),
                workers=1, progress=False, val_fraction=0.2)
    base.update(kwargs)
    return ws.tiny_config(**base)


@pytest.fixture(scope="module")
def micro_model(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("warm-start")
    return ws.warm_start(micro_config(tmp)), tmp


def test_micro_warm_start_saves_a_loadable_hf_directory_with_chat_template(micro_model):
    path, _ = micro_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    assert ws.is_complete(path)
    assert (path / "model.safetensors").is_file()
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path)
    assert tok.chat_template
    chat = ChatTokenizer(tok)
    assert tok.decode([chat.stop_token_id]) == "<|im_end|>"
    ids = chat.start([{"role": "user", "content": "Let's play Wordle."}])
    out = model.generate(torch.tensor([ids]), max_new_tokens=3, do_sample=False, pad_token_id=tok.pad_token_id)
    assert out.shape[1] > len(ids)
    log = json.loads((path / ws.LOG_FILE).read_text())
    assert len(log["steps"]) == 2 and log["sources"].keys() == {"wordle", "mastermind"}
    assert all(np.isfinite(s["loss"]) for s in log["steps"]) and np.isfinite(log["val_loss"])
    assert not (path / "training").exists()  # the trainer's work directory is removed
    # the saved recipe loads back as the same config
    loaded = load_config(ws.WarmStartConfig, path / ws.CONFIG_FILE)
    assert loaded.tiny == MICRO_MODEL and loaded.base == ws.TINY and loaded.games == ["wordle", "mastermind"]


def _with_pass(tmp_path: Path) -> ws.WarmStartConfig:
    return micro_config(tmp_path, anti_repeat=True,
                        repeat_pairs=RepeatPairsConfig(games=["wordle", "mastermind"], per_game=2),
                        repeat_train=DPOConfig(batch_size=2, max_steps=2, save_every=1))


def test_the_anti_repeat_pass_follows_imitation_and_a_killed_pass_resumes_without_imitating_again(
        tmp_path, monkeypatch):
    config = _with_pass(tmp_path)
    real_accumulate = DPOTrainer.accumulate
    calls = []

    def dies_after_the_first_step(self, step):
        calls.append(step)
        if step == 1:
            raise KeyboardInterrupt  # killed during the pass, after its first checkpoint
        return real_accumulate(self, step)

    monkeypatch.setattr(DPOTrainer, "accumulate", dies_after_the_first_step)
    with pytest.raises(KeyboardInterrupt):
        ws.warm_start(config)
    out = Path(config.output_dir)
    assert not ws.is_complete(out) and (out / "training" / "model" / "DONE").is_file()
    monkeypatch.setattr(DPOTrainer, "accumulate", real_accumulate)
    monkeypatch.setattr(SFTTrainer, "accumulate", lambda *a: pytest.fail("imitation ran again"))
    path = ws.warm_start(config)
    assert ws.is_complete(path) and calls == [0, 1]
    log = json.loads((path / ws.LOG_FILE).read_text())
    assert len(log["steps"]) == 2 and log["anti_repeat"]["pairs"] == 4
    assert [s["step"] for s in log["anti_repeat"]["steps"]] == [1, 2]  # resumed at step 2, not from scratch
    assert np.isfinite(log["val_loss"]) and "anti_repeat" in log["timings_seconds"]
    assert not (path / "training").exists() and not (path / "anti_repeat").exists()


def test_a_killed_warm_start_resumes_only_with_the_same_recipe(tmp_path, monkeypatch):
    config = micro_config(tmp_path, train=SFTConfig(batch_tokens=2048, max_steps=2, save_every=1))
    real_accumulate = SFTTrainer.accumulate

    def dies_at_the_second_step(self, step):
        if step == 1:
            raise KeyboardInterrupt  # killed after the step-1 checkpoint
        return real_accumulate(self, step)

    monkeypatch.setattr(SFTTrainer, "accumulate", dies_at_the_second_step)
    with pytest.raises(KeyboardInterrupt):
        ws.warm_start(config)
    monkeypatch.setattr(SFTTrainer, "accumulate", real_accumulate)
    work = Path(config.output_dir) / "training"
    assert list((work / "checkpoints").glob("step-*"))
    other = replace(config, train=replace(config.train, learning_rate=1e-3))
    with pytest.raises(ValueError, match=r"training holds an unfinished warm start made with other settings "
                                         r"\(train.learning_rate: 1e-05 -> 0.001\)"):
        ws.warm_start(other)
    assert list((work / "checkpoints").glob("step-*"))  # nothing lost
    # the default model's own directory is a cache: work of another recipe is discarded and built again
    calls = []
    monkeypatch.setattr(ws, "warm_start", lambda config, sources=None: calls.append(config) or Path(config.output_dir))
    ws.ensure_default_model(other)
    assert calls == [other] and not work.exists()


def test_avoiding_repeats_marks_the_named_games_and_trains_on_the_marks(tmp_path):
    config = micro_config(tmp_path, avoid_repeats=["wordle"],
                          train=SFTConfig(batch_tokens=2048, max_steps=2, unlikelihood=1.0))
    path = ws.warm_start(config)
    log = json.loads((path / ws.LOG_FILE).read_text())
    assert log["sources"]["wordle"]["avoided"] > 0 and "avoided" not in log["sources"]["mastermind"]
    assert ws.is_complete(path) and all(np.isfinite(s["loss"]) and 0 <= s["avoided_p"] < 1 for s in log["steps"])
    assert any(s["avoided_p"] > 0 for s in log["steps"])  # a step of mastermind alone has no marks
    with pytest.raises(ValueError, match="avoid_repeats names battleship, not among the sources imitated: "
                                         "mastermind, wordle"):
        ws.warm_start(micro_config(tmp_path / "other", avoid_repeats=["battleship"],
                                   train=SFTConfig(batch_tokens=2048, max_steps=2, unlikelihood=1.0)))


def test_encoding_marks_where_a_reply_would_repeat_an_earlier_one():
    tok = train_tokenizer([m["content"] for m in CODE_GAME] * 5, vocab_size=300)
    (plain,), _ = encode_conversations(tok, {"toy": [CODE_GAME]}, max_length=512)
    (ex,), stats = encode_conversations(tok, {"toy": [CODE_GAME]}, max_length=512, avoid_repeats=["toy"])
    assert plain.avoid is None and stats["toy"]["avoided"] == len(ex.avoid) == 1
    ((t, token),) = ex.avoid
    # the second reply ("Thought: next.") parts from the first ("Thought: start.") after "Thought:", and
    # there the first reply's word is avoided
    assert tok.decode(ex.ids[:t]).rstrip().endswith("Thought:")
    assert "start".startswith(tok.decode([token]).strip()) and "next".startswith(tok.decode([ex.ids[t]]).strip())


def test_tokenizer_splits_digits_and_round_trips_text():
    texts = ["Guess 1234: 2 black, 1 white. Fire at B10. 150 / 12 = 25/2"] * 20
    split = train_tokenizer(texts, vocab_size=400, split_digits=True)
    merged = train_tokenizer(texts, vocab_size=400)
    text = "Answer: 1234\nFire at B10, x = -72 / 6"
    pieces = [split.decode([i]) for i in split.encode(text, add_special_tokens=False)]
    digits = [p for p in pieces if any(c.isdigit() for c in p)]
    assert digits and all(len(p.strip()) == 1 for p in digits)
    assert "".join(pieces) == text and split.decode(split.encode(text, add_special_tokens=False)) == text
    assert any(len(merged.decode([i]).strip()) > 1 and merged.decode([i]).strip().isdigit()
               for i in merged.encode(text, add_special_tokens=False))


def test_ensure_default_model_rebuilds_a_directory_without_marker(micro_model, tmp_path, monkeypatch):
    path, _ = micro_model
    monkeypatch.setenv("CURIOSA_HOME", str(tmp_path / "home"))
    assert ws.default_model_dir() == tmp_path / "home" / "models" / "default"
    calls = []
    monkeypatch.setattr(ws, "warm_start", lambda config, sources=None: calls.append(config.output_dir) or Path(config.output_dir))
    # finished model: used as is
    assert ws.ensure_default_model(replace(micro_config(tmp_path), output_dir=str(path))) == path
    assert calls == []
    # a killed warm start left files but no marker: rebuilt
    half = tmp_path / "half"
    half.mkdir()
    (half / "config.json").write_text("{}")
    ws.ensure_default_model(replace(micro_config(tmp_path), output_dir=str(half)))
    assert calls == [str(half)]
    # default location
    ws.ensure_default_model()
    assert calls[-1] == str(ws.default_model_dir())


def test_ensure_default_model_rebuilds_a_model_of_an_older_recipe(micro_model, tmp_path, monkeypatch):
    path, _ = micro_model
    calls = []
    monkeypatch.setattr(ws, "warm_start", lambda config, sources=None: calls.append(config.output_dir) or Path(config.output_dir))
    old = tmp_path / "old"
    shutil.copytree(path, old)
    marker = json.loads((old / ws.MARKER).read_text())
    (old / ws.MARKER).write_text(json.dumps({**marker, "recipe_version": ws.RECIPE_VERSION - 1}))
    assert ws.is_complete(old)  # finished, but by another recipe
    ws.ensure_default_model(replace(micro_config(tmp_path), output_dir=str(old)))
    assert calls == [str(old)]


def test_warm_start_removes_a_stale_marker_before_starting(tmp_path, monkeypatch):
    out = tmp_path / "model"
    out.mkdir()
    (out / ws.MARKER).write_text("{}")
    monkeypatch.setattr(ws, "generate_conversations", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        ws.warm_start(micro_config(tmp_path))
    assert not ws.is_complete(out)


def arithmetic(seed, n):
    """A data source of the caller's own (module level, so worker processes can run it)."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        a, b = (int(x) for x in rng.integers(0, 50, size=2))
        yield [{"role": "user", "content": f"What is {a} + {b}?"},
               {"role": "assistant", "content": f"Thought: add them.\nAnswer: {a + b}"},
               {"role": "user", "content": "Correct."}]


def test_a_source_passed_in_joins_the_mixture(tmp_path):
    config = micro_config(tmp_path, games=["wordle"], extra_sources={"test_arithmetic": 1.0},
                          balance="episodes", episodes_per_game=4, min_episodes=0)
    sources = {"test_arithmetic": arithmetic}
    data = mx.generate_conversations(config, sources)
    assert set(data) == {"wordle", "test_arithmetic"} and len(data["test_arithmetic"]) == 4
    # trailing environment messages are cut: every conversation ends with the agent's reply
    assert all(c[-1]["role"] == "assistant" for convs in data.values() for c in convs)
    again = mx.generate_conversations(replace(config, workers=2), sources)
    assert again == data  # deterministic whatever the number of workers
    with pytest.raises(ValueError, match="unknown data source"):
        mx.mixture(config)  # not passed in, not a built-in extra source


def test_sources_are_balanced_by_text_so_short_games_get_more_episodes(tmp_path):
    config = micro_config(tmp_path, games=["cellular_automata", "battleship"], episodes_per_game=12, min_episodes=4)
    data = mx.generate_conversations(config)
    assert len(data["cellular_automata"]) > len(data["battleship"]) >= 4
    chars = {k: sum(mx._chars(c) for c in v) for k, v in data.items()}
    assert 0.4 < chars["cellular_automata"] / chars["battleship"] < 2.5


def test_only_agent_tokens_are_trained():
    conversation = CODE_GAME
    tok = train_tokenizer([m["content"] for m in conversation] * 5, vocab_size=300)
    examples, stats = encode_conversations(tok, {"toy": [conversation]}, max_length=512)
    (ex,) = examples
    assert sum(ex.mask) > 0 and stats["toy"]["kept"] == 1 and ex.id == "toy/0"
    trained = [t for t, m in zip(ex.ids, ex.mask) if m]
    chat = ChatTokenizer(tok)
    assert trained.count(chat.stop_token_id) == 2  # each reply's end-of-turn token is trained
    text = tok.decode(trained)
    assert "Answer: 0123" in text and "exact" not in text and "Guess" not in text


def test_a_reply_marked_train_false_is_context_only():
    conversation = [
        {"role": "user", "content": "Guess a code."},
        {"role": "assistant", "content": "Thought: start.\nAnswer: 0123"},
        {"role": "user", "content": "0123: 1 exact, 0 partial"},
        {"role": "assistant", "content": "Thought: start.\nAnswer: 0123", "train": False},
        {"role": "user", "content": "0123: 1 exact, 0 partial"},
        {"role": "assistant", "content": "Thought: next.\nAnswer: 4567"},
    ]
    tok = train_tokenizer([m["content"] for m in conversation] * 5, vocab_size=300)
    (ex,), _ = encode_conversations(tok, {"toy": [check_conversation(conversation)]}, max_length=512)
    full = ChatTokenizer(tok).encode([{"role": m["role"], "content": m["content"]} for m in conversation])
    assert ex.ids == full.input_ids  # the slip is still read
    runs = [i for i in range(len(full.agent_mask)) if full.agent_mask[i] and (i == 0 or not full.agent_mask[i - 1])]
    assert len(runs) == 3
    second = range(runs[1], runs[2])
    assert not any(ex.mask[i] for i in second) and any(full.agent_mask[i] for i in second)
    assert [m for i, m in enumerate(ex.mask) if i not in second] == [m for i, m in enumerate(full.agent_mask)
                                                                      if i not in second]
    with pytest.raises(ValueError, match="'train' must be a bool on an assistant message"):
        check_conversation([{"role": "user", "content": "hi", "train": False}])


def test_slips_kept_as_context_are_the_noisy_policys_slips(tmp_path):
    config = micro_config(tmp_path, games=["twenty_questions"], policy_mix={"noisy": 1.0}, noisy_epsilon=0.4,
                          noisy_repeat=1.0, balance="episodes", episodes_per_game=6, min_episodes=0)
    imitated = mx.generate_conversations(config)["twenty_questions"]
    assert not any("train" in m for c in imitated for m in c)
    marked = mx.generate_conversations(replace(config, train_on_slips=False))["twenty_questions"]
    assert [[m["content"] for m in c] for c in marked] == [[m["content"] for m in c] for c in imitated]
    flagged = 0
    for conversation in marked:
        replies = [m for m in conversation if m["role"] == "assistant"]
        for i, reply in enumerate(replies):
            if reply.get("train") is False:
                flagged += 1
                # a slip after the first reply repeats one (repeat=1.0); the expert never asks twice
                assert i == 0 or reply["content"] in [r["content"] for r in replies[:i]]
            else:
                assert reply["content"] not in [r["content"] for r in replies[:i]]
    assert flagged > 0
    with pytest.raises(ValueError, match="noisy_repeat must be in"):
        mx.MixtureConfig(noisy_repeat=2.0)


def test_trimming_drops_whole_trailing_turns():
    conversation = [{"role": "user", "content": "Start the game please."}]
    for i in range(6):
        conversation += [{"role": "assistant", "content": f"Thought: move {i}.\nAnswer: {i}{i}{i}{i}"},
                         {"role": "user", "content": f"Feedback number {i} is here."}]
    conversation = check_conversation(conversation)
    tok = train_tokenizer([m["content"] for m in conversation] * 3, vocab_size=300)
    chat = ChatTokenizer(tok)
    full = chat.encode(conversation)
    limit = len(full.input_ids) - 5
    (ex,), stats = encode_conversations(tok, {"toy": [conversation]}, max_length=limit)
    assert stats["toy"]["trimmed"] == 1 and len(ex.ids) <= limit
    # the trimmed example is exactly the encoding of a shorter conversation ending with a reply
    shorter = chat.encode(conversation[:-2])
    assert ex.ids == shorter.input_ids and ex.mask == shorter.agent_mask
    assert ex.ids[-1] == chat.stop_token_id
    # not even the first turn fits: dropped
    examples, stats = encode_conversations(tok, {"toy": [conversation]}, max_length=8)
    assert examples == [] and stats["toy"]["dropped"] == 1


def test_batches_cover_everything_within_the_token_budget():
    rng = np.random.default_rng(0)
    lengths = [int(x) for x in rng.integers(10, 500, size=200)] + [3000]
    batches = token_batches(lengths, 1024, rng)
    assert sorted(i for b in batches for i in b) == list(range(201))
    assert all(sum(lengths[i] for i in b) <= 1024 for b in batches if len(b) > 1)
    assert [200] in batches  # too long for the budget: a batch of its own
    assert sum(lengths) / (1024 * len(batches)) > 0.75  # batches are well filled


def test_config_validation_and_yaml_round_trip(tmp_path):
    with pytest.raises(ValueError, match="policy kind"):
        ws.WarmStartConfig(policy_mix={"genius": 1.0})
    with pytest.raises(ConfigError):
        load_config(ws.WarmStartConfig, None, ["balance=bytes"])
    config = load_config(ws.WarmStartConfig, None, ["tiny.hidden_size=64", "policy_mix={expert: 1.0}",
                                                    "train.learning_rate=0.01"], base=ws.tiny_config())
    assert config.tiny.hidden_size == 64 and config.policy_mix == {"expert": 1.0} and config.base == ws.TINY
    assert config.train.learning_rate == 0.01 and config.train.batch_tokens == 4096  # the recipe's other settings stay
    with pytest.raises(ValueError, match="no scripted policies"):
        mx.mixture(ws.WarmStartConfig(games=["no_such_game"]))
    # the warm start sets its trainer's limit from its own: a limit given to the trainer is refused, not lost
    with pytest.raises((ValueError, ConfigError), match="set time_limit_minutes"):
        load_config(ws.WarmStartConfig, None, ["train.time_limit_minutes=60"])
    with pytest.raises((ValueError, ConfigError), match="repeat_train.time_limit_minutes=5"):
        load_config(ws.WarmStartConfig, None, ["repeat_train.time_limit_minutes=5"])
    # the pass's settings come from the command line like the rest of the recipe
    config = load_config(ws.WarmStartConfig, None, ["repeat_pairs.per_game=10", "repeat_train.learning_rate=1e-5"])
    assert config.anti_repeat and config.repeat_pairs.per_game == 10 and config.repeat_train.learning_rate == 1e-5
    assert config.repeat_train.batch_size == 8 and not ws.tiny_config().anti_repeat
    # marks without a weight, or a weight without marks, would silently do nothing
    with pytest.raises((ValueError, ConfigError), match="avoid_repeats .* and train.unlikelihood .* go together"):
        load_config(ws.WarmStartConfig, None, ["avoid_repeats=[wordle]"])
    with pytest.raises((ValueError, ConfigError), match="go together"):
        load_config(ws.WarmStartConfig, None, ["train.unlikelihood=1.0"])
