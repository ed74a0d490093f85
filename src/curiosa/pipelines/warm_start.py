"""The embedded default model: a pretrained instruct model from the package registry, warm-started.

Zero-shot, SmolLM2-135M-Instruct does not play the games (it does not follow the reply format). The
default model is that model after a short **warm start**: imitation, on the train split only, of the
scripted policies' mixed-quality play of the games (expert, noisy, heuristic, random) and of two-attempt
math transcripts that sometimes fix, often copy and sometimes break the first answer. It then plays
every game in format, mediocrely and diversely: the stand-in for an instruct model that PAPRIKA and
SCoRe must improve from its own play. ``warm_start(config, sources=None)`` returns the model directory:

1. **Base.** The catalogue model (pulled from the registry, verified and converted once), any model
   directory or ``.gguf`` file, or ``tiny``: a fresh 1.3M-parameter Llama with a tokenizer trained on
   the data (for tests and ``--tiny``).
2. **Data.** The conversations of the mixture (``pipelines.mixture``), balanced by amount of text, plus
   any extra source the config names or the caller passes in (``sources``); each encoded exactly with
   the base's chat template; one longer than ``max_length`` loses whole trailing turns.
3. **Training.** The shared SFT trainer (``training.sft``) on the agent's tokens, in bf16 autocast with
   fp32 master weights where the CPU has bf16. Checkpoints every ``train.save_every`` steps: a killed
   warm start, run again, regenerates the same data and resumes its training.
4. **Anti-repeat pass** (``anti_repeat``, recipe 6). Imitation leaves a small model repeating its own
   moves; RPO on ``pipelines.repeat_pairs`` pairs (the expert's move preferred to an earlier move of the
   same game) removes half of that. It checkpoints and resumes like the imitation stage.
5. **Saving.** A standard Hugging Face directory (bf16 safetensors, tokenizer, chat template), the config
   as ``warm_start_config.yaml``, the training log as ``training_log.json``, and last a marker file: a
   directory without it is unfinished and is built again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from curiosa.config import save_config
from curiosa.data.conversations import Conversation, encode_conversations
from curiosa.data.examples import Example
from curiosa.files import file_lock
from curiosa.models.gguf import curiosa_home
from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer
from curiosa.pipelines.mixture import DataSource, MixtureConfig, available_cores, generate_conversations
from curiosa.pipelines.repeat_pairs import RepeatPairsConfig
from curiosa.pipelines.resume import check_training_stage
from curiosa.runtime import release_memory
from curiosa.training.base import RESUME_NEUTRAL
from curiosa.training.dpo import DPOConfig
from curiosa.training.sft import SFTConfig, SFTTrainer

logger = logging.getLogger(__name__)

MARKER = "WARM_START_COMPLETE"
"""Written last into the model directory: its absence means the warm start did not finish."""
RECIPE_VERSION = 6
"""Bumped whenever the recipe changes what it produces (recorded in the marker and the log)."""
CONFIG_FILE = "warm_start_config.yaml"
LOG_FILE = "training_log.json"
TINY = "tiny"
"""``base`` value for a fresh tiny model trained from scratch (tests, ``--tiny``)."""
DEFAULT_BASE = "smollm2-135m-instruct"


def _recipe_training() -> SFTConfig:
    return SFTConfig(learning_rate=2e-4, batch_tokens=8192, epochs=1.0, warmup_ratio=0.05, min_lr_ratio=0.1,
                     weight_decay=0.0, max_grad_norm=1.0, save_every=20, keep_checkpoints=1,
                     micro_batch_tokens=4096)


def _recipe_anti_repeat() -> DPOConfig:
    return DPOConfig(learning_rate=2e-5, batch_size=8, epochs=1.0, beta=0.1, alpha=1.0, warmup_ratio=0.04,
                     save_every=10, keep_checkpoints=1, micro_batch_tokens=4096)


def _extra_sources() -> dict[str, float]:
    return {"self_correction_math": 2.0}


def _source_weights() -> dict[str, float]:
    return {"math_synthetic": 2.0}


def _policy_mix() -> dict[str, float]:
    return {"expert": 0.6, "noisy": 0.25, "heuristic": 0.1, "random": 0.05}


@dataclass
class WarmStartConfig(MixtureConfig):
    """The recipe of the embedded default model (defaults: about 35 minutes in all on 2 CPU cores with
    AMX, 14 of them imitation and 17 the anti-repeat pass; docs/rollout.md). The mixture's settings come
    first; ``train`` holds the shared SFT trainer's settings, ``repeat_train`` the pass's."""

    extra_sources: dict[str, float] = field(default_factory=_extra_sources)
    """Sources beyond the games and their weights: the student's two-attempt math transcripts (sometimes
    fixing, often copying, sometimes breaking the first answer) give SCoRe its starting problem. Weighted
    2, like math_synthetic in source_weights: with half the text of recipe 4, math at weight 1 fell from
    32% to 20% greedy accuracy (docs/rollout.md)."""
    source_weights: dict[str, float] = field(default_factory=_source_weights)
    """Weight of a source in the mixture (default 1.0 each): its share of text, or of episodes with balance
    'episodes'."""
    policy_mix: dict[str, float] = field(default_factory=_policy_mix)
    """Scripted policy kinds and their probabilities (each episode is played by one kind). Mostly the
    expert, still mixed: recipe 4 (expert 35%, random 15%) taught the model to play like the random
    policy too ("I try a random word")."""
    episodes_per_game: int = 48
    """Episodes of an average game; the total (games x this) is shared so that every source gets the same
    amount of text (short games get more episodes, long ones fewer). About 440,000 tokens in all."""
    min_episodes: int = 8
    """No source gets fewer episodes than this."""
    output_dir: str = ""
    """Where the model directory is written (empty: the default model directory, see default_model_dir)."""
    base: str = DEFAULT_BASE
    """The model warm-started: a catalogue name (`curiosa models list`), a model directory or .gguf file,
    or 'tiny' for a fresh tiny model trained from scratch (its shape is `tiny`)."""
    tiny: TinyModelConfig = field(default_factory=TinyModelConfig)
    """Shape of the tiny model (base 'tiny' only); its vocab_size is the tokenizer's vocabulary."""
    max_length: int = 1024
    """Longest training conversation in tokens; longer ones lose whole trailing turns."""
    avoid_repeats: list[str] = field(default_factory=list)
    """Sources (games) whose conversations mark, in each trained reply, the token where it parts from an
    earlier reply of the same episode: the first token of a repeat (``data.repeats``). The imitation
    stage pushes those down with ``train.unlikelihood`` (which must then be above 0), at no extra forward
    pass: an alternative to the separate ``anti_repeat`` pass."""
    train: SFTConfig = field(default_factory=_recipe_training)
    """Imitation training (its output_dir is a work directory inside the model directory, kept until the
    model is saved so that a killed warm start resumes; its seed is this config's seed + 1)."""
    anti_repeat: bool = True
    """After imitation, a preference pass against repeating one's own moves (``pipelines.repeat_pairs``):
    imitation alone left SmolLM2 repeating 70% of its moves; with the pass the default repeats 16% and
    sometimes wins 6 groups instead of 3 (docs/rollout.md)."""
    repeat_pairs: RepeatPairsConfig = field(default_factory=RepeatPairsConfig)
    """The pass's pairs (its output is not read: the pairs stay in memory)."""
    repeat_train: DPOConfig = field(default_factory=_recipe_anti_repeat)
    """The pass's RPO training (output_dir and seed are set as for ``train``, seed + 2)."""
    dtype: str = "auto"
    """Dtype of the saved model (auto: bf16 where the hardware computes it natively, else float32)."""
    time_limit_minutes: float = 120.0
    """Safety limit of the whole warm start (0: none): on a machine too slow for the planned steps, training
    gets what the other steps leave, with its schedule compressed to fit. On these 2-core machines the
    planned steps finish first, so the result does not depend on timing."""
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
        if bool(self.avoid_repeats) != (self.train.unlikelihood > 0):
            raise ValueError(f"avoid_repeats ({self.avoid_repeats}) and train.unlikelihood "
                             f"({self.train.unlikelihood}) go together: set both or neither")
        for name in ("train", "repeat_train"):  # the warm start sets them from its own limit
            if getattr(self, name).time_limit_minutes:
                raise ValueError(f"{name}.time_limit_minutes={getattr(self, name).time_limit_minutes} is not read "
                                 f"by a warm start: set time_limit_minutes (the whole warm start's limit) instead")


