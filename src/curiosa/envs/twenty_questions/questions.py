"""Read a move as a guess, a yes/no question about an attribute, or neither.

* a **guess** names an entity (by name or alias, e.g. "Is it a giraffe?", "giraffe", "My guess is
  the giraffe"), or uses an explicit guess form ("My final answer is ...");
* a **question** matches one of the category's attributes (see ``matching.py``); weak matches are
  rejected. Two attributes joined by "and"/"or" ("Is it big and grey?") or stacked in a noun phrase
  ("Is it a kitchen appliance?") are answered together when their phrasings make up the whole
  question. A negation ("Is it not a mammal?") flips the answer;
* a yes/no question ("Is it ...?", "Does it ...?") that matches none of them is **unsure**: the host
  says it is not sure, as a person would, instead of complaining about the format;
* otherwise **unknown** (an open "what/where..." question, or no question at all).

The reading never depends on the secret, so the scripted players can replay it. The filler words,
guess forms and yes/no openers live in ``data/moves.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from curiosa.envs.twenty_questions.catalogue import Entity, catalogue
from curiosa.envs.twenty_questions.matching import CategoryMatcher, is_copular, matcher
from curiosa.envs.twenty_questions.normalise import normalise, question_tokens, rewrite, stem, word_tables

MOVES_FILE = Path(__file__).resolve().parent / "data" / "moves.json"
ACCEPT_SCORE = 0.75
"""Minimum weighted-Dice similarity for a question to be matched to an attribute."""
PAIR_SCORE = 0.9
"""Minimum similarity between a question and the union of two attributes' phrasings."""

_SOFT_GUESS = re.compile(r"^is (?:the|your|this)(?: secret| mystery| hidden)? [a-z]+ (?P<x>(?:a|an|the) .+)$")
_ARTICLES = re.compile(r"^(?:a|an|the|some|called|named)\s+")
_CATEGORY_QUESTION = re.compile(r"\b(?:kind|kinds|type|types|sort|family|relative|related|member|group|like|similar)\b")


@dataclass(frozen=True)
class Interpretation:
    """What a move asks, independent of the secret."""

    kind: str
    """One of "question", "guess", "unsure" (a yes/no question the host cannot map) or "unknown"."""
    attribute: str | None = None
    """The attribute asked about (questions)."""
    negated: bool = False
    """The question is negated: the answer flips."""
    entity: Entity | None = None
    """The entity guessed, when the guess names one of the catalogue (None for unknown names)."""
    guess_text: str | None = None
    score: float = 0.0
    self_answer: bool = False
    """A question such as "Is it an animal?" that the category itself answers with yes."""
    other_attribute: str | None = None
    """The second attribute of a two-part question ("Is it big and grey?")."""
    connective: str = "and"
    """How the two parts combine: "and" (both true) or "or" (either true)."""

    def value(self, entity: Entity) -> bool:
        """The yes/no answer this question gets about ``entity`` (questions only)."""
        if self.self_answer:
            truth = True
        elif self.other_attribute is None:
            truth = entity.values[self.attribute]
        elif self.connective == "or":
            truth = entity.values[self.attribute] or entity.values[self.other_attribute]
        else:
            truth = entity.values[self.attribute] and entity.values[self.other_attribute]
        return truth != self.negated


@dataclass(frozen=True)
class MoveForms:
    """The patterns of ``data/moves.json``, compiled."""

    leading_reply: re.Pattern[str]
    """An acknowledgement before the move ("OK, ..."), on the raw text."""
    leading_filler: re.Pattern[str]
    trailing_filler: re.Pattern[str]
    guesses: tuple[re.Pattern[str], ...]
    """Explicit guess forms; group ``x`` is the name."""
    question_guess: re.Pattern[str]
    """"Is it X?" and its variants; group ``x`` is what follows."""
    yes_no_openers: frozenset[str]
    """First words of a yes/no question ("is", "does", "can"...)."""


@lru_cache(maxsize=1)
def move_forms() -> MoveForms:
    """The packaged move patterns, loaded once."""
    raw = json.loads(MOVES_FILE.read_text(encoding="utf-8"))
    return MoveForms(
        leading_reply=re.compile(rf"^\s*(?:{'|'.join(raw['leading_replies'])})\s*[,.!?;:]+\s*", re.IGNORECASE),
        leading_filler=re.compile(rf"^(?:(?:{'|'.join(raw['leading_fillers'])})\s+)+"),
        trailing_filler=re.compile(rf"(?:\s+(?:{'|'.join(raw['trailing_fillers'])}))+$"),
        guesses=tuple(re.compile(p) for p in raw["guess_patterns"]),
        question_guess=re.compile(rf"^(?:{'|'.join(raw['question_guess_openers'])}) (?P<x>.+)$"),
        yes_no_openers=frozenset(raw["yes_no_openers"]),
    )


