import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from curiosa.config import ConfigError, load_config  # noqa: E402
from curiosa.models import bootstrap as bs  # noqa: E402
from curiosa.models.chat import ChatTokenizer  # noqa: E402
from curiosa.models.tiny import TinyModelConfig, train_tokenizer  # noqa: E402

MICRO_MODEL = TinyModelConfig(vocab_size=400, hidden_size=32, intermediate_size=64, num_layers=1, num_heads=2,
                              num_kv_heads=1, max_position_embeddings=2048)


def micro_config(tmp_path: Path, **kwargs) -> bs.BootstrapConfig:
    base = dict(output_dir=str(tmp_path / "model"), games=["wordle", "mastermind"], episodes_per_game=3,
                min_episodes=2, model=MICRO_MODEL, max_length=1024, batch_tokens=2048, max_steps=2, workers=1,
                progress=False, val_fraction=0.2)
    base.update(kwargs)
    return bs.BootstrapConfig(**base)


@pytest.fixture(scope="module")
def micro_model(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bootstrap")
    return bs.bootstrap(micro_config(tmp)), tmp


def test_micro_bootstrap_saves_a_loadable_hf_directory_with_chat_template(micro_model):
    path, _ = micro_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    assert bs.is_complete(path)
    assert (path / "model.safetensors").is_file()
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path)
    assert tok.chat_template
    chat = ChatTokenizer(tok)
    assert tok.decode([chat.stop_token_id]) == "<|im_end|>"
    ids = chat.start([{"role": "user", "content": "Let's play Wordle."}])
    out = model.generate(torch.tensor([ids]), max_new_tokens=3, do_sample=False, pad_token_id=tok.pad_token_id)
    assert out.shape[1] > len(ids)
    log = json.loads((path / bs.LOG_FILE).read_text())
    assert len(log["steps"]) == 2 and log["sources"].keys() == {"wordle", "mastermind"}
    assert all(np.isfinite(s["loss"]) for s in log["steps"])
    # the saved recipe loads back as the same config
    loaded = load_config(bs.BootstrapConfig, path / bs.CONFIG_FILE)
    assert loaded.model == MICRO_MODEL and loaded.games == ["wordle", "mastermind"]


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
    assert bs.default_model_dir() == tmp_path / "home" / "models" / "tiny-default"
    calls = []
    monkeypatch.setattr(bs, "bootstrap", lambda config: calls.append(config.output_dir) or Path(config.output_dir))
    # finished model: used as is
    assert bs.ensure_default_model(replace(micro_config(tmp_path), output_dir=str(path))) == path
    assert calls == []
    # a killed bootstrap left files but no marker: rebuilt
    half = tmp_path / "half"
    half.mkdir()
    (half / "config.json").write_text("{}")
    bs.ensure_default_model(replace(micro_config(tmp_path), output_dir=str(half)))
    assert calls == [str(half)]
    # default location
    bs.ensure_default_model()
    assert calls[-1] == str(bs.default_model_dir())


