"""SCoRe's metrics (docs/score.md) over two-attempt episodes, with task-bootstrap intervals.

Accuracy@t1 and @t2, Delta = Acc@t2 - Acc@t1, Delta_i->c and Delta_c->i (fractions of all problems),
and the rate of answers changed at attempt 2. An episode that ended without a readable attempt
counts that attempt as wrong with no answer: nothing is dropped from the denominator.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from curiosa.envs.self_correction import self_correction_metrics
from curiosa.rollout.trajectory import Trajectory

METRICS = ("accuracy_t1", "accuracy_t2", "delta", "delta_i_to_c", "delta_c_to_i", "changed_answer_rate")
"""The reported metrics, in table order."""

LABELS = {"accuracy_t1": "Acc@t1", "accuracy_t2": "Acc@t2", "delta": "Delta(t1,t2)", "delta_i_to_c": "Delta i->c",
          "delta_c_to_i": "Delta c->i", "changed_answer_rate": "changed"}


def attempts(trajectory: Trajectory) -> tuple[list[float], list[str | None]]:
    """``([r1, r2], [answer1, answer2])`` of a two-attempt episode; a missing attempt is wrong, without answer."""
    feedback = trajectory.info.get("final_feedback") or {}
    rewards = [float(r) for r in feedback.get("attempt_rewards", [])][:2]
    answers = list(feedback.get("attempt_answers", []))[:2]
    rewards += [0.0] * (2 - len(rewards))
    answers += [None] * (2 - len(answers))
    return rewards, answers


def answer_changed(trajectory: Trajectory) -> bool:
    """Whether attempt 2's answer differs from attempt 1's (an answer against none counts as a change;
    two unreadable attempts do not)."""
    first, second = attempts(trajectory)[1]
    return first != second


def _rows(trajectories: Sequence[Trajectory]) -> np.ndarray:
    """[episodes, 3]: correct at t1, correct at t2, answer changed."""
    out = []
    for t in trajectories:
        (r1, r2), _ = attempts(t)
        out.append((r1 > 0, r2 > 0, answer_changed(t)))
    return np.asarray(out, dtype=float).reshape(-1, 3)


def _metrics(rows: np.ndarray) -> dict[str, float]:
    values = self_correction_metrics(rows[:, :2].tolist())
    values["changed_answer_rate"] = float(rows[:, 2].mean())
    return values


def _interval(samples: np.ndarray, confidence: float) -> list[float]:
    tail = (1 - confidence) / 2 * 100
    return [float(np.percentile(samples, tail)), float(np.percentile(samples, 100 - tail))]


def summarize_self_correction(trajectories: Iterable[Trajectory], *, by: str | None = "difficulty",
                              confidence: float = 0.95, resamples: int = 1000, seed: int = 0,
                              task_params: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Metrics overall (with ``confidence`` intervals from resampling tasks) and per value of the task
    parameter ``by`` (e.g. difficulty level; looked up in ``task_params`` or the task registry)."""
    rows = list(trajectories)
    if not rows:
        raise ValueError("no episodes to summarise")
    by_task: dict[str, list[Trajectory]] = defaultdict(list)
    for t in rows:
        by_task[t.task_id].append(t)
    tasks = sorted(by_task)
    per_task = [_rows(by_task[k]) for k in tasks]
    overall = _metrics(np.concatenate(per_task))
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(resamples):
        chosen = rng.integers(0, len(tasks), len(tasks))
        draws.append([_metrics(np.concatenate([per_task[i] for i in chosen]))[m] for m in METRICS])
    table = np.asarray(draws)
    summary: dict[str, Any] = {"episodes": len(rows), "tasks": len(tasks), "confidence": confidence,
                               **{m: overall[m] for m in METRICS},
                               "intervals": {m: _interval(table[:, j], confidence) for j, m in enumerate(METRICS)}}
    if by:
        groups: dict[str, list[np.ndarray]] = defaultdict(list)
        for key, part in zip(tasks, per_task):
            params = task_params[key] if task_params is not None else _task_params(key)
            groups[str(params.get(by, "?"))].append(part)
        summary["by"] = by
        summary["breakdown"] = {value: {"episodes": int(sum(len(p) for p in parts)),
                                        **{m: v for m, v in _metrics(np.concatenate(parts)).items() if m in METRICS}}
                                for value, parts in sorted(groups.items())}
    return summary


def _task_params(task_id: str) -> Mapping[str, Any]:
    from curiosa import envs

    try:
        return envs.get_task(task_id).params
    except KeyError:
        return {}


def table_rows(summaries: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """One row per method: the metrics in percent (Delta with its interval)."""
    header = ["method", *(LABELS[m] for m in METRICS)]
    rows = []
    for name, s in summaries.items():
        cells = [name]
        for m in METRICS:
            value = f"{100 * s[m]:+.1f}" if m.startswith("delta") else f"{100 * s[m]:.1f}"
            if m == "delta" and "intervals" in s:
                lo, hi = s["intervals"][m]
                value += f" [{100 * lo:+.1f}, {100 * hi:+.1f}]"
            cells.append(value)
        rows.append(cells)
    return header, rows


def format_self_correction_table(summaries: Mapping[str, Mapping[str, Any]]) -> str:
    """The methods side by side as a plain-text table (percent of problems)."""
    from curiosa.evaluation.metrics import _render

    header, rows = table_rows(summaries)
    return _render(header, rows, last_is_total=False)


EPSILON = 1e-9
"""Rates are fractions of problems: differences below this are float noise (two equal counts), not a lead."""


def result_checks(summaries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The learning result: SCoRe's Delta positive, its i->c above its c->i, its Delta above every other
    method's (ties do not count); also whether its Delta's interval lies above zero (the lead is not noise)."""
    s = summaries.get("score")
    if s is None:
        return {}
    others = {k: v["delta"] for k, v in summaries.items() if k != "score"}
    interval = (s.get("intervals") or {}).get("delta")
    return {"score_delta": s["delta"], "delta_positive": s["delta"] > EPSILON,
            "i_to_c_above_c_to_i": s["delta_i_to_c"] > s["delta_c_to_i"] + EPSILON,
            "above_every_other_delta": all(s["delta"] > d + EPSILON for d in others.values()),
            "other_deltas": others, "delta_interval": interval,
            "interval_above_zero": bool(interval) and interval[0] > EPSILON}


def result_headline(result: dict[str, Any]) -> str:
    if not result:
        return ""
    ok = result["delta_positive"] and result["i_to_c_above_c_to_i"] and result["above_every_other_delta"]
    interval = result.get("delta_interval")
    noise = ""
    if ok and interval and not result.get("interval_above_zero"):
        noise = f" (but its 95% interval [{100 * interval[0]:+.1f}, {100 * interval[1]:+.1f}] includes zero)"
    return (f"SCoRe Delta(t1,t2) {100 * result['score_delta']:+.1f} points; positive: {result['delta_positive']}, "
            f"i->c above c->i: {result['i_to_c_above_c_to_i']}, above every other method: "
            f"{result['above_every_other_delta']} -> {'self-correction learned' if ok else 'not shown on this run'}"
            + noise)
