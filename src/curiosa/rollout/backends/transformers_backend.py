"""Batched generation with transformers, reusing every episode's KV cache across its turns.

All live episodes share one batched cache, one row each. A turn only encodes what is new since the
episode's last turn (the environment's reply and the next generation prompt); then every row decodes
together, one forward pass per token. Rows of different lengths are aligned by *holes*: cache
columns masked out of attention. Holes also implement resampling: the tokens of a rejected reply are
masked out rather than cut, so a row never has to be rebuilt. Position ids are tracked per row, so
holes never shift a token's position. Columns that are holes in every row are dropped from time to
time, and finished episodes' rows are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import torch

from curiosa.models.chat import ChatTokenizer
from curiosa.rollout.sampling import Sampler
from curiosa.rollout.types import SamplingConfig, TurnRequest, TurnResult


@dataclass
class _Row:
    tokens: list[int] = field(default_factory=list)
    """The ids in the cache, in order (holes excluded)."""
    columns: list[int] = field(default_factory=list)
    """The cache column of each of ``tokens``."""


class TransformersBackend:
    """Token-level backend for any Hugging Face causal LM (CPU or GPU)."""

    token_level = True

    def __init__(self, model: Any, tokenizer: Any, *, chat: ChatTokenizer | None = None,
                 name: str | None = None, compact_every: int = 64) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.chat = chat or ChatTokenizer(tokenizer)
        self.device = next(model.parameters()).device
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.chat.stop_token_id
        self.name = name or getattr(model, "name_or_path", None) or type(model).__name__
        self.compact_every = compact_every
        self._rows: list[_Row] = []
        self._keys: list[str | None] = []  # None marks a released row awaiting removal
        self._layers: list[tuple[torch.Tensor, torch.Tensor]] | None = None
        self._mask = torch.zeros(0, 0, dtype=torch.long, device=self.device)
        self._positions: list[int] = []
        self._sampler: Sampler | None = None
        self._sampling: SamplingConfig | None = None
        self._steps = 0
        self.stats = {"prefill_tokens": 0, "generated_tokens": 0, "forward_passes": 0}

    # ----------------------------------------------------------------- protocol
    def describe(self) -> dict[str, object]:
        return {"backend": "transformers", "model": str(self.name)}

    def release(self, key: str) -> None:
        if key in self._keys:
            self._keys[self._keys.index(key)] = None

    @torch.inference_mode()
    def generate(self, requests: Sequence[TurnRequest], sampling: SamplingConfig) -> list[TurnResult]:
        if not requests:
            return []
        if self._sampling != sampling:
            self._sampler, self._sampling = Sampler(sampling, self.device), sampling
        self._remove_released()
        rows = [self._row_for(r.key) for r in requests]
        if len(set(rows)) != len(rows):
            raise ValueError("two requests in one call share an episode key")
        deltas: dict[int, list[int]] = {}
        for req, row in zip(requests, rows):
            if req.prompt_ids is None:
                raise ValueError(f"request {req.key!r} has no prompt_ids: the transformers backend works on tokens")
            deltas[row] = self._reconcile(row, list(req.prompt_ids))
        prefill = sum(len(d) for d in deltas.values())
        self.stats["prefill_tokens"] += prefill
        logits = self._forward(deltas)
        out: dict[int, list[int]] = {row: [] for row in rows}
        ended = {row: False for row in rows}
        stop = self.chat.stop_token_id
        assert self._sampler is not None
        for step in range(sampling.max_new_tokens):
            active = [r for r in rows if not ended[r]]
            if not active:
                break
            picked = self._sampler(logits[active])
            feed: dict[int, list[int]] = {}
            for r, tok in zip(active, picked.tolist()):
                out[r].append(tok)
                if tok == stop:
                    ended[r] = True
                if not ended[r] and len(out[r]) < sampling.max_new_tokens:
                    feed[r] = [tok]  # the reply's last token is not fed: the next turn encodes it
            if not feed:
                break
            logits = self._forward(feed)
        results = []
        for req, row in zip(requests, rows):
            ids = out[row]
            self.stats["generated_tokens"] += len(ids)
            text_ids = ids[:-1] if ended[row] else ids
            results.append(TurnResult(
                text=self.tokenizer.decode(text_ids, skip_special_tokens=False),
                token_ids=ids, ended=ended[row], prefill_tokens=len(deltas[row]),
            ))
        self._steps += 1
        if self._steps % self.compact_every == 0:
            self._compact()
        return results

    # ----------------------------------------------------------------- cache bookkeeping
    def _row_for(self, key: str) -> int:
        if key in self._keys:
            return self._keys.index(key)
        self._keys.append(key)
        self._rows.append(_Row())
        self._positions.append(0)
        self._mask = torch.cat([self._mask, torch.zeros(1, self._mask.shape[1], dtype=torch.long, device=self.device)])
        if self._layers is not None:
            self._layers = [
                (torch.cat([k, k.new_zeros((1, *k.shape[1:]))]), torch.cat([v, v.new_zeros((1, *v.shape[1:]))]))
                for k, v in self._layers
            ]
        return len(self._keys) - 1

    def _reconcile(self, row: int, prompt: list[int]) -> list[int]:
        """Mask out cached tokens that are not a prefix of ``prompt``; return the ids still to encode."""
        if not prompt:
            raise ValueError("empty prompt")
        state = self._rows[row]
        common = 0
        limit = min(len(state.tokens), len(prompt))
        while common < limit and state.tokens[common] == prompt[common]:
            common += 1
        if common == len(prompt):  # nothing new: re-encode the last prompt token to get its logits
            common -= 1
        if common < len(state.tokens):
            drop = state.columns[common:]
            self._mask[row, drop] = 0
            del state.tokens[common:], state.columns[common:]
            self._positions[row] = common
        return prompt[common:]

    def _forward(self, feeds: dict[int, list[int]]) -> torch.Tensor:
        """Feed new ids to some rows (others get masked padding); return each row's last logits."""
        n_rows = len(self._keys)
        width = max(len(ids) for ids in feeds.values())
        input_ids = torch.full((n_rows, width), self.pad_id, dtype=torch.long)
        new_mask = torch.zeros((n_rows, width), dtype=torch.long)
        positions = torch.zeros((n_rows, width), dtype=torch.long)
        past = self._mask.shape[1]
        for row, ids in feeds.items():
            n = len(ids)
            start = width - n  # left-pad inside the chunk so every fed row ends at the last column
            input_ids[row, start:] = torch.tensor(ids)
            new_mask[row, start:] = 1
            positions[row, start:] = torch.arange(self._positions[row], self._positions[row] + n)
            state = self._rows[row]
            state.tokens.extend(ids)
            state.columns.extend(range(past + start, past + width))
            self._positions[row] += n
        self._mask = torch.cat([self._mask, new_mask.to(self.device)], dim=1)
        cache = self._cache()
        output = self.model(
            input_ids=input_ids.to(self.device), attention_mask=self._mask, position_ids=positions.to(self.device),
            past_key_values=cache, use_cache=True,
        )
        self.stats["forward_passes"] += 1
        self._layers = [(layer.keys, layer.values) for layer in output.past_key_values.layers]
        return output.logits[:, -1, :]

    def _cache(self) -> Any:
        from transformers import DynamicCache

        if self._layers is None:
            return DynamicCache(config=self.model.config)
        return DynamicCache(ddp_cache_data=self._layers, config=self.model.config)

    def _remove_released(self) -> None:
        keep = [i for i, k in enumerate(self._keys) if k is not None]
        if len(keep) == len(self._keys):
            return
        index = torch.tensor(keep, dtype=torch.long, device=self.device)
        self._keys = [self._keys[i] for i in keep]
        self._rows = [self._rows[i] for i in keep]
        self._positions = [self._positions[i] for i in keep]
        self._mask = self._mask.index_select(0, index)
        if self._layers is not None:
            self._layers = [(k.index_select(0, index), v.index_select(0, index)) for k, v in self._layers]
        self._compact()

    def _compact(self) -> None:
        """Drop cache columns that are holes in every row."""
        if self._mask.shape[1] == 0:
            return
        used = self._mask.any(dim=0)
        if not self._keys:
            self._layers, self._mask = None, self._mask[:, :0]
            for row in self._rows:
                row.columns.clear()
            return
        if bool(used.all()):
            return
        cols = used.nonzero().squeeze(-1)
        remap = torch.full((self._mask.shape[1],), -1, dtype=torch.long)
        remap[cols.cpu()] = torch.arange(len(cols))
        self._mask = self._mask.index_select(1, cols)
        if self._layers is not None:
            self._layers = [(k.index_select(2, cols), v.index_select(2, cols)) for k, v in self._layers]
        for row in self._rows:
            row.columns = remap[row.columns].tolist() if row.columns else []
