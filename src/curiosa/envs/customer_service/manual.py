"""The support agent's manual: diagnostic topics and per-product fault manuals, read from ``data/``.

Everything here is public knowledge of the game; the hidden state of a task is only which product,
fault and customer details were drawn (see ``scenarios.py``). The tables live in ``data/topics.json``
(global topics), ``data/products.json`` (products in manual order) and ``data/faults.json`` (faults,
each naming its product, in manual order); ``tests/envs/customer_service/test_data.py`` checks them.

Pattern syntax (used by fix patterns and topic keywords, see ``matching.py``):
* a keyword is one or more words; ``word*`` matches any word starting with ``word``, a plain word
  also matches its plural (``cable`` matches ``cables``);
* in topic keywords the words of a phrase must be consecutive; in fix patterns up to three other
  words may sit between them ("plug* in" matches "plug the cable back in");
* a fix pattern is ``"alt|alt + alt|alt"``: every ``+`` group must occur somewhere in the message,
  and a group matches when any of its ``|`` alternatives does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

DATA_DIR = Path(__file__).resolve().parent / "data"

VAGUE = "vague"
"""Complaint key of the vague openings: every fault of the product fits them."""


@dataclass(frozen=True)
class Topic:
    """Something the agent can ask about, and the words that signal it."""

    label: str
    """Plain name used in thoughts and prompts, e.g. "the lights"."""
    questions: tuple[str, ...]
    """Ways a support agent asks about it (scripted policies pick one)."""
    keywords: Mapping[int, str]
    """weight -> ``"kw|kw|kw"``; the best-weighted match wins, ties go to the earliest in the message."""


@dataclass(frozen=True)
class Fault:
    key: str
    name: str
    """What was wrong, for the reveal: "a loose cable between the wall socket and the router"."""
    short: str
    """A few words for the expert's thoughts: "loose cable"."""
    fix: str
    """The canonical fix, an imperative sentence."""
    patterns: tuple[str, ...]
    """Accepted phrasings (any one matches); see the module docstring."""
    tried: str
    """The customer's words for having already done this fix: "pushed all the cables back in"."""
    complaint: str
    """The complaint key this fault presents with (its symptom)."""
    facts: Mapping[str, str]
    """topic -> what the customer says about it for this fault (overrides the product defaults)."""


@dataclass(frozen=True)
class Product:
    key: str
    name: str
    models: tuple[str, ...]
    complaints: Mapping[str, tuple[str, ...]]
    """complaint key -> opening wordings (see also the vague openings, which fit every fault)."""
    tries: tuple[str, ...]
    """Generic things a customer may already have tried (never a fix of this product)."""
    facts: Mapping[str, str]
    """topic -> default answer (a topic missing here and in the fault gets the 'not noticed' reply)."""
    faults: tuple[Fault, ...]
    complaint_facts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """complaint -> topic -> default answer for the faults with that complaint (between fault and product)."""
    topics: Mapping[str, Topic] = field(default_factory=dict)
    """Product-specific topics (paper tray, fuel gauge...), matched like the global ones."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """topic -> topic answered instead (e.g. a washing machine's 'screen' is its error display)."""

    def fault(self, key: str) -> Fault:
        for f in self.faults:
            if f.key == key:
                return f
        raise KeyError(f"{self.key} has no fault {key!r}")


def read_data(name: str) -> Any:
    """One JSON file of ``data/``, parsed."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _topic(raw: Mapping[str, Any]) -> Topic:
    # JSON keys are strings; the weights are compared as numbers
    return Topic(raw["label"], tuple(raw["questions"]), {int(w): spec for w, spec in raw["keywords"].items()})


def _fault(raw: Mapping[str, Any]) -> Fault:
    return Fault(raw["key"], raw["name"], raw["short"], raw["fix"], tuple(raw["patterns"]), raw["tried"],
                 raw["complaint"], dict(raw["facts"]))


@lru_cache(maxsize=1)
def load_topics() -> dict[str, Topic]:
    """Global topics, in matching order. 'tried' and 'when' are answered from the customer's details unless a
    fault says more."""
    return {key: _topic(raw) for key, raw in read_data("topics.json").items()}


@lru_cache(maxsize=1)
def load_products() -> tuple[Product, ...]:
    """The products in manual order, each with its faults in manual order."""
    faults: dict[str, list[Fault]] = {}
    for raw in read_data("faults.json"):
        faults.setdefault(raw["product"], []).append(_fault(raw))
    return tuple(
        Product(
            key=raw["key"], name=raw["name"], models=tuple(raw["models"]),
            complaints={k: tuple(v) for k, v in raw["complaints"].items()}, tries=tuple(raw["tries"]),
            facts=dict(raw["facts"]), faults=tuple(faults.get(raw["key"], ())),
            complaint_facts={k: dict(v) for k, v in raw["complaint_facts"].items()},
            topics={k: _topic(t) for k, t in raw["topics"].items()}, aliases=dict(raw["aliases"]),
        )
        for raw in read_data("products.json")
    )


@lru_cache(maxsize=1)
def load_vague_openings() -> tuple[str, ...]:
    """Openings that fit every fault of a product (``{product}`` is its name)."""
    return tuple(read_data("customers.json")["vague_openings"])


TOPICS: dict[str, Topic] = load_topics()
GLOBAL_ORDER: tuple[str, ...] = tuple(TOPICS)
PRODUCTS: tuple[Product, ...] = load_products()
PRODUCT_BY_KEY: dict[str, Product] = {p.key: p for p in PRODUCTS}
VAGUE_OPENINGS: tuple[str, ...] = load_vague_openings()


def product_topics(product: Product) -> dict[str, Topic]:
    return {**TOPICS, **product.topics}


def candidates(product: Product, complaint: str) -> list[Fault]:
    """The manual's faults for a complaint (all of them for a vague one), in manual order."""
    return [f for f in product.faults if complaint in (VAGUE, f.complaint)]


def openings(product: Product, complaint: str) -> tuple[str, ...]:
    if complaint == VAGUE:
        return tuple(w.format(product=product.name) for w in VAGUE_OPENINGS)
    return tuple(product.complaints[complaint])


def complaint_of(product: Product, opening: str) -> str | None:
    """The complaint key of an opening wording (``VAGUE`` for the vague ones), or None."""
    for key in (*product.complaints, VAGUE):
        if opening in openings(product, key):
            return key
    return None
