"""What benchmarks that run a pipeline several times share between the runs' directories."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_evaluation(src: Path, dst: Path) -> bool:
    """Seed ``dst`` (an evaluation directory) with the episodes already played in ``src``, so that a run
    evaluating the same model on the same test episodes does not play them again. Safe because
    ``evaluate()`` checks model, sampling and seed before reusing episodes (and plays anything missing).
    Returns whether anything was copied: nothing is when ``src`` has no episodes or ``dst`` already has."""
    if not (src / "trajectories.jsonl").is_file() or (dst / "trajectories.jsonl").exists():
        return False
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("trajectories.jsonl", "trajectories.config.yaml"):
        if (src / name).is_file():
            shutil.copyfile(src / name, dst / name)
    return True