def test_bootstrap_removes_a_stale_marker_before_starting(tmp_path, monkeypatch):
    out = tmp_path / "model"
    out.mkdir()
    (out / bs.MARKER).write_text("{}")
    monkeypatch.setattr(bs, "generate_conversations", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        bs.bootstrap(micro_config(tmp_path))
    assert not bs.is_complete(out)


def test_registered_source_joins_the_mixture(tmp_path):
    def arithmetic(seed, n):
        rng = np.random.default_rng(seed)
        for _ in range(n):
            a, b = (int(x) for x in rng.integers(0, 50, size=2))
            yield [{"role": "user", "content": f"What is {a} + {b}?"},
                   {"role": "assistant", "content": f"Thought: add them.\nAnswer: {a + b}"},
                   {"role": "user", "content": "Correct."}]

    bs.register_source("test_arithmetic", arithmetic)
    try:
        assert "test_arithmetic" in bs.registered_sources()
        with pytest.raises(ValueError, match="already registered"):
            bs.register_source("test_arithmetic", lambda seed, n: [])
        config = micro_config(tmp_path, games=["wordle"], extra_sources={"test_arithmetic": 1.0},
                              balance="episodes", episodes_per_game=4, min_episodes=0)
        data = bs.generate_conversations(config)
        assert set(data) == {"wordle", "test_arithmetic"} and len(data["test_arithmetic"]) == 4
        # trailing environment messages are cut: every conversation ends with the agent's reply
        assert all(c[-1]["role"] == "assistant" for convs in data.values() for c in convs)
        again = bs.generate_conversations(replace(config, workers=2))
        assert again == data  # deterministic whatever the number of workers
    finally:
        bs.unregister_source("test_arithmetic")
    with pytest.raises(ValueError, match="unknown data source"):
        bs.mixture(micro_config(tmp_path, extra_sources={"test_arithmetic": 1.0}))


def test_sources_are_balanced_by_text_so_short_games_get_more_episodes(tmp_path):
    config = micro_config(tmp_path, games=["cellular_automata", "battleship"], episodes_per_game=12, min_episodes=4)
    data = bs.generate_conversations(config)
    assert len(data["cellular_automata"]) > len(data["battleship"]) >= 4
    chars = {k: sum(bs._chars(c) for c in v) for k, v in data.items()}
    assert 0.4 < chars["cellular_automata"] / chars["battleship"] < 2.5


def test_loss_covers_agent_tokens_only():
    conversation = [
        {"role": "user", "content": "Guess a code."},
        {"role": "assistant", "content": "Thought: start.\nAnswer: 0123"},
        {"role": "user", "content": "0123: 1 exact, 0 partial"},
        {"role": "assistant", "content": "Thought: next.\nAnswer: 4567"},
    ]
    tok = train_tokenizer([m["content"] for m in conversation] * 5, vocab_size=300)
    examples, stats = bs.encode_conversations(tok, {"toy": [conversation]}, max_length=512)
    (ex,) = examples
    labels = bs.labels_for(ex.input_ids, ex.agent_mask)
    assert [lab == -100 for lab in labels] == [m == 0 for m in ex.agent_mask]
    assert sum(ex.agent_mask) > 0 and stats["toy"]["kept"] == 1
    batch = bs.collate([ex, bs.Example("toy", ex.input_ids[:10], ex.agent_mask[:10])], pad_id=tok.pad_token_id)
    assert batch["labels"].shape == batch["input_ids"].shape
    assert (batch["labels"][1, 10:] == -100).all() and (batch["attention_mask"][1, 10:] == 0).all()
    trained = batch["labels"][0][batch["labels"][0] != -100].tolist()
    chat = ChatTokenizer(tok)
    assert trained.count(chat.stop_token_id) == 2  # each reply's end-of-turn token is trained
    text = tok.decode(trained)
    assert "Answer: 0123" in text and "exact" not in text and "Guess" not in text

    # the summed loss only sees agent tokens: changing a non-agent label position changes nothing
    model = transformers.LlamaForCausalLM(transformers.LlamaConfig(
        vocab_size=len(tok), hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        num_key_value_heads=1))
    _, count = bs._agent_loss(model, [ex, bs.Example("toy", ex.input_ids[:10], ex.agent_mask[:10])])
    assert count == int((batch["labels"][:, 1:] != -100).sum())


def test_trimming_drops_whole_trailing_turns():
    conversation = [{"role": "user", "content": "Start the game please."}]
    for i in range(6):
        conversation += [{"role": "assistant", "content": f"Thought: move {i}.\nAnswer: {i}{i}{i}{i}"},
                         {"role": "user", "content": f"Feedback number {i} is here."}]
    conversation = bs.check_conversation(conversation)
    tok = train_tokenizer([m["content"] for m in conversation] * 3, vocab_size=300)
    chat = ChatTokenizer(tok)
    full = chat.encode(conversation)
    limit = len(full.input_ids) - 5
    (ex,), stats = bs.encode_conversations(tok, {"toy": [conversation]}, max_length=limit)
    assert ex.trimmed and stats["toy"]["trimmed"] == 1 and len(ex.input_ids) <= limit
    # the trimmed example is exactly the encoding of a shorter conversation ending with a reply
    shorter = chat.encode(conversation[:-2])
    assert ex.input_ids == shorter.input_ids and ex.agent_mask == shorter.agent_mask
    assert ex.input_ids[-1] == chat.stop_token_id
    # not even the first turn fits: dropped
    examples, stats = bs.encode_conversations(tok, {"toy": [conversation]}, max_length=8)
    assert examples == [] and stats["toy"]["dropped"] == 1


def test_batches_cover_everything_within_the_token_budget():
    rng = np.random.default_rng(0)
    lengths = [int(x) for x in rng.integers(10, 500, size=200)] + [3000]
    batches = bs.make_batches(lengths, 1024, rng)
    assert sorted(i for b in batches for i in b) == list(range(201))
    assert all(sum(lengths[i] for i in b) <= 1024 for b in batches if len(b) > 1)
    assert [200] in batches  # too long for the budget: a batch of its own
    assert sum(lengths) / (1024 * len(batches)) > 0.75  # batches are well filled


def test_lr_schedule_warms_up_then_decays_to_the_floor():
    assert bs.lr_factor(0.0, 0.1, 0.1) == 0.0
    assert bs.lr_factor(0.1, 0.1, 0.1) == pytest.approx(1.0)
    assert bs.lr_factor(1.0, 0.1, 0.1) == pytest.approx(0.1)
    values = [bs.lr_factor(p, 0.1, 0.1) for p in np.linspace(0.1, 1, 20)]
    assert all(a >= b for a, b in zip(values, values[1:]))


def test_config_validation_and_yaml_round_trip(tmp_path):
    with pytest.raises(ValueError, match="policy kind"):
        bs.BootstrapConfig(policy_mix={"genius": 1.0})
    with pytest.raises(ConfigError):
        load_config(bs.BootstrapConfig, None, ["balance=bytes"])
    config = load_config(bs.BootstrapConfig, None, ["model.hidden_size=64", "policy_mix={expert: 1.0}"])
    assert config.model.hidden_size == 64 and config.policy_mix == {"expert": 1.0}
    with pytest.raises(ValueError, match="no scripted policies"):
        bs.mixture(bs.BootstrapConfig(games=["no_such_game"]))


def test_packed_agent_loss_equals_the_masked_loss_of_a_padded_batch():
    torch.manual_seed(0)
    model = transformers.LlamaForCausalLM(transformers.LlamaConfig(
        vocab_size=50, hidden_size=16, intermediate_size=32, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=1)).eval()
    a = bs.Example("x", list(range(3, 30)), [0] * 10 + [1] * 17)
    b = bs.Example("x", list(range(5, 17)), [0] * 4 + [1] * 8)
    batch = bs.collate([a, b], pad_id=0)
    with torch.no_grad():
        fast, count = bs._agent_loss(model, [a, b])
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        labels = batch["labels"][:, 1:]
        keep = labels != -100
        slow = torch.nn.functional.cross_entropy(logits[:, :-1][keep], labels[keep], reduction="sum")
        alone, _ = bs._agent_loss(model, [b])
        first, _ = bs._agent_loss(model, [a])
    assert count == 17 + 8
    assert float(fast) == pytest.approx(float(slow), rel=1e-5)
    assert float(fast) == pytest.approx(float(alone + first), rel=1e-5)


def test_environment_tokens_join_the_loss_only_when_weighted():
    torch.manual_seed(0)
    model = transformers.LlamaForCausalLM(transformers.LlamaConfig(
        vocab_size=50, hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        num_key_value_heads=1)).eval()
    a = bs.Example("x", list(range(3, 30)), [0] * 10 + [1] * 17)
    b = bs.Example("x", list(range(5, 17)), [0] * 4 + [1] * 8)
    batch = bs.collate([a, b], pad_id=0)
    with torch.no_grad():
        agent_sum, count = bs._agent_loss(model, [a, b])
        imitation, agent_loss, n = bs._objective(model, [a, b], 0.0, 0)
        everything, agent_loss_again, _ = bs._objective(model, [a, b], 1.0, 0)
        logits = model(input_ids=batch["input_ids"]).logits[:, :-1]
        real = batch["attention_mask"][:, 1:].bool()
        all_real = torch.nn.functional.cross_entropy(logits[real], batch["input_ids"][:, 1:][real])
    assert n == count and float(imitation) == pytest.approx(float(agent_sum) / count, rel=1e-5)
    assert agent_loss == pytest.approx(agent_loss_again, rel=1e-5)
    assert agent_loss == pytest.approx(float(imitation), rel=1e-5)
    assert float(everything) == pytest.approx(float(all_real), rel=1e-5)


def test_training_stops_at_its_time_budget():
    tok = train_tokenizer(["Thought: go.\nAnswer: 1234", "Guess a code."] * 5, vocab_size=300)
    conversation = [{"role": "user", "content": "Guess a code."},
                    {"role": "assistant", "content": "Thought: go.\nAnswer: 1234"}]
    examples, _ = bs.encode_conversations(tok, {"toy": [conversation] * 8}, max_length=256)
    config = bs.BootstrapConfig(model=MICRO_MODEL, max_steps=50, batch_tokens=64, progress=False)
    from curiosa.models.tiny import build_model

    model = build_model(tok, MICRO_MODEL)
    log = bs.train_model(model, examples, [], config, pad_id=tok.pad_token_id, time_budget=1e-9)
    assert log["stop_reason"] == "time_limit" and len(log["steps"]) <= 1
    log = bs.train_model(model, examples, examples[:2], config, pad_id=tok.pad_token_id)
    assert log["stop_reason"] == "steps" and len(log["steps"]) == 50 and np.isfinite(log["val_loss"])
    assert log["steps"][-1]["lr"] == pytest.approx(config.lr * config.min_lr_ratio, rel=0.1)
