"""How the offline narrator reads a detective's free text: which action, on which suspect, place or item.

The action is the family of the earliest action word ("ask", "search", "examine", "accuse"...); the
target is the name of the case that text mentions (suspects by any part of their name, title variant
or occupation; places and items by their name or an unambiguous last word). The word lists live in
``data/vocabulary.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from curiosa.envs.murder_mystery.tables import read_data
from curiosa.envs.text import quote

UNKNOWN_REPLY = ("The narrator cannot tell what you want to do. Question a suspect, search a place, examine an "
                 "item, or accuse a suspect, e.g. 'Ask <suspect> about the alibi' or 'Search the <place>'.")

_VOCABULARY = read_data("vocabulary.json")
_TITLE_ALIASES: dict[str, list[str]] = _VOCABULARY["title_aliases"]
"""Title -> other ways to write it ("Dr" -> "doctor")."""
_ACTION_WORDS: dict[str, list[str]] = _VOCABULARY["action_words"]
"""Action family -> the words that ask for it; on a tie of position the earlier family wins."""
_SCENE_WORDS: list[str] = _VOCABULARY["scene_words"]
"""Words that mean the place where the body lies."""
_GENERIC_HEADS = frozenset(_VOCABULARY["generic_heads"])
"""Last words too generic to name a place or item on their own ("room", "hall"...)."""
_NEGATED = re.compile(r" (?:not|don t|do not|before|without|instead of|won t|will not|cannot|can t)"
                      r" (?:yet )?(?:accus|arrest|blam|charg|convict)\w*")


def normalize(text: str) -> str:
    """Lower case, every run of non-alphanumerics one space, padded with spaces for word matching."""
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


def _keyword_family(norm: str) -> tuple[str | None, int]:
    """The family of the earliest action word in ``norm`` and its position."""
    best: tuple[int, str | None] = (len(norm), None)
    for family, words in _ACTION_WORDS.items():
        for word in words:
            pos = norm.find(f" {word} ")
            if 0 <= pos < best[0]:
                best = (pos, family)
    return best[1], best[0]


@dataclass(frozen=True)
class Person:
    title: str
    first: str
    last: str
    occupation: str = ""

    @property
    def name(self) -> str:
        return f"{self.title} {self.last}"

    @property
    def full(self) -> str:
        return f"{self.title} {self.first} {self.last}"

    def aliases(self) -> list[str]:
        out = [self.full, self.name, f"{self.first} {self.last}", self.last, self.first]
        out += [f"{t} {self.last}" for t in _TITLE_ALIASES.get(self.title, [])]
        if self.occupation:
            out.append(re.sub(r"^(a|an|the) ", "", self.occupation))
        return out


@dataclass
class Move:
    """What an agent's free text asks for."""

    kind: str
    """question, search, examine, accuse or unknown."""
    target: str | None = None
    """Suspect name ('Colonel Hale'), place or item; None when the text names none that fits."""
    problem: str | None = None
    """Why the move cannot be carried out (an invalid move), or None."""
    about: str | None = None
    """For a question: the other suspect it asks about ('Ask Mrs Price about Colonel Hale'), or None."""


