"""Murder mystery: question suspects, search places and examine items, then accuse the killer.

Cases come from :mod:`curiosa.envs.murder_mystery_cases` (a deterministic generator). The agent
writes free text after ``Answer:``; the offline narrator maps it to one of four actions by the verbs
and the names it contains (suspects, places, items of the case):

* question a suspect ("Ask Colonel Hale about his alibi", "question Hale"): the suspect's statement
  (where they were between nine and ten and how to check it); asked about another suspect ("Ask Mrs
  Price about Colonel Hale"), what they saw of that suspect (a companion confirms or denies a story);
* search a place ("search the library", "look around the study"; "examine the body" searches the
  scene);
* examine an item ("examine the knife");
* accuse a suspect ("I accuse Hale", "Mrs Price is the murderer"): ends the game, won iff it names
  the killer.

Rules worth knowing: an accusation of someone who is not a suspect (the victim, an unknown name, two
names at once) is an invalid move that uses the turn and does NOT end the game. A reply that names
no known action gets one fixed reply, uses the turn and is invalid. Repeating an action repeats its
narration. Evidence always ends with one of six fixed sentences (see :func:`read_evidence`):
"This confirms X's alibi.", "This contradicts X's alibi.", "This links the I to X.", "This places
X at the scene.", "This gives X a motive.", "This casts suspicion on X, but proves nothing." Only the
killer is ever contradicted, linked or placed at the scene.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Sequence

from curiosa.envs.base import Outcome
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.murder_mystery_cases import CAUSES, N_TEST, N_TRAIN, case_pool, preposition
from curiosa.envs.task import Task, make_tasks, split_pool
from curiosa.envs.text import REPLY_FORMAT, quote

GROUP = "murder_mystery"
TIME_WINDOW = "between nine and ten in the evening"
UNKNOWN_REPLY = ("The narrator cannot tell what you want to do. Question a suspect, search a place, examine an "
                 "item, or accuse a suspect, e.g. 'Ask <suspect> about the alibi' or 'Search the <place>'.")
EVIDENCE_KINDS = ("confirm", "contradict", "link", "scene", "motive", "suspicion")
IMPLICATING = ("contradict", "link", "scene")

# --------------------------------------------------------------------------- reading moves
_TITLE_ALIASES = {"Mr": ["mister"], "Dr": ["doctor"], "Professor": ["prof"], "Captain": ["capt"],
                  "Colonel": ["col"], "Reverend": ["rev"], "Mrs": ["missus"]}
_ACCUSE = ["accuse", "accuses", "accusing", "accused", "accusation", "arrest", "j accuse", "blame", "charge",
           "culprit", "murderer", "killer", "guilty", "did it", "it was", "committed the murder", "who killed",
           "is responsible", "convict"]
_QUESTION = ["ask", "asks", "asking", "question", "questioning", "interrogate", "interview", "talk to",
             "talk with", "speak to", "speak with", "quiz", "where were", "where was", "confront", "alibi"]
_SEARCH = ["search", "searching", "explore", "look around", "look in", "go to", "visit", "enter", "walk to",
           "head to", "comb", "sweep"]
_EXAMINE = ["examine", "examining", "analyse", "analyze", "look at", "test", "dust", "scrutinise", "scrutinize",
            "read", "pick up", "open", "inspect", "check", "investigate", "look", "study"]
_NEGATED = re.compile(r" (?:not|don t|do not|before|without|instead of|won t|will not|cannot|can t)"
                      r" (?:yet )?(?:accus|arrest|blam|charg|convict)\w*")
_SCENE_WORDS = ["body", "corpse", "crime scene", "scene of the crime", "murder scene", "scene"]


def _norm(text: str) -> str:
    """Lower case, every run of non-alphanumerics one space, padded with spaces for word matching."""
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


def _keyword_family(norm: str) -> tuple[str | None, int]:
    """The family of the earliest action word in ``norm`` and its position."""
    best: tuple[int, str | None] = (len(norm), None)
    for family, words in (("accuse", _ACCUSE), ("question", _QUESTION), ("search", _SEARCH), ("examine", _EXAMINE)):
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
            phrases += [(_norm(a).strip(), "suspect", p.name) for a in p.aliases()]
        phrases += [(_norm(a).strip(), "victim", self.victim.name) for a in self.victim.aliases()[:4]]
        phrases += [(_norm(a).strip(), "victim", self.victim.name) for a in ("victim", "the deceased")]
        for kind, names in (("place", self.places), ("item", self.items)):
            heads: dict[str, int] = {}
            for name in self.places + self.items:
                head = name.lower().split()[-1]
                heads[head] = heads.get(head, 0) + 1
            for name in names:
                phrases.append((_norm(name).strip(), kind, name))
                head = name.lower().split()[-1]
                if len(name.split()) > 1 and heads[head] == 1 and head not in _GENERIC_HEADS:
                    phrases.append((_norm(head).strip(), kind, name))
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
        norm = _NEGATED.sub(" ", _norm(text))
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


_GENERIC_HEADS = frozenset({"room", "hall", "car", "van", "office", "deck", "house", "of"})


# --------------------------------------------------------------------------- the public case
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
def _names_pattern(names: Sequence[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def read_evidence(observation: str, names: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, suspect) of every evidence sentence, kind in EVIDENCE_KINDS, in order of appearance."""
    n = f"(?P<name>{_names_pattern(names)})"
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


