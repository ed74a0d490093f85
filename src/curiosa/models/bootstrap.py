"""The embedded default model: a tiny Llama pretrained by imitation of scripted players.

``bootstrap(config)`` runs the whole recipe and returns the model directory:

1. **Data.** Every source of the mixture yields conversations (the agent's view: user/assistant
   alternating). The built-in sources are the games with scripted policies, played on their train
   split by policies of mixed quality (expert, noisy, heuristic, random). Sources are balanced so
   that each gets the same share of text (short games get more episodes, long ones fewer), and
   other modules add sources with ``register_source`` (e.g. self-correction math).
2. **Tokenizer.** A byte-level BPE trained on the conversations' text, with the ChatML template.
3. **Encoding.** ``ChatTokenizer.encode`` gives each conversation's exact ids and agent mask; a
   conversation longer than ``max_length`` loses whole trailing turns.
4. **Model.** A fresh Llama of ``TinyModelConfig``'s shape.
5. **Training.** Causal LM loss on agent tokens only (token mean), AdamW with a cosine schedule and
   warmup, random batches packed end to end (no padding, packed attention). A time limit keeps the recipe inside its
   budget on slow machines: the schedule follows whichever of steps and time is further along.
6. **Saving.** A standard Hugging Face directory (safetensors weights, tokenizer with its chat
   template), the config as ``bootstrap_config.yaml``, the training log as ``training_log.json``,
   and last a marker file: a directory without it is an unfinished bootstrap and is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Mapping, Sequence

import numpy as np

from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer

logger = logging.getLogger(__name__)

Conversation = list[dict[str, str]]
"""Messages in the agent's view: an opening user message, then assistant and user alternating."""
DataSource = Callable[[int, int], Iterable[Conversation]]
"""``fn(seed, n)`` yields ``n`` conversations, the same ones for the same seed."""

MARKER = "BOOTSTRAP_COMPLETE"
"""Written last into the model directory: its absence means the bootstrap did not finish."""
RECIPE_VERSION = 2
"""Bumped whenever the recipe changes what it produces (recorded in the marker and the log)."""
CONFIG_FILE = "bootstrap_config.yaml"
LOG_FILE = "training_log.json"


