"""Conversations as token ids, built turn by turn so that nothing generated is ever re-tokenized.

A trajectory's token ids are the concatenation of segments: the prompt up to the first generation
prompt, then for every agent turn the ids the model actually generated (ending in the end-of-turn
token), then the environment's reply rendered by the chat template up to the next generation
prompt. Training (agent mask = the generated ids) and generation (KV cache reuse) both use these
exact ids. The template must be prefix-preserving, which ``check_template`` asserts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

# ChatML with generation markers, for tokenizers that ship no chat template.
DEFAULT_CHAT_TEMPLATE = (
    "{%- for message in messages -%}"
    "{%- if message['role'] == 'assistant' -%}"
    "{{ '<|im_start|>assistant\\n' }}{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\\n' }}"
    "{%- else -%}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}"
)
DEFAULT_SPECIAL_TOKENS = ("<|im_start|>", "<|im_end|>")

_SENTINEL = "\u2063CURIOSA-SENTINEL\u2063"


def tokenizer_fingerprint(tokenizer: Any) -> str:
    """A short hash of a tokenizer's vocabulary and chat template: stored token ids are reused for
    training only when the training tokenizer has the same fingerprint."""
    import hashlib
    import json

    vocab = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    payload = json.dumps([vocab, getattr(tokenizer, "chat_template", None)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


class TemplateError(ValueError):
    """The tokenizer's chat template cannot be used for exact multi-turn training."""


def ensure_chat_template(tokenizer: Any) -> Any:
    """Give ``tokenizer`` the default ChatML template (and its tokens) when it has none."""
    if not getattr(tokenizer, "chat_template", None):
        missing = [t for t in DEFAULT_SPECIAL_TOKENS if t not in tokenizer.get_vocab()]
        if missing:
            tokenizer.add_special_tokens({"additional_special_tokens": list(missing)})
        tokenizer.chat_template = DEFAULT_CHAT_TEMPLATE
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token or "<|im_end|>"
    return tokenizer


@dataclass
class EncodedConversation:
    input_ids: list[int]
    agent_mask: list[int]
    """1 on every token the agent produced (each reply and its end-of-turn token), else 0."""


