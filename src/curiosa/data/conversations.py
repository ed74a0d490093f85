"""Conversations (lists of chat messages in the agent's view) as training examples.

A conversation opens with a user (or system + user) message, then assistant and user alternate. It
is encoded segment by segment with the chat template (``ChatTokenizer.encode``), so its ids and agent
mask are exactly what the model reads and writes; one longer than ``max_length`` loses whole trailing
turns, never part of a reply. An assistant message marked ``"train": False`` stays in the conversation as
context but is not trained on (e.g. a scripted player's deliberate slip).
"""

from __future__ import annotations

from typing import Any, Collection, Mapping, Sequence

from curiosa.data.encode import untrain_replies
from curiosa.data.examples import Example
from curiosa.data.repeats import repeat_avoidance
from curiosa.models.chat import ChatTokenizer

Conversation = list[dict[str, Any]]
"""Messages in the agent's view: an opening user message, then assistant and user alternating; an
assistant message may carry ``"train": False`` (context only)."""


def check_conversation(messages: Sequence[Mapping[str, Any]]) -> Conversation:
    """A clean copy of a conversation, cut after its last agent reply; raises on a bad shape."""
    out: Conversation = []
    for i, m in enumerate(messages):
        clean: dict[str, Any] = {"role": str(m["role"]), "content": str(m["content"])}
        if "train" in m:
            if clean["role"] != "assistant" or not isinstance(m["train"], bool):
                raise ValueError(f"message {i}: 'train' must be a bool on an assistant message, got "
                                 f"{m['train']!r} on a {clean['role']!r} message")
            if not m["train"]:
                clean["train"] = False
        out.append(clean)
    if not out or out[0]["role"] not in ("user", "system"):
        raise ValueError("a conversation must open with a user (or system) message")
    start = 1 if out[0]["role"] == "user" else 2
    if out[0]["role"] == "system" and (len(out) < 2 or out[1]["role"] != "user"):
        raise ValueError("a system message must be followed by a user message")
    for i, m in enumerate(out[start:], start):
        expected = "assistant" if (i - start) % 2 == 0 else "user"
        if m["role"] != expected:
            raise ValueError(f"message {i} has role {m['role']!r}, expected {expected!r} (user/assistant alternate)")
    while out and out[-1]["role"] != "assistant":
        out.pop()
    return out


def trim_to_length(input_ids: Sequence[int], agent_mask: Sequence[int], max_length: int) -> int:
    """Length of the longest prefix that ends right after a whole agent turn and fits ``max_length``
    (0 when not even the first turn fits)."""
    best = 0
    for i in range(1, min(len(agent_mask), max_length) + 1):
        if agent_mask[i - 1] and (i == len(agent_mask) or not agent_mask[i]):
            best = i
    return best


def encode_conversations(tokenizer: Any, data: Mapping[str, Sequence[Conversation]], max_length: int,
                         avoid_repeats: Collection[str] = (),
                         ) -> tuple[list[Example], dict[str, dict[str, int]]]:
    """Exact ids and agent masks of every conversation of every source (example ids: ``source/index``),
    and per source: episodes, kept, trimmed, dropped, tokens, agent_tokens, max_length. The conversations
    of the sources in ``avoid_repeats`` also mark where each trained reply would begin to repeat an earlier
    one (``Example.avoid``; counted as ``avoided``)."""
    chat = ChatTokenizer(tokenizer)
    examples: list[Example] = []
    stats: dict[str, dict[str, int]] = {}
    for name, conversations in data.items():
        s = stats.setdefault(name, {"episodes": 0, "kept": 0, "trimmed": 0, "dropped": 0, "tokens": 0,
                                    "agent_tokens": 0, "max_length": 0})
        if name in avoid_repeats:
            s["avoided"] = 0
        for index, conversation in enumerate(conversations):
            s["episodes"] += 1
            enc = chat.encode(conversation)
            ids, mask = enc.input_ids, untrain_replies(enc.agent_mask, conversation)
            if len(ids) > max_length:
                cut = trim_to_length(ids, mask, max_length)
                if cut == 0:
                    s["dropped"] += 1
                    continue
                ids, mask = ids[:cut], mask[:cut]
                s["trimmed"] += 1
            if not any(mask):
                s["dropped"] += 1
                continue
            example = Example(f"{name}/{index}", list(ids), list(mask))
            if name in avoid_repeats:
                example.avoid = repeat_avoidance(ids, enc.agent_mask[:len(ids)], mask)
                s["avoided"] += len(example.avoid)
            examples.append(example)
            s["kept"] += 1
            s["tokens"] += len(ids)
            s["agent_tokens"] += int(sum(mask))
            s["max_length"] = max(s["max_length"], len(ids))
    return examples, stats
