"""Scripted murder-mystery detectives.

All three read the public case (victim, scene, cause of death, suspects, places, items) from the
instruction and what was found from the narration only.

* expert: examines the items that could have caused the death (the weapon may carry a trace of the
  killer), searches the scene, then questions suspects one at a time and at once checks each story
  the way the suspect says it can be checked (search the place, examine the item, or question the
  companion). It keeps the set of suspects not yet cleared and accuses as soon as the evidence
  implicates someone or only one suspect is left (or, on the last turn, the most suspicious).
* heuristic: a novice: questions every suspect in the listed order, then searches the scene and two
  random places, and accuses whoever the evidence implicates, else the uncleared suspect with the
  most motive and suspicion found (random among ties).
* random: random questions, searches and examinations; accuses a random suspect at a random turn
  (at the latest on the last one).
"""

from __future__ import annotations

from collections import Counter

from curiosa.envs.murder_mystery import (
    CAUSES, IMPLICATING, WEAPON_KIND, PublicCase, claim_check, parse_instruction, read_action, read_evidence,
    read_statement, read_testimony,
)
from curiosa.policies.base import ScriptedPolicy, View, choice


class _Knowledge:
    """What the detective has learnt so far, from the text alone."""

    def __init__(self, view: View) -> None:
        self.case: PublicCase = parse_instruction(view.instruction)
        self.names = self.case.names
        self.confirmed: set[str] = set()
        self.implicated: dict[str, str] = {}
        self.motive: Counter[str] = Counter()
        self.suspicion: Counter[str] = Counter()
        self.statements: dict[str, str] = {}
        self.testimonies: set[tuple[str, str]] = set()
        self.searched: set[str] = set()
        self.examined: set[str] = set()
        self.weapon_found = False
        for observation in view.observations:
            action = read_action(observation)
            if action is not None:
                (self.searched if action[0] == "search" else self.examined).add(action[1])
            statement = read_statement(observation, self.names)
            if statement is not None:
                self.statements.setdefault(*statement)
            testimony = read_testimony(observation, self.names)
            if testimony is not None:
                self.testimonies.add(testimony)
            for kind, name in read_evidence(observation, self.names):
                if kind == "confirm":
                    self.confirmed.add(name)
                elif kind in IMPLICATING:
                    self.implicated.setdefault(name, kind)
                elif kind == "motive":
                    self.motive[name] += 1
                else:
                    self.suspicion[name] += 1
            if "is the murder weapon" in observation:
                self.weapon_found = True
        self.left = self.case.max_turns - len(view.replies)

    @property
    def uncleared(self) -> list[str]:
        return [n for n in self.names if n not in self.confirmed]

    def followups(self) -> list[tuple[str, str, str, str | None]]:
        """(suspect, action, target, about) for each story whose check has not been made yet.

        A story naming a companion is checked by asking the companion about the speaker; once the
        speaker is cleared, asking the speaker about an uncleared companion checks the companion too.
        """
        out: list[tuple[str, str, str, str | None]] = []
        for name, statement in self.statements.items():
            check = claim_check(statement, name, self.case)
            if check is None:
                continue
            kind, target = check
            if name in self.confirmed:
                if kind == "question" and target not in self.confirmed and (name, target) not in self.testimonies:
                    out.append((target, "question", name, target))
                continue
            if kind == "question":
                if (target, name) not in self.testimonies:
                    out.append((name, "question", target, name))
            elif target not in (self.searched if kind == "search" else self.examined):
                out.append((name, kind, target, None))
        return out

    def score(self, name: str) -> int:
        return 2 * self.motive[name] + self.suspicion[name]


def _pick_phrase(rng, options: list[str], **kw: str) -> str:
    return choice(rng, options).format(**kw)


