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

Why one file with nothing outside it: reports get mailed, archived and opened on machines with no
network, so there is no CDN, font or script from elsewhere. Figures are embedded as base64 data
URIs; the evaluation episodes are embedded as JSON in a ``<script type="application/json">`` with
``<``, ``>`` and ``&`` written as JSON ``\\u`` escapes, so no episode text (not even
``</script>``) can end the element early; the viewer inserts text with ``textContent`` only, so
no episode text is ever parsed as HTML. Past ``max_episodes`` the page embeds every episode of a
deterministic subset of tasks (stable hash of the task id, balanced over groups) and says so, to
keep the file small enough for a browser.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from curiosa.evaluation import metrics as M
from curiosa.rollout.store import load_trajectories
from curiosa.rollout.trajectory import Trajectory

MAX_EPISODES = 2000
"""Default cap on the episodes embedded in the page's viewer."""

MODEL_ORDER = ("base", "tuned")
COLORS = {"base": "#8c8c8c", "tuned": "#d9622b"}
CURVES = {"sft": ("loss",), "rpo": ("loss", "dpo_loss", "nll", "reward_accuracy")}


# =========================================================================== reading the run
@dataclass
class _Run:
    """Everything found in a run directory; ``notes`` says what was missing or unreadable."""

    root: Path
    notes: list[str] = field(default_factory=list)
    config_text: str | None = None
    episodes: dict[str, list[Trajectory]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    comparison: dict[str, Any] | None = None
    curves: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    train: list[Trajectory] | None = None


def _read_json(path: Path, run: _Run) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        run.notes.append(f"{_rel(path, run)} could not be read ({err}); skipped.")
        return None


def _read_trajectories(path: Path, run: _Run) -> list[Trajectory] | None:
    try:
        return load_trajectories(path)
    except (OSError, UnicodeDecodeError, ValueError) as err:
        run.notes.append(f"{_rel(path, run)} could not be read ({err}); skipped.")
        return None


def _rel(path: Path, run: _Run) -> str:
    try:
        return str(path.relative_to(run.root))
    except ValueError:
        return str(path)


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
        episodes = _read_trajectories(folder / "trajectories.jsonl", run)
        if episodes is not None and not episodes:
            run.notes.append(f"eval/{name}/trajectories.jsonl is empty.")
            episodes = None
    if episodes:
        run.episodes[name] = episodes
    summary = _read_json(folder / "summary.json", run) if (folder / "summary.json").is_file() else None
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
        value = _read_json(path, run)
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


def _load_curve(run: _Run, stage: str) -> None:
    """A training curve; a rerun after a kill may log a step twice, and the last record wins."""
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


def _load_config(run: _Run) -> None:
    config = run.root / "config.yaml"
    if config.is_file():
        run.config_text = config.read_text(encoding="utf-8", errors="replace")
    else:
        run.notes.append("config.yaml not found.")


def _load_run(root: Path) -> _Run:
    run = _Run(root=root)
    _load_config(run)
    names = _model_names(root / "eval")
    if not names:
        run.notes.append("No evaluation found under eval/.")
    for name in names:
        _load_model(run, name)
    _load_comparison(run)
    for stage in CURVES:
        _load_curve(run, stage)
    train = root / "trajectories" / "train.jsonl"
    if train.is_file():
        run.train = _read_trajectories(train, run)
    else:
        run.notes.append("trajectories/train.jsonl not found: no training-data statistics.")
    return run


# =========================================================================== figures
@dataclass
class _Figure:
    name: str
    caption: str
    png: bytes


def _new_figure(width: float, height: float, rows: int = 1, cols: int = 1) -> tuple[Any, Any]:
    """A figure drawn with the Agg canvas directly: no pyplot, so no global backend is switched."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots(rows, cols, squeeze=False)


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _error_bars(rows: Sequence[Mapping[str, Any] | None], heights: Sequence[float], key: str) -> list[list[float]]:
    """Distances from each bar to its interval's ends (0 where there is no bar or no interval)."""
    lows, highs = [], []
    for row, height in zip(rows, heights):
        interval = row.get(key) if row is not None else None
        ok = interval is not None and height == height
        lows.append(max(0.0, height - interval[0]) if ok else 0.0)  # type: ignore[index]
        highs.append(max(0.0, interval[1] - height) if ok else 0.0)  # type: ignore[index]
    return [lows, highs]


def _group_bars(summaries: Mapping[str, Mapping[str, Any]], value: str, with_ci: bool, ylabel: str,
                title: str, include_overall: bool) -> bytes:
    groups = sorted({g for s in summaries.values() for g in s["groups"]})
    labels = groups + (["overall"] if include_overall else [])
    fig, axes = _new_figure(max(6.0, 0.9 * len(labels) + 2), 4.2)
    ax = axes[0][0]
    width = 0.8 / len(summaries)
    for i, (model, summary) in enumerate(summaries.items()):
        rows = [summary["groups"].get(g) for g in groups] + ([summary["overall"]] if include_overall else [])
        heights = [float("nan") if r is None or r[value] is None else r[value] for r in rows]
        xs = [j + (i - (len(summaries) - 1) / 2) * width for j in range(len(labels))]
        errors = _error_bars(rows, heights, f"{value}_ci") if with_ci else None
        ax.bar(xs, heights, width, yerr=errors, capsize=3, label=model, color=COLORS.get(model), edgecolor="white")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(frameon=False)
    return _png(fig)


def _curve_plot(stage: str, records: Sequence[Mapping[str, Any]]) -> bytes | None:
    keys = [k for k in CURVES[stage] if any(isinstance(r.get(k), (int, float)) for r in records)]
    if not keys:
        return None
    fig, axes = _new_figure(4.0 * len(keys), 3.2, 1, len(keys))
    for ax, key in zip(axes[0], keys):
        points = [(r["step"], r[key]) for r in records if isinstance(r.get(key), (int, float))]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="." if len(points) < 50 else None,
                color=COLORS["tuned"])
        ax.set_xlabel("step")
        ax.set_title(key)
        ax.grid(alpha=0.3)
    fig.suptitle(f"{stage.upper()} training")
    return _png(fig)


