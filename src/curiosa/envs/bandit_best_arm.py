"""Bandit best-arm identification: 20 pulls of Bernoulli arms, then name the best arm.

Each task has 3 to 6 arms named by distinct common words of one theme (colours, fruits or animals).
Means follow the paper: e ~ U(0.2, 0.4); the best arm pays with probability 0.5 + e/2, every other
arm with a probability drawn uniformly from [0.5 - e/2 - 0.3, 0.5 - e/2], clipped to at least 0.05,
so the best arm leads the rest by at least e. Turns 1-20 pull one arm each; turn 21 names the best
arm and ends the game (success iff it is the arm with the highest mean). A move naming no arm of the
task is invalid and uses its turn (on turn 21 that loses the game).

Task params (shared by every rollout): ``{"arms": [str], "means": [float]}``. The rewards themselves
come from the environment's ``np_random``, so ``reset(seed=...)`` makes an episode reproducible.
The total reward collected is in every feedback dict (``total_reward``) for ranking trajectories.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Sequence

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.task import Task, distinct_draws, make_tasks, split_pool, stable_rng
from curiosa.envs.text import REPLY_FORMAT, quote

PULLS = 20
MIN_ARMS, MAX_ARMS = 3, 6
N_TRAIN, N_TEST = 400, 100

THEMES: dict[str, tuple[str, ...]] = {
    "colours": ("red", "blue", "green", "yellow", "orange", "purple", "pink", "brown", "black", "white", "gray",
                "gold", "silver"),
    "fruits": ("apple", "banana", "cherry", "grape", "lemon", "mango", "peach", "pear", "plum", "kiwi", "lime",
               "melon"),
    "animals": ("cat", "dog", "fox", "owl", "bear", "wolf", "deer", "frog", "duck", "lion", "tiger", "horse",
                "sheep", "goat"),
}

# Words a reply may wrap around an arm name ("pull red", "best arm: red", "I choose the red arm").
_FILLER = frozenset(
    "a an and arm arms answer at best bet choice choose choosing final for go going guess highest i is it i ll "
    "lever let m machine me mean my name next now of one option pick play probability pull pulling s select "
    "that the think this time to try will with".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_TOTALS = re.compile(r"^Totals \(reward/pulls\): (.+?)\.$", re.MULTILINE)
_TOTAL_ITEM = re.compile(r"([a-z]+) (\d+)/(\d+)")
_ARMS_LINE = re.compile(r"There are \d+ arms: ([a-z, ]+)\.")


# ----------------------------------------------------------------------------- text helpers
def parse_arms(instruction: str) -> list[str]:
    """The arm names listed in an instruction, in their order."""
    m = _ARMS_LINE.search(instruction)
    return [a.strip() for a in m.group(1).split(",")] if m else []


def parse_totals(observation: str) -> dict[str, tuple[int, int]] | None:
    """``{arm: (reward, pulls)}`` from an observation's totals line, or None if it has none."""
    m = _TOTALS.search(observation)
    if m is None:
        return None
    return {name: (int(s), int(n)) for name, s, n in _TOTAL_ITEM.findall(m.group(1))}


def read_arm(answer: str, arms: Sequence[str]) -> str | tuple[str, str]:
    """The arm an answer names, or ``("invalid", reason)`` for a readable answer naming no single arm.

    Raises FormatError when the answer is not an arm name at all.
    """
    words = _WORD.findall(answer.lower())
    named = list(dict.fromkeys(w for w in words if w in arms))
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        return ("invalid", f"{quote(answer)} names {len(named)} arms ({', '.join(named)}); name exactly one")
    others = [w for w in words if w not in _FILLER]
    if len(others) == 1:
        return ("invalid", f"there is no arm {quote(others[0])}; the arms are {', '.join(arms)}")
    raise FormatError(f"expected the name of one arm ({', '.join(arms)}), e.g. 'Answer: {arms[0]}'")


# ----------------------------------------------------------------------------- task generation
def _make_instance(rng) -> dict[str, Any]:
    theme = sorted(THEMES)[int(rng.integers(len(THEMES)))]
    words = THEMES[theme]
    k = int(rng.integers(MIN_ARMS, MAX_ARMS + 1))
    arms = [words[int(i)] for i in rng.choice(len(words), size=k, replace=False)]
    e = float(rng.uniform(0.2, 0.4))
    high = 0.5 - e / 2
    means = [round(max(0.05, float(rng.uniform(high - 0.3, high))), 4) for _ in range(k)]
    means[int(rng.integers(k))] = round(0.5 + e / 2, 4)
    return {"arms": arms, "means": means}