class ChatTokenizer:
    """Incremental, exact tokenization of an agent/environment conversation for one tokenizer."""

    def __init__(self, tokenizer: Any, system_prompt: str | None = None) -> None:
        self.tokenizer = ensure_chat_template(tokenizer)
        self.system_prompt = system_prompt
        head = self._render([{"role": "user", "content": "x"}], generation_prompt=True)
        with_reply = self._render([{"role": "user", "content": "x"}, {"role": "assistant", "content": _SENTINEL}])
        if not with_reply.startswith(head) or _SENTINEL not in with_reply:
            raise TemplateError("the chat template is not prefix-preserving: the generation prompt is not a prefix "
                                "of the rendered assistant turn")
        self.generation_prompt = head[len(self._render([{"role": "user", "content": "x"}])):]
        tail = with_reply.split(_SENTINEL, 1)[1]
        tail_ids = self._encode(tail)
        if not tail_ids:
            raise TemplateError("the chat template ends an assistant turn with no end-of-turn token")
        self.stop_token_id = tail_ids[0]
        """The end-of-turn token: generation stops at it, and it is trained as part of the reply."""
        stop_text = self.tokenizer.decode([self.stop_token_id])
        if not tail.startswith(stop_text):
            raise TemplateError(f"cannot locate the end-of-turn token {stop_text!r} in the template's turn ending {tail!r}")
        self._after_stop = tail[len(stop_text):]
        self._turn_tail = tail

    # ----------------------------------------------------------------- rendering
    def _messages(self, messages: Sequence[dict[str, str]]) -> list[dict[str, str]]:
        if self.system_prompt and (not messages or messages[0]["role"] != "system"):
            return [{"role": "system", "content": self.system_prompt}, *messages]
        return list(messages)

    def _render(self, messages: Sequence[dict[str, str]], generation_prompt: bool = False) -> str:
        return self.tokenizer.apply_chat_template(
            self._messages(messages), tokenize=False, add_generation_prompt=generation_prompt
        )

    def _encode(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    # ----------------------------------------------------------------- incremental API
    def start(self, messages: Sequence[dict[str, str]]) -> list[int]:
        """Ids of the opening messages (no assistant turn) up to and including the generation prompt."""
        if any(m["role"] == "assistant" for m in messages):
            raise ValueError("start() takes the messages before the first agent reply")
        return self._encode(self._render(messages, generation_prompt=True))

    def continue_after_reply(self, observation: str, *, reply_ended: bool = True, generation_prompt: bool = True) -> list[int]:
        """Ids after a generated reply: the rest of the turn ending, the environment's message and
        the next generation prompt. ``reply_ended`` is False when the reply was cut off before its
        end-of-turn token, whose text is then added here (untrained)."""
        base = [{"role": "user", "content": "x"}, {"role": "assistant", "content": _SENTINEL}]
        closed = self._render(base)
        opened = self._render([*base, {"role": "user", "content": observation}], generation_prompt=generation_prompt)
        if not opened.startswith(closed):
            raise TemplateError("the chat template is not prefix-preserving across turns (an earlier turn renders "
                                "differently once a later one is added)")
        ending = self._after_stop if reply_ended else self._turn_tail
        return self._encode(ending + opened[len(closed):])

    def encode_reply(self, text: str) -> list[int]:
        """Ids of a reply known only as text (e.g. from an endpoint): its tokens and the end-of-turn token."""
        return self._encode(text) + [self.stop_token_id]

    def encode(self, messages: Sequence[dict[str, str]]) -> EncodedConversation:
        """Token ids and agent mask of a whole conversation known as text (user/assistant alternating)."""
        first = next((i for i, m in enumerate(messages) if m["role"] == "assistant"), len(messages))
        ids = self.start(messages[:first]) if first else []
        mask = [0] * len(ids)
        for i in range(first, len(messages)):
            m = messages[i]
            if m["role"] == "assistant":
                reply = self.encode_reply(m["content"])
                ids += reply
                mask += [1] * len(reply)
            elif m["role"] == "user":
                nxt = self.continue_after_reply(m["content"], generation_prompt=i < len(messages) - 1)
                ids += nxt
                mask += [0] * len(nxt)
            else:
                raise ValueError(f"message {i} has role {m['role']!r}; after the opening only user/assistant alternate")
        return EncodedConversation(ids, mask)


def check_template(tokenizer: Any, messages: Sequence[dict[str, str]]) -> None:
    """Assert the invariants exact multi-turn training relies on, for this tokenizer and conversation.

    The template must be prefix-preserving; every agent turn must have a non-empty mask ending in
    the end-of-turn token; no environment token may be masked in; and the incremental ids must
    equal the template's own tokenization of the whole conversation where the tokenizer splits the
    same text the same way.
    """
    chat = ChatTokenizer(tokenizer)
    enc = chat.encode(messages)
    replies = [m for m in messages if m["role"] == "assistant"]
    runs, inside = 0, False
    for i, flag in enumerate(enc.agent_mask):
        if flag and not inside:
            runs += 1
        if inside and not flag and enc.input_ids[i - 1] != chat.stop_token_id:
            raise TemplateError("an agent turn's mask does not end with the end-of-turn token")
        inside = bool(flag)
    if runs != len(replies):
        raise TemplateError(f"{len(replies)} agent turns but {runs} masked runs")
    masked_text = chat.tokenizer.decode([t for t, f in zip(enc.input_ids, enc.agent_mask) if f])
    for m in messages:
        if m["role"] != "assistant" and m["content"].strip() and m["content"].strip() in masked_text:
            raise TemplateError("environment text is inside the agent mask")
    rendered = chat.tokenizer.decode(enc.input_ids)
    full = chat._render(messages)
    if rendered.rstrip() != full.rstrip():
        raise TemplateError("incremental tokenization does not reproduce the rendered conversation")
