"""Wordle's word lists: the secrets (answer list) and every accepted guess (vocabulary).

Both are derived from data packages (``wordfreq`` frequencies, ``english_words`` web2 dictionary)
rather than typed by hand, so they are reproducible and reviewable from their rules alone.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

WORD_LENGTH = 5
N_ANSWERS = 2315

BLOCKLIST_FILE = Path(__file__).parent / "data" / "answer_blocklist.json"


@lru_cache(maxsize=1)
def answer_blocklist() -> frozenset[str]:
    """Offensive words (slurs and sexual terms) kept out of the answers; they stay valid guesses."""
    return frozenset(json.loads(BLOCKLIST_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _sources() -> tuple[tuple[str, ...], frozenset[str]]:
    """wordfreq's English top 100000 (frequency order) and web2's lowercase alphabetic entries."""
    import english_words
    import wordfreq

    frequent = tuple(wordfreq.top_n_list("en", 100_000))
    web2 = english_words.get_english_words_set(["web2"], lower=False, alpha=True)
    lowercase = frozenset(w for w in web2 if w.islower())  # web2 capitalises proper nouns
    return frequent, lowercase


def is_plain(word: str) -> bool:
    """A five-letter word of lowercase ASCII letters, the only shape a secret or guess can have."""
    return len(word) == WORD_LENGTH and word.isascii() and word.isalpha() and word.islower()


@lru_cache(maxsize=1)
def answer_list() -> tuple[str, ...]:
    """The 2315 possible secrets, most frequent first.

    Five-letter lowercase words of wordfreq's top 100000 that web2 lists in lower case, without
    plurals (``-s`` on a web2 word, not ``-ss``), past tenses (``-ed``/``-d`` on a web2 word) and
    the blocklist of offensive words.
    """
    frequent, dictionary = _sources()
    blocked = answer_blocklist()
    answers: list[str] = []
    for word in frequent:
        if not is_plain(word) or word not in dictionary or word in blocked:
            continue
        if word.endswith("s") and not word.endswith("ss") and word[:-1] in dictionary:
            continue
        if word.endswith("ed") and (word[:-2] in dictionary or word[:-1] in dictionary):
            continue
        answers.append(word)
        if len(answers) == N_ANSWERS:
            break
    if len(answers) < N_ANSWERS:
        raise RuntimeError(f"wordle: only {len(answers)} answers found; the word packages look incomplete")
    return tuple(answers)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every accepted guess: web2's and wordfreq's five-letter words, and the answers."""
    frequent, dictionary = _sources()
    words = {w for w in dictionary if is_plain(w)}
    words.update(w for w in frequent if is_plain(w))
    words.update(answer_list())
    return frozenset(words)


@lru_cache(maxsize=1)
def sorted_vocabulary() -> tuple[str, ...]:
    """The vocabulary in a fixed order, so policies that sample from it are reproducible."""
    return tuple(sorted(vocabulary()))
