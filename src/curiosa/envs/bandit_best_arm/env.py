"""Bandit best-arm identification: 20 pulls of Bernoulli arms, then name the best arm.

Turns 1-20 pull one arm each; turn 21 names the best arm and ends the game (success iff it is the arm
with the highest mean). A move naming no arm of the task is invalid and uses its turn (on turn 21 that
loses the game).

Task params (shared by every rollout): ``{"arms": [str], "means": [float]}``. The rewards themselves
come from the environment's ``np_random``, so ``reset(seed=...)`` makes an episode reproducible.
The total reward collected is in every feedback dict (``total_reward``) for ranking trajectories.
"""

from __future__ import annotations

from typing import Any, ClassVar, Sequence

from curiosa.envs.bandit_best_arm.arms import make_arms
from curiosa.envs.bandit_best_arm.parsing import read_arm
from curiosa.envs.base import Outcome, TextGameEnv
from curiosa.envs.task import Task, distinct_draws, make_tasks, split_pool, stable_rng
from curiosa.envs.text import REPLY_FORMAT

PULLS = 20
N_TRAIN, N_TEST = 400, 100


class BanditBestArmEnv(TextGameEnv):
    """Pull Bernoulli arms for 20 turns, then name the arm with the highest mean."""

    group: ClassVar[str] = "bandit_best_arm"
    max_turns: ClassVar[int] = PULLS + 1

    @classmethod
    def build_tasks(cls, split: str) -> Sequence[Task]:
        rng = stable_rng(cls.group, "pool")
        pool = distinct_draws(lambda: make_arms(rng), N_TRAIN + N_TEST,
                              key=lambda p: (tuple(p["arms"]), tuple(p["means"])))
        parts = split_pool(cls.group, pool, N_TRAIN, N_TEST)
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
