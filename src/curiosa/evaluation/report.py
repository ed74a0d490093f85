"""The HTML report of a PAPRIKA run: one self-contained page with tables, figures and episodes.

Run directory layout read here (every part is optional: a missing or unreadable part is skipped
with a note in the page, so a run that stopped early still gets a report)::

    run_dir/config.yaml                    the run's config (shown collapsed)
    run_dir/eval/base/trajectories.jsonl   evaluation episodes of the base model (test split)
    run_dir/eval/tuned/trajectories.jsonl  evaluation episodes of the tuned model
    run_dir/eval/<name>/summary.json       summarize() of each evaluated model (recomputed if absent)
    run_dir/metrics.json                   compare(base, tuned) (recomputed if absent)
    run_dir/sft/metrics.jsonl              SFT training curve (one record per logged step)
    run_dir/rpo/metrics.jsonl              RPO training curve
    run_dir/trajectories/train.jsonl       self-generated training trajectories

Written::

    run_dir/report.html                    the page
    run_dir/figures/*.png                  the page's figures, also as files

The page is built from ``curiosa.evaluation.html`` (shared with the SCoRe report), whose docstring
says why it has nothing outside it and why no episode text is ever parsed as HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import curiosa.evaluation.metrics as M
from curiosa.evaluation.html.figures import Figure, error_bars, figures_section, new_figure, png_bytes, write_figures
from curiosa.evaluation.html.markup import config_section, escape, notes_section, section, table
from curiosa.evaluation.html.page import write_page
from curiosa.evaluation.html.run_files import (
    RunFiles, load_config, load_curve, read_json, read_trajectories, run_root,
)
from curiosa.evaluation.html.viewer import viewer_section
from curiosa.rollout.trajectory import Trajectory

MAX_EPISODES = 2000
"""Default cap on the episodes embedded in the page's viewer."""

MODEL_ORDER = ("base", "tuned")
COLORS = {"base": "#8c8c8c", "tuned": "#d9622b"}
CURVES = {"sft": ("loss",), "rpo": ("loss", "dpo_loss", "nll", "reward_accuracy")}


# =========================================================================== reading the run
@dataclass
class _Run(RunFiles):
    """``RunFiles`` plus what only a PAPRIKA run has."""

    comparison: dict[str, Any] | None = None
    train: list[Trajectory] | None = None


def _model_names(eval_dir: Path) -> list[str]:
    """Evaluated models: base and tuned first (the comparison's order), then any others by name."""
    if not eval_dir.is_dir():
        return []
    found = {p.name for p in eval_dir.iterdir()
             if p.is_dir() and ((p / "trajectories.jsonl").is_file() or (p / "summary.json").is_file())}
    return [m for m in MODEL_ORDER if m in found] + sorted(found - set(MODEL_ORDER))


def _is_summary(value: Any) -> bool:
    return isinstance(value, dict) and {"groups", "overall", "k"} <= set(value) and not M.is_comparison(value)


def _load_model(run: _Run, name: str) -> None:
    folder = run.root / "eval" / name
    episodes = None
    if (folder / "trajectories.jsonl").is_file():
        episodes = read_trajectories(folder / "trajectories.jsonl", run)
        if episodes is not None and not episodes:
            run.notes.append(f"eval/{name}/trajectories.jsonl is empty.")
            episodes = None
    if episodes:
        run.episodes[name] = episodes
    summary = read_json(folder / "summary.json", run) if (folder / "summary.json").is_file() else None
    if summary is not None and not _is_summary(summary):
        run.notes.append(f"eval/{name}/summary.json is not a summarize() result; ignored.")
        summary = None
    if summary is None and episodes:
        try:
            summary = M.summarize(episodes)
        except ValueError as err:
            run.notes.append(f"eval/{name}: cannot summarize the episodes ({err}).")
    if summary is not None:
        run.summaries[name] = summary