# --------------------------------------------------------------------------------------------- config
@dataclass
class BootstrapConfig:
    """The recipe of the embedded default model (defaults: about 16 minutes on 2 free CPU cores)."""

    output_dir: str = ""
    """Where the model directory is written (empty: the default model directory, see default_model_dir)."""
    games: list[str] = field(default_factory=list)
    """Games imitated (empty: every registered game that has scripted policies)."""
    extra_sources: dict[str, float] = field(default_factory=dict)
    """Other registered data sources (register_source) and their weights, e.g. {'self_correction_math': 1.0}."""
    source_weights: dict[str, float] = field(default_factory=dict)
    """Weight of a game in the mixture (default 1.0 each): its share of text, or of episodes with balance 'episodes'."""
    episodes_per_game: int = 1000
    """Episodes of an average game; with balance 'tokens' the total (games x this) is shared so that every
    source gets the same amount of text, so short games get more episodes and long ones fewer."""
    min_episodes: int = 40
    """No source gets fewer episodes than this (keeps long games represented)."""
    balance: Literal["tokens", "episodes"] = "tokens"
    """Balance the sources by amount of text ('tokens', measured in characters) or by episode count."""
    policy_mix: dict[str, float] = field(default_factory=lambda: {
        "expert": 0.35, "noisy": 0.25, "heuristic": 0.25, "random": 0.15})
    """Scripted policy kinds and their probabilities (each episode is played by one kind)."""
    noisy_epsilon: float = 0.3
    """Probability that the noisy policy makes a random move instead of the expert's."""
    split: str = "train"
    """Task split the games are played on (keep 'train': test tasks are for evaluation)."""
    model: TinyModelConfig = field(default_factory=TinyModelConfig)
    """Shape of the model; its vocab_size is the tokenizer's vocabulary."""
    max_length: int = 3072
    """Longest training sequence in tokens; longer conversations lose whole trailing turns."""
    epochs: float = 1.0
    """Passes over the data (fractions allowed); ignored when max_steps is set."""
    max_steps: int = 0
    """Optimizer steps (0: derived from epochs and the number of batches)."""
    batch_tokens: int = 4096
    """Tokens per optimizer step (sequences packed end to end, no padding; a longer sequence is a batch of its own)."""
    lr: float = 4e-3
    """Peak learning rate."""
    min_lr_ratio: float = 0.1
    """The cosine schedule ends at lr times this."""
    warmup_ratio: float = 0.04
    """Fraction of training spent warming the learning rate up linearly."""
    weight_decay: float = 0.0
    """AdamW weight decay."""
    grad_clip: float = 1.0
    """Clip the gradient norm to this (0 disables clipping)."""
    time_limit_minutes: float = 18.0
    """Budget of the whole bootstrap, everything included (0: none). Training gets what the other steps leave
    and compresses its schedule to fit, so slow or busy machines still finish in time (with a less trained
    model); on a free 2-core machine the planned steps finish first."""
    env_loss_weight: float = 0.0
    """Weight of the environment's tokens (instructions, observations) in the loss relative to the agent's
    (0: imitation of the agent's replies only)."""
    val_fraction: float = 0.02
    """Conversations held out to report a validation loss (at most 64)."""
    seed: int = 0
    """Seeds the data, the initialisation and the batch order."""
    threads: int = 0
    """torch CPU threads (0: every core available to this process, at most 8)."""
    workers: int = 0
    """Processes generating episodes (0: one per available core, at most 4; 1: in this process)."""
    progress: bool = True
    """Show progress bars."""

    def __post_init__(self) -> None:
        if self.balance not in ("tokens", "episodes"):
            raise ValueError(f"balance must be 'tokens' or 'episodes', got {self.balance!r}")
        if not self.policy_mix or any(w < 0 for w in self.policy_mix.values()) or sum(self.policy_mix.values()) <= 0:
            raise ValueError(f"policy_mix needs non-negative weights with a positive sum, got {self.policy_mix}")
        from curiosa.policies.base import KINDS

        unknown = set(self.policy_mix) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown policy kind(s) {sorted(unknown)} in policy_mix; expected {', '.join(KINDS)}")
        if self.episodes_per_game < 1 or self.min_episodes < 0:
            raise ValueError("episodes_per_game must be >= 1 and min_episodes >= 0")
        if self.max_length < 16 or self.batch_tokens < 16:
            raise ValueError(f"max_length and batch_tokens must be >= 16, got {self.max_length} and {self.batch_tokens}")
        if not 0 <= self.val_fraction < 0.5:
            raise ValueError(f"val_fraction must be in [0, 0.5), got {self.val_fraction}")
        if self.lr <= 0 or not 0 <= self.warmup_ratio < 1 or not 0 <= self.min_lr_ratio <= 1:
            raise ValueError("need lr > 0, 0 <= warmup_ratio < 1 and 0 <= min_lr_ratio <= 1")


# --------------------------------------------------------------------------------------------- sources
_SOURCES: dict[str, DataSource] = {}


def register_source(name: str, fn: DataSource, *, replace: bool = False) -> DataSource:
    """Make ``fn(seed, n) -> conversations`` available to the mixture as ``name`` (see extra_sources).

    A module-level function (or picklable object) is run in the worker processes; anything else runs
    in the calling process.
    """
    if not name or not isinstance(name, str):
        raise ValueError("a data source needs a non-empty name")
    if not callable(fn):
        raise TypeError(f"data source {name!r} must be callable as fn(seed, n)")
    if name in _SOURCES and _SOURCES[name] is not fn and not replace:
        raise ValueError(f"a data source named {name!r} is already registered")
    _SOURCES[name] = fn
    return fn


def unregister_source(name: str) -> None:
    _SOURCES.pop(name, None)


def registered_sources() -> list[str]:
    """Names of the sources added with register_source (games are built in and not listed)."""
    return sorted(_SOURCES)


