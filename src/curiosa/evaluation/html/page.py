"""The page itself: ``templates/page.html`` filled with the sections, the CSS and the viewer."""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Sequence

from curiosa.evaluation.html.markup import escape
from curiosa.evaluation.html.templates import read_template


def render_page(title: str, sections: Sequence[str], data: str) -> str:
    """The page's HTML from its sections (markup) and the viewer's embedded data ('' for none).

    The viewer's script is included only with data: a page without episodes has nothing to run.
    """
    body = f"<header><h1>{escape(title)}</h1></header>" + "".join(sections)
    script = "\n" + read_template("viewer.js") if data else ""
    return Template(read_template("page.html")).substitute(
        title=escape(title), css=read_template("report.css"), body=body, data=data, script=script)


def write_page(root: Path, title: str, sections: Sequence[str], data: str) -> Path:
    """``root/report.html``, written atomically so a reader never sees half a page."""
    out = root / "report.html"
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(render_page(title, sections, data), encoding="utf-8")
    tmp.replace(out)
    return out
