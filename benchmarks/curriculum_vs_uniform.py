"""Curriculum vs uniform task sampling at the same trajectory budget (paper: +1.4% average success,
+3.3% pass@4 for the curriculum).

Two ``Curriculum`` runs that differ only in ``strategy``: ``ucb`` (a UCB1 bandit over task clusters
picks tasks by learning potential) and ``uniform`` (tasks drawn uniformly from all unused train
tasks). Same starting model, groups, rounds, tasks per round, samples per task, training and
evaluation settings and seed, so both play and train on exactly ``rounds x tasks_per_round x
samples`` trajectories and are evaluated on the same test episodes (same environment seeds). Each
run has its own directory (``<out>/ucb``, ``<out>/uniform``) and resumes if rerun.

    python benchmarks/curriculum_vs_uniform.py                       # configs/curriculum.yaml sizes
    python benchmarks/curriculum_vs_uniform.py --rounds 3 --tasks-per-round 250 --samples 20   # the paper's
    python benchmarks/curriculum_vs_uniform.py --model PATH --groups wordle mastermind
    python benchmarks/curriculum_vs_uniform.py --evaluate-base      # the starting model too, on the same episodes
    python benchmarks/curriculum_vs_uniform.py --quick              # tiny random model: a plumbing smoke run

Printed: per run and round, how many tasks each cluster got; then a table of average success and
pass@k per group and overall for both runs with the change (curriculum - uniform), and with
``--evaluate-base`` the starting model's success beside them (evaluated once, in the curriculum run;
the uniform run reuses its episodes). The last line is a JSON object with the overall figures and the
paired differences.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

STRATEGIES = ("ucb", "uniform")


def _config(args: argparse.Namespace, model: str | None, strategy: str):
    """The config file, the command line's sizes, then the strategy: the two runs differ only in it."""
    from curiosa.config import load_config
    from curiosa.pipelines.curriculum import CurriculumConfig

    overrides = [f"output_dir={Path(args.out) / strategy}", f"seed={args.seed}"]
    if model is not None:
        overrides.append(f"model.path={model}")
    for key, value in (("groups", args.groups), ("rounds", args.rounds), ("tasks_per_round", args.tasks_per_round),
                       ("samples", args.samples), ("batch_tasks", args.batch_tasks),
                       ("train_tasks_per_group", args.train_tasks), ("eval_tasks_per_group", args.eval_tasks),
                       ("eval_samples", args.eval_samples)):
        if value is not None:
            overrides.append(f"{key}=[{','.join(value)}]" if isinstance(value, list) else f"{key}={value}")
    return load_config(CurriculumConfig, args.config, [*overrides, *args.set, f"strategy={strategy}"])


def _cell(summary: dict[str, Any], group: str | None, key: str) -> float | None:
    block = summary["overall"] if group is None else summary["groups"].get(group)
    return None if block is None else block.get(key)


def _table(results: dict[str, dict[str, Any]], base: dict[str, Any] | None) -> str:
    from curiosa.evaluation.metrics import percent, points

    ucb, uni = results["ucb"]["evaluation"], results["uniform"]["evaluation"]
    k = ucb["k"]
    header = ["group", *(["base success"] if base else []), "curriculum success", "uniform success", "change",
              f"curriculum pass@{k}", f"uniform pass@{k}", "change"]
    rows = []
    for group in [*sorted(ucb["groups"]), None]:
        s1, s2 = _cell(ucb, group, "success"), _cell(uni, group, "success")
        p1, p2 = _cell(ucb, group, "pass_at_k"), _cell(uni, group, "pass_at_k")
        rows.append([group or "overall", *([percent(_cell(base, group, "success"))] if base else []),
                     percent(s1), percent(s2), points(None if s1 is None or s2 is None else s1 - s2),
                     percent(p1), percent(p2), points(None if p1 is None or p2 is None else p1 - p2)])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    rule = "-" * len(line(header))
    return "\n".join([line(header), rule, *map(line, rows[:-1]), rule, line(rows[-1])])


