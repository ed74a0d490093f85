"""Scripted players of guess_my_city.

They know the public list of the game's cities and their facts (like a person's knowledge of the
world), taken from the same GeoNames-derived data as the game, but learn about the secret city only
from the host's replies in the conversation: each question of their bank has one exact reply per city
of the list, so a reply read from the text keeps the cities that would have produced it.

* expert: asks the yes/no question of a large bank (continent, region, country, hemisphere, latitude
  and longitude thresholds, population, capital, languages, currency, time zone, the country's size
  and population...) whose answer is most informative about the cities still possible (the one that
  splits them most evenly), and names the city once one is left (the larger one of the last two).
  With ``open_questions=True`` it may also ask open questions ('What is the capital of its
  country?'), which a helpful host answers with far more information: about 3 turns per game.
* heuristic: asks a fixed series of broad questions (continent, capital, over a million people), then
  guesses the most populous city that fits, one after another.
* random: random questions from the bank and random guesses from the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Sequence

import numpy as np

from curiosa.envs import guess_my_city as game
from curiosa.policies.base import ScriptedPolicy, View, choice


@dataclass(frozen=True)
class Question:
    texts: tuple[str, ...]
    """Phrasings of the question; any of them is asked (they mean the same to the host)."""
    topic: str
    about: str
    """Short description for the thought, e.g. 'the continent'."""


_POPULATION_CUTS = (150_000, 200_000, 250_000, 300_000, 400_000, 500_000, 600_000, 700_000, 800_000, 1_000_000,
                    1_250_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 4_000_000, 5_000_000, 7_000_000,
                    10_000_000)
_COUNTRY_POPULATION_CUTS = (1, 3, 5, 10, 20, 30, 50, 70, 100, 150, 200, 300, 500)  # millions
_AREA_CUTS = (10_000, 50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000, 2_000_000, 5_000_000)

OPEN_QUESTIONS = (
    Question(("Which continent is the city in?", "On which continent is it?"), "continent", "the continent"),
    Question(("Which hemisphere is it in?", "In which hemispheres does it lie?"), "hemisphere", "the hemispheres"),
    Question(("What is its latitude?", "How far north or south is it?"), "latitude", "the latitude band"),
    Question(("What is its longitude?", "What longitude is it at?"), "longitude", "the longitude band"),
    Question(("How many people live there?", "What is the population of the city?"), "population",
             "the city's population"),
    Question(("What is the capital of its country?", "Which city is the capital of the country?"), "capital",
             "the country's capital"),
    Question(("What language do people speak there?", "Which languages are spoken there?"), "language",
             "the languages"),
    Question(("What currency is used there?", "What is the currency?"), "currency", "the currency"),
    Question(("What time zone is it in?", "What is its time zone?"), "timezone", "the time zone"),
    Question(("Which countries border its country?", "What are the neighbouring countries?"), "neighbours",
             "the neighbouring countries"),
    Question(("How big is its country?", "What is the area of the country?"), "area", "the country's area"),
    Question(("How many people live in its country?", "What is the population of the country?"),
             "country_population", "the country's population"),
)


TOPICS = ("continent", "region", "country", "hemisphere", "latitude", "longitude", "population", "capital",
          "largest", "language", "currency", "timezone", "neighbours", "area", "country_population")
_PREFERENCE = np.array([1.0 if t not in ("latitude", "longitude", "timezone") else 0.9 for t in TOPICS])


def _count(n: int) -> str:
    return f"{n // 1_000_000} million" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n:,}"


def _lat(t: int) -> str:
    return f"{abs(t)} degrees {'north' if t > 0 else 'south'}"


def _lon(t: int) -> str:
    return f"{abs(t)} degrees {'east' if t > 0 else 'west'}"


def _yes_no_questions() -> list[Question]:
    pool = game.city_pool()
    qs: list[Question] = []
    for name in game.CONTINENTS.values():
        qs.append(Question((f"Is the city in {name}?", f"Is it located in {name}?", f"Is it in {name}?"),
                           "continent", f"whether it is in {name}"))
    for key, (name, _) in game.REGIONS.items():
        if key not in ("americas", "nordic", "asia_pacific"):
            qs.append(Question((f"Is it in {name}?", f"Is the city in {name}?"), "region", f"{name}"))
    for code in sorted({f["country_code"] for f in pool}):
        name = next(f["country"] for f in pool if f["country_code"] == code)
        qs.append(Question((f"Is the city in {name}?", f"Is it in {name}?"), "country", f"whether it is in {name}"))
    qs.append(Question(("Is it in the northern hemisphere?", "Is the city north of the equator?"), "hemisphere",
                       "the hemisphere"))
    qs.append(Question(("Is it in the eastern hemisphere?", "Is the city east of the prime meridian?"),
                       "hemisphere", "east or west of Greenwich"))
    for t in range(-41, 65):
        if t:
            qs.append(Question((f"Is it north of {_lat(t)}?", f"Is the city north of latitude {_lat(t)}?"),
                               "latitude", f"latitude {_lat(t)}"))
    for t in range(-124, 180, 2):
        if t:
            qs.append(Question((f"Is it east of {_lon(t)}?", f"Is the city east of longitude {_lon(t)}?"),
                               "longitude", f"longitude {_lon(t)}"))
    for n in _POPULATION_CUTS:
        qs.append(Question((f"Does the city have more than {_count(n)} inhabitants?",
                            f"Is the population over {_count(n)}?", f"Do more than {_count(n)} people live there?"),
                           "population", f"a population of {_count(n)}"))
    qs.append(Question(("Is it the capital of its country?", "Is it a capital city?", "Is this city the capital?"),
                       "capital", "whether it is the capital"))
    qs.append(Question(("Is it the most populous city of its country?", "Is it the largest city in its country?"),
                       "largest", "whether it is its country's largest city"))
    main_langs = sorted({f["languages"][0] for f in pool if f["languages"]})
    all_langs = sorted({lang for f in pool for lang in f["languages"][:4]})
    for lang in all_langs:
        if game.read(f"Is {lang} spoken there?").of("language"):
            qs.append(Question((f"Is {lang} spoken there?", f"Do people speak {lang} there?"), "language",
                               f"whether {lang} is spoken"))
    for lang in main_langs:
        if game.read(f"Is {lang} the main language?").of("language"):
            qs.append(Question((f"Is {lang} the main language?", f"Is the main language {lang}?"), "language",
                               f"whether {lang} is the main language"))
    for code in sorted({f["currency_code"] for f in pool}):
        qs.append(Question((f"Is the currency code {code}?", f"Does the country use the currency {code}?"),
                           "currency", f"the currency {code}"))
    for word in sorted({f["currency_name"] for f in pool}):
        if len(word.split()) == 1 and sum(f["currency_name"] == word for f in pool) > 1:
            qs.append(Question((f"Does the country use the {word} as its currency?",
                                f"Is the currency called the {word}?"), "currency", f"the {word}"))
    for h in sorted({f["tz_std"] for f in pool}):
        qs.append(Question((f"Is its standard time {game.fmt_offset(h)}?", f"Is the time zone {game.fmt_offset(h)}?"),
                           "timezone", f"the time zone {game.fmt_offset(h)}"))
    qs.append(Question(("Does it observe daylight saving time?", "Do the clocks change for summer time there?"),
                       "timezone", "daylight saving time"))
    for m in _COUNTRY_POPULATION_CUTS:
        qs.append(Question((f"Does its country have more than {m} million people?",
                            f"Is the population of the country over {m} million?"), "country_population",
                           f"a country of {m} million people"))
    for a in _AREA_CUTS:
        qs.append(Question((f"Is its country larger than {_count(a)} square kilometres?",
                            f"Does the country cover more than {_count(a)} square km?"), "area",
                           f"a country area of {_count(a)} square km"))
    return qs


@dataclass(frozen=True)
class Bank:
    questions: tuple[Question, ...]
    polar: np.ndarray
    """Which questions are yes/no questions."""
    codes: np.ndarray
    """(questions, cities) int32: the index of the host's reply to each question about each city."""
    replies: tuple[dict[str, int], ...]
    """Per question: reply text -> code."""
    binary: np.ndarray
    """Questions with exactly two possible replies (their gain is computed in one vectorised step)."""
    topics: np.ndarray
    """Index of each question's topic in TOPICS."""