def read_statement(observation: str, names: Sequence[str]) -> tuple[str, str] | None:
    """(speaker, quoted statement) when the observation is a suspect's answer."""
    m = re.search(rf'(?P<name>{_names_pattern(names)}) says: "(?P<quote>[^"]*)"', observation)
    return (m.group("name"), m.group("quote")) if m else None


_ACTION_LINE = re.compile(r"^You (?P<verb>search|examine) the (?P<target>.+?)(?:\.|, where )", re.MULTILINE)


def read_action(observation: str) -> tuple[str, str] | None:
    """('search', place) or ('examine', item) when the observation narrates one of them."""
    m = _ACTION_LINE.search(observation)
    return (m.group("verb"), m.group("target")) if m else None


def read_testimony(observation: str, names: Sequence[str]) -> tuple[str, str] | None:
    """(speaker, subject) when the observation is a suspect's answer about another suspect."""
    n = _names_pattern(names)
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


def turns_left_text(n: int) -> str:
    return f"{n} turn left." if n == 1 else f"{n} turns left."


# --------------------------------------------------------------------------- environment
class MurderMysteryEnv(DialogueEnv):
    """Find the killer among the suspects; the first accusation ends the game."""

    group: ClassVar[str] = GROUP
    max_turns: ClassVar[int] = 20
    simulator_role: ClassVar[str] = "the narrator"

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        parts = split_pool(cls.group, case_pool(), N_TRAIN, N_TEST)
        return make_tasks(cls.group, split, parts[split])

    # ----------------------------------------------------------------- setup
    def _start(self) -> str:
        assert self.task is not None
        self.case = p = dict(self.task.params)
        self.lexicon = Lexicon.from_params(p)
        self.people = {s["name"]: s for s in p["suspects"]}
        self.clue_at = {(c["action"], c["target"], c["about"]): c for c in p["clues"]}
        v = p["victim"]
        victim = f"{v['title']} {v['first']} {v['last']}"
        suspects = "; ".join(f"{s['title']} {s['first']} {s['last']}, {s['occupation']}" for s in p["suspects"])
        first, last = p["suspects"][0], p["suspects"][-1]
        his = "his" if first["gender"] == "m" else "her"
        return (
            f"You are the detective in a murder mystery at {p['setting']}.\n"
            f"{victim}, {v['role']}, was found dead {self._in(p['scene'])}, {CAUSES[p['cause']]}, {TIME_WINDOW}. "
            "One of the suspects is the killer.\n"
            f"Suspects: {suspects}.\n"
            f"Places: {', '.join(p['places'])}.\n"
            f"Items: {', '.join(p['items'])}.\n"
            "Each turn, take one action:\n"
            f"- question a suspect, e.g. 'Answer: Ask {first['name']} about {his} alibi', or ask one suspect about "
            f"another, e.g. 'Answer: Ask {first['name']} about {last['name']}'\n"
            f"- search a place, e.g. 'Answer: Search the {p['places'][0]}'\n"
            f"- examine an item, e.g. 'Answer: Examine the {p['items'][0]}'\n"
            f"- accuse the killer, e.g. 'Answer: I accuse {last['name']}'\n"
            "Suspects say where they were and how to check it; evidence says whose alibi it confirms or "
            "contradicts. Your first accusation ends the game, and you win only if you name the killer. "
            f"You have {self.max_turns} turns.\n" + REPLY_FORMAT
        )

    @staticmethod
    def _in(place: str) -> str:
        return f"{preposition(place)} the {place}"

    # ----------------------------------------------------------------- offline narrator
    def _offline_play(self, move: str) -> Outcome:
        action = self.lexicon.read_move(move)
        left = self.max_turns - self.turn
        tail = f"\n{turns_left_text(left)}" if left > 0 else ""
        feedback: dict[str, Any] = {"reply": "", "kind": action.kind, "target": action.target, "about": action.about,
                                    "clue": None, "culprit_correct": None}
        if action.problem is not None or action.target is None:
            feedback["reply"] = action.problem or UNKNOWN_REPLY
            return Outcome(feedback["reply"] + tail, feedback=feedback, invalid=True)
        if action.kind == "accuse":
            correct = action.target == self.case["culprit"]
            feedback["culprit_correct"] = correct
            if correct:
                reply = (f"You accuse {action.target}. Faced with the evidence, {action.target} confesses to the "
                         f"murder of {self.lexicon.victim.name}. Case solved!")
            else:
                reply = f"You accuse {action.target}, but {action.target} is innocent. The real killer walks free."
            feedback["reply"] = reply
            return Outcome(reply, feedback=feedback, done=True, success=correct)
        clue = self.clue_at.get((action.kind, action.target, action.about))
        if action.kind == "question" and action.about is None:
            reply = f'{action.target} says: "{self.people[action.target]["statement"]}"'
        elif action.kind == "question":
            reply = self.people[action.target]["testimony"].get(action.about) or (
                f'{action.target} says about {action.about}: "I cannot tell you where {action.about} was between '
                'nine and ten."')
            if clue is not None:
                reply, clue = clue["text"], {"text": "", "id": clue["id"]}
        elif action.kind == "search":
            if action.target == self.case["scene"]:
                reply = f"You search the {action.target}, where {self.lexicon.victim.name} lies dead."
                if clue is None:
                    reply += " Apart from the body, there is nothing of interest."
            else:
                reply = f"You search the {action.target}."
                if clue is None:
                    reply += " You find nothing of interest."
        else:
            reply = f"You examine the {action.target}."
            if clue is None:
                default = f"The {action.target} tells you nothing about the murder."
                reply += " " + self.case["extras"].get(action.target, default)
        if clue is not None:
            reply = (reply + " " + clue["text"]).strip()
            feedback["clue"] = clue["id"]
        feedback["reply"] = reply
        return Outcome(reply + tail, feedback=feedback)

    def _reveal(self) -> str:
        c = self.case
        return f"The killer was {c['culprit']}, with the {c['weapon']} {self._in(c['scene'])}."

    # ----------------------------------------------------------------- LLM hooks
    def llm_simulator_prompt(self) -> str:
        c = self.case
        v = self.lexicon.victim
        lines = [
            f"You are the narrator of a murder mystery at {c['setting']}. A detective investigates by questioning "
            "suspects, searching places and examining items. You know every hidden fact below.",
            f"{v.full}, {c['victim']['role']}, was killed {self._in(c['scene'])} {TIME_WINDOW}, "
            f"{CAUSES[c['cause']]}, with the {c['weapon']}.",
            f"SECRET: the killer is {c['culprit']}. Their alibi is a lie: they were {self._in(c['scene'])} "
            "committing the murder.",
            "Suspects (what each says when questioned, and their hidden motive):",
        ]
        for s in c["suspects"]:
            motive = f"{s['name']} {s['motive']}" if s["motive"] else "none"
            lines.append(f'- {s["title"]} {s["first"]} {s["last"]}, {s["occupation"]}: says "{s["statement"]}" '
                         f"Hidden motive: {motive}.")
        lines.append(f"Places: {', '.join(c['places'])}. Items: {', '.join(c['items'])}.")
        lines.append("What each action reveals (include the evidence text word for word when that action is taken):")
        for clue in c["clues"]:
            if clue["action"] == "question":
                lines.append(f"- Asking {clue['target']} about {clue['about']}: {clue['text']}")
            else:
                verb = "Searching" if clue["action"] == "search" else "Examining"
                lines.append(f"- {verb} the {clue['target']}: {clue['text']}")
        for s in c["suspects"]:
            for about, text in s["testimony"].items():
                lines.append(f"- Asking {s['name']} about {about} (a lie): {text}")
        for item, text in c["extras"].items():
            lines.append(f"- Examining the {item}: {text}")
        lines += [
            "Any other place or item reveals nothing of interest. Asked about another suspect, a suspect not listed "
            "above says they cannot tell where that person was between nine and ten.",
            "Rules: reply with two to four sentences of plain narration in English. For a question, give the "
            "suspect's statement in the form: <Title Surname> says: \"<statement>\"; asked about another suspect, "
            "<Title Surname> says about <Title Surname>: \"<answer>\" followed by any evidence sentence listed. "
            "For a search, start with 'You search the <place>.'; for an item, 'You examine the <item>.' "
            "Reveal only what the investigated suspect, place or item reveals. Never say or hint who the killer "
            "is, and never invent evidence. If the detective accuses someone, only narrate that the "
            "accusation is made. If the action is unclear, say so briefly and list the possible actions.",
        ]
        return "\n".join(lines)

    def llm_extract_reply(self, text: str) -> str | None:
        reply = re.sub(r"^\s*(?:narrator|the narrator)\s*:\s*", "", text.strip(), flags=re.IGNORECASE).strip()
        if not reply or len(reply) > 1500 or re.search(r"(?im)^\s*(thought|answer)\s*:", reply):
            return None
        culprit = self.people[self.case["culprit"]]
        person = Person(culprit["title"], culprit["first"], culprit["last"])
        names = [_norm(a).strip() for a in person.aliases()[:4]]
        for sentence in re.split(r"(?<=[.!?])\s+", reply):
            norm = _norm(sentence)
            if any(f" {n} " in norm for n in names) and re.search(
                    r" (killer|murderer|culprit|guilty|did it|confess\w*|committed the murder|is responsible) ", norm):
                return None
        return reply

    def llm_feedback(self, move: str, label: str) -> dict[str, Any]:
        if label in ("culprit", "other"):
            return {"kind": "accuse", "target": None, "clue": None, "culprit_correct": label == "culprit"}
        action = self.lexicon.read_move(move)
        return {"kind": action.kind, "target": action.target, "clue": None, "culprit_correct": None}

    def llm_judge(self, move: str) -> JudgeSpec:
        c = self.case
        others = [n for n in self.people if n != c["culprit"]]
        culprit = self.people[c["culprit"]]
        question = (
            f"Does the message accuse someone of the murder, and if so is it {c['culprit']} "
            f"({culprit['title']} {culprit['first']} {culprit['last']})? Answer 'culprit' if it accuses "
            f"{c['culprit']}, 'other' if it accuses one of {', '.join(others)}, and 'none' if it accuses nobody "
            "(questions, searches, examinations, or an accusation of someone who is not a suspect)."
        )
        labels = {"culprit": (True, True), "other": (True, False), "none": (False, False)}
        return JudgeSpec(question=question, labels=labels)
