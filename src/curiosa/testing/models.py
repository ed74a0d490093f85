"""Tiny random models for tests: built from a tokenizer in a second, saved like any model directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def save_tiny_model(path: Path, tokenizer: Any, *, seed: int = 0, **sizes: Any) -> Path:
    """A random Llama of ``TinyModelConfig(**sizes)`` with ``tokenizer``, saved to ``path`` (returned)."""
    import torch

    from curiosa.models.tiny import TinyModelConfig, build_model

    torch.manual_seed(seed)
    build_model(tokenizer, TinyModelConfig(**sizes)).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path
