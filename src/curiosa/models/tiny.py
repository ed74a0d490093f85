"""The embedded default model: a byte-level BPE tokenizer trained on the games' text and a small
Llama-architecture model, both saved as a standard Hugging Face directory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from curiosa.models.chat import DEFAULT_CHAT_TEMPLATE

PAD, BOS, IM_START, IM_END = "<|pad|>", "<|bos|>", "<|im_start|>", "<|im_end|>"


@dataclass
class TinyModelConfig:
    """Shape of the tiny default model (defaults finish bootstrap in minutes on 2 CPU cores)."""

    vocab_size: int = 4096
    """Tokenizer vocabulary, special tokens included."""
    split_digits: bool = False
    """Tokenize every digit on its own: a number is then a few digit tokens instead of one rarely seen
    token, and copying it from an observation is a per-digit copy learnt once for all numbers. Measured
    on the default recipe (docs/rollout.md): the model then copies the problem's numbers right, but
    its game successes and math accuracy stay the same, so the default keeps BPE's merged numbers."""
    hidden_size: int = 128
    """Width of the residual stream."""
    intermediate_size: int = 384
    """Width of each MLP."""
    num_layers: int = 4
    """Transformer blocks."""
    num_heads: int = 4
    """Attention heads."""
    num_kv_heads: int = 2
    """Key/value heads (grouped-query attention)."""
    max_position_embeddings: int = 4096
    """Longest sequence (prompt and reply) the model handles."""
    rope_theta: float = 10000.0
    """RoPE base frequency."""


def train_tokenizer(texts: Iterable[str], vocab_size: int = 4096, split_digits: bool = False) -> Any:
    """A byte-level BPE tokenizer with ChatML special tokens and chat template (see TinyModelConfig.split_digits)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.pre_tokenizer = (pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True), byte_level])
                         if split_digits else byte_level)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=[PAD, BOS, IM_START, IM_END],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=BOS, eos_token=IM_END, pad_token=PAD,
        additional_special_tokens=[IM_START], clean_up_tokenization_spaces=False,
    )
    fast.chat_template = DEFAULT_CHAT_TEMPLATE
    return fast


def build_model(tokenizer: Any, config: TinyModelConfig, seed: int = 0) -> Any:
    """A freshly initialised Llama model for ``tokenizer``."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=config.hidden_size, intermediate_size=config.intermediate_size,
        num_hidden_layers=config.num_layers, num_attention_heads=config.num_heads,
        num_key_value_heads=config.num_kv_heads, max_position_embeddings=config.max_position_embeddings,
        rope_theta=config.rope_theta, tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
    )
    return LlamaForCausalLM(cfg)
