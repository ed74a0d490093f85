"""A lean forward pass for Llama-family decoders (Llama, Mistral, Qwen2) over a row cache.

Decoding one token for many episodes is latency-bound on a CPU: transformers' modules add per-layer
work that costs as much as the matrix products at a 64-row batch (the rotary embedding's concatenations,
the mask and cache bookkeeping, separate q/k/v and gate/up products). ``LeanDecoder`` computes the same
function from the model's own weights, read once into fused bf16 matrices (q, k and v as one product,
gate and up as another), with the rotary embedding applied in place, and the attention of
``models.attention`` over the caller's row cache. It runs only where it is exactly the model's function
(``supports``); the rollout backend falls back to the model's own forward for anything else (another
architecture, adapters, a sliding window). Its logits equal the model's to rounding (tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from curiosa.models.attention import CacheRows, check_attention, check_groups, decode_attention, rows_prefill_attention

SUPPORTED = ("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM")
"""Model classes whose forward ``LeanDecoder`` reproduces."""


def supports(model: Any) -> bool:
    """True when ``model`` is a plain (no adapters, no wrapper) model of a supported family with the
    features the lean pass implements: SiLU MLP, RMSNorm, full attention."""
    if type(model).__name__ not in SUPPORTED:
        return False
    config = model.config
    if getattr(config, "hidden_act", "silu") != "silu":
        return False
    if getattr(config, "sliding_window", None) and getattr(config, "use_sliding_window", True):
        return False  # Mistral's window is on whenever it is set; Qwen2's only with use_sliding_window
    layer_types = getattr(config, "layer_types", None)
    return not layer_types or all(t == "full_attention" for t in layer_types)


@dataclass
class _Layer:
    norm1: torch.Tensor
    qkv: torch.Tensor
    qkv_bias: torch.Tensor | None
    o: torch.Tensor
    o_bias: torch.Tensor | None
    norm2: torch.Tensor
    gate_up: torch.Tensor
    gate_up_bias: torch.Tensor | None
    down: torch.Tensor
    down_bias: torch.Tensor | None


def _cat_bias(*linears: Any) -> torch.Tensor | None:
    if all(lin.bias is None for lin in linears):
        return None
    return torch.cat([lin.bias if lin.bias is not None else lin.weight.new_zeros(lin.out_features) for lin in linears])


class LeanDecoder:
    """``model``'s forward over a row cache, with its weights copied into fused ``dtype`` matrices (the
    copy is made once: a model trained afterwards needs a new decoder)."""

    def __init__(self, model: Any, dtype: torch.dtype = torch.bfloat16) -> None:
        if not supports(model):
            raise ValueError(f"{type(model).__name__} is not supported by the lean decoder")
        config = model.config
        inner = model.model
        self.dtype = dtype
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // self.heads
        self.eps = config.rms_norm_eps
        self.rotary = inner.rotary_emb
        self.scaling = self.head_dim ** -0.5
        with torch.no_grad():
            def w(t: torch.Tensor | None) -> torch.Tensor | None:
                return None if t is None else t.detach().to(dtype).contiguous()

            self.embed = w(inner.embed_tokens.weight)
            self.final_norm = w(inner.norm.weight)
            self.lm_head = w(model.lm_head.weight)
            self.layers = []
            for layer in inner.layers[: config.num_hidden_layers]:
                attn, mlp = layer.self_attn, layer.mlp
                self.layers.append(_Layer(
                    norm1=w(layer.input_layernorm.weight),
                    qkv=w(torch.cat([attn.q_proj.weight, attn.k_proj.weight, attn.v_proj.weight])),
                    qkv_bias=w(_cat_bias(attn.q_proj, attn.k_proj, attn.v_proj)),
                    o=w(attn.o_proj.weight), o_bias=w(attn.o_proj.bias),
                    norm2=w(layer.post_attention_layernorm.weight),
                    gate_up=w(torch.cat([mlp.gate_proj.weight, mlp.up_proj.weight])),
                    gate_up_bias=w(_cat_bias(mlp.gate_proj, mlp.up_proj)),
                    down=w(mlp.down_proj.weight), down_bias=w(mlp.down_proj.bias),
                ))
        self.q_size = self.heads * self.head_dim
        self.kv_size = self.kv_heads * self.head_dim
        self.intermediate = config.intermediate_size

    def _norm(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        h = x.float()
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return weight * h.to(x.dtype)

    @staticmethod
    def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        """x * cos + rotate_half(x) * sin, without building rotate_half by concatenation."""
        half = x.shape[-1] // 2
        out = x * cos
        x1, x2 = x[..., :half], x[..., half:]
        out[..., :half] -= x2 * sin[..., :half]
        out[..., half:] += x1 * sin[..., half:]
        return out

    @torch.inference_mode()
    def forward(self, input_ids: torch.Tensor, positions: torch.Tensor, keys: list[torch.Tensor],
                values: list[torch.Tensor], write: tuple[torch.Tensor, torch.Tensor], used: int,
                rows: CacheRows, keep: torch.Tensor) -> torch.Tensor:
        """Logits at the positions ``keep`` of the new tokens.

        ``input_ids``/``positions``: the new tokens, [T] (decoding: one per fed row, in row order;
        checking a draft: a few per fed row; prefill: chunks packed end to end). ``keys``/``values``:
        per layer, the cache [rows, kv_heads, capacity, dim]; token i is written at (``write[0][i]``,
        ``write[1][i]``). ``used``: columns attended. ``rows``: how the pass meets the cache's leading
        rows (decoding or checking when it has spans).
        """
        checking = rows.checking
        decoding = bool(rows.spans) and not checking
        groups = check_groups(rows, device=input_ids.device) if checking else None
        x = F.embedding(input_ids, self.embed)  # [T, H]
        cos, sin = self.rotary(x, positions[None])  # [1, T, D]
        cos, sin = cos[0].to(self.dtype)[:, None], sin[0].to(self.dtype)[:, None]  # [T, 1, D]
        row_index, col_index = write
        n = x.shape[0]
        for i, layer in enumerate(self.layers):
            h = self._norm(x, layer.norm1)
            qkv = F.linear(h, layer.qkv, layer.qkv_bias)
            q = self._rotate(qkv[:, : self.q_size].view(n, self.heads, self.head_dim), cos, sin)
            k = self._rotate(qkv[:, self.q_size: self.q_size + self.kv_size].view(n, self.kv_heads, self.head_dim),
                             cos, sin)
            v = qkv[:, self.q_size + self.kv_size:].view(n, self.kv_heads, self.head_dim)
            keys[i][row_index, :, col_index] = k
            values[i][row_index, :, col_index] = v
            k_all, v_all = keys[i][: len(rows.lengths), :, :used], values[i][: len(rows.lengths), :, :used]
            if decoding:
                out = decode_attention(q[:, :, None], k_all, v_all, rows, self.scaling)  # [fed rows, 1, heads, D]
            elif checking:
                out = check_attention(q, k_all, v_all, rows, self.scaling, groups=groups)  # [T, heads, D]
            else:
                out = rows_prefill_attention(q.transpose(0, 1)[None], k_all, v_all, rows, self.scaling)  # [1, T, heads, D]
            x = x + F.linear(out.reshape(n, self.q_size), layer.o, layer.o_bias)
            h = self._norm(x, layer.norm2)
            gate_up = F.linear(h, layer.gate_up, layer.gate_up_bias)
            gate, up = gate_up[:, : self.intermediate], gate_up[:, self.intermediate:]
            x = x + F.linear(F.silu(gate) * up, layer.down, layer.down_bias)
        h = self._norm(x[keep], self.final_norm)
        return F.linear(h, self.lm_head)
