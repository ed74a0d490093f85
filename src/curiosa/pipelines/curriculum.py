"""PAPRIKA's curriculum (paper Algorithm 1; docs/curriculum.md) in one run directory, resumable.

The selection logic (learning potential nu, the UCB1 bandit over task clusters) is in
``curiosa.data.curriculum``; this module plays the picks, trains on them and keeps the run's state
on disk.

Each round ``r`` (1-based) of a run:

1. **pick and play**: the bandit picks ``batch_tasks`` clusters, one task is drawn from each, the
   current model plays each task ``samples`` times -> ``round-<r>/trajectories.jsonl``; each task's
   nu updates its cluster's arm; repeat until ``tasks_per_round`` tasks are played. The bandit's
   state after every batch is in ``round-<r>/bandit.json``. The ``uniform`` strategy draws the
   round's tasks uniformly from every unused training task instead (same budget), and plays them
   at once; its nu values are recorded the same way for comparison.
2. **train**: RPO (or DPO) on the round's trajectories, starting from the current model, which is
   therefore also the reference -> ``round-<r>/rpo/model``. The next round plays with that model.

Then the final model is evaluated on the test split -> ``eval/final`` and ``summary.json``. A task is
played in at most one round of a run.

Resume: ``bandit.json`` marks a round's picks complete; a batch that was picked but not fully played
is recorded as ``pending`` and is played (only its missing episodes) before anything new is picked,
so an interrupted run continues with exactly the choices it would have made. Training and evaluation
skip what is done (``model/DONE``, existing episodes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, NamedTuple, Sequence

from curiosa.data.curriculum import UCB1Bandit, cluster_tasks, learning_potential, turn_score
from curiosa.data.sets import DataConfig
from curiosa.envs.task import Task, stable_rng
from curiosa.files import write_json
from curiosa.runtime import environment_info
from curiosa.pipelines.common import (base_model_path, check_groups, data_groups, evaluate_groups, paper_rpo,
                                     paper_train_sampling, save_run_config, save_timings, timed)
from curiosa.pipelines.evaluate import paper_eval_sampling
from curiosa.pipelines.generate import GenerateConfig
from curiosa.rollout.backends import ModelConfig
from curiosa.rollout.engine import EngineConfig
from curiosa.rollout.executor import Executor, open_executor
from curiosa.rollout.executor_config import ExecutorConfig, require_executor
from curiosa.rollout.trajectory import Trajectory
from curiosa.rollout.types import Backend, SamplingConfig
from curiosa.training.dpo import DPOConfig

STRATEGIES = ("ucb", "uniform")
TRAIN_KINDS = ("rpo", "dpo")


# --------------------------------------------------------------------------- scores of played tasks
def episode_scores(trajectories: Iterable[Trajectory]) -> list[float]:
    """The scores ``learning_potential`` expects for one task (``turn_score`` of each rollout, with the
    game's turn limit). Any object with ``task_id``, ``group``, ``success`` and ``num_turns`` works."""
    from curiosa import envs

    rows = list(trajectories)
    tasks = {t.task_id for t in rows}
    if len(tasks) > 1:
        raise ValueError(f"episode_scores takes the trajectories of one task, got {len(tasks)}: {sorted(tasks)[:5]}")
    limits: dict[str, int] = {}
    out = []
    for t in rows:
        if t.group not in limits:
            limits[t.group] = envs.env_class(t.group).max_turns
        out.append(turn_score(t.success, t.num_turns, limits[t.group]))
    return out


# --------------------------------------------------------------------------- config
@dataclass
class CurriculumConfig:
    """A curriculum run (defaults: the paper's settings; configs/curriculum.yaml: a CPU-sized run)."""

    output_dir: str = "runs/curriculum"
    """The run directory: round-<r>/ (trajectories, bandit state, trained model), eval/, summary.json."""
    model: ModelConfig = field(default_factory=ModelConfig)
    """The starting model ('default': the embedded default model, warm-started first if absent) and its backend."""
    groups: list[str] = field(default_factory=list)
    """Task groups whose train tasks the curriculum draws from and whose test tasks are evaluated
    (empty: the ten PAPRIKA games)."""
    train_tasks_per_group: int | None = None
    """Only the first N train tasks of each group are candidates (default: all)."""
    cluster_by: str = "group"
    """What makes a bandit arm: 'group' (the paper), or a task metadata key such as 'params.difficulty'
    (every candidate task must have it)."""
    strategy: Literal["ucb", "uniform"] = "ucb"
    """ucb: the UCB1 bandit picks clusters by learning potential; uniform: the baseline, tasks drawn
    uniformly from all unused train tasks with the same budget."""
    rounds: int = 3
    """Rounds of pick -> play -> train (paper: 3); each round starts from the previous round's model."""
    tasks_per_round: int = 250
    """Tasks played per round (paper: 250); a task is played in at most one round."""
    samples: int = 20
    """Trajectories per chosen task, C (paper: 20); nu and the preference pairs compare them."""
    batch_tasks: int = 1
    """Tasks the bandit picks before their rollouts are played together and its arms updated. 1 is
    the paper's fully sequential algorithm (every pick sees every earlier nu) but each rollout batch
    holds only `samples` episodes; larger values fill the engine's batch (faster on GPUs) at the
    cost of picks made on staler statistics (picks inside a batch count as pending pulls)."""
    c: float = 1.0
    """UCB1 exploration coefficient (paper: 1)."""
    reset_bandit_each_round: bool = False
    """Start every round with a fresh bandit (nu measured with the previous model is stale); default:
    the arm statistics carry over from round to round."""
    train_sampling: SamplingConfig = field(default_factory=paper_train_sampling)
    """Sampling of the training rollouts (paper: temperature 1.5, min-p 0.3)."""
    selection: DataConfig = field(default_factory=DataConfig)
    """How preference pairs are selected from each round's trajectories."""
    train_kind: Literal["rpo", "dpo"] = "rpo"
    """Per-round objective: rpo (DPO + alpha * NLL of the chosen) or dpo."""
    train: DPOConfig = field(default_factory=paper_rpo)
    """Per-round optimisation (output_dir is set to <run>/round-<r>/<train_kind>); the round's starting
    model is its reference (paper: lr 2e-7, batch 32, beta 0.1, alpha 1)."""
    eval_tasks_per_group: int | None = None
    """Test tasks per group in the final evaluation (first N of the test split; default: all)."""
    eval_samples: int = 4
    """Evaluation episodes per test task (paper: 4); pass@k uses k = this."""
    eval_sampling: SamplingConfig = field(default_factory=paper_eval_sampling)
    """Sampling in evaluation (paper: temperature 0.7, min-p 0.3)."""
    evaluate_base: bool = False
    """Also evaluate the starting model (eval/base) and put the comparison in summary.json."""
    engine: EngineConfig = field(default_factory=EngineConfig)
    """Batching and resampling of unreadable replies, for every generation stage."""
    rollout: ExecutorConfig = field(default_factory=ExecutorConfig)
    """Where every generation stage's episodes are played: in this process, or on Ray workers
    (rollout.executor=ray rollout.workers=N; the same episodes either way). A round's workers load its
    model once and play all of the round's batches."""
    dtype: str = "auto"
    """Weights' dtype in training (auto: bf16 on capable GPUs; on a CPU float32 master weights, computed in
    bf16 autocast where the CPU has bf16)."""
    seed: int = 0
    """Seed of the bandit's tie-breaks, the task draws, the environment seeds, data selection and training."""

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {self.strategy!r}")
        if self.train_kind not in TRAIN_KINDS:
            raise ValueError(f"train_kind must be one of {', '.join(TRAIN_KINDS)}, got {self.train_kind!r}")
        for name in ("rounds", "tasks_per_round", "batch_tasks", "eval_samples"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.samples < 2:
            raise ValueError(f"samples must be at least 2 (nu and preference pairs compare samples of a task), "
                             f"got {self.samples}")
        if self.c < 0:
            raise ValueError(f"c must be >= 0, got {self.c}")
        if self.train_tasks_per_group is not None and self.train_tasks_per_group < 1:
            raise ValueError(f"train_tasks_per_group must be at least 1 (or null for all), "
                             f"got {self.train_tasks_per_group}")


# Settings that decide which tasks are played and how: a run directory holds one choice of them.
_RUN_DEFINING = ("groups", "train_tasks_per_group", "cluster_by", "strategy", "tasks_per_round", "samples",
                 "batch_tasks", "c", "reset_bandit_each_round", "train_sampling", "train_kind", "seed")


class _Episode(NamedTuple):
    task_id: str
    group: str
    sample_index: int
    success: bool
    num_turns: int


class _EpisodeReader:
    """Reads a growing trajectory file incrementally: each line is parsed once per run, however many
    batches the round has (re-reading it whole after every task would be quadratic)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.line = 0
        self.episodes: dict[str, _Episode] = {}

    def refresh(self) -> None:
        if not self.path.is_file():
            return
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        end = data.rfind(b"\n") + 1  # only whole lines; a torn tail is the store's to repair
        for raw in data[:end].split(b"\n")[:-1]:
            self.line += 1
            if not raw.strip():
                continue
            try:
                r = json.loads(raw)
                ep = _Episode(str(r["task_id"]), str(r["group"]), int(r["sample_index"]), bool(r["success"]),
                              int(r["num_turns"]))
            except (ValueError, KeyError, TypeError) as err:
                raise ValueError(f"{self.path}:{self.line}: not a trajectory record ({err})") from None
            self.episodes[f"{ep.task_id}#{ep.sample_index}"] = ep
        self.offset += end

    def has_task(self, task_id: str, samples: int) -> bool:
        return all(f"{task_id}#{i}" in self.episodes for i in range(samples))

    def of_task(self, task_id: str, samples: int) -> list[_Episode]:
        found = [self.episodes.get(f"{task_id}#{i}") for i in range(samples)]
        missing = [i for i, e in enumerate(found) if e is None]
        if missing:
            raise RuntimeError(f"{self.path}: task {task_id} lacks episode(s) {missing} after its rollouts")
        return found  # type: ignore[return-value]


# --------------------------------------------------------------------------- the run
class Curriculum:
    """The run: ``Curriculum(config).run()``; ``play_round`` and ``train_round`` are callable alone.

    ``teacher`` (a rollout backend) plays the training episodes instead of the current model (a
    stronger model, or scripted play in tests); the current model is still what gets trained.
    """

    def __init__(self, config: CurriculumConfig, teacher: Backend | None = None) -> None:
        from curiosa import envs

        require_executor(config.rollout)
        self.config = config
        self.teacher = teacher
        self.dir = Path(config.output_dir)
        groups = list(dict.fromkeys(config.groups)) or list(envs.PAPRIKA_GROUPS)
        check_groups([*groups, *config.selection.group_names()])
        data_groups(groups, config.selection.groups)
        self.groups = groups
        pool: list[Task] = []
        for g in groups:
            tasks = envs.load_tasks(g, "train")
            pool += tasks if config.train_tasks_per_group is None else tasks[: config.train_tasks_per_group]
        self.tasks: dict[str, Task] = {t.id: t for t in pool}
        self.clusters = cluster_tasks(pool, config.cluster_by)
        self.arm_of = {t.id: arm for arm, ts in self.clusters.items() for t in ts}
        budget = config.rounds * config.tasks_per_round
        if budget > len(pool):
            raise ValueError(f"{config.rounds} rounds x {config.tasks_per_round} tasks need {budget} distinct train "
                             f"tasks but groups {', '.join(groups)} offer {len(pool)}: lower rounds or "
                             "tasks_per_round, or raise train_tasks_per_group")
        self.timings: dict[str, float] = {}

    # ------------------------------------------------------------------ paths and models
    def round_dir(self, r: int) -> Path:
        return self.dir / f"round-{r}"

    def base_model(self) -> str:
        return base_model_path(self.config.model)

    def new_bandit(self, r: int = 1) -> UCB1Bandit:
        seed = self.config.seed if r == 1 else int(stable_rng("curriculum-bandit", self.config.seed, r).integers(2**31))
        return UCB1Bandit(list(self.clusters), c=self.config.c, seed=seed)

    # ------------------------------------------------------------------ state files
    def _load_state(self, r: int) -> dict[str, Any] | None:
        path = self.round_dir(r) / "bandit.json"
        if not path.is_file():
            return None
        try:
            state = json.loads(path.read_text())
            UCB1Bandit.from_dict(state["bandit"])
            if not isinstance(state["chosen"], list) or not isinstance(state["pending"], list):
                raise ValueError("'chosen' and 'pending' must be lists")
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{path} is not a curriculum round state ({err!r}); delete the round directory "
                             "to replay the round") from None
        return state

    def _save_state(self, r: int, state: dict[str, Any]) -> None:
        write_json(self.round_dir(r) / "bandit.json", state)

    def used_tasks(self, before_round: int) -> set[str]:
        """Tasks chosen in rounds before ``before_round`` (each task is played at most once per run)."""
        used: set[str] = set()
        for r in range(1, before_round):
            state = self._load_state(r)
            if state is None:
                raise ValueError(f"round {r} has no {self.round_dir(r) / 'bandit.json'}: rounds run in order")
            used.update(c["task_id"] for c in state["chosen"])
        return used

    # ------------------------------------------------------------------ stage: pick and play
    def play_round(self, r: int, model_path: str, bandit: UCB1Bandit) -> tuple[UCB1Bandit, dict[str, Any]]:
        """Pick and play round ``r``'s tasks with ``model_path``; returns the updated bandit and the state."""
        cfg = self.config
        state = self._load_state(r)
        if state is not None and state.get("complete"):
            return UCB1Bandit.from_dict(state["bandit"]), state
        used = self.used_tasks(r)
        if state is None:
            if cfg.reset_bandit_each_round:
                bandit = self.new_bandit(r)
            state = {"round": r, "strategy": cfg.strategy, "cluster_by": cfg.cluster_by, "model": model_path,
                     "complete": False, "chosen": [], "pending": [], "bandit": bandit.to_dict()}
        else:
            bandit = UCB1Bandit.from_dict(state["bandit"])
            if state.get("model") != model_path:
                raise ValueError(f"{self.round_dir(r) / 'bandit.json'} was played by {state.get('model')} but the "
                                 f"round's model is now {model_path}; delete {self.round_dir(r)} to replay the round")
        used |= {c["task_id"] for c in state["chosen"]}
        out = self.round_dir(r) / "trajectories.jsonl"
        reader = _EpisodeReader(out)
        player: Executor | None = None
        try:
            while len(state["chosen"]) < cfg.tasks_per_round or state["pending"]:
                if not state["pending"]:
                    state["pending"] = self._pick(r, len(state["chosen"]), bandit, used)
                    state["bandit"] = bandit.to_dict()  # the rng moved: save it with the picks
                    self._save_state(r, state)
                pending = list(state["pending"])
                reader.refresh()
                if not all(reader.has_task(t, cfg.samples) for t in pending):
                    if player is None:
                        source = self.teacher if self.teacher is not None else replace(cfg.model, path=model_path)
                        player = open_executor(cfg.rollout, source)
                    self._play(pending, model_path, out, player)
                    reader.refresh()
                for task_id in pending:
                    episodes = reader.of_task(task_id, cfg.samples)
                    nu = learning_potential(episode_scores(episodes))
                    arm = self.arm_of[task_id]
                    bandit.update(arm, nu)
                    state["chosen"].append({"task_id": task_id, "arm": arm, "nu": nu,
                                            "successes": sum(e.success for e in episodes)})
                    used.add(task_id)
                state["pending"] = []
                state["bandit"] = bandit.to_dict()
                self._save_state(r, state)
        finally:
            if player is not None:
                player.close()
                del player  # the stage's end (pipelines.common.timed) gives its memory back
        state["complete"] = True
        state["arms"] = round_arm_stats(state["chosen"], list(self.clusters))
        state["cumulative"] = bandit.stats()
        self._save_state(r, state)
        return bandit, state

    def _pick(self, r: int, done: int, bandit: UCB1Bandit, used: set[str]) -> list[str]:
        """The next tasks to play; deterministic in (seed, round, tasks done) and the bandit's state, so a
        resumed round draws what the interrupted one would have."""
        cfg = self.config
        rng = stable_rng("curriculum-draw", cfg.seed, r, done)
        remaining = {arm: [t.id for t in ts if t.id not in used] for arm, ts in self.clusters.items()}
        if cfg.strategy == "uniform":
            pool = [t for ts in remaining.values() for t in ts]
            want = cfg.tasks_per_round - done
            if want > len(pool):
                raise ValueError(f"round {r}: {want} tasks wanted but only {len(pool)} unused train tasks remain")
            return [pool[i] for i in sorted(rng.choice(len(pool), size=want, replace=False))]
        size = min(cfg.batch_tasks, cfg.tasks_per_round - done)
        picks: list[str] = []
        pending: dict[str, int] = {}
        for _ in range(size):
            available = [a for a, ts in remaining.items() if ts]
            if not available:
                raise ValueError(f"round {r}: every cluster's train tasks are used up; lower rounds or "
                                 "tasks_per_round, or raise train_tasks_per_group")
            arm = bandit.select(available, pending)
            task_id = remaining[arm].pop(int(rng.integers(len(remaining[arm]))))
            picks.append(task_id)
            pending[arm] = pending.get(arm, 0) + 1
        return picks

    def _play(self, task_ids: list[str], model_path: str, out: Path, player: Executor) -> None:
        from curiosa.pipelines.generate import generate

        cfg = self.config
        generate(GenerateConfig(model=replace(cfg.model, path=model_path), task_ids=task_ids, samples=cfg.samples,
                                sampling=cfg.train_sampling, engine=cfg.engine, rollout=cfg.rollout, output=str(out),
                                seed=cfg.seed),
                 executor=player)

    # ------------------------------------------------------------------ stage: train
    def train_round(self, r: int, start: str) -> str:
        """RPO/DPO on round ``r``'s trajectories from ``start`` (also the reference); returns the model dir."""
        from curiosa.pipelines.train import TrainJob, run_training

        cfg = self.config
        out = self.round_dir(r) / cfg.train_kind
        data = self.round_dir(r) / "trajectories.jsonl"
        selection = replace(cfg.selection, seed=cfg.seed)
        if not (out / "model" / "DONE").is_file():
            self._check_pairs(r, data, selection)
        job = TrainJob(model=start, data=[str(data)], selection=selection,
                       train=replace(cfg.train, output_dir=str(out), seed=cfg.seed), dtype=cfg.dtype)
        return str(run_training(cfg.train_kind, job))  # type: ignore[arg-type]

    def _check_pairs(self, r: int, data: Path, selection: DataConfig) -> None:
        """Fail early, naming the round and the fix, when the round's play holds no contrast to learn."""
        from curiosa.data.sets import build_preference_pairs
        from curiosa.rollout.store import load_trajectories

        if not data.is_file():
            raise FileNotFoundError(f"round {r}: {data} does not exist; play the round before training it")
        trajectories = load_trajectories(data)
        pairs, stats = build_preference_pairs(trajectories, replace(selection, max_tokens=None))
        if not pairs:
            raise ValueError(
                f"round {r}: its {len(trajectories)} trajectories ({stats.tasks} tasks) yield no preference pair "
                f"({stats.tasks_without_success} tasks without a success, {stats.tasks_without_rejected} without a "
                f"clearly worse trajectory). Raise samples or tasks_per_round, relax selection (e.g. "
                f"selection.min_turn_gap, selection.success_as_rejected=true), or start from a model that wins "
                f"some games; data: {data}")

    # ------------------------------------------------------------------ stage: evaluate
    def evaluate(self, name: str, model_path: str) -> dict[str, Any]:
        return evaluate_groups(self.config, self.groups, model_path, self.dir / "eval" / name)

    # ------------------------------------------------------------------ the whole run
    def _check_resumable(self) -> None:
        """Refuse to continue a run directory made with other task-defining settings (it would mix them)."""
        from curiosa.pipelines.resume import refuse_changes, settings_changes

        saved = self.dir / "config.yaml"
        if saved.is_file() and any(self.dir.glob("round-*/bandit.json")):
            changes = settings_changes(saved, self.config, only=(*_RUN_DEFINING, "model.path"))
            refuse_changes(self.dir, "a curriculum run", changes, fix="output_dir")

    def _timed(self, stage: str, fn: Any, *args: Any) -> Any:
        return timed(self.timings, stage, fn, *args)

    def run(self) -> dict[str, Any]:
        """Run every round and the evaluation not yet done; returns summary.json's content."""
        from curiosa.evaluation.metrics import compare, print_summary
        from curiosa.pipelines.train import read_data_stats

        cfg = self.config
        if cfg.model.backend == "openai":
            raise ValueError("the curriculum trains the model: use a local model (backend transformers or vllm), "
                             "not an endpoint")
        self._check_resumable()
        self.dir.mkdir(parents=True, exist_ok=True)
        save_run_config(cfg, self.dir, finished=False)
        write_json(self.dir / "environment.json", environment_info())  # what "auto" resolved to, versions
        base = self._timed("base", self.base_model)
        model, bandit = base, self.new_bandit(1)
        rounds = []
        for r in range(1, cfg.rounds + 1):
            bandit, state = self._timed(f"round{r}_play", self.play_round, r, model, bandit)
            start, model = model, self._timed(f"round{r}_train", self.train_round, r, model)
            rounds.append({"round": r, "start_model": start, "model": model, "tasks": len(state["chosen"]),
                           "trajectories": len(state["chosen"]) * cfg.samples,
                           "data": read_data_stats(Path(model).parent),
                           "arms": state.get("arms") or round_arm_stats(state["chosen"], list(self.clusters)),
                           "cumulative": state.get("cumulative") or bandit.stats()})
        final = self._timed("eval_final", self.evaluate, "final", model)
        summary: dict[str, Any] = {"strategy": cfg.strategy, "cluster_by": cfg.cluster_by, "groups": self.groups,
                                   "base_model": base, "final_model": model,
                                   "trajectories": sum(r["trajectories"] for r in rounds), "rounds": rounds,
                                   "bandit": bandit.stats(), "evaluation": final}
        if cfg.evaluate_base:
            base_summary = self._timed("eval_base", self.evaluate, "base", base)
            summary["comparison"] = compare(base_summary, final)
        write_json(self.dir / "summary.json", summary)
        save_run_config(cfg, self.dir, finished=True)
        save_timings(self.dir / "timings.json", self.timings)
        print_summary(summary.get("comparison", final))
        return summary


def round_arm_stats(chosen: Sequence[Mapping[str, Any]], arms: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Pulls, mean nu and successes per arm over one round's chosen tasks (arms never pulled included)."""
    out: dict[str, dict[str, Any]] = {a: {"pulls": 0, "mean_nu": None, "episodes_won": 0} for a in arms}
    for c in chosen:
        s = out.setdefault(c["arm"], {"pulls": 0, "mean_nu": None, "episodes_won": 0})
        s["mean_nu"] = ((s["mean_nu"] or 0.0) * s["pulls"] + c["nu"]) / (s["pulls"] + 1)
        s["pulls"] += 1
        s["episodes_won"] += int(c.get("successes", 0))
    return out


def run_curriculum(config: CurriculumConfig, teacher: Backend | None = None) -> dict[str, Any]:
    return Curriculum(config, teacher).run()


def cli_run(args: Any, config: CurriculumConfig) -> str:
    """``curiosa curriculum``: run, then point at the results (the table is printed by the run)."""
    run_curriculum(config)
    return f"run directory: {config.output_dir} (summary.json, round-*/bandit.json)"
