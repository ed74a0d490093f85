"""``curiosa train sft|dpo|rpo``: from trajectory files to a trained model directory."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from curiosa.data.encode import Encoder
from curiosa.data.examples import Example, pair_examples, sft_examples
from curiosa.data.sets import (DataConfig, PreferencePair, build_preference_pairs, build_sft_set, load_pairs,
                               save_jsonl)
from curiosa.rollout.store import load_trajectories
from curiosa.rollout.trajectory import Trajectory
from curiosa.pipelines.resume import check_training_stage, file_digest, save_inputs
from curiosa.training.base import RESUME_NEUTRAL, make_accelerator
from curiosa.training.dpo import DPOConfig, DPOTrainer
from curiosa.training.offline import OfflineConfig
from curiosa.training.sft import SFTConfig, SFTTrainer

Kind = Literal["sft", "dpo", "rpo"]

DATA_STATS = "data_stats.json"
"""Written into a training run's directory: what the selection kept and dropped, in all and by group."""


def read_data_stats(train_dir: str | Path) -> dict[str, Any] | None:
    """A training run's ``DATA_STATS`` record, or None if it has none."""
    path = Path(train_dir) / DATA_STATS
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


@dataclass
class TrainJob:
    """A training run: starting model, data, selection rules and optimisation."""

    model: str = "default"
    """Starting model directory ('default': the embedded default model). It is also the DPO/RPO reference."""
    data: list[str] = field(default_factory=list)
    """Trajectory JSON-lines files (SFT rows and pairs are selected from them), or for dpo/rpo a
    pairs file written by an earlier run (pairs.jsonl)."""
    selection: DataConfig = field(default_factory=DataConfig)
    """How SFT rows and preference pairs are selected."""
    train: DPOConfig = field(default_factory=DPOConfig)
    """Optimisation settings (beta and alpha matter to dpo and rpo only; dpo trains with alpha 0)."""
    dtype: str = "auto"
    """Weights' dtype while training: auto (bf16 on capable GPUs; float32 master weights on a CPU, computed in
    bf16 autocast where the CPU has bf16), float32, bfloat16."""


def _is_pairs_file(path: Path) -> bool:
    with open(path, encoding="utf-8") as fh:
        first = fh.readline()
    try:
        return isinstance(json.loads(first), dict) and "chosen" in json.loads(first)
    except json.JSONDecodeError:
        return False


def _check_files(job: TrainJob) -> None:
    if not job.data:
        raise ValueError("no data: set data=[path/to/trajectories.jsonl, ...]")
    for p in job.data:
        if not Path(p).is_file():
            raise FileNotFoundError(f"data file {p} does not exist")


def _reads_pairs(kind: Kind, paths: list[Path]) -> bool:
    """Whether the data is read as preference pairs; otherwise every file is read as trajectories."""
    return kind != "sft" and all(_is_pairs_file(p) for p in paths)


@dataclass
class TrainingData:
    """A job's files, read once: preference pairs (pairs files, for dpo and rpo) or trajectories."""

    pairs: list[PreferencePair] | None = None
    trajectories: list[Trajectory] | None = None


def read_data(kind: Kind, job: TrainJob) -> TrainingData:
    """Read the job's files and check the selection's group names against them, before any model
    loads: a missing file or a misspelt group fails in seconds, and the files are parsed once."""
    _check_files(job)
    paths = [Path(p) for p in job.data]
    if _reads_pairs(kind, paths):
        return TrainingData(pairs=[pair for p in paths for pair in load_pairs(p)])
    trajectories = [t for p in paths for t in load_trajectories(p)]
    check_selection_groups(job.selection, {t.group for t in trajectories})
    return TrainingData(trajectories=trajectories)


def check_selection_groups(selection: DataConfig, present: set[str]) -> None:
    """Refuse a selection whose group names match nothing, before any model is loaded: a misspelt name in
    ``pairs_only`` or ``reward_ranked`` would otherwise be ignored, and ``groups`` naming none of the data's
    groups would select nothing. A name is accepted if the data holds it or the registry knows it (the
    default ``reward_ranked`` names a game that math data, say, does not hold)."""
    from curiosa import envs
    from curiosa.pipelines.common import data_groups

    unknown = [g for g in selection.group_names() if g not in present and g not in envs.names()]
    if unknown:
        raise KeyError(f"selection names group(s) {', '.join(unknown)} that neither the data "
                       f"({', '.join(sorted(present))}) nor the game registry holds")
    data_groups(sorted(present), selection.groups)


