"""The HTML report of a SCoRe run (``curiosa score``): one self-contained page.

Run directory layout read here (every part is optional: a missing or unreadable part is skipped
and the page says what is missing, so a run that stopped early still gets a report)::

    run_dir/config.yaml                     the run's config (shown collapsed)
    run_dir/metrics.json                    {"group", "levels", "eval_problems", "methods": {method:
                                            summarize_self_correction()}, "models", "result"}
    run_dir/eval/<method>/trajectories.jsonl  two-attempt evaluation episodes of each method
    run_dir/eval/<method>/summary.json      a method's summary (used when metrics.json lacks it;
                                            recomputed from the episodes when both are absent)
    run_dir/rl/<method>/metrics.jsonl       RL training curve (reward_t1, reward_t2, ... per step)
    run_dir/<star|pair_sft>/metrics.jsonl   SFT baselines' training curves
    run_dir/timings.json                    wall time of each stage

Written::

    run_dir/report.html                     the page
    run_dir/figures/*.png                   the page's figures, also as files

The page is built from ``curiosa.evaluation.html``, as the PAPRIKA report is: same page template,
CSS, tables, escaping, figure embedding and episode viewer, so it opens offline and no model text
is ever parsed as HTML (see that package's docstring). The viewer shows each episode
attempt by attempt: after each reply a line says whether that attempt was correct (its answer and
reward), the list marks each episode with its two outcomes (e.g. ``wrong -> correct``), and the
outcome filter selects on the second attempt's correctness (Acc@t2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from curiosa.evaluation.html.figures import Figure, error_bars, figures_section, new_figure, png_bytes, write_figures
from curiosa.evaluation.html.markup import config_section, escape, notes_section, section, table
from curiosa.evaluation.html.page import write_page
from curiosa.evaluation.html.run_files import (
    RunFiles, load_config, load_curve, read_json, read_trajectories, run_root,
)
from curiosa.evaluation.html.viewer import episode_record, viewer_section
from curiosa.evaluation.self_correction import (
    LABELS, METRICS, attempts, result_checks, summarize_self_correction, table_rows,
)
from curiosa.rollout.trajectory import Trajectory

MAX_EPISODES = 2000
"""Default cap on the episodes embedded in the page's viewer."""

METHOD_ORDER = ("base", "star", "pair_sft", "single_turn_rl", "stage2_only", "alpha0", "score")
"""Every method of a SCoRe run, in table order (``curiosa.pipelines.score``: base, BASELINES, score)."""
SFT_METHODS = ("star", "pair_sft")
RL_METHODS = ("single_turn_rl", "stage2_only", "alpha0", "score")
COLORS = {"base": "#8c8c8c", "star": "#6a9fd4", "pair_sft": "#2f6db3", "single_turn_rl": "#9bc47a",
          "stage2_only": "#4f9a3a", "alpha0": "#b58bd1", "score": "#d9622b"}
ATTEMPT_COLORS = ("#9bb7d9", "#d9622b")
TRANSITION_COLORS = ("#1a7f37", "#b42318")


# =========================================================================== reading the run
@dataclass
class _ScoreRun(RunFiles):
    """``RunFiles`` (notes, config, episodes, summaries, curves keyed ``rl/<method>`` or ``<sft method>``)
    plus what only a SCoRe run has."""

    info: dict[str, Any] = field(default_factory=dict)
    """metrics.json's group, levels and eval_problems."""
    result: dict[str, Any] | None = None
    """metrics.json's learning-result checks (None: absent)."""
    result_recomputed: bool = False
    models: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, Any] | None = None
    expected: list[str] = field(default_factory=lambda: list(METHOD_ORDER))
    """The methods this run was meant to have (from config.yaml's baselines when readable)."""


def _is_summary(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(m), (int, float)) for m in METRICS)


def _ordered(names: Sequence[str] | set[str]) -> list[str]:
    known = [m for m in METHOD_ORDER if m in names]
    return known + sorted(set(names) - set(METHOD_ORDER))


def _expected_methods(config_text: str | None) -> list[str]:
    """base, the configured baselines and score; every method when the config cannot say."""
    if config_text is None:
        return list(METHOD_ORDER)
    try:
        import yaml

        baselines = (yaml.safe_load(config_text) or {}).get("baselines")
    except Exception:  # noqa: BLE001 - an unreadable config only loses this detail
        return list(METHOD_ORDER)
    if not isinstance(baselines, list):
        return list(METHOD_ORDER)
    return _ordered({"base", "score", *map(str, baselines)})


