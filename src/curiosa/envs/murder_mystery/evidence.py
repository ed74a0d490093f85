"""The six fixed sentences that end every piece of evidence, and how to read them back from narration.

The case generator writes them (``cases.py``); scripted detectives read them with :func:`read_evidence`.
Only the killer is ever contradicted, linked or placed at the scene.
"""

from __future__ import annotations

import re
from typing import Sequence

CONFIRM = "This confirms {N}'s alibi."
CONTRADICT = "This contradicts {N}'s alibi."
LINKED = "This links the {I} to {N}."
PLACED = "This places {N} at the scene."
MOTIVATED = "This gives {N} a motive."
SUSPECTED = "This casts suspicion on {N}, but proves nothing."

EVIDENCE_KINDS = ("confirm", "contradict", "link", "scene", "motive", "suspicion")
IMPLICATING = ("contradict", "link", "scene")


def names_pattern(names: Sequence[str]) -> str:
    """A regex alternative of the names, longest first, so that a name wins over a shorter one inside it."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def read_evidence(observation: str, names: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, suspect) of every evidence sentence, kind in EVIDENCE_KINDS, in order of appearance."""
    n = f"(?P<name>{names_pattern(names)})"
    forms = {
        "confirm": rf"This confirms {n}'s alibi\.",
        "contradict": rf"This contradicts {n}'s alibi\.",
        "link": rf"This links the [^.]+? to {n}\.",
        "scene": rf"This places {n} at the scene\.",
        "motive": rf"This gives {n} a motive\.",
        "suspicion": rf"This casts suspicion on {n}, but proves nothing\.",
    }
    found = []
    for kind, pattern in forms.items():
        found += [(m.start(), kind, m.group("name")) for m in re.finditer(pattern, observation)]
    return [(kind, name) for _, kind, name in sorted(found)]
