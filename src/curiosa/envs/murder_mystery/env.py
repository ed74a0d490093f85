"""The murder mystery env: the instruction, the offline narrator, and the LLM-mode hooks.

The agent writes free text after ``Answer:``; the offline narrator maps it to one of four actions by the
verbs and the names it contains (suspects, places, items of the case; see ``parsing.py``):

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
narration. Evidence always ends with one of six fixed sentences (see ``evidence.py``).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from curiosa.envs.base import Outcome
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.murder_mystery.cases import GROUP, N_TEST, N_TRAIN, case_pool, preposition
from curiosa.envs.murder_mystery.parsing import UNKNOWN_REPLY, Lexicon, Person, normalize
from curiosa.envs.murder_mystery.tables import CAUSES
from curiosa.envs.task import Task, make_tasks, split_pool
from curiosa.envs.text import REPLY_FORMAT

TIME_WINDOW = "between nine and ten in the evening"


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
        names = [normalize(a).strip() for a in person.aliases()[:4]]
        for sentence in re.split(r"(?<=[.!?])\s+", reply):
            norm = normalize(sentence)
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
