"""Padding-free batches: sequences packed end to end, positions restarting per sequence.

Two layouts:

* **one row** (``row_tokens=None``, the default): every sequence of the micro-batch end to end in a
  single row with its boundaries (``cu_seq_lens``); the model runs packed attention (one causal
  kernel call per sequence, see ``curiosa.models.attention``), so there is no padding and no
  mask, and attention costs what the sequences cost on their own.
* **rows** (``row_tokens=N``): first-fit decreasing into rows of at most N tokens (or the longest
  sequence), short tails padded; the model's own attention builds a block mask from the position
  ids, dense on SDPA, so its cost grows with the square of the row length.

Logits are computed only at the positions that predict an agent token, and for large vocabularies a
slice of those positions at a time (``curiosa.models.lm_head``).

**Shared prefixes** (one-row layout): a sequence that begins with another one's first P tokens (ids and
mask), as a preference pair's rejected side usually begins with its chosen side's context, may be laid
out as its tail only, attending to the other sequence's prefix (``Packed.prefixes``): the prefix is
computed once, and the log-probs are those of the sequence on its own (to rounding).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import torch


@dataclass
class Packed:
    input_ids: torch.Tensor
    """[rows, R] the sequences' ids, end to end in each row."""
    position_ids: torch.Tensor
    """[rows, R] positions restarting at 0 for each sequence (and for the padding at a row's end)."""
    keep: torch.Tensor
    """[K] the columns whose logits are needed (predicting an agent token in some row)."""
    target_rows: torch.Tensor
    """[N] row of each trained prediction."""
    target_cols: torch.Tensor
    """[N] index into ``keep`` of each trained prediction."""
    targets: torch.Tensor
    """[N] the predicted (agent) token ids."""
    target_seq: torch.Tensor
    """[N] which sequence (0..n-1) each prediction belongs to."""
    target_tag: torch.Tensor
    """[N] the mask value of each predicted token (masks may tag tokens, e.g. with their attempt number)."""
    n: int
    real_tokens: int
    """Tokens laid out (padding excluded; a shared prefix counted once)."""
    cu_seq_lens: torch.Tensor | None = None
    """One-row layout: [n + 1] int32 sequence boundaries in the row (None for the rows layout)."""
    max_length: int = 0
    """Longest sequence."""
    prefixes: tuple[tuple[int, int] | None, ...] | None = None
    """One-row layout with shared prefixes: for each segment of ``cu_seq_lens``, (start column, length)
    of the prefix it continues, or None for a sequence laid out whole."""
    shared_index: torch.Tensor | None = None
    """[M] trained predictions inside a shared prefix (indices into ``targets``) that also count for ..."""
    shared_seq: torch.Tensor | None = None
    """[M] ... this sequence, which continues that prefix."""
    avoid_rows: torch.Tensor | None = None
    """[A] row of each avoided prediction (``pack``'s ``avoid``): a token the sequence should not have
    had at a place where it has a trained one ..."""
    avoid_cols: torch.Tensor | None = None
    """[A] ... its index into ``keep`` ..."""
    avoid_tokens: torch.Tensor | None = None
    """[A] ... and the avoided token."""


def _rows(lengths: Sequence[int], capacity: int) -> list[list[int]]:
    rows: list[list[int]] = []
    used: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda k: -lengths[k]):
        for r, u in enumerate(used):
            if u + lengths[i] <= capacity:
                rows[r].append(i)
                used[r] += lengths[i]
                break
        else:
            rows.append([i])
            used.append(lengths[i])
    return rows


def shared_prefix(a: tuple[Sequence[int], Sequence[int]], b: tuple[Sequence[int], Sequence[int]]) -> int:
    """How many leading tokens two (ids, mask) sequences share, ids and mask alike, leaving each at least
    one token of its own."""
    limit = min(len(a[0]), len(b[0])) - 1
    n = 0
    while n < limit and a[0][n] == b[0][n] and a[1][n] == b[1][n]:
        n += 1
    return n


