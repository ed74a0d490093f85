"""Generation requests from many threads, run on one backend in as few ``generate`` calls as possible.

A single worker thread owns the backend. Requests that arrive together (within ``gather_s`` of the
first, up to ``batch`` of them) and sample alike go through one call, so a client that sends its
questions concurrently gets the backend's batched decoding. Each request is a conversation of its
own: its row is released as soon as it is answered.

Reproducibility: a request's key is its seed and a digest of its prompt, and the backends derive each
request's random stream from its key and prompt only, so a seeded request gets the same reply whatever
else shares its batch (up to floating-point effects of the batch size on the logits). Two identical
requests with the same seed cannot share a call (a call needs distinct keys): the second waits for
the next one.
"""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Sequence

from curiosa.rollout.backends.seeding import prompt_digest
from curiosa.rollout.types import Backend, SamplingConfig, TurnRequest, TurnResult


@dataclass
class _Job:
    prompt_ids: list[int]
    sampling: SamplingConfig
    key: str
    future: Future = field(default_factory=Future)


class Batcher:
    """``submit`` from any thread; the reply arrives on the returned future."""

    def __init__(self, backend: Backend, *, batch: int = 8, gather_s: float = 0.005) -> None:
        if batch < 1:
            raise ValueError(f"batch must be at least 1, got {batch}")
        self.backend = backend
        self.batch = batch
        self.gather_s = gather_s
        self.calls = 0
        """``generate`` calls made so far (for tests and logs)."""
        self.largest_call = 0
        """The most requests answered by one call."""
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._closed = False
        self._worker = threading.Thread(target=self._loop, name="curiosa-batcher", daemon=True)
        self._worker.start()

    def submit(self, prompt_ids: Sequence[int], sampling: SamplingConfig, seed: int) -> "Future[TurnResult]":
        """Queue one reply to ``prompt_ids`` (the ids up to the generation prompt). ``sampling.seed``
        is ignored: ``seed`` is the request's own."""
        if self._closed:
            raise RuntimeError("the batcher is closed")
        ids = list(prompt_ids)
        shared = SamplingConfig(temperature=sampling.temperature, top_p=sampling.top_p, min_p=sampling.min_p,
                                max_new_tokens=sampling.max_new_tokens, seed=0)
        job = _Job(ids, shared, f"{int(seed)}:{prompt_digest(ids).hex()}")
        self._queue.put(job)
        return job.future

    def close(self) -> None:
        """Finish the call under way, fail the requests still waiting, stop the worker."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._worker.join()

    # ----------------------------------------------------------------- worker
    def _loop(self) -> None:
        pending: list[_Job] = []
        closing = False
        while not closing:
            if not pending:
                first = self._queue.get()
                if first is None:
                    break
                pending.append(first)
            closing = self._gather(pending)
            jobs = self._pick(pending)
            pending = [j for j in pending if j not in jobs]
            self._run(jobs)
        for job in pending:
            job.future.set_exception(RuntimeError("the server is shutting down"))

    def _gather(self, pending: list[_Job]) -> bool:
        """Add what is queued to ``pending``, waiting briefly for more while a call is not full;
        True once the stop marker was read."""
        deadline = time.monotonic() + self.gather_s
        while True:
            wait = deadline - time.monotonic() if len(pending) < self.batch else 0.0
            try:
                item = self._queue.get(timeout=wait) if wait > 0 else self._queue.get_nowait()
            except queue.Empty:
                return False
            if item is None:
                return True
            pending.append(item)

    def _pick(self, pending: list[_Job]) -> list[_Job]:
        """The oldest job and the later ones that can share its call (same sampling, distinct keys)."""
        head = pending[0]
        jobs, keys = [], set()
        for job in pending:
            if len(jobs) == self.batch:
                break
            if job.sampling == head.sampling and job.key not in keys:
                jobs.append(job)
                keys.add(job.key)
        return jobs

    def _run(self, jobs: list[_Job]) -> None:
        requests = [TurnRequest(job.key, [], job.prompt_ids) for job in jobs]
        try:
            results = self.backend.generate(requests, jobs[0].sampling)
        except Exception as err:  # every waiting client gets the error, the worker goes on
            for job in jobs:
                job.future.set_exception(err)
        else:
            for job, result in zip(jobs, results):
                job.future.set_result(result)
        finally:
            self.calls += 1
            self.largest_call = max(self.largest_call, len(jobs))
            for job in jobs:
                self.backend.release(job.key)