def _load_comparison(run: _Run) -> None:
    path = run.root / "metrics.json"
    if path.is_file():
        value = read_json(path, run)
        if isinstance(value, dict) and M.is_comparison(value) and "groups" in value:
            run.comparison = value
            return
        if value is not None:
            run.notes.append("metrics.json is not a compare() result; recomputed from the evaluations.")
    if "base" not in run.summaries or "tuned" not in run.summaries:
        missing = [m for m in MODEL_ORDER if m not in run.summaries]
        run.notes.append(f"No comparison of base and tuned: no evaluation of {' and '.join(missing)}.")
        return
    try:
        run.comparison = M.compare(run.summaries["base"], run.summaries["tuned"])
    except ValueError as err:
        run.comparison = _compare_common_groups(run, err)


def _compare_common_groups(run: _Run, err: ValueError) -> dict[str, Any] | None:
    """A comparison on the groups both models played, for a run whose tuned evaluation stopped early."""
    base, tuned = run.episodes.get("base"), run.episodes.get("tuned")
    common = sorted({t.group for t in base or []} & {t.group for t in tuned or []})
    if not common:
        run.notes.append(f"No comparison of base and tuned: {err}")
        return None
    keep = set(common)
    result = M.compare(M.summarize([t for t in base if t.group in keep]),  # type: ignore[union-attr]
                       M.summarize([t for t in tuned if t.group in keep]))  # type: ignore[union-attr]
    run.notes.append(f"Base and tuned were not evaluated on the same groups ({err}); the comparison "
                     f"covers only the {len(common)} groups both played: {', '.join(common)}.")
    return result


def _load_run(root: Path) -> _Run:
    run = _Run(root=root)
    load_config(run)
    names = _model_names(root / "eval")
    if not names:
        run.notes.append("No evaluation found under eval/.")
    for name in names:
        _load_model(run, name)
    _load_comparison(run)
    for stage in CURVES:
        load_curve(run, stage)
    train = root / "trajectories" / "train.jsonl"
    if train.is_file():
        run.train = read_trajectories(train, run)
    else:
        run.notes.append("trajectories/train.jsonl not found: no training-data statistics.")
    return run


# =========================================================================== figures
def _group_bars(summaries: Mapping[str, Mapping[str, Any]], value: str, with_ci: bool, ylabel: str,
                title: str, include_overall: bool) -> bytes:
    groups = sorted({g for s in summaries.values() for g in s["groups"]})
    labels = groups + (["overall"] if include_overall else [])
    fig, axes = new_figure(max(6.0, 0.9 * len(labels) + 2), 4.2)
    ax = axes[0][0]
    width = 0.8 / len(summaries)
    for i, (model, summary) in enumerate(summaries.items()):
        rows = [summary["groups"].get(g) for g in groups] + ([summary["overall"]] if include_overall else [])
        heights = [float("nan") if r is None or r[value] is None else r[value] for r in rows]
        xs = [j + (i - (len(summaries) - 1) / 2) * width for j in range(len(labels))]
        errors = error_bars(rows, heights, f"{value}_ci") if with_ci else None
        ax.bar(xs, heights, width, yerr=errors, capsize=3, label=model, color=COLORS.get(model), edgecolor="white")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(frameon=False)
    return png_bytes(fig)


def _curve_plot(stage: str, records: Sequence[Mapping[str, Any]]) -> bytes | None:
    keys = [k for k in CURVES[stage] if any(isinstance(r.get(k), (int, float)) for r in records)]
    if not keys:
        return None
    fig, axes = new_figure(4.0 * len(keys), 3.2, 1, len(keys))
    for ax, key in zip(axes[0], keys):
        points = [(r["step"], r[key]) for r in records if isinstance(r.get(key), (int, float))]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="." if len(points) < 50 else None,
                color=COLORS["tuned"])
        ax.set_xlabel("step")
        ax.set_title(key)
        ax.grid(alpha=0.3)
    fig.suptitle(f"{stage.upper()} training")
    return png_bytes(fig)


def _plotted_summaries(run: _Run) -> dict[str, Mapping[str, Any]]:
    """The summaries to plot; without any, the two sides of metrics.json (it holds the same numbers)."""
    if run.summaries or run.comparison is None:
        return dict(run.summaries)
    c = run.comparison
    return {side: {"groups": {g: row[side] for g, row in c["groups"].items()}, "overall": c["overall"][side]}
            for side in MODEL_ORDER}


