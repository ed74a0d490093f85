"""The packaged answer blocklist: a non-empty list of distinct plain five-letter words, never an answer."""

import json

from curiosa.envs.wordle.words import BLOCKLIST_FILE, answer_blocklist, answer_list, is_plain, vocabulary


def test_blocklist_schema():
    raw = json.loads(BLOCKLIST_FILE.read_text(encoding="utf-8"))
    assert isinstance(raw, list) and raw
    assert all(isinstance(w, str) and is_plain(w) for w in raw)
    assert len(set(raw)) == len(raw)
    assert answer_blocklist() == frozenset(raw)


def test_blocked_words_are_guessable_but_never_secrets():
    blocked = answer_blocklist()
    assert not blocked & set(answer_list())
    assert blocked <= vocabulary()
