"""SCoRe end to end (docs/score.md) in one run directory, every stage resumable.

Stages and their outputs (a rerun skips what is done and resumes the rest):

1. ``base``: the starting model (the embedded default is warm-started first if absent).
2. ``samples``: the base model's two-attempt episodes on training problems at the RL temperature
   -> ``data/base_samples.jsonl``: the data of the SFT baselines.
3. ``star``: STaR, SFT on the sampled episodes whose first attempt was wrong and second right.
4. ``pair_sft``: Pair-SFT, SFT on synthetic repairs: a wrong first attempt followed by a correct
   answer to the same problem, both sampled from the base model.
5. ``score``: Stage I then Stage II (the schedule of ``RLConfig``), KL to the base model ->
   ``rl/score``.
6. ``alpha0``: the same schedule from SCoRe's Stage I model with alpha = 0 (``rl/alpha0``).
7. ``stage2_only``: Stage II alone from the base model, as many steps as SCoRe (``rl/stage2_only``).
8. ``single_turn_rl``: RL on attempt 1 alone, as many steps as SCoRe (``rl/single_turn_rl``).
9. ``eval``: every model on the held-out problems, greedy -> ``eval/<method>/``.
10. ``report``: ``metrics.json`` (every method's Acc@t1, Acc@t2, Delta, Delta_i->c, Delta_c->i,
    changed-answer rate, with intervals), ``report.html`` and ``figures/*.png``; the table is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

from curiosa.envs.task import Task
from curiosa.files import write_json
from curiosa.runtime import environment_info
from curiosa.pipelines.common import base_model_path, logger, save_run_config, save_timings, timed
from curiosa.pipelines.generate import GenerateConfig
from curiosa.pipelines.rl import RLConfig
from curiosa.rollout.engine import EngineConfig
from curiosa.rollout.executor_config import ExecutorConfig, require_executor
from curiosa.rollout.backends import ModelConfig
from curiosa.rollout.trajectory import Trajectory
from curiosa.rollout.types import Backend, SamplingConfig
from curiosa.training.rl import Phase
from curiosa.training.sft import SFTConfig

BASELINES = ("star", "pair_sft", "single_turn_rl", "stage2_only", "alpha0")
"""The paper's baselines, in report order (SCoRe itself is always run)."""


class NoTrainingData(ValueError):
    """A baseline found nothing to train on in the base model's samples (it is skipped, with the reason)."""


def _greedy() -> SamplingConfig:
    return SamplingConfig(temperature=0.0, max_new_tokens=256)


def _sft() -> SFTConfig:
    return SFTConfig(learning_rate=1e-5, batch_size=32, epochs=2, save_every=0)


def _engine() -> EngineConfig:
    return EngineConfig(max_resamples=0)


@dataclass
class DataFiles:
    """JSON-lines files of problems; unset: ``group`` must be a game that is already registered."""

    format: str = "math"
    """math (records with problem/question and answer/solution: MATH, GSM8K) or mbpp (text, code, test_list)."""
    train: str | None = None
    """Training problems."""
    test: str | None = None
    """Held-out problems."""
    path: str | None = None
    """One file instead of train and test, split by the dataset's own rule (math: a hash of each problem)."""

    def __post_init__(self) -> None:
        if self.format not in ("math", "mbpp"):
            raise ValueError(f"data_files.format must be math or mbpp, got {self.format!r}")

    @property
    def given(self) -> bool:
        return any((self.train, self.test, self.path))


