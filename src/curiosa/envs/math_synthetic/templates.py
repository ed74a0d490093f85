"""Word problems: their texts (``data/templates.json``), and per template the code that draws its numbers and solves it.

A template's text has word placeholders (``{name}``, ``{item}``, ``{thing}``, filled from
``data/words.json``) and one-letter number placeholders (``{a}``..``{e}``, ``{n}``, ``{p}``, ``{q}``)
filled by the template's number generator. The solver works from the numbers alone, step by step
through :class:`Work`, so the same function gives the stored answer and the scripted player's working.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from curiosa.envs.math_synthetic.sampling import draw
from curiosa.envs.math_synthetic.work import Work

DATA = Path(__file__).parent / "data"
TEMPLATES_FILE = DATA / "templates.json"
WORDS_FILE = DATA / "words.json"
WORD_PLACEHOLDERS = ("name", "item", "thing")

Numbers = dict[str, Fraction]
"""The numbers of a word problem by placeholder name (``{"a": 12, "b": 3}``)."""
DrawNumbers = Callable[[np.random.Generator, int], dict[str, int]]
"""Draws a template's numbers for a level."""
Solver = Callable[[Work, Numbers], Fraction]
"""Works out a template's answer from its numbers."""

NUMBER_GENERATORS: dict[str, DrawNumbers] = {}
"""Template key -> its number generator (filled by the ``@_numbers`` decorations below)."""
SOLVERS: dict[str, Solver] = {}
"""Template key -> its solver (filled by the ``@_solution`` decorations below)."""


@dataclass(frozen=True)
class Template:
    """A word problem: text with ``{name}``/``{item}``/``{thing}`` words and one-letter numbers ``{a}``..``{e}``."""

    key: str
    family: str
    levels: tuple[int, ...]
    text: str
    generate: DrawNumbers
    solve: Solver
    fractions: bool = False
    """The answer may be a fraction (else it must be a whole number)."""

    @property
    def pattern(self) -> re.Pattern[str]:
        """Matches exactly the texts this template fills in (a repeated placeholder must repeat its value)."""
        return _template_regex(self.text)

    @property
    def placeholders(self) -> frozenset[str]:
        """The names between braces in the text (words and numbers)."""
        return frozenset(re.findall(r"\{(\w+)\}", self.text))


@lru_cache(maxsize=None)
def _template_regex(text: str) -> re.Pattern[str]:
    out, seen, pos = [], set(), 0
    for m in re.finditer(r"\{(\w+)\}", text):
        out.append(re.escape(text[pos:m.start()]))
        name = m.group(1)
        if name in seen:
            out.append(f"(?P={name})")
        elif len(name) == 1:
            out.append(f"(?P<{name}>\\d+)")
        elif name == "name":
            out.append("(?P<name>[A-Z][a-z]+)")
        else:
            out.append(f"(?P<{name}>[a-z]+)")
        seen.add(name)
        pos = m.end()
    out.append(re.escape(text[pos:]))
    return re.compile("^" + "".join(out) + "$")


@lru_cache(maxsize=1)
def load_templates() -> tuple[Template, ...]:
    """Every template, in the file's order (the order generators pick from and solvers try)."""
    rows: list[dict[str, Any]] = json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))
    return tuple(Template(str(r["key"]), str(r["family"]), tuple(int(v) for v in r["levels"]), str(r["text"]),
                          NUMBER_GENERATORS[r["key"]], SOLVERS[r["key"]], bool(r["fractions"])) for r in rows)


@lru_cache(maxsize=1)
def load_words() -> dict[str, tuple[str, ...]]:
    """The words of the word placeholders: ``{"name": names, "item": items, "thing": things}``."""
    raw = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return {"name": tuple(raw["names"]), "item": tuple(raw["items"]), "thing": tuple(raw["things"])}


def fill(template: Template, rng: np.random.Generator, numbers: Mapping[str, int]) -> str:
    """The template's text with random words and the given numbers."""
    vocabulary = load_words()
    chosen = {key: str(rng.choice(vocabulary[key])) for key in WORD_PLACEHOLDERS}
    return template.text.format(**chosen, **{k: str(v) for k, v in numbers.items()})


# --------------------------------------------------------------------------------------------- code per template
def _numbers(*keys: str) -> Callable[[DrawNumbers], DrawNumbers]:
    """Registers the number generator of the templates ``keys``."""
    def register(function: DrawNumbers) -> DrawNumbers:
        for key in keys:
            NUMBER_GENERATORS[key] = function
        return function
    return register


