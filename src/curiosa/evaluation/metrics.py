"""Evaluation metrics of a multi-turn agent (docs/paprika.md): success, pass@k, turns.

Choices, and why:

* **An episode succeeds** only if the game says so and it did not end in a format failure: in
  evaluation an unreadable reply counts as a failed task, as in the paper.
* **Confidence intervals bootstrap over tasks**, not episodes. The n samples of one task share its
  hidden state (same board, same secret), so they are correlated; resampling episodes one by one
  would understate the uncertainty. Each replicate draws a group's tasks with replacement and keeps
  every sample of a drawn task. Each group has its own random stream (seeded from ``seed`` and the
  group name), so a group's interval does not change when other groups are added. Percentile
  intervals are widened, if needed, to contain the point estimate (with few tasks a discrete
  statistic's percentiles can miss it).
* **pass@k** is the unbiased estimator 1 - C(n-c, k) / C(n, k) per task (n samples, c successes),
  averaged over tasks. A task with fewer than k samples uses k = n there: pass@n, "at least one of
  its samples succeeded", the best estimate its samples allow.
* **overall** is the macro average over groups: each group weighs the same whatever its number of
  test tasks, as in the paper's "average success over the ten groups". Its interval comes from the
  per-group replicates averaged replicate by replicate. Rates that are undefined for a group (mean
  turns of successes when nothing succeeded) are left out of that group's share of the average.
* **The base-vs-tuned difference has a paired interval.** Both models play the same tasks with the
  same environment seeds, so a task that is hard for one is hard for the other; two separate intervals
  overlap far more than the difference's own uncertainty warrants. Each summary records every task's
  successes and samples, and ``compare`` resamples tasks once per replicate for both models (the same
  draws), so the interval of ``tuned - base`` reflects only how the models differ task by task.
* **Repeated moves**: the share of moves that repeat an earlier move of the same episode (answer lines
  compared without case and spacing). A small model's typical failure is a loop (the same question
  twenty times), which success alone does not show; in bandit_best_arm pulling an arm again is play.
"""

from __future__ import annotations

import math
import zlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence, TextIO

import numpy as np

from curiosa.rollout.trajectory import Trajectory

FORMAT_FAILURE = "format_failure"
DEFAULT_RESAMPLES = 1000


def episode_success(trajectory: Trajectory) -> bool:
    """Success as evaluation counts it: a format failure is a failed episode whatever else it says."""
    return bool(trajectory.success) and trajectory.stop_reason != FORMAT_FAILURE


def repeated_moves(trajectory: Trajectory) -> tuple[int, int]:
    """(moves that repeat an earlier move of the episode, moves): answer lines without case and spacing."""
    from curiosa.envs.text import move_key

    seen: set[str] = set()
    repeats = 0
    for m in trajectory.messages:
        move = move_key(m["content"]) if m["role"] == "assistant" else None
        if move is not None:
            repeats += move in seen
            seen.add(move)
    return repeats, len(seen) + repeats


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased chance that at least one of k samples drawn without replacement from n succeeds.

    With n < k the task cannot be scored at k, so it is scored at n (1 if any sample succeeded).
    """
    if n < 1:
        raise ValueError(f"pass@k needs at least one sample, got n={n}")
    if not 0 <= c <= n:
        raise ValueError(f"successes must be between 0 and n={n}, got c={c}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(k, n)
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


# --------------------------------------------------------------------------- input checks
def _validated(trajectories: Iterable[Trajectory]) -> list[Trajectory]:
    """The trajectories as a list, refusing input whose numbers would mean nothing."""
    rows = list(trajectories)
    if not rows:
        raise ValueError("no trajectories to summarize")
    bad = next((r for r in rows if not isinstance(r, Trajectory)), None)
    if bad is not None:
        raise TypeError(f"expected Trajectory objects, got {type(bad).__name__}")
    splits = sorted({r.split for r in rows})
    if len(splits) > 1:
        raise ValueError(f"trajectories mix splits {splits}: summarize one split at a time")
    seen: set[str] = set()
    group_of: dict[str, str] = {}
    for r in rows:
        if r.id in seen:
            raise ValueError(f"trajectory {r.id!r} appears twice: it would be counted twice")
        seen.add(r.id)
        if group_of.setdefault(r.task_id, r.group) != r.group:
            raise ValueError(f"task {r.task_id!r} appears in groups {group_of[r.task_id]!r} and {r.group!r}")
        if r.num_turns < 0 or r.invalid_actions < 0:
            raise ValueError(f"trajectory {r.id!r} has a negative turn or invalid-action count")
    return rows


def _check_options(k: int, confidence: float, resamples: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")


# --------------------------------------------------------------------------- per group
@dataclass(frozen=True)
class _Group:
    """What the metrics of one group need, one entry per task."""

    task_ids: list[str]
    samples: np.ndarray
    successes: np.ndarray
    pass_k: np.ndarray
    success_turns: list[int]
    turns: int
    invalid_actions: int
    format_failures: int
    repeats: int
    moves: int

    @property
    def episodes(self) -> int:
        return int(self.samples.sum())


def _group_data(rows: Sequence[Trajectory], k: int) -> _Group:
    by_task: dict[str, list[Trajectory]] = defaultdict(list)
    for r in rows:
        by_task[r.task_id].append(r)
    tasks = sorted(by_task)
    samples = np.array([len(by_task[t]) for t in tasks])
    successes = np.array([sum(episode_success(r) for r in by_task[t]) for t in tasks])
    repeats = [repeated_moves(r) for r in rows]
    return _Group(
        task_ids=tasks, samples=samples, successes=successes,
        pass_k=np.array([pass_at_k(int(n), int(c), k) for n, c in zip(samples, successes)]),
        success_turns=[r.num_turns for r in rows if episode_success(r)],
        turns=sum(r.num_turns for r in rows), invalid_actions=sum(r.invalid_actions for r in rows),
        format_failures=sum(r.stop_reason == FORMAT_FAILURE for r in rows),
        repeats=sum(r for r, _ in repeats), moves=sum(n for _, n in repeats),
    )


def _group_rng(seed: int, group: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(group.encode("utf-8"))])


def _task_draws(tasks: int, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """[resamples, tasks]: the task indices each bootstrap replicate draws (with replacement)."""
    return rng.integers(0, tasks, size=(resamples, tasks))


def _replicates(data: _Group, resamples: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap replicates of (episode success rate, mean pass@k), resampling whole tasks."""
    picks = _task_draws(len(data.samples), resamples, rng)
    success = data.successes[picks].sum(axis=1) / data.samples[picks].sum(axis=1)
    return success, data.pass_k[picks].mean(axis=1)


