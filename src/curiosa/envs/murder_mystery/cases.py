"""The case generator of murder_mystery: deterministic cases built from the tables of ``tables.py``.

Every case is built from ``stable_rng("murder_mystery", "case", index)`` alone, so it is the same on
every machine. A case holds one killer among 3-6 suspects. Each suspect claims to have been somewhere
between nine and ten, and the claim names how to check it:

* ``search``: something left at the claimed place (search the place);
* ``item``: an item that records the claim (examine the item: camera, sketchbook...);
* ``witness``: another suspect who was there too (ask that suspect about the claimant).

Checking an innocent's claim yields "This confirms X's alibi."; checking the killer's yields "This
contradicts X's alibi." Some cases add shortcuts (the weapon carries a trace of the killer, or the
killer dropped something beside the body) and red herrings (motives, innocent suspects with motives,
harmless suspicious finds). Every clue sentence ends with one of the fixed forms of ``evidence.py``.
"""

from __future__ import annotations

import itertools
import json
from functools import lru_cache
from typing import Any

import numpy as np

from curiosa.envs.murder_mystery.evidence import CONFIRM, CONTRADICT, LINKED, MOTIVATED, PLACED, SUSPECTED
from curiosa.envs.murder_mystery.tables import (
    CAUSES, DENIALS, FEMALE_FIRST, FILLERS, ITEM_ALIBIS, LINKS, MALE_FIRST, MOTIVE_CARRIERS, MOTIVES, OCCUPATIONS,
    ON_WORDS, PLAIN_TITLES, PRONOUNS, SCENE_DROPS, SEARCH_ALIBIS, SETTINGS, SURNAMES, SUSPICIONS, USE_MARKS,
    VICTIM_FEMALE, VICTIM_MALE, VICTIM_SURNAMES, VICTIM_TITLES, WEAPONS, WITNESS_ACTIVITIES,
)
from curiosa.envs.task import distinct_draws, stable_rng

GROUP = "murder_mystery"
N_TRAIN, N_TEST = 1000, 200
P_WEAPON_LINK = 0.4
"""Chance that the weapon carries a trace of the killer."""
P_SCENE_CLUE = 0.25
"""Chance that the killer dropped something beside the body."""


def preposition(place: str) -> str:
    """'on' for decks, stages and terraces, 'in' otherwise."""
    return "on" if place.split()[-1] in ON_WORDS else "in"


def _pick(rng: np.random.Generator, items: list[Any]) -> Any:
    return items[int(rng.integers(len(items)))]


def _sample(rng: np.random.Generator, items: list[Any], k: int) -> list[Any]:
    return [items[i] for i in rng.permutation(len(items))[:k]]


def display(s: dict[str, Any]) -> str:
    return f"{s['title']} {s['last']}"


