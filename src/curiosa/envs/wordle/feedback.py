"""The feedback line of a guess: written by the game, read back by scripted policies."""

from __future__ import annotations

import re
from typing import Sequence

_FEEDBACK_LINE = re.compile(
    r"^(?P<guess>[A-Z]{5}): (?P<cells>[A-Z]=(?:green|yellow|grey)(?: [A-Z]=(?:green|yellow|grey)){4})$", re.MULTILINE
)


def feedback_line(guess: str, colors: Sequence[str]) -> str:
    """``CRANE: C=green R=yellow A=grey N=grey E=green``."""
    return guess.upper() + ": " + " ".join(f"{c.upper()}={color}" for c, color in zip(guess, colors))


def parse_feedback(observation: str) -> tuple[str, list[str]] | None:
    """The (lowercase guess, colours) of the feedback line in an observation, or None."""
    m = _FEEDBACK_LINE.search(observation)
    if m is None:
        return None
    colors = [cell.split("=")[1] for cell in m.group("cells").split()]
    return m.group("guess").lower(), colors
