"""Tests for maps.render / maps.layers: structure of the HTML, layout, escaping, determinism, standalone."""

from __future__ import annotations

import re

import folium
import pytest

import geo
import maps
from geo.model import (
    Analysis,
    Dateline,
    Document,
    Event,
    EventPlace,
    Evidence,
    Factuality,
    LatLon,
    Mention,
    Place,
    Ring,
    Route,
    RouteLeg,
)
from maps.layers import (
    BADGE_PX,
    _direction,
    _group_layout,
    bounds,
    build_features,
    certainty,
)
from maps.renderer import notebook_html
from maps.standalone import external_references

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "${window.__pwned=1}",
    "`;window.__pwned=1;`",
    '<img src=x onerror="window.__pwned=1">',
    "\\`${window.__pwned=1}\\`",
]

_NK_AREA = {
    "type": "Polygon",
    "coordinates": [[[124.5, 38.0], [130.5, 38.0], [130.5, 43.0], [124.5, 43.0], [124.5, 38.0]]],
}


def _place(name, lat, lon, feature, gid, text, word, *, cc="KP", area=None) -> Place:
    start = text.index(word)
    return Place(
        gazetteer_id=gid,
        name=name,
        lat=lat,
        lon=lon,
        country_code=cc,
        feature=feature,
        mentions=(Mention(start, start + len(word), word),),
        area=area,
    )


def _ep(role, name, lat, lon, precision, gid=None) -> EventPlace:
    return EventPlace(role, name, lat, lon, "KP", precision, gid, "rule", "test")


def handmade_analysis(extra: str = "") -> Analysis:
    """A small analysis built by hand (independent of the NLP pipeline), optionally with ``extra`` text
    (e.g. a script payload) in every sentence, title and source."""
    s1 = f"Ships carried {extra} shells from Najin port to Russia."
    s2 = f"North Korea may test {extra} a missile."
    s3 = f"The minister {extra} spoke."
    text = f"{s1} {s2} {s3}"
    o2, o3 = len(s1) + 1, len(s1) + len(s2) + 2
    doc = Document(
        text=text,
        source=f"handmade {extra}",
        title=f"Handmade {extra}",
        dateline=Dateline(raw="11-1-2024 (SEOUL)", start=0, end=0, place="SEOUL", date="2024-01-11"),
        sentences=((0, len(s1)), (o2, o2 + len(s2)), (o3, o3 + len(s3))),
    )
    najin = _place("Najin port", 42.245, 130.295, "site", "site:najin-port", text, "Najin port")
    nk = _place("North Korea", 40.0, 127.0, "country", "gn:1873107", text, "North Korea", area=_NK_AREA)
    events = (
        Event(
            id="e1",
            type="ARMS_TRANSFER",
            plover="AID",
            places=(
                _ep("origin", "North Korea", 40.0, 127.0, "country", "gn:1873107"),
                _ep("via", "Najin port", 42.245, 130.295, "site", "site:najin-port"),
            ),
            factuality=Factuality("reported", ("reportedly",), "Minister"),
            evidence=(Evidence(s1, 0, len(s1)),),
        ),
        Event(
            id="e2",
            type="WEAPONS_TEST",
            plover="MOBILIZE",
            places=(_ep("launch_site", "North Korea", 40.0, 127.0, "country", "gn:1873107"),),
            factuality=Factuality("possible", ("may",)),
            evidence=(Evidence(s2, o2, o2 + len(s2)),),
        ),
        Event(
            id="e3",
            type="STATEMENT",
            plover="CONSULT",
            factuality=Factuality("asserted", (), "The minister"),
            evidence=(Evidence(s3, o3, o3 + len(s3)),),
        ),
    )
    ring = Ring(
        LatLon(40.0, 127.0), "North Korea", 5500.0, weapon_class="IRBM", event_id="e2", center_assumed=True
    )
    pole = Ring(LatLon(40.0, 127.0), "North Korea", 13000.0, system="Hwasong-18", weapon_class="ICBM")
    path = tuple(LatLon(42.245 + i * 0.3, 130.295 + i * 0.4) for i in range(6))
    route = Route(
        legs=(RouteLeg("Najin port", "Vladivostok", "sea", path),),
        label="North Korea → Russia: shells (reported)",
        event_id="e1",
        quantity="1 million shells",
    )
    return Analysis(
        document=doc,
        places=(nk, najin),
        events=events,
        rings=(ring, pole),
        routes=(route,),
        versions={"sitmap": "test"},
    )


@pytest.fixture(scope="module")
def handmade() -> Analysis:
    return handmade_analysis()


@pytest.fixture(scope="module")
def handmade_html(handmade) -> str:
    return maps.render(handmade).get_root().render()