@dataclass
class GameSource:
    """Episodes of one game on one split, each played by a scripted policy of a kind drawn from a mix."""

    game: str
    policy_mix: Mapping[str, float]
    epsilon: float = 0.3
    split: str = "train"

    def __call__(self, seed: int, n: int) -> Iterable[Conversation]:
        from curiosa import envs
        from curiosa.policies import run_episode, scripted

        rng = np.random.default_rng(seed)
        tasks = envs.load_tasks(self.game, self.split)
        env = envs.make(self.game, split=self.split)
        kinds = list(self.policy_mix)
        probs = np.array([self.policy_mix[k] for k in kinds], dtype=float)
        probs /= probs.sum()
        order = rng.permutation(len(tasks))
        for i in range(n):
            kind = kinds[int(rng.choice(len(kinds), p=probs))]
            task = tasks[int(order[i % len(tasks)])]
            episode_seed = int(rng.integers(2**31 - 1))
            policy = scripted(self.game, kind, seed=episode_seed, epsilon=self.epsilon)
            yield run_episode(env, policy, seed=episode_seed, task=task).messages


@dataclass
class _Part:
    """One source of the mixture."""

    name: str
    fn: DataSource
    weight: float


def mixture(config: BootstrapConfig) -> list[_Part]:
    """The sources of the mixture: the chosen games, then the extra registered sources."""
    from curiosa import policies

    available = policies.games()
    games = list(config.games) or available
    missing = [g for g in games if g not in available]
    if missing:
        raise ValueError(f"no scripted policies for game(s) {', '.join(missing)}; available: {', '.join(available)}")
    unknown = set(config.source_weights) - set(games) - set(config.extra_sources)
    if unknown:
        raise ValueError(f"source_weights names source(s) not in the mixture: {', '.join(sorted(unknown))}")
    parts = [_Part(g, GameSource(g, dict(config.policy_mix), config.noisy_epsilon, config.split),
                   float(config.source_weights.get(g, 1.0))) for g in games]
    for name, weight in config.extra_sources.items():
        if name not in _SOURCES:
            raise ValueError(f"unknown data source {name!r}; registered: {', '.join(registered_sources()) or 'none'}")
        parts.append(_Part(name, _SOURCES[name], float(weight)))
    if any(p.weight < 0 for p in parts) or not any(p.weight > 0 for p in parts):
        raise ValueError("mixture weights must be non-negative with at least one positive")
    return [p for p in parts if p.weight > 0]


def _chunk_seed(seed: int, name: str, chunk: int) -> int:
    from curiosa.envs.task import stable_rng

    return int(stable_rng("bootstrap", seed, name, chunk).integers(2**31 - 1))


def _run_chunk(job: tuple[DataSource, int, int]) -> list[Conversation]:
    fn, seed, n = job
    return [check_conversation(c) for c in fn(seed, n)]


def check_conversation(messages: Sequence[Mapping[str, str]]) -> Conversation:
    """A clean copy of a source's conversation, cut after its last agent reply; raises on a bad shape."""
    out = [{"role": str(m["role"]), "content": str(m["content"])} for m in messages]
    if not out or out[0]["role"] not in ("user", "system"):
        raise ValueError("a conversation must open with a user (or system) message")
    start = 1 if out[0]["role"] == "user" else 2
    if out[0]["role"] == "system" and (len(out) < 2 or out[1]["role"] != "user"):
        raise ValueError("a system message must be followed by a user message")
    for i, m in enumerate(out[start:], start):
        expected = "assistant" if (i - start) % 2 == 0 else "user"
        if m["role"] != expected:
            raise ValueError(f"message {i} has role {m['role']!r}, expected {expected!r} (user/assistant alternate)")
    while out and out[-1]["role"] != "assistant":
        out.pop()
    return out


def _workers(config: BootstrapConfig) -> int:
    if config.workers > 0:
        return config.workers
    return min(4, _available_cores())