@dataclass
class ScoreConfig:
    """The whole SCoRe run (defaults: the paper's settings; configs/score.yaml: the CPU default)."""

    output_dir: str = "runs/score"
    """The run directory: every stage's output, the config, metrics.json and report.html."""
    model: ModelConfig = field(default_factory=ModelConfig)
    """The base model ('default': the embedded default model, warm-started first if absent)."""
    group: str = "math_synthetic"
    """The two-attempt task group: math_synthetic (the offline default), humaneval, or the name your
    data_files are registered under (e.g. math, gsm8k, mbpp)."""
    data_files: DataFiles = field(default_factory=lambda: DataFiles())
    """Your own problems (MATH/GSM8K or MBPP JSON lines), registered as the game ``group`` for this run."""
    levels: list[int] = field(default_factory=list)
    """Only problems of these difficulty levels (task parameter 'difficulty'; empty: all)."""
    train_tasks: int | None = None
    """Training problems (the first N of the train split after the level filter; default: all)."""
    eval_tasks: int | None = None
    """Held-out problems evaluated (the first N of the test split after the level filter; default: all)."""
    stage1_steps: int = 100
    """Stage I steps per round."""
    stage2_steps: int = 100
    """Stage II steps per round."""
    rounds: int = 1
    """Repeat Stage I + Stage II this many times (interleaving the stages)."""
    rl: RLConfig = field(default_factory=RLConfig)
    """RL settings shared by SCoRe and the RL baselines (phases are set from the steps above;
    output_dir is set per method)."""
    baselines: list[str] = field(default_factory=lambda: list(BASELINES))
    """Baselines to run: star, pair_sft, single_turn_rl, stage2_only, alpha0."""
    sample_tasks: int | None = None
    """Training problems the base model samples for the SFT baselines (default: all training problems)."""
    samples: int = 4
    """Episodes per problem sampled for the SFT baselines (at rl.sampling)."""
    pairs_per_problem: int = 1
    """Pair-SFT: synthetic repairs per problem (each a different wrong attempt when there are several)."""
    sft: SFTConfig = field(default_factory=_sft)
    """SFT of the STaR and Pair-SFT baselines (output_dir is set per method)."""
    eval_sampling: SamplingConfig = field(default_factory=_greedy)
    """Sampling in evaluation (paper: greedy)."""
    engine: EngineConfig = field(default_factory=_engine)
    """Batching of evaluation and sampling; max_resamples 0: an unreadable attempt is a wrong one."""
    rollout: ExecutorConfig = field(default_factory=ExecutorConfig)
    """Where the sampling and evaluation episodes are played: in this process, or on Ray workers
    (rollout.executor=ray rollout.workers=N; the same episodes either way)."""
    dtype: str = "auto"
    """Weights' dtype in training (auto: bf16 on capable GPUs; on a CPU float32 master weights, computed in
    bf16 autocast where the CPU has bf16)."""
    report: bool = True
    """Write report.html and the figures at the end."""
    seed: int = 0
    """Seed of everything random: problems per step, sampling, data selection, training order."""

    def __post_init__(self) -> None:
        unknown = [b for b in self.baselines if b not in BASELINES]
        if unknown:
            raise ValueError(f"unknown baseline(s) {', '.join(unknown)}; known: {', '.join(BASELINES)}")
        if self.stage1_steps < 1 or self.stage2_steps < 1 or self.rounds < 1:
            raise ValueError("stage1_steps, stage2_steps and rounds must be at least 1")
        if self.samples < 1:
            raise ValueError(f"samples must be at least 1, got {self.samples}")


def register_data_files(group: str, files: DataFiles) -> None:
    """Register the user's problem files as the game ``group`` (once per process)."""
    from curiosa import envs

    if not files.given:
        return
    if group in envs.names():
        raise ValueError(f"data_files are given but a game named {group!r} already exists; choose another group name")
    if files.format == "mbpp":
        from curiosa.envs.code_tasks import register_mbpp_jsonl

        register_mbpp_jsonl(train=files.train, test=files.test, path=files.path, name=group)
    else:
        from curiosa.envs.math_data import register_math_jsonl

        register_math_jsonl(train=files.train, test=files.test, path=files.path, name=group)


def select_tasks(group: str, split: str, levels: Sequence[int], limit: int | None) -> list[Task]:
    """The split's problems of the chosen difficulty levels, in their fixed order, the first ``limit``."""
    from curiosa import envs
    from curiosa.envs.self_correction import SelfCorrectionEnv

    if group not in envs.names() or not issubclass(envs.env_class(group), SelfCorrectionEnv):
        known = [g for g in envs.names() if issubclass(envs.env_class(g), SelfCorrectionEnv)]
        raise ValueError(f"{group!r} is not a two-attempt task group; expected one of {', '.join(known)} "
                         "(or give data_files to register your own MATH/GSM8K or MBPP problems under that name)")
    tasks = envs.load_tasks(group, split)
    if levels:
        missing = [t.id for t in tasks if "difficulty" not in t.params]
        if missing:
            raise ValueError(f"levels is set but {group} tasks have no difficulty level (e.g. {missing[0]})")
        tasks = [t for t in tasks if t.params["difficulty"] in set(levels)]
    if not tasks:
        raise ValueError(f"no {group} {split} problems at levels {list(levels)}")
    return tasks if limit is None else tasks[:limit]


def star_rows(episodes: Sequence[Trajectory]) -> list[Trajectory]:
    """STaR's data: episodes whose first attempt was wrong (but readable) and second right (both
    attempts trained)."""
    from curiosa.evaluation.self_correction import attempts

    return [t for t in episodes if t.format_errors == 0 and attempts(t)[0] == [0.0, 1.0]]