@pytest.fixture(scope="module")
def seed_html(seed_analysis) -> str:
    return maps.render(seed_analysis).get_root().render()


def test_seed_map_is_standalone(seed_html):
    assert external_references(seed_html) == []
    assert "cdn.jsdelivr" not in seed_html and "openstreetmap" not in seed_html.lower()


def test_tiles_option_adds_an_online_layer(handmade):
    html = maps.render(handmade, tiles="OpenStreetMap").get_root().render()
    assert "tile.openstreetmap.org" in html and "OpenStreetMap (online)" in html


def test_seed_map_has_every_layer(seed_html):
    for title in ("Places", "Events", "Range rings", "Routes", "Countries and regions mentioned"):
        assert title in seed_html
    assert seed_html.count("L.circleMarker(") >= 3  # points: Seoul, Najin port, Moscow
    assert "L.polygon(" in seed_html  # a range ring
    assert "L.polylineDecorator(" in seed_html  # a route with arrowheads
    assert "L.geoJson(" in seed_html  # country areas
    for part in (
        "sitmap-legend",
        "sitmap-title",
        "sitmap-events",
        "control.scale",
        "@media print",
        "beforeprint",
    ):
        assert part in seed_html
    assert "GeoNames" in seed_html and "CC BY 4.0" in seed_html and "Natural Earth" in seed_html
    assert "folium.Circle" not in seed_html and "L.circle(" not in seed_html


def test_seed_map_size(seed_html):
    assert len(seed_html.encode("utf-8")) <= 1_000_000


def test_render_is_deterministic(seed_analysis, seed_html):
    again = maps.render(seed_analysis).get_root().render()
    assert again == seed_html
    assert not re.search(r"[0-9a-f]{32}", seed_html.split("</style>")[-1]), "random folium ids left"


def test_popups_carry_provenance(seed_html):
    assert "<mark>Najin port</mark>" in seed_html.replace("\\u003c", "<").replace("\\u003e", ">")
    assert "gazetteer id" in seed_html


def test_render_returns_a_folium_map_that_takes_more_layers(handmade):
    m = maps.render(handmade)
    assert isinstance(m, folium.Map)
    folium.Marker([0, 0], tooltip="mine").add_to(m)
    assert "mine" in m.get_root().render()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_escaped(payload):
    html = maps.render(handmade_analysis(payload)).get_root().render()
    assert "window.__pwned=1</script>" not in html
    assert "<img src=x" not in html
    assert "${window.__pwned" not in html
    assert "`;window.__pwned" not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_pipeline_payloads_are_escaped(resources, payload):
    text = f"Officials in Seoul said {payload} ships left Najin port for Vladivostok. {payload}"
    html = maps.render(geo.analyze(text, source=payload, title=payload)).get_root().render()
    assert "window.__pwned=1</script>" not in html
    assert "<img src=x" not in html
    assert "${window.__pwned" not in html


# --- layers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "drawn"),
    [
        ("asserted", "asserted"),
        ("reported", "reported"),
        ("possible", "uncertain"),
        ("planned", "uncertain"),
        ("considering", "uncertain"),
        ("alleged", "uncertain"),
        ("denied", "uncertain"),
        ("", "uncertain"),
    ],
)
def test_certainty(status, drawn):
    assert certainty(status) == drawn


def test_events_without_a_place_are_listed_not_lost(handmade, handmade_html):
    feats = [f for f in build_features(handmade) if f.layer == "events" and f.kind in ("badge", "listed")]
    assert [f.properties["event_id"] for f in feats] == ["e1", "e2", "e3"]
    assert [f.kind for f in feats] == ["badge", "badge", "listed"]
    assert handmade_html.count("<li data-event=") == 3
    assert "1 not on the map" in handmade_html and "The minister" in handmade_html


def test_country_level_events_sit_in_a_captioned_tray(handmade, handmade_html):
    trays = [f for f in build_features(handmade) if f.kind == "tray"]
    nk = next(t for t in trays if t.style["area"])
    assert nk.label == "North Korea (country-level)"
    assert "sitmap-tray area" in handmade_html and "country-level: no place named" in handmade_html
    site = next(t for t in trays if not t.style["area"])
    assert site.label == ""


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7])
@pytest.mark.parametrize(
    "direction", ["up", "down", "left", "right", "up-left", "up-right", "down-left", "down-right"]
)
@pytest.mark.parametrize("caption", [0, 27])
def test_group_layout_keeps_badges_in_the_tray_and_off_the_point(n, direction, caption):
    (ox, oy), badges, width, height = _group_layout(n, direction, caption)
    assert len(badges) == n == len(set(badges))
    for bx, by in badges:
        assert ox <= bx and bx + BADGE_PX <= ox + width and oy <= by and by + BADGE_PX <= oy + height
    assert not (ox <= 0 <= ox + width and oy <= 0 <= oy + height), "the tray covers its own point"


