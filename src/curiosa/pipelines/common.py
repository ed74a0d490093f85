"""What the method pipelines share: atomic JSON outputs and per-stage timings."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any, Callable

logger = logging.getLogger("curiosa.pipelines")


def write_json(path: Path, value: Any) -> None:
    """Write through a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, indent=2))
    tmp.replace(path)


def timed(timings: dict[str, float], stage: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Run one stage, logging it and recording its wall time in ``timings``."""
    start = time.perf_counter()
    logger.info("stage %s", stage)
    result = fn(*args)
    timings[stage] = round(time.perf_counter() - start, 1)
    return result