def tiny_config(**overrides: Any) -> WarmStartConfig:
    """The from-scratch recipe: a 1.3M-parameter Llama and its own tokenizer (``curiosa warm-start --tiny``)."""
    train = SFTConfig(learning_rate=4e-3, batch_tokens=4096, epochs=1.0, warmup_ratio=0.04, min_lr_ratio=0.1,
                      adam_beta2=0.95, max_grad_norm=1.0, save_every=0, micro_batch_tokens=1 << 30)
    settings: dict[str, Any] = dict(base=TINY, max_length=3072, train=train, dtype="float32", extra_sources={},
                                    source_weights={}, policy_mix=MixtureConfig().policy_mix,
                                    time_limit_minutes=18.0, episodes_per_game=1000, min_episodes=40,
                                    anti_repeat=False)
    settings.update(overrides)
    return WarmStartConfig(**settings)


# --------------------------------------------------------------------------------------------- entry points
def default_model_dir() -> Path:
    """Where the default model lives: $CURIOSA_HOME (default ~/.cache/curiosa)/models/default."""
    return curiosa_home() / "models" / "default"


def is_complete(path: str | Path) -> bool:
    """True when ``path`` holds a model whose warm start finished (its marker file exists)."""
    return (Path(path) / MARKER).is_file()


