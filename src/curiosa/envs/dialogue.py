"""Games whose other side talks: an offline simulator by default, or an LLM through an endpoint.

The offline simulator needs no model and no network. The LLM mode (``simulator="llm"``) lets any
OpenAI-compatible chat endpoint play the environment and judge the agent, for fidelity with the
paper, where GPT-4o-mini played these roles. A game supplies the offline logic and the text of the
LLM's instructions; the LLM plumbing is shared: one call judges the agent's move (did it win, does it
end the game), another plays the environment's reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

from curiosa.endpoint import ChatClient, Endpoint
from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.task import Task

SIMULATORS = ("offline", "llm")
MAX_MOVE_CHARS = 600
JUDGE_SYSTEM = (
    "You are a strict referee of a text game. You read one message written by a player and answer a "
    "question about that message alone. Reply with exactly one word from the allowed list, nothing else."
)
WIN_MESSAGE = "Correct! You have reached the goal. The game is over."
LOSS_MESSAGE = "That is not right. The game is over."


@dataclass(frozen=True)
class JudgeSpec:
    """A closed question the LLM judge answers about the agent's latest message."""

    question: str
    """Asked about the agent's message only, e.g. 'Does the message guess that the entity is a giraffe?'"""
    labels: Mapping[str, tuple[bool, bool]]
    """Allowed one-word verdicts -> (game over, success), e.g. {'yes': (True, True), 'no': (False, False)}."""


class DialogueEnv(TextGameEnv):
    """Base class of twenty_questions, guess_my_city, customer_service and murder_mystery.

    A move is free text (a question, a guess, a suggestion, an accusation). Subclasses implement
    ``build_tasks``, ``_start``, ``_offline_play`` and the three ``llm_*`` hooks.
    """

    simulator_role: ClassVar[str] = "the game host"
    """How the environment's side is described to an LLM simulator."""

    def __init__(
        self,
        task: Task | None = None,
        *,
        split: str = "train",
        render_mode: str | None = None,
        simulator: str = "offline",
        endpoint: Any = None,
    ) -> None:
        super().__init__(task, split=split, render_mode=render_mode)
        if simulator not in SIMULATORS:
            raise ValueError(f"simulator must be one of {', '.join(SIMULATORS)}, got {simulator!r}")
        if simulator == "llm" and endpoint is None:
            raise ValueError("simulator='llm' needs an endpoint (base URL, model name, API-key variable)")
        self.simulator = simulator
        self.endpoint = Endpoint.coerce(endpoint) if endpoint is not None else None
        self._llm: ChatClient | None = None
        self.history: list[tuple[str, str]] = []
        """(agent move, environment reply) pairs of the current episode."""

    # ----------------------------------------------------------------- hooks
    def _offline_play(self, move: str) -> Outcome:
        """The offline simulator's answer to one move."""
        raise NotImplementedError

    def llm_simulator_prompt(self) -> str:
        """System prompt for an LLM playing the environment: its role, the hidden facts, how to answer."""
        raise NotImplementedError

    def llm_extract_reply(self, text: str) -> str | None:
        """The usable part of the simulator LLM's output, or None to ask it again (strict extraction)."""
        text = text.strip()
        return text or None

    def llm_judge(self, move: str) -> JudgeSpec:
        """What the judge decides about this move (did it win, does it end the game)."""
        raise NotImplementedError

    def llm_feedback(self, move: str, label: str) -> dict[str, Any]:
        """Game-specific feedback fields for a move played in LLM mode, from the judge's label."""
        return {}

    # ----------------------------------------------------------------- mechanics
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        self.history = []
        return super().reset(seed=seed, options=options)

    def _parse(self, answer: str) -> str:
        move = " ".join(answer.split())
        if not any(c.isalnum() for c in move):
            raise FormatError("the answer is empty; write your question or guess after 'Answer:'.")
        return move[:MAX_MOVE_CHARS]

    def _play(self, move: str) -> Outcome:
        outcome = self._offline_play(move) if self.simulator == "offline" else self._llm_play(move)
        self.history.append((move, outcome.observation))
        return outcome

    # ----------------------------------------------------------------- LLM mode
    def _client(self) -> ChatClient:
        if self._llm is None:
            self._llm = ChatClient(self.endpoint)
        return self._llm

    def _judge_with_llm(self, move: str) -> tuple[bool, bool, str]:
        """(game over, success, label) for the agent's latest message, decided by the LLM judge."""
        spec = self.llm_judge(move)
        labels = {label.lower(): outcome for label, outcome in spec.labels.items()}

        def extract(text: str) -> str | None:
            words = re.findall(r"[a-z_]+", text.lower())
            return words[0] if len(words) == 1 and words[0] in labels else None

        prompt = f"Question: {spec.question}\nAllowed answers: {', '.join(labels)}\n\nPlayer's message:\n{move}"
        label = self._client().complete(
            [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": prompt}],
            extract=extract, what=f"{self.group} judge",
        )
        done, success = labels[label]
        return done, success, label

    def _llm_play(self, move: str) -> Outcome:
        """One move with the environment's side played by the LLM."""
        done, success, label = self._judge_with_llm(move)
        extra = self.llm_feedback(move, label)
        if done:
            text = WIN_MESSAGE if success else LOSS_MESSAGE
            return Outcome(text, feedback={**extra, "reply": text, "judge": label}, done=True, success=success)
        messages = [{"role": "system", "content": self.llm_simulator_prompt()}]
        for past_move, past_reply in self.history:
            messages += [{"role": "user", "content": past_move}, {"role": "assistant", "content": past_reply}]
        messages.append({"role": "user", "content": move})
        reply = self._client().complete(messages, extract=self.llm_extract_reply, what=f"{self.group} simulator")
        return Outcome(reply, feedback={**extra, "reply": reply, "judge": label})
