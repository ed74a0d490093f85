"""The packaged themes and filler words: arm names the parsers can read, and fillers that are no arm."""

import json
import re

from curiosa.envs.bandit_best_arm.arms import MAX_ARMS, THEMES, THEMES_FILE, load_themes
from curiosa.envs.bandit_best_arm.parsing import FILLER_FILE, filler_words


def test_themes_schema():
    raw = json.loads(THEMES_FILE.read_text(encoding="utf-8"))
    assert isinstance(raw, dict) and raw
    for theme, words in raw.items():
        assert isinstance(theme, str) and theme
        assert isinstance(words, list) and len(words) >= MAX_ARMS  # a task draws up to MAX_ARMS distinct words
        assert all(isinstance(w, str) and re.fullmatch(r"[a-z]+", w) for w in words)  # parse_totals reads [a-z]+
        assert len(set(words)) == len(words)
    assert THEMES == load_themes() == {k: tuple(v) for k, v in raw.items()}


def test_filler_words_schema():
    raw = json.loads(FILLER_FILE.read_text(encoding="utf-8"))
    assert isinstance(raw, list) and raw
    assert all(isinstance(w, str) and re.fullmatch(r"[a-z0-9]+", w) for w in raw)  # the tokens read_arm sees
    assert len(set(raw)) == len(raw)
    assert filler_words() == frozenset(raw)


def test_no_arm_name_is_a_filler_word():
    assert not {w for words in THEMES.values() for w in words} & filler_words()