def _plotted_summaries(run: _Run) -> dict[str, Mapping[str, Any]]:
    """The summaries to plot; without any, the two sides of metrics.json (it holds the same numbers)."""
    if run.summaries or run.comparison is None:
        return dict(run.summaries)
    c = run.comparison
    return {side: {"groups": {g: row[side] for g, row in c["groups"].items()}, "overall": c["overall"][side]}
            for side in MODEL_ORDER}


def _figures(run: _Run) -> list[_Figure]:
    out: list[_Figure] = []
    summaries = _plotted_summaries(run)
    if summaries:
        out.append(_Figure("success.png", "Average success per group (bars: bootstrap confidence interval over tasks)",
                           _group_bars(summaries, "success", True, "average success", "Success per group", True)))
        out.append(_Figure("turns.png", "Mean turns of successful episodes per group (fewer is better)",
                           _group_bars(summaries, "mean_turns_success", False, "turns", "Turns to succeed", False)))
    for stage, records in run.curves.items():
        png = _curve_plot(stage, records)
        if png is not None:
            out.append(_Figure(f"training_{stage}.png", f"{stage.upper()} training curves against optimizer step", png))
    return out


def _write_figures(run: _Run, folder: Path, make: Callable[[Any], list[_Figure]] | None = None) -> list[_Figure]:
    """The figures ``make(run)`` draws (default: PAPRIKA's), also written as PNG files to ``folder``."""
    try:
        figures = (make or _figures)(run)
    except ImportError:
        run.notes.append("matplotlib is not installed: the report has no figures (pip install matplotlib).")
        return []
    if figures:
        folder.mkdir(parents=True, exist_ok=True)
    for figure in figures:
        (folder / figure.name).write_bytes(figure.png)
    return figures


# =========================================================================== the episodes embedded
def _stable_key(task_id: str) -> str:
    return hashlib.sha1(task_id.encode("utf-8")).hexdigest()


def _task_order(episodes: Mapping[str, Sequence[Trajectory]]) -> list[str]:
    """Task ids interleaved over groups, each group in stable-hash order: any prefix is balanced."""
    by_group: dict[str, set[str]] = defaultdict(set)
    for rows in episodes.values():
        for t in rows:
            by_group[t.group].add(t.task_id)
    queues = [sorted(by_group[g], key=_stable_key) for g in sorted(by_group)]
    order: list[str] = []
    for i in range(max((len(q) for q in queues), default=0)):
        order += [q[i] for q in queues if i < len(q)]
    return order