def pair_sft_rows(episodes: Sequence[Trajectory], revision_prompt: str, per_problem: int = 1,
                  seed: int = 0) -> list[Trajectory]:
    """Pair-SFT's data: for each problem, a wrong first attempt followed by a correct answer to the
    same problem (any correct attempt of any sample), as a new two-attempt conversation."""
    import numpy as np

    from curiosa.evaluation.self_correction import attempts

    rng = np.random.default_rng(seed)
    by_task: dict[str, list[Trajectory]] = {}
    for t in episodes:
        by_task.setdefault(t.task_id, []).append(t)
    rows = []
    for task_id in sorted(by_task):
        wrong, right = [], []
        for t in by_task[task_id]:
            (r1, r2), (a1, _) = attempts(t)
            replies = [m["content"] for m in t.messages if m["role"] == "assistant"]
            if replies and a1 is not None:
                (right if r1 > 0 else wrong).append((t, replies[0]))
            if len(replies) > 1 and r2 > 0:
                right.append((t, replies[1]))
        if not wrong or not right:
            continue
        for n, w in enumerate(rng.permutation(len(wrong))[:per_problem]):
            source, bad = wrong[int(w)]
            good = right[int(rng.integers(len(right)))][1]
            messages = [source.messages[0], {"role": "assistant", "content": bad},
                        {"role": "user", "content": revision_prompt}, {"role": "assistant", "content": good}]
            rows.append(replace(source, id=f"{task_id}#pair{n}", sample_index=n, messages=messages, success=True,
                                num_turns=2, score=1.0, stop_reason="success", input_ids=None, agent_mask=None,
                                policy={**source.policy, "synthetic": "pair_sft"}, format_errors=0,
                                info={"final_feedback": {"attempt_rewards": [0.0, 1.0]}}))
    return rows


