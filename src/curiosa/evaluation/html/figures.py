"""Figures of a report: drawn with matplotlib to PNG, embedded in the page and written as files."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from curiosa.evaluation.html.markup import escape, section


@dataclass
class Figure:
    name: str
    """File name under the run's figures/ folder."""
    caption: str
    png: bytes


def new_figure(width: float, height: float, rows: int = 1, cols: int = 1) -> tuple[Any, Any]:
    """A figure drawn with the Agg canvas directly: no pyplot, so no global backend is switched."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots(rows, cols, squeeze=False)


def png_bytes(fig: Any) -> bytes:
    """The figure as PNG, without the software tag so the same figure gives the same bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def error_bars(rows: Sequence[Mapping[str, Any] | None], heights: Sequence[float], key: str) -> list[list[float]]:
    """Distances from each bar to its interval's ends (0 where there is no bar or no interval)."""
    lows, highs = [], []
    for row, height in zip(rows, heights):
        interval = row.get(key) if row is not None else None
        ok = interval is not None and height == height
        lows.append(max(0.0, height - interval[0]) if ok else 0.0)  # type: ignore[index]
        highs.append(max(0.0, interval[1] - height) if ok else 0.0)  # type: ignore[index]
    return [lows, highs]


def write_figures(draw: Callable[[], list[Figure]], folder: Path, notes: list[str]) -> list[Figure]:
    """The figures ``draw()`` makes, also written as PNG files to ``folder``.

    Without matplotlib the report still gets written: no figures, and a note that says why.
    """
    try:
        figures = draw()
    except ImportError:
        notes.append("matplotlib is not installed: the report has no figures (pip install matplotlib).")
        return []
    if figures:
        folder.mkdir(parents=True, exist_ok=True)
    for figure in figures:
        (folder / figure.name).write_bytes(figure.png)
    return figures


def figures_section(figures: Sequence[Figure]) -> str:
    """The figures as data URIs (the page needs no file next to it), captions naming their files."""
    if not figures:
        return ""
    items = []
    for f in figures:
        data = base64.b64encode(f.png).decode("ascii")
        items.append(f'<figure><img alt="{escape(f.caption)}" src="data:image/png;base64,{data}">'
                     f"<figcaption>{escape(f.caption)} ({escape('figures/' + f.name)})</figcaption></figure>")
    return section("figures", "Figures", "".join(items))
