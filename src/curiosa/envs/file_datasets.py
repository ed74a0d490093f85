"""Tasks read from the user's files (MATH/GSM8K, MBPP): how they are split and registered as games.

Both loaders take either one file per split (a problem also in the test file is dropped from train)
or one file cut by a rule of the dataset's own, and register a game class that carries the records.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterator

from curiosa.envs.task import SPLITS, Task, check_split, make_tasks

Records = dict[str, list[dict[str, Any]]]


def json_lines(path: Path, what: str) -> Iterator[tuple[int, str, Any]]:
    """``(line number, "file:line", value)`` for each non-blank line of a JSON-lines file; a missing file
    or a line that is not JSON raises an error that names the file (and line)."""
    if not path.is_file():
        raise FileNotFoundError(f"{what} file not found: {path}")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                value = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{where}: not valid JSON ({err.msg})") from None
            yield number, where, value


class FileDataset:
    """Mixin of a game whose tasks are the records it was registered with."""

    group: ClassVar[str] = ""
    records: ClassVar[Records] = {}

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        return make_tasks(cls.group, split, cls.records.get(check_split(split), []))


def split_files(train: str | Path | None, test: str | Path | None, path: str | Path | None, *,
                read: Callable[[str | Path], list[dict[str, Any]]], key: str,
                split_of: Callable[[dict[str, Any]], str], what: str) -> Records:
    """Records per split: ``train``/``test`` files (test problems, by ``key``, leave train), or one
    ``path`` cut by ``split_of``."""
    if path is not None:
        if train is not None or test is not None:
            raise ValueError("give either path= (one file) or train=/test= files, not both")
        records = read(path)
        return {s: [r for r in records if split_of(r) == s] for s in SPLITS}
    if train is None and test is None:
        raise ValueError(f"no {what} given: pass train= and/or test= files, or path=")
    parts = {"train": read(train) if train is not None else [], "test": read(test) if test is not None else []}
    in_test = {r[key] for r in parts["test"]}
    parts["train"] = [r for r in parts["train"] if r[key] not in in_test]
    return parts


def register_file_dataset(base: type, name: str, doc: str, load: Callable[[], Records]) -> type:
    """A subclass of ``base`` holding the records ``load()`` returns, registered as the game ``name``
    (once per process; the name is checked before any file is read)."""
    from curiosa.envs.registry import names, register

    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"dataset name must be lowercase letters, digits and '_', got {name!r}")
    if name in names():
        raise ValueError(f"a game named {name!r} is already registered")
    cls = type(f"{base.__name__}_{name}", (base,), {"group": name, "records": load(), "__doc__": doc})
    register(cls)
    return cls
