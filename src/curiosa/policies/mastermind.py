"""Scripted Mastermind players.

* random: a random 4-digit code.
* heuristic: a novice who first probes single digits ("0000", "7777", ...) in random order to count
  how often each digit occurs, then tries arrangements of the digits found that agree with every
  answer so far.
* expert: keeps the codes consistent with all feedback (numpy over the 10000 codes), opens with
  0123, then guesses the consistent code whose worst-case answer leaves the fewest codes (ties: the
  smallest expected number left), judged on a sample of a few hundred candidates so that each move
  stays fast.
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

from curiosa.envs.mastermind import CODE_LENGTH, N_DIGITS, all_codes, feedback_matrix, parse_feedback, score
from curiosa.policies.base import ScriptedPolicy, View, choice

OPENER = "0123"
_TIMES = {1: "once", 2: "twice", 3: "three times", 4: "four times"}
_SAMPLE = 250
"""At most this many consistent codes are scored as guesses, against at most this many secrets."""


def history(view: View) -> list[tuple[str, int, int]]:
    """(guess, exact, partial) of every scored guess so far, oldest first."""
    found = (parse_feedback(obs) for obs in view.observations)
    return [f for f in found if f is not None]


def consistent_codes(hist: list[tuple[str, int, int]]) -> np.ndarray:
    """Indices (= numeric values) of the codes that would have produced all of ``hist``."""
    idx = np.arange(len(all_codes()))
    for guess, exact, partial in hist:
        answers = feedback_matrix(np.array([int(guess)]), idx)[0]
        idx = idx[answers == exact * 5 + partial]
    return idx


def _join_or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _code(i: int) -> str:
    return f"{int(i):0{CODE_LENGTH}d}"


class MastermindPolicy(ScriptedPolicy):
    game = "mastermind"

    # ------------------------------------------------------------------ random
    def random(self, view: View) -> tuple[str, str]:
        code = "".join(str(int(d)) for d in self.rng.integers(N_DIGITS, size=CODE_LENGTH))
        return f"I try a random code, {code}, to see what comes back.", code

    # ------------------------------------------------------------------ heuristic
    def heuristic(self, view: View) -> tuple[str, str]:
        hist = history(view)
        counts: dict[int, int] = {}
        for guess, exact, _ in hist:
            if len(set(guess)) == 1:
                counts[int(guess[0])] = exact
        found = sum(counts.values())
        unprobed = [d for d in range(N_DIGITS) if d not in counts]
        if found < CODE_LENGTH and len(unprobed) == 1:  # the last digit fills the rest
            counts[unprobed[0]] = CODE_LENGTH - found
            found = CODE_LENGTH
        if found < CODE_LENGTH:
            d = int(choice(self.rng, unprobed))
            code = str(d) * CODE_LENGTH
            if not counts:
                return f"I start by probing {code} to count how many {d}s the code has.", code
            known = ", ".join(f"{k} {_TIMES[n]}" for k, n in sorted(counts.items()) if n)
            if not known:
                probed = _join_or([str(k) for k in sorted(counts)])
                return f"No {probed} in the code; I probe {code} next to count the {d}s.", code
            return f"Found so far: {known} ({found} of 4 digits); I probe {code} next to count the {d}s.", code
        digits = "".join(str(d) * n for d, n in sorted(counts.items()))
        arrangements = sorted({"".join(p) for p in permutations(digits)})
        tried = [(g, e, p) for g, e, p in hist if len(set(g)) > 1]
        fitting = [a for a in arrangements if all(score(g, a) == (e, p) for g, e, p in tried)] or arrangements
        code = choice(self.rng, fitting)
        if len(fitting) == 1:
            return f"The code uses the digits {digits} and only the order {code} fits my clues.", code
        return f"The code uses the digits {digits}; {len(fitting)} orders fit my clues, so I try {code}.", code

    # ------------------------------------------------------------------ expert
    def expert(self, view: View) -> tuple[str, str]:
        hist = history(view)
        if not hist:
            return f"No clues yet; {OPENER} tests four different digits at once, a good first probe.", OPENER
        idx = consistent_codes(hist)
        n = len(idx)
        if n == 0:  # cannot happen with honest feedback
            code = _code(self.rng.integers(N_DIGITS**CODE_LENGTH))
            return f"No code fits the feedback; I try {code}.", code
        if n == 1:
            code = _code(idx[0])
            return f"Only {code} agrees with every answer so far, so it must be the code.", code
        guesses = idx if n <= _SAMPLE else np.sort(self.rng.choice(idx, size=_SAMPLE, replace=False))
        secrets = idx if n <= _SAMPLE else np.sort(self.rng.choice(idx, size=_SAMPLE, replace=False))
        answers = feedback_matrix(guesses, secrets).astype(np.int64)
        m = len(guesses)
        sizes = np.bincount((answers + 25 * np.arange(m)[:, None]).ravel(), minlength=25 * m).reshape(m, 25)
        worst = sizes.max(axis=1)
        value = worst * (len(secrets) ** 2 + 1) + (sizes**2).sum(axis=1)  # worst case, then expected size
        best = np.flatnonzero(value == value.min())
        pick = int(best[int(self.rng.integers(len(best)))])
        code = _code(guesses[pick])
        share = worst[pick] / len(secrets)
        if n <= _SAMPLE:
            return (f"{n} codes fit all feedback; {code} is one of them and leaves at most {worst[pick]} "
                    "whatever the answer."), code
        return (f"{n} codes still fit; {code} fits too and keeps the worst case to about {share:.0%} of them."), code