@lru_cache(maxsize=1)
def question_bank() -> Bank:
    """Every question the scripted players ask and the host's exact reply for every city of the public list."""
    pool = game.city_pool()
    qs = list(OPEN_QUESTIONS) + _yes_no_questions()
    codes = np.zeros((len(qs), len(pool)), dtype=np.int32)
    replies: list[dict[str, int]] = []
    polar = np.zeros(len(qs), dtype=bool)
    for i, q in enumerate(qs):
        query = game.parse_question(game.read(q.texts[0]))
        if query is None or query.topic != q.topic and not (q.topic == "region" and query.topic == "continent"):
            raise RuntimeError(f"guess_my_city: the host misreads the bank question {q.texts[0]!r}: {query}")
        polar[i] = query.polar
        seen: dict[str, int] = {}
        for j, f in enumerate(pool):
            text = game.safe_answer(query, f)[0]
            codes[i, j] = seen.setdefault(text, len(seen))
        replies.append(seen)
    binary = np.array([len(r) == 2 for r in replies], dtype=bool)
    topics = np.array([TOPICS.index(q.topic) for q in qs], dtype=np.int64)
    return Bank(tuple(qs), polar, codes, tuple(replies), binary, topics)


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict[str, int], dict[str, list[int]], list[str]]:
    """(question text -> bank index, guess text -> pool indices, guess text of each pool city)."""
    bank = question_bank()
    by_text = {_key(t): i for i, q in enumerate(bank.questions) for t in q.texts}
    pool = game.city_pool()
    name_count: dict[tuple[str, ...], int] = {}
    for f in pool:
        key = game.phrase(f["city"])
        name_count[key] = name_count.get(key, 0) + 1
    guess_names = [f["city"] if name_count[game.phrase(f["city"])] == 1 else f"{f['city']}, {f['country']}"
                   for f in pool]
    guesses: dict[str, list[int]] = {}
    for i, name in enumerate(guess_names):
        for text in _guess_texts(name):
            guesses.setdefault(_key(text), []).append(i)
    return by_text, guesses, guess_names


