"""Can a tiny model trained in a CPU budget learn the math of SCoRe's default task?

SCoRe needs a base model that is right on a real share of first attempts; the earlier tiny default
(1.3M parameters, from scratch) got about 5% of math_synthetic's levels 1-2 right (today's pretrained
default: 33%). This script trains math-only tiny models with the bootstrap recipe (same shape,
schedule and packing; only the data and the tokenizer change) and reports their greedy first- and
second-attempt accuracy on the 200 held-out level 1-2 problems:

* ``bpe-practice``: the math_synthetic transcripts of the default mixture plus fresh practice
  problems (levels 1-3 from the same generator, every held-out problem and its rewordings skipped),
  played by the expert or the student; numbers tokenized as BPE merges them (one token each).
* ``digits-practice``: the same data, every digit its own token (TinyModelConfig.split_digits).
* ``digits-drill``: the transcripts, fewer practice problems and an arithmetic drill: sheets of 16
  lines such as ``83 - (-10) = 93`` in the work's own notation (operands up to 300, products of
  numbers up to 20, exact quotients), the facts every step of a level 1-2 solution is made of.

    python benchmarks/math_base.py                          # all three: about 23 minutes on 2 cores
    python benchmarks/math_base.py --variants digits-drill --minutes 4

The last line printed is a JSON object: per variant, its training tokens and seconds, validation
loss, Acc@t1 and Acc@t2 in percent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import numpy as np

VARIANTS: dict[str, dict[str, Any]] = {
    "bpe-practice": {"split_digits": False, "sources": {"math_practice": 3.0}, "episodes": 6000, "epochs": 1.0},
    "digits-practice": {"split_digits": True, "sources": {"math_practice": 3.0}, "episodes": 6000, "epochs": 2.0},
    "digits-drill": {"split_digits": True, "sources": {"math_practice": 1.0, "arithmetic_drill": 2.0},
                     "episodes": 3000, "epochs": 2.0},
}
PRACTICE_LEVELS = {1: 0.4, 2: 0.4, 3: 0.2}


@lru_cache(maxsize=1)
def held_out_keys() -> frozenset[str]:
    """Texts and wording-free keys of every test problem (a practice problem matching either is skipped)."""
    from curiosa.envs import math_synthetic as ms
    from curiosa.envs.task import stable_rng

    tests = ms.MathSyntheticEnv.build_tasks("test")
    keys: set[str] = {t.params["problem"] for t in tests}
    need = sum(ms.PER_LEVEL.values())
    for level in ms.LEVELS:  # replay the pool's draws to find each test problem's key
        texts = {t.params["problem"] for t in tests if t.params["difficulty"] == level}
        for i in range(200 * need):
            draft = ms.generate_problem(stable_rng(ms.GROUP, "pool", level, i), level)
            if draft is not None and draft.text in texts:
                keys.add(draft.key)
                texts.discard(draft.text)
            if not texts:
                break
    return frozenset(keys)


def math_practice(seed: int, n: int) -> Iterator[list[dict[str, str]]]:
    """Fresh generated problems (never a held-out one), each played by the expert or the student."""
    from curiosa import envs
    from curiosa.envs import math_synthetic as ms
    from curiosa.envs.task import make_tasks
    from curiosa.policies import run_episode, scripted

    rng = np.random.default_rng(seed)
    env = envs.make(ms.GROUP, split="train")
    skip = held_out_keys()
    levels = list(PRACTICE_LEVELS)
    probs = np.array([PRACTICE_LEVELS[k] for k in levels])
    done = 0
    while done < n:
        level = levels[int(rng.choice(len(levels), p=probs / probs.sum()))]
        draft = ms.generate_problem(rng, level)
        if draft is None or draft.text in skip or draft.key in skip:
            continue
        record = ms.problem_record(level, draft)
        if record is None:
            continue
        task = make_tasks(ms.GROUP, "train", [record])[0]
        episode_seed = int(rng.integers(2**31 - 1))
        policy = scripted(ms.GROUP, "expert" if rng.random() < 0.5 else "heuristic", seed=episode_seed)
        yield run_episode(env, policy, seed=episode_seed, task=task).messages
        done += 1


def _operand(rng: np.random.Generator) -> int:
    u = rng.random()
    return int(rng.integers(0, (12 if u < 0.55 else 50 if u < 0.85 else 300) + 1))


def _signed(rng: np.random.Generator, value: int, p: float) -> int:
    return -value if rng.random() < p else value


def arithmetic_fact(rng: np.random.Generator) -> tuple[str, str]:
    """``("83 - (-10)", "93")``: one step of the work's notation and its value."""
    from curiosa.envs.math_answers import format_number, format_operand

    op = "+-*/"[int(rng.choice(4, p=[0.3, 0.3, 0.25, 0.15]))]
    if op in "+-":
        a, b = _signed(rng, _operand(rng), 0.2), _signed(rng, _operand(rng), 0.2)
        value = a + b if op == "+" else a - b
    elif op == "*":
        a, b = _signed(rng, int(rng.integers(0, 21)), 0.15), _signed(rng, int(rng.integers(0, 21)), 0.15)
        value = a * b
    else:
        b, value = _signed(rng, int(rng.integers(1, 13)), 0.15), _signed(rng, int(rng.integers(0, 21)), 0.15)
        a = b * value
    return f"{format_number(Fraction(a))} {op} {format_operand(Fraction(b))}", format_number(Fraction(value))


