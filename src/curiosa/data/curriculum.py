"""PAPRIKA's curriculum as selection logic alone: which cluster of tasks to play next, and why.

Uniform sampling spends most rollouts on tasks the model always solves or never solves, which give
no preference pair worth learning from. The curriculum spends them where a task's outcomes vary
most: its *learning potential* nu, the coefficient of variation of its rollout scores (turns used,
a failure counting as the game's turn limit). Tasks are grouped into clusters (by default their
game); the clusters are the arms of a UCB1 bandit whose reward is nu. docs/curriculum.md has the
whole algorithm; ``curiosa.pipelines.curriculum`` plays the picks, trains and resumes.

Nothing here reads files or touches a model: the bandit's whole state goes through ``to_dict`` /
``from_dict`` so the run can save it and resume with exactly the picks it would have made.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np

if TYPE_CHECKING:
    from curiosa.envs.task import Task


# --------------------------------------------------------------------------- learning potential
def learning_potential(scores: Sequence[float]) -> float:
    """Coefficient of variation of one task's rollout scores, with the small-sample correction.

    nu = (1 + 1/(4n)) * s / mean, s the sample standard deviation (ddof=1). A task whose rollouts all
    end alike (all solved in the same number of turns, or all failed) has nu = 0: there is nothing
    to contrast. Fewer than two scores or a zero mean give 0.0 rather than an undefined value.
    """
    values = np.asarray(list(scores), dtype=float)
    if values.ndim != 1:
        raise ValueError("scores must be a flat sequence of numbers")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"scores must be finite numbers, got {values.tolist()}")
    if np.any(values < 0):
        raise ValueError(f"scores must be non-negative (turns used), got {values.tolist()}")
    n = len(values)
    if n < 2:
        return 0.0
    mean = float(values.mean())
    if mean == 0.0:
        return 0.0
    return float((1.0 + 1.0 / (4 * n)) * values.std(ddof=1) / mean)


def turn_score(success: bool, num_turns: int, max_turns: int) -> float:
    """One rollout's score for ``learning_potential``: the turns it used, a failure = the turn limit.

    Counting a failure as the turn limit keeps the mean positive and puts every failure at the far
    end from a quick success, as the paper's code does.
    """
    return float(num_turns if success else max_turns)


# --------------------------------------------------------------------------- bandit
class UCB1Bandit:
    """UCB1 over task clusters: theta_k = mean_nu_k + c * sqrt(2 ln N / n_k); unplayed arms first.

    Ties (several unplayed arms, equal theta) are broken by the bandit's own seeded generator, whose
    state is part of ``to_dict()``, so a run resumed from saved state picks what it would have.
    """

    def __init__(self, arms: Sequence[str], c: float = 1.0, seed: int = 0) -> None:
        arms = list(arms)
        if not arms:
            raise ValueError("a bandit needs at least one arm")
        if len(set(arms)) != len(arms):
            raise ValueError(f"arm names must be unique, got {arms}")
        if c < 0:
            raise ValueError(f"the exploration coefficient c must be >= 0, got {c}")
        self.arms = arms
        self.c = float(c)
        self.pulls: dict[str, int] = {a: 0 for a in arms}
        self.totals: dict[str, float] = {a: 0.0 for a in arms}
        self.rng = np.random.default_rng(seed)

    @property
    def total_pulls(self) -> int:
        return sum(self.pulls.values())

    def mean(self, arm: str) -> float:
        """Mean nu of the arm so far (0.0 before its first pull)."""
        self._check(arm)
        return self.totals[arm] / self.pulls[arm] if self.pulls[arm] else 0.0

    def scores(self, pending: Mapping[str, int] | None = None) -> dict[str, float]:
        """theta of every arm (inf for an arm not played yet).

        ``pending`` counts picks whose nu is not known yet (a batch being rolled out): they count as
        pulls for the exploration bonus but not for the mean, so a batch spreads over arms as their
        bonus shrinks instead of repeating the current leader.
        """
        pending = dict(pending or {})
        for arm in pending:
            self._check(arm)
        total = self.total_pulls + sum(pending.values())
        out = {}
        for arm in self.arms:
            n = self.pulls[arm] + pending.get(arm, 0)
            out[arm] = math.inf if n == 0 else self.mean(arm) + self.c * math.sqrt(2.0 * math.log(total) / n)
        return out

    def select(self, available: Iterable[str] | None = None, pending: Mapping[str, int] | None = None) -> str:
        """The arm to pull next among ``available`` (default: all), highest theta, ties at random."""
        candidates = self.arms if available is None else [a for a in self.arms if a in set(available)]
        if not candidates:
            raise ValueError("no arm is available to select")
        theta = self.scores(pending)
        best = max(theta[a] for a in candidates)
        tied = [a for a in candidates if theta[a] == best or abs(theta[a] - best) <= 1e-12]
        return tied[int(self.rng.integers(len(tied)))] if len(tied) > 1 else tied[0]

    def update(self, arm: str, reward: float) -> None:
        """Record one pull of ``arm`` that earned ``reward`` (a task's nu)."""
        self._check(arm)
        if not math.isfinite(reward):
            raise ValueError(f"reward of arm {arm!r} must be finite, got {reward}")
        self.pulls[arm] += 1
        self.totals[arm] += float(reward)

    def stats(self) -> dict[str, dict[str, float | int]]:
        """Pulls and mean nu per arm, for reports."""
        return {a: {"pulls": self.pulls[a], "mean_nu": self.mean(a)} for a in self.arms}

    def to_dict(self) -> dict[str, Any]:
        """The whole state (JSON-serialisable), the tie-breaking generator's included."""
        return {"arms": list(self.arms), "c": self.c, "pulls": dict(self.pulls), "totals": dict(self.totals),
                "rng": self.rng.bit_generator.state}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "UCB1Bandit":
        """The bandit ``to_dict`` saved; ValueError when ``data`` is not such a state."""
        try:
            bandit = cls(data["arms"], c=data["c"])
            for arm in bandit.arms:
                bandit.pulls[arm] = int(data["pulls"][arm])
                bandit.totals[arm] = float(data["totals"][arm])
            bandit.rng.bit_generator.state = data["rng"]
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"not a saved UCB1Bandit state: {err!r}") from None
        return bandit

    def _check(self, arm: str) -> None:
        if arm not in self.pulls:
            raise KeyError(f"unknown arm {arm!r}; arms: {', '.join(self.arms)}")


# --------------------------------------------------------------------------- clusters
def cluster_key(task: Task, key: str) -> str:
    """The cluster of ``task`` under ``key``: 'group', 'split', 'id' or 'params.<name>[.<name>...]'."""
    if key in ("group", "split", "id"):
        return str(getattr(task, key))
    if not key.startswith("params.") or key == "params.":
        raise ValueError(f"cluster_by must be 'group' or 'params.<key>' (e.g. 'params.difficulty'), got {key!r}")
    value: Any = task.params
    for part in key.split(".")[1:]:
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(f"cluster_by={key!r}: task {task.id} (group {task.group}) has no {key}; "
                           f"its params hold {', '.join(sorted(task.params)) or 'nothing'}. Choose a key every task "
                           "of the chosen groups has, or cluster_by=group")
        value = value[part]
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def cluster_tasks(tasks: Iterable[Task], key: str = "group") -> dict[str, list[Task]]:
    """Tasks grouped by ``cluster_key``, clusters and tasks in first-seen order."""
    out: dict[str, list[Task]] = {}
    for t in tasks:
        out.setdefault(cluster_key(t, key), []).append(t)
    return out
