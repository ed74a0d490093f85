import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from curiosa.evaluation.html.markup import script_json
from curiosa.evaluation.html.viewer import select_episodes
from curiosa.evaluation.metrics import compare, percent, summarize
from curiosa.evaluation.report import write_report
from curiosa.rollout.trajectory import Trajectory

ATTACK = "</script><script>alert(1)</script>"
GROUPS = ("wordle", "mastermind")


def traj(task, i, success, group="wordle", split="test", turns=3, text="Answer: crane"):
    messages = [{"role": "system", "content": "You play a game."}, {"role": "user", "content": f"Task {task} <&>"}]
    for k in range(turns):
        messages += [{"role": "assistant", "content": f"{text} {k}"}, {"role": "user", "content": f"feedback {k} \"q\" 'a'"}]
    return Trajectory(
        id=f"{task}#{i}", task_id=task, group=group, split=split, sample_index=i, messages=messages,
        success=success, num_turns=turns, score=1.0 if success else 0.0, invalid_actions=0,
        stop_reason="success" if success else "failure", policy={"model": "tiny"}, seed=i,
    )


def model_episodes(wins_per_task, tasks=6, samples=4, text="Answer: crane"):
    return [traj(f"{g}-{t}", i, i < wins_per_task[g], group=g, turns=2 + i, text=text)
            for g in GROUPS for t in range(tasks) for i in range(samples)]