@pytest.mark.parametrize(
    ("obstacle", "not_towards"),
    [
        (LatLon(42.2, 130.3), {"up", "right", "up-right"}),  # Najin port north-east of the centroid
        (LatLon(37.6, 127.0), {"down"}),  # Seoul south
        (LatLon(40.0, 123.0), {"left"}),
    ],
)
def test_badge_groups_avoid_nearby_places(obstacle, not_towards):
    assert _direction(LatLon(40.0, 127.0), [obstacle], set()) not in not_towards


def test_badge_group_near_najin_does_not_cover_it(handmade):
    nk = next(f for f in build_features(handmade) if f.kind == "tray" and f.style["area"])
    ox, oy = nk.style["offset"]
    # Najin is up and to the right of the North Korea centroid: the tray must not extend there
    assert not (ox + nk.style["width"] > 0 and oy < 0), nk.style


def test_ring_labels_name_the_system_and_km(handmade):
    labels = [f for f in build_features(handmade) if f.layer == "rings" and f.kind == "label"]
    assert {f.label for f in labels} == {
        "IRBM 5,500 km",
        "Hwasong-18 13,000 km",
        "IRBM 5,500 km ring from North Korea (assumed)",
        "Hwasong-18 13,000 km ring from North Korea",
    }
    assert all(abs(f.latlngs.lat) < 80 for f in labels)


def test_pole_enclosing_ring_is_a_map_polygon_with_outline(handmade, handmade_html):
    ring = next(
        f for f in build_features(handmade) if f.kind == "polygon" and f.properties.get("km") == 13000
    )
    lons = [p.lon for part in ring.latlngs for r in part for p in r]
    assert max(lons) - min(lons) >= 360  # a pole-enclosing fill runs across the whole world (and copies)
    assert handmade_html.count("L.polygon(") >= 2 and "L.polyline(" in handmade_html


def test_route_labels_give_quantity_and_mode(handmade):
    labels = [f for f in build_features(handmade) if f.layer == "routes" and f.kind == "label"]
    assert len(labels) == 1
    assert "shells (reported)" in labels[0].label
    assert "1 million shells" in labels[0].label and "by sea" in labels[0].label


def test_place_popups_give_the_distance_from_ring_centres(handmade):
    najin = next(f for f in build_features(handmade) if f.layer == "places")
    assert "km from the centre of the IRBM 5,500 km ring" in najin.popup and "inside" in najin.popup
    assert "gazetteer id site:najin-port" in najin.popup and "<mark>Najin port</mark>" in najin.popup


def test_bounds_ignore_places_no_event_involves(handmade):
    feats = build_features(handmade)
    far = feats[0].__class__(
        layer="places",
        kind="point",
        geometry={},
        latlngs=LatLon(38.9, -77.0),
        style={},
        tooltip="",
        popup="",
        focus=False,
    )
    assert bounds([*feats, far]) == bounds(feats)
    assert bounds([far]) == (LatLon(38.9, -77.0), LatLon(38.9, -77.0))
    assert bounds([]) is None


def test_layers_argument_draws_a_subset(handmade):
    html = maps.render(handmade, layers=["places"]).get_root().render()
    assert "Places (1)" in html and "Range rings (" not in html


def test_notebook_display_is_the_map_once_maps_is_imported(handmade):
    html = handmade._repr_html_()
    assert "<iframe" in html and html == notebook_html(handmade)


def test_versions_are_recorded_in_the_html(seed_analysis):
    html = maps.render(seed_analysis).get_root().render()
    meta = re.search(r'<meta name="generator" content="([^"]*)">', html)
    assert meta is not None
    for key in ("sitmap", "model", "gazetteer", "weapons"):
        assert f"{key} {seed_analysis.versions[key]}" in meta.group(1)


def test_a_country_is_labelled_on_its_land_not_at_its_gazetteer_point(seed_analysis):
    # GeoNames puts Japan at Tokyo; the name "Japan" goes in the middle of Honshu, not on Tokyo's pin
    japan = next(p for p in seed_analysis.places if p.name == "Japan")
    label = next(
        f
        for f in build_features(seed_analysis)
        if f.kind == "label" and f.label == "Japan" and f.layer == "areas"
    )
    from geo.geodesy import distance_km

    assert distance_km(japan.latlon, label.latlngs) > 100
    assert 34.0 < label.latlngs.lat < 39.0 and 136.0 < label.latlngs.lon < 141.0
