"""Quality of a bootstrapped model: does it play every game in format, worse than the expert, diversely?

Plays the first N test tasks of every game, S samples each, with plain ``transformers`` generation
(one episode at a time, its KV cache kept across turns, prompt ids built with ChatTokenizer and the
generated ids kept as they are). Unreadable replies are stepped anyway (they cost a turn), so the
parse rate is the fraction of all replies that the game could read.

    python benchmarks/bootstrap_quality.py --model ~/.cache/curiosa/models/tiny-default --tasks 16

Reports per game: parse rate, cut-off rate (no end-of-turn token within max_new_tokens), success
rate, the expert's success rate on the same tasks, diversity (fraction of tasks whose samples
differ: whole trajectories, and move sequences) and mean turns.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path
from typing import Any


def play_episode(model: Any, tokenizer: Any, chat: Any, env: Any, task: Any, *, env_seed: int, sample_seed: int,
                 temperature: float, min_p: float, max_new_tokens: int) -> dict[str, Any]:
    import torch
    from transformers import DynamicCache

    from curiosa.envs.base import FormatError
    from curiosa.envs.text import extract_answer

    torch.manual_seed(sample_seed)
    observation, info = env.reset(seed=env_seed, options={"task": task})
    messages = [{"role": "user", "content": observation}]
    ids = chat.start(messages)
    cache = DynamicCache()
    replies = parsed = cut = 0
    moves: list[str | None] = []
    while True:
        input_ids = torch.tensor([ids])
        with torch.no_grad():
            out = model.generate(
                input_ids, attention_mask=torch.ones_like(input_ids), past_key_values=cache, do_sample=True,
                temperature=temperature, min_p=min_p, top_k=0, top_p=1.0, max_new_tokens=max_new_tokens,
                eos_token_id=chat.stop_token_id, pad_token_id=tokenizer.pad_token_id,
            )
        generated = out[0, len(ids):].tolist()
        ended = bool(generated) and generated[-1] == chat.stop_token_id
        text = tokenizer.decode(generated[:-1] if ended else generated)
        replies += 1
        cut += int(not ended)
        try:
            env.parse_reply(text)
            parsed += 1
        except FormatError:
            pass
        moves.append(extract_answer(text))
        observation, _, terminated, truncated, info = env.step(text)
        messages += [{"role": "assistant", "content": text}, {"role": "user", "content": observation}]
        if terminated or truncated:
            break
        ids = ids + generated + chat.continue_after_reply(observation, reply_ended=ended)
    return {"task_id": task.id, "success": bool(info["success"]), "turns": int(info["turn"]), "replies": replies,
            "parsed": parsed, "cut": cut, "moves": moves, "messages": messages}


def _worker(args: tuple[str, str, list[int], int, dict[str, Any]]) -> list[dict[str, Any]]:
    model_dir, game, task_indices, samples, opts = args
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from curiosa import envs
    from curiosa.models.chat import ChatTokenizer

    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    chat = ChatTokenizer(tokenizer)
    tasks = envs.load_tasks(game, "test")
    env = envs.make(game, split="test")
    results = []
    for i in task_indices:
        for s in range(samples):
            r = play_episode(model, tokenizer, chat, env, tasks[i], env_seed=i, sample_seed=1000 * i + s, **opts)
            r["game"], r["sample"] = game, s
            results.append(r)
    return results


def _expert(game: str, n: int) -> float:
    from curiosa import envs
    from curiosa.policies import run_episode, scripted

    tasks = envs.load_tasks(game, "test")[:n]
    env = envs.make(game, split="test")
    wins = [run_episode(env, scripted(game, "expert", seed=i), seed=i, task=t).success for i, t in enumerate(tasks)]
    return sum(wins) / max(1, len(wins))


def evaluate(model_dir: str, games: list[str], tasks: int, samples: int, workers: int, opts: dict[str, Any],
             ) -> dict[str, Any]:
    jobs = []
    for game in games:
        # split each game's tasks into two halves so that both workers stay busy to the end
        idx = list(range(tasks))
        for part in (idx[0::2], idx[1::2]):
            if part:
                jobs.append((model_dir, game, part, samples, opts))
    if workers > 1:
        with mp.get_context("spawn").Pool(workers) as pool:
            outs = pool.map(_worker, jobs, chunksize=1)
    else:
        outs = [_worker(j) for j in jobs]
    episodes = [r for out in outs for r in out]
    table: dict[str, Any] = {}
    for game in games:
        rows = [r for r in episodes if r["game"] == game]
        by_task: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            by_task.setdefault(r["task_id"], []).append(r)
        multi = [v for v in by_task.values() if len(v) > 1]
        replies = sum(r["replies"] for r in rows)
        table[game] = {
            "episodes": len(rows),
            "parse_rate": sum(r["parsed"] for r in rows) / max(1, replies),
            "cut_rate": sum(r["cut"] for r in rows) / max(1, replies),
            "success": sum(r["success"] for r in rows) / max(1, len(rows)),
            "expert_success": _expert(game, tasks),
            "diversity": sum(len({json.dumps(r["messages"]) for r in v}) > 1 for v in multi) / max(1, len(multi)),
            "move_diversity": sum(len({json.dumps(r["moves"]) for r in v}) > 1 for v in multi) / max(1, len(multi)),
            "mean_turns": sum(r["turns"] for r in rows) / max(1, len(rows)),
        }
    return {"table": table, "episodes": episodes}


def main(argv: list[str] | None = None) -> int:
    from curiosa import policies
    from curiosa.pipelines.bootstrap import default_model_dir

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=str(default_model_dir()))
    p.add_argument("--games", nargs="+", default=policies.games())
    p.add_argument("--tasks", type=int, default=16, help="test tasks per game")
    p.add_argument("--samples", type=int, default=2, help="samples per task")
    p.add_argument("--temperature", type=float, default=0.7)
    p.add_argument("--min-p", type=float, default=0.3)
    p.add_argument("--max-new-tokens", type=int, default=96)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--out", help="write the table and every episode as JSON here")
    args = p.parse_args(argv)
    t0 = time.time()
    opts = {"temperature": args.temperature, "min_p": args.min_p, "max_new_tokens": args.max_new_tokens}
    result = evaluate(args.model, args.games, args.tasks, args.samples, args.workers, opts)
    result["seconds"] = round(time.time() - t0, 1)
    result["settings"] = vars(args)
    print(f"{'game':18s} {'parse':>6s} {'cut':>5s} {'success':>8s} {'expert':>7s} {'divers':>7s} {'moves':>6s} {'turns':>6s}")
    for game, row in result["table"].items():
        print(f"{game:18s} {row['parse_rate']:6.1%} {row['cut_rate']:5.1%} {row['success']:8.1%} "
              f"{row['expert_success']:7.1%} {row['diversity']:7.1%} {row['move_diversity']:6.1%} {row['mean_turns']:6.1f}")
    print(f"({result['seconds']:.0f} s)")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