def prepare_examples(kind: Kind, job: TrainJob, data: TrainingData, tokenizer: Any,
                     write: bool = True) -> tuple[list[Example], dict[str, Any]]:
    """Select and encode the training examples; writes the selected set next to the outputs."""
    encoder = Encoder.for_tokenizer(tokenizer)
    out = Path(job.train.output_dir)
    if data.pairs is not None:
        return pair_examples(data.pairs, encoder), {"pairs": len(data.pairs)}
    trajectories = data.trajectories or []
    lengths = None
    if job.selection.max_tokens is not None:
        lengths = {t.id: len(encoder.encode(t).input_ids) for t in trajectories}
    if kind == "sft":
        rows, stats = build_sft_set(trajectories, job.selection, lengths)
        if write:
            save_jsonl(rows, out / "sft_set.jsonl")
        return sft_examples(rows, encoder), vars(stats)
    pairs, stats = build_preference_pairs(trajectories, job.selection, lengths)
    if write:
        save_jsonl(pairs, out / "pairs.jsonl")
    return pair_examples(pairs, encoder), vars(stats)


def settings_for(kind: Kind, settings: OfflineConfig) -> SFTConfig | DPOConfig:
    """The trainer config of ``kind`` from shared settings (SFT ignores beta and alpha; DPO has alpha 0)."""
    if kind not in ("sft", "dpo", "rpo"):
        raise ValueError(f"kind must be sft, dpo or rpo, got {kind!r}")
    names = {f.name for f in fields(SFTConfig if kind == "sft" else DPOConfig)}
    values = {k: v for k, v in vars(settings).items() if k in names}
    if kind == "sft":
        return SFTConfig(**values)
    config = DPOConfig(**values)
    if kind == "dpo":
        config.alpha = 0.0
    elif config.alpha <= 0:
        raise ValueError("rpo needs alpha > 0 (the weight of the chosen trajectory's NLL); use dpo for alpha 0")
    return config


def _inputs(job: TrainJob) -> dict[str, Any]:
    return {"data_sha256": {p: file_digest(p) for p in job.data}}


def run_training(kind: Kind, job: TrainJob) -> Path:
    """Train and return the final model directory (skipped when it already exists)."""
    from curiosa.config import save_config
    from curiosa.models.loading import load_model, load_tokenizer
    from curiosa.pipelines.warm_start import resolve_model_path

    settings = settings_for(kind, job.train)
    out = Path(settings.output_dir)
    final = out / "model"
    present = all(Path(p).is_file() for p in job.data)  # absent ones fail below unless the model is done
    inputs = _inputs(job) if present else None
    check_training_stage(out, "a training run", job, inputs, ignore=[f"train.{k}" for k in RESUME_NEUTRAL])
    if (final / "DONE").is_file():
        return final
    data = read_data(kind, job)
    path = resolve_model_path(job.model)
    accelerator = make_accelerator(settings)
    tokenizer = load_tokenizer(path)
    examples, stats = prepare_examples(kind, job, data, tokenizer, write=accelerator.is_main_process)
    if not examples:
        raise ValueError(f"no {kind} examples could be selected from {', '.join(job.data)}: {stats}")
    model = load_model(path, dtype=job.dtype, lora=settings.lora, tokenizer=tokenizer, device="cpu", for_training=True)
    if kind == "sft":
        trainer: SFTTrainer | DPOTrainer = SFTTrainer(settings, model, examples, tokenizer=tokenizer,  # type: ignore[arg-type]
                                                      accelerator=accelerator)
    else:
        trainer = DPOTrainer(settings, model, examples, tokenizer=tokenizer, accelerator=accelerator)  # type: ignore[arg-type]
    if accelerator.is_main_process:
        save_config(job, out / "config.yaml")
        save_inputs(out, inputs or {})
        (out / DATA_STATS).write_text(json.dumps(stats, indent=2))
    return trainer.train()