@dataclass
class Lexicon:
    """The names of one case and how free text refers to them."""

    suspects: list[Person]
    victim: Person
    places: list[str]
    items: list[str]
    scene: str
    _phrases: list[tuple[str, str, str]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        phrases: list[tuple[str, str, str]] = []
        for p in self.suspects:
            phrases += [(normalize(a).strip(), "suspect", p.name) for a in p.aliases()]
        phrases += [(normalize(a).strip(), "victim", self.victim.name) for a in self.victim.aliases()[:4]]
        phrases += [(normalize(a).strip(), "victim", self.victim.name) for a in ("victim", "the deceased")]
        for kind, names in (("place", self.places), ("item", self.items)):
            heads: dict[str, int] = {}
            for name in self.places + self.items:
                head = name.lower().split()[-1]
                heads[head] = heads.get(head, 0) + 1
            for name in names:
                phrases.append((normalize(name).strip(), kind, name))
                head = name.lower().split()[-1]
                if len(name.split()) > 1 and heads[head] == 1 and head not in _GENERIC_HEADS:
                    phrases.append((normalize(head).strip(), kind, name))
        phrases += [(w, "place", self.scene) for w in _SCENE_WORDS]
        # longest first, so that 'kitchen knife' wins over 'kitchen'; a name shared by two things is dropped
        owners: dict[str, set[tuple[str, str]]] = {}
        for phrase, kind, name in phrases:
            owners.setdefault(phrase, set()).add((kind, name))
        unique = [(ph, *next(iter(o))) for ph, o in owners.items() if len(o) == 1 and ph]
        self._phrases = sorted(unique, key=lambda x: -len(x[0]))

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> "Lexicon":
        suspects = [Person(s["title"], s["first"], s["last"], s["occupation"]) for s in params["suspects"]]
        v = params["victim"]
        return cls(suspects, Person(v["title"], v["first"], v["last"]), list(params["places"]),
                   list(params["items"]), params["scene"])

    def mentions(self, norm: str) -> list[tuple[int, str, str]]:
        """(position, kind, name) of every name in normalised text, in order of position."""
        work = norm
        found: list[tuple[int, str, str]] = []
        for phrase, kind, name in self._phrases:
            needle = f" {phrase} "
            start = work.find(needle)
            while start >= 0:
                found.append((start, kind, name))
                work = work[:start + 1] + "#" * len(phrase) + work[start + 1 + len(phrase):]
                start = work.find(needle, start + 1)
        return sorted(found)

    def read_move(self, text: str) -> Move:
        norm = _NEGATED.sub(" ", normalize(text))
        mentions = self.mentions(norm)
        family, at = _keyword_family(norm)

        def first(kinds: tuple[str, ...], after: int = -1) -> str | None:
            for pos, kind, name in mentions:
                if kind in kinds and pos >= after:
                    return name
            for pos, kind, name in mentions:
                if kind in kinds:
                    return name
            return None

        suspects = list(dict.fromkeys(name for _, kind, name in mentions if kind == "suspect"))
        victim_named = any(kind == "victim" for _, kind, _ in mentions)
        if family == "accuse":
            if len(suspects) == 1:
                return Move("accuse", suspects[0])
            if len(suspects) > 1:
                return Move("accuse", None, f"Accuse exactly one suspect; you named {', '.join(suspects)}. "
                            "Your accusation is not recorded.")
            if victim_named:
                return Move("accuse", None, f"{self.victim.name} is the victim, not a suspect. "
                            f"The suspects are {self.suspect_list()}.")
            return Move("accuse", None, f"{quote(text)} names none of the suspects, so no accusation is recorded. "
                        f"The suspects are {self.suspect_list()}.")
        if family == "question":
            who = first(("suspect",), at)
            if who is not None:
                others = [n for n in suspects if n != who]
                return Move("question", who, about=others[0] if others else None)
            if victim_named:
                return Move("question", None, f"{self.victim.name} is the victim and cannot answer. "
                            f"The suspects are {self.suspect_list()}.")
            return Move("question", None, f"{quote(text)} names none of the suspects. "
                        f"The suspects are {self.suspect_list()}.")
        if family in ("search", "examine"):
            preferred = ("place",) if family == "search" else ("item",)
            target = first(preferred, at) or first(("place", "item"), at)
            if target is not None:
                return Move("search" if target in self.places else "examine", target)
            who = first(("suspect",), at)
            if who is not None:
                return Move("question", who)
            what = "place" if family == "search" else "item"
            return Move(family, None, f"{quote(text)} names no {what} of this case. Places: {', '.join(self.places)}. "
                        f"Items: {', '.join(self.items)}.")
        things = list(dict.fromkeys(name for _, kind, name in mentions if kind in ("place", "item")))
        if len(things) == 1:
            return Move("search" if things[0] in self.places else "examine", things[0])
        return Move("unknown", None, UNKNOWN_REPLY)

    def suspect_list(self) -> str:
        return ", ".join(p.name for p in self.suspects)

