"""Load any Hugging Face causal LM and its tokenizer (local path, or hub name when online)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curiosa.models.chat import ensure_chat_template


@dataclass
class LoraConfig:
    """Low-rank adapters through peft (None of these matter when LoRA is off)."""

    r: int = 16
    """Rank of the adapters."""
    alpha: int = 32
    """Scaling numerator (the update is scaled by alpha / r)."""
    dropout: float = 0.05
    """Dropout on the adapter input."""
    target_modules: list[str] = field(default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj",
                                                                "gate_proj", "up_proj", "down_proj"])
    """Module names that get adapters (Llama-style names by default)."""


def _check_path(path: str | Path) -> str:
    text = str(path)
    p = Path(text).expanduser()
    if p.exists():
        if not (p / "config.json").is_file():
            raise FileNotFoundError(f"{p} is not a Hugging Face model directory (no config.json)")
        return str(p)
    if text.startswith((".", "/", "~")) or Path(text).suffix:
        raise FileNotFoundError(f"model path {text} does not exist")
    return text  # a hub name: transformers fetches it when online


def load_tokenizer(path: str | Path) -> Any:
    """The tokenizer with a chat template (the default ChatML one where the model ships none)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(_check_path(path))
    return ensure_chat_template(tokenizer)


def resolve_dtype(dtype: str) -> Any:
    import torch

    if dtype == "auto":
        if torch.cuda.is_available() and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    try:
        return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype]
    except KeyError:
        raise ValueError(f"dtype must be auto, float32, bfloat16 or float16, got {dtype!r}") from None


def load_model(path: str | Path, *, dtype: str = "auto", device: str | None = None,
               lora: LoraConfig | None = None, tokenizer: Any = None) -> Any:
    """A causal LM ready for generation or training; with ``lora``, wrapped in peft adapters.

    When the tokenizer gained tokens (the default chat template's), the embeddings are resized.
    A directory holding a peft adapter (adapter_config.json) loads its base model and the adapter.
    """
    import torch
    from transformers import AutoModelForCausalLM

    torch_dtype = resolve_dtype(dtype)
    source = _check_path(path)
    if Path(source, "adapter_config.json").is_file():
        from peft import AutoPeftModelForCausalLM

        model = AutoPeftModelForCausalLM.from_pretrained(source, dtype=torch_dtype)
        if lora is not None:  # new adapters go on top of the saved ones, merged into the weights
            model = model.merge_and_unload()
    else:
        model = AutoModelForCausalLM.from_pretrained(source, dtype=torch_dtype)
    if tokenizer is not None and len(tokenizer) > model.get_input_embeddings().num_embeddings:
        model.resize_token_embeddings(len(tokenizer))
    if lora is not None:
        from peft import LoraConfig as PeftLoraConfig, get_peft_model

        model = get_peft_model(model, PeftLoraConfig(
            r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout,
            target_modules=list(lora.target_modules), task_type="CAUSAL_LM",
        ))
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    return model.to(device)
