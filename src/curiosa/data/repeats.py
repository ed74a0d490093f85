"""Where a reply would begin to repeat an earlier reply of the same conversation.

A small pretrained model copies what it wrote before: warm-started SmolLM2-135M repeated 70% of its
moves in the games, although the play it imitated almost never repeats (docs/rollout.md). A trained
reply and an earlier reply of the same conversation that differ share a first stretch of tokens and
then part: the earlier reply's token at that place is where a repeat of it would begin. The SFT
trainer's unlikelihood term (``SFTConfig.unlikelihood``) pushes those tokens down at exactly those
places, with no forward pass of its own: the place's logits are computed anyway, for the reply's own
token.
"""

from __future__ import annotations

from typing import Sequence

from curiosa.data.encode import reply_spans


def repeat_avoidance(ids: Sequence[int], replies: Sequence[int], trained: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted (position, token) pairs: at token ``position`` of ``ids`` a trained reply parts from an
    earlier reply, which has ``token`` there.

    ``replies`` marks every reply of the conversation (the earlier ones need not be trained);
    ``trained`` the tokens trained on (a pair is listed only at a trained position). A reply equal to an
    earlier one, or a prefix of it, gives nothing for that one."""
    if not len(ids) == len(replies) == len(trained):
        raise ValueError(f"ids, replies and trained differ in length: {len(ids)}, {len(replies)}, {len(trained)}")
    spans = reply_spans(replies)
    found: set[tuple[int, int]] = set()
    for k, (start, end) in enumerate(spans):
        current = list(ids[start:end])
        for s, e in spans[:k]:
            earlier = list(ids[s:e])
            n = 0
            while n < len(current) and n < len(earlier) and current[n] == earlier[n]:
                n += 1
            if n < len(current) and n < len(earlier) and trained[start + n]:
                found.add((start + n, earlier[n]))
    return sorted(found)
