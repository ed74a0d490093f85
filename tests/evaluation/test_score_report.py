import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from curiosa.evaluation.score_report import attempt_record, write_score_report
from curiosa.evaluation.self_correction import summarize_self_correction, table_rows
from curiosa.rollout.trajectory import Trajectory

ATTACK = "</script><script>alert(1)</script>"
PROMPT = "Solve: 2 + 2 <&>"
REVISE = "Look over your solution once more."
FIGURES = ("accuracy.png", "transitions.png", "training_rl.png", "levels.png", "training_sft.png")

# Outcomes (r1, r2) of each method on problems p0..p3 (difficulty 1, 1, 2, 2).
OUTCOMES = {
    "base": [(1, 0), (0, 0), (1, 1), (0, 0)],
    "star": [(1, 1), (0, 0), (1, 1), (0, 0)],
    "single_turn_rl": [(1, 1), (1, 1), (0, 0), (0, 0)],
    "score": [(0, 1), (1, 1), (0, 1), (1, 0)],
}
LEVELS = {"p0": 1, "p1": 1, "p2": 2, "p3": 2}


def episode(task: str, r1: int, r2: int, text: str = "Answer: 4", model: str = "tiny") -> Trajectory:
    a1, a2 = ("4" if r1 else "5"), ("4" if r2 else "6")
    messages = [{"role": "user", "content": PROMPT}, {"role": "assistant", "content": f"{text} (first {a1})"},
                {"role": "user", "content": REVISE}, {"role": "assistant", "content": f"{text} (second {a2})"},
                {"role": "user", "content": "Your final answer is " + ("correct." if r2 else "not correct.")}]
    feedback = {"attempt_rewards": [float(r1), float(r2)], "attempt_answers": [a1, a2], "correct": bool(r2)}
    return Trajectory(id=f"{task}#0", task_id=task, group="math_synthetic", split="test", sample_index=0,
                      messages=messages, success=bool(r2), num_turns=2, score=float(r2), invalid_actions=0,
                      stop_reason="success" if r2 else "failure", policy={"model": model}, seed=0,
                      info={"final_feedback": feedback, "max_turns": 2})


def method_episodes(method: str) -> list[Trajectory]:
    text = ATTACK if method == "base" else "Answer: 4"
    return [episode(f"p{i}", r1, r2, text=text, model=method) for i, (r1, r2) in enumerate(OUTCOMES[method])]


def summary(method: str) -> dict:
    params = {k: {"difficulty": v} for k, v in LEVELS.items()}
    return summarize_self_correction(method_episodes(method), task_params=params, resamples=50)


def write_jsonl(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((r.to_json() if isinstance(r, Trajectory) else json.dumps(r)) + "\n" for r in rows),
                    encoding="utf-8")


def rl_curve(stages):
    return [{"step": s, "stage": stage, "phase": 1 + (stage == "stage2"), "reward_t1": 0.1 * s, "reward_t2": 0.2 * s,
             "training_reward": 0.2 * s, "i_to_c": 0.1, "c_to_i": 0.0, "kl_attempt1": 0.01, "kl_attempt2": 0.02,
             "loss": 1.0 / s} for s, stage in enumerate(stages, start=1)]


