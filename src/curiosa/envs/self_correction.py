"""Two-attempt self-correction tasks (SCoRe, docs/self_correction.md) in the text-game contract.

Turn 1: the agent answers the problem. The environment then always replies with the same
revision request (:data:`REVISION_PROMPT`), whatever attempt 1 was worth, because a hint about
correctness would turn self-correction into correction from feedback, which is not what SCoRe
trains. Turn 2: the agent answers again and the episode ends.

Rewards are binary per attempt. ``step`` returns the reward of the attempt it just judged (so the
rewards of an episode are ``r1, r2`` and their sum is Stage II's ``r(y1) + r(y2)``), while
``info["success"]`` is only ever True on the final step, when attempt 2 is right: a trajectory's
success is the final answer's correctness. Every step's ``info["feedback"]`` holds ``attempt``,
``correct``, ``attempt_rewards`` and ``attempt_answers`` (the lists so far; an answer is the parsed
move as text, None for an unreadable reply); the final step adds ``first_correct``,
``final_correct`` and ``transition`` (``"c->c"``, ``"i->c"``, ``"c->i"`` or ``"i->i"``).

An unreadable reply (no ``Answer:`` line, no number, no code) raises :class:`FormatError` from
``parse_reply`` so the rollout engine can resample it; if it reaches ``step`` anyway it counts as a
wrong attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable, Sequence

import curiosa.envs.text as _text
from curiosa.envs.base import Outcome, TextGameEnv

REVISION_PROMPT = (
    "Look over your solution once more: it may contain a mistake, for instance in how you read the "
    "question or in a step of the work. If you find one, fix it. Either way, write out your complete "
    "solution again and end with your final answer."
)
"""Shown after attempt 1, identical whether attempt 1 was right or wrong."""

TRANSITIONS = ("c->c", "i->c", "c->i", "i->i")


class JudgeUnavailable(RuntimeError):
    """The answer cannot be judged on this machine (e.g. no sandbox for code).

    Raised, never turned into a zero reward: a silent zero would train the model on a broken judge.
    """


@dataclass
class Verdict:
    """How one readable attempt was judged."""

    correct: bool
    feedback: dict[str, Any] = field(default_factory=dict)
    """JSON-serialisable details for programs (the answer as read, tests passed...), never shown to the agent."""


def transition(first: bool, final: bool) -> str:
    """``"i->c"`` for a wrong first attempt fixed by the second, and so on."""
    return ("c" if first else "i") + "->" + ("c" if final else "i")


class SelfCorrectionEnv(TextGameEnv):
    """Base class of the two-attempt tasks: subclasses say what the problem is and how to judge an answer.

    Subclasses implement ``build_tasks``, ``_problem_prompt`` (the turn-1 instruction), ``_parse``
    and ``_judge``; ``_expected`` names the reference answer shown once the episode is lost.
    """

    max_turns: ClassVar[int] = 2
    revision_prompt: ClassVar[str] = REVISION_PROMPT
    unreadable_ends_episode: ClassVar[bool] = False  # an unreadable attempt 1 is wrong; attempt 2 still happens

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attempt_rewards: list[float] = []
        self.attempt_answers: list[str | None] = []

    # ----------------------------------------------------------------- subclass hooks
    def _problem_prompt(self) -> str:
        raise NotImplementedError

    def _judge(self, move: Any) -> Verdict:
        raise NotImplementedError

    def _expected(self) -> str:
        return ""

    def _answer_key(self, move: Any) -> str:
        """The attempt's answer as compared between attempts (changed-answer rate)."""
        return str(move).strip()

    # ----------------------------------------------------------------- game
    def _start(self) -> str:
        self.attempt_rewards = []
        self.attempt_answers = []
        return self._problem_prompt()

    def _record(self, correct: bool, feedback: dict[str, Any], answer: str | None = None) -> dict[str, Any]:
        self.attempt_rewards.append(1.0 if correct else 0.0)
        self.attempt_answers.append(answer)
        feedback.update({"attempt": len(self.attempt_rewards), "correct": bool(correct),
                         "attempt_rewards": list(self.attempt_rewards), "attempt_answers": list(self.attempt_answers)})
        if len(self.attempt_rewards) >= self.max_turns:
            first, final = self.attempt_rewards[0] > 0, self.attempt_rewards[-1] > 0
            feedback.update({"first_correct": first, "final_correct": final, "transition": transition(first, final)})
        return feedback

    def _play(self, move: Any) -> Outcome:
        try:
            verdict = self._judge(move)
        except JudgeUnavailable:
            self.turn -= 1  # nothing was judged: the attempt can be replayed once the judge is back
            raise
        except Exception as err:  # noqa: BLE001 - no agent output may crash the env; a judge failure is a wrong answer
            verdict = Verdict(False, {"judge_error": f"{type(err).__name__}: {err}"[:300]})
        feedback = self._record(verdict.correct, dict(verdict.feedback), self._answer_key(move))
        if self.turn < self.max_turns:
            return Outcome(self.revision_prompt, feedback=feedback)
        verdict_text = "Your final answer is correct." if verdict.correct else "Your final answer is not correct."
        return Outcome(verdict_text, feedback=feedback, done=True, success=verdict.correct)

    def _reveal(self) -> str:
        expected = self._expected()
        return f"The expected answer was {expected}." if expected else ""

    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        """The base step, plus per-attempt bookkeeping: the reward is the judged attempt's own."""
        was_over = self.done
        attempts_before = len(self.attempt_rewards)
        observation, reward, terminated, truncated, info = super().step(action)
        if was_over:
            return observation, 0.0, terminated, truncated, info
        if info["format_error"]:
            feedback = info["feedback"]
            self._record(False, feedback)
            if not (terminated or truncated):
                observation = _text.sanitize(f"{observation}\n{self.revision_prompt}", _text.MAX_OBSERVATION_CHARS)
                self._last_observation = observation
                self._transcript[-1] = observation
        if len(self.attempt_rewards) > attempts_before:
            reward = self.attempt_rewards[-1]
        return observation, reward, terminated, truncated, info


# --------------------------------------------------------------------------------------------- metrics
def self_correction_metrics(attempt_rewards: Iterable[Sequence[float]]) -> dict[str, float]:
    """SCoRe's metrics over episodes given as ``[r1, r2]``: Accuracy@t1, @t2 and the Delta terms.

    ``delta_i_to_c`` is the fraction of all problems wrong at attempt 1 and right at attempt 2,
    ``delta_c_to_i`` the reverse; ``delta = accuracy_t2 - accuracy_t1 = delta_i_to_c - delta_c_to_i``.
    """
    pairs = []
    for i, rewards in enumerate(attempt_rewards):
        if len(rewards) != 2:
            raise ValueError(f"episode {i} has {len(rewards)} attempt rewards, expected 2 (r1, r2)")
        pairs.append((float(rewards[0]) > 0, float(rewards[1]) > 0))
    n = len(pairs)
    if n == 0:
        raise ValueError("no episodes to measure")
    t1 = sum(a for a, _ in pairs) / n
    t2 = sum(b for _, b in pairs) / n
    i_to_c = sum((not a) and b for a, b in pairs) / n
    c_to_i = sum(a and not b for a, b in pairs) / n
    return {"episodes": n, "accuracy_t1": t1, "accuracy_t2": t2, "delta": t2 - t1,
            "delta_i_to_c": i_to_c, "delta_c_to_i": c_to_i}
