"""Run by tests/pipelines/test_rl.py under `accelerate launch` with 2 CPU processes: a short SCoRe run whose
processes each play half of every step's problems; each process writes its final weight checksum to a file
(stdout lines of two processes can interleave)."""

import sys
import zlib
from pathlib import Path

import torch

from curiosa import envs
from curiosa.models.loading import load_model, load_tokenizer
import curiosa.pipelines.rl as rl_pipeline
from curiosa.pipelines.rl import EpisodeSource, RLConfig
from curiosa.training.base import make_accelerator
from curiosa.training.rl import Phase, RLTrainer


def attempts(t):  # deterministic pseudo-rewards (a random model never answers right)
    return [float(zlib.crc32(f"{t.id}:{t.seed}:1".encode()) % 2),
            float(zlib.crc32(f"{t.id}:{t.seed}:2".encode()) % 2)], ["1", "2"]


def main(model_dir: str, out: str) -> None:
    rl_pipeline.attempts = attempts
    tokenizer = load_tokenizer(model_dir)
    model = load_model(model_dir, tokenizer=tokenizer, device="cpu", for_training=True)
    config = RLConfig(output_dir=out, phases=[Phase("single_turn", 2), Phase("stage2", 1)], prompts_per_step=4,
                      samples_per_prompt=2, learning_rate=1e-2, save_every=0, progress=False, select_best=False)
    config.sampling.max_new_tokens = 6
    accelerator = make_accelerator(config)
    source = EpisodeSource(config, envs.load_tasks("math_synthetic", "train")[:8], tokenizer, accelerator)
    trainer = RLTrainer(config, model, tokenizer, source, accelerator=accelerator)
    trainer.train()
    total = sum(float(p.detach().double().abs().sum()) for p in trainer.accelerator.unwrap_model(trainer.model).parameters())
    rank = trainer.accelerator.process_index
    Path(out, f"checksum-{rank}-of-{trainer.accelerator.num_processes}.txt").write_text(f"{total:.10f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