def _figures(run: _Run) -> list[Figure]:
    out: list[Figure] = []
    summaries = _plotted_summaries(run)
    if summaries:
        out.append(Figure("success.png", "Average success per group (bars: bootstrap confidence interval over tasks)",
                          _group_bars(summaries, "success", True, "average success", "Success per group", True)))
        out.append(Figure("turns.png", "Mean turns of successful episodes per group (fewer is better)",
                          _group_bars(summaries, "mean_turns_success", False, "turns", "Turns to succeed", False)))
    for stage, records in run.curves.items():
        png = _curve_plot(stage, records)
        if png is not None:
            out.append(Figure(f"training_{stage}.png", f"{stage.upper()} training curves against optimizer step", png))
    return out


# =========================================================================== HTML sections
def _results_section(run: _Run) -> str:
    parts = []
    if run.comparison is not None:
        parts.append(f"<p class=\"headline\">{escape(M.comparison_headline(run.comparison))}</p>")
        parts.append(table(*M.comparison_rows(run.comparison)))
        conf = run.comparison.get("confidence")
        if conf:
            parts.append(f"<p class=\"small\">Brackets: {escape(round(100 * conf))}% bootstrap interval over tasks "
                         "(a task's samples are resampled together). Overall = macro average over groups. "
                         "Turns: mean turns of successful episodes.</p>")
    for model, summary in run.summaries.items():
        rows = table(*M.summary_rows(summary))
        label = f"{model}: {summary['overall']['episodes']} episodes on split {summary.get('split')}"
        if run.comparison is None:
            parts.append(f"<h3>{escape(label)}</h3>{rows}")
        else:
            parts.append(f"<details><summary>{escape(label)}</summary>{rows}</details>")
    if not parts:
        parts.append("<p>No evaluation results in this run.</p>")
    return section("results", "Evaluation", "".join(parts))


def _training_section(run: _Run) -> str:
    parts = []
    for stage, records in run.curves.items():
        last = records[-1]
        values = ", ".join(f"{k} {last[k]:.4g}" for k in CURVES[stage] if isinstance(last.get(k), (int, float)))
        parts.append(f"<p>{escape(stage.upper())}: {len(records)} logged steps, last step {escape(last['step'])}"
                     f"{': ' + escape(values) if values else ''}.</p>")
    if run.train:
        parts.append("<h3>Self-generated training trajectories</h3>" + table(*_train_rows(run.train)))
    return section("training", "Training", "".join(parts)) if parts else ""


def _train_rows(rows: Iterable[Trajectory]) -> tuple[list[str], list[list[str]]]:
    by_group: dict[str, list[Trajectory]] = defaultdict(list)
    for t in rows:
        by_group[t.group].append(t)
    header = ["group", "tasks", "trajectories", "successes", "success rate", "format failures"]

    def row(name: str, items: Sequence[Trajectory]) -> list[str]:
        wins = sum(M.episode_success(t) for t in items)
        fails = sum(t.stop_reason == M.FORMAT_FAILURE for t in items)
        return [name, str(len({t.task_id for t in items})), str(len(items)), str(wins),
                M.percent(wins / len(items)), str(fails)]

    body = [row(g, by_group[g]) for g in sorted(by_group)]
    body.append(row("total", [t for g in sorted(by_group) for t in by_group[g]]))
    return header, body


# =========================================================================== the page
def write_report(run_dir: str | Path, *, title: str | None = None, max_episodes: int = MAX_EPISODES) -> Path:
    """Write ``run_dir/report.html`` (and ``run_dir/figures/*.png``) from whatever the run holds."""
    root = run_root(run_dir, max_episodes)
    run = _load_run(root)
    figures = write_figures(lambda: _figures(run), root / "figures", run.notes)
    viewer, data = viewer_section(run.episodes, max_episodes)
    page_title = title or f"curiosa run: {root.resolve().name}"
    return write_page(root, page_title, [notes_section(run.notes), _results_section(run), figures_section(figures),
                                         _training_section(run), viewer, config_section(run.config_text)], data)
