"""The embedded default model: a tiny Llama trained from scratch by imitation of scripted players.

``bootstrap(config, sources=None)`` runs the recipe and returns the model directory:

1. **Data.** The conversations of the mixture (``pipelines.mixture``): the games played on their train
   split by scripted policies of mixed quality, plus the extra sources the config names or the caller
   passes in (``sources``), balanced by amount of text.
2. **Tokenizer.** A byte-level BPE trained on the conversations' text, with the ChatML template.
3. **Encoding.** Each conversation's exact ids and agent mask; one longer than ``max_length`` loses
   whole trailing turns.
4. **Model.** A fresh Llama of ``TinyModelConfig``'s shape.
5. **Training.** The shared SFT trainer (``training.sft``): token-mean loss on agent tokens, batches of
   ``train.batch_tokens`` tokens packed end to end, AdamW with warm-up and a cosine schedule. The
   recipe's time budget covers everything; training gets what the other steps leave and compresses its
   schedule to fit, so slow or busy machines still finish in time (with a less trained model).
6. **Saving.** A standard Hugging Face directory (safetensors weights, tokenizer with its chat
   template), the config as ``bootstrap_config.yaml``, the training log as ``training_log.json``,
   and last a marker file: a directory without it is an unfinished bootstrap and is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from curiosa.data.conversations import Conversation, encode_conversations
from curiosa.data.examples import Example
from curiosa.files import file_lock
from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer
from curiosa.pipelines.mixture import DataSource, MixtureConfig, available_cores, generate_conversations
from curiosa.training.sft import SFTConfig, SFTTrainer

logger = logging.getLogger(__name__)

MARKER = "BOOTSTRAP_COMPLETE"
"""Written last into the model directory: its absence means the bootstrap did not finish."""
RECIPE_VERSION = 3
"""Bumped whenever the recipe changes what it produces (recorded in the marker and the log)."""
CONFIG_FILE = "bootstrap_config.yaml"
LOG_FILE = "training_log.json"


def _recipe_training() -> SFTConfig:
    return SFTConfig(learning_rate=4e-3, batch_tokens=4096, epochs=1.0, warmup_ratio=0.04, min_lr_ratio=0.1,
                     adam_beta2=0.95, max_grad_norm=1.0, save_every=0, micro_batch_tokens=1 << 30)


@dataclass
class BootstrapConfig(MixtureConfig):
    """The recipe of the embedded default model (defaults: about 16 minutes on 2 free CPU cores). The
    mixture's settings come first; ``train`` holds the shared trainer's settings."""

    output_dir: str = ""
    """Where the model directory is written (empty: the default model directory, see default_model_dir)."""
    model: TinyModelConfig = field(default_factory=TinyModelConfig)
    """Shape of the model; its vocab_size is the tokenizer's vocabulary."""
    max_length: int = 3072
    """Longest training sequence in tokens; longer conversations lose whole trailing turns."""
    train: SFTConfig = field(default_factory=_recipe_training)
    """Imitation training (its output_dir is a work directory inside the model directory, and its seed
    is this config's seed + 1)."""
    time_limit_minutes: float = 18.0
    """Budget of the whole bootstrap, everything included (0: none); training gets what the other steps
    leave. On a free 2-core machine the planned steps finish first."""
    val_fraction: float = 0.02
    """Conversations held out to report a validation loss (at most 64)."""
    threads: int = 0
    """torch CPU threads (0: every core available to this process, at most 8)."""
    progress: bool = True
    """Show progress bars."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.max_length < 16:
            raise ValueError(f"max_length must be >= 16, got {self.max_length}")
        if not 0 <= self.val_fraction < 0.5:
            raise ValueError(f"val_fraction must be in [0, 0.5), got {self.val_fraction}")


# --------------------------------------------------------------------------------------------- entry points
def default_model_dir() -> Path:
    """Where the default model lives: $CURIOSA_HOME (default ~/.cache/curiosa)/models/tiny-default."""
    home = os.environ.get("CURIOSA_HOME") or str(Path("~/.cache/curiosa").expanduser())
    return Path(home).expanduser() / "models" / "tiny-default"


def is_complete(path: str | Path) -> bool:
    """True when ``path`` holds a model whose bootstrap finished (its marker file exists)."""
    return (Path(path) / MARKER).is_file()


def bootstrap(config: BootstrapConfig | None = None, sources: Mapping[str, DataSource] | None = None) -> Path:
    """Build the tokenizer and the model, train it by imitation, save it; returns the model directory.
    ``sources``: data sources the config's ``extra_sources`` may name, beyond the built-in ones."""
    import torch

    from curiosa.config import save_config

    config = config or BootstrapConfig()
    out = Path(config.output_dir).expanduser() if config.output_dir else default_model_dir()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).unlink(missing_ok=True)
    timings: dict[str, float] = {}
    t0 = time.time()
    threads = config.threads or min(8, available_cores())
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        logger.info("bootstrap: generating episodes")
        data = generate_conversations(config, sources, progress=config.progress)
        timings["generate"] = time.time() - t0

        t = time.time()
        tokenizer = train_tokenizer(_texts(data), vocab_size=config.model.vocab_size,
                                    split_digits=config.model.split_digits)
        timings["tokenizer"] = time.time() - t

        t = time.time()
        examples, stats = encode_conversations(tokenizer, data, config.max_length)
        if not examples:
            raise RuntimeError("no training example fits max_length; raise max_length")
        train, val = _split(examples, config.val_fraction, config.seed)
        timings["encode"] = time.time() - t

        model = build_model(tokenizer, config.model, seed=config.seed)
        model.generation_config.eos_token_id = tokenizer.convert_tokens_to_ids("<|im_end|>")
        model.generation_config.pad_token_id = tokenizer.pad_token_id
        logger.info("bootstrap: training %.1fM parameters on %d conversations (%d tokens)",
                    _count(model) / 1e6, len(train), sum(len(e.ids) for e in train))
        t = time.time()
        work = out / "training"
        shutil.rmtree(work, ignore_errors=True)
        settings = replace(config.train, output_dir=str(work), seed=config.seed + 1, progress=config.progress)
        if config.time_limit_minutes > 0:
            # keep a reserve for the validation loss and saving
            reserve = 15.0 + 0.0005 * sum(len(e.ids) for e in val)
            budget = max(1.0, config.time_limit_minutes * 60.0 - (t - t0) - reserve)
            settings = replace(settings, time_limit_minutes=budget / 60.0)
        trainer = SFTTrainer(settings, model, train, tokenizer=tokenizer)
        trainer.train()
        timings["train"] = time.time() - t
        log = _training_log(work / "metrics.jsonl", trainer)
        if val:
            log["val_loss"] = agent_loss(model, val)

        t = time.time()
        for name in (MARKER, "model.safetensors", LOG_FILE):
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()
        model.save_pretrained(out, safe_serialization=True)
        tokenizer.save_pretrained(out)
        save_config(config, out / CONFIG_FILE)
        shutil.rmtree(work, ignore_errors=True)
        timings["save"] = time.time() - t
        timings["total"] = time.time() - t0
        log.update({
            "recipe_version": RECIPE_VERSION, "parameters": _count(model), "vocab_size": len(tokenizer),
            "threads": threads, "timings_seconds": {k: round(v, 1) for k, v in timings.items()},
            "sources": stats, "train_examples": len(train), "val_examples": len(val),
        })
        (out / LOG_FILE).write_text(json.dumps(log, indent=1) + "\n")
        (out / MARKER).write_text(json.dumps({"recipe_version": RECIPE_VERSION, "finished": time.time(),
                                              "seconds": round(timings["total"], 1)}) + "\n")
    finally:
        torch.set_num_threads(previous_threads)
    logger.info("bootstrap: done in %.0f s, model in %s", timings.get("total", 0.0), out)
    return out


