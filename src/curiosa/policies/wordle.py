"""Scripted Wordle players.

* random: a random word of the guess vocabulary.
* heuristic: a novice who opens with a random common word, then picks a random answer-list word
  that keeps the greens, uses the yellows elsewhere and avoids the grey letters it remembers (it
  forgets each grey letter half of the time).
* expert: keeps the answer-list words consistent with all feedback (the answer list is public, as
  in real solvers), opens with a fixed strong word, then guesses the word whose feedback splits the
  remaining candidates with the highest entropy (plus a small bonus for words that could win at
  once); once few candidates remain, any answer-list word may serve as a probe.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np

from curiosa.envs.wordle import (
    GREEN, YELLOW, answer_list, encode_words, parse_feedback, pattern_code, pattern_matrix,
    sorted_vocabulary,
)
from curiosa.policies.base import ScriptedPolicy, View, choice

_MAX_GUESSES_SCORED = 300
"""Cap on the candidate guesses scored per move (only hit after an unusual opening)."""
_PROBE_LIMIT = 100
"""With at most this many candidates left, every answer-list word is scored as a possible guess."""
_CANDIDATE_BONUS = 0.3
"""Bits added to a guess that could itself be the secret (it may win at once)."""


@lru_cache(maxsize=1)
def _answers_encoded() -> np.ndarray:
    return encode_words(answer_list())


@lru_cache(maxsize=1)
def opener() -> str:
    """The expert's first guess: of the ten answers with five distinct, most frequent letters
    (by words containing them and by position), the one whose feedback has the highest entropy."""
    answers = answer_list()
    in_words = Counter(c for w in answers for c in set(w))
    at_position = [Counter(w[i] for w in answers) for i in range(5)]

    def letter_score(word: str) -> int:
        return sum(in_words[c] for c in word) + sum(at_position[i][c] for i, c in enumerate(word))

    shortlist = sorted((w for w in answers if len(set(w)) == 5), key=lambda w: (-letter_score(w), w))[:10]
    entropy = _entropies(pattern_matrix(encode_words(shortlist), _answers_encoded()))
    return shortlist[int(np.argmax(entropy))]


@lru_cache(maxsize=1)
def _common_openers() -> tuple[str, ...]:
    """Frequent answer words with five distinct letters: what a casual player starts with."""
    return tuple(w for w in answer_list()[:600] if len(set(w)) == 5)


def _entropies(codes: np.ndarray) -> np.ndarray:
    """Entropy (bits) of each row's feedback distribution; ``codes`` has shape (m, n)."""
    m, n = codes.shape
    counts = np.bincount((codes.astype(np.int64) + 243 * np.arange(m)[:, None]).ravel(), minlength=243 * m)
    p = counts.reshape(m, 243) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.nansum(np.where(p > 0, p * np.log2(p), 0.0), axis=1)


def history(view: View) -> list[tuple[str, list[str]]]:
    """(guess, colours) of every scored guess so far, oldest first."""
    found = (parse_feedback(obs) for obs in view.observations)
    return [f for f in found if f is not None]


def consistent_indices(hist: list[tuple[str, list[str]]]) -> np.ndarray:
    """Indices into the answer list of the words that would have produced all of ``hist``."""
    enc = _answers_encoded()
    idx = np.arange(len(enc))
    for guess, colors in hist:
        codes = pattern_matrix(encode_words([guess]), enc[idx])[0]
        idx = idx[codes == pattern_code(colors)]
    return idx


def known_pattern(hist: list[tuple[str, list[str]]]) -> tuple[str, list[str]]:
    """Greens as a mask like ``S?A?E`` and the other letters known to be in the word."""
    mask = ["?"] * 5
    present: list[str] = []
    for guess, colors in hist:
        for i, (c, color) in enumerate(zip(guess, colors)):
            if color == GREEN:
                mask[i] = c.upper()
    for guess, colors in hist:
        for c, color in zip(guess, colors):
            if color == YELLOW and c.upper() not in mask and c.upper() not in present:
                present.append(c.upper())
    return "".join(mask), present


