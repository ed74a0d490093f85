import pytest
import torch

from curiosa import envs
from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    """A tiny random base model (with its tokenizer) for the pipeline tests' mastermind and cellular_automata runs."""
    texts = [envs.make(g, task=envs.load_tasks(g, "train")[0]).reset(seed=0)[0]
             for g in ("mastermind", "cellular_automata")]
    tokenizer = train_tokenizer((texts + ["Thought: a guess.\nAnswer: 0123"]) * 10, vocab_size=600)
    torch.manual_seed(0)
    model = build_model(tokenizer, TinyModelConfig(hidden_size=32, intermediate_size=64, num_layers=1, num_heads=2,
                                                   num_kv_heads=1, max_position_embeddings=2048))
    path = tmp_path_factory.mktemp("base")
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path
