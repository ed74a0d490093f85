"""Per-request sampling seeds for backends whose servers take one seed per request (vLLM, OpenAI).

Why per request: rollouts of one task start from the same prompt, so a single shared seed would make
every sample of a task identical on a server that honours it. Why the prompt and an attempt count
take part: a resample resends the same prompt under the same key, and must not get the same reply
again. Hashing (not Python's ``hash``) keeps seeds equal across processes and runs, so a run with
the same seed and settings gives the same trajectories.
"""

from __future__ import annotations

import hashlib
from array import array
from typing import Sequence

_SEED_BITS = 31  # fits every server's seed field (llama.cpp and some others take 32-bit ints)


def prompt_digest(prompt: Sequence[int] | Sequence[dict[str, str]]) -> bytes:
    """A short, stable fingerprint of a prompt given as token ids or as chat messages."""
    h = hashlib.blake2b(digest_size=16)
    if prompt and isinstance(prompt[0], dict):
        for message in prompt:
            for part in (message.get("role", ""), message.get("content", "")):
                data = str(part).encode("utf-8")
                h.update(len(data).to_bytes(8, "little"))
                h.update(data)
    else:
        h.update(array("q", prompt).tobytes())  # type: ignore[arg-type]
    return h.digest()


def request_seed(seed: int, key: str, digest: bytes = b"", attempt: int = 0) -> int:
    """The seed of one generation: a stable function of the run seed, the episode key, the prompt
    and how many times this very prompt was already sent for this episode."""
    h = hashlib.blake2b(digest_size=8)
    h.update(str(int(seed)).encode())
    h.update(b"\x00")
    h.update(key.encode("utf-8"))
    h.update(b"\x00")
    h.update(digest)
    h.update(int(attempt).to_bytes(8, "little"))
    return int.from_bytes(h.digest(), "little") & ((1 << _SEED_BITS) - 1)


class SeedTracker:
    """Hands out per-request seeds, counting consecutive sends of the same prompt for a key (resamples)."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[bytes, int]] = {}

    def seed(self, seed: int, key: str, prompt: Sequence[int] | Sequence[dict[str, str]]) -> int:
        digest = prompt_digest(prompt)
        previous = self._last.get(key)
        attempt = previous[1] + 1 if previous is not None and previous[0] == digest else 0
        self._last[key] = (digest, attempt)
        return request_seed(seed, key, digest, attempt)

    def forget(self, key: str) -> None:
        self._last.pop(key, None)