def _load_metrics(run: _ScoreRun) -> None:
    path = run.root / "metrics.json"
    if not path.is_file():
        run.notes.append("metrics.json not found: results are taken from eval/<method>/.")
        return
    value = read_json(path, run)
    if value is None:
        return
    if not isinstance(value, dict) or not isinstance(value.get("methods"), dict):
        run.notes.append("metrics.json is not a SCoRe result (no 'methods'); results are taken from eval/<method>/.")
        return
    run.info = {k: value[k] for k in ("group", "levels", "eval_problems") if k in value}
    for name, summary in value["methods"].items():
        if _is_summary(summary):
            run.summaries[str(name)] = summary
        else:
            run.notes.append(f"metrics.json: the entry of {name} is not a self-correction summary; ignored.")
    if isinstance(value.get("models"), dict):
        run.models = value["models"]
    if isinstance(value.get("result"), dict) and value["result"]:
        run.result = value["result"]
    if isinstance(value.get("skipped"), dict):
        run.notes += [f"{name} was skipped: {reason}" for name, reason in value["skipped"].items()]


def _load_method(run: _ScoreRun, name: str) -> None:
    folder = run.root / "eval" / name
    if (folder / "trajectories.jsonl").is_file():
        episodes = read_trajectories(folder / "trajectories.jsonl", run)
        if episodes is not None and not episodes:
            run.notes.append(f"eval/{name}/trajectories.jsonl is empty.")
        elif episodes:
            run.episodes[name] = episodes
    if name in run.summaries:
        return
    if (folder / "summary.json").is_file():
        summary = read_json(folder / "summary.json", run)
        if _is_summary(summary):
            run.summaries[name] = summary
            return
        if summary is not None:
            run.notes.append(f"eval/{name}/summary.json is not a self-correction summary; ignored.")
    if name in run.episodes:
        try:
            run.summaries[name] = summarize_self_correction(run.episodes[name])
            run.notes.append(f"{name}: no summary in metrics.json or eval/{name}/summary.json; "
                             "recomputed from its evaluation episodes.")
        except ValueError as err:
            run.notes.append(f"eval/{name}: cannot summarize the episodes ({err}).")


def _load_result(run: _ScoreRun) -> None:
    """metrics.json's verdict; when it is absent but SCoRe was evaluated, the pipeline's own checks."""
    if run.result is not None or "score" not in run.summaries:
        return
    run.result = result_checks({k: dict(v) for k, v in run.summaries.items()})
    run.result_recomputed = True


def _load_curves(run: _ScoreRun) -> None:
    rl_dir = run.root / "rl"
    found_rl = {p.name for p in rl_dir.iterdir() if p.is_dir()} if rl_dir.is_dir() else set()
    for name in _ordered(found_rl | ({*RL_METHODS} & (set(run.summaries) | set(run.expected)))):
        if (rl_dir / name / "metrics.jsonl").is_file():
            load_curve(run, f"rl/{name}")
        elif name in run.expected or name in run.summaries:
            run.notes.append(f"rl/{name}/metrics.jsonl not found: no training curve of {name}.")
    for name in SFT_METHODS:
        if (run.root / name / "metrics.jsonl").is_file():
            load_curve(run, name)
        elif name in run.expected or name in run.summaries:
            run.notes.append(f"{name}/metrics.jsonl not found: no training curve of {name}.")


def _load_run(root: Path) -> _ScoreRun:
    run = _ScoreRun(root=root)
    load_config(run)
    run.expected = _expected_methods(run.config_text)
    _load_metrics(run)
    eval_dir = root / "eval"
    found = {p.name for p in eval_dir.iterdir() if p.is_dir()} if eval_dir.is_dir() else set()
    for name in _ordered(found | set(run.summaries)):
        _load_method(run, name)
    run.summaries = {name: run.summaries[name] for name in _ordered(set(run.summaries))}
    if not run.summaries:
        run.notes.append("No evaluation found: neither metrics.json nor eval/<method>/ holds a result.")
    _load_result(run)
    _load_curves(run)
    timings = root / "timings.json"
    if timings.is_file():
        value = read_json(timings, run)
        if isinstance(value, dict):
            run.timings = value
        elif value is not None:
            run.notes.append("timings.json is not a mapping of stage to seconds; ignored.")
    return run


