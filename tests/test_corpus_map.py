"""The corpus map (maps.corpus_map): structure, escaping, and behaviour in real headless Chromium."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pandas as pd
import pytest

from maps.browser import chromium_path, inspect_page, playwright_available
from maps.corpus_map import corpus_data, render_corpus
from maps.standalone import external_references

HOSTILE = "</script><img src=x onerror=alert(1)> {{ 7*7 }} ${x} `y` <!-- & \u2028 end"


def _event(doc: str, place: dict[str, Any], date: str | None, **kw: Any) -> dict[str, Any]:
    return {
        "kind": "event",
        "doc_id": doc,
        "event_id": f"{doc}#e1",
        "event_type": "STRIKE",
        "factuality": "asserted",
        "actors": "Russia",
        "date": date,
        "role": "target",
        "sentence": f"Russia struck {place['name']} ({doc}).",
        **place,
        **kw,
    }


ODESA = {"name": "Odesa", "lat": 46.48, "lon": 30.73, "precision": "city", "gazetteer_id": "gn:698740"}
KHARKIV = {"name": "Kharkiv", "lat": 49.99, "lon": 36.23, "precision": "city", "gazetteer_id": "gn:706483"}
UKRAINE = {"name": "Ukraine", "lat": 49.0, "lon": 32.0, "precision": "country", "gazetteer_id": "gn:690791"}


def corpus_rows() -> pd.DataFrame:
    rows: list[dict[str, Any]] = [{"kind": "document", "doc_id": d} for d in "abcde"]
    rows += [
        _event("a", ODESA, "2023-07-20", url="https://news.test/a", title="Odesa hit"),
        _event("b", ODESA, "2023-07-21", url="javascript:alert(1)", title=HOSTILE),
        _event("c", KHARKIV, "2023-09-01"),
        _event("d", UKRAINE, "2023-09-02", event_type="DEPLOYMENT", sentence=HOSTILE),
        _event("e", ODESA, None, event_type="WEAPONS_TEST", factuality="possible"),
    ]
    rows += [
        {"kind": "toponym", "doc_id": d, "feature": "city", "country_code": "UA", "sentence": "s", **ODESA}
        for d in "abe"
    ]
    return pd.DataFrame(rows)


def test_data_merges_and_summarises() -> None:
    data = corpus_data(corpus_rows(), title="Black Sea", window_days=7)
    assert data["title"] == "Black Sea"
    assert data["summary"] == "5 documents · 4 events (1 reported by several documents) · 1 place"
    merged = next(e for e in data["events"] if e["documents"] == 2)
    assert [s["doc"] for s in merged["sources"]] == ["a", "b"]
    assert (merged["start"], merged["end"]) == ("2023-07-20", "2023-07-21")
    assert [p["area"] for e in data["events"] for p in e["places"]].count(True) == 1  # Ukraine
    assert data["legend"] == ["DEPLOYMENT", "STRIKE", "WEAPONS_TEST"]
    assert "within 7 days" in data["method"]


def test_page_is_standalone_and_escapes_article_text() -> None:
    html = render_corpus(corpus_rows()).get_root().render()
    assert external_references(html) == []
    assert "/* Leaflet.markercluster 1.5.3 (MIT) */" in html and "Leaflet.heat" not in html
    assert "Copyright 2012 David Leaver" in html  # markercluster's licence travels with its code
    assert "<img src=x" not in html and "</script><img" not in html
    # the hostile text survives as data: JSON with <, > and & escaped, never compiled as a template
    payload = re.search(r'<script type="application/json" id="sitmap-corpus-data">(.*?)</script>', html)
    assert payload is not None and "<" not in payload.group(1)
    data = json.loads(payload.group(1))
    assert HOSTILE in [s["title"] for e in data["events"] for s in e["sources"]]
    assert HOSTILE in [s["sentence"] for e in data["events"] for s in e["sources"]]


def test_heatmap_is_optional() -> None:
    html = render_corpus(corpus_rows(), heatmap=True).get_root().render()
    assert "/* Leaflet.heat 0.2.0" in html and '"heatmap": true' in html


def test_rows_without_kind_are_refused() -> None:
    from geo.errors import InputError

    with pytest.raises(InputError, match="kind"):
        corpus_data(pd.DataFrame([{"doc_id": "a"}]))


def test_empty_corpus_draws_an_empty_map() -> None:
    html = render_corpus(pd.DataFrame([{"kind": "document", "doc_id": "a"}])).get_root().render()
    assert "1 document · 0 events · 0 places" in html


_BROWSER_MISSING = [
    what
    for what, ok in (("chromium", chromium_path() is not None), ("playwright", playwright_available()))
    if not ok
]


@pytest.mark.browser
@pytest.mark.skipif(bool(_BROWSER_MISSING) and not os.environ.get("CI"), reason="no headless browser")
def test_corpus_map_in_chromium(tmp_path) -> None:
    page = tmp_path / "corpus.html"
    page.write_text(render_corpus(corpus_rows(), heatmap=True).get_root().render(), encoding="utf-8")
    report = inspect_page(
        page,
        png=tmp_path / "corpus.png",
        expressions={
            "all": "window.sitmap.layers.events.getLayers().length",
            "areas": "window.sitmap.layers.areas.getLayers().length",
            "places": "window.sitmap.layers.places.getLayers().length",
            "heat": "window.sitmap.layers.heat._latlngs.length",
            "info": "document.querySelector('.sc-info').textContent",
            "sliders": "document.querySelectorAll('.sc-panel input[type=range]').length",
            # open the merged Odesa strike: every source, the hostile title as text, no javascript: link
            "popup": """(() => {
                const it = window.sitmap.items.find(i => i.event.documents === 2);
                const content = it.marker.getPopup()._content;  // built on opening, from the data
                const pop = typeof content === 'function' ? content(it.marker) : content;
                return {text: pop.textContent, links: [...pop.querySelectorAll('a')].map(a => a.href),
                        imgs: pop.querySelectorAll('img').length};
            })()""",
            # September only, undated hidden
            "filtered": """(() => {
                const s = window.sitmap.state;
                s.from = Date.parse('2023-08-15T00:00:00Z'); s.to = Date.parse('2023-09-30T00:00:00Z');
                s.undated = false; window.sitmap.update();
                return [window.sitmap.layers.events.getLayers().length,
                        window.sitmap.layers.areas.getLayers().length,
                        window.sitmap.layers.heat._latlngs.length];
            })()""",
        },
    )
    assert report.errors == () and report.external == ()
    v = report.values
    assert (v["all"], v["areas"], v["places"], v["heat"]) == (3, 1, 1, 3)
    assert v["sliders"] == 2 and "Showing 4 of 4 events" in v["info"]
    assert "Reported in 2 documents" in v["popup"]["text"] and HOSTILE in v["popup"]["text"]
    assert v["popup"]["links"] == ["https://news.test/a"] and v["popup"]["imgs"] == 0
    assert v["filtered"] == [1, 1, 1]  # Kharkiv; Ukraine (area); the heatmap has only the point event
    assert (tmp_path / "corpus.png").stat().st_size > 10_000


def test_a_country_mark_sits_on_its_land_not_on_its_capital() -> None:
    # GeoNames puts Japan at Tokyo; a Japan-level mark goes on Honshu's middle, away from Tokyo's own pins
    japan = {
        "name": "Japan",
        "lat": 35.68536,
        "lon": 139.75309,
        "precision": "country",
        "gazetteer_id": "gn:1861060",
    }
    rows = [{"kind": "document", "doc_id": "a"}, _event("a", japan, "2023-07-20", country_code="JP")]
    rows.append(
        {
            "kind": "toponym",
            "doc_id": "a",
            "feature": "country",
            "country_code": "JP",
            "sentence": "s",
            **japan,
        }
    )
    data = corpus_data(pd.DataFrame(rows))
    marks = [(p["lat"], p["lon"]) for p in data["places"]] + [
        (p["lat"], p["lon"]) for e in data["events"] for p in e["places"]
    ]
    assert marks and all(34.0 < lat < 39.0 and 136.0 < lon < 139.0 for lat, lon in marks)
