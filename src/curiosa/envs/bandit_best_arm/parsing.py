"""Reading bandit text: the arm an agent names, and the arms and totals a policy sees."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from curiosa.envs.base import FormatError
from curiosa.envs.text import quote

FILLER_FILE = Path(__file__).parent / "data" / "filler_words.json"

_WORD = re.compile(r"[a-z0-9]+")
_TOTALS = re.compile(r"^Totals \(reward/pulls\): (.+?)\.$", re.MULTILINE)
_TOTAL_ITEM = re.compile(r"([a-z]+) (\d+)/(\d+)")
_ARMS_LINE = re.compile(r"There are \d+ arms: ([a-z, ]+)\.")


@lru_cache(maxsize=1)
def filler_words() -> frozenset[str]:
    """Words a reply may wrap around an arm name ("pull red", "best arm: red", "I choose the red arm").

    An answer whose only other word is not one of these names an arm that does not exist.
    """
    return frozenset(json.loads(FILLER_FILE.read_text(encoding="utf-8")))


def parse_arms(instruction: str) -> list[str]:
    """The arm names listed in an instruction, in their order."""
    m = _ARMS_LINE.search(instruction)
    return [a.strip() for a in m.group(1).split(",")] if m else []


def parse_totals(observation: str) -> dict[str, tuple[int, int]] | None:
    """``{arm: (reward, pulls)}`` from an observation's totals line, or None if it has none."""
    m = _TOTALS.search(observation)
    if m is None:
        return None
    return {name: (int(s), int(n)) for name, s, n in _TOTAL_ITEM.findall(m.group(1))}


def read_arm(answer: str, arms: Sequence[str]) -> str | tuple[str, str]:
    """The arm an answer names, or ``("invalid", reason)`` for a readable answer naming no single arm.

    Raises FormatError when the answer is not an arm name at all.
    """
    words = _WORD.findall(answer.lower())
    named = list(dict.fromkeys(w for w in words if w in arms))
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        return ("invalid", f"{quote(answer)} names {len(named)} arms ({', '.join(named)}); name exactly one")
    filler = filler_words()
    others = [w for w in words if w not in filler]
    if len(others) == 1:
        return ("invalid", f"there is no arm {quote(others[0])}; the arms are {', '.join(arms)}")
    raise FormatError(f"expected the name of one arm ({', '.join(arms)}), e.g. 'Answer: {arms[0]}'")