def arithmetic_drill(seed: int, n: int) -> Iterator[list[dict[str, str]]]:
    """Sheets of 16 facts: the user lists the left sides, the agent writes each line with its value."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        facts = [arithmetic_fact(rng) for _ in range(16)]
        yield [{"role": "user", "content": "Arithmetic practice: give the value of each line.\n"
                + "\n".join(q for q, _ in facts)},
               {"role": "assistant", "content": "\n".join(f"{q} = {a}" for q, a in facts)}]


def evaluate(model: Path, out: Path) -> dict[str, float]:
    """Greedy two-attempt play of the held-out level 1-2 problems, as `curiosa score` evaluates."""
    from dataclasses import replace

    from curiosa.pipelines.score import Score, ScoreConfig

    config = ScoreConfig(output_dir=str(out), levels=[1, 2], baselines=[], report=False)
    config = replace(config, model=replace(config.model, path=str(model)))
    summary = Score(config).evaluate("base", str(model))
    return {"acc_t1": 100 * summary["accuracy_t1"], "acc_t2": 100 * summary["accuracy_t2"]}


def run_variant(name: str, out: Path, minutes: float) -> dict[str, Any]:
    import curiosa.pipelines.warm_start as bs
    from curiosa.models.tiny import TinyModelConfig

    spec = VARIANTS[name]
    config = bs.tiny_config(output_dir=str(out / name / "model"), games=["math_synthetic"],
                            extra_sources=dict(spec["sources"]), episodes_per_game=spec["episodes"],
                            time_limit_minutes=minutes, progress=False,
                            tiny=TinyModelConfig(split_digits=spec["split_digits"]))
    config.train.epochs = spec["epochs"]
    start = time.time()
    sources = {"math_practice": math_practice, "arithmetic_drill": arithmetic_drill}
    path = bs.warm_start(config, sources) if not bs.is_complete(config.output_dir) else Path(config.output_dir)
    seconds = time.time() - start
    log = json.loads((path / bs.LOG_FILE).read_text())
    result = {"tokens": log["tokens_seen"], "train_seconds": log["train_seconds"], "val_loss": round(log["val_loss"], 3),
              **evaluate(path, out / name / "eval")}
    print(f"{name}: {result} ({seconds:.0f} s)", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--out", default="runs/bench-math-base", help="models and evaluations go here")
    parser.add_argument("--minutes", type=float, default=10.0, help="time limit of each model's bootstrap")
    args = parser.parse_args()

    held_out_keys()  # once here: the forked workers that play the practice problems inherit it
    results = {name: run_variant(name, Path(args.out), args.minutes) for name in args.variants}
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
