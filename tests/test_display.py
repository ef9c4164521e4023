"""Tests for geo.display: Analysis._repr_html_ is a summary until maps registers the map renderer."""

from __future__ import annotations

import pytest

from geo import display
from geo.display import register_html_renderer, registered_renderer, repr_html, summary_html

from .test_render import handmade_analysis


@pytest.fixture
def no_renderer():
    before = registered_renderer()
    register_html_renderer(None)
    yield
    register_html_renderer(before)


@pytest.mark.parametrize("payload", ["<script>x()</script>", "${x}", '"><img src=x onerror=y>'])
def test_summary_escapes_everything(payload, no_renderer):
    html = handmade_analysis(payload)._repr_html_()
    assert html == summary_html(handmade_analysis(payload))
    assert "<script>" not in html and "<img" not in html
    assert "3 events" in html and "Najin port" in html and "site:najin-port" in html


def test_registered_renderer_wins(no_renderer):
    analysis = handmade_analysis()
    register_html_renderer(lambda a: f"<p>{len(a.events)}</p>")
    assert repr_html(analysis) == "<p>3</p>" == analysis._repr_html_()


def test_importing_maps_renderer_registers_the_map():
    import maps.renderer

    assert registered_renderer() is maps.renderer.notebook_html
    html = handmade_analysis()._repr_html_()
    assert "<iframe" in html and "allowfullscreen" in html


def test_geo_display_does_not_import_maps():
    from pathlib import Path

    source = Path(display.__file__).read_text(encoding="utf-8")
    assert "import maps" not in source and "from maps" not in source
