"""The feedback line of a guess: written by the game, read back by scripted policies."""

from __future__ import annotations

import re

_FEEDBACK_LINE = re.compile(r"^(?P<guess>[0-9]{4}): (?P<exact>[0-4]) exact, (?P<partial>[0-4]) partial$", re.MULTILINE)


def feedback_line(guess: str, exact: int, partial: int) -> str:
    """``1234: 1 exact, 2 partial``."""
    return f"{guess}: {exact} exact, {partial} partial"


def parse_feedback(observation: str) -> tuple[str, int, int] | None:
    """(guess, exact, partial) of the feedback line in an observation, or None."""
    m = _FEEDBACK_LINE.search(observation)
    if m is None:
        return None
    return m.group("guess"), int(m.group("exact")), int(m.group("partial"))
