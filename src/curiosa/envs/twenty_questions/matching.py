"""Match a question to a category's attributes, and a name to its entities.

Every way of asking about every attribute (each side of an "or" in a phrasing counts on its own) is
reduced to content tokens; a question is scored against each by an IDF-weighted Dice overlap, in
which question words that another phrasing of the same attribute uses do not count against it.
A question worded like a catalogue phrasing (after the phrase rewrites) is read as that phrasing's
attribute, and between equally close phrasings the one of the question's form wins ("Is it a
tool?" asks what the secret is; "Do they use tools?" what it does). With some 150 attributes per
category, many of them general ("Is it red?", "Is it made of wood?"), these two rules keep close
wordings apart. Names are looked up exactly (with plural forms) or, for misspellings, with difflib.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from curiosa.envs.twenty_questions.catalogue import Category, Entity, catalogue, name_keys
from curiosa.envs.twenty_questions.normalise import Tokens, normalise, question_tokens, rewrite, stem, word_tables

FUZZY_NAME_CUTOFF = 0.86
"""difflib ratio above which a misspelt name still counts as that guess (names of 5+ letters)."""
FUZZY_WORD_CUTOFF = 0.84
"""difflib ratio above which a misspelt question word is read as a catalogue word (words of 5+ letters)."""


_COPULAR = re.compile(r"^(?:is|are) (?:it|this|that|they)\b")


def is_copular(text: str) -> bool:
    """Whether a normalised question asks what the secret is ("Is it a tool?") rather than what it
    does or has ("Do they use tools?"): between two equally close phrasings, the one of the same
    form wins."""
    return _COPULAR.match(text) is not None


def _phrasing_variants(question: str) -> list[tuple[str, ...]]:
    """Content tokens of a catalogue phrasing, plus each side of an "or" ("screws or bolts")."""
    text = normalise(question)
    variants = [question_tokens(text).content]
    if " or " in text:
        left, right = text.split(" or ", 1)
        variants += [question_tokens(left).content, question_tokens(right).content]
    return [v for v in variants if v]


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Stems of every word used in an entity name or alias."""
    return frozenset(stem(w) for cat in catalogue().categories.values() for e in cat.entities
                     for label in e.names for w in normalise(label).split())


