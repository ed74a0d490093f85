"""``curiosa play GAME``: play a game in the terminal, or watch a scripted policy play it."""

from __future__ import annotations

import sys
from typing import IO

from rich.console import Console
from rich.panel import Panel

from curiosa import envs
from curiosa.envs.text import extract_answer, format_reply

HELP = "Type your move (e.g. the word, cell or code). ':hint' asks the expert policy, ':quit' gives up."


def _as_reply(line: str) -> str:
    """A human types just the move; a full 'Thought/Answer' reply is passed on unchanged."""
    return line if extract_answer(line) is not None else format_reply("(human player)", line)


def play(
    game: str,
    *,
    task_id: str | None = None,
    split: str = "test",
    seed: int = 0,
    policy: str | None = None,
    stdin: IO[str] | None = None,
    console: Console | None = None,
    env_kwargs: dict | None = None,
) -> bool:
    """Run one interactive episode; returns whether it was won."""
    from curiosa import policies

    stdin = stdin or sys.stdin
    console = console or Console(highlight=False)
    env = envs.make(game, task=task_id, split=split, **(env_kwargs or {}))
    observation, info = env.reset(seed=seed)
    messages = [{"role": "user", "content": observation}]
    agent = policies.scripted(game, policy, seed=seed) if policy else None
    console.print(Panel(observation, title=f"{game} - task {info['task_id']}", expand=False))
    if agent is None:
        console.print(f"[dim]{HELP}[/dim]")
    while True:
        if agent is not None:
            reply = agent.act(messages)
            console.print(f"[bold cyan]{policy}>[/bold cyan] {reply}")
        else:
            console.print(f"[bold]turn {info['turn'] + 1}/{info['max_turns']}>[/bold] ", end="")
            line = stdin.readline()
            if not line:
                console.print("\n[yellow]End of input: game abandoned.[/yellow]")
                return False
            line = line.strip()
            if not line:
                continue
            if line in (":quit", ":q"):
                console.print("[yellow]Game abandoned.[/yellow]")
                return False
            if line == ":help":
                console.print(HELP)
                continue
            if line == ":hint":
                console.print(policies.scripted(game, "expert", seed=seed).act(messages))
                continue
            reply = _as_reply(line)
        observation, _, terminated, truncated, info = env.step(reply)
        messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": observation}]
        style = "red" if info["invalid_action"] else "green" if info["success"] else "white"
        console.print(Panel(observation, border_style=style, expand=False))
        if terminated or truncated:
            verdict = "[bold green]You won[/bold green]" if info["success"] else "[bold red]Game over[/bold red]"
            console.print(f"{verdict} after {info['turn']} turn(s).")
            return bool(info["success"])