def _base(config: WarmStartConfig, data: Mapping[str, Sequence[Conversation]]) -> tuple[Any, Any, str]:
    """The model to train, its tokenizer, and where it came from."""
    from curiosa.models.loading import load_model, load_tokenizer, resolve_source

    if config.base == TINY:
        tokenizer = train_tokenizer(_texts(data), vocab_size=config.tiny.vocab_size,
                                    split_digits=config.tiny.split_digits)
        model = build_model(tokenizer, config.tiny, seed=config.seed)
        model.generation_config.eos_token_id = tokenizer.convert_tokens_to_ids("<|im_end|>")
        model.generation_config.pad_token_id = tokenizer.pad_token_id
        return model, tokenizer, TINY
    source = resolve_source(config.base)
    tokenizer = load_tokenizer(source)
    # fp32 master weights: the trainer computes in bf16 autocast where the CPU has it
    model = load_model(source, dtype="float32", device="cpu", tokenizer=tokenizer, lora=config.train.lora)
    return model, tokenizer, source


def warm_start(config: WarmStartConfig | None = None, sources: Mapping[str, DataSource] | None = None) -> Path:
    """Build the default model (or the one ``config`` describes); returns its directory. ``sources``:
    data sources the config's ``extra_sources`` may name, beyond the built-in ones."""
    import torch

    from curiosa.models.dtype import resolve_dtype

    config = config or WarmStartConfig()
    out = Path(config.output_dir).expanduser() if config.output_dir else default_model_dir()
    check_unfinished(config, out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).unlink(missing_ok=True)
    timings: dict[str, float] = {}
    t0 = time.time()
    threads = config.threads or min(8, available_cores())
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        logger.info("warm start: generating episodes")
        data = generate_conversations(config, sources, progress=config.progress)
        unknown = sorted(set(config.avoid_repeats) - set(data))
        if unknown:
            raise ValueError(f"avoid_repeats names {', '.join(unknown)}, not among the sources imitated: "
                             f"{', '.join(sorted(data))}")
        timings["generate"] = time.time() - t0

        t = time.time()
        model, tokenizer, source = _base(config, data)
        timings["base"] = time.time() - t

        t = time.time()
        examples, stats = encode_conversations(tokenizer, data, config.max_length, config.avoid_repeats)
        if not examples:
            raise RuntimeError("no training example fits max_length; raise max_length")
        train, val = _split(examples, config.val_fraction, config.seed)
        timings["encode"] = time.time() - t
        logger.info("warm start: %s, %.0fM parameters, %d conversations (%d tokens)", source,
                    _count(model) / 1e6, len(train), sum(len(e.ids) for e in train))

        t = time.time()
        work = out / "training"
        settings = replace(config.train, output_dir=str(work), seed=config.seed + 1, progress=config.progress,
                           time_limit_minutes=_remaining(config, t0, val))
        trainer = SFTTrainer(settings, model, train, tokenizer=tokenizer)
        save_config(config, work / "config.yaml")  # what a resumed run must match (check_unfinished)
        final = trainer.train()
        log = _training_log(work / "metrics.jsonl", trainer)
        del trainer, model
        release_memory()  # each stage's peak is its own
        timings["train"] = time.time() - t

        if config.anti_repeat:
            t = time.time()
            final, log["anti_repeat"] = _anti_repeat(config, final, tokenizer, out / "anti_repeat",
                                                     _remaining(config, t0, val))
            release_memory()
            timings["anti_repeat"] = time.time() - t
        # what training saved (also when a resumed run found a stage finished), not a trainer's model
        model = _load(final)
        if val:
            log["val_loss"] = agent_loss(model, val)

        t = time.time()
        for name in (MARKER, "model.safetensors", LOG_FILE):
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()
        model.to(resolve_dtype(config.dtype)).save_pretrained(out, safe_serialization=True)
        tokenizer.save_pretrained(out)
        save_config(config, out / CONFIG_FILE)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(out / "anti_repeat", ignore_errors=True)
        timings["save"] = time.time() - t
        timings["total"] = time.time() - t0
        log.update({
            "recipe_version": RECIPE_VERSION, "base": config.base, "parameters": _count(model),
            "vocab_size": len(tokenizer), "threads": threads,
            "timings_seconds": {k: round(v, 1) for k, v in timings.items()},
            "sources": stats, "train_examples": len(train), "val_examples": len(val),
        })
        (out / LOG_FILE).write_text(json.dumps(log, indent=1) + "\n")
        (out / MARKER).write_text(json.dumps({"recipe_version": RECIPE_VERSION, "base": config.base,
                                              "finished": time.time(), "seconds": round(timings["total"], 1)}) + "\n")
    finally:
        torch.set_num_threads(previous_threads)
    logger.info("warm start: done in %.0f s, model in %s", timings.get("total", 0.0), out)
    return out