def _interval(replicates: np.ndarray, point: float, confidence: float) -> list[float]:
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(replicates, [tail, 1.0 - tail])
    return [float(min(low, point)), float(max(high, point))]


def _ratio(numerator: float, denominator: float) -> float | None:
    return float(numerator / denominator) if denominator else None


def _group_summary(data: _Group, reps: tuple[np.ndarray, np.ndarray], confidence: float) -> dict[str, Any]:
    success = float(data.successes.sum() / data.samples.sum())
    passk = float(data.pass_k.mean())
    return {
        "success": success, "success_ci": _interval(reps[0], success, confidence),
        "pass_at_k": passk, "pass_at_k_ci": _interval(reps[1], passk, confidence),
        "mean_turns_success": float(np.mean(data.success_turns)) if data.success_turns else None,
        "invalid_action_rate": _ratio(data.invalid_actions, data.turns),
        "repeated_move_rate": _ratio(data.repeats, data.moves),
        "format_failure_rate": data.format_failures / data.episodes,
        "episodes": data.episodes, "tasks": len(data.samples),
        "min_samples_per_task": int(data.samples.min()),
        "task_outcomes": {t: [int(c), int(n)] for t, c, n in zip(data.task_ids, data.successes, data.samples)},
    }


def _macro(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(np.mean(known)) if known else None


def _overall(groups: Mapping[str, dict[str, Any]], reps: Sequence[tuple[np.ndarray, np.ndarray]],
             confidence: float) -> dict[str, Any]:
    success = float(np.mean([g["success"] for g in groups.values()]))
    passk = float(np.mean([g["pass_at_k"] for g in groups.values()]))
    return {
        "success": success, "success_ci": _interval(np.mean([r[0] for r in reps], axis=0), success, confidence),
        "pass_at_k": passk, "pass_at_k_ci": _interval(np.mean([r[1] for r in reps], axis=0), passk, confidence),
        "mean_turns_success": _macro(g["mean_turns_success"] for g in groups.values()),
        "invalid_action_rate": _macro(g["invalid_action_rate"] for g in groups.values()),
        "repeated_move_rate": _macro(g.get("repeated_move_rate") for g in groups.values()),
        "format_failure_rate": float(np.mean([g["format_failure_rate"] for g in groups.values()])),
        "episodes": sum(g["episodes"] for g in groups.values()),
        "tasks": sum(g["tasks"] for g in groups.values()),
        "min_samples_per_task": min(g["min_samples_per_task"] for g in groups.values()),
        "groups": len(groups),
    }


def summarize(trajectories: Iterable[Trajectory], k: int = 4, confidence: float = 0.95, seed: int = 0,
              resamples: int = DEFAULT_RESAMPLES) -> dict[str, Any]:
    """Per-group and macro-averaged metrics of one model's evaluation episodes (one split).

    The result is plain JSON (``eval/<model>/summary.json``); see the module docstring for the
    choices behind each number.
    """
    _check_options(k, confidence, resamples)
    rows = _validated(trajectories)
    by_group: dict[str, list[Trajectory]] = defaultdict(list)
    for r in rows:
        by_group[r.group].append(r)
    groups: dict[str, dict[str, Any]] = {}
    all_reps = []
    for name in sorted(by_group):
        data = _group_data(by_group[name], k)
        reps = _replicates(data, resamples, _group_rng(seed, name))
        groups[name] = _group_summary(data, reps, confidence)
        all_reps.append(reps)
    return {
        "split": rows[0].split, "k": k, "confidence": confidence, "resamples": resamples, "seed": seed,
        "groups": groups, "overall": _overall(groups, all_reps, confidence),
    }


# --------------------------------------------------------------------------- base vs tuned
_COMPARED = ("success", "success_ci", "pass_at_k", "pass_at_k_ci", "mean_turns_success", "repeated_move_rate",
             "episodes", "tasks")


def _relative(base: float, tuned: float) -> float | None:
    return (tuned - base) / base if base else None


def _side_by_side(base: Mapping[str, Any], tuned: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "base": {key: base.get(key) for key in _COMPARED},
        "tuned": {key: tuned.get(key) for key in _COMPARED},
        "success_delta": tuned["success"] - base["success"],
        "relative_improvement": _relative(base["success"], tuned["success"]),
        "pass_at_k_delta": tuned["pass_at_k"] - base["pass_at_k"],
        "pass_at_k_relative_improvement": _relative(base["pass_at_k"], tuned["pass_at_k"]),
    }


def _check_comparable(base: Mapping[str, Any], tuned: Mapping[str, Any]) -> None:
    for name, summary in (("base", base), ("tuned", tuned)):
        if not isinstance(summary, Mapping) or not {"groups", "overall", "k"} <= set(summary):
            raise ValueError(f"{name} is not a summarize() result (needs 'groups', 'overall' and 'k')")
    if base["k"] != tuned["k"]:
        raise ValueError(f"base was summarized with k={base['k']} and tuned with k={tuned['k']}")
    if base.get("split") != tuned.get("split"):
        raise ValueError(f"base is on split {base.get('split')!r} and tuned on {tuned.get('split')!r}")
    if set(base["groups"]) != set(tuned["groups"]):
        only_base = sorted(set(base["groups"]) - set(tuned["groups"]))
        only_tuned = sorted(set(tuned["groups"]) - set(base["groups"]))
        raise ValueError(f"the models were evaluated on different groups (only base: {only_base}, "
                         f"only tuned: {only_tuned}): the macro averages would not be comparable")


def _outcomes(group: Mapping[str, Any]) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    table = group.get("task_outcomes")
    if not table:
        return None
    ids = sorted(table)
    return ids, np.array([table[t][0] for t in ids]), np.array([table[t][1] for t in ids])


def _paired_delta_replicates(base: Mapping[str, Any], tuned: Mapping[str, Any]) -> dict[str, np.ndarray] | None:
    """Per group, bootstrap replicates of tuned minus base success, both models resampled with the same
    task draws. None when a summary lacks per-task outcomes (written before they were recorded) or the
    two models did not play the same tasks of a group: no paired interval exists then."""
    resamples, seed = int(base.get("resamples", DEFAULT_RESAMPLES)), int(base.get("seed", 0))
    replicates = {}
    for g in sorted(base["groups"]):
        b, t = _outcomes(base["groups"][g]), _outcomes(tuned["groups"][g])
        if b is None or t is None or b[0] != t[0]:
            return None
        picks = _task_draws(len(b[0]), resamples, _group_rng(seed, g))
        replicates[g] = t[1][picks].sum(1) / t[2][picks].sum(1) - b[1][picks].sum(1) / b[2][picks].sum(1)
    return replicates


def compare(base: Mapping[str, Any], tuned: Mapping[str, Any]) -> dict[str, Any]:
    """The run's ``metrics.json``: base and tuned side by side, per group and overall, with the paired
    interval of each difference (``success_delta_ci``; None when it cannot be computed, see
    :func:`_paired_delta_replicates`)."""
    _check_comparable(base, tuned)
    groups = {g: _side_by_side(base["groups"][g], tuned["groups"][g]) for g in sorted(base["groups"])}
    overall = _side_by_side(base["overall"], tuned["overall"])
    deltas = _paired_delta_replicates(base, tuned)
    confidence = float(base.get("confidence") or 0.95)
    for g, side in groups.items():
        side["success_delta_ci"] = None if deltas is None else _interval(deltas[g], side["success_delta"], confidence)
    overall["success_delta_ci"] = None if deltas is None else _interval(
        np.mean(list(deltas.values()), axis=0), overall["success_delta"], confidence)
    overall["groups_improved"] = sum(g["tuned"]["success"] > g["base"]["success"] for g in groups.values())
    overall["groups_compared"] = len(groups)
    return {"split": base.get("split"), "k": base["k"], "confidence": base.get("confidence"),
            "groups": groups, "overall": overall}


def is_comparison(result: Mapping[str, Any]) -> bool:
    """True for a compare() result, False for a summarize() one."""
    return isinstance(result.get("overall"), Mapping) and "base" in result["overall"]


# --------------------------------------------------------------------------- text tables
def percent(value: float | None, digits: int = 1) -> str:
    """A rate as the tables show it ('-' when undefined), shared by text and HTML reports."""
    return "-" if value is None else f"{100 * value:.{digits}f}%"


def signed_percent(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{100 * value:+.{digits}f}%"


def points(value: float | None, digits: int = 1) -> str:
    """A difference of two rates in percentage points, so it is not mistaken for a relative change."""
    return "-" if value is None else f"{100 * value:+.{digits}f} pt"


def points_with_interval(value: float | None, interval: Sequence[float] | None) -> str:
    """A difference in points, with its interval when there is one: '+3.0 pt [-1.0, +7.0]'."""
    if value is None or not interval:
        return points(value)
    return f"{points(value)} [{100 * interval[0]:+.1f}, {100 * interval[1]:+.1f}]"


def with_interval(value: float | None, interval: Sequence[float] | None) -> str:
    if value is None:
        return "-"
    if not interval:
        return percent(value)
    return f"{percent(value)} [{100 * interval[0]:.1f}, {100 * interval[1]:.1f}]"


def turns(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def summary_rows(summary: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows (groups, then overall) of a summarize() result."""
    k = summary["k"]
    header = ["group", "tasks", "episodes", "success [CI]", f"pass@{k} [CI]", "turns (succ.)",
              "invalid actions", "repeated moves", "format failures"]
    rows = []
    for name, g in [*summary["groups"].items(), ("overall", summary["overall"])]:
        rows.append([name, str(g["tasks"]), str(g["episodes"]), with_interval(g["success"], g.get("success_ci")),
                     with_interval(g["pass_at_k"], g.get("pass_at_k_ci")), turns(g["mean_turns_success"]),
                     percent(g["invalid_action_rate"]), percent(g.get("repeated_move_rate")),
                     percent(g["format_failure_rate"])])
    return header, rows


def comparison_rows(comparison: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows (groups, then overall) of a compare() result."""
    k = comparison["k"]
    header = ["group", "tasks", "base success", "tuned success", "change", f"base pass@{k}", f"tuned pass@{k}",
              "base turns", "tuned turns"]
    rows = []
    for name, g in [*comparison["groups"].items(), ("overall", comparison["overall"])]:
        b, t = g["base"], g["tuned"]
        rows.append([name, str(t["tasks"]), with_interval(b["success"], b.get("success_ci")),
                     with_interval(t["success"], t.get("success_ci")),
                     points_with_interval(g["success_delta"], g.get("success_delta_ci")),
                     percent(b["pass_at_k"]), percent(t["pass_at_k"]),
                     turns(b["mean_turns_success"]), turns(t["mean_turns_success"])])
    return header, rows


def comparison_headline(comparison: Mapping[str, Any]) -> str:
    """One sentence with the run's result, as the paper states it."""
    o = comparison["overall"]
    rel = o["relative_improvement"]
    rel_text = "undefined (base success is 0)" if rel is None else signed_percent(rel)
    interval = o.get("success_delta_ci")
    if interval:
        level = round(100 * float(comparison.get("confidence") or 0.95))
        rel_text += f"; difference, {level}% paired interval: {points_with_interval(o['success_delta'], interval)}"
    return (f"Average success {percent(o['base']['success'])} -> {percent(o['tuned']['success'])} "
            f"(relative {rel_text}); tuned beats base in {o['groups_improved']} of {o['groups_compared']} groups.")


def _render(header: Sequence[str], rows: Sequence[Sequence[str]], last_is_total: bool = True) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    rule = "-" * len(line(header))
    body = [line(r) for r in rows]
    if not last_is_total:
        return "\n".join([line(header), rule, *body])
    return "\n".join([line(header), rule, *body[:-1], rule, body[-1]])


def format_table(result: Mapping[str, Any]) -> str:
    """A plain-text table of a summarize() or compare() result, for logs and the end of a run."""
    if not isinstance(result, Mapping) or "groups" not in result or "overall" not in result:
        raise ValueError("format_table needs a summarize() or compare() result")
    if is_comparison(result):
        return _render(*comparison_rows(result)) + "\n" + comparison_headline(result)
    return _render(*summary_rows(result))


def print_summary(result: Mapping[str, Any], file: TextIO | None = None) -> None:
    """Print the table shown at the end of a run (to stdout unless ``file`` is given)."""
    print(format_table(result), file=file)
