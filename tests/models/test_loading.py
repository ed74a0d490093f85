import pytest

from curiosa.models.loading import LoraConfig, load_model, load_tokenizer
from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    tok = train_tokenizer(["Thought: x\nAnswer: y"] * 20, vocab_size=300)
    model = build_model(tok, TinyModelConfig(hidden_size=32, intermediate_size=64, num_layers=1, num_heads=2,
                                             num_kv_heads=1))
    path = tmp_path_factory.mktemp("m")
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return path


def test_load_model_and_tokenizer_with_template(model_dir):
    tok = load_tokenizer(model_dir)
    assert "<|im_start|>" in tok.chat_template
    model = load_model(model_dir, dtype="float32", device="cpu", tokenizer=tok)
    assert model.config.vocab_size == len(tok)


def test_tokenizer_without_template_gets_the_default(model_dir, tmp_path):
    tok = load_tokenizer(model_dir)
    tok.chat_template = None
    tok.save_pretrained(tmp_path)
    (tmp_path / "config.json").write_text((model_dir / "config.json").read_text())
    again = load_tokenizer(tmp_path)
    assert "{% generation %}" in again.chat_template


def test_lora_trains_only_adapters(model_dir):
    model = load_model(model_dir, dtype="float32", device="cpu", lora=LoraConfig(r=4, alpha=8))
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in n for n in trainable)


def test_clear_errors_for_bad_paths(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="not a Hugging Face model directory"):
        load_tokenizer(tmp_path)
    with pytest.raises(ValueError, match="dtype must be"):
        load_model(tmp_path, dtype="int3")
