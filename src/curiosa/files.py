"""Writing result files so that a reader, or a killed run, never sees half of one; and a lock so that
two processes never build the same file at once."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any, Iterator


def write_json(path: Path, value: Any, indent: int | None = 2) -> None:
    """Write through a temporary file and a rename (atomic on one filesystem)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, indent=indent))
    tmp.replace(path)


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if absent): concurrent processes building the same
    thing (a model conversion, the default model) wait for the first instead of building it twice."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
