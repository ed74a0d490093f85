"""Batched generation with transformers, reusing every episode's KV cache across its turns.

All live episodes share one preallocated cache, one row each, and every row keeps its own tokens in its
own columns 0..n-1. A turn only encodes what is new since the episode's last turn (the environment's
reply and the next generation prompt): the new chunks of all rows go through the model packed end to end
as one sequence (no padding), each written in place after its row's last token and attended over its
row's own history, and only each row's last logits are computed; then the rows decode together, one
forward pass per token, each new token written at its own row's end (with drafting, a pass feeds each
row its new token and a prompt-lookup draft of the next ones, and keeps the drafted tokens sampling
picks). A row whose reply has ended sits the following passes out where it is (nothing is moved), and
the rows still decoding attend in groups of neighbouring rows, each group only up to its own longest row
(``models.attention.decode_spans``): rows stay in the order their episodes started, so neighbours have
similar lengths. Nothing is copied as the cache grows (capacity grows by half when needed). A resample
rewinds the row to where the rejected reply began. A token's position is its column; finished episodes'
rows are removed, the rows after them moving up in order. With ``on_result`` (continuous batching) a
call goes on past its requests: each reply is handed back as it ends, and the requests that follow it
are prefilled into the running passes, a few at a time.

The cache is a transformers ``Cache`` built from curiosa's own cache layers, and the model runs with
curiosa's attention (``curiosa.models.attention``), registered and selected through transformers'
public interfaces; the row layout reaches the attention as a keyword argument of the forward call.
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import torch
from transformers import Cache, CacheLayerMixin

from curiosa.models import attention
from curiosa.models.attention import CacheRows, decode_spans
from curiosa.models.chat import ChatTokenizer
from curiosa.rollout.backends import DRAFT_BUDGET, DRAFT_TOKENS
from curiosa.rollout.backends.seeding import SeedTracker
from curiosa.rollout.drafting import PromptLookup
from curiosa.rollout.sampling import Sampler
from curiosa.rollout.types import SamplingConfig, TurnRequest, TurnResult
from curiosa.runtime import trim_freed_memory

REFILL_SHARE = 0.25
"""Continuous batching: waiting requests are prefilled once they are at least this share of the rows
(decoding and waiting): a prefill pass costs about what a decoding pass does, so a few at a time."""


@dataclass
class _Row:
    tokens: list[int] = field(default_factory=list)
    """The ids in the cache, in order: token i sits in column i."""
    lookup: PromptLookup | None = None
    """Drafting: the episode's tokens so far (the cache's and the reply's last, not yet fed), indexed."""


class _Plan:
    """What the next forward pass writes and reads, shared by every layer of the cache."""

    def __init__(self) -> None:
        self.capacity = 0
        """Columns per row."""
        self.rows = 0
        """The leading rows the pass runs on."""
        self.total = 0
        """Rows allocated (a new layer's size; at least the rows in use)."""
        self.most_rows = 0
        """The most rows in use at once so far."""
        self.used = 0
        """Columns the pass attends over (the longest fed row after the pass)."""
        self.token_rows: torch.Tensor | None = None
        """Each new token's row and column."""
        self.token_cols: torch.Tensor | None = None


