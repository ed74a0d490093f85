"""What one decoding pass of the rollout engine costs, by batch rows and context length.

For each (rows, context) cell, ``rows`` conversations of ``context`` random token ids are encoded by the
transformers backend and then decoded together for ``--new-tokens`` tokens (temperature 1.0, so replies
rarely end early); the backend's own counters time its prefill and decoding passes. Prints one line per
cell (milliseconds per decoding pass, generated tokens/s while decoding, prefill tokens/s), then JSON.

With ``--feed F ...`` each cell also times one checking pass that feeds F tokens to every row (a token
and an (F - 1)-token draft, attended like decoding, logits after every token; best of 3, each over the
cache as the passes before it left it), beside a one-token pass timed the same way. It calls the
backend's internal pass directly: drafts depend on what the conversation repeats, random ids repeat
nothing.

    python benchmarks/decode_pass.py                          # the embedded default model
    python benchmarks/decode_pass.py --rows 8 64 --contexts 300 1300 --new-tokens 32
    python benchmarks/decode_pass.py --rows 8 64 --contexts 300 1100 --feed 3 5
"""

from __future__ import annotations

import argparse
import json


def random_ids(model, tokenizer, generator, n: int) -> list[int]:
    """``n`` random ids of ordinary tokens (none of the first hundred, where special tokens sit)."""
    import torch

    return torch.randint(100, min(len(tokenizer), model.config.vocab_size), (n,), generator=generator).tolist()


def measure(model, tokenizer, rows: int, context: int, new_tokens: int, seed: int = 0) -> dict:
    import torch

    from curiosa.rollout.backends.transformers_backend import TransformersBackend
    from curiosa.rollout.types import SamplingConfig, TurnRequest

    backend = TransformersBackend(model, tokenizer)
    generator = torch.Generator().manual_seed(seed)
    requests = [TurnRequest(f"row{i}", [], random_ids(model, tokenizer, generator, context)) for i in range(rows)]
    backend.generate(requests, SamplingConfig(temperature=1.0, max_new_tokens=new_tokens + 1, seed=seed))
    s = backend.stats
    return {"rows": rows, "context": context, "decode_passes": s["decode_passes"],
            "ms_per_pass": round(1000 * s["decode_seconds"] / s["decode_passes"], 1),
            "decode_tokens_per_s": round(s["decode_rows"] / s["decode_seconds"], 1),
            "mean_rows": round(s["decode_rows"] / s["decode_passes"], 1),
            "prefill_tokens_per_s": round(s["prefill_tokens"] / s["prefill_seconds"], 1)}


def measure_feeds(model, tokenizer, rows: int, context: int, feeds: list[int], repeats: int = 3) -> dict:
    """Milliseconds of one checking pass feeding F new tokens to each of ``rows`` cached conversations of
    about ``context`` tokens, for F = 1 and each of ``feeds`` (best of ``repeats``)."""
    import time

    import torch

    from curiosa.rollout.backends.transformers_backend import TransformersBackend
    from curiosa.rollout.types import SamplingConfig, TurnRequest

    backend = TransformersBackend(model, tokenizer)
    generator = torch.Generator().manual_seed(1)
    sampling = SamplingConfig(temperature=1.0, max_new_tokens=1, seed=0)
    backend.generate([TurnRequest(f"row{i}", [], random_ids(model, tokenizer, generator, context)) for i in range(rows)],
                     sampling)
    out = {}
    with torch.inference_mode():
        for feed in [1, *feeds]:
            times = []
            for _ in range(repeats):
                ids = {row: random_ids(model, tokenizer, generator, feed) for row in range(rows)}
                start = time.perf_counter()
                backend._forward(ids, check=True)
                times.append(time.perf_counter() - start)
            out[f"ms_feeding_{feed}"] = round(1000 * min(times), 1)
    return out


def main(argv: list[str] | None = None) -> None:
    from _model import load_for_cpu

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="default", help="model directory, catalogue name or .gguf ('default': the embedded model)")
    p.add_argument("--rows", type=int, nargs="+", default=[8, 32, 64], help="conversations decoded at once")
    p.add_argument("--contexts", type=int, nargs="+", default=[300, 1300], help="tokens in each conversation")
    p.add_argument("--new-tokens", type=int, default=32, help="decoding passes per cell")
    p.add_argument("--feed", type=int, nargs="*", default=[], help="also time a pass feeding this many tokens per row")
    p.add_argument("--dtype", default="auto", help="weights' dtype (auto: bf16 where the CPU has it)")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    model, tokenizer = load_for_cpu(args.model, args.dtype, args.threads)
    cells = []
    for context in args.contexts:
        for rows in args.rows:
            cell = measure(model, tokenizer, rows, context, args.new_tokens)
            print(f"rows {rows:3d}  context {context:5d}: {cell['ms_per_pass']:7.1f} ms per decoding pass "
                  f"({cell['mean_rows']:.1f} rows), {cell['decode_tokens_per_s']:7.1f} tokens/s decoding, "
                  f"prefill {cell['prefill_tokens_per_s']:.0f} tokens/s", flush=True)
            if args.feed:
                cell.update(measure_feeds(model, tokenizer, rows, context, args.feed))
                print("    one pass feeding " + ", ".join(f"{k.split('_')[-1]} tokens per row {v:.1f} ms"
                                                       for k, v in cell.items() if k.startswith("ms_feeding")),
                      flush=True)
            cells.append(cell)
    print(json.dumps({"dtype": str(next(model.parameters()).dtype), "threads": args.threads, "cells": cells}))


if __name__ == "__main__":
    main()