STAGES = ("training", "anti_repeat")
"""The work directories of an unfinished warm start, each a trainer's output (checkpoints, saved model)."""
_RESUME_NEUTRAL = ("output_dir", "progress", "threads", "workers", "time_limit_minutes",
                   *(f"{stage}.{key}" for stage in ("train", "repeat_train") for key in RESUME_NEUTRAL))
"""Settings an unfinished warm start may be resumed with changed: speed, memory, logging, the safety limit."""


def check_unfinished(config: WarmStartConfig, out: Path) -> None:
    """Refuse to resume the checkpoints of an unfinished warm start in ``out`` with other settings: the
    model would be half one recipe, half another."""
    for stage in STAGES:
        check_training_stage(out / stage, "an unfinished warm start", config, None, ignore=_RESUME_NEUTRAL)


def resolve_model_path(path: str) -> str:
    """``path`` itself, or for 'default' the embedded default model's directory (built first if absent)."""
    from curiosa.rollout.backends import DEFAULT_MODEL

    return str(ensure_default_model()) if path == DEFAULT_MODEL else path


def ensure_default_model(config: WarmStartConfig | None = None) -> Path:
    """The default model directory, built first when it lacks a finished model of this recipe.

    Concurrent callers wait on a lock file instead of building twice. An unfinished directory (no
    marker, e.g. a killed warm start) is built again in place, resuming its training checkpoints.
    """
    config = config or WarmStartConfig()
    out = Path(config.output_dir).expanduser() if config.output_dir else default_model_dir()
    if _is_current(out):
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(out.parent / f".{out.name}.lock"):
        if _is_current(out):
            return out
        if is_complete(out):
            logger.warning("curiosa: the default model in %s comes from an older recipe; rebuilding it", out)
        try:
            check_unfinished(config, out)
        except ValueError as err:  # our own cache: work of another recipe is discarded, not an error
            logger.warning("curiosa: discarding the unfinished work of another recipe (%s)", err)
            for stage in STAGES:
                shutil.rmtree(out / stage, ignore_errors=True)
        logger.warning("curiosa: preparing the default model in %s (a one-time job, about 35 minutes on "
                       "2 cores with AMX and longer without: pull %s, convert it, warm-start it on the games)",
                       out, config.base)
        return warm_start(replace(config, output_dir=str(out)))


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
def _remaining(config: WarmStartConfig, t0: float, val: Sequence[Example]) -> float:
    """Minutes a training stage may take under the warm start's limit (0: no limit), keeping a reserve
    for the validation loss and saving."""
    if config.time_limit_minutes <= 0:
        return 0.0
    reserve = 30.0 + 0.002 * sum(len(e.ids) for e in val)
    return max(1.0, config.time_limit_minutes * 60.0 - (time.time() - t0) - reserve) / 60.0