class WordlePolicy(ScriptedPolicy):
    game = "wordle"

    # ------------------------------------------------------------------ random
    def random(self, view: View) -> tuple[str, str]:
        word = choice(self.rng, sorted_vocabulary())
        return f"I try a random word, '{word}', to see which letters light up.", word

    # ------------------------------------------------------------------ heuristic
    def heuristic(self, view: View) -> tuple[str, str]:
        hist = history(view)
        answers = answer_list()
        if not hist:
            word = choice(self.rng, _common_openers())
            return f"No clues yet, so I start with a common word with five different letters: '{word}'.", word
        greens: dict[int, str] = {}
        yellows: list[tuple[int, str]] = []
        greys: set[str] = set()
        for guess, colors in hist:
            for i, (c, color) in enumerate(zip(guess, colors)):
                if color == GREEN:
                    greens[i] = c
                elif color == YELLOW:
                    yellows.append((i, c))
                else:
                    greys.add(c)
        present = set(greens.values()) | {c for _, c in yellows}
        remembered = {c for c in sorted(greys - present) if self.rng.random() < 0.5}
        guessed = {g for g, _ in hist}

        def fits(word: str, use_greys: bool) -> bool:
            if word in guessed:
                return False
            if any(word[i] != c for i, c in greens.items()):
                return False
            if any(word[i] == c or c not in word for i, c in yellows):
                return False
            return not (use_greys and remembered & set(word))

        options = [w for w in answers if fits(w, True)] or [w for w in answers if fits(w, False)]
        mask, elsewhere = known_pattern(hist)
        if not options:
            word = choice(self.rng, answers)
            return f"Nothing I can think of fits {mask}, so I try '{word}'.", word
        word = choice(self.rng, options)
        clues = []
        if greens:
            clues.append(f"keeps {mask}")
        if elsewhere:
            clues.append("uses " + ", ".join(elsewhere))
        if remembered:
            clues.append("avoids " + ", ".join(sorted(c.upper() for c in remembered)))
        reason = " and ".join(clues) if clues else "avoids nothing in particular"
        return f"'{word}' {reason}, so it looks like a good guess.", word

    # ------------------------------------------------------------------ expert
    def expert(self, view: View) -> tuple[str, str]:
        hist = history(view)
        if not hist:
            word = opener()
            return f"No clues yet; '{word}' covers five of the most common letters, a strong first probe.", word
        answers = answer_list()
        idx = consistent_indices(hist)
        mask, present = known_pattern(hist)
        known = mask + (f" with {', '.join(present)} elsewhere" if present else "")
        if len(idx) == 0:  # cannot happen with honest feedback; guess something sensible anyway
            word = choice(self.rng, answers)
            return f"No answer fits {known}; I try '{word}'.", word
        if len(idx) == 1:
            word = answers[idx[0]]
            return f"Only '{word}' fits every clue ({known}), so it must be the word.", word
        if len(idx) == 2:
            a, b = answers[idx[0]], answers[idx[1]]
            word = choice(self.rng, [a, b])
            return f"Just '{a}' and '{b}' fit {known}; I guess '{word}' and will know either way.", word
        enc = _answers_encoded()
        n = len(idx)
        if n <= _PROBE_LIMIT:  # few left: a non-candidate probe may separate them better
            guesses = np.arange(len(enc))
        elif n > _MAX_GUESSES_SCORED:
            guesses = np.sort(self.rng.choice(idx, size=_MAX_GUESSES_SCORED, replace=False))
        else:
            guesses = idx
        codes = pattern_matrix(enc[guesses], enc[idx])
        is_candidate = np.isin(guesses, idx)
        value = _entropies(codes) + _CANDIDATE_BONUS * is_candidate
        best = np.flatnonzero(value >= value.max() - 1e-9)
        pick = int(best[int(self.rng.integers(len(best)))])
        word = answers[guesses[pick]]
        groups = len(np.unique(codes[pick]))
        if not is_candidate[pick]:
            return (f"{n} words fit {known}; '{word}' cannot be the word but splits them into {groups} groups, "
                    "better than any of them."), word
        templates = (
            f"{n} words still fit {known}; '{word}' splits them into {groups} groups, the most informative.",
            f"Clues so far: {known}. Of the {n} words left, '{word}' separates them best ({groups} groups).",
        )
        return choice(self.rng, templates), word
