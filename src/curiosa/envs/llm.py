"""LLM-played mode of the dialogue games: an endpoint plays the environment, another call judges."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curiosa.endpoint import ChatClient
from curiosa.envs.base import Outcome

if TYPE_CHECKING:
    from curiosa.envs.dialogue import DialogueEnv

JUDGE_SYSTEM = (
    "You are a strict referee of a text game. You read one message written by a player and answer a "
    "question about that message alone. Reply with exactly one word from the allowed list, nothing else."
)
WIN_MESSAGE = "Correct! You have reached the goal. The game is over."
LOSS_MESSAGE = "That is not right. The game is over."


def _client(env: "DialogueEnv") -> ChatClient:
    if env._llm is None:
        env._llm = ChatClient(env.endpoint)
    return env._llm


def judge(env: "DialogueEnv", move: str) -> tuple[bool, bool, str]:
    """(game over, success, label) for the agent's latest message, decided by the judge."""
    spec = env.llm_judge(move)
    labels = {label.lower(): outcome for label, outcome in spec.labels.items()}

    def extract(text: str) -> str | None:
        words = re.findall(r"[a-z_]+", text.lower())
        return words[0] if len(words) == 1 and words[0] in labels else None

    prompt = f"Question: {spec.question}\nAllowed answers: {', '.join(labels)}\n\nPlayer's message:\n{move}"
    label = _client(env).complete(
        [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": prompt}],
        extract=extract, what=f"{env.group} judge",
    )
    done, success = labels[label]
    return done, success, label


def llm_play(env: "DialogueEnv", move: str) -> Outcome:
    """One move of a game whose environment side is played by an LLM."""
    done, success, label = judge(env, move)
    extra = env.llm_feedback(move, label)
    if done:
        text = WIN_MESSAGE if success else LOSS_MESSAGE
        return Outcome(text, feedback={**extra, "reply": text, "judge": label}, done=True, success=success)
    messages = [{"role": "system", "content": env.llm_simulator_prompt()}]
    for past_move, past_reply in env.history:
        messages += [{"role": "user", "content": past_move}, {"role": "assistant", "content": past_reply}]
    messages.append({"role": "user", "content": move})
    reply = _client(env).complete(messages, extract=env.llm_extract_reply, what=f"{env.group} simulator")
    return Outcome(reply, feedback={**extra, "reply": reply, "judge": label})
