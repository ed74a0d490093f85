import io
import subprocess
import sys

import pytest
import yaml
from rich.console import Console

from curiosa import envs
from curiosa.cli import main
from curiosa.play import play


def run_cli(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "curiosa.cli", *args], input=stdin, capture_output=True, text=True, timeout=300)


def test_help_lists_subcommands():
    out = run_cli("--help")
    assert out.returncode == 0
    for cmd in ("games", "play", "policies"):
        assert cmd in out.stdout


def test_games_lists_every_game(capsys):
    assert main(["games"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in envs.names())


def test_bad_game_is_a_clear_error():
    out = run_cli("play", "chess")
    assert out.returncode == 2 and "unknown game 'chess'" in out.stderr and "Traceback" not in out.stderr


def test_human_plays_mastermind_through_the_terminal():
    task = envs.load_tasks("mastermind", "test")[0]
    secret = task.params["code"] if "code" in task.params else None
    moves = "12\n:help\nhello there\n" + (f"{secret}\n" if secret else "") + ":quit\n"
    out = run_cli("play", "mastermind", "--task", task.id, stdin=moves)
    assert out.returncode == 0, out.stderr
    assert "4 digits" in out.stdout or "digit" in out.stdout
    if secret:
        assert "You won" in out.stdout


def test_play_until_end_of_input_returns_false():
    console = Console(file=io.StringIO(), width=100)
    assert play("wordle", seed=1, stdin=io.StringIO("crane\n"), console=console) is False
    text = console.file.getvalue()
    assert "CRANE" in text.upper() and "End of input" in text


@pytest.mark.parametrize("game", ["wordle", "battleship"])
def test_watching_the_expert_play(game):
    console = Console(file=io.StringIO(), width=100)
    won = play(game, task_id=envs.load_tasks(game, "test")[0].id, policy="expert", console=console)
    assert "expert>" in console.file.getvalue()
    assert isinstance(won, bool)


def test_policies_table_writes_markdown(tmp_path):
    out_file = tmp_path / "policies.md"
    assert main(["policies", "--games", "mastermind", "bandit_best_arm", "--limit", "3", "--out", str(out_file)]) == 0
    text = out_file.read_text()
    assert "| mastermind | expert | 3 |" in text and "| bandit_best_arm | random | 3 |" in text


def test_policies_table_keeps_the_prose_around_it(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("# Title\n\nIntro.\n\n<!-- begin policy table -->\nold\n<!-- end policy table -->\n\nOutro.\n")
    assert main(["policies", "--games", "cellular_automata", "--kinds", "expert", "--limit", "2", "--out", str(doc)]) == 0
    text = doc.read_text()
    assert text.startswith("# Title\n\nIntro.") and text.endswith("Outro.\n")
    assert "old" not in text and "| cellular_automata | expert | 2 |" in text


def test_show_config_shows_the_settings_as_they_would_run(capsys):
    assert main(["paprika", "--show-config", "--config", "configs/paprika.yaml", "samples=7", "rpo.lora.r=8"]) == 0
    out = capsys.readouterr().out
    assert "\nsamples = 7\n" in out and "\nrpo.lora.r = 8\n" in out  # an override, and a section it switched on
    with open("configs/paprika.yaml", encoding="utf-8") as f:
        from_file = yaml.safe_load(f)["sft"]["learning_rate"]
    assert float(from_file) != 1e-6  # the paper's default, which the file changes
    assert f"\nsft.learning_rate = {float(from_file)!r}\n" in out and "\nsft.lora = None\n" in out  # still off
    assert main(["paprika", "--show-config"]) == 0
    assert "\nsamples = 20\n" in capsys.readouterr().out  # the paper's default without a file
