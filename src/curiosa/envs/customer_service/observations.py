"""Reading the game's text back: what a player (scripted or not) can learn from the instruction and replies."""

from __future__ import annotations

import re

from curiosa.envs.customer_service.manual import PRODUCTS, Product, complaint_of

_PRODUCT_LINE = re.compile(r"^Product: (?P<product>.+?) \((?P<details>.*)\)$", re.MULTILINE)
_OPENING_LINE = re.compile(r'^(?P<name>\w+) says: "(?P<opening>.*)"$', re.MULTILINE)
_PRODUCT_BY_NAME = {p.name: p for p in PRODUCTS}


def parse_instruction(instruction: str) -> tuple[Product, str, str] | None:
    """(product, complaint key, customer name) stated in the instruction, or None."""
    pm, om = _PRODUCT_LINE.search(instruction), _OPENING_LINE.search(instruction)
    if not pm or not om or pm.group("product") not in _PRODUCT_BY_NAME:
        return None
    product = _PRODUCT_BY_NAME[pm.group("product")]
    complaint = complaint_of(product, om.group("opening"))
    if complaint is None:
        return None
    return product, complaint, om.group("name")


def parse_customer(observation: str, name: str) -> str | None:
    """The customer's words in an observation (its first line, after '<name>: '), or None."""
    first = observation.split("\n", 1)[0]
    prefix = f"{name}: "
    return first[len(prefix):] if first.startswith(prefix) else None