@pytest.fixture
def full_run(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    summaries = {m: summary(m) for m in OUTCOMES}
    others = {m: s["delta"] for m, s in summaries.items() if m != "score"}
    result = {"score_delta": summaries["score"]["delta"], "delta_positive": True, "i_to_c_above_c_to_i": True,
              "above_every_other_delta": True, "other_deltas": others}
    metrics = {"group": "math_synthetic", "levels": [1, 2], "eval_problems": 4, "methods": summaries,
               "models": {m: f"/models/{m}" for m in OUTCOMES}, "result": result}
    (run / "metrics.json").write_text(json.dumps(metrics))
    for m in OUTCOMES:
        write_jsonl(run / "eval" / m / "trajectories.jsonl", method_episodes(m))
    write_jsonl(run / "rl" / "score" / "metrics.jsonl", rl_curve(["stage1", "stage1", "stage2", "stage2"]))
    write_jsonl(run / "rl" / "single_turn_rl" / "metrics.jsonl", rl_curve(["single_turn"] * 4))
    write_jsonl(run / "star" / "metrics.jsonl", [{"step": 1, "loss": 0.75}, {"step": 2, "loss": 0.5}])
    (run / "timings.json").write_text(json.dumps({"base": 0.0, "star": 1.5, "score": 12.25, "eval_score": 2.0}))
    (run / "config.yaml").write_text("baselines: [star, single_turn_rl]\nnote: <b>bold & \"quoted\"</b>\n")
    return run


class Page(HTMLParser):
    """Collects script bodies, attribute URLs and visible text of the page."""

    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.urls: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [v for k, v in attrs.items() if k in ("src", "href") and v]
        if tag == "script":
            self._in_script = True
            self.scripts.append((attrs, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def visible(path: Path) -> str:
    return re.sub(r"\s+", " ", "".join(parse(path).text))


def embedded_episodes(page: Page) -> list[dict]:
    (body,) = [b for a, b in page.scripts if a.get("id") == "episode-data"]
    return json.loads(body)["episodes"]


def test_full_report_table_verdict_figures_timings_config(full_run):
    out = write_score_report(full_run, title="SCoRe <run>")
    assert out == full_run / "report.html"
    html_text = out.read_text(encoding="utf-8")
    assert "<title>SCoRe &lt;run&gt;</title>" in html_text
    metrics = json.loads((full_run / "metrics.json").read_text())
    header, rows = table_rows(metrics["methods"])
    assert "".join(f"<th>{h.replace('>', '&gt;')}</th>" for h in header) in html_text
    for row in rows:  # every method's row, in metrics.json's order
        assert "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" in html_text
    assert [r[0] for r in rows] == list(OUTCOMES)
    assert "<td>score</td><td>50.0</td><td>75.0</td><td>+25.0 [" in html_text
    text = visible(out)
    assert "Learning result: self-correction learned" in text
    assert "SCoRe Delta(t1,t2) +25.0 points" in text
    assert "base -25.0" in text  # other methods' Deltas in the verdict's check
    for name in FIGURES:
        assert (full_run / "figures" / name).read_bytes().startswith(b"\x89PNG"), name
    assert html_text.count("data:image/png;base64,") == len(FIGURES)
    # per-level breakdown: score on level 2 (p2: i->c, p3: c->i) has Delta +0.0, level 1 +50.0
    assert "difficulty 1: Delta(t1,t2)" in text and "<td>score</td><td>50.0</td><td>100.0</td><td>+50.0</td>" in html_text
    assert "<td>score</td><td>4</td><td>stage1 -&gt; stage2</td>" in html_text  # RL training table
    assert "<td>star</td><td>2</td><td>0.75</td><td>0.5</td>" in html_text  # SFT training table
    assert "<td>score</td><td>12.2</td>" in html_text or "<td>score</td><td>12.3</td>" in html_text
    assert '<tr class="total"><td>total</td><td>15.8</td></tr>' in html_text
    assert '<b>bold & "quoted"</b>' in text  # config shown as text, not markup
    assert "<b>bold" not in html_text
    assert "Not in this run" not in text  # config's baselines are all there


def test_no_external_resources(full_run):
    out = write_score_report(full_run)
    page = parse(out)
    assert page.urls and all(u.startswith(("data:", "#")) for u in page.urls), page.urls
    html_text = out.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html_text)
    assert "@import" not in html_text and "url(" not in html_text


def test_model_text_is_escaped(full_run):
    out = write_score_report(full_run)
    html_text = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html_text and "alert(1)</script>" not in html_text
    page = parse(out)
    assert len(page.scripts) == 2, "only the data and the viewer: no injected script"
    assert all("alert(1)" not in body for attrs, body in page.scripts if attrs.get("id") != "episode-data")
    episodes = embedded_episodes(page)  # the reply survives intact as data, for textContent
    assert any(m[1] == f"{ATTACK} (first 4)" for e in episodes if e["model"] == "base" for m in e["messages"])
    assert any(m[1] == PROMPT for e in episodes for m in e["messages"])


def test_viewer_holds_every_episode_attempt_by_attempt(full_run):
    episodes = embedded_episodes(parse(write_score_report(full_run)))
    assert len(episodes) == sum(len(v) for v in OUTCOMES.values())
    assert {e["model"] for e in episodes} == set(OUTCOMES)
    fixed = next(e for e in episodes if e["model"] == "score" and e["task"] == "p0")
    assert fixed["transition"] == "i->c" and fixed["success"] is True
    assert fixed["id"] == "p0#0 [wrong -> correct]"
    assert [a["correct"] for a in fixed["attempts"]] == [False, True]
    roles = [m[0] for m in fixed["messages"]]
    assert roles == ["user", "assistant", "attempt 1: wrong ✗", "user", "assistant", "attempt 2: correct ✓", "user"]
    assert fixed["messages"][2][1] == "answer 5, reward 0"
    broken = next(e for e in episodes if e["model"] == "base" and e["task"] == "p0")
    assert broken["transition"] == "c->i" and broken["success"] is False


def test_attempt_without_reply_is_marked_wrong():
    t = episode("p9", 1, 0)
    t.messages = t.messages[:2]
    t.info["final_feedback"] = {"attempt_rewards": [1.0], "attempt_answers": ["4"]}
    record = attempt_record("score", t)
    assert [m[0] for m in record["messages"]] == ["user", "assistant", "attempt 1: correct ✓", "attempt 2: wrong ✗"]
    assert "no readable answer" in record["messages"][-1][1]


def test_only_metrics_json_says_what_is_missing(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    summaries = {"base": summary("base"), "score": summary("score")}
    (run / "metrics.json").write_text(json.dumps({"group": "math_synthetic", "levels": [], "eval_problems": 4,
                                                  "methods": summaries, "result": {}}))
    out = write_score_report(run)
    text = visible(out)
    html_text = out.read_text(encoding="utf-8")
    assert "<td>score</td><td>50.0</td><td>75.0</td>" in html_text
    assert "Learning result: self-correction learned" in text  # metrics.json's result is empty: checked here
    assert "checked here from the evaluations" in text
    assert "Not in this run" in text and "star, pair_sft, single_turn_rl, stage2_only, alpha0" in text
    assert "config.yaml not found" in text
    assert "No RL training curves" in text and "rl/score/metrics.jsonl not found" in text
    assert "timings.json not found" in text
    assert "No evaluation episodes" in text and 'id="episode-data"' not in html_text
    assert (run / "figures" / "accuracy.png").is_file() and (run / "figures" / "levels.png").is_file()
    assert not (run / "figures" / "training_rl.png").exists()
    assert not (run / "figures" / "training_sft.png").exists()


def test_configured_method_absent(full_run):
    (full_run / "config.yaml").write_text("baselines: [star, pair_sft, single_turn_rl, stage2_only]\n")
    text = visible(write_score_report(full_run))
    assert "Not in this run (no entry in metrics.json, no eval/<method>/): pair_sft, stage2_only." in text
    assert "rl/stage2_only/metrics.jsonl not found: no training curve of stage2_only." in text
    assert "pair_sft/metrics.jsonl not found" in text


def test_without_metrics_json_results_are_recomputed_from_episodes(full_run):
    (full_run / "metrics.json").unlink()
    (full_run / "eval" / "star" / "summary.json").write_text(json.dumps(summary("star")))
    out = write_score_report(full_run)
    text = visible(out)
    html_text = out.read_text(encoding="utf-8")
    assert "metrics.json not found" in text
    assert "score: no summary in metrics.json or eval/score/summary.json; recomputed" in text
    assert "star: no summary" not in text  # its summary.json was used
    recomputed = summarize_self_correction(method_episodes("score"))
    (row,) = table_rows({"score": recomputed})[1]
    assert "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" in html_text
    assert "Learning result: self-correction learned" in text
    assert "checked here from the evaluations" in text


def test_empty_run_dir_still_gets_a_report(tmp_path):
    text = visible(write_score_report(tmp_path))
    assert "No evaluation found" in text and "No evaluation results in this run" in text
    assert "No learning-result verdict: SCoRe was not evaluated" in text
    assert "No RL training curves" in text and "timings.json not found" in text
    assert not (tmp_path / "figures").exists()


def test_corrupt_and_torn_files_become_notes(full_run):
    with open(full_run / "rl" / "score" / "metrics.jsonl", "a") as fh:
        fh.write('{"step": 5, "reward_t1"')
    with open(full_run / "eval" / "star" / "trajectories.jsonl", "a") as fh:
        fh.write("{not json}\n")
    (full_run / "timings.json").write_text("[1, 2]")
    out = write_score_report(full_run)
    text = visible(out)
    assert "rl/score/metrics.jsonl: 1 unreadable line(s) skipped." in text
    assert "eval/star/trajectories.jsonl could not be read" in text
    assert "timings.json is not a mapping" in text
    assert "<td>star</td><td>50.0</td><td>50.0</td>" in out.read_text(encoding="utf-8")  # from metrics.json all the same


def test_large_runs_embed_a_documented_subset(full_run):
    page = parse(write_score_report(full_run, max_episodes=9))
    episodes = embedded_episodes(page)
    assert len(episodes) == 8  # two whole problems, every method's episode of each
    assert all(sum(e["task"] == t for e in episodes) == 4 for t in {e["task"] for e in episodes})
    assert "The viewer embeds 8 of 16 evaluation episodes" in visible(full_run / "report.html")


def test_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_score_report(tmp_path / "nope")
    with pytest.raises(ValueError):
        write_score_report(tmp_path, max_episodes=-1)


def test_without_matplotlib_the_report_says_so(full_run, monkeypatch):
    import sys

    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    html_text = write_score_report(full_run).read_text(encoding="utf-8")
    assert "matplotlib is not installed" in html_text and "data:image/png" not in html_text
    assert "<td>score</td><td>50.0</td><td>75.0</td>" in html_text
