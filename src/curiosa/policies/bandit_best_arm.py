"""Scripted players of bandit_best_arm.

* expert: UCB over the 20 pulls (empirical mean + 0.5 * sqrt(ln t / n), untried arms first), then names
  the arm with the best empirical mean (ties: more pulls). About as good as 20 pulls allow.
* heuristic: pulls each arm once, then always the arm with the best mean so far (greedy), and names
  the arm with the best mean.
* random: random pulls and a random final name.
"""

from __future__ import annotations

import math
from typing import ClassVar

from curiosa.envs.bandit_best_arm import PULLS, parse_arms, parse_totals
from curiosa.policies.base import ScriptedPolicy, View, choice

UCB_C = 0.5


def _totals(view: View, arms: list[str]) -> dict[str, tuple[int, int]]:
    """The latest reward/pull totals shown to the agent (zeros before the first pull)."""
    for obs in reversed(view.observations):
        totals = parse_totals(obs)
        if totals is not None:
            return {a: totals.get(a, (0, 0)) for a in arms}
    return {a: (0, 0) for a in arms}


def _mean(sn: tuple[int, int]) -> float:
    s, n = sn
    return s / n if n else 0.0


def _record(arm: str, sn: tuple[int, int]) -> str:
    return f"{arm} {sn[0]}/{sn[1]}"


class BanditBestArmPolicy(ScriptedPolicy):
    game: ClassVar[str] = "bandit_best_arm"

    @staticmethod
    def _final_phase(view: View) -> bool:
        return len(view.replies) >= PULLS

    def _best_empirical(self, totals: dict[str, tuple[int, int]], arms: list[str]) -> str:
        tried = [a for a in arms if totals[a][1] > 0] or arms
        return max(tried, key=lambda a: (_mean(totals[a]), totals[a][1]))

    # ------------------------------------------------------------------ kinds
    def random(self, view: View) -> tuple[str, str]:
        arms = parse_arms(view.instruction)
        arm = choice(self.rng, arms)
        if self._final_phase(view):
            return choice(self.rng, [f"I will just name {arm}.", f"Hard to say which is best; I pick {arm}."]), arm
        return choice(self.rng, [f"Let me try {arm}.", f"Pulling {arm} at random.", f"Any arm will do; {arm}."]), arm

    def expert(self, view: View) -> tuple[str, str]:
        arms = parse_arms(view.instruction)
        totals = _totals(view, arms)
        if self._final_phase(view):
            best = self._best_empirical(totals, arms)
            runner = max((a for a in arms if a != best), key=lambda a: (_mean(totals[a]), totals[a][1]))
            if _mean(totals[best]) > _mean(totals[runner]):
                thought = (f"{_record(best, totals[best])} is the best rate, ahead of "
                           f"{_record(runner, totals[runner])}, so {best} is most likely the best arm.")
            elif totals[best][1] > totals[runner][1]:
                thought = (f"{_record(best, totals[best])} ties {_record(runner, totals[runner])} on rate but has more "
                           f"pulls behind it, so I name {best}.")
            else:
                thought = (f"{_record(best, totals[best])} and {_record(runner, totals[runner])} are level; "
                           f"I name {best}.")
            return thought, best
        untried = [a for a in arms if totals[a][1] == 0]
        if untried:
            arm = untried[0]
            return f"I have not tried {arm} yet, so I pull it to learn its rate.", arm
        t = sum(n for _, n in totals.values())
        score = {a: _mean(totals[a]) + UCB_C * math.sqrt(math.log(max(t, 1)) / totals[a][1]) for a in arms}
        arm = max(arms, key=lambda a: (score[a], -totals[a][1]))
        leader = max(arms, key=lambda a: (_mean(totals[a]), totals[a][1]))
        if arm == leader:
            thought = f"{_record(arm, totals[arm])} has the best rate so far, so I pull it again to confirm."
        else:
            thought = (f"{arm} ({totals[arm][0]}/{totals[arm][1]}) has few pulls and could still beat "
                       f"{_record(leader, totals[leader])}, so I check it.")
        return thought, arm

    def heuristic(self, view: View) -> tuple[str, str]:
        arms = parse_arms(view.instruction)
        totals = _totals(view, arms)
        if self._final_phase(view):
            best = max(arms, key=lambda a: _mean(totals[a]))
            return f"{best} paid best so far ({totals[best][0]}/{totals[best][1]}), so I name it.", best
        untried = [a for a in arms if totals[a][1] == 0]
        if untried:
            return f"I try each arm once; next is {untried[0]}.", untried[0]
        arm = max(arms, key=lambda a: _mean(totals[a]))
        return f"{_record(arm, totals[arm])} looks best, so I keep pulling it.", arm