def write_jsonl(path: Path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(r.to_json() + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def full_run(tmp_path):
    run = tmp_path / "run"
    base = model_episodes({"wordle": 1, "mastermind": 2}, text=ATTACK)
    tuned = model_episodes({"wordle": 3, "mastermind": 2})
    write_jsonl(run / "eval" / "base" / "trajectories.jsonl", base)
    write_jsonl(run / "eval" / "tuned" / "trajectories.jsonl", tuned)
    (run / "eval" / "base" / "summary.json").write_text(json.dumps(summarize(base)))
    (run / "metrics.json").write_text(json.dumps(compare(summarize(base), summarize(tuned))))
    write_jsonl(run / "trajectories" / "train.jsonl",
                [traj(f"tr{t}", i, i == 0, split="train") for t in range(5) for i in range(3)])
    for stage in ("sft", "rpo"):
        (run / stage).mkdir()
        lines = [json.dumps({"step": s, "loss": 1 / s, "dpo_loss": 0.7, "nll": 1.2, "reward_accuracy": 0.5})
                 for s in range(1, 6)]
        (run / stage / "metrics.jsonl").write_text("\n".join(lines) + "\n")
    (run / "config.yaml").write_text("model: tiny\nnote: <b>bold & \"quoted\"</b>\n")
    return run


class Page(HTMLParser):
    """Collects script bodies, attribute URLs and visible text of the page."""

    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.urls: list[str] = []
        self.text: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [v for k, v in attrs.items() if k in ("src", "href") and v]
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def embedded_episodes(page: Page) -> list[dict]:
    (body,) = [b for a, b in page.scripts if a.get("id") == "episode-data"]
    return json.loads(body)["episodes"]


def test_full_report(full_run):
    out = write_report(full_run, title="My <run>")
    assert out == full_run / "report.html" and out.is_file()
    page = parse(out)
    html_text = out.read_text(encoding="utf-8")
    assert "<title>My &lt;run&gt;</title>" in html_text
    metrics = json.loads((full_run / "metrics.json").read_text())
    for g in GROUPS:
        row = metrics["groups"][g]
        assert percent(row["base"]["success"]) in html_text and percent(row["tuned"]["success"]) in html_text
    assert percent(metrics["overall"]["tuned"]["success"]) in html_text
    assert "<table>" in html_text
    for name in ("success.png", "turns.png", "training_sft.png", "training_rpo.png"):
        png = (full_run / "figures" / name).read_bytes()
        assert png.startswith(b"\x89PNG")
    assert html_text.count("data:image/png;base64,") == 4
    visible = "".join(page.text)
    assert "Self-generated training trajectories" in visible
    # training data: 5 tasks x 3 samples, one success each; shown per group and in the total row
    assert "<td>total</td><td>5</td><td>15</td><td>5</td><td>33.3%</td><td>0</td>" in html_text
    assert '<b>bold & "quoted"</b>' in visible  # config shown as text, not markup


def test_no_external_resources(full_run):
    page = parse(write_report(full_run))
    assert page.urls, "figures are embedded as data URIs"
    assert all(u.startswith(("data:", "#")) for u in page.urls), page.urls
    html_text = (full_run / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html_text)
    assert "@import" not in html_text and "url(" not in html_text


def test_script_tag_cannot_be_broken(full_run):
    page = parse(write_report(full_run))
    episodes = embedded_episodes(page)
    base = [e for e in episodes if e["model"] == "base"]
    assert any(m[1] == f"{ATTACK} 0" for e in base for m in e["messages"])
    user = next(m[1] for e in episodes for m in e["messages"] if m[0] == "user" and "<&>" in m[1])
    assert user.endswith("<&>")
    # Exactly the two scripts of the page: the data and the viewer; no injected one.
    assert len(page.scripts) == 2
    assert all("alert(1)" not in body for attrs, body in page.scripts if attrs.get("id") != "episode-data")
    assert len(episodes) == 2 * len(GROUPS) * 6 * 4


def test_script_json_escapes():
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_partial_run_with_only_base_eval(tmp_path):
    run = tmp_path / "early"
    write_jsonl(run / "eval" / "base" / "trajectories.jsonl", model_episodes({"wordle": 1, "mastermind": 0}))
    out = write_report(run)
    page = parse(out)
    visible = "".join(page.text)
    assert "No comparison of base and tuned" in visible
    assert "config.yaml not found" in visible
    assert "sft/metrics.jsonl not found" in visible
    summary = summarize(model_episodes({"wordle": 1, "mastermind": 0}))
    assert percent(summary["groups"]["wordle"]["success"]) in visible
    assert (run / "figures" / "success.png").is_file() and not (run / "figures" / "training_sft.png").exists()
    assert {e["model"] for e in embedded_episodes(page)} == {"base"}


def test_empty_run_dir_still_gets_a_report(tmp_path):
    out = write_report(tmp_path)
    visible = "".join(parse(out).text)
    assert "No evaluation found" in visible and "No evaluation results" in visible


def test_corrupt_and_torn_files_become_notes(full_run):
    with open(full_run / "eval" / "tuned" / "trajectories.jsonl", "a") as fh:
        fh.write("{not json}\n")
    with open(full_run / "sft" / "metrics.jsonl", "a") as fh:
        fh.write('{"step": 6, "loss"')
    (full_run / "metrics.json").unlink()
    visible = "".join(parse(write_report(full_run)).text)
    assert "eval/tuned/trajectories.jsonl could not be read" in visible
    assert "1 unreadable line(s) skipped" in visible
    assert "No comparison of base and tuned" in visible


def test_recomputes_comparison_and_dedupes_resumed_steps(full_run):
    (full_run / "metrics.json").unlink()
    (full_run / "eval" / "base" / "summary.json").unlink()
    with open(full_run / "sft" / "metrics.jsonl", "a") as fh:
        fh.write(json.dumps({"step": 5, "loss": 0.123}) + "\n")
    html_text = write_report(full_run).read_text(encoding="utf-8")
    base = summarize(model_episodes({"wordle": 1, "mastermind": 2}))
    assert percent(base["overall"]["success"]) in html_text
    assert "SFT: 5 logged steps, last step 5: loss 0.123." in html_text
    assert "tuned beats base in 1 of 2 groups" in html_text


def test_tuned_eval_that_stopped_early_is_compared_on_common_groups(tmp_path):
    run = tmp_path / "run"
    write_jsonl(run / "eval" / "base" / "trajectories.jsonl", model_episodes({"wordle": 1, "mastermind": 1}))
    tuned = [t for t in model_episodes({"wordle": 3, "mastermind": 3}) if t.group == "wordle"]
    write_jsonl(run / "eval" / "tuned" / "trajectories.jsonl", tuned)
    visible = "".join(parse(write_report(run)).text)
    assert "covers only the 1 groups both played: wordle" in visible
    assert "tuned beats base in 1 of 1 groups" in visible


def test_large_runs_embed_a_documented_subset_of_whole_tasks(full_run):
    page = parse(write_report(full_run, max_episodes=50))
    episodes = embedded_episodes(page)
    assert 0 < len(episodes) <= 50
    per_task = {}
    for e in episodes:
        per_task.setdefault(e["task"], set()).add((e["model"], e["sample"]))
    assert all(len(s) == 8 for s in per_task.values()), "every sample of both models for a chosen task"
    assert {e["group"] for e in episodes} == set(GROUPS)
    assert "The viewer embeds 48 of 96 evaluation episodes" in "".join(page.text)
    again = embedded_episodes(parse(write_report(full_run, max_episodes=50)))
    assert again == episodes


def test_select_episodes_keeps_everything_under_the_limit():
    rows = model_episodes({"wordle": 1, "mastermind": 1}, tasks=2)
    chosen, note = select_episodes({"base": rows}, limit=len(rows))
    assert note is None and len(chosen) == len(rows)


def test_missing_run_dir_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_report(tmp_path / "nope")


def test_metrics_json_alone_gives_table_and_success_figure(full_run):
    for name in ("base", "tuned"):
        for f in (full_run / "eval" / name).iterdir():
            f.unlink()
    html_text = write_report(full_run).read_text(encoding="utf-8")
    metrics = json.loads((full_run / "metrics.json").read_text())
    assert percent(metrics["overall"]["tuned"]["success"]) in html_text
    assert (full_run / "figures" / "success.png").read_bytes().startswith(b"\x89PNG")
    assert 'id="episode-data"' not in html_text


def test_without_matplotlib_the_report_says_so(full_run, monkeypatch):
    import sys

    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    html_text = write_report(full_run).read_text(encoding="utf-8")
    assert "matplotlib is not installed" in html_text and "data:image/png" not in html_text
    assert "tuned beats base" in html_text
