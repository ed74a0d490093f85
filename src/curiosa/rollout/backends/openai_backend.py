"""Generation through any OpenAI-compatible chat endpoint (a vLLM or llama.cpp server, Ollama, a hosted API).

Text-level: the server applies its own chat template and tokenizer, so the replies come back as text
only. Use it to evaluate or collect data from a served model; for training data with exact token ids
use a token-level backend (transformers, vLLM) with the training tokenizer.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Mapping, Sequence

from curiosa.endpoint import ChatClient, ChatReply, Endpoint
from curiosa.rollout.backends.seeding import SeedTracker
from curiosa.rollout.types import SamplingConfig, TurnRequest, TurnResult


class OpenAIBackend:
    """Sends each live episode's conversation as one chat completion, several at a time.

    Requests run concurrently on a thread pool (servers batch concurrent requests, which is where
    their throughput comes from); each request is retried with the endpoint's backoff, and the first
    one that still fails raises :class:`curiosa.endpoint.EndpointError` naming the URL, after the
    requests not yet sent are cancelled.
    """

    token_level = False

    def __init__(self, endpoint: Endpoint | Mapping[str, Any], max_concurrency: int = 8, *,
                 send_min_p: bool = True) -> None:
        """``send_min_p``: pass ``min_p`` (when > 0) in the request body. vLLM and llama.cpp servers
        honour it; OpenAI's own API rejects unknown fields, so turn it off there (min-p is then not
        applied, only temperature and top-p)."""
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency}")
        self.client = ChatClient(endpoint)
        self.endpoint = self.client.endpoint
        self.max_concurrency = int(max_concurrency)
        self.send_min_p = bool(send_min_p)
        self._seeds = SeedTracker()

    def generate(self, requests: Sequence[TurnRequest], sampling: SamplingConfig) -> list[TurnResult]:
        """One reply per request, in request order."""
        if not requests:
            return []
        # Seeds are drawn here, in request order, so they do not depend on thread scheduling.
        jobs = [(r, self._seeds.seed(sampling.seed, r.key, r.messages)) for r in requests]
        if len(jobs) == 1:
            return [self._one(jobs[0][0], sampling, jobs[0][1])]
        with ThreadPoolExecutor(max_workers=min(self.max_concurrency, len(jobs)),
                                thread_name_prefix="curiosa-openai") as pool:
            futures: list[Future[TurnResult]] = [pool.submit(self._one, r, sampling, s) for r, s in jobs]
            try:
                return [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()  # do not keep hammering a server that has just failed us
                raise

    def _one(self, request: TurnRequest, sampling: SamplingConfig, seed: int) -> TurnResult:
        extra_body = {"min_p": sampling.min_p} if self.send_min_p and sampling.min_p > 0 else None
        reply: ChatReply = self.client.chat(
            request.messages,
            temperature=sampling.temperature,
            top_p=sampling.top_p,
            max_tokens=sampling.max_new_tokens,
            seed=seed,
            extra_body=extra_body,
            what=f"chat completion for episode {request.key!r}",
        )
        prefill = reply.prompt_tokens or 0
        if reply.cached_tokens:  # servers with a prompt cache say how much of the prompt it served
            prefill = max(0, prefill - reply.cached_tokens)
        return TurnResult(text=reply.text, token_ids=[], ended=reply.finish_reason != "length",
                          prefill_tokens=prefill)

    def release(self, key: str) -> None:
        """Nothing is held on the server; only the local resample count of the episode is dropped."""
        self._seeds.forget(key)

    def describe(self) -> dict[str, object]:
        return {"backend": "openai", "base_url": self.endpoint.base_url, "model": self.endpoint.model}