@dataclass
class CategoryMatcher:
    """What one category's questions and names look like, indexed for matching."""

    category: Category
    phrasings: list[tuple[str, frozenset[str], bool]]
    """(attribute, content tokens, copular form) for every way of asking each attribute."""
    weights: dict[str, float]
    """Token -> IDF weight over the category's attributes."""
    bags: dict[str, frozenset[str]]
    """Attribute -> every token of its phrasings."""
    unknown_weight: float
    names: dict[str, Entity]
    """Name key -> entity of this category."""
    exact_questions: frozenset[str]
    """The catalogue phrasings, normalised."""
    exact_attributes: dict[str, str]
    """Rewritten catalogue phrasing (see ``normalise.rewrite``) -> its attribute: a question worded
    like one of the catalogue's is read as that attribute, whatever else its words resemble."""
    self_words: frozenset[str]
    """Stems of words naming the category itself ("Is it an animal?" is answered yes)."""

    @classmethod
    def build(cls, cat: Category) -> CategoryMatcher:
        raw = {attr: [(toks, is_copular(normalise(q))) for q in cat.questions[attr] for toks in _phrasing_variants(q)]
               for attr in cat.attributes}
        single = {toks[0] for lists in raw.values() for toks, _ in lists if len(toks) == 1}
        words = normalise(" ".join([cat.name, cat.noun, *cat.other_names])).split()
        function_words = word_tables().function_words
        self_words = frozenset(stem(w) for w in words if w not in function_words) - single
        phrasings: list[tuple[str, frozenset[str], bool]] = []
        bags: dict[str, frozenset[str]] = {}
        df: dict[str, int] = {}
        for attr in cat.attributes:
            tokens: set[str] = set()
            for content, copular in raw[attr]:
                toks = _strip(content, self_words)
                if toks:
                    phrasings.append((attr, toks, copular))
                    tokens |= toks
            for t in tokens:
                df[t] = df.get(t, 0) + 1
            bags[attr] = frozenset(tokens)
        n = len(cat.attributes)
        names: dict[str, Entity] = {}
        for ent in cat.entities:
            for label in ent.names:
                for key in name_keys(label):
                    names.setdefault(key, ent)
        return cls(
            category=cat, phrasings=phrasings, weights={t: math.log(1.0 + n / d) for t, d in df.items()},
            bags=bags, unknown_weight=math.log(1.0 + n), names=names,
            exact_questions=frozenset(normalise(q) for a in cat.attributes for q in cat.questions[a]),
            exact_attributes=_exact_attributes(cat),
            self_words=self_words,
        )

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.weights)

    def _weight(self, tokens: frozenset[str]) -> float:
        return sum(self.weights.get(t, self.unknown_weight) for t in tokens)

    def _query(self, tokens: Tokens) -> frozenset[str]:
        return _strip([self._correct(t) for t in tokens.content], self.self_words)

    def match(self, tokens: Tokens, copular: bool = False) -> tuple[str | None, float]:
        """Best attribute for question tokens and its similarity (None when nothing is close).

        On a tie, a phrasing of the same form as the question (``copular``) wins.
        """
        qset = self._query(tokens)
        if not qset:
            return None, 0.0
        qweight = self._weight(qset)
        best, best_key = None, (0.0, False)
        for attr, toks, form in self.phrasings:
            if not qset & toks:
                continue
            # query words used by another phrasing of the same attribute do not count against it
            toks = toks | (qset & self.bags[attr])
            score = 2.0 * self._weight(qset & toks) / (qweight + self._weight(toks))
            key = (round(score, 9), form == copular)
            if key > best_key:
                best, best_key = attr, key
        return best, best_key[0]

    def match_pair(self, tokens: Tokens) -> tuple[str, str, float] | None:
        """Two attributes whose phrasings together make up the question ("Is it a kitchen appliance?")."""
        qset = self._query(tokens)
        if len(qset) < 2:
            return None
        parts = [(attr, toks) for attr, toks, _ in self.phrasings if toks < qset]
        best = None
        for i, (a, ta) in enumerate(parts):
            for b, tb in parts[i + 1:]:
                if a == b or ta & tb:
                    continue
                union = ta | tb
                score = 2.0 * self._weight(union & qset) / (self._weight(qset) + self._weight(union))
                if best is None or score > best[2] + 1e-9:
                    best = (a, b, score)
        return best

    def _correct(self, token: str) -> str:
        """A misspelt token mapped to the closest catalogue word (only for words of 5+ letters).

        Words of entity names ("lightning") are real words, never corrected into another one.
        """
        if token in self.weights or len(token) < 5 or token in _name_words():
            return token
        close = difflib.get_close_matches(token, list(self.weights), n=1, cutoff=FUZZY_WORD_CUTOFF)
        return close[0] if close else token

    def lookup_name(self, text: str) -> Entity | None:
        return self.names.get(text)

    def fuzzy_name(self, text: str) -> Entity | None:
        if len(text) < 5:
            return None
        cutoff = FUZZY_NAME_CUTOFF if len(text) < 7 else FUZZY_NAME_CUTOFF - 0.06
        close = difflib.get_close_matches(text, list(self.names), n=1, cutoff=cutoff)
        return self.names[close[0]] if close else None


def _exact_attributes(cat: Category) -> dict[str, str]:
    exact: dict[str, str] = {}
    for attr in cat.attributes:
        for question in cat.questions[attr]:
            exact.setdefault(rewrite(normalise(question)), attr)
    return exact


def _strip(tokens: tuple[str, ...] | list[str], self_words: frozenset[str]) -> frozenset[str]:
    """Tokens without the words that name the category itself (unless nothing else is left)."""
    kept = frozenset(t for t in tokens if t not in self_words)
    return kept or frozenset(tokens)


@lru_cache(maxsize=None)
def matcher(category_id: str) -> CategoryMatcher:
    """The matcher of a catalogue category, built once."""
    return CategoryMatcher.build(catalogue().categories[category_id])