def _clean_name(text: str) -> str:
    text = move_forms().trailing_filler.sub("", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = _ARTICLES.sub("", text).strip()
    return text


def _core(move: str) -> str:
    """The move normalised, without the acknowledgements and filler words around it."""
    forms = move_forms()
    text = normalise(forms.leading_reply.sub("", move))
    text = forms.leading_filler.sub("", text).strip()
    return forms.trailing_filler.sub("", text).strip() or text


def is_open_question(move: str) -> bool:
    """Whether a move asks an open question ("What colour is it?"), which has no yes/no answer."""
    words = _core(move).split()
    return bool(words) and words[0] in word_tables().wh_words


@lru_cache(maxsize=50_000)
def interpret(move: str, category_id: str) -> Interpretation:
    """How the offline simulator reads ``move`` in ``category_id``; does not depend on the secret."""
    forms = move_forms()
    cat = matcher(category_id)
    core = _core(move)
    if not core:
        return Interpretation("unknown")
    # 0. the whole message is a name ("guess who", "the great wall of china")
    ent = cat.lookup_name(_clean_name(core))
    if ent is not None:
        return Interpretation("guess", entity=ent, guess_text=_clean_name(core))
    # 1. explicit guesses ("my guess is X", "I think it is X"): a name, known or not, is a guess
    for pattern in forms.guesses:
        m = pattern.match(core)
        if m is None:
            continue
        name = _clean_name(m.group("x"))
        ent = _find_entity(name, cat)
        if ent is not None:
            return Interpretation("guess", entity=ent, guess_text=name)
        reading = _question(name, cat)
        if reading.kind == "question":
            return reading
        if _looks_like_name(name) and not _CATEGORY_QUESTION.search(name):
            return Interpretation("guess", guess_text=name)
        return Interpretation("unknown", score=reading.score)
    # 2. "Is it a giraffe?", "Is the animal a giraffe?" or a bare name
    soft = _SOFT_GUESS.match(core)
    if soft is not None:
        ent = _find_entity(_clean_name(soft.group("x")), cat)
        if ent is not None:
            return Interpretation("guess", entity=ent, guess_text=_clean_name(soft.group("x")))
    m = forms.question_guess.match(core)
    candidate = _clean_name(m.group("x") if m else core)
    with_article = m is not None and re.match(r"(?:a|an|the|some)\s", m.group("x")) is not None
    ent = cat.lookup_name(candidate) or catalogue().global_names.get(candidate)
    if ent is None and not _CATEGORY_QUESTION.search(candidate):
        ent = _find_entity(candidate, cat)
    if ent is not None:
        # A catalogue question worded exactly like this one wins over a name that is not used as a
        # noun of this category: "Is it orange?" asks for a colour, while "Is it an orange?",
        # "orange" and (in another category) "Is it an organ?" are read as written.
        local = ent.category == category_id
        if m is not None and (not local or not with_article) and core in cat.exact_questions:
            return _question(core, cat)
        return Interpretation("guess", entity=ent, guess_text=candidate)
    if core.split()[0] in word_tables().wh_words:
        return Interpretation("unknown")
    # 3. a question about an attribute
    reading = _question(core, cat)
    if reading.kind == "question":
        return reading
    # 4. "Is it a wombat?": a short noun phrase without any word the catalogue asks about
    if with_article and _looks_like_name(candidate) and not _CATEGORY_QUESTION.search(candidate) \
            and not set(question_tokens(candidate).content) & (cat.vocabulary | cat.self_words):
        return Interpretation("guess", guess_text=candidate)
    # 5. a yes/no question about something the catalogue does not record
    if core.split()[0] in forms.yes_no_openers:
        return Interpretation("unsure", score=reading.score)
    return reading


def _question(text: str, cat: CategoryMatcher) -> Interpretation:
    tables = word_tables()
    tokens = question_tokens(text)
    exact = cat.exact_attributes.get(rewrite(text))
    if exact is not None:
        return Interpretation("question", attribute=exact, negated=tokens.negated, score=1.0)
    attr, score = cat.match(tokens, is_copular(text))
    if attr is not None and score >= ACCEPT_SCORE:
        return Interpretation("question", attribute=attr, negated=tokens.negated, score=score)
    copular = move_forms().question_guess.match(text)
    noun_phrase = copular is not None and _looks_like_name(_clean_name(copular.group("x")))
    connective = re.search(r"\b(and|or)\b", text)
    pair = cat.match_pair(tokens) if not tokens.negated and (connective or noun_phrase) else None
    if pair is not None and pair[2] >= PAIR_SCORE:
        return Interpretation("question", attribute=pair[0], other_attribute=pair[1],
                              connective="or" if connective and connective.group(1) == "or" else "and",
                              score=pair[2])
    raw = [stem(w) for w in text.split()
           if w not in tables.function_words and w not in tables.stopwords and w not in tables.negations]
    if (raw and set(raw) <= cat.self_words) or (tokens.content and set(tokens.content) <= cat.self_words):
        return Interpretation("question", negated=tokens.negated, self_answer=True, score=1.0)
    return Interpretation("unknown", score=score)


def _find_entity(name: str, cat: CategoryMatcher) -> Entity | None:
    if not name:
        return None
    ent = cat.lookup_name(name) or cat.lookup_name(name.replace(" ", ""))
    if ent is not None:
        return ent
    ent = catalogue().global_names.get(name)
    if ent is not None:
        return ent
    if set(question_tokens(name).content) & cat.vocabulary:
        return None
    return cat.fuzzy_name(name)


def _looks_like_name(text: str) -> bool:
    """A short noun phrase (one to four words, no verbs of a question) that could name a thing."""
    tables = word_tables()
    words = text.split()
    if not 1 <= len(words) <= 4:
        return False
    if set(words) & (tables.stopwords - {"one"}) or set(words) & tables.negations:
        return False
    return True
