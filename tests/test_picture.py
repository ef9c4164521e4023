"""Tests for maps.picture: a PNG from headless Chromium, else matplotlib, else a clear user error."""

from __future__ import annotations

import importlib.util

import pytest

import maps
import maps.picture as picture
from geo.errors import OutputError, UserError
from maps.browser import chromium_path
from maps.picture import PictureError, static_png, write_png

from .test_render import handmade_analysis

PNG = b"\x89PNG\r\n\x1a\n"
HAS_MPL = importlib.util.find_spec("matplotlib") is not None


@pytest.fixture(scope="module")
def analysis():
    return handmade_analysis()


@pytest.fixture
def html_file(analysis, tmp_path):
    path = tmp_path / "map.html"
    path.write_text(maps.render(analysis).get_root().render(), encoding="utf-8")
    return path


@pytest.mark.browser
@pytest.mark.skipif(chromium_path() is None, reason="Debian chromium is not installed")
def test_png_from_chromium(analysis, html_file, tmp_path):
    out = tmp_path / "map.png"
    note = write_png(analysis, html_file, out)
    assert "headless Chromium" in note
    assert out.read_bytes()[:8] == PNG and out.stat().st_size > 20_000


@pytest.mark.skipif(not HAS_MPL, reason="matplotlib (the png extra) is not installed")
def test_png_without_chromium_is_drawn_by_matplotlib(analysis, html_file, tmp_path, monkeypatch):
    monkeypatch.setattr(picture, "chromium_path", lambda: None)
    out = tmp_path / "map.png"
    note = write_png(analysis, html_file, out)
    assert "matplotlib" in note and "no headless Chromium" in note
    assert out.read_bytes()[:8] == PNG


@pytest.mark.skipif(not HAS_MPL, reason="matplotlib (the png extra) is not installed")
def test_static_png_of_an_empty_analysis(tmp_path):
    from geo.model import Analysis, Document

    data = static_png(Analysis(document=Document(text="", source="empty")), width_px=400, height_px=300)
    assert data[:8] == PNG


def test_neither_chromium_nor_matplotlib_is_a_user_error(analysis, html_file, tmp_path, monkeypatch):
    monkeypatch.setattr(picture, "chromium_path", lambda: None)
    real = importlib.util.find_spec
    monkeypatch.setattr(
        picture.importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a)
    )
    out = tmp_path / "map.png"
    with pytest.raises(PictureError, match=r"apt-get install chromium.*matplotlib") as info:
        write_png(analysis, html_file, out)
    assert isinstance(info.value, UserError) and not out.exists()


@pytest.mark.skipif(chromium_path() is None and not HAS_MPL, reason="no way to draw a PNG here")
def test_png_never_overwrites_an_input(analysis, html_file, tmp_path):
    src = tmp_path / "article.txt"
    src.write_text("article")
    with pytest.raises(OutputError):
        write_png(analysis, html_file, src, inputs=[str(src)])
    assert src.read_text() == "article"
