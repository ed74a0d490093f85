"""How an LLM answers Twenty Questions compared with the offline answerer, on the same labelled questions.

For each question of a bank (by default the held-out ``common_questions_heldout.json`` under
tests/envs/twenty_questions/data/) and each entity its labels cover, the same phrasing goes to

* the offline answerer (``curiosa.envs.twenty_questions``'s host: no model, no network), and
* an LLM behind an OpenAI-compatible endpoint, told the secret entity by a short system prompt and asked
  to reply Yes, No or I'm not sure (temperature 0), through ``curiosa.endpoint.ChatClient``, the LLM
  mode's own client. Its replies are read leniently (see ``read_llm_reply``).

It prints, per answerer, the share of readings answered Yes or No, the share of those that match the
label, and for the LLM the share of replies that are none of the three; then how often the two agree
where both answered. The last line is a JSON object with every number.

    python benchmarks/answerer_fidelity.py --serve smollm2-135m-instruct   # starts `curiosa serve` itself
    python benchmarks/answerer_fidelity.py --base-url http://127.0.0.1:8000/v1 --model NAME
    python benchmarks/answerer_fidelity.py --serve smollm2-135m-instruct --questions 5 --entities 1  # a smoke run
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from curiosa.endpoint import ChatClient, Endpoint
from curiosa.envs.twenty_questions.catalogue import Entity, catalogue
from curiosa.envs.twenty_questions.question_bank import ANSWERED, labelled_entities, reply_of

BANKS = Path(__file__).resolve().parents[1] / "tests" / "envs" / "twenty_questions" / "data"

SYSTEM_PROMPT = (
    "We are playing Twenty Questions and you are the host. The secret {noun} is: {name}. The player asks "
    "a question about it. Answer truthfully for {name} with exactly one of: Yes, No, I'm not sure. "
    "Say 'I'm not sure' only when the question has no clear answer for {name}. Write nothing else."
)


@dataclass(frozen=True)
class Reading:
    """One phrasing asked about one labelled entity."""

    question: str
    phrasing: str
    category: str
    entity: Entity
    label: str
    """'yes', 'no' or 'any' (either answer is right)."""


def readings(bank: Path, questions: int | None, entities: int | None, phrasings: int) -> list[Reading]:
    """The bank's (phrasing, entity) pairs: the first ``questions`` questions, at most ``entities`` labelled
    entities per question (taken in turn from each labelled category), the first ``phrasings`` phrasings
    (0: all)."""
    out = []
    for q in json.loads(bank.read_text(encoding="utf-8"))["questions"][:questions]:
        by_category = [rows for rows in labelled_entities(q["answers"]).values() if rows]
        picked = [row for layer in _interleave(by_category) for row in layer][:entities]
        for phrasing in q["phrasings"][: phrasings or None]:
            for entity, label in picked:
                out.append(Reading(q["id"], phrasing, entity.category, entity, label))
    return out


def _interleave(groups: list[list[Any]]) -> Iterator[list[Any]]:
    """First items of every group, then the second ones, and so on."""
    for i in range(max((len(g) for g in groups), default=0)):
        yield [g[i] for g in groups if i < len(g)]


def llm_messages(reading: Reading) -> list[dict[str, str]]:
    category = catalogue().categories[reading.category]
    system = SYSTEM_PROMPT.format(noun=category.noun, name=reading.entity.name)
    return [{"role": "system", "content": system}, {"role": "user", "content": reading.phrasing}]


def read_llm_reply(text: str) -> str:
    """'yes', 'no', 'unsure', or 'other' for a reply that is none of the three. Read leniently (the LLM
    mode itself asks again instead): a reply that opens with Yes or No is that answer; otherwise one
    that says it is not sure is 'unsure'; otherwise one whose words hold only one of yes and no
    ("The answer is: no") is that answer."""
    first = re.match(r"\W*(yes|no)\b", text, re.IGNORECASE)
    if first:
        return first.group(1).lower()
    if re.search(r"not sure|unsure|don'?t know|do not know|cannot (?:tell|say|answer)", text, re.IGNORECASE):
        return "unsure"
    words = {w.lower() for w in re.findall(r"\b(yes|no)\b", text, re.IGNORECASE)}
    return words.pop() if len(words) == 1 else "other"


def rates(rows: list[Reading], replies: list[str]) -> dict[str, float]:
    answered = [(r, a) for r, a in zip(rows, replies) if a in ANSWERED]
    right = sum(r.label in ("any", a) for r, a in answered)
    return {"answered_rate": len(answered) / max(1, len(rows)), "correct_rate": right / max(1, len(answered)),
            "other_rate": sum(a not in (*ANSWERED, "unsure") for a in replies) / max(1, len(rows))}


def agreement(offline: list[str], llm: list[str]) -> dict[str, float]:
    both = [(a, b) for a, b in zip(offline, llm) if a in ANSWERED and b in ANSWERED]
    return {"both_answered_rate": len(both) / max(1, len(offline)),
            "agreement_rate": sum(a == b for a, b in both) / max(1, len(both))}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(model: str, batch: int, log_path: Path, ready_s: float = 900.0) -> Iterator[str]:
    """``curiosa serve MODEL`` in a subprocess on a free port; yields its base URL; stops it at the end."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "curiosa.cli", "serve", model, "--port", str(port), "--batch", str(batch)]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + ready_s
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"curiosa serve exited with {process.returncode}:\n"
                                       + log_path.read_text()[-2000:])
                try:
                    with urllib.request.urlopen(base_url + "/models", timeout=5):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"curiosa serve did not answer within {ready_s:.0f} s (log: {log_path})")
                    time.sleep(0.5)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def ask_llm(rows: list[Reading], endpoint: Endpoint, concurrency: int) -> list[str]:
    """Every reading's LLM reply text, sent ``concurrency`` at a time (the server batches requests that
    arrive together)."""
    client = ChatClient(endpoint)

    def one(reading: Reading) -> str:
        return client.chat(llm_messages(reading), temperature=0.0, what="fidelity question").text

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", default="common_questions_heldout.json",
                        help="a question bank: a file name under tests/envs/twenty_questions/data/ or a path")
    parser.add_argument("--serve", metavar="MODEL", help="start `curiosa serve MODEL` on a free port and ask it")
    parser.add_argument("--base-url", help="an OpenAI-compatible endpoint already running, e.g. http://127.0.0.1:8000/v1")
    parser.add_argument("--model", help="the model name at that endpoint (default with --serve: MODEL)")
    parser.add_argument("--api-key-env", default="OPENAI_API_KEY", help="environment variable holding the API key")
    parser.add_argument("--batch", type=int, default=8, help="with --serve: the server's batch size")
    parser.add_argument("--concurrency", type=int, help="requests in flight at once (default: twice --batch, "
                        "so that a batch is waiting while one runs)")
    parser.add_argument("--max-tokens", type=int, default=10, help="longest LLM reply")
    parser.add_argument("--questions", type=int, help="only the first N questions of the bank")
    parser.add_argument("--entities", type=int, help="at most N labelled entities per question")
    parser.add_argument("--phrasings", type=int, default=1, help="the first N phrasings of each question (0: all)")
    parser.add_argument("--examples", type=int, default=5, help="print this many LLM replies that were not "
                        "Yes, No or I'm not sure")
    parser.add_argument("--server-log", type=Path, help="with --serve: where the server logs (default: a temporary file)")
    args = parser.parse_args()
    if bool(args.serve) == bool(args.base_url):
        parser.error("give either --serve MODEL or --base-url URL (with --model)")
    if args.base_url and not args.model:
        parser.error("--base-url needs --model")
    bank = Path(args.bank) if Path(args.bank).is_file() else BANKS / args.bank
    model = args.model or args.serve
    concurrency = args.concurrency or 2 * args.batch

    start = time.perf_counter()
    rows = readings(bank, args.questions, args.entities, args.phrasings)
    offline = [reply_of(r.phrasing, r.category, r.entity) for r in rows]
    offline_s = time.perf_counter() - start

    log_path = args.server_log or Path(tempfile.mkdtemp(prefix="curiosa-serve-")) / "server.log"
    endpoint = dict(model=model, api_key_env=args.api_key_env, max_tokens=args.max_tokens, timeout_s=600.0,
                    max_retries=2)
    start = time.perf_counter()
    if args.serve:
        print(f"starting curiosa serve {args.serve} (log: {log_path})", file=sys.stderr, flush=True)
        with served(args.serve, args.batch, log_path) as base_url:
            ready_s = time.perf_counter() - start
            texts = ask_llm(rows, Endpoint(base_url=base_url, **endpoint), concurrency)
    else:
        ready_s = 0.0
        texts = ask_llm(rows, Endpoint(base_url=args.base_url, **endpoint), concurrency)
    llm_s = time.perf_counter() - start - ready_s
    llm = [read_llm_reply(text) for text in texts]

    summary: dict[str, Any] = {
        "bank": bank.name, "model": model, "readings": len(rows), "questions": len({r.question for r in rows}),
        "offline": rates(rows, offline), "llm": rates(rows, llm), **agreement(offline, llm),
        "offline_seconds": round(offline_s, 1), "server_start_seconds": round(ready_s, 1),
        "llm_seconds": round(llm_s, 1),
    }
    print(f"{bank.name}: {summary['questions']} questions, {len(rows)} readings (phrasing x labelled entity)\n")
    print(f"{'answerer':40s} {'answered':>9s} {'correct of answered':>20s} {'not Yes/No/not sure':>20s}")
    for name, label in (("offline", "offline host"), ("llm", f"LLM {model}")):
        r = summary[name]
        other = f"{r['other_rate']:.3f}" if name == "llm" else "-"
        print(f"{label:40s} {r['answered_rate']:9.3f} {r['correct_rate']:20.3f} {other:>20s}")
    print(f"\nboth answered {summary['both_answered_rate']:.3f} of the readings; there they agree "
          f"{summary['agreement_rate']:.3f}")
    unreadable = [(r, t) for r, t, a in zip(rows, texts, llm) if a == "other"][: args.examples]
    if unreadable:
        print("\nLLM replies that are not Yes, No or I'm not sure:")
        for r, text in unreadable:
            print(f"  {r.entity.name!r}, {r.phrasing!r}: {text!r}")
    print(f"(offline {offline_s:.1f} s; server start {ready_s:.1f} s; LLM {llm_s:.1f} s)")
    print(json.dumps({k: ({m: round(v, 4) for m, v in x.items()} if isinstance(x, dict) else
                          round(x, 4) if isinstance(x, float) else x) for k, x in summary.items()}, sort_keys=True))


if __name__ == "__main__":
    main()
