"""How many decoding passes drafting from the context could save, measured on played episodes.

Decoding is bound by reading the weights and the key/value cache once per pass, for one new token per
row. A draft of k tokens, checked in one pass, gives every leading token the model would have produced
anyway plus one more: with the same random number for each position, a draft token is kept exactly when
it equals the token sampling picks, so the trajectories do not change. This script replays recorded
episodes (a `--out` file of `benchmarks/base_quality.py`, or any trajectories JSONL) with the drafter
of the transformers backend (`draft_tokens`), prompt lookup: the k tokens that followed the latest
earlier occurrence of the last n tokens (n from `--ngram` down to 1). It counts, per reply, the passes
such decoding would need, and prints per group the reply tokens, the passes and the tokens per pass (1.0
is decoding without drafts); the last line is JSON. It counts passes only: a checking pass feeds k + 1 tokens per row, which costs more matrix products
than a pass of one (`benchmarks/decode_pass.py --feed`).

    python benchmarks/draft_acceptance.py --episodes runs/bq.jsonl --model default
    python benchmarks/draft_acceptance.py --episodes runs/bq.jsonl --model default --draft 2 4 8
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from typing import Sequence


def passes_for(ids: Sequence[int], start: int, stop: int, k: int, ngram: int) -> int:
    """Decoding passes for the reply ids[start:stop] when each pass checks a draft of up to k tokens from
    the backend's drafter (``curiosa.rollout.drafting.PromptLookup`` over everything before the pass)."""
    from curiosa.rollout.drafting import PromptLookup

    lookup = PromptLookup(ids[:start], ngram=ngram)
    passes, p = 0, start
    while p < stop:
        draft = lookup.draft(k)
        kept = 0
        while kept < len(draft) and p + kept < stop and draft[kept] == ids[p + kept]:
            kept += 1
        lookup.extend(ids[p:min(p + kept + 1, stop)])  # the kept draft tokens, then the model's own at the miss
        p += kept + 1
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
        for start, stop in reply_spans(enc.agent_mask):
            tokens[t.group] += stop - start
            for k in args.draft:
                passes[t.group, k] += passes_for(ids, start, stop, k, args.ngram)
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
