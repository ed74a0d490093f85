"""The catalogue of secrets: categories, their yes/no attributes and their entities.

The data live in ``data/catalogue/`` (the format is described in docs/games.md): ``index.json``
lists the categories in order, ``attributes.json`` the ways of asking about each attribute, and one
file per category gives each attribute's default answer and, for every entity, only the answers
that differ from those defaults. The loader expands them into a full yes/no table per entity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from curiosa.envs.twenty_questions.normalise import normalise

CATALOGUE_DIR = Path(__file__).resolve().parent / "data" / "catalogue"


@dataclass
class Entity:
    """One possible secret: its names and its answer to every attribute of its category."""

    id: str
    name: str
    aliases: tuple[str, ...]
    values: dict[str, bool]
    """Attribute id -> answer, for every attribute of the category (in the category's order)."""
    category: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Category:
    """A category announced to the player, with the attributes its questions can be about."""

    id: str
    name: str
    noun: str
    attributes: tuple[str, ...]
    entities: tuple[Entity, ...]
    questions: dict[str, tuple[str, ...]]
    """Attribute id -> ways of asking it (the first is canonical unless ``canonical`` rewords it)."""
    canonical: dict[str, str]
    """Attribute id -> the category's own wording of the question, where the shared one reads oddly."""
    other_names: tuple[str, ...] = ()
    """Other words for the category itself ("job" for professions): "Is it a job?" is answered yes."""

    def entity(self, entity_id: str) -> Entity:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(f"no entity {entity_id!r} in category {self.id!r}")

    def canonical_question(self, attr: str) -> str:
        """The question the scripted players ask about ``attr``."""
        return self.canonical.get(attr) or self.questions[attr][0]


@dataclass
class Catalogue:
    """Every category, plus a name index across them (a guess may name an entity of another category)."""

    categories: dict[str, Category]
    global_names: dict[str, Entity]
    """Every name key of every entity (the first category listing it wins)."""

    def entity(self, category: str, entity_id: str) -> Entity:
        return self.categories[category].entity(entity_id)


def name_keys(label: str) -> set[str]:
    """Normalised forms of an entity name that count as naming it (with and without a plural s)."""
    base = normalise(label)
    keys = {base, base.replace(" ", "")}
    if base.endswith("s") and len(base) > 3:
        keys.add(base[:-1])
    else:
        keys.add(base + "s")
        if base.endswith(("ch", "sh", "x", "o")):
            keys.add(base + "es")
        if base.endswith("y") and len(base) > 3:
            keys.add(base[:-1] + "ies")
    return {k for k in keys if k}


def _read_json(name: str) -> Any:
    return json.loads((CATALOGUE_DIR / name).read_text(encoding="utf-8"))


def _category(raw: Mapping[str, Any], questions: Mapping[str, list[str]]) -> Category:
    defaults: dict[str, bool] = raw["defaults"]
    entities = []
    for ent in raw["entities"]:
        unknown = set(ent["values"]) - set(defaults)
        if unknown:
            raise ValueError(f"{raw['id']}/{ent['id']}: attributes {sorted(unknown)} are not in the category")
        values = {attr: ent["values"].get(attr, default) for attr, default in defaults.items()}
        entities.append(Entity(ent["id"], ent["name"], tuple(ent["aliases"]), values, raw["id"]))
    return Category(raw["id"], raw["name"], raw["noun"], tuple(defaults), tuple(entities),
                    {attr: tuple(questions[attr]) for attr in defaults}, dict(raw["canonical"]),
                    tuple(raw["other_names"]))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The packaged catalogue, loaded once."""
    questions = _read_json("attributes.json")["attributes"]
    categories: dict[str, Category] = {}
    global_names: dict[str, Entity] = {}
    for cat_id in _read_json("index.json")["categories"]:
        cat = _category(_read_json(f"{cat_id}.json"), questions)
        categories[cat.id] = cat
        for ent in cat.entities:
            for label in ent.names:
                for key in name_keys(label):
                    global_names.setdefault(key, ent)
    return Catalogue(categories, global_names)


def category_by_name(name: str) -> Category | None:
    """The category announced as ``name`` (its display name or id)."""
    for cat in catalogue().categories.values():
        if name.strip().lower() in (cat.name, cat.id):
            return cat
    return None


def catalogue_stats() -> Mapping[str, Any]:
    """Sizes of the catalogue: entities, categories, attributes per entity."""
    cats = catalogue().categories.values()
    return {
        "categories": len(cats),
        "entities": sum(len(c.entities) for c in cats),
        "min_attributes_per_entity": min(len(c.attributes) for c in cats),
        "max_attributes_per_entity": max(len(c.attributes) for c in cats),
    }
