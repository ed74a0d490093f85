"""Scripted Twenty Questions players.

They know the public catalogue (as a person knows the world) and read the game only from the
conversation: the category from the instruction, their own questions and guesses, and the Yes/No
replies. They never see the secret.

* random: each turn, a random catalogue question of the category or a guess of a random entity.
* heuristic: a novice who asks questions in a random order, picked among those that split the whole
  category reasonably (not the candidates that are left), narrows the candidates down only with the
  answers that were yes (a common human bias: a "no" is not used to rule things out), and guesses
  among them once three or fewer remain or turns run short.
* expert: asks the question that splits the remaining candidates most evenly, and names the last
  candidate (or one of the last two, or the best bet when turns run out).
"""

from __future__ import annotations

import re

from curiosa.envs.twenty_questions import (
    Category, Entity, TwentyQuestionsEnv, interpret, parse_category, parse_reply,
)
from curiosa.policies.base import ScriptedPolicy, View, choice

_TURNS = re.compile(r"in at most (\d+) turns")
_BARE = {"sports", "weather", "foods", "board_games"}
_NO_ARTICLE_LANDMARKS = {"petra", "stonehenge", "uluru", "angkor wat", "machu picchu", "chichen itza", "moai",
                         "big ben", "niagara falls", "victoria falls", "tower bridge", "notre-dame de paris",
                         "buckingham palace", "hagia sophia", "st basil's cathedral", "neuschwanstein castle",
                         "christ the redeemer", "sagrada familia", "mount rushmore", "mount everest", "mount fuji",
                         "mount kilimanjaro"}


def guess_question(entity: Entity, category: Category) -> str:
    """A natural way to name ``entity`` as a guess, e.g. 'Is it a giraffe?' or 'Is it the heart?'."""
    name = entity.name
    if category.id == "landmarks":
        title = " ".join(w if w in ("of", "de", "the") else w[:1].upper() + w[1:] for w in name.split())
        return f"Is it {title}?" if name in _NO_ARTICLE_LANDMARKS else f"Is it the {title}?"
    if category.id == "board_games":
        return f"Is it {name.title()}?" if not name.startswith("the ") else f"Is it {name[4:].title()}?"
    if category.id in _BARE:
        return f"Is it {name}?"
    if category.id == "body_parts":
        return f"Is it the {name}?"
    if name.endswith("s") and not name.endswith(("ss", "us")):
        return f"Is it {name}?"
    article = "an" if name[0] in "aeiou" else "a"
    return f"Is it {article} {name}?"


class GameState:
    """What the conversation tells a player: the category, the candidates left, what was asked."""

    def __init__(self, view: View, *, positive_only: bool = False) -> None:
        category = parse_category(view.instruction)
        if category is None:
            raise ValueError("the instruction does not announce a Twenty Questions category")
        self.category = category
        m = _TURNS.search(view.instruction)
        self.max_turns = int(m.group(1)) if m else TwentyQuestionsEnv.max_turns
        self.turns_left = self.max_turns - len(view.replies)
        self.asked: set[str] = set()
        self.guessed: set[str] = set()
        agreement = {e.id: 0 for e in category.entities}
        answered = 0
        for answer, observation in zip(view.answers, view.observations):
            reply = parse_reply(observation)
            if answer is None or reply is None:
                continue
            reading = interpret(answer, category.id)
            if reading.kind == "guess":
                if reading.entity is not None and reading.entity.category == category.id:
                    self.guessed.add(reading.entity.id)
                continue
            if reading.kind != "question" or reply not in ("yes", "no"):
                continue
            if reading.attribute is not None and reading.other_attribute is None:
                self.asked.add(reading.attribute)
            if positive_only and reply == "no":
                continue  # a novice only narrows down on the answers that were yes
            answered += 1
            for ent in category.entities:
                if reading.value(ent) == (reply == "yes"):
                    agreement[ent.id] += 1
        pool = [e for e in category.entities if e.id not in self.guessed] or list(category.entities)
        best = max(agreement[e.id] for e in pool)
        self.candidates: list[Entity] = [e for e in pool if agreement[e.id] == best]
        self.consistent = best == answered

    def splits(self, attributes: list[str]) -> list[tuple[int, str]]:
        """(size of the smaller side, attribute) for each attribute over the candidates."""
        n = len(self.candidates)
        out = []
        for attr in attributes:
            yes = sum(e.values[attr] for e in self.candidates)
            out.append((min(yes, n - yes), attr))
        return out