def resolve_model_path(path: str) -> str:
    """``path`` itself, or for 'default' the embedded default model's directory (built first if absent)."""
    from curiosa.rollout.backends import DEFAULT_MODEL

    return str(ensure_default_model()) if path == DEFAULT_MODEL else path


def ensure_default_model(config: BootstrapConfig | None = None) -> Path:
    """The default model directory, bootstrapped first when it lacks a finished model.

    Concurrent callers wait on a lock file instead of training twice. An unfinished directory (no
    marker, e.g. a killed bootstrap) is rebuilt in place.
    """
    config = config or BootstrapConfig()
    out = Path(config.output_dir).expanduser() if config.output_dir else default_model_dir()
    if _is_current(out):
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(out.parent / f".{out.name}.lock"):
        if _is_current(out):
            return out
        if is_complete(out):
            logger.warning("curiosa: the default model in %s comes from an older recipe; rebuilding it", out)
        logger.warning("curiosa: building the default model in %s (a one-time job of about 16 minutes)", out)
        return bootstrap(replace(config, output_dir=str(out)))


def agent_loss(model: Any, examples: Sequence[Example], batch_tokens: int = 4096) -> float:
    """Token-mean loss over the agent tokens of ``examples`` (no gradient)."""
    import torch

    from curiosa.training.offline import token_batches
    from curiosa.training.packing import pack, sequence_logps

    total, count = 0.0, 0
    model.eval()
    with torch.no_grad():
        for batch in token_batches([len(e.ids) for e in examples], batch_tokens, np.random.default_rng(0)):
            sums, counts = sequence_logps(model, pack([(examples[i].ids, examples[i].mask) for i in batch]))
            total -= float(sums.sum())
            count += int(counts.sum())
    return total / max(1, count)


