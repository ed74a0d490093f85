"""Quality of a base model for PAPRIKA and SCoRe: does it play every game in format, and how well?

Plays the first N test tasks of each of the ten games, S samples each, through the rollout engine with
the evaluation settings of configs/paprika.yaml (temperature 0.7, min-p 0.3, up to 3 resamples of an
unreadable reply, the same environment seeds as PAPRIKA's evaluation), and the held-out level 1-2
problems of math_synthetic greedily (SCoRe's evaluation, first attempt). A model is a good base when it
plays in format (parse rate: the fraction of its replies the games could read) with room to learn
(success between 5% and 70% in most groups).

    python benchmarks/base_quality.py                          # the embedded default model
    python benchmarks/base_quality.py --model runs/paprika/rpo/model --tasks 20 --samples 4

Prints per group: parse rate, success, the expert's success on the same tasks, mean turns, and the share of
moves that repeat an earlier move of the same episode (a small model's typical loop: the same question
asked again and again; in bandit_best_arm pulling an arm again is normal play); the last line
is JSON with parse_rate (overall), groups_in_band (success in [0.05, 0.70]), math_level12_accuracy,
params_millions and per-group figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

BAND = (0.05, 0.70)


def expert_success(game: str, tasks: list) -> float:
    from curiosa import envs
    from curiosa.policies import run_episode, scripted

    env = envs.make(game, split="test")
    wins = [run_episode(env, scripted(game, "expert", seed=i), seed=i, task=t).success for i, t in enumerate(tasks)]
    return sum(wins) / max(1, len(wins))


def parse_rate(episodes: list) -> float:
    """Readable replies over all replies (an unreadable one is resampled, or ends the episode)."""
    replies = sum(t.num_turns + t.format_errors for t in episodes)
    return 1 - sum(t.format_errors for t in episodes) / max(1, replies)


def repeat_rate(episodes: list) -> float:
    """Moves that repeat an earlier move of their episode, over all moves (curiosa.evaluation.metrics)."""
    from curiosa.evaluation.metrics import repeated_moves

    counts = [repeated_moves(t) for t in episodes]
    return sum(r for r, _ in counts) / max(1, sum(n for _, n in counts))


def main(argv: list[str] | None = None) -> int:
    import torch

    from curiosa import envs
    from curiosa.evaluation.self_correction import attempts
    from curiosa.pipelines.score import select_tasks
    from curiosa.pipelines.warm_start import resolve_model_path
    from curiosa.rollout.backends import ModelConfig, build_backend
    from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs
    from curiosa.rollout.types import SamplingConfig

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="default", help="model directory, catalogue name or .gguf ('default': the embedded model)")
    p.add_argument("--tasks", type=int, default=20, help="test tasks per game (configs/paprika.yaml evaluates 5)")
    p.add_argument("--samples", type=int, default=4, help="samples per task (configs/paprika.yaml evaluates 2)")
    p.add_argument("--math-problems", type=int, default=200, help="held-out level 1-2 math problems")
    p.add_argument("--max-new-tokens", type=int, default=96)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", help="also write every episode here (JSON lines)")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    path = resolve_model_path(args.model)
    backend = build_backend(ModelConfig(path=path))
    params = sum(t.numel() for t in backend.model.parameters()) / 1e6
    start = time.time()

    tasks = {g: envs.load_tasks(g, "test")[: args.tasks] for g in envs.PAPRIKA_GROUPS}
    jobs = make_jobs([t for ts in tasks.values() for t in ts], args.samples, seed=0)
    sampling = SamplingConfig(temperature=0.7, min_p=0.3, max_new_tokens=args.max_new_tokens)
    games = RolloutEngine(backend, sampling, EngineConfig(max_concurrent=args.batch, max_resamples=3)).run(jobs)
    math_tasks = select_tasks("math_synthetic", "test", [1, 2], args.math_problems)
    greedy = SamplingConfig(temperature=0.0, max_new_tokens=160)
    math = RolloutEngine(backend, greedy, EngineConfig(max_concurrent=args.batch, max_resamples=0)).run(
        make_jobs(math_tasks, 1, seed=0))
    seconds = time.time() - start

    rows = {}
    for game in envs.PAPRIKA_GROUPS:
        eps = [t for t in games if t.group == game]
        rows[game] = {"episodes": len(eps), "parse_rate": round(parse_rate(eps), 4),
                      "success": round(sum(t.success for t in eps) / max(1, len(eps)), 4),
                      "expert_success": round(expert_success(game, tasks[game]), 4),
                      "mean_turns": round(sum(t.num_turns for t in eps) / max(1, len(eps)), 2),
                      "repeated_moves": round(repeat_rate(eps), 4),
                      "format_failures": round(sum(t.stop_reason == "format_failure" for t in eps) / max(1, len(eps)), 4)}
    overall = parse_rate(games)
    in_band = [g for g, r in rows.items() if BAND[0] <= r["success"] <= BAND[1]]
    math_t1 = sum(attempts(t)[0][0] > 0 for t in math) / max(1, len(math))
    print(f"{'group':18s} {'parse':>6s} {'success':>8s} {'expert':>7s} {'turns':>6s} {'repeats':>7s} {'fmt-fail':>8s}")
    for game, r in rows.items():
        mark = "" if game in in_band else "  (out of band)"
        print(f"{game:18s} {r['parse_rate']:6.1%} {r['success']:8.1%} {r['expert_success']:7.1%} "
              f"{r['mean_turns']:6.2f} {r['repeated_moves']:7.1%} {r['format_failures']:8.1%}{mark}")
    print(f"overall parse rate {overall:.1%}; {len(in_band)} of 10 groups with success in {BAND}; "
          f"math levels 1-2 greedy first-attempt accuracy {math_t1:.1%} ({len(math)} problems); "
          f"{params:.0f}M parameters; {seconds:.0f} s")
    if args.out:
        with open(args.out, "w") as fh:
            for t in games + math:
                fh.write(t.to_json() + "\n")
    print(json.dumps({"parse_rate": round(overall, 4), "groups_in_band": len(in_band),
                      "math_level12_accuracy": round(math_t1, 4), "params_millions": round(params, 1),
                      "seconds": round(seconds, 1), "model": path, "groups": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
