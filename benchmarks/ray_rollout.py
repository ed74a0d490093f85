"""Rollout throughput on Ray: the same episodes played in this process and by 1 and 2 Ray workers.

Every configuration plays the same jobs (tasks, samples, environment seeds, sampling seed) with the
same model and settings, and the trajectories are checked to be the same set as the in-process run's.
A configuration is timed from the moment its workers hold their backends; starting them (a process
each, importing torch and loading the model) is reported apart as ``startup_s``.

    python benchmarks/ray_rollout.py --model PATH                 # local, Ray 1x1, 2x1 and 1x2 (workers x CPUs)
    python benchmarks/ray_rollout.py --quick                      # a tiny random model: a smoke run in seconds
    python benchmarks/ray_rollout.py --model PATH --address auto --configs 1x8 2x8 4x8   # on a cluster

On a machine with C cores, configurations whose workers ask for more than C CPUs in all are skipped
(a local Ray instance never grows). The last line printed is JSON: per configuration its episodes/s,
generated tokens/s, startup seconds and whether its episodes equal the in-process run's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_GAMES = ["wordle", "mastermind", "cellular_automata", "bandit_best_arm", "twenty_questions",
                 "minesweeper", "battleship", "guess_my_city"]


def _jobs(args):
    from curiosa import envs
    from curiosa.rollout.engine import make_jobs

    per_game = -(-args.episodes // (len(args.games) * args.samples))
    tasks = [t for g in args.games for t in envs.load_tasks(g, "test")[:per_game]]
    return make_jobs(tasks, args.samples, seed=0)[: args.episodes]


def _play(executor, jobs, sampling, engine) -> tuple[dict, dict[str, str]]:
    start = time.perf_counter()
    result = executor.run(jobs, sampling, engine, lambda t: None)
    seconds = time.perf_counter() - start
    tokens = result.engine_stats.get("generated_tokens", 0)
    return ({"seconds": round(seconds, 2), "episodes_per_s": round(len(result.trajectories) / seconds, 3),
             "generated_tokens_per_s": round(tokens / seconds, 1), "generated_tokens": tokens,
             "success_rate": round(sum(t.success for t in result.trajectories) / len(result.trajectories), 3)},
            {t.id: t.to_json() for t in result.trajectories})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help="model directory ('default': the embedded model)")
    parser.add_argument("--backend", default="transformers", choices=["transformers", "vllm"])
    parser.add_argument("--dtype", default="float32", help="float32 keeps every batch's logits bit for bit equal")
    parser.add_argument("--episodes", type=int, default=64)
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--games", nargs="+", default=DEFAULT_GAMES)
    parser.add_argument("--batch", type=int, default=32, help="engine.max_concurrent of each worker")
    parser.add_argument("--max-new-tokens", type=int, default=48)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="torch threads of the local run")
    parser.add_argument("--configs", nargs="+", default=["1x1", "2x1", "1x2"],
                        help="Ray configurations as WORKERSxCPUS (CPUs per worker)")
    parser.add_argument("--gpus-per-worker", type=float, default=0.0)
    parser.add_argument("--address", default=None, help="Ray cluster to join (default: a local instance)")
    parser.add_argument("--no-local", action="store_true", help="skip the in-process run (e.g. no GPU here)")
    parser.add_argument("--quick", action="store_true", help="a tiny random model and 16 episodes")
    args = parser.parse_args()

    from curiosa.pipelines.warm_start import resolve_model_path
    from curiosa.rollout.backends import ModelConfig
    from curiosa.rollout.engine import EngineConfig
    from curiosa.rollout.executor import LocalExecutor, open_executor
    from curiosa.rollout.executor_config import ExecutorConfig
    from curiosa.rollout.ray_executor import connect
    from curiosa.rollout.types import SamplingConfig

    if args.quick:
        sys.path.insert(0, str(Path(__file__).parent))
        from _tiny_model import tiny_random_model

        args.episodes, args.max_new_tokens = 16, 16
        args.model = str(tiny_random_model(Path("runs/bench_ray_tiny_model"), args.games))
    model = ModelConfig(path=resolve_model_path(args.model), backend=args.backend, dtype=args.dtype)
    jobs = _jobs(args)
    sampling = SamplingConfig(temperature=0.7, min_p=0.3, max_new_tokens=args.max_new_tokens, seed=0)
    engine = EngineConfig(max_concurrent=args.batch, progress=False)
    report: dict = {"model": model.path, "episodes": len(jobs), "batch": args.batch, "dtype": args.dtype,
                    "cpus": os.cpu_count(), "local": None, "ray": {}}
    reference = None
    if not args.no_local:
        import torch

        torch.set_num_threads(args.threads)
        start = time.perf_counter()
        local = LocalExecutor(model)
        startup = time.perf_counter() - start
        report["local"], reference = _play(local, jobs, sampling, engine)
        report["local"].update(threads=args.threads, startup_s=round(startup, 1))
        local.close()
        print(f"local ({args.threads} threads): {report['local']}", flush=True)

    ray, _ = connect(ExecutorConfig(executor="ray", address=args.address))
    cluster_cpus = ray.cluster_resources().get("CPU", 0)
    for spec in args.configs:
        workers, cpus = (float(x) for x in spec.lower().split("x"))
        if workers * cpus > cluster_cpus:
            print(f"ray {spec}: skipped ({workers * cpus:g} CPUs asked, the cluster has {cluster_cpus:g})")
            continue
        config = ExecutorConfig(executor="ray", workers=int(workers), cpus_per_worker=cpus,
                                gpus_per_worker=args.gpus_per_worker, address=args.address)
        start = time.perf_counter()
        executor = open_executor(config, model)
        startup = time.perf_counter() - start
        try:
            row, played = _play(executor, jobs, sampling, engine)
        finally:
            executor.close()
        row.update(workers=int(workers), cpus_per_worker=cpus, startup_s=round(startup, 1))
        if reference is not None:
            row["same_episodes_as_local"] = played == reference
            row["episodes_unlike_local"] = sorted(k for k in reference.keys() | played.keys()
                                                  if reference.get(k) != played.get(k))[:10]
        report["ray"][spec] = row
        print(f"ray {spec} (workers x CPUs): {row}", flush=True)
    one, two = report["ray"].get("1x1"), report["ray"].get("2x1")
    if one and two:
        report["speedup_2_vs_1_workers"] = round(two["episodes_per_s"] / one["episodes_per_s"], 2)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