def _key(text: str) -> str:
    return " ".join(game.ascii_fold(text).lower().split()).rstrip("?.! ")


def _guess_texts(name: str) -> tuple[str, ...]:
    return (f"Is it {name}?", f"My guess is {name}.", f"Is the city {name}?")


@lru_cache(maxsize=1)
def _population() -> np.ndarray:
    return np.array([f["population"] for f in game.city_pool()], dtype=np.int64)


def _entropy(counts: np.ndarray) -> float:
    counts = counts[counts > 0].astype(float)
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())


class GuessMyCityPolicy(ScriptedPolicy):
    """See the module docstring; ``open_questions=True`` lets the expert ask open questions too."""

    game = "guess_my_city"

    def __init__(self, kind: str = "expert", seed: int = 0, epsilon: float = 0.3, repeat: float = 0.0,
                 open_questions: bool = False) -> None:
        super().__init__(kind=kind, seed=seed, epsilon=epsilon, repeat=repeat)
        self.open_questions = open_questions

    # ----------------------------------------------------------------- reading the conversation
    def _state(self, view: View) -> tuple[np.ndarray, set[int]]:
        """(mask of the cities consistent with every reply so far, bank questions already asked)."""
        by_text, guesses, _ = _lookup()
        bank = question_bank()
        mask = np.ones(len(game.city_pool()), dtype=bool)
        asked: set[int] = set()
        guessed: list[int] = []
        for answer, obs in zip(view.answers, view.observations):
            if not answer:
                continue
            key = _key(answer)
            if key in by_text:
                i = by_text[key]
                asked.add(i)
                code = bank.replies[i].get(obs.split("\n")[0])
                if code is not None:
                    mask &= bank.codes[i] == code
                elif bank.polar[i] and game.polarity(obs):  # a reply worded differently: trust yes/no
                    yes = bank.replies[i]
                    yes_codes = [c for t, c in yes.items() if t.startswith("Yes")]
                    hit = np.isin(bank.codes[i], yes_codes)
                    mask &= hit if game.polarity(obs) == "yes" else ~hit
            elif key in guesses and game.polarity(obs) == "no":
                guessed += guesses[key]
        mask[guessed] = False
        if not mask.any():  # a reply the bank misread: keep only what the guesses exclude
            mask = np.ones(len(mask), dtype=bool)
            mask[guessed] = False
        return mask, asked

    def _guess(self, index: int, thought: str) -> tuple[str, str]:
        _, _, names = _lookup()
        return thought, choice(self.rng, _guess_texts(names[index])[:2])

    # ----------------------------------------------------------------- kinds
    def expert(self, view: View) -> tuple[str, str]:
        """Ask the question whose reply is most informative about the cities left; name the last one."""
        mask, asked = self._state(view)
        bank = question_bank()
        pool = game.city_pool()
        cands = np.flatnonzero(mask)
        n = len(cands)
        biggest = int(cands[np.argmax(_population()[cands])])
        turns_left = game.GuessMyCityEnv.max_turns - len(view.replies)
        if n == 1:
            return self._guess(biggest, f"Only {pool[biggest]['city']} fits every answer, so I name it.")
        if n == 2 or turns_left <= 1:
            return self._guess(biggest, f"{n} cities still fit; I try the largest, {pool[biggest]['city']}.")
        codes = bank.codes[:, cands]
        gain = np.zeros(len(bank.questions))
        two = bank.binary
        p = (codes[two] == 0).sum(axis=1) / n  # two possible replies: codes 0 and 1
        with np.errstate(divide="ignore", invalid="ignore"):
            gain[two] = np.nan_to_num(-(p * np.log2(p) + (1 - p) * np.log2(1 - p)))
        for i in np.flatnonzero(~two):
            gain[i] = _entropy(np.bincount(codes[i]))
        gain *= _PREFERENCE[bank.topics]  # plain-language questions first when nearly as good
        if not self.open_questions:
            gain[~bank.polar] = -1.0
        if asked:
            gain[list(asked)] = -1.0
        best = gain.max()
        if best <= 1e-9:
            return self._guess(biggest, f"No question separates the last {n} cities; I guess the largest, "
                                        f"{pool[biggest]['city']}.")
        top = np.flatnonzero(gain >= 0.92 * best)
        i = int(choice(self.rng, list(top)))
        q = bank.questions[i]
        left = float((np.bincount(codes[i]) ** 2).sum() / n)
        thought = choice(self.rng, (
            f"{n} cities still fit; asking about {q.about} should leave about {left:.0f} of them.",
            f"Of all questions, one about {q.about} best narrows down the {n} cities left.",
            f"{n} candidates remain, so I ask about {q.about}: the answer splits them most evenly.",
        ))
        return thought, choice(self.rng, q.texts)

    def heuristic(self, view: View) -> tuple[str, str]:
        """A few broad questions, then the most populous cities that fit, one after another."""
        pool = game.city_pool()
        steps = [
            ("Which continent is the city in?", "I start broad: which continent is it on?"),
            ("Is it the capital of its country?", "Capitals are famous, so I check whether it is one."),
            ("Is the population over 1 million?", "Next I ask whether it is a big city of over a million."),
        ]
        answers = [a or "" for a in view.answers]
        mask = np.ones(len(pool), dtype=bool)
        guessed: set[str] = set()
        for answer, obs in zip(answers, view.observations):
            low = answer.lower()
            reply = game.polarity(obs)
            if low.startswith("which continent"):
                continent = game.parse_continent_reply(obs)
                if continent:
                    mask &= np.array([game.CONTINENTS[f["continent"]] == continent for f in pool])
            elif low.startswith("is it the capital") and reply:
                mask &= np.array([f["is_capital"] == (reply == "yes") for f in pool])
            elif low.startswith("is the population over 1 million") and reply:
                mask &= np.array([(f["population"] > 1_000_000) == (reply == "yes") for f in pool])
            elif low.startswith("is it "):
                guessed.add(_key(answer))
        for text, thought in steps:
            if text not in answers:
                return thought, text
        _, _, names = _lookup()
        left = [i for i in np.flatnonzero(mask) if _key(f"Is it {names[i]}?") not in guessed]
        if not left:
            left = [i for i in range(len(pool)) if _key(f"Is it {names[i]}?") not in guessed]
        best = max(left, key=lambda i: pool[i]["population"])
        return (f"{len(left)} cities fit my questions; I guess the most populous, {pool[best]['city']}.",
                f"Is it {names[best]}?")

    def random(self, view: View) -> tuple[str, str]:
        """Random questions from the bank and random guesses from the list."""
        _, _, names = _lookup()
        if self.rng.random() < 0.3:
            asked = {_key(a or "") for a in view.answers}
            options = [n for n in names if _key(f"Is it {n}?") not in asked]
            name = choice(self.rng, options or names)
            return choice(self.rng, ("A random guess.", "I just try a city.", "Let me guess a city at random.")), \
                f"Is it {name}?"
        bank = question_bank()
        q = bank.questions[int(self.rng.integers(len(bank.questions)))]
        return choice(self.rng, ("I ask a random question.", f"Maybe {q.about} tells me something.")), \
            choice(self.rng, q.texts)


def candidates(view: View) -> list[Mapping[str, Any]]:
    """The cities of the public list consistent with the yes/no answers in ``view`` (for inspection)."""
    mask, _ = GuessMyCityPolicy(kind="expert")._state(view)
    pool = game.city_pool()
    return [pool[i] for i in np.flatnonzero(mask)]


__all__: Sequence[str] = ("GuessMyCityPolicy", "candidates", "question_bank")