class MurderMysteryPolicy(ScriptedPolicy):
    game = "murder_mystery"

    # ------------------------------------------------------------------ answer phrasings
    def _question(self, name: str) -> str:
        return _pick_phrase(self.rng, ["Ask {n} about the alibi", "Question {n}",
                                       "Ask {n} where they were between nine and ten"], n=name)

    def _ask_about(self, name: str, about: str) -> str:
        return _pick_phrase(self.rng, ["Ask {n} about {a}", "Ask {n} whether {a} was with them",
                                       "Question {n} about {a}"], n=name, a=about)

    def _search(self, place: str) -> str:
        return _pick_phrase(self.rng, ["Search the {p}", "Search the {p}", "Look around the {p}"], p=place)

    def _examine(self, item: str) -> str:
        return _pick_phrase(self.rng, ["Examine the {i}", "Examine the {i}", "Look at the {i} closely"], i=item)

    def _accuse(self, name: str) -> str:
        return _pick_phrase(self.rng, ["I accuse {n}", "Accuse {n} of the murder", "I accuse {n} of the murder"],
                            n=name)

    def _act(self, kind: str, target: str) -> str:
        return {"question": self._question, "search": self._search, "examine": self._examine}[kind](target)

    def _most_suspicious(self, k: _Knowledge, names: list[str]) -> str:
        best = max(k.score(n) for n in names)
        return choice(self.rng, [n for n in names if k.score(n) == best])

    # ------------------------------------------------------------------ random
    def random(self, view: View) -> tuple[str, str]:
        k = _Knowledge(view)
        if k.left <= 1 or self.rng.random() < 0.12:
            name = choice(self.rng, k.names)
            return f"I have a hunch about {name}, so I make my accusation now.", self._accuse(name)
        kind = choice(self.rng, ["question", "search", "examine"])
        if kind == "question":
            name = choice(self.rng, k.names)
            others = [n for n in k.names if n != name]
            if self.rng.random() < 0.3:
                about = choice(self.rng, others)
                return f"I wonder what {name} knows about {about}.", self._ask_about(name, about)
            return f"I pick someone at random to talk to: {name}.", self._question(name)
        if kind == "search":
            place = choice(self.rng, k.case.places)
            return f"Maybe something is hidden in the {place}; I look there.", self._search(place)
        item = choice(self.rng, k.case.items)
        return f"The {item} might matter, so I take a look at it.", self._examine(item)

    # ------------------------------------------------------------------ heuristic
    def heuristic(self, view: View) -> tuple[str, str]:
        k = _Knowledge(view)
        if k.implicated:
            name = next(iter(k.implicated))
            return f"The evidence points at {name}, so I accuse {name}.", self._accuse(name)
        unheard = [n for n in k.names if n not in k.statements]
        if unheard and k.left > 1:
            name = unheard[0]
            if len(unheard) == len(k.names):
                return f"I start by hearing every suspect in turn, beginning with {name}.", self._question(name)
            return (f"I question the suspects in order; {name} is next, {len(unheard) - 1} more after that.",
                    self._question(name))
        if len(k.searched) < 3 and k.left > 1:
            if k.case.scene not in k.searched:
                return (f"I have heard everyone, so I search the {k.case.scene} where the body was found.",
                        self._search(k.case.scene))
            options = [p for p in k.case.places if p not in k.searched]
            if options:
                place = choice(self.rng, options)
                return f"I look for more evidence in the {place}.", self._search(place)
        candidates = k.uncleared or k.names
        name = self._most_suspicious(k, candidates)
        if k.motive[name] > 0:
            return f"{name} has the strongest motive I have found, so I accuse {name}.", self._accuse(name)
        if k.suspicion[name] > 0:
            return f"I found something suspicious about {name}, so I accuse {name}.", self._accuse(name)
        return f"Nothing stands out, so I accuse {name}, whose alibi I could not confirm.", self._accuse(name)

    # ------------------------------------------------------------------ expert
    def expert(self, view: View) -> tuple[str, str]:
        k = _Knowledge(view)
        for name in k.names:
            kind = k.implicated.get(name)
            if kind == "contradict":
                return f"The evidence contradicts {name}'s alibi, so {name} lied and is the killer.", self._accuse(name)
            if kind == "link":
                return f"The murder weapon links to {name}, so I accuse {name}.", self._accuse(name)
            if kind == "scene":
                return f"{name} left something beside the body, so {name} is the killer.", self._accuse(name)
        uncleared = k.uncleared
        if len(uncleared) == 1:
            name = uncleared[0]
            return (f"Every other alibi is confirmed, so only {name} can be the killer.", self._accuse(name))
        if k.left <= 1 or not uncleared:
            name = self._most_suspicious(k, uncleared or k.names)
            return f"I am out of time; {name} is the most suspicious uncleared suspect.", self._accuse(name)

        # turns still needed to clear all but one suspect by their stories, plus the accusation
        costs = sorted((int(n not in k.statements) + 1 for n in uncleared), reverse=True)
        spare = k.left - (sum(costs[1:]) + 1)
        if spare > 1 and not k.weapon_found:
            options = [i for i in k.case.items if WEAPON_KIND.get(i) == k.case.cause and i not in k.examined]
            if options:
                item = options[0]
                return (f"The victim was {self._cause(k)}, and the {item} could be the weapon; it may carry a trace "
                        "of the killer.", self._examine(item))
        if spare > 1 and k.case.scene not in k.searched:
            return (f"The killer may have left something in the {k.case.scene}, where the body was found.",
                    self._search(k.case.scene))

        followups = k.followups()
        if followups:
            name, kind, target, about = followups[0]
            if kind == "question" and about == name:
                return (f"{name} says {target} was there too, so I ask {target} about {name}.",
                        self._ask_about(target, name))
            if kind == "question":
                return (f"{target} is cleared and was with {name}, so I ask {target} about {name}.",
                        self._ask_about(target, name))
            if kind == "examine":
                return f"{name} says the {target} proves the alibi, so I examine it.", self._examine(target)
            return f"{name} claims to have been in the {target}; I search it to check.", self._search(target)
        unheard = [n for n in uncleared if n not in k.statements]
        if unheard:
            unheard.sort(key=lambda n: -k.score(n))
            name = unheard[0]
            return (f"{len(uncleared)} suspects are not cleared yet; I ask {name} for an alibi.",
                    self._question(name))
        for place in k.case.places:
            if place not in k.searched:
                return f"No story is left to check, so I search the {place} for anything new.", self._search(place)
        for item in k.case.items:
            if item not in k.examined:
                return f"No story is left to check, so I examine the {item}.", self._examine(item)
        name = self._most_suspicious(k, uncleared)
        return f"I have checked everything; {name} is the most suspicious suspect left.", self._accuse(name)

    @staticmethod
    def _cause(k: _Knowledge) -> str:
        return CAUSES.get(k.case.cause, "killed")