def _load(path: Path, lora: Any = None) -> Any:
    """A stage's saved model in fp32 (master weights of the next stage), with new adapters if ``lora``."""
    from curiosa.models.loading import load_model

    return load_model(path, dtype="float32", device="cpu", lora=lora)


def _anti_repeat(config: WarmStartConfig, imitated: Path, tokenizer: Any, work: Path, minutes: float,
                 ) -> tuple[Path, dict[str, Any]]:
    """The preference pass against repeated moves, from the imitation stage's saved model; returns the
    pass's saved model and its log."""
    from curiosa.data.encode import Encoder
    from curiosa.data.examples import pair_examples
    from curiosa.pipelines.repeat_pairs import repeat_pairs
    from curiosa.training.dpo import DPOTrainer

    pairs = repeat_pairs(config.repeat_pairs)
    examples = pair_examples(pairs, Encoder.for_tokenizer(tokenizer))
    logger.info("warm start: preference pass against repeated moves, %d pairs", len(examples))
    settings = replace(config.repeat_train, output_dir=str(work), seed=config.seed + 2, progress=config.progress,
                       time_limit_minutes=minutes)
    trainer = DPOTrainer(settings, _load(imitated, config.repeat_train.lora), examples, tokenizer=tokenizer)
    save_config(config, work / "config.yaml")
    final = trainer.train()
    log = _training_log(work / "metrics.jsonl", trainer)
    log["pairs"] = len(examples)
    return final, log


def _training_log(metrics: Path, trainer: Any) -> dict[str, Any]:
    steps = [json.loads(line) for line in metrics.read_text().splitlines() if line.strip()] if metrics.is_file() else []
    seconds = sum(s.get("seconds", 0.0) for s in steps)
    tokens = sum(s.get("tokens", 0) for s in steps)
    return {"steps": [{k: s[k] for k in ("step", "loss", "avoided_p", "lr", "grad_norm", "tokens", "seconds")
                       if k in s}
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
