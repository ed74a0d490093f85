"""Append-only JSON-lines files of trajectories that survive being killed at any moment.

Each record is written with one ``write`` of a whole line and flushed (and fsynced) before the
next, so a kill can only leave a torn *last* line, which the next run drops and rewrites. Anything
else that does not parse is corruption, reported with the file and line number.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Iterable, Iterator

from curiosa.rollout.trajectory import Trajectory


class CorruptFileError(ValueError):
    """A line of a trajectory file is not a valid record; the message names the file and line."""


def _read_records(path: Path, *, repair_tail: bool) -> Iterator[tuple[int, dict]]:
    data = path.read_bytes()
    if not data:
        return
    lines = data.split(b"\n")
    torn = lines[-1] != b""  # the file does not end with a newline: the last write was cut short
    body = lines[:-1]
    for number, raw in enumerate(body, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as err:
            raise CorruptFileError(f"{path}:{number}: not valid JSON ({err.msg} at column {err.colno})") from None
        if not isinstance(record, dict):
            raise CorruptFileError(f"{path}:{number}: expected a JSON object, got {type(record).__name__}")
        yield number, record
    if torn:
        number = len(body) + 1
        if not repair_tail:
            raise CorruptFileError(f"{path}:{number}: incomplete last line (was the writer killed?)")
        warnings.warn(f"{path}:{number}: dropping an incomplete last line left by an interrupted run", stacklevel=3)
        with open(path, "r+b") as fh:
            fh.truncate(len(data) - len(lines[-1]))


def load_trajectories(path: str | Path) -> list[Trajectory]:
    """Every trajectory of a file; corrupt lines raise CorruptFileError naming file and line."""
    path = Path(path)
    out = []
    for number, record in _read_records(path, repair_tail=False):
        try:
            out.append(Trajectory.from_dict(record))
        except ValueError as err:
            raise CorruptFileError(f"{path}:{number}: {err}") from None
    return out


class TrajectoryStore:
    """One append-only trajectory file; ``done`` holds the ids already in it."""

    def __init__(self, path: str | Path, *, fsync: bool = True) -> None:
        self.path = Path(path)
        self.fsync = fsync
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.done: set[str] = set()
        if self.path.exists():
            for number, record in _read_records(self.path, repair_tail=True):
                key = record.get("id")
                if not isinstance(key, str):
                    raise CorruptFileError(f"{self.path}:{number}: record has no string 'id'")
                if key in self.done:
                    raise CorruptFileError(f"{self.path}:{number}: duplicate trajectory id {key!r}")
                self.done.add(key)
        self._fh = open(self.path, "ab")
        self._lock()

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._fh.close()
            raise RuntimeError(f"{self.path} is being written by another process") from None

    def append(self, trajectory: Trajectory) -> None:
        if trajectory.id in self.done:
            raise ValueError(f"trajectory {trajectory.id!r} is already in {self.path}")
        self._fh.write((trajectory.to_json() + "\n").encode("utf-8"))
        self._fh.flush()
        if self.fsync:
            os.fsync(self._fh.fileno())
        self.done.add(trajectory.id)

    def extend(self, trajectories: Iterable[Trajectory]) -> None:
        for t in trajectories:
            self.append(t)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()

    def __enter__(self) -> "TrajectoryStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def to_dataset(paths: str | Path | list[str | Path]):
    """The trajectories as a Hugging Face ``datasets.Dataset`` (validated first)."""
    from datasets import Dataset

    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    rows = [json.loads(t.to_json()) for p in paths for t in load_trajectories(p)]
    return Dataset.from_list(rows)