def _pool(size: int) -> list[dict[str, Any]]:
    rng = stable_rng(BanditBestArmEnv.group, "pool")
    return distinct_draws(lambda: _make_instance(rng), size, key=lambda i: (tuple(i["arms"]), tuple(i["means"])))


class BanditBestArmEnv(TextGameEnv):
    """Pull Bernoulli arms for 20 turns, then name the arm with the highest mean."""

    group: ClassVar[str] = "bandit_best_arm"
    max_turns: ClassVar[int] = PULLS + 1

    @classmethod
    def build_tasks(cls, split: str) -> Sequence[Task]:
        parts = split_pool(cls.group, _pool(N_TRAIN + N_TEST), N_TRAIN, N_TEST)
        return make_tasks(cls.group, split, parts[split])

    def _start(self) -> str:
        assert self.task is not None
        self.arms: list[str] = list(self.task.params["arms"])
        self.means: list[float] = [float(m) for m in self.task.params["means"]]
        self.best = self.arms[max(range(len(self.arms)), key=lambda i: self.means[i])]
        self.pulls = {a: 0 for a in self.arms}
        self.rewards = {a: 0 for a in self.arms}
        self.total_reward = 0
        return (
            f"Bandit game. There are {len(self.arms)} arms: {', '.join(self.arms)}. Each pull of an arm gives "
            "reward 1 with a fixed hidden probability (different for each arm) and 0 otherwise. "
            f"You have {PULLS} pulls, one per turn: answer with the name of an arm, e.g. 'Answer: {self.arms[0]}'. "
            f"After the {PULLS}th pull, name the arm you believe has the highest probability of reward; you win "
            "if it is the best arm. Collect as much reward as you can along the way. After each pull you see "
            "your totals as reward/pulls per arm.\n"
            + REPLY_FORMAT
        )

    def _parse(self, answer: str) -> str | tuple[str, str]:
        return read_arm(answer, self.arms)

    def _status(self) -> dict[str, Any]:
        return {"pulls": dict(self.pulls), "rewards": dict(self.rewards), "total_reward": self.total_reward}

    def _totals_text(self) -> str:
        totals = ", ".join(f"{a} {self.rewards[a]}/{self.pulls[a]}" for a in self.arms)
        left = max(0, PULLS - self.turn)
        text = f"Totals (reward/pulls): {totals}.\nTotal reward: {self.total_reward}. Pulls left: {left}."
        if left == 0:
            text += ("\nNo pulls left. Now name the arm you believe has the highest probability of reward, "
                     "e.g. 'Answer: <arm>'.")
        return text

    def _play(self, move: str | tuple[str, str]) -> Outcome:
        final = self.turn > PULLS
        if isinstance(move, tuple):
            reason = move[1]
            feedback = {"error": reason, **self._status()}
            if final:
                return Outcome(f"Invalid final answer: {reason}. The game is over without a correct choice. "
                               f"Total reward: {self.total_reward}.", feedback=feedback, invalid=True, done=True)
            feedback["pulls_left"] = PULLS - self.turn
            return Outcome(f"Invalid move: {reason}. This turn is lost.\n{self._totals_text()}", feedback=feedback,
                           invalid=True)
        if final:
            correct = move == self.best
            feedback = {"chosen": move, "best": self.best, "correct": correct, **self._status()}
            if correct:
                text = f"You named {move}: that is the best arm. You win! Total reward: {self.total_reward}."
            else:
                text = f"You named {move}: that is not the best arm. Total reward: {self.total_reward}."
            return Outcome(text, feedback=feedback, done=True, success=correct)
        i = self.arms.index(move)
        reward = int(self.np_random.random() < self.means[i])
        self.pulls[move] += 1
        self.rewards[move] += reward
        self.total_reward += reward
        feedback = {"arm": move, "reward": reward, **self._status(), "pulls_left": PULLS - self.turn}
        return Outcome(f"Pulled {move}: reward {reward}.\n{self._totals_text()}", feedback=feedback)

    def _reveal(self) -> str:
        i = self.arms.index(self.best)
        return f"The best arm was {self.best} (reward probability {self.means[i]:.2f})."


__all__ = ["BanditBestArmEnv", "PULLS", "THEMES", "parse_arms", "parse_totals", "read_arm"]
