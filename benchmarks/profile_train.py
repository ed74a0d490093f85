"""Where a training step spends its time: curiosa's SFT trainer on packed micro-batches.

Builds ``--sequences`` conversations of ``--length`` tokens (random token ids; every third token trained,
as agent tokens are among environment text), then runs ``--steps`` optimizer steps of the shared trainer
(bf16 autocast over fp32 master weights where the CPU has bf16; micro-batches of ``--micro-batch-tokens``)
after one warm-up step, under torch's profiler. Prints the operators that took the most time (self time),
then a JSON line with tokens/s, the optimizer's time, the matrix products' backward time and the top
operators' times.

    python benchmarks/profile_train.py                       # the embedded default model
    python benchmarks/profile_train.py --model smollm2-135m-instruct --sequences 8 --length 1024
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time


def main(argv: list[str] | None = None) -> None:
    import numpy as np
    import torch
    from torch.profiler import profile, record_function

    from curiosa.data.examples import Example
    from curiosa.models.loading import load_model
    from curiosa.pipelines.warm_start import resolve_model_path
    from curiosa.training.sft import SFTConfig, SFTTrainer

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="default", help="model directory, catalogue name or .gguf ('default': the embedded model)")
    p.add_argument("--sequences", type=int, default=8, help="conversations per optimizer step")
    p.add_argument("--length", type=int, default=1024, help="tokens per conversation")
    p.add_argument("--micro-batch-tokens", type=int, default=4096)
    p.add_argument("--steps", type=int, default=2, help="profiled optimizer steps (after one warm-up step)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--precision", default="auto", help="the trainer's mixed_precision: auto, bf16 or no")
    p.add_argument("--top", type=int, default=25, help="operators listed")
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    model = load_model(resolve_model_path(args.model), dtype="float32", device="cpu")
    vocab = model.get_input_embeddings().weight.shape[0]
    rng = np.random.default_rng(0)
    examples = [Example(f"x{i}", rng.integers(10, vocab, args.length).tolist(),
                        [int(t % 3 == 2) for t in range(args.length)])
                for i in range(args.sequences * (args.steps + 1))]
    with tempfile.TemporaryDirectory() as out:
        config = SFTConfig(output_dir=out, batch_size=args.sequences, max_steps=args.steps + 1, save_every=0,
                           micro_batch_tokens=args.micro_batch_tokens, progress=False,
                           mixed_precision=args.precision, learning_rate=1e-5, warmup_ratio=0.0)
        trainer = SFTTrainer(config, model, examples)
        trainer.steps = [list(range(i * args.sequences, (i + 1) * args.sequences)) for i in range(args.steps + 1)]
        trainer.model.train()

        def step(i: int) -> None:
            trainer.accumulate(i)
            with record_function("optimizer"):
                trainer.optimizer.step()

        step(0)  # first-call costs
        start = time.perf_counter()
        with profile() as prof:
            for i in range(1, args.steps + 1):
                step(i)
        seconds = time.perf_counter() - start
    tokens = args.sequences * args.length * args.steps
    averages = prof.key_averages()
    print(averages.table(sort_by="self_cpu_time_total", row_limit=args.top))
    ops = sorted(averages, key=lambda e: e.self_cpu_time_total, reverse=True)[:args.top]
    parts = {e.key: round(e.cpu_time_total / 1e6, 3) for e in averages
             if e.key in ("optimizer", "autograd::engine::evaluate_function: MmBackward0")}
    result = {"model": args.model, "tokens": tokens, "seconds": round(seconds, 3),
              "tokens_per_s": round(tokens / seconds, 1), "parts_seconds": parts,
              "top_ops_seconds": {e.key: round(e.self_cpu_time_total / 1e6, 3) for e in ops}}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
