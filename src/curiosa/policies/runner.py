"""Play whole episodes with a policy that maps chat messages to a reply (one at a time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from curiosa.envs.base import TextGameEnv
from curiosa.envs.task import Task


class Agent(Protocol):
    def act(self, messages: Sequence[dict[str, str]]) -> str: ...


@dataclass
class EpisodeResult:
    task_id: str
    messages: list[dict[str, str]]
    success: bool
    num_turns: int
    invalid_actions: int
    format_errors: int
    infos: list[dict[str, Any]] = field(default_factory=list)


def run_episode(env: TextGameEnv, agent: Agent, *, seed: int | None = None, task: Task | None = None) -> EpisodeResult:
    """Play one game to its end; the messages are the agent's view (user = environment)."""
    options = {"task": task} if task is not None else None
    observation, info = env.reset(seed=seed, options=options)
    messages = [{"role": "user", "content": observation}]
    infos: list[dict[str, Any]] = []
    invalid = format_errors = 0
    while True:
        reply = agent.act(messages)
        observation, _, terminated, truncated, info = env.step(reply)
        messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": observation}]
        infos.append(info)
        invalid += int(info["invalid_action"])
        format_errors += int(info["format_error"])
        if terminated or truncated:
            break
    return EpisodeResult(info["task_id"], messages, bool(info["success"]), int(info["turn"]), invalid, format_errors, infos)


def evaluate_policy(
    game: str,
    make_agent: Callable[[int], Agent],
    tasks: Sequence[Task],
    *,
    seed: int = 0,
) -> dict[str, float]:
    """Success rate and turn statistics of an agent over ``tasks`` (one episode each).

    ``make_agent(i)`` builds the agent for episode ``i`` so that each episode is reproducible alone.
    """
    from curiosa.envs.registry import make

    env = make(game)
    results = [run_episode(env, make_agent(i), seed=seed + i, task=t) for i, t in enumerate(tasks)]
    wins = [r for r in results if r.success]
    return {
        "episodes": len(results),
        "success_rate": len(wins) / max(1, len(results)),
        "mean_turns": float(np.mean([r.num_turns for r in results])) if results else float("nan"),
        "mean_turns_success": float(np.mean([r.num_turns for r in wins])) if wins else float("nan"),
        "invalid_rate": sum(r.invalid_actions for r in results) / max(1, sum(r.num_turns for r in results)),
    }