def _available_cores() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _run_jobs(jobs: list[tuple[DataSource, int, int]], workers: int, progress: Any) -> list[list[Conversation]]:
    """Run chunks of sources, in a process pool when there are several and the sources are picklable."""
    results: list[list[Conversation] | None] = [None] * len(jobs)
    pooled = []
    for i, job in enumerate(jobs):
        if workers > 1:
            try:
                pickle.dumps(job[0])
                pooled.append(i)
                continue
            except Exception:  # noqa: BLE001 - closures, lambdas: run them here
                pass
        results[i] = _run_chunk(job)
        progress(job[2])
    if pooled:
        import multiprocessing as mp

        # fork: workers need no re-import of the caller's main module (spawn would, and scripts without a
        # main guard would then recurse); they only run game code, never torch.
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        with mp.get_context(method).Pool(min(workers, len(pooled))) as pool:
            for i, out in zip(pooled, pool.imap(_run_chunk, [jobs[i] for i in pooled])):
                results[i] = out
                progress(jobs[i][2])
    return [r or [] for r in results]


def generate_conversations(config: BootstrapConfig, progress: bool = False) -> dict[str, list[Conversation]]:
    """Every source's conversations, balanced as configured; deterministic for a seed (any worker count)."""
    parts = mixture(config)
    workers = _workers(config)
    chunk = 32
    mean_weight = float(np.mean([p.weight for p in parts]))
    with _progress(progress, "episodes") as bar:
        # A first chunk per source measures its text length (balance 'tokens'); it is kept as data.
        pilot_n = min(chunk, max(1, config.min_episodes, 8)) if config.balance == "tokens" else 0
        pilots = _run_jobs([(p.fn, _chunk_seed(config.seed, p.name, 0), pilot_n) for p in parts], workers,
                           bar.advance) if pilot_n else [[] for _ in parts]
        if config.balance == "tokens":
            chars = [max(1.0, float(np.mean([_chars(c) for c in pilot])) if pilot else 1.0) for pilot in pilots]
            share = config.episodes_per_game * float(np.mean(chars))  # characters per unit of weight
            wanted = [share * p.weight / mean_weight / c for p, c in zip(parts, chars)]
        else:
            wanted = [config.episodes_per_game * p.weight / mean_weight for p in parts]
        counts = [max(config.min_episodes, int(round(w))) for w in wanted]
        bar.total(sum(max(n, len(pilot)) for n, pilot in zip(counts, pilots)))
        jobs, owners = [], []
        for k, (part, n) in enumerate(zip(parts, counts)):
            remaining, index = n - len(pilots[k]), 1
            while remaining > 0:
                size = min(chunk, remaining)
                jobs.append((part.fn, _chunk_seed(config.seed, part.name, index), size))
                owners.append(k)
                remaining -= size
                index += 1
        outs = _run_jobs(jobs, workers, bar.advance)
    data = {p.name: list(pilots[k][: counts[k]]) for k, p in enumerate(parts)}
    for k, out in zip(owners, outs):
        data[parts[k].name] += out
    return data


def _chars(conversation: Conversation) -> int:
    return sum(len(m["content"]) for m in conversation)


# --------------------------------------------------------------------------------------------- encoding
@dataclass
class Example:
    source: str
    input_ids: list[int]
    agent_mask: list[int]
    trimmed: bool = False


def trim_to_length(input_ids: Sequence[int], agent_mask: Sequence[int], max_length: int) -> int:
    """Length of the longest prefix that ends right after a whole agent turn and fits ``max_length``
    (0 when not even the first turn fits)."""
    best = 0
    for i in range(1, min(len(agent_mask), max_length) + 1):
        if agent_mask[i - 1] and (i == len(agent_mask) or not agent_mask[i]):
            best = i
    return best