class RowCacheLayer(CacheLayerMixin):
    """One layer's keys and values for every row, [rows, kv_heads, capacity, head_dim], written
    in place where the plan says: nothing is copied as rows grow (capacity grows by half when needed)."""

    def __init__(self, plan: _Plan) -> None:
        super().__init__()
        self.plan = plan

    def lazy_initialization(self, key_states: torch.Tensor, value_states: torch.Tensor) -> None:
        _, heads, _, dim = key_states.shape
        shape = (self.plan.total, heads, self.plan.capacity, dim)
        self.keys, self.values = key_states.new_zeros(shape), value_states.new_zeros(shape)
        self.is_initialized = True

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args: Any,
               **kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        plan = self.plan
        k, v = self.keys[: plan.rows], self.values[: plan.rows]
        # token i goes to (token_rows[i], token_cols[i]); decoding passes [n, kv, 1, D] (a token per fed row),
        # prefill one packed sequence [1, kv, T, D]: either way [tokens, kv, D] in order
        k[plan.token_rows, :, plan.token_cols] = key_states.transpose(1, 2).flatten(0, 1)
        v[plan.token_rows, :, plan.token_cols] = value_states.transpose(1, 2).flatten(0, 1)
        return k[:, :, : plan.used], v[:, :, : plan.used]

    def get_seq_length(self, *args: Any) -> int:
        return self.plan.used

    def get_mask_sizes(self, *args: Any, **kwargs: Any) -> tuple[int, int]:
        return self.plan.used, 0

    def get_max_length(self) -> int:
        return -1

    def get_max_cache_shape(self) -> int:
        return -1

    # row bookkeeping, the same for every layer. A reallocation hands the replaced tensors back to the
    # system before the next layer grows: under keep_freed_memory every earlier size stayed resident
    # beside the cache (11.4 GB for a 4.5 GB cache; docs/rollout.md, Memory).
    def grow(self, capacity: int, rows: int) -> None:
        """Reallocate with ``capacity`` columns and only the first ``rows`` rows."""
        if self.is_initialized:
            for name in ("keys", "values"):
                t = getattr(self, name)
                grown = t.new_zeros((rows, t.shape[1], capacity, t.shape[3]))
                grown[:, :, : t.shape[2]] = t[:rows]
                setattr(self, name, grown)
            trim_freed_memory()

    def grow_rows(self, rows: int) -> None:
        if self.is_initialized and rows > self.keys.shape[0]:
            for name in ("keys", "values"):
                t = getattr(self, name)
                grown = t.new_zeros((rows, *t.shape[1:]))
                grown[: t.shape[0]] = t
                setattr(self, name, grown)
            trim_freed_memory()

    def keep_rows(self, index: list[int], widths: list[int]) -> None:
        """Move the rows ``index`` (ascending) up to the front in order, each only its first ``widths``
        columns, in place: the allocation is kept for the rows that come next, so finishing and starting
        episodes never reallocates the cache, and rows already in place are not copied."""
        if self.is_initialized:
            for t in (self.keys, self.values):
                for target, (source, width) in enumerate(zip(index, widths)):
                    if source != target:  # source > target, and no later row reads from target
                        t[target, :, :width] = t[source, :, :width]


