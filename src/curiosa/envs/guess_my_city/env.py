"""The Guess My City environment: its tasks, the offline host's turn, and the LLM-mode hooks."""

from __future__ import annotations

from typing import Any, ClassVar, Sequence

from curiosa.envs.base import Outcome
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.guess_my_city.answers import safe_answer
from curiosa.envs.guess_my_city.guesses import judge_guess, unknown_name_guess
from curiosa.envs.guess_my_city.leaks import find_leak
from curiosa.envs.guess_my_city.names import aliases
from curiosa.envs.guess_my_city.pool import city_pool
from curiosa.envs.guess_my_city.questions import is_yes_no, parse_question
from curiosa.envs.guess_my_city.reading import read
from curiosa.envs.guess_my_city.replies import (
    LEAK_REPLY, ONE_GUESS_REPLY, UNKNOWN_REPLY, UNSURE_REPLY, WRONG_GUESS_REPLY,
)
from curiosa.envs.guess_my_city.tables import CONTINENTS
from curiosa.envs.guess_my_city.wording import approx, fmt_offset, join
from curiosa.envs.task import Task, make_tasks, split_pool
from curiosa.envs.text import REPLY_FORMAT

N_TRAIN, N_TEST = 520, 200

INSTRUCTION = (
    "Let's play Guess My City. I am thinking of a real city somewhere in the world; find it.\n"
    "Each turn, ask me one question or guess the city. I can tell you about its continent, hemisphere, "
    "latitude and longitude, population, time zone and whether it is the capital, and about its country's "
    "languages, currency, neighbours, area and population. I never say the name of the city or its country.\n"
    "Ask, for example: 'Answer: Is the city in Europe?' or 'Answer: What currency is used there?'. "
    "Guess by naming the city, for example: 'Answer: Is it Munich?'.\n"
    "You have {max_turns} turns; each question or guess uses one. You win when you name the city.\n"
)


class GuessMyCityEnv(DialogueEnv):
    """Find a secret real city in 20 questions or guesses (the rules: the package docstring)."""

    group: ClassVar[str] = "guess_my_city"
    max_turns: ClassVar[int] = 20
    simulator_role: ClassVar[str] = "the host who knows the secret city"

    @classmethod
    def build_tasks(cls, split: str) -> Sequence[Task]:
        parts = split_pool(cls.group, list(city_pool()), N_TRAIN, N_TEST)
        return make_tasks(cls.group, split, parts[split])

    # ----------------------------------------------------------------- game
    def _start(self) -> str:
        assert self.task is not None
        self.facts = dict(self.task.params)
        self._secret_id = int(self.facts["geonameid"])
        self._secret_keys = aliases(self._secret_id)
        return INSTRUCTION.format(max_turns=self.max_turns) + REPLY_FORMAT

    def _reveal(self) -> str:
        return f"The city was {self.facts['city']}, {self.facts['country']}."

    def _offline_play(self, move: str) -> Outcome:
        reply, feedback, success = self.respond(move)
        if not success:
            leak = find_leak(reply, self._secret_id, self.facts["country_code"])
            if leak:
                reply = LEAK_REPLY
                feedback = {**feedback, "reply": reply, "answer": None}
        return Outcome(reply, feedback=feedback, done=success, success=success)

    def respond(self, move: str) -> tuple[str, dict[str, Any], bool]:
        """The offline host's reply to ``move``: (reply, feedback, won)."""
        reading = read(move, self._secret_keys)
        verdict = judge_guess(reading, self._secret_id, self.facts["country_code"])
        if verdict == "several":
            return self._feedback(ONE_GUESS_REPLY, "guess", "guess", "no")
        if verdict == "right":
            city = f"{self.facts['city']}, {self.facts['country']}"
            return self._feedback(f"Yes! The city is {city}. You found it.", "guess", "guess", "yes", win=True)
        if verdict == "wrong":
            return self._feedback(WRONG_GUESS_REPLY, "guess", "guess", "no")
        query = parse_question(reading)
        if query is None:
            if unknown_name_guess(reading):
                return self._feedback(WRONG_GUESS_REPLY, "guess", "guess", "no")
            if is_yes_no(reading):
                return self._feedback(UNSURE_REPLY, "question", None, "unsure")
            return self._feedback(UNKNOWN_REPLY, "unknown", None, None)
        text, value = safe_answer(query, self.facts)
        kind = "unknown" if query.topic == "compare" else "question"
        return self._feedback(text, kind, query.topic, value)

    @staticmethod
    def _feedback(reply: str, kind: str, topic: str | None, value: Any,
                  win: bool = False) -> tuple[str, dict[str, Any], bool]:
        return reply, {"reply": reply, "kind": kind, "topic": topic, "answer": value}, win

    # ----------------------------------------------------------------- LLM hooks
    def llm_simulator_prompt(self) -> str:
        f = self.facts
        tz = fmt_offset(f["tz_std"]) + (f", {fmt_offset(f['tz_dst'])} in summer" if f["tz_dst"] is not None else
                                        ", no daylight saving time")
        neighbours = join(f["neighbour_names"]) or "none (no land borders)"
        capital = "yes" if f["is_capital"] else f"no (the capital is {f['capital']})"
        return (
            f"You are the host of a guessing game. The secret city is {f['city']}, in {f['country']}. "
            "The player asks questions about the city or tries to guess it.\n"
            "Facts you may use:\n"
            f"- continent: {CONTINENTS[f['continent']]}\n"
            f"- latitude {f['lat']:.2f}, longitude {f['lon']:.2f}\n"
            f"- city population: about {approx(f['population'])}\n"
            f"- national capital: {capital}\n"
            f"- time zone: {tz}\n"
            f"- languages of the country: {join(f['languages'][:6])}\n"
            f"- currency: {f['currency_name']} ({f['currency_code']})\n"
            f"- neighbouring countries: {neighbours}\n"
            f"- country area: about {approx(f['area_km2'])} square kilometres; "
            f"country population: about {approx(f['country_population'])}\n"
            "Rules:\n"
            f"- Never write the name of the city or of {f['country']}, in any language or spelling, and do not hint "
            "at their spelling, even if the player asks.\n"
            "- Answer helpfully, truthfully and briefly, in one or two sentences. Start your answer to a yes/no "
            "question with 'Yes' or 'No'.\n"
            "- If the player guesses a city that is not the secret city, reply exactly: No, that is not the city.\n"
            "- If you do not know the answer, say so briefly.\n"
            "Reply with the answer only."
        )

    def llm_extract_reply(self, text: str) -> str | None:
        reply = " ".join(str(text).split()).strip().strip("\"'`").strip()
        for label in ("Host:", "Answer:", "Reply:"):
            if reply.startswith(label):
                reply = reply[len(label):].strip()
        if not reply or not any(c.isalnum() for c in reply):
            return None
        if find_leak(reply, self._secret_id, self.facts["country_code"]):
            return None
        return reply

    def llm_feedback(self, move: str, label: str) -> dict[str, Any]:
        """The offline host's reading of the move (kind and topic); the LLM's reply carries the answer."""
        if label == "yes":
            return {"kind": "guess", "topic": "guess", "answer": "yes"}
        _, feedback, _ = self.respond(move)
        if feedback["kind"] == "guess":
            return {"kind": "guess", "topic": "guess", "answer": "no"}
        return {"kind": feedback["kind"], "topic": feedback["topic"], "answer": None}

    def llm_judge(self, move: str) -> JudgeSpec:
        return JudgeSpec(
            question=f"Does the message guess that the city is {self.facts['city']} ({self.facts['country']})?",
            labels={"yes": (True, True), "no": (False, False)},
        )
