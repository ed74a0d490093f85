"""What a problem of this game is: its name, levels and families, and the instruction that states it.

The instruction is written by the environment and read back by the scripted players
(:func:`problem_of`, :func:`level_of`), so both directions live here.
"""

from __future__ import annotations

import re

GROUP = "math_synthetic"
LEVELS = (1, 2, 3, 4, 5)
FAMILIES = ("arithmetic", "linear", "percent", "word", "system")

MATH_REPLY_FORMAT = (
    "Reply with a line 'Thought:' followed by your working, one short step per line, "
    "and end with a line 'Answer: <the exact answer>'."
)

_PROBLEM_LINE = re.compile(r"^Problem: (?P<problem>.+)$", re.MULTILINE)
_LEVEL = re.compile(r"\(level (?P<level>[1-5]) of 5\)")


def write_instruction(level: int, problem: str) -> str:
    """The first message of an episode: the level, the problem and the reply format."""
    return (
        f"Solve this math problem (level {level} of 5).\n"
        f"Problem: {problem}\n"
        "Give the exact answer: a whole number or a fraction such as 7/4 (no rounding, no units).\n"
        + MATH_REPLY_FORMAT
    )


def problem_of(instruction: str) -> str | None:
    """The problem sentence inside an instruction of this task (None if there is none)."""
    m = _PROBLEM_LINE.search(instruction)
    return m.group("problem").strip() if m else None


def level_of(instruction: str) -> int | None:
    """The difficulty level stated in an instruction (None if it states none)."""
    m = _LEVEL.search(instruction)
    return int(m.group("level")) if m else None
