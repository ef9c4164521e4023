"""Property tests over the whole path with random Unicode, markup and script payloads: nothing escapes as an
exception, outputs stay valid, payloads stay inert."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import geo
import maps
from maps.export import to_geojson_text
from maps.standalone import external_references

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "${window.__pwned=1}",
    "`+(window.__pwned=1)+`",
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    "\\u0060${window.__pwned=1}",
    "{{ this }}{% raw %}",
]
PLACES = ["Seoul", "Najin port", "Guam", "Moscow", "Ukraine", "Kyiv’s", "the Red Sea", "Hodeidah"]

fragments = st.one_of(
    st.text(max_size=40),
    st.sampled_from(PAYLOADS),
    st.sampled_from(PLACES),
    st.sampled_from([" ", "\n", "\n\n", ". ", "11-1-2024 (SEOUL) ", "\u202e", "\u0000", "\ufeff", "𝔊𝔲𝔞𝔪"]),
)
articles = st.lists(fragments, min_size=1, max_size=25).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles)
@example("Officials in Seoul said <script>window.__pwned=1</script> ships left Najin port. ${x}")
@example("Officials in Seoul said {{ this.__class__ }}{% raw %} about Najin port.")
@example("`")
@example("\u0000\u0000")
def test_analyze_and_render_never_raise_and_stay_inert(resources, text):
    analysis = geo.analyze(text, source=text[:30], title=text[:50])
    for t in analysis.toponyms:
        assert text[t.start : t.end] == t.text
    json.loads(to_geojson_text(analysis))
    html = maps.render(analysis).get_root().render()
    assert external_references(html) == []
    assert "window.__pwned=1</script>" not in html
    assert "${window.__pwned" not in html
    assert 'onerror="window' not in html