def pack(sequences: Sequence[tuple[Sequence[int], Sequence[int]]], device: Any = "cpu",
         row_tokens: int | None = None, pad_id: int = 0,
         prefixes: Sequence[tuple[int, int] | None] | None = None,
         avoid: Sequence[Sequence[tuple[int, int]] | None] | None = None) -> Packed:
    """Pack (input_ids, agent_mask) pairs in one row (``row_tokens=None``) or rows of about ``row_tokens``.

    Mask entries above 0 mark trained tokens; their value is kept as ``target_tag``. ``prefixes`` (one-row
    layout only): for each sequence, None, or (j, P) when its first P tokens are sequence j's first P
    (ids and mask; j < i, j itself laid out whole, 1 <= P < its length): only its tail is laid out.
    ``avoid``: for each sequence, None or (t, token) pairs, each at a trained token t of a sequence laid
    out whole: ``token_and_avoid_logps`` then also gives log p(token) where token t is predicted."""
    lengths = [len(ids) for ids, _ in sequences]
    for i, (ids, mask) in enumerate(sequences):
        if len(ids) != len(mask) or len(ids) < 2:
            raise ValueError(f"sequence {i}: needs at least 2 tokens and a mask of the same length")
    links = list(prefixes) if prefixes is not None else [None] * len(sequences)
    if len(links) != len(sequences):
        raise ValueError(f"prefixes: {len(links)} entries for {len(sequences)} sequences")
    if row_tokens is not None and any(links):
        raise ValueError("shared prefixes need the one-row layout (row_tokens=None)")
    avoided = list(avoid) if avoid is not None else [None] * len(sequences)
    if len(avoided) != len(sequences):
        raise ValueError(f"avoid: {len(avoided)} entries for {len(sequences)} sequences")
    for i, link in enumerate(links):
        if link is None:
            continue
        j, p = link
        if not (0 <= j < i and links[j] is None and 1 <= p < lengths[i] and p <= lengths[j]):
            raise ValueError(f"sequence {i}: prefix {link} must name an earlier whole sequence and leave a tail")
        if (list(sequences[i][0][:p]) != list(sequences[j][0][:p])
                or list(sequences[i][1][:p]) != list(sequences[j][1][:p])):
            raise ValueError(f"sequence {i}: its first {p} tokens are not sequence {j}'s")
    laid = [n - (link[1] if link else 0) for n, link in zip(lengths, links)]  # tokens each lays out
    rows = [list(range(len(sequences)))] if row_tokens is None else _rows(lengths, max(max(lengths), row_tokens))
    width = max(sum(laid[i] for i in row) for row in rows)
    ids_np = np.full((len(rows), width), pad_id, dtype=np.int64)
    pos_np = np.zeros((len(rows), width), dtype=np.int64)
    t_row, t_col, t_tok, t_seq, t_tag = [], [], [], [], []
    starts: dict[int, int] = {}  # first column of each sequence laid out whole
    first_target: dict[int, int] = {}  # index of each whole sequence's first prediction
    shared_index, shared_seq = [], []
    a_row, a_col, a_tok = [], [], []
    count = 0
    for r, row in enumerate(rows):
        offset = 0
        for i in row:
            seq_ids = np.asarray(sequences[i][0], dtype=np.int64)
            n = len(seq_ids)
            p = links[i][1] if links[i] else 0
            ids_np[r, offset:offset + n - p] = seq_ids[p:]
            pos_np[r, offset:offset + n - p] = np.arange(p, n)
            tags = np.asarray(sequences[i][1], dtype=np.int64)
            predicted = np.flatnonzero(tags[1:] > 0) + 1  # agent tokens t >= 1
            if links[i]:
                j = links[i][0]
                inside = predicted[predicted < p]  # the prefix's predictions: already sequence j's
                shared_index.append(first_target[j] + np.arange(len(inside)))
                shared_seq.append(np.full(len(inside), i))
                predicted = predicted[predicted >= p]
                cols = np.where(predicted == p, starts[j] + p - 1, offset + predicted - p - 1)
            else:
                starts[i], first_target[i] = offset, count
                cols = offset + predicted - 1  # the position whose logits predict token t
            if avoided[i]:
                where = np.asarray([t for t, _ in avoided[i]], dtype=np.int64)
                if links[i] or where.min() < 1 or where.max() >= n or not (tags[where] > 0).all():
                    raise ValueError(f"sequence {i}: avoided tokens must sit at trained places of a sequence "
                                     f"laid out whole")
                a_row.append(np.full(len(where), r))
                a_col.append(offset + where - 1)
                a_tok.append(np.asarray([token for _, token in avoided[i]], dtype=np.int64))
            t_row.append(np.full(len(predicted), r))
            t_col.append(cols)
            t_tok.append(seq_ids[predicted])
            t_seq.append(np.full(len(predicted), i))
            t_tag.append(tags[predicted])
            count += len(predicted)
            offset += n - p
        pos_np[r, offset:] = np.arange(width - offset)  # padding reads as one more (untrained) sequence
    n_targets = sum(len(c) for c in t_col)
    cols = torch.from_numpy(np.concatenate(t_col + a_col).astype(np.int64))
    keep, inverse = torch.unique(cols, return_inverse=True)  # avoided places are trained ones: no new column
    avoid_fields: dict[str, Any] = {}
    if a_col:
        avoid_fields = {"avoid_rows": torch.from_numpy(np.concatenate(a_row)).to(device),
                        "avoid_cols": inverse[n_targets:].to(device),
                        "avoid_tokens": torch.from_numpy(np.concatenate(a_tok)).to(device)}
    inverse = inverse[:n_targets]
    cu = segments = shared_i = shared_s = None
    if row_tokens is None:
        cu = torch.tensor(np.concatenate([[0], np.cumsum(laid)]), dtype=torch.int32, device=device)
    if any(links):
        segments = tuple(None if link is None else (starts[link[0]], link[1]) for link in links)
        shared_i = torch.from_numpy(np.concatenate(shared_index).astype(np.int64)).to(device)
        shared_s = torch.from_numpy(np.concatenate(shared_seq).astype(np.int64)).to(device)
    return Packed(
        input_ids=torch.from_numpy(ids_np).to(device), position_ids=torch.from_numpy(pos_np).to(device),
        keep=keep.to(device), target_rows=torch.from_numpy(np.concatenate(t_row)).to(device),
        target_cols=inverse.to(device), targets=torch.from_numpy(np.concatenate(t_tok)).to(device),
        target_seq=torch.from_numpy(np.concatenate(t_seq)).to(device),
        target_tag=torch.from_numpy(np.concatenate(t_tag)).to(device), n=len(sequences),
        real_tokens=sum(laid), cu_seq_lens=cu, max_length=max(lengths), prefixes=segments,
        shared_index=shared_i, shared_seq=shared_s, **avoid_fields,
    )


