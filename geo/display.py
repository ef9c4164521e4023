"""Notebook display of an :class:`~geo.model.Analysis` (``Analysis._repr_html_``).

By default a summary: counts, then tables of places and events (all text HTML-escaped). :mod:`maps`
registers a renderer with :func:`register_html_renderer` when its renderer module is imported, and the
display is then the map itself; ``geo`` never imports :mod:`maps`.

Examples
--------
>>> from geo.model import Analysis, Document
>>> html = summary_html(Analysis(document=Document(text="", source="<b>x</b>")))
>>> "&lt;b&gt;x&lt;/b&gt;" in html and "0 places" in html
True
"""

from __future__ import annotations

import html
from collections.abc import Callable

from .model import Analysis

__all__ = ["HtmlRenderer", "register_html_renderer", "registered_renderer", "repr_html", "summary_html"]

#: A function drawing an analysis as HTML for a notebook cell.
HtmlRenderer = Callable[[Analysis], str]

_RENDERER: list[HtmlRenderer] = []


def register_html_renderer(fn: HtmlRenderer | None) -> None:
    """Make ``fn`` the notebook display of every :class:`~geo.model.Analysis` (``None``: the summary).

    Examples
    --------
    >>> before = registered_renderer()
    >>> register_html_renderer(lambda analysis: "<div>map</div>")
    >>> from geo.model import Analysis, Document
    >>> repr_html(Analysis(document=Document(text="", source="x")))
    '<div>map</div>'
    >>> register_html_renderer(before)
    """
    _RENDERER.clear()
    if fn is not None:
        _RENDERER.append(fn)


def registered_renderer() -> HtmlRenderer | None:
    """The renderer registered with :func:`register_html_renderer`, if any."""
    return _RENDERER[0] if _RENDERER else None


def _e(value: object) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def summary_html(analysis: Analysis) -> str:
    """A summary table of ``analysis``: counts, places and events, every piece of text escaped."""
    doc = analysis.document
    title = doc.title or doc.source or "Analysis"
    counts = (
        f"{len(analysis.places)} places · {len(analysis.events)} events · "
        f"{len(analysis.rings)} range rings · "
        f"{len(analysis.routes)} routes"
    )
    places = "".join(
        f"<tr><td>{_e(p.name)}</td><td>{_e(p.feature)}</td><td>{_e(p.country_code)}</td>"
        f"<td>{p.lat:.4f}, {p.lon:.4f}</td><td>{_e(p.gazetteer_id)}</td><td>{len(p.mentions)}</td></tr>"
        for p in analysis.places
    )
    events = "".join(
        f"<tr><td>{_e(e.id)}</td><td>{_e(e.type)}</td><td>{_e(e.factuality.status)}</td>"
        f"<td>{_e('; '.join(f'{p.role}: {p.name}' for p in e.places))}</td>"
        f"<td>{_e(e.evidence[0].sentence if e.evidence else '')}</td></tr>"
        for e in analysis.events
    )
    parts = [f"<div class='sitmap-analysis'><b>{_e(title)}</b><br><small>{_e(counts)}</small>"]
    if places:
        parts.append(
            "<table><tr><th>place</th><th>feature</th><th>country</th><th>lat, lon</th><th>gazetteer id</th>"
            f"<th>mentions</th></tr>{places}</table>"
        )
    if events:
        parts.append(
            "<table><tr><th>id</th><th>event</th><th>factuality</th><th>places</th><th>sentence</th></tr>"
            f"{events}</table>"
        )
    parts.extend(f"<div>⚠ {_e(w)}</div>" for w in analysis.warnings)
    parts.append("</div>")
    return "".join(parts)


def repr_html(analysis: Analysis) -> str:
    """The notebook display: the registered renderer's HTML (the map), else :func:`summary_html`."""
    fn = registered_renderer()
    return fn(analysis) if fn is not None else summary_html(analysis)