# --------------------------------------------------------------------------------------------- helpers
def _training_log(metrics: Path, trainer: SFTTrainer) -> dict[str, Any]:
    steps = [json.loads(line) for line in metrics.read_text().splitlines() if line.strip()] if metrics.is_file() else []
    seconds = sum(s.get("seconds", 0.0) for s in steps)
    tokens = sum(s.get("tokens", 0) for s in steps)
    return {"steps": [{k: s[k] for k in ("step", "loss", "lr", "grad_norm", "tokens", "seconds") if k in s}
                      for s in steps],
            "planned_steps": trainer.total, "stop_reason": trainer.stop_reason,
            "train_seconds": round(seconds, 1), "tokens_seen": tokens,
            "tokens_per_second": round(tokens / max(1e-9, seconds), 1),
            "final_train_loss": float(np.mean([s["loss"] for s in steps[-10:]])) if steps else float("nan")}


def _is_current(path: Path) -> bool:
    """Finished, and by this recipe version (an older default model is rebuilt, not silently used)."""
    if not is_complete(path):
        return False
    try:
        return json.loads((path / MARKER).read_text()).get("recipe_version") == RECIPE_VERSION
    except (json.JSONDecodeError, AttributeError):
        return False


def _texts(data: Mapping[str, Sequence[Conversation]]) -> Iterable[str]:
    yield "system\nuser\nassistant\n"
    for conversations in data.values():
        for conversation in conversations:
            for m in conversation:
                yield m["content"]


def _split(examples: list[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    if fraction <= 0 or len(examples) < 4:
        return examples, []
    rng = np.random.default_rng(seed + 2)
    n_val = min(64, max(1, int(round(len(examples) * fraction))))
    chosen = set(int(i) for i in rng.choice(len(examples), size=n_val, replace=False))
    return ([e for i, e in enumerate(examples) if i not in chosen], [e for i, e in enumerate(examples) if i in chosen])


def _count(model: Any) -> int:
    return sum(p.numel() for p in model.parameters())
