"""The tables the case generator draws from (names, places, motives, weapons, alibi templates...).

They live in ``data/settings.json``, ``data/people.json``, ``data/items.json`` and ``data/alibis.json``
and are loaded once into the structures ``cases.py`` uses; ``tests/envs/murder_mystery/test_data.py``
checks them. Templates use ``{N}`` (a suspect's name), ``{P}`` (a place), ``{W}`` (a companion),
``{staff}`` and ``{his}`` (a pronoun).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def read_data(name: str) -> Any:
    """One JSON file of ``data/``, parsed once (callers must not modify it)."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- settings
SETTINGS: list[dict[str, Any]] = read_data("settings.json")["settings"]
"""Each with a name, the victim's role, the staff member who saw things, and its places."""
ON_WORDS: frozenset[str] = frozenset(read_data("settings.json")["on_words"])
"""Last words of the places one is 'on' rather than 'in' (stage, deck...)."""

# --------------------------------------------------------------------------- people
_PEOPLE = read_data("people.json")
MALE_FIRST: list[str] = _PEOPLE["male_first"]
FEMALE_FIRST: list[str] = _PEOPLE["female_first"]
SURNAMES: list[str] = _PEOPLE["surnames"]
VICTIM_MALE: list[str] = _PEOPLE["victim_male"]
VICTIM_FEMALE: list[str] = _PEOPLE["victim_female"]
VICTIM_SURNAMES: list[str] = _PEOPLE["victim_surnames"]
VICTIM_TITLES: dict[str, list[str]] = _PEOPLE["victim_titles"]
OCCUPATIONS: list[tuple[str, str | None]] = [(o["occupation"], o["title"]) for o in _PEOPLE["occupations"]]
"""(occupation, forced title or None)."""
PLAIN_TITLES: dict[str, list[str]] = _PEOPLE["plain_titles"]
PRONOUNS: dict[str, dict[str, str]] = _PEOPLE["pronouns"]
MOTIVES: list[str] = _PEOPLE["motives"]
DENIALS: list[str] = _PEOPLE["denials"] + [""] * _PEOPLE["silent_denials"]
"""What a suspect may add to a statement; the empty ones (drawn like the others) add nothing."""

# --------------------------------------------------------------------------- items
_ITEMS = read_data("items.json")
CAUSES: dict[str, str] = _ITEMS["causes"]
"""Kind of death -> how the instruction words it."""
WEAPONS: dict[str, list[str]] = _ITEMS["weapons"]
WEAPON_KIND: dict[str, str] = {item: kind for kind, items in WEAPONS.items() for item in items}
"""Public knowledge: which kind of death each weapon-like item can cause."""
USE_MARKS: dict[str, str] = _ITEMS["use_marks"]
LINKS: list[str] = _ITEMS["links"]
SCENE_DROPS: list[str] = _ITEMS["scene_drops"]
MOTIVE_CARRIERS: list[str] = _ITEMS["motive_carriers"]
FILLERS: list[str] = _ITEMS["fillers"]

# --------------------------------------------------------------------------- alibi templates
_ALIBIS = read_data("alibis.json")
SEARCH_ALIBIS: list[dict[str, str]] = _ALIBIS["search"]
ITEM_ALIBIS: dict[str, dict[str, str]] = _ALIBIS["items"]
WITNESS_ACTIVITIES: list[str] = _ALIBIS["witness_activities"]
SUSPICIONS: list[str] = _ALIBIS["suspicions"]
