"""The arms of a bandit task: names from one theme (``data/themes.json``) and the paper's means.

Means follow the paper: e ~ U(0.2, 0.4); the best arm pays with probability 0.5 + e/2, every other
arm with a probability drawn uniformly from [0.5 - e/2 - 0.3, 0.5 - e/2], clipped to at least 0.05,
so the best arm leads the rest by at least e.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MIN_ARMS, MAX_ARMS = 3, 6
THEMES_FILE = Path(__file__).parent / "data" / "themes.json"


@lru_cache(maxsize=1)
def load_themes() -> dict[str, tuple[str, ...]]:
    """Theme -> distinct common words that name the arms of one task."""
    raw = json.loads(THEMES_FILE.read_text(encoding="utf-8"))
    return {str(theme): tuple(str(w) for w in words) for theme, words in raw.items()}


THEMES: dict[str, tuple[str, ...]] = load_themes()


def make_arms(rng: np.random.Generator) -> dict[str, Any]:
    """Task params ``{"arms": [str], "means": [float]}``: 3 to 6 arms of one theme, exactly one best."""
    theme = sorted(THEMES)[int(rng.integers(len(THEMES)))]
    words = THEMES[theme]
    k = int(rng.integers(MIN_ARMS, MAX_ARMS + 1))
    arms = [words[int(i)] for i in rng.choice(len(words), size=k, replace=False)]
    e = float(rng.uniform(0.2, 0.4))
    high = 0.5 - e / 2
    means = [round(max(0.05, float(rng.uniform(high - 0.3, high))), 4) for _ in range(k)]
    means[int(rng.integers(k))] = round(0.5 + e / 2, 4)
    return {"arms": arms, "means": means}