def _rl_curves(run: _ScoreRun) -> dict[str, list[dict[str, Any]]]:
    return {k.removeprefix("rl/"): v for k, v in run.curves.items() if k.startswith("rl/")}


def _sft_curves(run: _ScoreRun) -> dict[str, list[dict[str, Any]]]:
    return {k: v for k, v in run.curves.items() if not k.startswith("rl/")}


# =========================================================================== figures
def _bars(categories: Sequence[str], series: Mapping[str, tuple[list[float], list[Any] | None]],
          colors: Mapping[str, str] | Sequence[str], ylabel: str, title: str) -> bytes:
    """Grouped bars: one group per category, one bar per series (``values, intervals or None``)."""
    fig, axes = new_figure(max(6.0, 0.9 * len(categories) * max(1, len(series)) / 2 + 2), 4.2)
    ax = axes[0][0]
    width = 0.8 / max(1, len(series))
    for i, (label, (values, intervals)) in enumerate(series.items()):
        xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(categories))]
        errors = None
        if intervals is not None:
            errors = error_bars([{"ci": ci} for ci in intervals], values, "ci")
        color = colors.get(label) if isinstance(colors, Mapping) else colors[i % len(colors)]
        ax.bar(xs, values, width, yerr=errors, capsize=3, label=label, color=color, edgecolor="white",
               error_kw={"elinewidth": 1, "ecolor": "#444"})
    ax.set_xticks(range(len(categories)), categories, rotation=30, ha="right")
    ax.axhline(0, color="#444", linewidth=0.8)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(frameon=False)
    return png_bytes(fig)


def _metric_series(summaries: Mapping[str, Mapping[str, Any]], metric: str) -> tuple[list[float], list[Any]]:
    values = [100 * s[metric] for s in summaries.values()]
    intervals = []
    for s in summaries.values():
        ci = (s.get("intervals") or {}).get(metric)
        intervals.append([100 * ci[0], 100 * ci[1]] if isinstance(ci, list) and len(ci) == 2 else None)
    return values, intervals


def _levels(summaries: Mapping[str, Mapping[str, Any]]) -> list[str]:
    levels = {str(k) for s in summaries.values() for k in (s.get("breakdown") or {})}
    return sorted(levels, key=lambda v: (0, int(v), v) if v.lstrip("-").isdigit() else (1, 0, v))


def _rl_plot(curves: Mapping[str, Sequence[Mapping[str, Any]]]) -> bytes | None:
    keys = ("reward_t1", "reward_t2")
    methods = [m for m, rows in curves.items() if any(isinstance(r.get(k), (int, float)) for r in rows for k in keys)]
    if not methods:
        return None
    fig, axes = new_figure(4.0 * len(methods), 3.4, 1, len(methods))
    for ax, method in zip(axes[0], methods):
        rows = curves[method]
        for key, color in zip(keys, ATTEMPT_COLORS):
            points = [(r["step"], r[key]) for r in rows if isinstance(r.get(key), (int, float))]
            ax.plot([p[0] for p in points], [p[1] for p in points], color=color, label=key,
                    marker="." if len(points) < 50 else None)
        for before, after in zip(rows, rows[1:]):  # phase boundaries (Stage I -> Stage II ...)
            if (before.get("phase"), before.get("stage")) != (after.get("phase"), after.get("stage")):
                ax.axvline((before["step"] + after["step"]) / 2, color="#999", linestyle="--", linewidth=0.8)
        stages = " -> ".join(_stages(rows))
        ax.set_title(f"{method}" + (f" ({stages})" if stages else ""), fontsize=10)
        ax.set_xlabel("step")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_ylim(-0.05, 1.05)
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=8)
    fig.suptitle("RL training: mean reward of attempt 1 and attempt 2")
    return png_bytes(fig)


def _sft_plot(curves: Mapping[str, Sequence[Mapping[str, Any]]]) -> bytes | None:
    lines = {m: [(r["step"], r["loss"]) for r in rows if isinstance(r.get("loss"), (int, float))]
             for m, rows in curves.items()}
    lines = {m: points for m, points in lines.items() if points}
    if not lines:
        return None
    fig, axes = new_figure(5.0, 3.4)
    ax = axes[0][0]
    for method, points in lines.items():
        ax.plot([p[0] for p in points], [p[1] for p in points], color=COLORS.get(method), label=method,
                marker="." if len(points) < 50 else None)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("SFT baselines: training loss")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return png_bytes(fig)


