"""HTML pieces of a report page: escaping, tables, sections, and JSON that is safe inside <script>."""

from __future__ import annotations

import html
import json
from typing import Any, Sequence


def escape(value: Any) -> str:
    """``value`` as text for HTML content or a quoted attribute: nothing in it is parsed as markup."""
    return html.escape(str(value), quote=True)


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: '<', '>' and '&' only ever appear as escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def table(header: Sequence[str], rows: Sequence[Sequence[str]], last_is_total: bool = True) -> str:
    """A table of text cells; the last row is styled as a total unless ``last_is_total`` is False."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = ' class="total"' if last_is_total and i == len(rows) - 1 else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
    return f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def section(anchor: str, title: str, body: str) -> str:
    """A titled section of the page; ``body`` is markup already."""
    return f'<section id="{escape(anchor)}"><h2>{escape(title)}</h2>{body}</section>'


def notes_section(notes: Sequence[str]) -> str:
    """What was missing or unreadable in the run (empty when nothing was)."""
    if not notes:
        return ""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return section("notes", "Notes", f'<ul class="notes">{items}</ul>')


def config_section(text: str | None) -> str:
    """The run's config.yaml, collapsed and shown as text (empty when the run has none)."""
    if text is None:
        return ""
    return section("config", "Configuration",
                   f"<details><summary>config.yaml</summary><pre>{escape(text)}</pre></details>")