def encode_conversations(tokenizer: Any, data: Mapping[str, Sequence[Conversation]], max_length: int,
                         ) -> tuple[list[Example], dict[str, dict[str, int]]]:
    """Exact ids and agent masks of every conversation; too long ones lose whole trailing turns."""
    from curiosa.models.chat import ChatTokenizer

    chat = ChatTokenizer(tokenizer)
    examples: list[Example] = []
    stats: dict[str, dict[str, int]] = {}
    for name, conversations in data.items():
        s = stats.setdefault(name, {"episodes": 0, "kept": 0, "trimmed": 0, "dropped": 0, "tokens": 0,
                                    "agent_tokens": 0, "max_length": 0})
        for conversation in conversations:
            s["episodes"] += 1
            enc = chat.encode(conversation)
            ids, mask = enc.input_ids, enc.agent_mask
            trimmed = False
            if len(ids) > max_length:
                cut = trim_to_length(ids, mask, max_length)
                if cut == 0:
                    s["dropped"] += 1
                    continue
                ids, mask, trimmed = ids[:cut], mask[:cut], True
                s["trimmed"] += 1
            if not any(mask):
                s["dropped"] += 1
                continue
            examples.append(Example(name, list(ids), list(mask), trimmed))
            s["kept"] += 1
            s["tokens"] += len(ids)
            s["agent_tokens"] += int(sum(mask))
            s["max_length"] = max(s["max_length"], len(ids))
    return examples, stats


def labels_for(input_ids: Sequence[int], agent_mask: Sequence[int]) -> list[int]:
    """Causal LM labels: the token where the agent produced it, -100 (ignored) everywhere else."""
    return [t if m else -100 for t, m in zip(input_ids, agent_mask)]


def make_batches(lengths: Sequence[int], batch_tokens: int, rng: np.random.Generator) -> list[list[int]]:
    """Indices in random order, cut into batches of at most ``batch_tokens`` tokens in total (a longer
    example is a batch of its own). Batches are packed, so lengths need not match, and every batch
    mixes the sources instead of grouping one game's long episodes together."""
    batches: list[list[int]] = []
    current: list[int] = []
    used = 0
    for i in rng.permutation(len(lengths)).tolist():
        if current and used + lengths[i] > batch_tokens:
            batches.append(current)
            current, used = [], 0
        current.append(i)
        used += lengths[i]
    if current:
        batches.append(current)
    return batches


def collate(examples: Sequence[Example], pad_id: int) -> dict[str, Any]:
    """Right-padded tensors: input_ids, attention_mask and labels (-100 on padding and non-agent tokens)."""
    import torch

    width = max(len(e.input_ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(examples), width), dtype=torch.long)
    labels = torch.full((len(examples), width), -100, dtype=torch.long)
    for row, e in enumerate(examples):
        n = len(e.input_ids)
        ids[row, :n] = torch.tensor(e.input_ids)
        attention[row, :n] = 1
        labels[row, :n] = torch.tensor(labels_for(e.input_ids, e.agent_mask))
    return {"input_ids": ids, "attention_mask": attention, "labels": labels}


# --------------------------------------------------------------------------------------------- training
def lr_factor(progress: float, warmup: float, min_ratio: float) -> float:
    """Learning-rate multiplier at ``progress`` in [0, 1]: linear warmup then cosine down to min_ratio."""
    progress = min(max(progress, 0.0), 1.0)
    if warmup > 0 and progress < warmup:
        return progress / warmup
    span = (progress - warmup) / max(1e-12, 1.0 - warmup)
    return min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * span))


def _token_losses(model: Any, batch: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    """Next-token NLL at every position ([rows, T-1]) and the masks of agent and of real (non-pad) targets."""
    import torch.nn.functional as F

    # Rows are right-padded and attention is causal, so no real token ever sees a pad: passing no
    # attention mask gives the same result and keeps the fast causal attention kernel (a padding mask
    # makes CPU attention materialise every T x T score matrix, several times slower on long games).
    logits = model(input_ids=batch["input_ids"]).logits[:, :-1]
    targets = batch["input_ids"][:, 1:]
    nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), targets.reshape(-1), reduction="none")
    agent = batch["labels"][:, 1:] != -100
    real = batch["attention_mask"][:, 1:].bool()
    return nll.view_as(targets), agent, real


