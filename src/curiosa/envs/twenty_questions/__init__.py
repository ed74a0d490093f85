"""Twenty Questions: find a secret entity of a known category with yes/no questions.

The offline host answers from a curated catalogue (``data/catalogue/``, described in
docs/games.md): 16 categories, each entity described by a yes/no value for every attribute of its
category, including the general ones every category answers (alive, size, colour, material, where it
is found...). A yes/no question it cannot map gets "I'm not sure." Modules, in the order a move goes
through them:

* ``normalise``: a question reduced to content words (tables in ``data/words.json``);
* ``catalogue``: the categories, attributes and entities, loaded and expanded from the data files;
* ``matching``: a question matched to a category's attributes, a name to its entities;
* ``questions``: a move read as a guess, a question or neither (forms in ``data/moves.json``);
* ``answers``: the offline host's reply to a move about the secret;
* ``replies``: the game's texts read back (by the scripted players and the LLM mode);
* ``env``: the environment; ``paraphrases``: accuracy on a bank of paraphrased questions;
  ``question_bank``: answered, correct and consistent rates on a bank of common questions.

Measured by ``benchmarks/twenty_questions_paraphrase.py`` and ``benchmarks/dialogue_answer_rates.py``.
"""

from curiosa.envs.twenty_questions.answers import OPEN_QUESTION_REPLY, UNKNOWN_REPLY, UNSURE_REPLY, answer
from curiosa.envs.twenty_questions.catalogue import (
    Catalogue, Category, Entity, catalogue, catalogue_stats, category_by_name,
)
from curiosa.envs.twenty_questions.env import TEST_FRACTION, TwentyQuestionsEnv
from curiosa.envs.twenty_questions.paraphrases import score_paraphrases
from curiosa.envs.twenty_questions.question_bank import score_question_bank
from curiosa.envs.twenty_questions.questions import Interpretation, interpret
from curiosa.envs.twenty_questions.replies import extract_llm_reply, parse_category, parse_reply

__all__ = [
    "OPEN_QUESTION_REPLY", "TEST_FRACTION", "UNKNOWN_REPLY", "UNSURE_REPLY", "Catalogue", "Category", "Entity",
    "Interpretation", "TwentyQuestionsEnv", "answer", "catalogue", "catalogue_stats", "category_by_name",
    "extract_llm_reply", "interpret", "parse_category", "parse_reply", "score_paraphrases", "score_question_bank",
]
