"""The base class every curiosa game derives from: a Gymnasium env with text in and text out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Sequence

import gymnasium

import curiosa.envs.text as _text
from curiosa.envs.task import Task, check_split


class FormatError(ValueError):
    """The agent's reply could not be read as a move of this game.

    The rollout engine resamples such replies; when one reaches ``step`` anyway it is answered with
    an explanation and costs a turn (``info["format_error"]`` is True).
    """


@dataclass
class Outcome:
    """What one legal-or-illegal but readable move did to the game."""

    observation: str
    """Text shown to the agent next."""
    feedback: dict[str, Any] = field(default_factory=dict)
    """Structured version of the observation for programs (scripts, metrics, tests)."""
    invalid: bool = False
    """The move was readable but against the rules (it still uses a turn)."""
    done: bool = False
    """The game ended by its own rules (win or loss), not by the turn limit."""
    success: bool = False
    """The agent reached the goal."""


_TASKS: dict[tuple[type, str], tuple[Task, ...]] = {}
"""Every game's tasks per split, built once (see ``TextGameEnv.tasks``)."""


class TextGameEnv(gymnasium.Env):
    """A text game in the Gymnasium API.

    ``reset`` returns the task instruction; ``step`` takes the agent's whole reply (reasoning and
    all), reads the move from its ``Answer:`` line, and returns the environment's reply. ``info``
    always carries ``success``, ``invalid_action``, ``format_error``, ``turn``, ``max_turns``,
    ``task_id`` and ``feedback``.

    Subclasses set ``group`` and ``max_turns`` and implement ``build_tasks``, ``_start``,
    ``_parse`` and ``_play``; ``_reveal`` optionally names the hidden answer once the game is lost.
    """

    metadata: ClassVar[dict[str, Any]] = {"render_modes": ["ansi", "human"], "render_fps": 1}
    group: ClassVar[str] = ""
    max_turns: ClassVar[int] = 0
    unreadable_ends_episode: ClassVar[bool] = True
    """For the rollout engine: a reply still unreadable after every resample ends the episode
    (``format_failure``). False: the environment judges it (a wasted turn, a wrong attempt) and play goes on."""

    def __init__(self, task: Task | None = None, *, split: str = "train", render_mode: str | None = None) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}, got {render_mode!r}")
        if task is not None and task.group != self.group:
            raise ValueError(f"task {task.id!r} belongs to {task.group!r}, not to {self.group!r}")
        self.fixed_task = task
        self.split = check_split(split if task is None else task.split)
        self.render_mode = render_mode
        self.observation_space = _text.observation_space()
        self.action_space = _text.action_space()
        self.task: Task | None = task
        self.turn = 0
        self.done = True
        self._last_observation = ""
        self._transcript: list[str] = []

    # ----------------------------------------------------------------- subclass hooks
    @classmethod
    def build_tasks(cls, split: str) -> Sequence[Task]:
        """Every task of a split, in a deterministic order."""
        raise NotImplementedError

    @classmethod
    def tasks(cls, split: str) -> tuple[Task, ...]:
        """``build_tasks(split)``, built once per game and split and shared: copy a task before editing it."""
        key = (cls, check_split(split))
        if key not in _TASKS:
            tasks = tuple(cls.build_tasks(split))
            ids = [t.id for t in tasks]
            if len(set(ids)) != len(ids):
                raise RuntimeError(f"{cls.group}/{split}: duplicate task ids")
            _TASKS[key] = tasks
        return _TASKS[key]

    def _start(self) -> str:
        """Set up a new game of ``self.task`` and return the instruction shown to the agent."""
        raise NotImplementedError

    def _parse(self, answer: str) -> Any:
        """Turn the text of the ``Answer:`` line into a move; raise FormatError if it is not one."""
        raise NotImplementedError

    def _play(self, move: Any) -> Outcome:
        """Apply a readable move."""
        raise NotImplementedError

    def _reveal(self) -> str:
        """A sentence naming the hidden answer, shown when the game is lost."""
        return ""

    def _status(self) -> dict[str, Any]:
        """Game state worth keeping in the feedback of an unreadable reply (e.g. reward collected)."""
        return {}

    # ----------------------------------------------------------------- public API
    def parse_reply(self, reply: str) -> Any:
        """The move in ``reply``; raises FormatError naming what is wrong.

        Lets a rollout engine resample unreadable replies before they cost a turn.
        """
        answer = _text.extract_answer(reply)
        if answer is None:
            raise FormatError("no 'Answer:' line found. " + _text.REPLY_FORMAT)
        return self._parse(answer)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        options = options or {}
        if "task" in options:
            task = options["task"]
            if not isinstance(task, Task) or task.group != self.group:
                raise ValueError(f"options['task'] must be a {self.group} Task, got {task!r:.100}")
            self.task = task
        elif self.fixed_task is not None:
            self.task = self.fixed_task
        else:
            tasks = self.tasks(self.split)
            self.task = tasks[int(self.np_random.integers(len(tasks)))].copy()
        self.turn = 0
        self.done = False
        observation = _text.sanitize(self._start(), _text.MAX_OBSERVATION_CHARS)
        self._last_observation = observation
        self._transcript = [observation]
        return observation, self._info(Outcome(observation), format_error=False)

    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self.task is None:
            raise RuntimeError("call reset() before step()")
        if not isinstance(action, str):
            raise TypeError(f"action must be the agent's reply as str, got {type(action).__name__}")
        if self.done:
            outcome = Outcome("The game is over. Call reset() to play again.", invalid=True, done=True)
            return outcome.observation, 0.0, True, False, self._info(outcome, format_error=False)
        self.turn += 1
        format_error = False
        try:
            move = self.parse_reply(action)
        except FormatError as err:
            format_error = True
            outcome = Outcome(f"Your reply could not be read: {err}", feedback={"error": str(err), **self._status()},
                              invalid=True)
        else:
            outcome = self._play(move)
        terminated = outcome.done
        truncated = not terminated and self.turn >= self.max_turns
        observation = outcome.observation
        if terminated and not outcome.success or truncated:
            if truncated:
                observation += f"\nYou have used all {self.max_turns} turns. The game is over."
            reveal = self._reveal()
            if reveal:
                observation += "\n" + reveal
        self.done = terminated or truncated
        observation = _text.sanitize(observation, _text.MAX_OBSERVATION_CHARS) or "."
        self._last_observation = observation
        self._transcript += [action, observation]
        reward = 1.0 if outcome.success else 0.0
        return observation, reward, terminated, truncated, self._info(outcome, format_error=format_error)

    def render(self) -> str | None:
        if self.render_mode is None:
            return None
        text = self._last_observation
        if self.render_mode == "human":
            print(text)
            return None
        return text

    # ----------------------------------------------------------------- internals
    def _info(self, outcome: Outcome, *, format_error: bool) -> dict[str, Any]:
        assert self.task is not None
        return {
            "success": bool(outcome.success),
            "invalid_action": bool(outcome.invalid),
            "format_error": format_error,
            "turn": self.turn,
            "max_turns": self.max_turns,
            "task_id": self.task.id,
            "feedback": outcome.feedback,
        }
