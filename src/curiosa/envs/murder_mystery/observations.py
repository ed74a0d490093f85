"""Reading the game's text back, as a player can: the public case from the instruction, and what each
narration says (a statement, a testimony, a search or examination, how a story can be checked).

Evidence sentences are read by :func:`curiosa.envs.murder_mystery.evidence.read_evidence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from curiosa.envs.murder_mystery.env import TIME_WINDOW, MurderMysteryEnv
from curiosa.envs.murder_mystery.evidence import names_pattern
from curiosa.envs.murder_mystery.parsing import Lexicon, Person
from curiosa.envs.murder_mystery.tables import CAUSES


@dataclass
class PublicCase:
    """What the instruction tells the agent."""

    victim: Person
    setting: str
    scene: str
    cause: str
    suspects: list[Person]
    places: list[str]
    items: list[str]
    max_turns: int

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.suspects]

    def lexicon(self) -> Lexicon:
        return Lexicon(self.suspects, self.victim, self.places, self.items, self.scene)


_VICTIM_LINE = re.compile(r"^(?P<title>\S+) (?P<first>\S+) (?P<last>\S+), (?P<role>.+?), was found dead (?:in|on) the "
                          r"(?P<scene>[^,]+), (?P<cause>[^,]+), " + TIME_WINDOW, re.MULTILINE)
_SETTING_LINE = re.compile(r"murder mystery at (?P<setting>.+?)\.$", re.MULTILINE)
_SUSPECT_ENTRY = re.compile(r"^(?P<title>\S+) (?P<first>\S+) (?P<last>\S+), (?P<occupation>.+)$")
_TURNS = re.compile(r"You have (?P<n>\d+) turns")


def parse_instruction(text: str) -> PublicCase:
    """Read back the public facts of a case from its instruction."""
    lines = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in text.splitlines() if ":" in line}
    v = _VICTIM_LINE.search(text)
    if v is None:
        raise ValueError("not a murder_mystery instruction")
    cause = next((k for k, phrase in CAUSES.items() if phrase == v.group("cause")), "")
    suspects = []
    for entry in lines["Suspects"].rstrip(".").split("; "):
        m = _SUSPECT_ENTRY.match(entry)
        if m:
            suspects.append(Person(m.group("title"), m.group("first"), m.group("last"), m.group("occupation")))
    setting = _SETTING_LINE.search(text)
    turns = _TURNS.search(text)
    return PublicCase(
        victim=Person(v.group("title"), v.group("first"), v.group("last")),
        setting=setting.group("setting") if setting else "",
        scene=v.group("scene"), cause=cause, suspects=suspects,
        places=[p for p in lines["Places"].rstrip(".").split(", ") if p],
        items=[i for i in lines["Items"].rstrip(".").split(", ") if i],
        max_turns=int(turns.group("n")) if turns else MurderMysteryEnv.max_turns,
    )


# --------------------------------------------------------------------------- reading narration
def read_statement(observation: str, names: Sequence[str]) -> tuple[str, str] | None:
    """(speaker, quoted statement) when the observation is a suspect's answer."""
    m = re.search(rf'(?P<name>{names_pattern(names)}) says: "(?P<quote>[^"]*)"', observation)
    return (m.group("name"), m.group("quote")) if m else None


_ACTION_LINE = re.compile(r"^You (?P<verb>search|examine) the (?P<target>.+?)(?:\.|, where )", re.MULTILINE)


def read_action(observation: str) -> tuple[str, str] | None:
    """('search', place) or ('examine', item) when the observation narrates one of them."""
    m = _ACTION_LINE.search(observation)
    return (m.group("verb"), m.group("target")) if m else None


def read_testimony(observation: str, names: Sequence[str]) -> tuple[str, str] | None:
    """(speaker, subject) when the observation is a suspect's answer about another suspect."""
    n = names_pattern(names)
    m = re.search(rf'(?P<name>{n}) says about (?P<about>{n}): "', observation)
    return (m.group("name"), m.group("about")) if m else None


def claim_check(statement: str, speaker: str, case: PublicCase) -> tuple[str, str] | None:
    """How a suspect's statement says it can be checked: ('question', companion to ask about the speaker),
    ('examine', item) or ('search', place)."""
    for name in case.names:
        if name != speaker and name in statement:
            return "question", name
    for item in sorted(case.items, key=len, reverse=True):
        if f"the {item.lower()}" in statement.lower():
            return "examine", item
    m = re.match(r"I was (?:in|on) the (?P<place>.+?) from nine until ten", statement)
    if m and m.group("place") in case.places:
        return "search", m.group("place")
    return None