def select_episodes(episodes: Mapping[str, Sequence[Trajectory]], limit: int) -> tuple[list[tuple[str, Trajectory]], str | None]:
    """The (model, episode) pairs to embed, and a note when only a subset of tasks fits.

    Whole tasks are kept (every sample, of every model) so base and tuned stay comparable.
    """
    everything = [(m, t) for m, rows in episodes.items() for t in rows]
    if len(everything) <= limit:
        return everything, None
    count = Counter(t.task_id for _, t in everything)
    chosen: set[str] = set()
    used = 0
    for task in _task_order(episodes):
        if used + count[task] <= limit:
            chosen.add(task)
            used += count[task]
    subset = [(m, t) for m, t in everything if t.task_id in chosen]
    note = (f"The viewer embeds {len(subset)} of {len(everything)} evaluation episodes: every episode of "
            f"{len(chosen)} of {len(count)} tasks, chosen by a stable hash of the task id and balanced over "
            f"groups, to keep this file small (limit {limit}). All episodes are in eval/<model>/trajectories.jsonl.")
    return subset, note


def _episode_record(model: str, t: Trajectory) -> dict[str, Any]:
    return {
        "model": model, "id": t.id, "task": t.task_id, "group": t.group, "success": M.episode_success(t),
        "turns": t.num_turns, "stop": t.stop_reason, "invalid": t.invalid_actions, "format_errors": t.format_errors,
        "score": t.score, "seed": t.seed, "sample": t.sample_index,
        "messages": [[str(m.get("role", "")), str(m.get("content", ""))] for m in t.messages],
    }


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: '<', '>' and '&' only ever appear as escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


# =========================================================================== HTML pieces
def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], last_is_total: bool = True) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = ' class="total"' if last_is_total and i == len(rows) - 1 else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>")
    return f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{_e(anchor)}"><h2>{_e(title)}</h2>{body}</section>'


def _results_section(run: _Run) -> str:
    parts = []
    if run.comparison is not None:
        parts.append(f"<p class=\"headline\">{_e(M.comparison_headline(run.comparison))}</p>")
        parts.append(_table(*M.comparison_rows(run.comparison)))
        conf = run.comparison.get("confidence")
        if conf:
            parts.append(f"<p class=\"small\">Brackets: {_e(round(100 * conf))}% bootstrap interval over tasks "
                         "(a task's samples are resampled together). Overall = macro average over groups. "
                         "Turns: mean turns of successful episodes.</p>")
    for model, summary in run.summaries.items():
        table = _table(*M.summary_rows(summary))
        label = f"{model}: {summary['overall']['episodes']} episodes on split {summary.get('split')}"
        if run.comparison is None:
            parts.append(f"<h3>{_e(label)}</h3>{table}")
        else:
            parts.append(f"<details><summary>{_e(label)}</summary>{table}</details>")
    if not parts:
        parts.append("<p>No evaluation results in this run.</p>")
    return _section("results", "Evaluation", "".join(parts))


def _figures_section(figures: Sequence[_Figure]) -> str:
    if not figures:
        return ""
    items = []
    for f in figures:
        data = base64.b64encode(f.png).decode("ascii")
        items.append(f'<figure><img alt="{_e(f.caption)}" src="data:image/png;base64,{data}">'
                     f"<figcaption>{_e(f.caption)} ({_e('figures/' + f.name)})</figcaption></figure>")
    return _section("figures", "Figures", "".join(items))


def _training_section(run: _Run) -> str:
    parts = []
    for stage, records in run.curves.items():
        last = records[-1]
        values = ", ".join(f"{k} {last[k]:.4g}" for k in CURVES[stage] if isinstance(last.get(k), (int, float)))
        parts.append(f"<p>{_e(stage.upper())}: {len(records)} logged steps, last step {_e(last['step'])}"
                     f"{': ' + _e(values) if values else ''}.</p>")
    if run.train:
        parts.append("<h3>Self-generated training trajectories</h3>" + _table(*_train_rows(run.train)))
    return _section("training", "Training", "".join(parts)) if parts else ""


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