def _agent_loss(model: Any, examples: Sequence[Example]) -> tuple[Any, int]:
    """Summed next-token loss over agent tokens and their count, on one packed row: packed attention
    and logits only where an agent token is predicted (the environment's tokens are only context)."""
    from curiosa.training.packing import pack, sequence_logps

    sums, counts = sequence_logps(model, pack([(e.input_ids, e.agent_mask) for e in examples]))
    return -sums.sum(), int(counts.sum())


def _objective(model: Any, examples: Sequence[Example], env_weight: float, pad_id: int) -> tuple[Any, float, int]:
    """The training loss (token mean over agent tokens, plus environment tokens at ``env_weight``), the agent
    tokens' mean loss and their count."""
    if env_weight <= 0:
        total, count = _agent_loss(model, examples)
        loss = total / max(1, count)
        return loss, float(loss.detach()), count
    nll, agent, real = _token_losses(model, collate(examples, pad_id))
    count = int(agent.sum())
    agent_loss = float(nll[agent].sum().detach()) / max(1, count)
    weights = agent.float() + env_weight * (real & ~agent).float()
    return (nll * weights).sum() / weights.sum().clamp_min(1.0), agent_loss, count


def train_model(model: Any, examples: Sequence[Example], val: Sequence[Example], config: BootstrapConfig,
                pad_id: int, time_budget: float | None = None) -> dict[str, Any]:
    """Imitation training on agent tokens; returns the log (per-step loss, lr, timing, validation loss).

    ``time_budget`` (seconds, None: unlimited) caps the training; the learning-rate schedule then follows
    whichever of steps and time is further along, so that it always ends annealed.
    """
    import torch

    rng = np.random.default_rng(config.seed + 1)
    lengths = [len(e.input_ids) for e in examples]
    epoch_batches = make_batches(lengths, config.batch_tokens, rng)
    total = config.max_steps or max(1, int(math.ceil(config.epochs * len(epoch_batches))))
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.ndim >= 2]
    no_decay = [p for p in params if p.ndim < 2]
    groups = [{"params": decay, "weight_decay": config.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=config.lr, betas=(0.9, 0.95), eps=1e-8)
    limit = time_budget if time_budget is not None else 0.0
    steps: list[dict[str, float]] = []
    model.train()
    start, cpu_start = time.time(), time.process_time()
    batches = list(epoch_batches)
    stop_reason = "steps"
    tokens_seen = 0
    with _progress(config.progress, "training", total=total) as bar:
        for step in range(total):
            elapsed = time.time() - start
            progress = max(step / total, elapsed / limit if limit > 0 else 0.0)
            if progress >= 1.0:
                stop_reason = "time_limit"
                break
            if not batches:
                batches = make_batches(lengths, config.batch_tokens, rng)
            chosen = [examples[i] for i in batches.pop()]
            factor = lr_factor(progress, config.warmup_ratio, config.min_lr_ratio)
            for g in optimizer.param_groups:
                g["lr"] = config.lr * factor
            loss, value, count = _objective(model, chosen, config.env_loss_weight, pad_id)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            grad_norm = float(torch.nn.utils.clip_grad_norm_(params, config.grad_clip)) if config.grad_clip > 0 else 0.0
            optimizer.step()
            tokens = sum(len(e.input_ids) for e in chosen)
            tokens_seen += tokens
            steps.append({"step": step + 1, "loss": round(value, 5), "lr": config.lr * factor,
                          "grad_norm": round(grad_norm, 4), "agent_tokens": count, "tokens": tokens,
                          "elapsed": round(time.time() - start, 2)})
            bar.advance(1, f"loss {value:.3f}")
    train_seconds = time.time() - start
    model.eval()
    log: dict[str, Any] = {"steps": steps, "planned_steps": total, "batches_per_epoch": len(epoch_batches),
                           "stop_reason": stop_reason, "train_seconds": round(train_seconds, 1),
                           "train_cpu_seconds": round(time.process_time() - cpu_start, 1),
                           "tokens_seen": tokens_seen,
                           "tokens_per_second": round(tokens_seen / max(1e-9, train_seconds), 1)}
    log["final_train_loss"] = float(np.mean([s["loss"] for s in steps[-10:]])) if steps else float("nan")
    if val:
        log["val_loss"] = evaluate_loss(model, val, config.batch_tokens, pad_id)
    return log


def evaluate_loss(model: Any, examples: Sequence[Example], batch_tokens: int, pad_id: int) -> float:
    """Token-mean loss over the agent tokens of ``examples``."""
    import torch

    total, count = 0.0, 0
    batches = make_batches([len(e.input_ids) for e in examples], batch_tokens, np.random.default_rng(0))
    with torch.no_grad():
        for b in batches:
            s, c = _agent_loss(model, [examples[i] for i in b])
            total += float(s)
            count += c
    return total / max(1, count)


# --------------------------------------------------------------------------------------------- entry points
def default_model_dir() -> Path:
    """Where the default model lives: $CURIOSA_HOME (default ~/.cache/curiosa)/models/tiny-default."""
    home = os.environ.get("CURIOSA_HOME") or str(Path("~/.cache/curiosa").expanduser())
    return Path(home).expanduser() / "models" / "tiny-default"


def is_complete(path: str | Path) -> bool:
    """True when ``path`` holds a model whose bootstrap finished (its marker file exists)."""
    return (Path(path) / MARKER).is_file()


def bootstrap(config: BootstrapConfig | None = None) -> Path:
    """Build the tokenizer and the model, train it by imitation, save it; returns the model directory."""
    import torch

    from curiosa.config import save_config

    config = config or BootstrapConfig()
    out = Path(config.output_dir).expanduser() if config.output_dir else default_model_dir()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).unlink(missing_ok=True)
    timings: dict[str, float] = {}
    t0 = time.time()
    threads = config.threads or min(8, _available_cores())
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        logger.info("bootstrap: generating episodes")
        data = generate_conversations(config, progress=config.progress)
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
                    _count(model) / 1e6, len(train), sum(len(e.input_ids) for e in train))
        t = time.time()
        budget = None
        if config.time_limit_minutes > 0:
            # keep a reserve for the validation loss and saving
            reserve = 15.0 + 0.0005 * sum(len(e.input_ids) for e in val)
            budget = max(1.0, config.time_limit_minutes * 60.0 - (t - t0) - reserve)
        log = train_model(model, train, val, config, pad_id=tokenizer.pad_token_id, time_budget=budget)
        timings["train"] = time.time() - t

        t = time.time()
        for name in (MARKER, "model.safetensors", LOG_FILE):
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()
        model.save_pretrained(out, safe_serialization=True)
        tokenizer.save_pretrained(out)
        save_config(config, out / CONFIG_FILE)
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
    with _file_lock(out.parent / f".{out.name}.lock"):
        if _is_current(out):
            return out
        if is_complete(out):
            logger.warning("curiosa: the default model in %s comes from an older recipe; rebuilding it", out)
        from dataclasses import replace

        logger.warning("curiosa: building the default model in %s (a one-time job of about 16 minutes)", out)
        return bootstrap(replace(config, output_dir=str(out)))


# --------------------------------------------------------------------------------------------- helpers
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


@contextlib.contextmanager
def _file_lock(path: Path):
    import fcntl

    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Bar:
    """A thin wrapper over a rich progress bar (or nothing)."""

    def __init__(self, progress: Any, task: Any) -> None:
        self._progress, self._task = progress, task

    def advance(self, n: int = 1, status: str | None = None) -> None:
        if self._progress is not None:
            kwargs = {"status": status} if status is not None else {}
            self._progress.update(self._task, advance=n, **kwargs)

    def total(self, total: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, total=total)


@contextlib.contextmanager
def _progress(enabled: bool, label: str, total: int | None = None):
    if not enabled:
        yield _Bar(None, None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = [TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn(), TextColumn("{task.fields[status]}")]
    with Progress(*columns, transient=False) as progress:
        yield _Bar(progress, progress.add_task(label, total=total, status=""))