def _people(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    lasts = _sample(rng, SURNAMES, n)
    occupations = _sample(rng, OCCUPATIONS, n)
    used_first: set[str] = set()
    people = []
    for last, (occupation, forced) in zip(lasts, occupations):
        gender = "m" if rng.random() < 0.5 else "f"
        pool = [f for f in (MALE_FIRST if gender == "m" else FEMALE_FIRST) if f not in used_first]
        first = _pick(rng, pool)
        used_first.add(first)
        title = forced or _pick(rng, PLAIN_TITLES[gender])
        people.append({"title": title, "first": first, "last": last, "gender": gender, "occupation": occupation})
    return people


def generate_case(index: int) -> dict[str, Any]:
    """The hidden state of case ``index`` (JSON-serialisable)."""
    rng = stable_rng(GROUP, "case", index)
    setting = _pick(rng, SETTINGS)
    staff = setting["staff"]
    n = int(rng.integers(3, 7))
    suspects = _people(rng, n)
    names = [display(s) for s in suspects]
    vg = "m" if rng.random() < 0.5 else "f"
    victim = {"title": _pick(rng, VICTIM_TITLES[vg]), "first": _pick(rng, VICTIM_MALE if vg == "m" else VICTIM_FEMALE),
              "last": _pick(rng, VICTIM_SURNAMES), "gender": vg, "role": setting["role"]}
    culprit = int(rng.integers(n))
    innocents = [i for i in range(n) if i != culprit]

    # --- how each claim can be checked
    order = [innocents[i] for i in rng.permutation(len(innocents))]
    pairs: list[tuple[int, int]] = []
    if len(order) >= 2 and rng.random() < 0.45:
        pairs.append((order.pop(), order.pop()))
        if len(order) >= 2 and rng.random() < 0.3:
            pairs.append((order.pop(), order.pop()))
    check: dict[int, str] = {}
    for a, b in pairs:
        check[a] = check[b] = "witness"
    r = rng.random()
    check[culprit] = "witness" if (r < 0.3 and order) else ("item" if r < 0.6 else "search")
    n_items = int(check[culprit] == "item")
    for i in order:
        if n_items < 2 and rng.random() < 0.3:
            check[i] = "item"
            n_items += 1
        else:
            check[i] = "search"

    # --- places: the scene plus one distinct claimed place per unpaired suspect and per pair
    claim_groups: list[list[int]] = [[a, b] for a, b in pairs] + [[i] for i in [culprit] + order]
    n_places = max(int(rng.integers(5, 8)), len(claim_groups) + 1)
    places = _sample(rng, setting["places"], n_places)
    scene = places[0]
    claimed: dict[int, str] = {}
    for group, place in zip(claim_groups, places[1:]):
        for i in group:
            claimed[i] = place

    # --- statements and alibi clues
    clues: list[dict[str, Any]] = []

    def add(action: str, target: str, kind: str, suspect: int | None, text: str, about: str | None = None) -> None:
        assert not any((c["action"], c["target"], c["about"]) == (action, target, about) for c in clues), index
        who = names[suspect] if suspect is not None else None
        cid = f"{kind}-{suspects[suspect]['last'].lower()}" if suspect is not None else kind
        clues.append({"id": cid, "action": action, "target": target, "about": about, "kind": kind, "suspect": who,
                      "text": text})

    search_templates = _sample(rng, SEARCH_ALIBIS, len(SEARCH_ALIBIS))
    item_names = _sample(rng, list(ITEM_ALIBIS), len(ITEM_ALIBIS))
    witness_acts = _sample(rng, WITNESS_ACTIVITIES, len(WITNESS_ACTIVITIES))
    alibi_items: list[str] = []
    statements: dict[int, str] = {}
    witness_for_culprit: int | None = None
    checks: dict[int, str] = {}

    def fill(text: str, who: int, place: str) -> str:
        return text.format(N=names[who], P=place, staff=staff, Staff=staff[0].upper() + staff[1:])

    for who in range(n):
        place = claimed[who]
        opening = f"I was {preposition(place)} the {place} from nine until ten"
        verdict = CONTRADICT if who == culprit else CONFIRM
        outcome = "contradict" if who == culprit else "confirm"
        if check[who] == "search":
            t = search_templates.pop()
            statements[who] = f"{opening}, {t['activity']}. {t['hint']}"
            add("search", place, outcome, who, fill(t[outcome], who, place) + " " + verdict.format(N=names[who]))
            checks[who] = place
        elif check[who] == "item":
            item = item_names.pop()
            t = ITEM_ALIBIS[item]
            alibi_items.append(item)
            statements[who] = f"{opening}, {t['activity']}. {t['hint']}"
            add("examine", item, outcome, who, fill(t[outcome], who, place) + " " + verdict.format(N=names[who]))
            checks[who] = item
        elif who == culprit:
            witness_for_culprit = _pick(rng, order)
            act = witness_acts.pop().format(W=names[witness_for_culprit])
            statements[who] = f"{opening}, {act}."
            checks[who] = names[witness_for_culprit]
    testimony: dict[int, dict[str, str]] = {i: {} for i in range(n)}
    for a, b in pairs:
        act = witness_acts.pop()
        where = f"{preposition(claimed[a])} the {claimed[a]}"
        for x, y in ((a, b), (b, a)):
            statements[x] = f"I was {where} from nine until ten, {act.format(W=names[y])}."
            add("question", names[x], "confirm", y, f'{names[x]} says about {names[y]}: "{names[y]} was with me '
                f'{where} from nine until ten and never left the room." ' + CONFIRM.format(N=names[y]), names[y])
            checks[x] = names[y]
    if witness_for_culprit is not None:
        w = witness_for_culprit
        where = f"{preposition(claimed[w])} the {claimed[w]}"
        add("question", names[w], "contradict", culprit,
            f'{names[w]} says about {names[culprit]}: "I did not see {names[culprit]} at all between nine and ten; '
            f'I was {where}." ' + CONTRADICT.format(N=names[culprit]), names[culprit])
        where = f"{preposition(claimed[culprit])} the {claimed[culprit]}"
        testimony[culprit][names[w]] = (f'{names[culprit]} says about {names[w]}: "{names[w]} was with me {where} '
                                        'from nine until ten."')
    for who in range(n):
        denial = _pick(rng, DENIALS)
        if denial:
            statements[who] += " " + denial

    # --- weapon, scene and red herrings
    kind = _pick(rng, list(CAUSES))
    weapons = _sample(rng, WEAPONS[kind], 2)
    weapon = weapons[0]
    items = [weapon] + alibi_items
    use = USE_MARKS[kind]
    if rng.random() < P_WEAPON_LINK:
        link = _pick(rng, LINKS).format(N=names[culprit])
        add("examine", weapon, "link", culprit, f"The {weapon} is the murder weapon: {use}, and {link}. "
            + LINKED.format(I=weapon, N=names[culprit]))
    else:
        add("examine", weapon, "weapon", None,
            f"The {weapon} is the murder weapon: {use}, but it has been wiped clean.")
    extras: dict[str, str] = {}
    if rng.random() < 0.5:
        items.append(weapons[1])
        extras[weapons[1]] = f"The {weapons[1]} is clean; it was not used in the murder."
    if rng.random() < 0.3:
        other = _pick(rng, [k for k in CAUSES if k != kind])
        item = _pick(rng, WEAPONS[other])
        items.append(item)
        extras[item] = f"The {item} has not been used; it has nothing to do with the murder."
    if rng.random() < 0.4:
        filler = _pick(rng, FILLERS)
        items.append(filler)
        extras[filler] = f"The {filler} tells you nothing about the murder."
    if rng.random() < P_SCENE_CLUE:
        drop = _pick(rng, SCENE_DROPS).format(N=names[culprit])
        add("search", scene, "scene", culprit, f"Beside the body you find {drop}. " + PLACED.format(N=names[culprit]))

    motives: dict[int, str] = {}
    motive_texts = _sample(rng, MOTIVES, n)
    herrings = _sample(rng, innocents, int(rng.integers(1, min(2, len(innocents)) + 1)))
    motivated = [culprit] + herrings
    # innocents without motive evidence may still have a (hidden) motive
    for i in range(n):
        if i in motivated or rng.random() < 0.3:
            motives[i] = motive_texts[i].format(his=PRONOUNS[suspects[i]["gender"]]["his"])
    free = [p for p in places[1:] if not any(c["action"] == "search" and c["target"] == p for c in clues)]
    free = _sample(rng, free, len(free))
    carriers = _sample(rng, MOTIVE_CARRIERS, len(MOTIVE_CARRIERS))
    for who in motivated:
        if free and rng.random() < 0.5:
            place = free.pop()
            add("search", place, "motive", who, f"Tucked in a drawer you find papers showing that {names[who]} "
                f"{motives[who]}. " + MOTIVATED.format(N=names[who]))
        else:
            carrier = carriers.pop()
            items.append(carrier)
            add("examine", carrier, "motive", who, f"The {carrier} shows that {names[who]} {motives[who]}. "
                + MOTIVATED.format(N=names[who]))
    if free and rng.random() < 0.5:
        who = _pick(rng, list(range(n)))
        add("search", free.pop(), "suspicion", who, _pick(rng, SUSPICIONS).format(N=names[who])
            + " " + SUSPECTED.format(N=names[who]))

    items = _sample(rng, items, len(items))
    places = _sample(rng, places, len(places))
    people = []
    for i, s in enumerate(suspects):
        people.append({**s, "name": names[i], "claimed_place": claimed[i], "check": check[i], "check_target": checks[i],
                       "statement": statements[i], "testimony": testimony[i], "motive": motives.get(i)})
    case = {
        "setting": setting["name"], "staff": staff, "victim": victim, "cause": kind, "scene": scene,
        "weapon": weapon, "culprit": names[culprit], "suspects": people, "places": places, "items": items,
        "clues": clues, "extras": extras,
    }
    _check(case)
    return case


def _check(case: dict[str, Any]) -> None:
    """Structural solvability: every innocent's claim is confirmed and the killer's contradicted."""
    confirmed = {c["suspect"] for c in case["clues"] if c["kind"] == "confirm"}
    contradicted = {c["suspect"] for c in case["clues"] if c["kind"] == "contradict"}
    names = [s["name"] for s in case["suspects"]]
    assert contradicted == {case["culprit"]}, case
    assert confirmed == set(names) - {case["culprit"]}, case
    assert len(set(case["items"])) == len(case["items"]) and len(set(case["places"])) == len(case["places"])
    words = {w.lower() for p in case["places"] + case["items"] for w in p.replace("'", " ").split()}
    for s in case["suspects"]:
        assert s["last"].lower() not in words and s["first"].lower() not in words, s


@lru_cache(maxsize=1)
def case_pool() -> tuple[dict[str, Any], ...]:
    """``N_TRAIN + N_TEST`` distinct cases, in generation order."""
    index = itertools.count()
    return tuple(distinct_draws(lambda: generate_case(next(index)), N_TRAIN + N_TEST,
                                key=lambda case: json.dumps(case, sort_keys=True)))
