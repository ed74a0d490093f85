"""An OpenAI-compatible chat endpoint (vLLM or llama.cpp server, Ollama, a hosted API) with retries.

Used wherever curiosa talks to a served model: LLM-played environments and judges, and models
evaluated as agents through an endpoint.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Mapping, Sequence


class EndpointError(RuntimeError):
    """The endpoint could not give a usable answer after every retry; the message says why."""


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach a chat model."""

    base_url: str
    """Base URL of the OpenAI-compatible API, e.g. ``http://127.0.0.1:8000/v1``."""
    model: str
    """Model name as the server knows it."""
    api_key_env: str = "OPENAI_API_KEY"
    """Environment variable holding the API key (local servers accept any key; 'EMPTY' if unset)."""
    timeout_s: float = 60.0
    """Seconds before one request is abandoned (then retried)."""
    max_retries: int = 4
    """Retries after a failed request (connection error, timeout, 429, 5xx) or an unusable answer."""
    backoff_s: float = 1.0
    """First wait between retries; doubles after each retry."""
    max_tokens: int = 256
    """Longest reply requested."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Extra request fields passed through (e.g. ``{"top_p": 1.0}``)."""

    @classmethod
    def coerce(cls, value: "Endpoint | Mapping[str, Any]") -> "Endpoint":
        if isinstance(value, Endpoint):
            return value
        if isinstance(value, Mapping):
            unknown = set(value) - {f for f in cls.__dataclass_fields__}
            if unknown:
                raise ValueError(f"unknown endpoint field(s): {', '.join(sorted(unknown))}")
            if "base_url" not in value or "model" not in value:
                raise ValueError("an endpoint needs at least 'base_url' and 'model'")
            return cls(**value)
        raise TypeError(f"endpoint must be an Endpoint or a mapping, got {type(value).__name__}")

    def to_dict(self) -> dict[str, Any]:
        return {k: (dict(v) if k == "extra" else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class ChatReply:
    """One chat completion as a rollout needs it: the text, why it stopped, and the token usage."""

    text: str
    finish_reason: str | None
    """'stop' (ended by itself), 'length' (cut at max_tokens), or what the server says; None if not said."""
    prompt_tokens: int | None = None
    """Prompt tokens the server counted, when it reports usage."""
    cached_tokens: int | None = None
    """Of those, the ones served from a prompt/prefix cache, when the server says so."""
    completion_tokens: int | None = None


class ChatClient:
    """Chat completions with backoff over transport errors and over answers that fail a check."""

    def __init__(self, endpoint: Endpoint | Mapping[str, Any], sleep: Callable[[float], None] = time.sleep) -> None:
        try:
            import openai
        except ImportError as err:  # pragma: no cover - openai is a dependency
            raise ImportError("the 'openai' package is needed to talk to an endpoint: pip install openai") from err
        self.endpoint = Endpoint.coerce(endpoint)
        self._openai = openai
        self._sleep = sleep
        self._client = openai.OpenAI(
            base_url=self.endpoint.base_url,
            api_key=os.environ.get(self.endpoint.api_key_env) or "EMPTY",
            timeout=self.endpoint.timeout_s,
            max_retries=0,  # retried here, with our backoff and our error message
        )

    def complete(
        self,
        messages: Sequence[Mapping[str, str]],
        *,
        extract: Callable[[str], Any] = lambda text: text,
        temperature: float = 0.0,
        what: str = "chat completion",
    ) -> Any:
        """The first answer that ``extract`` accepts (returns non-None), retrying with backoff."""
        ep = self.endpoint

        def accept(response: Any) -> tuple[Any, str]:
            text = (response.choices[0].message.content or "") if response.choices else ""
            return extract(text), f"unusable answer {text[:80]!r}"

        request = {**dict(ep.extra), "temperature": temperature, "max_tokens": ep.max_tokens}
        return self._with_retries(messages, request, accept, what)

    def chat(
        self,
        messages: Sequence[Mapping[str, str]],
        *,
        temperature: float = 0.0,
        top_p: float | None = None,
        max_tokens: int | None = None,
        seed: int | None = None,
        extra_body: Mapping[str, Any] | None = None,
        what: str = "chat completion",
    ) -> ChatReply:
        """One sampled reply with why it stopped and what it cost, retrying with backoff.

        Unlike :meth:`complete`, every answer is usable (a rollout wants the model's reply as it is,
        even an empty one); only a response without any choice is retried. Fields left ``None`` are
        not sent, so the server's defaults apply; ``max_tokens`` falls back to the endpoint's.
        Sampling arguments override the same keys of ``Endpoint.extra``; ``extra_body`` is merged
        into any ``extra_body`` given there (for server-specific fields such as vLLM's ``min_p``).
        """
        ep = self.endpoint
        request: dict[str, Any] = dict(ep.extra)
        request["temperature"] = temperature
        request["max_tokens"] = ep.max_tokens if max_tokens is None else max_tokens
        if top_p is not None:
            request["top_p"] = top_p
        if seed is not None:
            request["seed"] = seed
        if extra_body:
            request["extra_body"] = {**dict(request.get("extra_body") or {}), **dict(extra_body)}

        def accept(response: Any) -> tuple[ChatReply | None, str]:
            if not response.choices:
                return None, "answer without any choice"
            choice = response.choices[0]
            usage = getattr(response, "usage", None)
            details = getattr(usage, "prompt_tokens_details", None)
            return ChatReply(
                text=choice.message.content or "",
                finish_reason=choice.finish_reason,
                prompt_tokens=getattr(usage, "prompt_tokens", None),
                cached_tokens=getattr(details, "cached_tokens", None),
                completion_tokens=getattr(usage, "completion_tokens", None),
            ), ""

        return self._with_retries(messages, request, accept, what)

    def _with_retries(
        self,
        messages: Sequence[Mapping[str, str]],
        request: Mapping[str, Any],
        accept: Callable[[Any], tuple[Any, str]],
        what: str,
    ) -> Any:
        """Send ``request`` until ``accept`` returns a non-None value; transport errors, 429 and 5xx
        are retried with exponential backoff, other HTTP errors fail at once (retrying cannot help).
        ``accept`` returns (value, why the answer was refused)."""
        ep = self.endpoint
        retryable = (
            self._openai.APIConnectionError,  # includes timeouts
            self._openai.RateLimitError,
            self._openai.InternalServerError,
        )
        problems: list[str] = []
        for attempt in range(ep.max_retries + 1):
            if attempt:
                self._sleep(ep.backoff_s * 2 ** (attempt - 1))
            try:
                response = self._client.chat.completions.create(model=ep.model, messages=list(messages), **request)
            except retryable as err:
                problems.append(f"{type(err).__name__}: {err}")
                continue
            except self._openai.APIStatusError as err:  # 4xx other than 429: retrying will not help
                raise EndpointError(f"{what} at {ep.base_url} (model {ep.model!r}) was refused: "
                                    f"HTTP {err.status_code}: {err.message}") from err
            value, problem = accept(response)
            if value is not None:
                return value
            problems.append(problem)
        raise EndpointError(
            f"{what} at {ep.base_url} (model {ep.model!r}) failed after {ep.max_retries + 1} attempt(s); "
            f"last problem: {problems[-1] if problems else 'none'}"
        )