def _figures(run: _ScoreRun) -> list[Figure]:
    out: list[Figure] = []
    summaries = run.summaries
    methods = list(summaries)
    if summaries:
        conf = _confidence(summaries)
        series = {"Acc@t1": _metric_series(summaries, "accuracy_t1"), "Acc@t2": _metric_series(summaries, "accuracy_t2")}
        out.append(Figure("accuracy.png", f"Accuracy at attempt 1 and attempt 2 per method (bars: {conf} interval)",
                          _bars(methods, series, ATTEMPT_COLORS, "% of problems", "Acc@t1 and Acc@t2")))
        series = {"Delta i->c": _metric_series(summaries, "delta_i_to_c"),
                  "Delta c->i": _metric_series(summaries, "delta_c_to_i")}
        out.append(Figure("transitions.png", "Problems fixed (i->c) and broken (c->i) by the second attempt, per "
                          f"method (bars: {conf} interval)",
                          _bars(methods, series, TRANSITION_COLORS, "% of problems", "Delta i->c and Delta c->i")))
    png = _rl_plot(_rl_curves(run))
    if png is not None:
        out.append(Figure("training_rl.png", "RL training curves: reward of attempt 1 and attempt 2 against step "
                          "(dashed: phase boundaries)", png))
    levels = _levels(summaries)
    if levels:
        series = {m: ([100 * ((s.get("breakdown") or {}).get(lv) or {}).get("delta", float("nan")) for lv in levels], None)
                  for m, s in summaries.items() if s.get("breakdown")}
        by = next((s.get("by") for s in summaries.values() if s.get("by")), "level")
        out.append(Figure("levels.png", f"Delta(t1,t2) per {by} and method",
                          _bars([f"{by} {lv}" for lv in levels], series, COLORS, "Delta (points)",
                                f"Delta(t1,t2) per {by}")))
    png = _sft_plot(_sft_curves(run))
    if png is not None:
        out.append(Figure("training_sft.png", "SFT baselines' training loss against optimizer step", png))
    return out


# =========================================================================== HTML sections
def _confidence(summaries: Mapping[str, Mapping[str, Any]]) -> str:
    conf = next((s.get("confidence") for s in summaries.values() if s.get("confidence")), 0.95)
    return f"{round(100 * conf)}%"


def _points(value: Any) -> str:
    return f"{100 * value:+.1f}" if isinstance(value, (int, float)) else "-"


