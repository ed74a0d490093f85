"""Customer service: find a non-technical customer's hidden fault by asking questions, then suggest the fix.

Scenarios are built from per-product fault manuals: 16 products, 6 faults each, every fault with a
canonical fix and its accepted phrasings, the complaints it presents with, and the diagnostic facts
that set it apart from the other faults of its product. The rules of the offline customer are in
``env.py``; see also docs/games.md.

Modules: ``manual`` (topics, products and faults, read from ``data/*.json``), ``matching`` (fix
patterns and topic keywords), ``parsing`` (how the customer reads a message), ``answers`` (what the
customer says), ``scenarios`` (task generation), ``observations`` (reading the text back, for
players), ``env`` (the game) and ``natural_questions`` (how many natural support questions the
customer answers).
"""

from curiosa.envs.customer_service.answers import (
    ALREADY_REPLY, ASKED_NO, ASKED_YES, GIVE_UP, MULTI_REPLY, NA_REPLY, SUCCESS_REPLY, UNKNOWN_REPLY, WRONG_REPLY,
    consistent, join_phrases, manual_class, manual_reply, tried_reply,
)
from curiosa.envs.customer_service.env import EXAMPLE_FIX, MAX_FAILED_FIXES, CustomerServiceEnv
from curiosa.envs.customer_service.manual import (
    GLOBAL_ORDER, PRODUCT_BY_KEY, PRODUCTS, TOPICS, VAGUE, VAGUE_OPENINGS, Fault, Product, Topic, candidates,
    complaint_of, openings, product_topics,
)
from curiosa.envs.customer_service.matching import fix_matches, match_topic, matched_faults, normalize
from curiosa.envs.customer_service.natural_questions import score_natural_questions
from curiosa.envs.customer_service.observations import parse_customer, parse_instruction
from curiosa.envs.customer_service.parsing import (
    classify_fixes, is_action, proposes_action, read_move, sentence_kind,
)
from curiosa.envs.customer_service.scenarios import (
    AGES, N_TEST, N_TEST_NAMES, N_TRAIN, NAMES, SINCE, VAGUE_SHARE, build_scenarios,
)

__all__ = [
    "AGES", "ALREADY_REPLY", "ASKED_NO", "ASKED_YES", "EXAMPLE_FIX", "GIVE_UP", "GLOBAL_ORDER", "MAX_FAILED_FIXES",
    "MULTI_REPLY", "NAMES", "NA_REPLY", "N_TEST", "N_TEST_NAMES", "N_TRAIN", "PRODUCTS", "PRODUCT_BY_KEY", "SINCE",
    "SUCCESS_REPLY", "TOPICS", "UNKNOWN_REPLY", "VAGUE", "VAGUE_OPENINGS", "VAGUE_SHARE", "WRONG_REPLY",
    "CustomerServiceEnv", "Fault", "Product", "Topic", "build_scenarios", "candidates", "classify_fixes",
    "complaint_of", "consistent", "fix_matches", "is_action", "join_phrases", "manual_class", "manual_reply",
    "match_topic", "matched_faults", "normalize", "openings", "parse_customer", "parse_instruction",
    "product_topics", "proposes_action", "read_move", "score_natural_questions", "sentence_kind", "tried_reply",
]