def token_logps(model: Any, packed: Packed) -> torch.Tensor:
    """The log-prob of every trained token, shape [N], in the order of ``packed.targets``."""
    return token_and_avoid_logps(model, packed)[0]


def token_and_avoid_logps(model: Any, packed: Packed) -> tuple[torch.Tensor, torch.Tensor]:
    """``token_logps``, and the log-prob of every avoided token (shape [A], empty without ``avoid``), from
    one forward pass and one pass of the head."""
    extra: dict[str, Any] = {}
    if packed.cu_seq_lens is not None:
        from curiosa.models import attention

        attention.use(model)
        extra = {"cu_seq_lens_q": packed.cu_seq_lens, "cu_seq_lens_k": packed.cu_seq_lens,
                 "max_length_q": packed.max_length, "max_length_k": packed.max_length}
        if packed.prefixes is not None:
            extra["curiosa_prefixes"] = packed.prefixes
    from curiosa.models.lm_head import SLICE_LOGITS, chosen_logps, plain_head

    inputs = {"input_ids": packed.input_ids, "position_ids": packed.position_ids, "use_cache": False, **extra}
    rows, cols, targets = packed.target_rows, packed.target_cols, packed.targets
    if packed.avoid_tokens is not None:
        rows, cols = torch.cat([rows, packed.avoid_rows]), torch.cat([cols, packed.avoid_cols])
        targets = torch.cat([targets, packed.avoid_tokens])
    head = plain_head(model)
    if head is not None and len(targets) * head.vocab > SLICE_LOGITS:  # the head a slice at a time
        out = model(**inputs, logits_to_keep=1, output_hidden_states=True)
        hidden = out.hidden_states[-1][rows, packed.keep[cols]]  # [N + A, H]
        del out
        logps = chosen_logps(head, hidden, targets)
    else:
        logits = model(**inputs, logits_to_keep=packed.keep).logits  # [rows, K, V]
        picked = logits[rows, cols].float()
        logps = picked.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    n = len(packed.targets)
    return logps[:n], logps[n:]


def sequence_logps(model: Any, packed: Packed) -> tuple[torch.Tensor, torch.Tensor]:
    """(sum of agent-token log-probs, number of agent tokens) per packed sequence, shape [n] each."""
    logps = token_logps(model, packed)
    seq = packed.target_seq
    if packed.shared_index is not None:  # a shared prefix's predictions count for every sequence it begins
        logps = torch.cat([logps, logps[packed.shared_index]])
        seq = torch.cat([seq, packed.shared_seq])
    sums = torch.zeros(packed.n, device=logps.device, dtype=logps.dtype).index_add(0, seq, logps)
    counts = torch.zeros(packed.n, device=logps.device, dtype=torch.long).index_add(0, seq, torch.ones_like(seq))
    return sums, counts


def plan_microbatches(lengths: Sequence[int], max_tokens: int) -> list[list[int]]:
    """Group example indices (kept in order) so each group's total length stays within ``max_tokens``
    (a single longer example gets a group of its own)."""
    groups: list[list[int]] = []
    current: list[int] = []
    used = 0
    for i, n in enumerate(lengths):
        if current and used + n > max_tokens:
            groups.append(current)
            current, used = [], 0
        current.append(i)
        used += n
    if current:
        groups.append(current)
    return groups
