"""The final check of every reply but the winning one: it must name neither the city nor its country.

Offline replies that fail the check are replaced by a fixed refusal; an LLM host's reply that fails
it is asked again.
"""

from __future__ import annotations

from functools import lru_cache

from curiosa.envs.guess_my_city.names import (
    MAX_NAME_TOKENS, Key, aliases, country_index, language_index, region_index,
)
from curiosa.envs.guess_my_city.pool import country_display
from curiosa.envs.guess_my_city.tables import geonames
from curiosa.envs.guess_my_city.tokens import common_words, phrase, tokenize


@lru_cache(maxsize=None)
def _leak_keys(geonameid: int, country_code: str) -> tuple[frozenset[Key], frozenset[Key]]:
    """(names that must never appear in a reply, longer phrases that contain one but name something else).

    The city's names are those a guess accepts (see :func:`names.aliases`) except ordinary English words
    that are not its main name; the country's are its GeoNames name and common aliases. Names of other
    countries and of regions that contain one of them (``South Sudan``, ``North America``) are masked.
    """
    primary = phrase(geonames()[0][str(geonameid)]["name"])
    keys = {k for k in aliases(geonameid) if k == primary or not (len(k) == 1 and k[0] in common_words())}
    country_keys = {k for k, codes in country_index().items() if country_code in codes}
    country_keys.add(phrase(country_display(country_code)))
    keys |= country_keys
    masks = {k for k, subs, codes in _maskable_phrases() if country_code not in codes and not keys.isdisjoint(subs)}
    return frozenset(k for k in keys if k), frozenset(masks)


@lru_cache(maxsize=1)
def _maskable_phrases() -> tuple[tuple[Key, frozenset[Key], frozenset[str]], ...]:
    """Names of countries, regions and languages of several words, with their shorter parts (and countries)."""
    out = []
    named = [*country_index().items(), *((k, frozenset()) for k in [*region_index(), *language_index()])]
    for key, codes in named:
        if len(key) > 1:
            subs = {key[i:i + n] for n in range(1, len(key)) for i in range(len(key) - n + 1)}
            out.append((key, frozenset(subs), frozenset(codes)))
    return tuple(out)


@lru_cache(maxsize=65536)
def _ngrams(text: str) -> tuple[Key, frozenset[Key]]:
    words = tuple(t.low for t in tokenize(text))
    grams = {words[i:i + n] for i in range(len(words)) for n in range(1, MAX_NAME_TOKENS + 1) if i + n <= len(words)}
    return words, frozenset(grams)


def find_leak(text: str, geonameid: int, country_code: str) -> Key | None:
    """The name of the city or its country that ``text`` contains, or None."""
    keys, masks = _leak_keys(int(geonameid), country_code)
    words_t, grams = _ngrams(text)
    if keys.isdisjoint(grams):
        return None
    words = list(words_t)
    for mask in sorted(masks, key=len, reverse=True):
        n = len(mask)
        for i in range(len(words) - n + 1):
            if tuple(words[i:i + n]) == mask:
                words[i:i + n] = [""] * n
    longest = max((len(k) for k in keys), default=0)
    for i in range(len(words)):
        for n in range(1, longest + 1):
            key = tuple(words[i:i + n])
            if len(key) == n and key in keys:
                return key
    return None
