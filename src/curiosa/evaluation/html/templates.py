"""The page template, CSS and viewer files shipped as package data under ``templates/``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

TEMPLATE_FILES = ("page.html", "report.css", "viewer.html", "viewer.js")
"""Every file under templates/ the reports use."""


@lru_cache(maxsize=None)
def read_template(name: str) -> str:
    """The text of ``templates/<name>``, read once per process."""
    if name not in TEMPLATE_FILES:
        raise KeyError(f"unknown report template {name!r}; known: {', '.join(TEMPLATE_FILES)}")
    return (resources.files("curiosa.evaluation.html") / "templates" / name).read_text(encoding="utf-8")
