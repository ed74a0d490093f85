"""How many decoding passes drafting from the context could save, measured on played episodes.

Decoding is bound by reading the weights and the key/value cache once per pass, for one new token per
row. A draft of k tokens, checked in one pass, gives every leading token the model would have produced
anyway plus one more: with the same random number for each position, a draft token is kept exactly when
it equals the token sampling picks, so the trajectories do not change. This script replays recorded
episodes (a `--out` file of `benchmarks/base_quality.py`, or any trajectories JSONL) with the cheapest
drafter, prompt lookup: the k tokens that followed the latest earlier occurrence of the last n tokens
(n from `--ngram` down to 1). It counts, per reply, the passes such decoding would need, and prints per
group the reply tokens, the passes and the tokens per pass (1.0 is today's decoding); the last line is
JSON. It measures the opportunity only: a checking pass feeds k + 1 tokens per row, which costs more
matrix products than a pass of one.

    python benchmarks/draft_acceptance.py --episodes runs/bq.jsonl --model default
    python benchmarks/draft_acceptance.py --episodes runs/bq.jsonl --model default --draft 2 4 8
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from typing import Sequence


def earlier_ends(ids: Sequence[int], n: int) -> list[int]:
    """For each position q: the end of the latest earlier occurrence of ids[q - n:q] (-1 if none)."""
    last: dict[tuple[int, ...], int] = {}
    out = [-1] * (len(ids) + 1)
    for q in range(n, len(ids) + 1):
        key = tuple(ids[q - n:q])
        out[q] = last.get(key, -1)
        last[key] = q
    return out


def passes_for(ids: Sequence[int], ends: dict[int, list[int]], start: int, stop: int, k: int) -> int:
    """Decoding passes for the reply ids[start:stop] when each pass checks a draft of up to k tokens: what
    followed the latest earlier occurrence of the last n tokens, for the longest n in ``ends`` that has one."""
    passes, p = 0, start
    while p < stop:
        draft: Sequence[int] = []
        for n in sorted(ends, reverse=True):
            e = ends[n][p]
            if e >= 0:
                draft = ids[e:min(e + k, p)]  # only tokens known at p
                break
        kept = 0
        while kept < len(draft) and p + kept < stop and draft[kept] == ids[p + kept]:
            kept += 1
        p += kept + 1  # the kept draft tokens, then the model's own token at the first miss
        passes += 1
    return passes


def main(argv: list[str] | None = None) -> None:
    from curiosa.data.encode import reply_spans
    from curiosa.models.chat import ChatTokenizer
    from curiosa.models.loading import load_tokenizer
    from curiosa.pipelines.warm_start import resolve_model_path
    from curiosa.rollout.store import load_trajectories

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--episodes", required=True, help="trajectories JSONL (e.g. base_quality.py --out)")
    p.add_argument("--model", default="default", help="whose tokenizer and chat template encode the episodes")
    p.add_argument("--draft", type=int, nargs="+", default=[4], help="draft lengths k to count")
    p.add_argument("--ngram", type=int, default=3, help="longest n-gram looked up")
    args = p.parse_args(argv)
    chat = ChatTokenizer(load_tokenizer(resolve_model_path(args.model)))
    episodes = load_trajectories(args.episodes)
    tokens: dict[str, int] = defaultdict(int)
    passes: dict[tuple[str, int], int] = defaultdict(int)
    for t in episodes:
        enc = chat.encode(t.messages)
        ids = list(enc.input_ids)
        ends = {n: earlier_ends(ids, n) for n in range(1, args.ngram + 1)}
        for start, stop in reply_spans(enc.agent_mask):
            tokens[t.group] += stop - start
            for k in args.draft:
                passes[t.group, k] += passes_for(ids, ends, start, stop, k)
    result = {"episodes": len(episodes), "ngram": args.ngram, "groups": {}}
    print(f"{'group':18s} {'tokens':>8s} " + " ".join(f"{'per pass, k=' + str(k):>16s}" for k in args.draft))
    for group in sorted(tokens):
        per = {k: tokens[group] / passes[group, k] for k in args.draft}
        result["groups"][group] = {"tokens": tokens[group], **{f"tokens_per_pass_k{k}": round(v, 3) for k, v in per.items()}}
        print(f"{group:18s} {tokens[group]:8d} " + " ".join(f"{per[k]:16.2f}" for k in args.draft))
    total = sum(tokens.values())
    for k in args.draft:
        result[f"tokens_per_pass_k{k}"] = round(total / sum(passes[g, k] for g in tokens), 3)
    print("all" + " " * 15 + f" {total:8d} " + " ".join(f"{result[f'tokens_per_pass_k{k}']:16.2f}" for k in args.draft))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
