"""The OpenAI chat-completions API as far as ``curiosa serve`` speaks it: request checks and reply bodies.

Requests are checked strictly (a wrong type is a 400 naming the field), because a client that sends
something the server would silently ignore gets answers it did not ask for. Fields the API has but
this server does not use (``frequency_penalty``, ``logprobs``, ``user``...) are accepted and ignored,
as most local servers do; ones that would change the shape of the answer (``stream``, ``n`` > 1) are
refused.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
"""Accepted message roles and the role the chat template sees ('developer' is OpenAI's new 'system')."""


class RequestError(Exception):
    """A request the server refuses: the HTTP status and an OpenAI-style error body."""

    def __init__(self, status: int, message: str, *, kind: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind
        self.param = param
        self.code = code

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}


@dataclass(frozen=True)
class ChatRequest:
    """One checked chat-completion request."""

    messages: list[dict[str, str]]
    temperature: float = 1.0
    top_p: float = 1.0
    min_p: float = 0.0
    max_tokens: int | None = None
    """None: as many as the server allows."""
    seed: int | None = None
    """None: a fresh seed per request (so sampled replies vary, as on other servers)."""
    stop: tuple[str, ...] = ()


def _number(body: dict[str, Any], name: str, default: float, low: float, high: float,
            *, low_open: bool = False, high_open: bool = False) -> float:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(400, f"'{name}' must be a number, got {value!r}", param=name)
    if value < low or value > high or (low_open and value == low) or (high_open and value == high):
        bounds = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise RequestError(400, f"'{name}' must be in {bounds}, got {value}", param=name)
    return float(value)


def _integer(body: dict[str, Any], name: str, low: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(400, f"'{name}' must be an integer, got {value!r}", param=name)
    if low is not None and value < low:
        raise RequestError(400, f"'{name}' must be at least {low}, got {value}", param=name)
    return value


def _content(message: dict[str, Any], i: int) -> str:
    """A message's text: a string, or a list of text parts (joined); images and audio are refused."""
    content = message.get("content")
    if content is None and message.get("role") == "assistant":
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if not (isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str)):
                raise RequestError(400, f"message {i}: only text content parts are supported", param="messages")
            texts.append(part["text"])
        return "".join(texts)
    raise RequestError(400, f"message {i}: 'content' must be a string or a list of text parts", param="messages")


def _messages(body: dict[str, Any]) -> list[dict[str, str]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError(400, "'messages' must be a non-empty list of {role, content} objects", param="messages")
    out = []
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise RequestError(400, f"message {i} is not an object", param="messages")
        role = message.get("role")
        if role not in ROLES:
            raise RequestError(400, f"message {i}: role {role!r} is not supported (use one of "
                                    f"{', '.join(ROLES)})", param="messages")
        out.append({"role": ROLES[role], "content": _content(message, i)})
    return out


def _stop(body: dict[str, Any]) -> tuple[str, ...]:
    stop = body.get("stop")
    if stop is None:
        return ()
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or not all(isinstance(s, str) and s for s in stop) or len(stop) > 4:
        raise RequestError(400, "'stop' must be a non-empty string or a list of at most 4 of them", param="stop")
    return tuple(stop)


def parse_chat_request(raw: bytes, served: str) -> ChatRequest:
    """The request in ``raw`` (an HTTP body), checked; ``served`` is the one model name answered to."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RequestError(400, f"the request body is not valid JSON: {err}") from None
    if not isinstance(body, dict):
        raise RequestError(400, "the request body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise RequestError(400, "'model' is required (a string)", param="model")
    if model != served:
        raise RequestError(404, f"the model {model!r} does not exist here; this server serves {served!r}",
                           param="model", code="model_not_found")
    if body.get("stream"):
        raise RequestError(400, "streaming is not supported by curiosa serve", param="stream")
    if body.get("n") not in (None, 1):
        raise RequestError(400, "only n=1 is supported by curiosa serve", param="n")
    max_tokens = _integer(body, "max_tokens", 1)
    if max_tokens is None:
        max_tokens = _integer(body, "max_completion_tokens", 1)
    return ChatRequest(
        messages=_messages(body),
        temperature=_number(body, "temperature", 1.0, 0.0, 2.0),
        top_p=_number(body, "top_p", 1.0, 0.0, 1.0, low_open=True),
        min_p=_number(body, "min_p", 0.0, 0.0, 1.0, high_open=True),
        max_tokens=max_tokens,
        seed=_integer(body, "seed"),
        stop=_stop(body),
    )


def cut_at_stop(text: str, stop: tuple[str, ...]) -> tuple[str, bool]:
    """``text`` up to the first stop string (excluded), and whether one was found."""
    cuts = [i for i in (text.find(s) for s in stop) if i >= 0]
    return (text[: min(cuts)], True) if cuts else (text, False)


def completion_body(model: str, text: str, finish_reason: str, prompt_tokens: int,
                    completion_tokens: int) -> dict[str, Any]:
    """A ``chat.completion`` object with one choice."""
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                     "finish_reason": finish_reason, "logprobs": None}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


def model_body(model: str, created: int) -> dict[str, Any]:
    return {"id": model, "object": "model", "created": created, "owned_by": "curiosa"}


def models_body(model: str, created: int) -> dict[str, Any]:
    """The ``GET /v1/models`` list: the one served model."""
    return {"object": "list", "data": [model_body(model, created)]}
