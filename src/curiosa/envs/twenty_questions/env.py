"""The Twenty Questions environment: tasks, the instruction, the offline host and the LLM-mode hooks."""

from __future__ import annotations

from typing import Any, ClassVar

from curiosa.envs.base import Outcome
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.task import Task, make_tasks, stable_rng
from curiosa.envs.text import REPLY_FORMAT
from curiosa.envs.twenty_questions.answers import answer
from curiosa.envs.twenty_questions.catalogue import Category, catalogue
from curiosa.envs.twenty_questions.questions import interpret
from curiosa.envs.twenty_questions.replies import extract_llm_reply

TEST_FRACTION = 0.2
"""Share of each category's entities held out for the test split (the split is by entity)."""


class TwentyQuestionsEnv(DialogueEnv):
    """Ask yes/no questions, then name the secret entity of the announced category."""

    group: ClassVar[str] = "twenty_questions"
    max_turns: ClassVar[int] = 20
    simulator_role: ClassVar[str] = "the Twenty Questions host"

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        cat = catalogue()
        params: list[dict[str, Any]] = []
        for cat_id in sorted(cat.categories):
            ents = sorted(cat.categories[cat_id].entities, key=lambda e: e.id)
            order = stable_rng(cls.group, "split", cat_id).permutation(len(ents))
            n_test = max(1, round(TEST_FRACTION * len(ents)))
            test_idx = set(int(i) for i in order[:n_test])
            for i, ent in enumerate(ents):
                if (i in test_idx) == (split == "test"):
                    params.append({"category": cat_id, "entity": ent.id})
        order = stable_rng(cls.group, "order", split).permutation(len(params))
        return make_tasks(cls.group, split, [params[i] for i in order])

    # ----------------------------------------------------------------- game
    def _start(self) -> str:
        assert self.task is not None
        self.category = catalogue().categories[str(self.task.params["category"])]
        self.secret = self.category.entity(str(self.task.params["entity"]))
        example = self.category.canonical_question(self.category.attributes[_example_index(self.category)])
        return (
            "Let's play Twenty Questions. I am thinking of a secret entity from a known category.\n"
            f"Category: {self.category.name}\n"
            f"Find it in at most {self.max_turns} turns. Each turn, either ask one yes/no question about it "
            f"(e.g. 'Answer: {example}') or guess it by name (e.g. 'Answer: Is it a lighthouse?'). "
            "I reply Yes or No; a wrong guess is answered No. You win as soon as you name it. "
            "Questions I cannot answer with yes or no still use a turn.\n" + REPLY_FORMAT
        )

    def _offline_play(self, move: str) -> Outcome:
        return answer(move, self.category.id, self.secret, self.max_turns - self.turn)

    def _reveal(self) -> str:
        return f"The secret {self.category.noun} was: {self.secret.name}."

    # ----------------------------------------------------------------- LLM mode
    def llm_simulator_prompt(self) -> str:
        true_facts = [self.category.canonical_question(a).rstrip("?") for a in self.category.attributes
                      if self.secret.values[a]]
        aliases = ", ".join(self.secret.aliases) or "none"
        return (
            "You are the host of a game of Twenty Questions. The player is trying to find a secret entity "
            f"from the category '{self.category.name}'.\n"
            f"The secret {self.category.noun} is: {self.secret.name} (other names: {aliases}).\n"
            "For reference, the answer is Yes to each of these questions about it: "
            + "; ".join(true_facts) + ". Use common knowledge for anything else.\n"
            "Rules:\n"
            "- Reply with exactly one of: Yes, No, Goal reached. Write nothing else.\n"
            f"- Reply 'Goal reached' only when the player's message guesses the secret {self.category.noun} "
            "itself, by its name or one of its other names.\n"
            "- Reply 'No' to a guess of anything else, and answer every yes/no question truthfully.\n"
            "- Never reveal, spell or hint at the name of the secret."
        )

    def llm_extract_reply(self, text: str) -> str | None:
        return extract_llm_reply(text)

    def llm_judge(self, move: str) -> JudgeSpec:
        names = " or ".join(f"'{n}'" for n in self.secret.names)
        return JudgeSpec(
            question=(f"Does the message guess that the secret {self.category.noun} is {self.secret.name} "
                      f"(accepted names: {names})?"),
            labels={"yes": (True, True), "no": (False, False)},
        )

    def llm_feedback(self, move: str, label: str) -> dict[str, Any]:
        reading = interpret(move, self.category.id)
        if label == "yes":
            return {"kind": "guess", "answer": "goal", "attribute": None}
        kind = "question" if reading.kind == "unsure" else reading.kind
        return {"kind": kind, "answer": None, "attribute": reading.attribute}


def _example_index(cat: Category) -> int:
    """A fixed, broadly useful example question per category (depends on the category only)."""
    counts = [sum(e.values[a] for e in cat.entities) for a in cat.attributes]
    n = len(cat.entities)
    return min(range(len(counts)), key=lambda i: (abs(2 * counts[i] - n), i))
