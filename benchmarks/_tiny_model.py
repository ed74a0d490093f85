"""A tiny random model for ``--quick`` smoke runs of the pipeline benchmarks.

A random model writes unreadable replies, so the quick runs also use a scripted "noisy" player for
the training episodes (``quick_teacher``): they check the plumbing end to end in seconds, not
whether a method helps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence


def tiny_random_model(path: str | Path, groups: Sequence[str]) -> Path:
    """Build (once) a one-layer Llama with a tokenizer trained on the groups' instructions."""
    path = Path(path)
    if (path / "config.json").is_file() and (path / "tokenizer.json").is_file():
        return path
    import torch

    from curiosa import envs
    from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer

    texts = [envs.make(g, task=envs.load_tasks(g, "train")[0]).reset(seed=0)[0] for g in groups]
    tokenizer = train_tokenizer((texts + ["Thought: a guess.\nAnswer: 0123"]) * 10, vocab_size=600)
    torch.manual_seed(0)
    model = build_model(tokenizer, TinyModelConfig(hidden_size=32, intermediate_size=64, num_layers=1, num_heads=2,
                                                   num_kv_heads=1, max_position_embeddings=2048))
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def quick_teacher(model_path: str | Path):
    """A token-level scripted noisy player speaking the model's tokenizer."""
    from curiosa.models.chat import ChatTokenizer
    from curiosa.models.loading import load_tokenizer
    from curiosa.rollout.backends.scripted import ScriptedBackend

    return ScriptedBackend("noisy", chat=ChatTokenizer(load_tokenizer(str(model_path))))
