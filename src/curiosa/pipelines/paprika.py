"""PAPRIKA end to end (docs/paprika.md) in one run directory, every stage resumable.

Stages and what marks each one done (a rerun skips finished stages and resumes the rest):

1. ``base``: the starting model (the embedded default is warm-started first if absent).
2. ``rollouts``: the base model plays every training task ``samples`` times at temperature 1.5,
   min-p 0.3 -> ``trajectories/train.jsonl`` (append-only; a rerun plays only what is missing).
3. ``sft``: multi-turn SFT on the successful trajectories -> ``sft/model`` (``sft/sft_set.jsonl``).
4. ``rpo``: RPO from the SFT model, its reference log-probs computed once from the SFT model ->
   ``rpo/model`` (``rpo/pairs.jsonl``).
5. ``eval``: base and tuned model on the test tasks (4 samples, temperature 0.7, min-p 0.3), the
   same environment seeds for both -> ``eval/{base,tuned}/trajectories.jsonl`` and ``summary.json``.
6. ``report``: ``metrics.json`` (base vs tuned per group and overall), ``report.html`` and
   ``figures/*.png``; the summary table is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from curiosa.data.sets import DataConfig
from curiosa.files import write_json
from curiosa.runtime import environment_info
from curiosa.pipelines.common import (base_model_path, check_groups, data_groups, evaluate_groups, paper_rpo,
                                     paper_train_sampling, save_run_config, save_timings, timed)
from curiosa.pipelines.evaluate import paper_eval_sampling
from curiosa.pipelines.generate import GenerateConfig, select_tasks
from curiosa.rollout.engine import EngineConfig
from curiosa.rollout.executor_config import ExecutorConfig, require_executor
from curiosa.rollout.backends import ModelConfig
from curiosa.rollout.types import Backend, SamplingConfig
from curiosa.training.dpo import DPOConfig
from curiosa.training.offline import OfflineConfig
from curiosa.training.sft import SFTConfig


def _sft() -> SFTConfig:
    return SFTConfig(learning_rate=1e-6, batch_size=32, save_every=0)


@dataclass
class PaprikaConfig:
    """The whole PAPRIKA run (defaults: the paper's settings; configs/paprika.yaml: the CPU default)."""

    output_dir: str = "runs/paprika"
    """The run directory: every stage's output, the config, metrics.json and report.html."""
    model: ModelConfig = field(default_factory=ModelConfig)
    """The base model ('default': the embedded default model, warm-started first if absent) and its backend."""
    groups: list[str] = field(default_factory=list)
    """Task groups trained on and evaluated (empty: the ten PAPRIKA games)."""
    leave_out: list[str] = field(default_factory=list)
    """Groups left out of training (still evaluated): the leave-one-out experiment."""
    train_tasks_per_group: int | None = None
    """Training tasks per group (first N of the train split; default: all)."""
    first_train_task: int = 0
    """Skip this many tasks of each group's train split first: a second round, started from the first
    round's model, then plays tasks the first round did not train on (first_train_task=train_tasks_per_group)."""
    samples: int = 20
    """Trajectories per training task (paper: 20)."""
    samples_per_group: dict[str, int] = field(default_factory=dict)
    """Per-group overrides of samples (paper: mastermind 100)."""
    train_sampling: SamplingConfig = field(default_factory=paper_train_sampling)
    """Sampling of the training trajectories (paper: temperature 1.5, min-p 0.3)."""
    selection: DataConfig = field(default_factory=DataConfig)
    """How the SFT set and the preference pairs are selected."""
    sft: SFTConfig = field(default_factory=_sft)
    """SFT stage (its output_dir is set to <run>/sft)."""
    rpo: DPOConfig = field(default_factory=paper_rpo)
    """RPO stage, starting from the SFT model, which is also its reference (output_dir <run>/rpo)."""
    skip_sft: bool = False
    """Go straight to RPO from the base model."""
    eval_tasks_per_group: int | None = None
    """Test tasks per group (first N of the test split; default: all)."""
    eval_samples: int = 4
    """Evaluation episodes per test task (paper: 4); pass@k uses k = this."""
    eval_sampling: SamplingConfig = field(default_factory=paper_eval_sampling)
    """Sampling in evaluation (paper: temperature 0.7, min-p 0.3)."""
    engine: EngineConfig = field(default_factory=EngineConfig)
    """Batching and resampling of unreadable replies, for every generation stage."""
    rollout: ExecutorConfig = field(default_factory=ExecutorConfig)
    """Where every generation stage's episodes are played: in this process, or on Ray workers
    (rollout.executor=ray rollout.workers=N; the same episodes either way)."""
    dtype: str = "auto"
    """Weights' dtype in training (auto: bf16 on capable GPUs; on a CPU float32 master weights, computed in
    bf16 autocast where the CPU has bf16)."""
    report: bool = True
    """Write report.html and the figures at the end."""
    seed: int = 0
    """Seed of the environment seeds, the data selection and the training order."""

    def __post_init__(self) -> None:
        if self.samples < 2:
            raise ValueError(f"samples must be at least 2 (preference pairs compare samples of a task), got {self.samples}")
        few = {g: n for g, n in self.samples_per_group.items() if n < 2}
        if few:
            raise ValueError(f"samples_per_group must be at least 2 per group (preference pairs compare samples of a "
                             f"task), got {few}")
        if self.eval_samples < 1:
            raise ValueError(f"eval_samples must be at least 1, got {self.eval_samples}")
        if self.first_train_task < 0:
            raise ValueError(f"first_train_task must be 0 or more, got {self.first_train_task}")


class Paprika:
    """The run: ``Paprika(config).run()``; each stage method is also callable on its own.

    ``teacher`` (a rollout backend) plays the training episodes instead of the base model: a
    stronger model's play, or scripted play in tests. The base model is still what gets trained.
    """

    def __init__(self, config: PaprikaConfig, teacher: Backend | None = None) -> None:
        from curiosa import envs

        require_executor(config.rollout)
        self.config = config
        self.teacher = teacher
        self.dir = Path(config.output_dir)
        groups = list(config.groups) or list(envs.PAPRIKA_GROUPS)
        check_groups([*groups, *config.leave_out, *config.samples_per_group, *config.selection.group_names()])
        stray = [g for g in config.leave_out if g not in groups]
        if stray:
            raise ValueError(f"leave_out names group(s) not in groups: {', '.join(stray)}")
        self.groups = groups
        self.train_groups = [g for g in groups if g not in config.leave_out]
        if not self.train_groups:
            raise ValueError("every group is left out: nothing to train on")
        self.data_groups = data_groups(self.train_groups, config.selection.groups)  # never a left-out one
        if not config.skip_sft and set(self.data_groups) <= set(config.selection.pairs_only):
            raise ValueError(f"every trained group is in selection.pairs_only ({', '.join(self.data_groups)}): "
                             "SFT would have no rows; set skip_sft=true or selection.pairs_only=[]")
        if config.first_train_task:  # a split it runs past is named now, not after the base model is built
            select_tasks(GenerateConfig(games=self.train_groups, split="train", first_task=config.first_train_task))
        self.timings: dict[str, float] = {}

    # ------------------------------------------------------------------ stages
    def base_model(self) -> str:
        return base_model_path(self.config.model)

    def rollouts(self) -> Path:
        cfg = self.config
        out = self.dir / "trajectories" / "train.jsonl"
        from curiosa.pipelines.generate import generate

        model = replace(cfg.model, path=self.base_model())
        per_game = {g: n for g, n in cfg.samples_per_group.items() if g in self.train_groups}
        generate(GenerateConfig(model=model, games=self.train_groups, split="train",
                                tasks_per_game=cfg.train_tasks_per_group, first_task=cfg.first_train_task,
                                samples=cfg.samples, samples_per_game=per_game, sampling=cfg.train_sampling,
                                engine=cfg.engine, rollout=cfg.rollout, output=str(out), seed=cfg.seed),
                 backend=self.teacher)
        return out

    def _train(self, kind: str, start: str, data: Path, train: OfflineConfig) -> str:
        from curiosa.pipelines.train import TrainJob, run_training

        settings = replace(train, output_dir=str(self.dir / kind), seed=self.config.seed)
        selection = replace(self.config.selection, seed=self.config.seed, groups=self.data_groups)
        job = TrainJob(model=start, data=[str(data)], selection=selection,
                       train=settings, dtype=self.config.dtype)
        return str(run_training(kind, job))  # type: ignore[arg-type]

    def evaluate(self, name: str, model_path: str) -> dict[str, Any]:
        return evaluate_groups(self.config, self.groups, model_path, self.dir / "eval" / name)

    def _timed(self, stage: str, fn: Any, *args: Any) -> Any:
        return timed(self.timings, stage, fn, *args)

    def run(self) -> dict[str, Any]:
        """Run every stage not yet done; returns the base-vs-tuned comparison (metrics.json)."""
        from curiosa.evaluation.metrics import compare, print_summary

        cfg = self.config
        if cfg.model.backend == "openai":
            raise ValueError("PAPRIKA trains the model: use a local model (backend transformers or vllm), not an endpoint")
        self.dir.mkdir(parents=True, exist_ok=True)
        save_run_config(cfg, self.dir, finished=False)
        write_json(self.dir / "environment.json", environment_info())  # what "auto" resolved to, versions
        base = self._timed("base", self.base_model)
        data = self._timed("rollouts", self.rollouts)
        start = base if cfg.skip_sft else self._timed("sft", self._train, "sft", base, data, cfg.sft)
        tuned = self._timed("rpo", self._train, "rpo", start, data, cfg.rpo)
        base_summary = self._timed("eval_base", self.evaluate, "base", base)
        tuned_summary = self._timed("eval_tuned", self.evaluate, "tuned", tuned)
        comparison = compare(base_summary, tuned_summary)
        comparison["models"] = {"base": base, "tuned": tuned}
        write_json(self.dir / "metrics.json", comparison)
        save_run_config(cfg, self.dir, finished=True)
        save_timings(self.dir / "timings.json", self.timings)
        if cfg.report:
            from curiosa.evaluation.report import write_report

            self._timed("report", write_report, self.dir)
        print_summary(comparison)
        return comparison


def run_paprika(config: PaprikaConfig, teacher: Backend | None = None) -> dict[str, Any]:
    return Paprika(config, teacher).run()


def trained_groups(run_dir: str | Path) -> set[str] | None:
    """The groups that gave a finished run at least one training example (an SFT row or an RPO pair),
    from its training stages' data-stats record (``curiosa.pipelines.train.DATA_STATS``); None when that
    cannot be told (no training stage finished, or one finished without its record).

    Both stages take examples only from tasks with a successful episode, and pair selection draws its
    random numbers only for such tasks, so leaving out a group outside this set trains on exactly the
    same examples: a leave-one-out study need not train that model again."""
    from curiosa.pipelines.train import read_data_stats

    run = Path(run_dir)
    groups: set[str] = set()
    finished = 0
    for stage in ("sft", "rpo"):
        if not (run / stage / "model" / "DONE").is_file():
            continue
        stats = read_data_stats(run / stage)
        if stats is None:
            return None
        finished += 1
        groups |= {g for g, counts in stats.get("by_group", {}).items() if any(counts.values())}
    return groups if finished else None