def _solution(*keys: str) -> Callable[[Solver], Solver]:
    """Registers the solver of the templates ``keys``."""
    def register(function: Solver) -> Solver:
        for key in keys:
            SOLVERS[key] = function
        return function
    return register


def _percent_of(w: Work, n: Fraction, p: Fraction, label: str = "") -> Fraction:
    return w.op(w.op(n, "*", p), "/", 100, label=label)


# one step (levels 1-2)
@_numbers("more")
def _numbers_more(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": draw(rng, 2, 30), "b": draw(rng, 2, 20)}


@_solution("more")
def _solve_more(w: Work, v: Numbers) -> Fraction:
    return w.op(v["a"], "+", v["b"], label="Total: ")


@_numbers("give_away")
def _numbers_give_away(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": draw(rng, 10, 40), "b": draw(rng, 1, 9)}


@_solution("give_away")
def _solve_give_away(w: Work, v: Numbers) -> Fraction:
    return w.op(v["a"], "-", v["b"], label="Left: ")


@_numbers("bags")
def _numbers_bags(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": draw(rng, 2, 9), "b": draw(rng, 2, 12)}


@_solution("bags")
def _solve_bags(w: Work, v: Numbers) -> Fraction:
    return w.op(v["a"], "*", v["b"], label="Total: ")


@_numbers("percent_of")
def _numbers_percent_of(rng: np.random.Generator, level: int) -> dict[str, int]:
    if level == 1:
        return {"p": int(rng.choice([10, 20, 25, 50])), "n": 20 * draw(rng, 1, 10)}
    return {"p": 5 * draw(rng, 1, 19), "n": 20 * draw(rng, 1, 25)}


@_solution("percent_of")
def _solve_percent_of(w: Work, v: Numbers) -> Fraction:
    return _percent_of(w, v["n"], v["p"])


# two steps (levels 2-4)
@_numbers("buy_packs")
def _numbers_buy_packs(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": draw(rng, 2, 40), "b": draw(rng, 2, 9), "c": draw(rng, 3, 15)}


@_solution("buy_packs")
def _solve_buy_packs(w: Work, v: Numbers) -> Fraction:
    return w.op(v["a"], "+", w.op(v["b"], "*", v["c"], label="Bought: "), label="Total: ")


@_numbers("give_friends")
def _numbers_give_friends(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": draw(rng, 30, 120), "b": draw(rng, 2, 9), "c": draw(rng, 2, 8)}


@_solution("give_friends")
def _solve_give_friends(w: Work, v: Numbers) -> Fraction:
    return w.op(v["a"], "-", w.op(v["b"], "*", v["c"], label="Given: "), label="Left: ")


@_numbers("pages")
def _numbers_pages(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": draw(rng, 5, 40), "b": draw(rng, 2, 9), "c": draw(rng, 1, 30)}


@_solution("pages")
def _solve_pages(w: Work, v: Numbers) -> Fraction:
    return w.op(w.op(v["a"], "*", v["b"], label="First days: "), "+", v["c"], label="Total: ")


@_numbers("wages")
def _numbers_wages(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": draw(rng, 8, 30), "b": draw(rng, 2, 10), "c": draw(rng, 5, 60)}


@_solution("wages")
def _solve_wages(w: Work, v: Numbers) -> Fraction:
    return w.op(w.op(v["a"], "*", v["b"], label="Earned: "), "-", v["c"], label="Left: ")


@_numbers("share")
def _numbers_share(rng: np.random.Generator, level: int) -> dict[str, int]:
    children, each = draw(rng, 2, 9), draw(rng, 3, 15)
    return {"a": children * each, "b": children, "c": draw(rng, 1, each - 1)}


@_solution("share")
def _solve_share(w: Work, v: Numbers) -> Fraction:
    each = w.op(v["a"], "/", v["b"], label="Each child gets: ")
    return w.op(each, "-", v["c"], label="Left: ")


@_numbers("price_up")
def _numbers_price_up(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"n": 10 * draw(rng, 2, 40), "p": 5 * draw(rng, 1, 12)}


@_solution("price_up")
def _solve_price_up(w: Work, v: Numbers) -> Fraction:
    return w.op(v["n"], "+", _percent_of(w, v["n"], v["p"], "Increase: "), label="New price: ")


@_numbers("discount")
def _numbers_discount(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"n": 10 * draw(rng, 2, 40), "p": 5 * draw(rng, 1, 14)}


@_solution("discount")
def _solve_discount(w: Work, v: Numbers) -> Fraction:
    return w.op(v["n"], "-", _percent_of(w, v["n"], v["p"], "Discount: "), label="Sale price: ")


@_numbers("what_percent")
def _numbers_what_percent(rng: np.random.Generator, level: int) -> dict[str, int]:
    whole = int(rng.choice([8, 20, 25, 40, 50, 80, 120, 200]))
    return {"a": draw(rng, 1, whole - 1), "b": whole}


@_solution("what_percent")
def _solve_what_percent(w: Work, v: Numbers) -> Fraction:
    return w.op(w.op(v["a"], "/", v["b"], label="Share: "), "*", 100, label="Percent: ")


# three steps and more (levels 4-5)
@_numbers("change")
def _numbers_change(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": draw(rng, 2, 6), "b": draw(rng, 2, 9), "c": draw(rng, 2, 8), "d": draw(rng, 1, 5),
            "e": int(rng.choice([50, 100]))}


@_solution("change")
def _solve_change(w: Work, v: Numbers) -> Fraction:
    notebooks = w.op(v["a"], "*", v["b"], label="Notebooks: ")
    pens = w.op(v["c"], "*", v["d"], label="Pens: ")
    return w.op(v["e"], "-", w.op(notebooks, "+", pens, label="Cost: "), label="Change: ")


@_numbers("savings")
def _numbers_savings(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": draw(rng, 5, 25), "b": draw(rng, 3, 10), "c": draw(rng, 10, 60), "d": draw(rng, 2, 8)}


@_solution("savings")
def _solve_savings(w: Work, v: Numbers) -> Fraction:
    first = w.op(v["a"], "*", v["b"], label="Saved first: ")
    after = w.op(first, "-", v["c"], label="After spending: ")
    return w.op(after, "+", w.op(v["a"], "*", v["d"], label="Saved later: "), label="End: ")


@_numbers("average_speed")
def _numbers_average_speed(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"a": 10 * draw(rng, 3, 12), "b": draw(rng, 1, 5), "c": 10 * draw(rng, 3, 12), "d": draw(rng, 1, 5)}


@_solution("average_speed")
def _solve_average_speed(w: Work, v: Numbers) -> Fraction:
    first = w.op(v["a"], "*", v["b"], label="First distance: ")
    second = w.op(v["c"], "*", v["d"], label="Second distance: ")
    distance = w.op(first, "+", second, label="Distance: ")
    return w.op(distance, "/", w.op(v["b"], "+", v["d"], label="Time: "), label="Average: ")


@_numbers("average_score")
def _numbers_average_score(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {k: draw(rng, 3, 40) for k in "abcd"}


@_solution("average_score")
def _solve_average_score(w: Work, v: Numbers) -> Fraction:
    total = v["a"]
    for key in "bcd":
        total = w.op(total, "+", v[key], label="Sum: ")
    return w.op(total, "/", 4, label="Average: ")


@_numbers("tank")
def _numbers_tank(rng: np.random.Generator, level: int) -> dict[str, int]:
    drain = draw(rng, 1, 8)
    return {"a": 10 * draw(rng, 5, 40), "b": drain + draw(rng, 1, 9), "c": drain}


@_solution("tank")
def _solve_tank(w: Work, v: Numbers) -> Fraction:
    return w.op(v["a"], "/", w.op(v["b"], "-", v["c"], label="Net rate: "), label="Minutes: ")


@_numbers("two_changes")
def _numbers_two_changes(rng: np.random.Generator, level: int) -> dict[str, int]:
    return {"n": 20 * draw(rng, 1, 20), "p": 5 * draw(rng, 1, 10), "q": 5 * draw(rng, 1, 10)}


@_solution("two_changes")
def _solve_two_changes(w: Work, v: Numbers) -> Fraction:
    risen = w.op(v["n"], "+", _percent_of(w, v["n"], v["p"], "Rise: "), label="After rise: ")
    return w.op(risen, "-", _percent_of(w, risen, v["q"], "Fall: "), label="Final: ")


@_numbers("before_discount")
def _numbers_before_discount(rng: np.random.Generator, level: int) -> dict[str, int]:
    percent, original = 5 * draw(rng, 1, 16), 20 * draw(rng, 2, 40)
    return {"p": percent, "n": original * (100 - percent) // 100}


@_solution("before_discount")
def _solve_before_discount(w: Work, v: Numbers) -> Fraction:
    share = w.op(w.op(100, "-", v["p"], label="Percent paid: "), "/", 100, label="Share paid: ")
    return w.op(v["n"], "/", share, label="Before: ")
