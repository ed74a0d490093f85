"""Leave-one-group-out generalisation (paper Figure 3): does PAPRIKA improve a game it never trained on?

One PAPRIKA run trains on every group (``<out>/all``); then, for each group g, a run trains on all
groups but g and is evaluated on every group (``<out>/without-<g>``). The table shows, per group,
the base model's success, the all-groups model's success, and the success of the model that never
saw that group (paper: the held-out group still improves in 9 of 10 groups; bandit_best_arm
42.25% -> 62.25%).

What the leave-one-out runs share with the all-groups run (unless --no-share), and why it is safe:

* ``eval/base`` (the base model's test episodes) is copied: it depends only on the base model, the
  groups, the test tasks, the evaluation sampling and the seed, which leave_out does not change
  (evaluate() checks model, sampling and seed before reusing episodes, and re-summarises them).
* ``trajectories/train.jsonl``, filtered to the groups the run trains on: the base model's play of
  a task depends only on the model, the sampling settings, the task and its environment seeds, which
  are fixed per (seed, task, sample), not on which other groups share the run. The leave-one-out
  data is then exactly the all-groups data minus the held-out group, a paired design that removes
  rollout noise from the comparison. (With a sampling model the episodes are draws from the same
  distribution, not bit-identical to a fresh run's; --no-share regenerates everything.)

SFT, RPO and the tuned evaluation differ per run and are never shared, with one exception (unless
--no-share): a group that gave the all-groups run no training example (no successful episode, so no
SFT row and no RPO pair: ``curiosa.pipelines.paprika.trained_groups``) is not run again. Leaving it out
trains on exactly the same examples, so the all-groups model is the model that never saw it, and its
row is marked as such. Every run resumes if rerun.

    python benchmarks/leave_one_out.py                            # configs/paprika.yaml (or paprika_quick.yaml)
    python benchmarks/leave_one_out.py --groups wordle mastermind bandit_best_arm
    python benchmarks/leave_one_out.py --config my.yaml --set samples=8
    python benchmarks/leave_one_out.py --held-out murder_mystery bandit_best_arm   # the study in parts
    python benchmarks/leave_one_out.py --quick                    # tiny random model: a plumbing smoke run

``--held-out`` runs the leave-one-out models of those groups only (after the all-groups run); the table
and the counts cover every group whose held-out model is finished (by this call, or by an earlier one
with the same settings), and the others are listed as not run. A later call with other groups, or none,
reuses every finished run, so a long study can be done in parts.

The last line printed is a JSON object: per group base / all groups / held out, and how many held-out
groups improved over the base model.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _default_config() -> str:
    return "configs/paprika.yaml" if Path("configs/paprika.yaml").is_file() else "configs/paprika_quick.yaml"


def _share(all_dir: Path, run_dir: Path, train_groups: list[str]) -> list[str]:
    """Seed a leave-one-out run with the all-groups run's base evaluation and base rollouts."""
    from _runs import copy_evaluation

    shared = ["eval/base"] if copy_evaluation(all_dir / "eval" / "base", run_dir / "eval" / "base") else []
    src_train, dst_train = all_dir / "trajectories" / "train.jsonl", run_dir / "trajectories" / "train.jsonl"
    if src_train.is_file() and not dst_train.exists():
        dst_train.parent.mkdir(parents=True, exist_ok=True)
        keep = set(train_groups)
        tmp = dst_train.with_suffix(".partial")
        kept = 0
        with open(src_train, encoding="utf-8") as src, open(tmp, "w", encoding="utf-8") as dst:
            for number, line in enumerate(src, start=1):
                if not line.strip():
                    continue
                try:
                    group = json.loads(line)["group"]
                except (ValueError, KeyError) as err:
                    raise SystemExit(f"{src_train}:{number}: not a trajectory record ({err})") from None
                if group in keep:
                    dst.write(line if line.endswith("\n") else line + "\n")
                    kept += 1
        config = src_train.with_suffix(".config.yaml")
        if config.is_file():
            shutil.copyfile(config, dst_train.with_suffix(".config.yaml"))
        tmp.replace(dst_train)
        shared.append(f"trajectories/train.jsonl ({kept} episodes of {', '.join(train_groups)})")
    return shared


def _success(metrics: dict[str, Any], group: str, which: str) -> float:
    return metrics["groups"][group][which]["success"]