def _arms(summary: dict[str, Any]) -> str:
    lines = []
    for r in summary["rounds"]:
        picks = ", ".join(f"{arm} {s['pulls']}" + (f" (nu {s['mean_nu']:.2f})" if s["mean_nu"] is not None else "")
                          for arm, s in r["arms"].items())
        pairs = (r.get("data") or {}).get("pairs")
        lines.append(f"  round {r['round']}: {r['tasks']} tasks, {r['trajectories']} trajectories, {pairs} pairs: "
                     f"{picks}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="configs/curriculum.yaml", help="base CurriculumConfig YAML")
    parser.add_argument("--model", help="starting model directory ('default': the embedded default model); "
                                        "default: the config's model.path")
    parser.add_argument("--out", default="runs/bench-curriculum", help="parent of the two run directories")
    parser.add_argument("--groups", nargs="+", help="task groups (default: the config's; empty = the ten games)")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--tasks-per-round", type=int)
    parser.add_argument("--samples", type=int, help="trajectories per task (C)")
    parser.add_argument("--batch-tasks", type=int, help="curriculum: tasks picked per bandit update")
    parser.add_argument("--train-tasks", type=int, help="candidate train tasks per group (first N)")
    parser.add_argument("--eval-tasks", type=int, help="test tasks per group")
    parser.add_argument("--eval-samples", type=int, help="evaluation episodes per test task (k of pass@k)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="any other CurriculumConfig override, applied to both runs (repeatable)")
    parser.add_argument("--evaluate-base", action="store_true",
                        help="also evaluate the starting model on the same test episodes (once, shared by both runs)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny random model, 2 groups, 2 rounds x 3 tasks x 4 samples, scripted training play")
    args = parser.parse_args()

    teacher = None
    model = args.model
    if args.quick:
        from _tiny_model import quick_teacher, tiny_random_model

        args.groups = args.groups or ["mastermind", "cellular_automata"]
        model = str(tiny_random_model(Path(args.out) / "tiny-model", args.groups))
        teacher = quick_teacher(model)
        args.rounds, args.tasks_per_round, args.samples = args.rounds or 2, args.tasks_per_round or 3, args.samples or 4
        args.batch_tasks, args.train_tasks = args.batch_tasks or 2, args.train_tasks or 6
        args.eval_tasks, args.eval_samples = args.eval_tasks or 2, args.eval_samples or 2
        args.set = ["train_sampling.max_new_tokens=12", "eval_sampling.max_new_tokens=12", "engine.progress=false",
                    *args.set]
    from curiosa.pipelines.curriculum import Curriculum

    if args.evaluate_base:
        args.set = [*args.set, "evaluate_base=true"]
    configs = {s: _config(args, model, s) for s in STRATEGIES}
    results = {}
    for strategy, config in configs.items():
        print(f"== {strategy}: {config.output_dir}", flush=True)
        if args.evaluate_base and strategy != STRATEGIES[0]:
            from _runs import copy_evaluation

            first = Path(configs[STRATEGIES[0]].output_dir) / "eval" / "base"
            if copy_evaluation(first, Path(config.output_dir) / "eval" / "base"):
                print(f"   the starting model's test episodes copied from {first}", flush=True)
        results[strategy] = Curriculum(config, teacher=teacher).run()
    budgets = {s: r["trajectories"] for s, r in results.items()}
    if len(set(budgets.values())) != 1:
        raise SystemExit(f"the runs spent different trajectory budgets: {budgets}")

    print()
    for strategy in STRATEGIES:
        print(f"{strategy} ({configs[strategy].output_dir}), tasks per cluster:")
        print(_arms(results[strategy]))
    print()
    base = _base_evaluation(results["ucb"]) if args.evaluate_base else None
    print(_table(results, base))
    from curiosa.evaluation.metrics import compare

    ucb, uni = results["ucb"]["evaluation"]["overall"], results["uniform"]["evaluation"]["overall"]
    k = results["ucb"]["evaluation"]["k"]
    paired = compare(results["uniform"]["evaluation"], results["ucb"]["evaluation"])["overall"]  # same test tasks and seeds
    out: dict[str, Any] = {
        "budget_trajectories": budgets["ucb"], "k": k,
        "curriculum": {"success": ucb["success"], "pass_at_k": ucb["pass_at_k"], "episodes": ucb["episodes"]},
        "uniform": {"success": uni["success"], "pass_at_k": uni["pass_at_k"], "episodes": uni["episodes"]},
        "success_delta": ucb["success"] - uni["success"], "success_delta_ci": paired["success_delta_ci"],
        "pass_at_k_delta": ucb["pass_at_k"] - uni["pass_at_k"],
    }
    if base is not None:
        out["base"] = {"success": base["overall"]["success"], "pass_at_k": base["overall"]["pass_at_k"]}
        for strategy, name in (("ucb", "curriculum"), ("uniform", "uniform")):
            vs = results[strategy]["comparison"]["overall"]
            out[name].update(vs_base=vs["success_delta"], vs_base_ci=vs["success_delta_ci"],
                             groups_improved=vs["groups_improved"])
    out["runs"] = {s: c.output_dir for s, c in configs.items()}
    print(json.dumps(out))


def _base_evaluation(result: dict[str, Any]) -> dict[str, Any]:
    """The starting model's figures in the shape of an evaluation summary, from a run's comparison."""
    comparison = result["comparison"]
    return {"groups": {g: side["base"] for g, side in comparison["groups"].items()},
            "overall": comparison["overall"]["base"]}


if __name__ == "__main__":
    main()