def _verdict(run: _ScoreRun) -> str:
    if run.result is None:  # with SCoRe evaluated, _load_result always gives one
        return "<p class=\"note\">No learning-result verdict: SCoRe was not evaluated.</p>"
    r = run.result
    checks = [("delta_positive", "SCoRe's Delta(t1,t2) is positive", _points(r.get("score_delta"))),
              ("i_to_c_above_c_to_i", "SCoRe fixes more than it breaks: Delta i->c above Delta c->i",
               _i_to_c_text(run.summaries.get("score"))),
              ("above_every_other_delta", "SCoRe's Delta is above every other method's",
               ", ".join(f"{k} {_points(v)}" for k, v in (r.get("other_deltas") or {}).items()) or "no other method")]
    ok = all(bool(r.get(k)) for k, _, _ in checks)
    verdict = "self-correction learned" if ok else "self-correction not shown on this run"
    interval = r.get("delta_interval")
    if interval:  # not part of the verdict: says whether SCoRe's lead is more than noise
        checks.append(("interval_above_zero", "(beyond noise) SCoRe's Delta 95% interval lies above zero",
                       f"[{_points(interval[0])}, {_points(interval[1])}]"))
    rows = "".join(f"<tr><td>{escape(text)}</td><td>{escape(value)}</td>"
                   f"<td class=\"{'ok' if r.get(key) else 'fail'}\">{'yes' if r.get(key) else 'no'}</td></tr>"
                   for key, text, value in checks)
    recomputed = (" <span class=\"small\">(metrics.json has no result: checked here from the evaluations)</span>"
                  if run.result_recomputed else "")
    return (f"<p class=\"headline\">Learning result: <span class=\"{'ok' if ok else 'fail'}\">{escape(verdict)}</span>"
            f" (SCoRe Delta(t1,t2) {escape(_points(r.get('score_delta')))} points){recomputed}</p>"
            f"<table><thead><tr><th>check</th><th>values (points)</th><th>passed</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _i_to_c_text(summary: Mapping[str, Any] | None) -> str:
    if summary is None:
        return "-"
    return f"i->c {_points(summary['delta_i_to_c'])}, c->i {_points(summary['delta_c_to_i'])}"


def _results_section(run: _ScoreRun) -> str:
    parts = []
    info = run.info
    if info:
        levels = info.get("levels") or []
        parts.append(f"<p>Task group {escape(info.get('group', '?'))}, difficulty levels "
                     f"{escape(', '.join(map(str, levels)) if levels else 'all')}, "
                     f"{escape(info.get('eval_problems', '?'))} held-out problems.</p>")
    parts.append(_verdict(run))
    if run.summaries:
        parts.append(table(*table_rows(run.summaries), last_is_total=False))
        episodes = ", ".join(f"{m} {s.get('episodes', '?')}" for m, s in run.summaries.items())
        parts.append(f"<p class=\"small\">Percent of problems. Delta(t1,t2) = Acc@t2 - Acc@t1 = Delta i->c - "
                     f"Delta c->i; brackets: {escape(_confidence(run.summaries))} bootstrap interval over problems; "
                     f"changed: answers changed at attempt 2. Episodes: {escape(episodes)}.</p>")
        parts.append(_breakdown(run.summaries))
    else:
        parts.append("<p>No evaluation results in this run.</p>")
    missing = [m for m in run.expected if m not in run.summaries]
    if missing:
        parts.append(f"<p class=\"note\">Not in this run (no entry in metrics.json, no eval/&lt;method&gt;/): "
                     f"{escape(', '.join(missing))}.</p>")
    if run.models:
        rows = [[str(m), str(path)] for m, path in run.models.items()]
        parts.append("<details><summary>Models evaluated</summary>"
                     + table(["method", "model"], rows, last_is_total=False) + "</details>")
    return section("results", "Self-correction results", "".join(parts))


def _breakdown(summaries: Mapping[str, Mapping[str, Any]]) -> str:
    levels = _levels(summaries)
    if not levels:
        return ""
    by = next((s.get("by") for s in summaries.values() if s.get("by")), "level")
    header = ["method", *(f"{by} {lv}: {LABELS[m]}" for lv in levels for m in ("accuracy_t1", "accuracy_t2", "delta"))]
    rows = []
    for method, s in summaries.items():
        cells = [method]
        for lv in levels:
            part = (s.get("breakdown") or {}).get(lv) or {}
            for m in ("accuracy_t1", "accuracy_t2", "delta"):
                value = part.get(m)
                cells.append("-" if value is None else (_points(value) if m == "delta" else f"{100 * value:.1f}"))
        rows.append(cells)
    return f"<details><summary>Per {escape(by)}</summary>{table(header, rows, last_is_total=False)}</details>"


def _stages(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    out: list[str] = []
    for r in rows:
        stage = r.get("stage")
        if stage is not None and (not out or out[-1] != str(stage)):
            out.append(str(stage))
    return out


def _last(rows: Sequence[Mapping[str, Any]], key: str) -> str:
    values = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
    return f"{values[-1]:.4g}" if values else "-"


def _first(rows: Sequence[Mapping[str, Any]], key: str) -> str:
    values = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
    return f"{values[0]:.4g}" if values else "-"


def _training_section(run: _ScoreRun) -> str:
    parts = []
    rl = _rl_curves(run)
    if rl:
        header = ["method", "steps", "stages", "reward_t1 first", "reward_t1 last", "reward_t2 first",
                  "reward_t2 last", "i_to_c last", "c_to_i last", "kl_attempt1 last", "kl_attempt2 last"]
        rows = [[m, str(len(r)), " -> ".join(_stages(r)) or "-", _first(r, "reward_t1"), _last(r, "reward_t1"),
                 _first(r, "reward_t2"), _last(r, "reward_t2"), _last(r, "i_to_c"), _last(r, "c_to_i"),
                 _last(r, "kl_attempt1"), _last(r, "kl_attempt2")] for m, r in rl.items()]
        parts.append("<h3>RL</h3>" + table(header, rows, last_is_total=False))
    else:
        parts.append("<p class=\"note\">No RL training curves: no rl/&lt;method&gt;/metrics.jsonl in this run.</p>")
    sft = _sft_curves(run)
    if sft:
        rows = [[m, str(len(r)), _first(r, "loss"), _last(r, "loss")] for m, r in sft.items()]
        parts.append("<h3>SFT baselines</h3>" + table(["method", "steps", "loss first", "loss last"], rows,
                                                        last_is_total=False))
    elif any(m in run.expected for m in SFT_METHODS):
        parts.append("<p class=\"note\">No SFT training curves: no star/ or pair_sft/metrics.jsonl in this run.</p>")
    return section("training", "Training", "".join(parts))


def _timings_section(run: _ScoreRun) -> str:
    if run.timings is None:
        return section("timings", "Timings", "<p class=\"note\">timings.json not found.</p>")
    rows = [[str(k), f"{v:.1f}"] for k, v in run.timings.items() if isinstance(v, (int, float))]
    if not rows:
        return section("timings", "Timings", "<p class=\"note\">timings.json holds no stage time.</p>")
    total = sum(v for v in run.timings.values() if isinstance(v, (int, float)))
    rows.append(["total", f"{total:.1f}"])
    return section("timings", "Timings", table(["stage", "seconds"], rows))


# =========================================================================== the episodes embedded
def _word(correct: bool) -> str:
    return "correct" if correct else "wrong"


def attempt_record(method: str, t: Trajectory) -> dict[str, Any]:
    """The viewer's record of a two-attempt episode (the shared viewer's record, plus attempts).

    After each reply a marker message says whether that attempt was correct, so the unchanged viewer
    reads the episode attempt by attempt; ``id`` carries both outcomes so the list shows them;
    ``success`` is the second attempt's correctness (the outcome filter then selects on Acc@t2).
    """
    record = episode_record(method, t)
    (r1, r2), answers = attempts(t)
    marks = []
    for k, (reward, answer) in enumerate(zip((r1, r2), answers), start=1):
        text = f"answer {answer if answer is not None else '(none: no readable answer)'}, reward {reward:g}"
        marks.append([f"attempt {k}: {_word(reward > 0)} {'✓' if reward > 0 else '✗'}", text])
    messages: list[list[str]] = []
    replies = 0
    for message in record["messages"]:
        messages.append(message)
        if message[0] == "assistant" and replies < 2:
            messages.append(marks[replies])
            replies += 1
    messages += marks[replies:]  # attempts without a reply: counted wrong, said so at the end
    record["messages"] = messages
    record["attempts"] = [{"correct": r > 0, "reward": r, "answer": a} for r, a in zip((r1, r2), answers)]
    record["transition"] = f"{'c' if r1 > 0 else 'i'}->{'c' if r2 > 0 else 'i'}"
    record["id"] = f"{t.id} [{_word(r1 > 0)} -> {_word(r2 > 0)}]"
    record["success"] = r2 > 0
    return record


def _viewer(run: _ScoreRun, limit: int) -> tuple[str, str]:
    if not run.episodes:
        return section("episodes", "Evaluation episodes",
                       "<p class=\"note\">No evaluation episodes (eval/&lt;method&gt;/trajectories.jsonl) "
                       "in this run.</p>"), ""
    intro = ("<p class=\"small\">Each episode attempt by attempt: after each reply, whether that attempt was "
             "correct. Model = method; outcome = attempt 2 correct.</p>")
    return viewer_section(run.episodes, limit, record=attempt_record, intro=intro)


# =========================================================================== the page
def write_score_report(run_dir: str | Path, *, title: str | None = None, max_episodes: int = MAX_EPISODES) -> Path:
    """Write ``run_dir/report.html`` (and ``run_dir/figures/*.png``) from whatever the SCoRe run holds."""
    root = run_root(run_dir, max_episodes)
    run = _load_run(root)
    figures = write_figures(lambda: _figures(run), root / "figures", run.notes)
    viewer, data = _viewer(run, max_episodes)
    page_title = title or f"curiosa SCoRe run: {root.resolve().name}"
    return write_page(root, page_title, [
        notes_section(run.notes), _results_section(run), figures_section(figures), _training_section(run), viewer,
        _timings_section(run), config_section(run.config_text)], data)