class Score:
    """The run: ``Score(config).run()``; each stage method is also callable on its own.

    ``teacher`` (a rollout backend) plays the SFT baselines' sample episodes instead of the base
    model: scripted play in tests. Everything trained still starts from the base model.
    """

    def __init__(self, config: ScoreConfig, teacher: Backend | None = None) -> None:
        require_executor(config.rollout)
        self.config = config
        self.teacher = teacher
        self.dir = Path(config.output_dir)
        register_data_files(config.group, config.data_files)
        self.train_tasks = select_tasks(config.group, "train", config.levels, config.train_tasks)
        self.eval_tasks = select_tasks(config.group, "test", config.levels, config.eval_tasks)
        if len(self.train_tasks) < config.rl.prompts_per_step:
            raise ValueError(f"rl.prompts_per_step {config.rl.prompts_per_step} is more than the "
                             f"{len(self.train_tasks)} training problems")
        self.timings: dict[str, float] = {}

    # ------------------------------------------------------------------ stages
    def base_model(self) -> str:
        return base_model_path(self.config.model)

    def _play(self, model_path: str, tasks: Sequence[Task], samples: int, sampling: SamplingConfig,
              output: Path, backend: Backend | None = None) -> list[Trajectory]:
        from curiosa.rollout.engine import make_jobs
        from curiosa.pipelines.generate import generate
        from curiosa.rollout.store import load_trajectories

        cfg = self.config
        generate(GenerateConfig(model=replace(cfg.model, path=model_path), task_ids=[t.id for t in tasks],
                                samples=samples, sampling=sampling, engine=cfg.engine, rollout=cfg.rollout,
                                output=str(output), seed=cfg.seed),
                 backend)
        wanted = {j.id for j in make_jobs(tasks, samples, seed=cfg.seed)}
        return [t for t in load_trajectories(output) if t.id in wanted]

    def base_samples(self, base: str) -> list[Trajectory]:
        cfg = self.config
        tasks = self.train_tasks if cfg.sample_tasks is None else self.train_tasks[: cfg.sample_tasks]
        return self._play(base, tasks, cfg.samples, cfg.rl.sampling, self.dir / "data" / "base_samples.jsonl",
                          self.teacher)

    def _sft(self, method: str, base: str, rows: list[Trajectory]) -> str:
        from curiosa.data.sets import save_jsonl
        from curiosa.pipelines.train import TrainJob, run_training

        out = self.dir / method
        if not (out / "model" / "DONE").is_file():
            if not rows:
                raise NoTrainingData(f"{method}: the base model's samples hold no usable example; sample more "
                                     "(samples, sample_tasks) or use easier problems (levels)")
            save_jsonl(rows, self.dir / "data" / f"{method}.jsonl")
        job = TrainJob(model=base, data=[str(self.dir / "data" / f"{method}.jsonl")],
                       train=replace(self.config.sft, output_dir=str(out), seed=self.config.seed), dtype=self.config.dtype)
        return str(run_training("sft", job))

    def star(self, base: str, samples: list[Trajectory]) -> str:
        return self._sft("star", base, star_rows(samples))

    def pair_sft(self, base: str, samples: list[Trajectory]) -> str:
        from curiosa import envs

        prompt = type(envs.make(self.config.group, task=self.train_tasks[0])).revision_prompt
        return self._sft("pair_sft", base, pair_sft_rows(samples, prompt, self.config.pairs_per_problem, self.config.seed))

    def schedule(self) -> list[Phase]:
        cfg = self.config
        return [Phase("stage1", cfg.stage1_steps), Phase("stage2", cfg.stage2_steps)] * cfg.rounds

    def _rl(self, method: str, start: str, base: str, phases: list[Phase], **overrides: Any) -> str:
        from curiosa.pipelines.rl import run_rl

        settings = replace(self.config.rl, output_dir=str(self.dir / "rl" / method), phases=phases,
                           seed=self.config.seed, **overrides)
        return str(run_rl(settings, start, self.train_tasks, dtype=self.config.dtype, reference_path=base))

    def score(self, base: str) -> str:
        return self._rl("score", base, base, self.schedule())

    def alpha0(self, base: str) -> str:
        """SCoRe with alpha = 0, sharing SCoRe's first Stage I (only the later phases are run again)."""
        score_stage1 = self.dir / "rl" / "score" / "phase-1-stage1" / "model"
        if not (score_stage1 / "DONE").is_file():
            raise FileNotFoundError(f"{score_stage1} is missing: run SCoRe first")
        return self._rl("alpha0", str(score_stage1), base, self.schedule()[1:], alpha=0.0)

    def stage2_only(self, base: str) -> str:
        return self._rl("stage2_only", base, base, [Phase("stage2", sum(p.steps for p in self.schedule()))])

    def single_turn_rl(self, base: str) -> str:
        return self._rl("single_turn_rl", base, base, [Phase("single_turn", sum(p.steps for p in self.schedule()))])

    def evaluate(self, method: str, model_path: str) -> dict[str, Any]:
        from curiosa.evaluation.self_correction import summarize_self_correction

        out = self.dir / "eval" / method
        episodes = self._play(model_path, self.eval_tasks, 1, self.config.eval_sampling, out / "trajectories.jsonl")
        summary = summarize_self_correction(episodes, task_params={t.id: t.params for t in self.eval_tasks},
                                            seed=self.config.seed)
        summary["model"] = model_path
        write_json(out / "summary.json", summary)
        return summary

    def _timed(self, stage: str, fn: Any, *args: Any) -> Any:
        return timed(self.timings, stage, fn, *args)

    def run(self) -> dict[str, Any]:
        """Run every stage not yet done; returns metrics.json's content."""
        from curiosa.evaluation.self_correction import format_self_correction_table, result_checks, result_headline

        cfg = self.config
        if cfg.model.backend != "transformers":
            raise ValueError("SCoRe trains the model on its own rollouts: use the transformers backend")
        self.dir.mkdir(parents=True, exist_ok=True)
        save_run_config(cfg, self.dir, finished=False)
        write_json(self.dir / "environment.json", environment_info())  # what "auto" resolved to, versions
        base = self._timed("base", self.base_model)
        models = {"base": base}
        skipped: dict[str, str] = {}
        if {"star", "pair_sft"} & set(cfg.baselines):
            samples = self._timed("samples", self.base_samples, base)
            for method in ("star", "pair_sft"):
                if method in cfg.baselines:
                    try:
                        models[method] = self._timed(method, getattr(self, method), base, samples)
                    except NoTrainingData as err:
                        skipped[method] = str(err)
                        logger.warning("skipping %s", err)
        models["score"] = self._timed("score", self.score, base)
        for method in ("single_turn_rl", "stage2_only", "alpha0"):
            if method in cfg.baselines:
                models[method] = self._timed(method, getattr(self, method), base)
        order = ["base", *[b for b in BASELINES if b in models], "score"]
        summaries = {name: self._timed(f"eval_{name}", self.evaluate, name, models[name]) for name in order}
        metrics = {"group": cfg.group, "levels": list(cfg.levels), "eval_problems": len(self.eval_tasks),
                   "methods": summaries, "models": models, "skipped": skipped, "result": result_checks(summaries)}
        write_json(self.dir / "metrics.json", metrics)
        save_run_config(cfg, self.dir, finished=True)
        save_timings(self.dir / "timings.json", self.timings)
        if cfg.report:
            from curiosa.evaluation.score_report import write_score_report

            self._timed("report", write_score_report, self.dir)
        print(format_self_correction_table(summaries))
        for message in skipped.values():
            print(f"skipped {message}")
        print(result_headline(metrics["result"]))
        return metrics


def run_score(config: ScoreConfig, teacher: Backend | None = None) -> dict[str, Any]:
    return Score(config, teacher).run()
