"""Where a batched decoding step spends its time: the engine's backend with and without the lean decoder.

Decodes ``--new-tokens`` tokens for ``--rows`` conversations at once (a short prompt each, sampled at
temperature 0.7, min-p 0.3) through ``TransformersBackend``, twice: with the model's own transformers
forward over curiosa's row cache (``lean=False``, "before") and with ``models.decoder.LeanDecoder``
("after"). For each it prints the generated tokens per second and torch's profile of the operators
that took the most time; the last line is JSON with both rates and the top operators' seconds.

    python benchmarks/profile_decode.py                      # the embedded default model
    python benchmarks/profile_decode.py --model smollm2-135m-instruct --rows 64 --new-tokens 64
"""

from __future__ import annotations

import argparse
import json
import time


def profile_run(backend, chat, rows: int, new_tokens: int, top: int) -> dict:
    from torch.profiler import profile

    from curiosa.rollout.types import SamplingConfig, TurnRequest

    sampling = SamplingConfig(temperature=0.7, min_p=0.3, max_new_tokens=new_tokens)
    requests = [TurnRequest(f"row{i}", [], chat.start([{"role": "user", "content": f"Tell me a long story about "
                                                                                    f"the number {i}."}]))
                for i in range(rows)]
    backend.generate([TurnRequest("warm-up", [], requests[0].prompt_ids)], sampling)  # first-call costs
    backend.release("warm-up")
    start = time.perf_counter()
    with profile() as prof:
        results = backend.generate(requests, sampling)
    seconds = time.perf_counter() - start
    tokens = sum(len(r.token_ids) for r in results)
    averages = prof.key_averages()
    ops = sorted(averages, key=lambda e: e.self_cpu_time_total, reverse=True)[:top]
    print(averages.table(sort_by="self_cpu_time_total", row_limit=top))
    return {"tokens": tokens, "seconds": round(seconds, 3), "tokens_per_s": round(tokens / seconds, 1),
            "top_ops_seconds": {e.key: round(e.self_cpu_time_total / 1e6, 3) for e in ops}}


def main(argv: list[str] | None = None) -> None:
    from _model import load_for_cpu

    from curiosa.models.chat import ChatTokenizer
    from curiosa.rollout.backends.transformers_backend import TransformersBackend

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="default", help="model directory, catalogue name or .gguf ('default': the embedded model)")
    p.add_argument("--rows", type=int, default=32, help="conversations decoded at once")
    p.add_argument("--new-tokens", type=int, default=64, help="tokens generated per conversation (at most)")
    p.add_argument("--dtype", default="auto", help="weights' dtype (auto: bf16 where the CPU has it)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--top", type=int, default=12, help="operators shown")
    args = p.parse_args(argv)
    model, tokenizer = load_for_cpu(args.model, args.dtype, args.threads)
    chat = ChatTokenizer(tokenizer)
    result = {"rows": args.rows, "new_tokens": args.new_tokens, "dtype": str(next(model.parameters()).dtype)}
    for name, lean in (("before (model's own forward)", False), ("after (lean decoder)", True)):
        print(f"== {name}")
        backend = TransformersBackend(model, tokenizer, chat=chat, lean=lean)
        run = profile_run(backend, chat, args.rows, args.new_tokens, args.top)
        print(f"{run['tokens']} tokens in {run['seconds']:.2f} s: {run['tokens_per_s']:.1f} tokens/s\n")
        result["lean" if lean else "own_forward"] = run
    print(json.dumps(result))


if __name__ == "__main__":
    main()