def _viewer_section(run: _Run, limit: int, record: Callable[[str, Trajectory], dict[str, Any]] | None = None,
                    intro: str = "") -> tuple[str, str]:
    """The viewer's markup and its embedded data (empty when there are no episodes); ``record`` turns
    an episode into what the viewer shows (default: the episode as it is)."""
    if not run.episodes:
        return "", ""
    chosen, note = select_episodes(run.episodes, limit)
    models = list(run.episodes)
    chosen.sort(key=lambda mt: (mt[1].group, mt[1].task_id, mt[1].sample_index, models.index(mt[0])))
    data = script_json({"episodes": [(record or _episode_record)(m, t) for m, t in chosen]})
    note_html = f'<p class="note">{_e(note)}</p>' if note else ""
    markup = _section("episodes", "Evaluation episodes", intro + note_html + VIEWER_HTML)
    return markup, f'<script type="application/json" id="episode-data">{data}</script>'


def _notes_section(notes: Sequence[str]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{_e(n)}</li>" for n in notes)
    return _section("notes", "Notes", f'<ul class="notes">{items}</ul>')


def _config_section(text: str | None) -> str:
    if text is None:
        return ""
    return _section("config", "Configuration",
                    f"<details><summary>config.yaml</summary><pre>{_e(text)}</pre></details>")


# =========================================================================== the page
def write_report(run_dir: str | Path, *, title: str | None = None, max_episodes: int = MAX_EPISODES) -> Path:
    """Write ``run_dir/report.html`` (and ``run_dir/figures/*.png``) from whatever the run holds."""
    root = _run_root(run_dir, max_episodes)
    run = _load_run(root)
    figures = _write_figures(run, root / "figures")
    viewer, data = _viewer_section(run, max_episodes)
    page_title = title or f"curiosa run: {root.resolve().name}"
    return _write_page(root, page_title, [_notes_section(run.notes), _results_section(run), _figures_section(figures),
                                          _training_section(run), viewer, _config_section(run.config_text)], data)


def _run_root(run_dir: str | Path, max_episodes: int) -> Path:
    """The run directory of a report, with the report's arguments checked."""
    root = Path(run_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"run directory {root} does not exist")
    if max_episodes < 0:
        raise ValueError(f"max_episodes must be at least 0, got {max_episodes}")
    return root


def _write_page(root: Path, title: str, sections: Sequence[str], data: str) -> Path:
    """``root/report.html`` from its sections and the viewer's embedded data, written atomically."""
    body = f"<header><h1>{_e(title)}</h1></header>" + "".join(sections)
    page = PAGE.format(title=_e(title), css=CSS, body=body, data=data, script=VIEWER_JS if data else "")
    out = root / "report.html"
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<main>
{body}
</main>
{data}
<script>{script}</script>
</body>
</html>
"""

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .3rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; background: #fff; }
th, td { border: 1px solid #ddd; padding: .3rem .6rem; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f0f0; } tr.total td { font-weight: 600; background: #f7f3ef; }
.headline { font-size: 1.1rem; font-weight: 600; } .small { font-size: .85rem; color: #555; }
.note, .notes li { color: #7a4b00; } .notes { background: #fff8e6; padding: .6rem 1.8rem; border-radius: 6px; }
figure { display: inline-block; margin: .6rem 1rem .6rem 0; vertical-align: top; }
figure img { max-width: 100%; border: 1px solid #eee; background: #fff; }
figcaption { font-size: .85rem; color: #555; max-width: 700px; }
details { margin: .5rem 0; } summary { cursor: pointer; }
pre { background: #f4f4f4; padding: .8rem; overflow: auto; font-size: .85rem; }
.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin: .6rem 0; }
.filters label { font-size: .9rem; }
.viewer { display: grid; grid-template-columns: minmax(240px, 340px) 1fr; gap: 1rem; }
.episode-list { max-height: 75vh; overflow: auto; border: 1px solid #ddd; background: #fff; }
.episode-list button { display: block; width: 100%; text-align: left; border: 0; border-bottom: 1px solid #eee;
  background: none; padding: .4rem .6rem; font: inherit; font-size: .85rem; cursor: pointer; }
.episode-list button:hover, .episode-list button.active { background: #fdf0e8; }
.ok { color: #1a7f37; } .fail { color: #b42318; }
.episode-detail { min-height: 200px; }
.episode-meta { font-size: .9rem; margin-bottom: .6rem; }
.msg { border-radius: 8px; padding: .5rem .8rem; margin: .4rem 0; white-space: pre-wrap; word-break: break-word;
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85rem; }
.msg .role { display: block; font-family: system-ui, sans-serif; font-size: .75rem; font-weight: 600;
  text-transform: uppercase; color: #555; margin-bottom: .2rem; }
.msg.user { background: #eef2f7; margin-right: 12%; }
.msg.assistant { background: #fdf0e8; margin-left: 12%; border-left: 3px solid #d9622b; }
.msg.system { background: #f1f1f1; font-style: italic; }
"""

VIEWER_HTML = """
<div class="filters">
  <label>Model <select id="f-model"><option value="">all</option></select></label>
  <label>Group <select id="f-group"><option value="">all</option></select></label>
  <label>Outcome <select id="f-outcome"><option value="">all</option><option value="success">success</option>
    <option value="failure">failure</option></select></label>
  <label>Task id <input id="f-task" type="search" placeholder="search task id"></label>
  <span id="f-count" class="small"></span>
</div>
<div class="viewer">
  <div class="episode-list" id="episode-list"></div>
  <div class="episode-detail" id="episode-detail"><p class="small">Click an episode to read it turn by turn.</p></div>
</div>
"""

VIEWER_JS = """
(function () {
  "use strict";
  var LIST_LIMIT = 500;
  var episodes = JSON.parse(document.getElementById("episode-data").textContent).episodes;
  var byId = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  };
  function fill(select, values) {
    values.forEach(function (v) { var o = el("option", null, v); o.value = v; select.appendChild(o); });
  }
  function unique(key) {
    var seen = {}; episodes.forEach(function (e) { seen[e[key]] = true; }); return Object.keys(seen).sort();
  }
  fill(byId("f-model"), unique("model"));
  fill(byId("f-group"), unique("group"));
  function matches(e) {
    var model = byId("f-model").value, group = byId("f-group").value, outcome = byId("f-outcome").value;
    var task = byId("f-task").value.trim().toLowerCase();
    return (!model || e.model === model) && (!group || e.group === group) &&
      (!outcome || (outcome === "success") === e.success) &&
      (!task || e.task.toLowerCase().indexOf(task) !== -1);
  }
  function show(e, button) {
    var active = document.querySelectorAll(".episode-list button.active");
    Array.prototype.forEach.call(active, function (b) { b.classList.remove("active"); });
    button.classList.add("active");
    var detail = byId("episode-detail");
    detail.textContent = "";
    detail.appendChild(el("h3", null, e.id + " (" + e.model + ")"));
    var meta = el("div", "episode-meta");
    meta.appendChild(el("span", e.success ? "ok" : "fail", e.success ? "success" : "failure"));
    meta.appendChild(document.createTextNode(" | group " + e.group + " | task " + e.task + " | turns " + e.turns +
      " | stop reason " + e.stop + " | invalid actions " + e.invalid + " | resampled replies " + e.format_errors +
      " | score " + e.score + " | seed " + e.seed));
    detail.appendChild(meta);
    e.messages.forEach(function (m) {
      var role = m[0] === "assistant" || m[0] === "system" ? m[0] : "user";
      var box = el("div", "msg " + role);
      box.appendChild(el("span", "role", m[0] === "assistant" ? "agent" : m[0] === "user" ? "environment" : m[0]));
      box.appendChild(document.createTextNode(m[1]));
      detail.appendChild(box);
    });
  }
  function render() {
    var list = byId("episode-list");
    list.textContent = "";
    var hits = episodes.filter(matches);
    hits.slice(0, LIST_LIMIT).forEach(function (e) {
      var b = el("button");
      b.type = "button";
      b.appendChild(el("span", e.success ? "ok" : "fail", e.success ? "\\u2713 " : "\\u2717 "));
      b.appendChild(document.createTextNode(e.model + " \\u00b7 " + e.id + " \\u00b7 " + e.turns + " turns"));
      b.addEventListener("click", function () { show(e, b); });
      list.appendChild(b);
    });
    byId("f-count").textContent = hits.length + " episodes" +
      (hits.length > LIST_LIMIT ? " (listing the first " + LIST_LIMIT + ")" : "");
  }
  ["f-model", "f-group", "f-outcome"].forEach(function (id) { byId(id).addEventListener("change", render); });
  byId("f-task").addEventListener("input", render);
  render();
})();
"""
