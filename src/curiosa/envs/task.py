"""The task: one playable instance of a game, with its hidden state."""

from __future__ import annotations

import copy
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Mapping, Sequence, TypeVar

import numpy as np

SPLITS = ("train", "test")

T = TypeVar("T")


@dataclass(frozen=True)
class Task:
    """A game instance shared by every rollout of it.

    Rollouts of one task are only comparable (for preference pairs, pass@k, the curriculum's
    coefficient of variation) when they face the same hidden state, so everything hidden lives in
    ``params`` and nothing in the environment's random stream decides it.
    """

    id: str
    """Stable identifier, ``"{group}-{split}-{index:05d}"``."""
    group: str
    """The game this task belongs to, e.g. ``"wordle"``."""
    split: str
    """``"train"`` or ``"test"``; the two are disjoint."""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """Hidden state as JSON-serialisable values (secret word, code, board, arm means...)."""

    def __hash__(self) -> int:
        return hash((self.group, self.id))

    def copy(self) -> "Task":
        """A copy whose params the caller may edit without touching the shared task."""
        return Task(self.id, self.group, self.split, copy.deepcopy(dict(self.params)))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "group": self.group, "split": self.split, "params": copy.deepcopy(dict(self.params))}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Task":
        missing = {"id", "group", "split"} - set(data)
        if missing:
            raise ValueError(f"task record lacks field(s) {sorted(missing)}: {dict(data)!r:.200}")
        return cls(id=str(data["id"]), group=str(data["group"]), split=str(data["split"]),
                   params=copy.deepcopy(dict(data.get("params", {}))))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)


def task_id(group: str, split: str, index: int) -> str:
    return f"{group}-{split}-{index:05d}"


def stable_rng(*keys: object) -> np.random.Generator:
    """A generator seeded only by ``keys``: Python's ``hash()`` is salted per process, crc32 is not."""
    text = "\x1f".join(str(k) for k in ("curiosa", *keys))
    return np.random.default_rng(zlib.crc32(text.encode("utf-8")))


def make_tasks(group: str, split: str, params: Sequence[Mapping[str, Any]]) -> list[Task]:
    """Number ``params`` in order and wrap them as tasks of one split."""
    check_split(split)
    return [Task(id=task_id(group, split, i), group=group, split=split, params=dict(p)) for i, p in enumerate(params)]


def distinct_draws(draw: Callable[[], T | None], n: int, key: Callable[[T], Hashable] = repr) -> list[T]:
    """The first ``n`` draws whose keys differ (a draw of None is a rejected one): a task pool without
    repeats, so that no test task is also a train task."""
    pool: list[T] = []
    seen: set[Hashable] = set()
    while len(pool) < n:
        item = draw()
        if item is None:
            continue
        k = key(item)
        if k not in seen:
            seen.add(k)
            pool.append(item)
    return pool


def split_pool(group: str, pool: Sequence[Any], n_train: int, n_test: int) -> dict[str, list[Any]]:
    """Shuffle ``pool`` deterministically and cut it into disjoint train and test parts."""
    if n_train + n_test > len(pool):
        raise ValueError(f"{group}: pool of {len(pool)} is smaller than {n_train} train + {n_test} test")
    order = stable_rng(group, "split").permutation(len(pool))
    items = [pool[i] for i in order]
    return {"train": items[:n_train], "test": items[n_train:n_train + n_test]}


def check_split(split: str) -> str:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: expected one of {', '.join(SPLITS)}")
    return split
