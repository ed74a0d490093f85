"""Padding-free batches: sequences packed end to end in rows, positions restarting per sequence.

transformers builds the attention mask from the position ids of packed rows, so no token attends
across a sequence boundary. On the CPU and with SDPA that mask is dense, so one very long row would
make attention quadratic in the whole micro-batch: sequences are therefore packed first-fit
decreasing into several rows of at most ``row_tokens`` tokens (or the longest sequence, if longer),
and only the short tails of the rows are padding. Logits are computed only at the positions that
predict an agent token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

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
    n: int
    real_tokens: int


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


def pack(sequences: Sequence[tuple[Sequence[int], Sequence[int]]], device: Any = "cpu",
         row_tokens: int = 4096, pad_id: int = 0) -> Packed:
    """Pack (input_ids, agent_mask) pairs into rows of about ``row_tokens`` tokens."""
    lengths = [len(ids) for ids, _ in sequences]
    for i, (ids, mask) in enumerate(sequences):
        if len(ids) != len(mask) or len(ids) < 2:
            raise ValueError(f"sequence {i}: needs at least 2 tokens and a mask of the same length")
    rows = _rows(lengths, max(max(lengths), row_tokens))
    width = max(sum(lengths[i] for i in row) for row in rows)
    ids_t = torch.full((len(rows), width), pad_id, dtype=torch.long)
    pos_t = torch.zeros((len(rows), width), dtype=torch.long)
    t_row: list[int] = []
    t_col: list[int] = []
    t_tok: list[int] = []
    t_seq: list[int] = []
    for r, row in enumerate(rows):
        offset = 0
        for i in row:
            seq_ids, seq_mask = sequences[i]
            n = len(seq_ids)
            ids_t[r, offset:offset + n] = torch.tensor(list(seq_ids))
            pos_t[r, offset:offset + n] = torch.arange(n)
            for t in range(1, n):
                if seq_mask[t]:
                    t_row.append(r)
                    t_col.append(offset + t - 1)  # the position whose logits predict token t
                    t_tok.append(int(seq_ids[t]))
                    t_seq.append(i)
            offset += n
        pos_t[r, offset:] = torch.arange(width - offset)  # padding reads as one more (untrained) sequence
    cols = torch.tensor(t_col, dtype=torch.long)
    keep, inverse = torch.unique(cols, return_inverse=True)
    return Packed(
        input_ids=ids_t.to(device), position_ids=pos_t.to(device), keep=keep.to(device),
        target_rows=torch.tensor(t_row, dtype=torch.long, device=device), target_cols=inverse.to(device),
        targets=torch.tensor(t_tok, dtype=torch.long, device=device),
        target_seq=torch.tensor(t_seq, dtype=torch.long, device=device), n=len(sequences),
        real_tokens=sum(lengths),
    )


def sequence_logps(model: Any, packed: Packed) -> tuple[torch.Tensor, torch.Tensor]:
    """(sum of agent-token log-probs, number of agent tokens) per packed sequence, shape [n] each."""
    logits = model(input_ids=packed.input_ids, position_ids=packed.position_ids, use_cache=False,
                   logits_to_keep=packed.keep).logits  # [rows, K, V]
    picked = logits[packed.target_rows, packed.target_cols].float()
    token_logps = picked.log_softmax(-1).gather(-1, packed.targets.unsqueeze(-1)).squeeze(-1)
    sums = torch.zeros(packed.n, device=picked.device, dtype=token_logps.dtype).index_add(
        0, packed.target_seq, token_logps)
    counts = torch.zeros(packed.n, device=picked.device, dtype=torch.long).index_add(
        0, packed.target_seq, torch.ones_like(packed.target_seq))
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