def _names(entities: list[Entity], limit: int = 4) -> str:
    names = [e.name for e in entities[:limit]]
    if len(entities) > limit:
        return ", ".join(names) + " and others"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


class TwentyQuestionsPolicy(ScriptedPolicy):
    game = "twenty_questions"

    # ------------------------------------------------------------------ random
    def random(self, view: View) -> tuple[str, str]:
        state = GameState(view)
        cat = state.category
        if self.rng.random() < 0.5:
            ent = choice(self.rng, cat.entities)
            return f"I take a shot in the dark at {ent.name}.", guess_question(ent, cat)
        attr = choice(self.rng, cat.attributes)
        question = choice(self.rng, cat.questions[attr])
        return f"I ask whatever comes to mind: {question}", question

    # ------------------------------------------------------------------ heuristic
    def heuristic(self, view: View) -> tuple[str, str]:
        state = GameState(view, positive_only=True)
        cat, cands = state.category, state.candidates
        n = len(cands)
        if n <= 3 or state.turns_left <= 2:
            ent = choice(self.rng, cands)
            if n == 1:
                return f"Only {ent.name} fits what I was told, so I guess it.", guess_question(ent, cat)
            return f"It could be {_names(cands)}; I try {ent.name}.", guess_question(ent, cat)
        total = len(cat.entities)
        fair = [a for a in cat.attributes if a not in state.asked
                and 0.1 <= sum(e.values[a] for e in cat.entities) / total <= 0.9]
        pool = fair or [a for a in cat.attributes if a not in state.asked] or list(cat.attributes)
        attr = choice(self.rng, pool)
        question = cat.canonical_question(attr)
        return f"There are still many options ({n}); I ask a general question: {question}", question

    # ------------------------------------------------------------------ expert
    def expert(self, view: View) -> tuple[str, str]:
        state = GameState(view)
        cat, cands = state.category, state.candidates
        n = len(cands)
        if n == 1:
            ent = cands[0]
            return f"Only {ent.name} fits every answer, so I name it.", guess_question(ent, cat)
        if n == 2:
            ent = choice(self.rng, cands)
            other = cands[1] if ent is cands[0] else cands[0]
            return (f"Just {ent.name} and {other.name} remain; I guess {ent.name}, and if wrong it is the other.",
                    guess_question(ent, cat))
        if state.turns_left <= 1:
            ent = choice(self.rng, cands)
            return f"Last turn and {n} candidates left, so I name one of them: {ent.name}.", guess_question(ent, cat)
        splits = state.splits([a for a in cat.attributes if a not in state.asked])
        best = max((s for s, _ in splits), default=0)
        if best == 0:  # no question separates them: guess
            ent = choice(self.rng, cands)
            return f"No question tells {_names(cands)} apart; I guess {ent.name}.", guess_question(ent, cat)
        # near-best questions are equally good in practice; varying them varies the games
        top = [a for s, a in splits if s >= best - max(0, (n - 8) // 16)]
        attr = choice(self.rng, top)
        question = cat.canonical_question(attr)
        yes = sum(e.values[attr] for e in cands)
        if n <= 4:
            thought = f"It is {_names(cands)}; '{question}' separates them {yes} to {n - yes}."
        else:
            thought = choice(self.rng, (
                f"{n} candidates fit so far; '{question}' splits them {yes} to {n - yes}, the most even split.",
                f"Of the {n} candidates left, {yes} would answer yes to '{question}', so it halves them best.",
            ))
        return thought, question
