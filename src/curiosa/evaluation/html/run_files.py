"""Reading the parts of a run directory a report shows.

Every part is optional: a missing or unreadable part becomes a note in the page instead of an
error, so a run that stopped early still gets a report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curiosa.rollout.store import load_trajectories
from curiosa.rollout.trajectory import Trajectory


@dataclass
class RunFiles:
    """What both reports read from a run; ``notes`` says what was missing or unreadable.

    Each report extends it with what only its kind of run has.
    """

    root: Path
    notes: list[str] = field(default_factory=list)
    config_text: str | None = None
    episodes: dict[str, list[Trajectory]] = field(default_factory=dict)
    """Evaluation episodes per model (or method)."""
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    curves: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Training curves keyed by their folder under the run (e.g. 'sft', 'rl/score'), step records in order."""


def run_root(run_dir: str | Path, max_episodes: int) -> Path:
    """The run directory of a report, with the report's arguments checked."""
    root = Path(run_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"run directory {root} does not exist")
    if max_episodes < 0:
        raise ValueError(f"max_episodes must be at least 0, got {max_episodes}")
    return root


def relative(path: Path, run: RunFiles) -> str:
    """``path`` as the page names it: relative to the run directory when inside it."""
    try:
        return str(path.relative_to(run.root))
    except ValueError:
        return str(path)


def read_json(path: Path, run: RunFiles) -> Any:
    """The JSON value in ``path``, or None with a note when it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        run.notes.append(f"{relative(path, run)} could not be read ({err}); skipped.")
        return None


def read_trajectories(path: Path, run: RunFiles) -> list[Trajectory] | None:
    """The trajectories in ``path``, or None with a note when they cannot be read."""
    try:
        return load_trajectories(path)
    except (OSError, UnicodeDecodeError, ValueError) as err:
        run.notes.append(f"{relative(path, run)} could not be read ({err}); skipped.")
        return None


def load_config(run: RunFiles) -> None:
    """``config.yaml`` as text (it is shown, not interpreted)."""
    config = run.root / "config.yaml"
    if config.is_file():
        run.config_text = config.read_text(encoding="utf-8", errors="replace")
    else:
        run.notes.append("config.yaml not found.")


def load_curve(run: RunFiles, stage: str) -> None:
    """``<stage>/metrics.jsonl`` into ``run.curves[stage]``; a rerun after a kill may log a step twice,
    and the last record wins."""
    path = run.root / stage / "metrics.jsonl"
    if not path.is_file():
        run.notes.append(f"{stage}/metrics.jsonl not found: no {stage.upper()} training curve.")
        return
    by_step: dict[int, dict[str, Any]] = {}
    bad = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            bad += bool(line.strip())
            continue
        if isinstance(record, dict) and isinstance(record.get("step"), int):
            by_step[record["step"]] = record
    if bad:
        run.notes.append(f"{stage}/metrics.jsonl: {bad} unreadable line(s) skipped.")
    if by_step:
        run.curves[stage] = [by_step[s] for s in sorted(by_step)]
    else:
        run.notes.append(f"{stage}/metrics.jsonl holds no step records.")