class RowCache(Cache):
    """transformers' ``Cache`` made of :class:`RowCacheLayer` layers: every episode owns a row, and
    each of its tokens sits in the column of its position."""

    def __init__(self, num_layers: int) -> None:
        self.plan = _Plan()
        super().__init__(layers=[RowCacheLayer(self.plan) for _ in range(num_layers)])

    def reserve(self, capacity: int, rows: int) -> None:
        """Grow the column capacity to at least ``capacity`` (by half again, in steps of 256 columns),
        keeping the contents of the first ``rows`` rows (those in use) and no more: the longest episodes
        often outlast most others, and 64 rows of a 135M model cost 1.5 MB a column."""
        if capacity <= self.plan.capacity:
            return
        wanted = max(capacity, self.plan.capacity + self.plan.capacity // 2, 256)
        self.plan.capacity = -(-wanted // 256) * 256
        self.plan.total = rows
        for layer in self.layers:
            layer.grow(self.plan.capacity, rows)

    def add_row(self, rows: int) -> None:
        """Make room for ``rows`` rows (doubling, so adding rows one by one copies little; never beyond
        the most rows used so far unless more are needed)."""
        if rows > self.plan.total:
            grown = max(2 * self.plan.total, 8)
            if rows <= self.plan.most_rows:  # as many rows as before will do
                grown = min(grown, self.plan.most_rows)
            self.plan.total = max(rows, grown)
            for layer in self.layers:
                layer.grow_rows(self.plan.total)
        self.plan.most_rows = max(self.plan.most_rows, rows)

    def keep_rows(self, index: list[int], widths: list[int]) -> None:
        for layer in self.layers:
            layer.keep_rows(index, widths)

    def tensors(self, kv_heads: int, head_dim: int, dtype: torch.dtype,
                device: torch.device) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Every layer's keys and values (allocated on first use), for a forward pass of one's own."""
        for layer in self.layers:
            if not layer.is_initialized:
                template = torch.empty((1, kv_heads, 1, head_dim), dtype=dtype, device=device)
                layer.lazy_initialization(template, template)
        return [layer.keys for layer in self.layers], [layer.values for layer in self.layers]


def cache_argument(model: Any) -> str:
    """The keyword ``model.forward`` takes its cache by, read from its public signature: ``cache``
    from transformers 5.24 on, ``past_key_values`` before. A peft model passes it on to its base model."""
    if hasattr(model, "get_base_model"):
        model = model.get_base_model()
    parameters = inspect.signature(model.forward).parameters
    return "cache" if "cache" in parameters else "past_key_values"


class TransformersBackend:
    """Token-level backend for any Hugging Face causal LM (CPU or GPU).

    ``lean``: run Llama-family models through ``models.decoder.LeanDecoder`` (the same function with
    fused weights, faster on a CPU: docs/rollout.md); None: wherever it applies. Other models, and models
    with adapters, run their own forward over the same row cache. ``lean_dtype``: the dtype of the lean
    decoder's weights and cache (None: the model's own; 'auto': bf16 where the hardware has it), so a
    model kept in float32 for training can still generate in bf16.

    ``draft_tokens``: decode up to this many more tokens per row and pass by checking a prompt-lookup
    draft (``rollout.drafting``; 0: one token per pass). Replies do not change (to rounding: a checking
    pass's products over more rows round differently in bf16, as another batch does): each episode draws
    one random number per sampled token, in order, and a draft token is kept only where it is the token
    sampling picks. ``draft_budget``: the most tokens a checking pass feeds in all, so drafts go to passes
    with few rows (with ``rows`` rows left, each row's draft is at most ``draft_budget // rows - 1``
    tokens), where a pass costs little more for a few tokens more per row.

    ``refill_share``: with ``generate``'s ``on_result`` (continuous batching), prefill the requests it
    returned once they are this share of the rows (0: at every pass; 1: only when no row decodes).
    """

    token_level = True

    def __init__(self, model: Any, tokenizer: Any, *, chat: ChatTokenizer | None = None,
                 name: str | None = None, lean: bool | None = None, lean_dtype: str | None = None,
                 draft_tokens: int = DRAFT_TOKENS, draft_budget: int = DRAFT_BUDGET,
                 refill_share: float = REFILL_SHARE) -> None:
        from curiosa.models import decoder
        from curiosa.models.dtype import resolve_dtype
        from curiosa.runtime import keep_freed_memory

        if draft_tokens < 0 or draft_budget < 1:
            raise ValueError(f"draft_tokens must be >= 0 and draft_budget >= 1, got {draft_tokens} and {draft_budget}")
        if not 0 <= refill_share <= 1:
            raise ValueError(f"refill_share must be in [0, 1], got {refill_share}")
        self.draft_tokens, self.draft_budget, self.refill_share = draft_tokens, draft_budget, refill_share
        keep_freed_memory()
        attention.use(model)
        self.model = model.eval()
        self._cache_argument = cache_argument(model)
        if lean and not decoder.supports(model):
            raise ValueError(f"lean decoding does not support {type(model).__name__} (supported: "
                             f"{', '.join(decoder.SUPPORTED)}, without adapters or a sliding window)")
        use_lean = decoder.supports(model) if lean is None else lean
        dtype = next(model.parameters()).dtype if lean_dtype is None else resolve_dtype(lean_dtype)
        self.lean = decoder.LeanDecoder(model, dtype=dtype) if use_lean else None
        self.tokenizer = tokenizer
        self.chat = chat or ChatTokenizer(tokenizer)
        self.device = next(model.parameters()).device
        self.name = name or getattr(model, "name_or_path", None) or type(model).__name__
        self._rows: list[_Row] = []
        self._keys: list[str | None] = []  # None marks a released row awaiting removal
        self._cache = RowCache(model.config.get_text_config().num_hidden_layers)
        self._sampler: Sampler | None = None
        self._sampling: SamplingConfig | None = None
        self._seeds = SeedTracker()
        self.stats = {"prefill_tokens": 0, "generated_tokens": 0, "forward_passes": 0, "prefill_passes": 0,
                      "prefill_seconds": 0.0, "decode_passes": 0, "decode_seconds": 0.0, "decode_rows": 0,
                      "decode_columns": 0, "decode_read_columns": 0, "decode_own_columns": 0,
                      "draft_tokens": 0, "draft_kept": 0}
        """Counters since construction; per kind of pass (prefill, decode; a checking pass counts as
        decoding): passes and seconds, and for decoding, summed over passes, the rows computed and three
        counts of cache columns (summed over rows): up to the longest row (what one attention call over
        all rows reads), what the groups read, and the rows' own (docs/rollout.md); draft tokens fed and
        kept."""

    # ----------------------------------------------------------------- protocol
    def describe(self) -> dict[str, object]:
        return {"backend": "transformers", "model": str(self.name), "dtype": str(self.dtype).removeprefix("torch.")}

    @property
    def dtype(self) -> torch.dtype:
        """The dtype the forward passes compute in."""
        return self.lean.dtype if self.lean is not None else next(self.model.parameters()).dtype

    def release(self, key: str) -> None:
        if key in self._keys:
            self._keys[self._keys.index(key)] = None
        self._seeds.forget(key)

    @torch.inference_mode()
    def generate(self, requests: Sequence[TurnRequest], sampling: SamplingConfig,
                 on_result: Callable[[TurnRequest, TurnResult], Sequence[TurnRequest]] | None = None,
                 ) -> list[TurnResult]:
        """One reply per request. With ``on_result``, each reply is handed to it as soon as it ends, and the
        requests it returns (an episode's next turn, a new episode) are prefilled and decoded alongside the
        rows still decoding, once enough of them wait (``refill_share``); the result list then holds
        ``requests``' results and then every added request's, in the order they were added."""
        if not requests:
            return []
        if self._sampling != sampling:
            self._sampler, self._sampling = Sampler(sampling, self.device), sampling
        stop = self.chat.stop_token_id
        calls: list[TurnRequest] = []
        rows: dict[int, int] = {}  # request -> its row, for the requests not yet answered
        out: list[list[int]] = []
        spare: list[list[torch.Tensor]] = []
        streams: list[torch.Generator] = []
        lookups: list[PromptLookup | None] = []
        deltas: list[list[int]] = []
        results: list[TurnResult | None] = []
        pending: list[TurnRequest] = []

        def admit(new: Sequence[TurnRequest]) -> dict[int, list[int]]:
            """Prefill ``new`` in one pass, sample each one's first tokens; return the rows to feed next."""
            live = {calls[i].key for i in rows}
            keys = [r.key for r in new]
            if len(set(keys)) != len(keys) or live.intersection(keys):
                raise ValueError("two requests in one call share an episode key")
            for req in new:
                if req.prompt_ids is None:
                    raise ValueError(f"request {req.key!r} has no prompt_ids: the transformers backend works on tokens")
            self._remove_released()  # rows of unanswered requests move up with their cache: look them up again
            for i in rows:
                rows[i] = self._keys.index(calls[i].key)
            first = len(calls)
            for req in new:
                i = len(calls)
                calls.append(req)
                rows[i] = self._row_for(req.key)
                deltas.append(self._reconcile(rows[i], list(req.prompt_ids)))  # type: ignore[arg-type]
                self.stats["prefill_tokens"] += len(deltas[i])
                # Each request draws from its own stream, seeded by (run seed, episode, prompt, resample count) as
                # on the other backends: an episode's draws do not depend on which others share its passes (its
                # logits do, to rounding: docs/rollout.md, Sampling).
                streams.append(torch.Generator().manual_seed(self._seeds.seed(sampling.seed, req.key, req.prompt_ids)))  # type: ignore[arg-type]
                out.append([])
                spare.append([])
                results.append(None)
            added = range(first, len(calls))
            logits, at = self._forward({rows[i]: deltas[i] for i in added})
            lookups.extend(self._lookup(rows[i]) if self.draft_tokens else None for i in added)
            return accept({i: (at[rows[i]], []) for i in added}, logits)

        def accept(checks: dict[int, tuple[int, list[int]]], logits: torch.Tensor) -> dict[int, list[int]]:
            """Sample every checked position, keep the tokens sampling agrees with; finish the replies that
            ended. Returns, per request still decoding, the token to feed next."""
            picked, draws = self._sample(checks, logits, streams if sampling.temperature > 0 else None, spare)
            feed: dict[int, list[int]] = {}
            for i, (_, draft) in checks.items():
                mine = picked[i]
                sampled, ended = 0, False  # tokens taken: the draft's kept ones, then one of sampling's own
                for j, tok in enumerate(mine):
                    out[i].append(tok)
                    sampled += 1
                    if tok == stop or len(out[i]) >= sampling.max_new_tokens:
                        ended = True  # the reply's last token is not fed: the next turn encodes it
                        break
                    if j == len(draft) or tok != draft[j]:
                        break
                spare[i][:0] = draws[i][sampled:]  # drawn for positions after the first miss: the next tokens'
                if draft:  # the cache keeps the fed token and the kept draft tokens
                    self.stats["draft_tokens"] += len(draft)
                    self.stats["draft_kept"] += sampled - 1
                    tokens = self._rows[rows[i]].tokens
                    del tokens[len(tokens) - len(draft) + sampled - 1:]
                lookup = lookups[i]
                if lookup is not None:
                    lookup.extend(mine[:sampled])
                if not ended:
                    feed[i] = [out[i][-1]]
                    continue
                del rows[i]
                results[i] = self._result(out[i], len(deltas[i]), stop)
                if on_result is not None:
                    pending.extend(on_result(calls[i], results[i]))  # type: ignore[arg-type]
            return feed

        feed = admit(requests)
        while True:
            while pending and (not feed or len(pending) >= self.refill_share * (len(feed) + len(pending))):
                new, pending[:] = list(pending), []
                feed.update(admit(new))
            if not feed:
                break
            k = min(self.draft_tokens, self.draft_budget // len(feed) - 1)
            drafts: dict[int, list[int]] = {}
            for i in feed:
                room = sampling.max_new_tokens - len(out[i]) - 1  # tokens the pass may still sample after the fed one
                lookup = lookups[i]
                drafts[i] = lookup.draft(min(k, room)) if lookup is not None and k > 0 else []
            logits, at = self._forward({rows[i]: feed[i] + drafts[i] for i in feed}, check=True)
            feed = accept({i: (at[rows[i]], drafts[i]) for i in feed}, logits)
        return results  # type: ignore[return-value]

    def _result(self, ids: list[int], prefilled: int, stop: int) -> TurnResult:
        self.stats["generated_tokens"] += len(ids)
        finished = bool(ids) and ids[-1] == stop
        text_ids = ids[:-1] if finished else ids
        return TurnResult(text=self.tokenizer.decode(text_ids, skip_special_tokens=False), token_ids=ids,
                          ended=finished, prefill_tokens=prefilled)

    def _sample(self, checks: dict[int, tuple[int, list[int]]], logits: torch.Tensor,
                streams: list[torch.Generator] | None,
                spare: list[list[torch.Tensor]]) -> tuple[dict[int, list[int]], dict[int, list[torch.Tensor]]]:
        """A token for every checked position (after the fed token and after each draft token), in one
        call of the sampler, and the draws used: each request's in order from its spare draws, then from
        its stream, so the n-th token sampled for an episode always uses the n-th draw."""
        index: list[int] = []
        draws: dict[int, list[torch.Tensor]] = {}
        for i, (start, draft) in checks.items():
            index += range(start, start + len(draft) + 1)
            if streams is not None:
                need = len(draft) + 1
                taken, spare[i] = spare[i][:need], spare[i][need:]
                draws[i] = taken + [torch.rand((1, 1), generator=streams[i]) for _ in range(need - len(taken))]
            else:
                draws[i] = []
        uniforms = torch.cat([u for i in checks for u in draws[i]]) if streams is not None else None
        assert self._sampler is not None
        flat = self._sampler(logits[index], uniforms).tolist()
        picked, at = {}, 0
        for i, (_, draft) in checks.items():
            picked[i], at = flat[at:at + len(draft) + 1], at + len(draft) + 1
        return picked, draws

    def _lookup(self, row: int) -> PromptLookup:
        """The row's drafter, holding exactly the row's tokens."""
        state = self._rows[row]
        if state.lookup is None:
            state.lookup = PromptLookup(state.tokens)
        else:
            state.lookup.sync(state.tokens)
        return state.lookup

    # ----------------------------------------------------------------- cache bookkeeping
    def _row_for(self, key: str) -> int:
        if key in self._keys:
            return self._keys.index(key)
        self._keys.append(key)
        self._rows.append(_Row())
        self._cache.add_row(len(self._keys))
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
        return prompt[common:]

    def _forward(self, feeds: dict[int, list[int]], check: bool = False) -> tuple[torch.Tensor, dict[int, int]]:
        """Feed new ids to some rows; return the last logits of each fed row and, per fed row, its
        place in them. One token per row is a batched decoding pass; longer chunks are packed end to end
        into one sequence, so no padding is computed. ``check``: the chunks are a token and its draft,
        attended like decoding and with logits after every token (a row's from its place on). The pass
        runs on the cache's rows up to the last fed one; rows not fed sit it out."""
        fed = sorted(feeds)
        n_rows = fed[-1] + 1
        lengths = [len(r.tokens) for r in self._rows[:n_rows]]
        counts = [len(feeds.get(r, ())) for r in range(n_rows)]
        used = max(lengths[r] + counts[r] for r in fed)
        self._cache.reserve(used, rows=len(self._keys))
        plan = self._cache.plan
        plan.rows, plan.used = n_rows, used
        ids: list[int] = []
        offsets = [0] * n_rows
        token_rows: list[int] = []
        token_cols: list[int] = []
        for row in fed:
            offsets[row] = len(ids)
            ids += feeds[row]
            token_rows += [row] * len(feeds[row])
            token_cols += range(lengths[row], lengths[row] + len(feeds[row]))  # a token's column is its position
        plan.token_rows = torch.tensor(token_rows, dtype=torch.long, device=self.device)
        plan.token_cols = torch.tensor(token_cols, dtype=torch.long, device=self.device)
        decoding = max(counts) == 1 or check
        if check:
            last = torch.arange(len(ids), device=self.device)
            places = {row: offsets[row] for row in fed}
        else:
            last = torch.tensor([offsets[row] + len(feeds[row]) - 1 for row in fed], dtype=torch.long, device=self.device)
            places = {row: i for i, row in enumerate(fed)}
        kind = "decode" if decoding else "prefill"
        rows = CacheRows(lengths, counts, offsets, decode_spans(lengths, counts) if decoding else ())
        start = time.perf_counter()
        input_ids = torch.tensor(ids, dtype=torch.long, device=self.device)
        if self.lean is not None:
            keys, values = self._cache.tensors(self.lean.kv_heads, self.lean.head_dim, self.lean.dtype, self.device)
            logits = self.lean.forward(input_ids, plan.token_cols, keys, values, (plan.token_rows, plan.token_cols),
                                       plan.used, rows, last)
        elif decoding and not rows.checking:  # a batch of one-token rows
            logits = self._run(input_ids[:, None], plan.token_cols[:, None], rows, 1)[:, -1]
        else:  # one packed sequence
            logits = self._run(input_ids[None], plan.token_cols[None], rows, last)[0]
        self.stats[f"{kind}_seconds"] += time.perf_counter() - start
        self.stats[f"{kind}_passes"] += 1
        if decoding:
            self.stats["decode_rows"] += len(fed)
            self.stats["decode_columns"] += len(fed) * plan.used
            self.stats["decode_read_columns"] += sum((end - first) * columns for first, end, columns in rows.spans)
            self.stats["decode_own_columns"] += sum(lengths[r] + 1 for r in fed)
        for row in fed:
            self._rows[row].tokens.extend(feeds[row])
        self.stats["forward_passes"] += 1
        return logits, places

    def _run(self, input_ids: torch.Tensor, positions: torch.Tensor, rows: CacheRows,
             keep: int | torch.Tensor) -> torch.Tensor:
        """One pass of the model's own forward over the row cache. Its attention reads the rows' layout
        (``curiosa_rows``), not a mask; the 4-D all-true mask given only spares transformers building one."""
        mask = torch.ones((input_ids.shape[0], 1, 1, self._cache.plan.used), dtype=torch.bool, device=self.device)
        output = self.model(
            input_ids=input_ids, position_ids=positions, attention_mask=mask, use_cache=True, curiosa_rows=rows,
            logits_to_keep=keep, **{self._cache_argument: self._cache},
        )
        return output.logits

    def _remove_released(self) -> None:
        keep = [i for i, k in enumerate(self._keys) if k is not None]
        if len(keep) == len(self._keys):
            return
        self._cache.keep_rows(keep, [len(self._rows[i].tokens) for i in keep])
        self._keys = [self._keys[i] for i in keep]
        self._rows = [self._rows[i] for i in keep]
