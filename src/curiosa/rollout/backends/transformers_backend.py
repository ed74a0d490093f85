"""Batched generation with transformers, reusing every episode's KV cache across its turns.

All live episodes share one preallocated cache, one row each, and every row keeps its own tokens in
its own columns 0..n-1. A turn only encodes what is new since the episode's last turn (the
environment's reply and the next generation prompt), written in place after the row's last token;
then every row decodes together, one forward pass per token, each new token written at its own
row's end. Rows of different lengths attend through a mask built from their lengths, so no row pays
for another's history beyond the batch's longest row, and nothing is copied as the cache grows
(capacity doubles when needed). A resample rewinds the row to where the rejected reply began.
Position ids are tracked per row; finished episodes' rows are removed.
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
    """The ids in the cache, in order: token i sits in column i."""


class _RowCache:
    """The model-facing cache: writes each fed position to its own row's column (``targets``), and
    padding to a spare last column that is never attended. Duck-types transformers' ``Cache.update``."""

    def __init__(self) -> None:
        self.keys: list[torch.Tensor] = []
        self.values: list[torch.Tensor] = []
        self.capacity = 0
        self.targets: torch.Tensor | None = None
        self.used = 0

    def reserve(self, rows: int, capacity: int) -> None:
        """Grow the column capacity to at least ``capacity`` (doubling), keeping the contents."""
        if capacity <= self.capacity:
            return
        new = max(capacity, 2 * self.capacity, 256)
        for store in (self.keys, self.values):
            for i, t in enumerate(store):
                grown = t.new_zeros((t.shape[0], t.shape[1], new + 1, t.shape[3]))
                grown[:, :, : self.capacity] = t[:, :, : self.capacity]
                store[i] = grown
        self.capacity = new

    def add_row(self) -> None:
        for store in (self.keys, self.values):
            for i, t in enumerate(store):
                store[i] = torch.cat([t, t.new_zeros((1, *t.shape[1:]))])

    def keep_rows(self, index: torch.Tensor) -> None:
        for store in (self.keys, self.values):
            for i, t in enumerate(store):
                store[i] = t.index_select(0, index)

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, layer_idx: int,
               cache_kwargs: Any = None) -> tuple[torch.Tensor, torch.Tensor]:
        assert self.targets is not None
        if layer_idx == len(self.keys):  # first forward: allocate this layer
            rows, heads, _, dim = key_states.shape
            self.keys.append(key_states.new_zeros((rows, heads, self.capacity + 1, dim)))
            self.values.append(value_states.new_zeros((rows, heads, self.capacity + 1, dim)))
        k, v = self.keys[layer_idx], self.values[layer_idx]
        index = self.targets[:, None, :, None].expand(-1, k.shape[1], -1, k.shape[3])
        k.scatter_(2, index, key_states)
        v.scatter_(2, index, value_states)
        return k[:, :, : self.used], v[:, :, : self.used]

    def get_seq_length(self, layer_idx: int = 0) -> int:
        return self.used


class TransformersBackend:
    """Token-level backend for any Hugging Face causal LM (CPU or GPU)."""

    token_level = True

    def __init__(self, model: Any, tokenizer: Any, *, chat: ChatTokenizer | None = None,
                 name: str | None = None) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.chat = chat or ChatTokenizer(tokenizer)
        self.device = next(model.parameters()).device
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.chat.stop_token_id
        self.name = name or getattr(model, "name_or_path", None) or type(model).__name__
        self._rows: list[_Row] = []
        self._keys: list[str | None] = []  # None marks a released row awaiting removal
        self._cache = _RowCache()
        self._positions: list[int] = []
        self._sampler: Sampler | None = None
        self._sampling: SamplingConfig | None = None
        
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

        return results

    # ----------------------------------------------------------------- cache bookkeeping
    def _row_for(self, key: str) -> int:
        if key in self._keys:
            return self._keys.index(key)
        self._keys.append(key)
        self._rows.append(_Row())
        self._positions.append(0)
        self._cache.add_row()
        return len(self._keys) - 1

    def _reconcile(self, row: int, prompt: list[int]) -> list[int]:
        """Rewind the row to its longest common prefix with ``prompt``; return the ids still to encode."""
        if not prompt:
            raise ValueError("empty prompt")
        state = self._rows[row]
        common = 0
        limit = min(len(state.tokens), len(prompt))
        while common < limit and state.tokens[common] == prompt[common]:
            common += 1
        if common == len(prompt):  # nothing new: re-encode the last prompt token to get its logits
            common -= 1
        del state.tokens[common:]
        self._positions[row] = common
        return prompt[common:]

    def _forward(self, feeds: dict[int, list[int]]) -> torch.Tensor:
        """Feed new ids to some rows (others get padding); return each row's last logits."""
        n_rows = len(self._keys)
        width = max(len(ids) for ids in feeds.values())
        lengths = [len(r.tokens) for r in self._rows]
        ends = [lengths[r] + len(feeds.get(r, ())) for r in range(n_rows)]
        cache = self._cache
        cache.reserve(n_rows, max(ends))
        spare = cache.capacity  # the column padding is written to
        input_ids = torch.full((n_rows, width), self.pad_id, dtype=torch.long)
        positions = torch.zeros((n_rows, width), dtype=torch.long)
        targets = torch.full((n_rows, width), spare, dtype=torch.long)
        for row, ids in feeds.items():
            n = len(ids)
            start = width - n  # left-pad inside the chunk so every fed row ends at the last column
            input_ids[row, start:] = torch.tensor(ids)
            positions[row, start:] = torch.arange(self._positions[row], self._positions[row] + n)
            targets[row, start:] = torch.arange(lengths[row], lengths[row] + n)
            self._rows[row].tokens.extend(ids)
            self._positions[row] += n
        cache.used = max(ends)
        cache.targets = targets.to(self.device)
        # A query sees its row's columns up to its own; padding queries see everything (never used).
        columns = torch.arange(cache.used)
        mask = (columns[None, None, :] <= targets[:, :, None]) | (targets == spare)[:, :, None]
        output = self.model(
            input_ids=input_ids.to(self.device), attention_mask=mask[:, None].to(self.device),
            position_ids=positions.to(self.device), past_key_values=cache, use_cache=True,
        )
        self.stats["forward_passes"] += 1
        return output.logits[:, -1, :]

    def _remove_released(self) -> None:
        keep = [i for i, k in enumerate(self._keys) if k is not None]
        if len(keep) == len(self._keys):
            return
        index = torch.tensor(keep, dtype=torch.long, device=self.device)
        self._keys = [self._keys[i] for i in keep]
        self._rows = [self._rows[i] for i in keep]
        self._positions = [self._positions[i] for i in keep]
        self._cache.keep_rows(index)
