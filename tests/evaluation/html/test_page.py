import re
import tomllib
from importlib import resources
from pathlib import Path, PurePosixPath
from string import Template

import pytest

from curiosa.evaluation.html.markup import escape, section, table
from curiosa.evaluation.html.page import render_page, write_page
from curiosa.evaluation.html.templates import TEMPLATE_FILES, read_template

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDERS = {"title", "css", "body", "data", "script"}
LEFTOVER = re.compile(r"\$\{?[A-Za-z_]\w*\}?|\{[A-Za-z_]\w*\}")


def templates_dir():
    return resources.files("curiosa.evaluation.html") / "templates"


def test_every_template_file_ships_with_the_package():
    folder = templates_dir()
    found = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert found == sorted(TEMPLATE_FILES), "templates/ holds exactly the files the reports read"
    for name in TEMPLATE_FILES:
        assert (folder / name).is_file() and read_template(name).strip(), name
    # the wheel carries them: pyproject's package-data globs cover every template file
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["curiosa"]
    for name in TEMPLATE_FILES:
        path = PurePosixPath("evaluation/html/templates") / name
        assert any(path.match(g) for g in globs), (name, globs)


def test_unknown_template_is_an_error():
    with pytest.raises(KeyError, match="unknown report template"):
        read_template("nope.html")


def test_page_template_has_exactly_the_placeholders_the_page_fills():
    text = read_template("page.html")
    names = {m.group("named") or m.group("braced") for m in Template.pattern.finditer(text)}
    assert names == PLACEHOLDERS
    assert "{" not in text and "}" not in text  # no str.format leftovers


@pytest.mark.parametrize("data", ['<script type="application/json" id="episode-data">{"episodes":[]}</script>', ""])
def test_a_page_renders_with_every_placeholder_filled(data):
    sections = [section("results", "Results", table(["a", "b"], [["1", "2"], ["total", "3"]]))]
    page = render_page("Run <&>", sections, data)
    # the CSS and the script legitimately hold braces; everything else must be filled
    rest = page.replace(read_template("report.css"), "").replace(read_template("viewer.js"), "")
    assert not LEFTOVER.search(rest), LEFTOVER.search(rest)
    assert "<title>Run &lt;&amp;&gt;</title>" in page and "<h1>Run &lt;&amp;&gt;</h1>" in page
    assert sections[0] in page
    assert f"<style>\n{read_template('report.css')}</style>" in page
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    if data:
        assert data in page and f"<script>\n{read_template('viewer.js')}</script>" in page
    else:
        assert "<script></script>" in page and "episode-data" not in page


def test_text_that_looks_like_a_placeholder_is_kept_as_it_is():
    body = "<p>$title ${css} {body}</p>"
    page = render_page("$data", [body], "")
    assert body in page and "<title>$data</title>" in page


def test_write_page_writes_report_html(tmp_path):
    out = write_page(tmp_path, "t", [], "")
    assert out == tmp_path / "report.html" and out.read_text(encoding="utf-8") == render_page("t", [], "")
    assert not list(tmp_path.glob("*.tmp"))


def test_markup_escapes_every_cell_and_marks_the_total_row():
    html = table(["<h>"], [["a&b"], ["total"]])
    assert html == ('<table><thead><tr><th>&lt;h&gt;</th></tr></thead><tbody><tr><td>a&amp;b</td></tr>'
                    '<tr class="total"><td>total</td></tr></tbody></table>')
    assert '<tr class="total">' not in table(["h"], [["x"]], last_is_total=False)
    assert escape('"q" \'a\'') == "&quot;q&quot; &#x27;a&#x27;"
