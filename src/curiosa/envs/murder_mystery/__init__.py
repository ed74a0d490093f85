"""Murder mystery: question suspects, search places and examine items, then accuse the killer.

Cases come from a deterministic generator; the offline narrator's rules are in ``env.py`` (see also
docs/games.md).

Modules: ``tables`` (names, places, items, alibi templates, read from ``data/*.json``), ``evidence``
(the fixed evidence sentences and how to read them), ``cases`` (case generation), ``parsing`` (how
the narrator reads a move), ``observations`` (reading the instruction and narration back, for players)
and ``env`` (the game).
"""

from curiosa.envs.murder_mystery.cases import (
    GROUP, N_TEST, N_TRAIN, P_SCENE_CLUE, P_WEAPON_LINK, case_pool, display, generate_case, preposition,
)
from curiosa.envs.murder_mystery.env import TIME_WINDOW, MurderMysteryEnv, turns_left_text
from curiosa.envs.murder_mystery.evidence import (
    CONFIRM, CONTRADICT, EVIDENCE_KINDS, IMPLICATING, LINKED, MOTIVATED, PLACED, SUSPECTED, read_evidence,
)
from curiosa.envs.murder_mystery.observations import (
    PublicCase, claim_check, parse_instruction, read_action, read_statement, read_testimony,
)
from curiosa.envs.murder_mystery.parsing import UNKNOWN_REPLY, Lexicon, Move, Person, normalize
from curiosa.envs.murder_mystery.tables import CAUSES, WEAPON_KIND, WEAPONS

__all__ = [
    "CAUSES", "CONFIRM", "CONTRADICT", "EVIDENCE_KINDS", "GROUP", "IMPLICATING", "LINKED", "MOTIVATED", "N_TEST",
    "N_TRAIN", "PLACED", "P_SCENE_CLUE", "P_WEAPON_LINK", "SUSPECTED", "TIME_WINDOW", "UNKNOWN_REPLY", "WEAPONS",
    "WEAPON_KIND", "Lexicon", "Move", "MurderMysteryEnv", "Person", "PublicCase", "case_pool", "claim_check",
    "display", "generate_case", "normalize", "parse_instruction", "preposition", "read_action", "read_evidence",
    "read_statement", "read_testimony", "turns_left_text",
]