def _table(groups: list[str], base: dict[str, float], everything: dict[str, float], held: dict[str, float]) -> str:
    from curiosa.evaluation.metrics import percent, points

    header = ["group", "base", "all groups", "held out", "held out - base", "held out - all"]
    rows = [[g, percent(base[g]), percent(everything[g]), percent(held[g]), points(held[g] - base[g]),
             points(held[g] - everything[g])] for g in groups]
    avg = lambda d: sum(d[g] for g in groups) / len(groups)  # noqa: E731
    rows.append(["average", percent(avg(base)), percent(avg(everything)), percent(avg(held)),
                 points(avg(held) - avg(base)), points(avg(held) - avg(everything))])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    rule = "-" * len(line(header))
    return "\n".join([line(header), rule, *map(line, rows[:-1]), rule, line(rows[-1])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", help="PaprikaConfig YAML (default: configs/paprika.yaml, else paprika_quick.yaml)")
    parser.add_argument("--groups", nargs="+", help="groups (default: the config's; empty = the ten games)")
    parser.add_argument("--out", default="runs/bench-leave-one-out", help="parent of the run directories")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="any other PaprikaConfig override, applied to every run (repeatable)")
    parser.add_argument("--held-out", nargs="+", metavar="GROUP",
                        help="leave out only these groups, one run each (default: every group); the rest are not run")
    parser.add_argument("--no-share", action="store_true",
                        help="regenerate the base evaluation and base rollouts in every run, "
                             "and train every leave-one-out model")
    parser.add_argument("--quick", action="store_true",
                        help="tiny random model, 2 groups, 4 tasks x 4 samples, scripted training play")
    args = parser.parse_args()

    from curiosa import envs
    from curiosa.config import load_config
    from curiosa.pipelines.paprika import Paprika, PaprikaConfig, trained_groups

    out = Path(args.out)
    teacher = None
    overrides = list(args.set)
    config_path = args.config or _default_config()
    if args.quick:
        from _tiny_model import quick_teacher, tiny_random_model

        args.groups = args.groups or ["mastermind", "cellular_automata"]
        model = tiny_random_model(out / "tiny-model", args.groups)
        teacher = quick_teacher(model)
        config_path = args.config or "configs/paprika_quick.yaml"
        overrides = [f"model.path={model}", "train_tasks_per_group=4", "samples=4", "eval_tasks_per_group=2",
                     "eval_samples=2", "train_sampling.max_new_tokens=12", "eval_sampling.max_new_tokens=12",
                     "engine.progress=false", "report=false", *overrides]
    if args.groups:
        overrides.append(f"groups=[{','.join(args.groups)}]")
    base_config = load_config(PaprikaConfig, config_path, overrides)
    groups = list(base_config.groups) or list(envs.PAPRIKA_GROUPS)
    if base_config.leave_out:
        raise SystemExit("the config already leaves groups out; this benchmark sets leave_out itself")
    if len(groups) < 2:
        raise SystemExit(f"leave-one-out needs at least 2 groups, got {groups}")
    unknown = [g for g in args.held_out or [] if g not in groups]
    if unknown:
        raise SystemExit(f"--held-out names {', '.join(unknown)}, not among the run's groups ({', '.join(groups)})")

    def config_for(name: str, leave_out: list[str]) -> PaprikaConfig:
        from dataclasses import replace

        return replace(base_config, groups=groups, leave_out=leave_out, output_dir=str(out / name))

    def finished(name: str, leave_out: list[str]) -> dict[str, Any] | None:
        """An earlier call's result for this run, if it finished with the config this call would give it."""
        run_dir = out / name
        if not (run_dir / "metrics.json").is_file():
            return None
        if load_config(PaprikaConfig, run_dir / "config.yaml", []) != config_for(name, leave_out):
            print(f"== {name}: finished by an earlier call with other settings; not counted (delete {run_dir} "
                  f"and run it again with --held-out to count it)", flush=True)
            return None
        return json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))

    def run(name: str, leave_out: list[str]) -> dict[str, Any]:
        config = config_for(name, leave_out)
        if leave_out and not args.no_share:
            shared = _share(out / "all", out / name, [g for g in groups if g not in leave_out])
            if shared:
                print(f"   shared from {out / 'all'}: {'; '.join(shared)}", flush=True)
        trained = len(groups) - len(leave_out)
        print(f"== {name}: {config.output_dir} (training on {trained} of {len(groups)} groups)", flush=True)
        return Paprika(config, teacher=teacher).run()

    everything = run("all", [])
    fed = None if args.no_share else trained_groups(out / "all")
    same_data = [g for g in groups if fed is not None and g not in fed]
    held_out = {}
    for g in groups:
        if g in same_data:
            print(f"== without-{g}: {g} gave the all-groups run no training example, so leaving it out trains on "
                  f"the same examples; the all-groups model stands for it (--no-share trains it again)", flush=True)
            held_out[g] = everything
        elif args.held_out is None or g in args.held_out:
            held_out[g] = run(f"without-{g}", [g])
        elif (earlier := finished(f"without-{g}", [g])) is not None:
            held_out[g] = earlier
    not_run = [g for g in groups if g not in held_out]
    compared = [g for g in groups if g in held_out]

    base = {g: _success(everything, g, "base") for g in compared}
    all_groups = {g: _success(everything, g, "tuned") for g in compared}
    held = {g: _success(held_out[g], g, "tuned") for g in compared}
    improved = [g for g in compared if held[g] > base[g]]
    print()
    print(f"Leave-one-group-out (config {config_path}; held out = trained on every group but that one)")
    print(_table(compared, base, all_groups, held))
    if same_data:
        print(f"Not trained again (no training example in the all-groups run, so held out = all groups): "
              f"{', '.join(same_data)}.")
    if not_run:
        print(f"Not run (--held-out): {', '.join(not_run)}; the average and the counts leave them out.")
    print(f"Held-out group improves over the base model in {len(improved)} of {len(compared)} groups; "
          f"training on all groups beats leaving the group out in "
          f"{sum(all_groups[g] > held[g] for g in compared)} of {len(compared)}.")
    print(json.dumps({
        "groups": {g: {"base": base[g], "all_groups": all_groups[g], "held_out": held[g]} for g in compared},
        "held_out_improved": len(improved), "all_beats_held_out": sum(all_groups[g] > held[g] for g in compared),
        "groups_compared": len(compared), "config": config_path, "same_data_as_all_groups": same_data,
        "not_run": not_run,
        "runs": {"all": str(out / "all"),
                 **{g: str(out / ("all" if g in same_data else f"without-{g}")) for g in compared}},
    }))


if __name__ == "__main__":
    main()
