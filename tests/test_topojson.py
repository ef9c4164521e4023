"""Tests for geo.topojson: arcs, delta decoding, transforms, shared reversed arcs, holes, antimeridian."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from shapely import affinity
from shapely.geometry import Point, box

from geo.topojson import decode_arcs, decode_object, polygonal, ring_coordinates, split_antimeridian

# Two unit squares sharing the edge x = 1 (arc 0, walked forwards by the left square and reversed with ~0
# by the right one), and a 4x4 square with a 2x2 hole.
ABSOLUTE_ARCS: list[list[list[float]]] = [
    [[1, 0], [1, 1]],  # 0: shared edge B→C
    [[1, 1], [0, 1], [0, 0], [1, 0]],  # 1: C→D→A→B
    [[1, 0], [2, 0], [2, 1], [1, 1]],  # 2: B→E→F→C
    [[3, 0], [7, 0], [7, 4], [3, 4], [3, 0]],  # 3: outer ring
    [[4, 1], [4, 3], [6, 3], [6, 1], [4, 1]],  # 4: hole
]
OBJECTS: dict[str, Any] = {
    "shapes": {
        "type": "GeometryCollection",
        "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "id": "left", "properties": {"name": "L"}},
            {"type": "Polygon", "arcs": [[~0, 2]], "id": 2},
            {"type": "Polygon", "arcs": [[3], [4]], "id": "holed"},
            {"type": "MultiPolygon", "arcs": [[[0, 1]], [[~0, 2]]], "id": "both"},
            {"type": None, "id": "null"},
        ],
    }
}


def _plain() -> dict[str, Any]:
    return {"type": "Topology", "arcs": copy.deepcopy(ABSOLUTE_ARCS), "objects": copy.deepcopy(OBJECTS)}


def _quantized(
    scale: tuple[float, float] = (0.5, 0.25), translate: tuple[float, float] = (-3.0, 2.0)
) -> dict:
    """The same shapes, affinely mapped by ``scale``/``translate`` and stored quantized + delta-encoded."""
    arcs = []
    for arc in ABSOLUTE_ARCS:
        previous = (0, 0)
        encoded = []
        for x, y in arc:
            q = (int(x), int(y))
            encoded.append([q[0] - previous[0], q[1] - previous[1]])
            previous = q
        arcs.append(encoded)
    return {
        "type": "Topology",
        "transform": {"scale": list(scale), "translate": list(translate)},
        "arcs": arcs,
        "objects": copy.deepcopy(OBJECTS),
    }


def test_decode_arcs_delta_and_transform() -> None:
    arcs = decode_arcs(_quantized())
    assert arcs[1] == [(-2.5, 2.25), (-3.0, 2.25), (-3.0, 2.0), (-2.5, 2.0)]
    assert decode_arcs(_plain())[1] == [(1.0, 1.0), (0.0, 1.0), (0.0, 0.0), (1.0, 0.0)]


def test_decode_arcs_drops_extra_dimensions() -> None:
    assert decode_arcs({"arcs": [[[1, 2, 99], [3, 4, 99]]]}) == [[(1.0, 2.0), (3.0, 4.0)]]
    assert decode_arcs({"arcs": []}) == []


@pytest.mark.parametrize(
    ("indexes", "expected"),
    [
        ([0, 1], [(1, 0), (1, 1), (0, 1), (0, 0), (1, 0)]),
        ([~0, 2], [(1, 1), (1, 0), (2, 0), (2, 1), (1, 1)]),
        ([~1, ~0], [(1, 0), (0, 0), (0, 1), (1, 1), (1, 0)]),
        ([], []),
    ],
)
def test_ring_coordinates(indexes: list[int], expected: list[tuple[float, float]]) -> None:
    assert ring_coordinates(decode_arcs(_plain()), indexes) == [(float(x), float(y)) for x, y in expected]


def test_decode_plain_topology() -> None:
    features = {f.id: f for f in decode_object(_plain(), "shapes")}
    assert list(features) == ["left", "2", "holed", "both", "null"]
    assert features["left"].properties == {"name": "L"}
    assert features["left"].geometry.equals(box(0, 0, 1, 1))
    assert features["2"].geometry.equals(box(1, 0, 2, 1))
    holed = features["holed"].geometry
    assert holed.area == 12 and len(holed.interiors) == 1
    assert not holed.contains(Point(5, 2)) and holed.contains(Point(3.5, 0.5))
    assert features["both"].geometry.equals(box(0, 0, 2, 1))  # the shared edge is dissolved
    assert features["null"].geometry.is_empty
    assert all(f.geometry.is_valid for f in features.values())


def test_quantized_equals_plain_after_transform() -> None:
    scale, translate = (0.5, 0.25), (-3.0, 2.0)
    quantized = {f.id: f.geometry for f in decode_object(_quantized(scale, translate), "shapes")}
    for feature in decode_object(_plain(), "shapes"):
        if feature.geometry.is_empty:
            continue
        expected = affinity.translate(
            affinity.scale(feature.geometry, scale[0], scale[1], origin=(0, 0)), translate[0], translate[1]
        )
        assert quantized[feature.id].equals(expected), feature.id


def test_single_geometry_object_and_errors() -> None:
    topo = _plain()
    topo["objects"]["one"] = {"type": "Polygon", "arcs": [[3], [4]]}
    topo["objects"]["line"] = {"type": "LineString", "arcs": [0]}
    (feature,) = decode_object(topo, "one")
    assert feature.id is None and feature.properties == {} and feature.geometry.area == 12
    with pytest.raises(ValueError, match="LineString"):
        decode_object(topo, "line")
    with pytest.raises(KeyError):
        decode_object(topo, "missing")


def test_ring_crossing_antimeridian_is_cut() -> None:
    # A stitched ring as in world-atlas (Chukotka-like): 175°E → 170°W, jumping from +180 to −180.
    ring = [
        (175.0, 60.0),
        (180.0, 60.0),
        (-180.0, 60.0),
        (-170.0, 60.0),
        (-170.0, 70.0),
        (175.0, 70.0),
        (175, 60),
    ]
    cut = split_antimeridian([ring])
    assert cut.geom_type == "MultiPolygon" and cut.is_valid
    assert cut.bounds == (-180.0, 60.0, 180.0, 70.0)
    assert cut.area == pytest.approx(15 * 10)
    assert cut.contains(Point(178, 65)) and cut.contains(Point(-175, 65)) and not cut.contains(Point(0, 65))
    unwrapped = split_antimeridian([ring], cut=False)
    assert unwrapped.geom_type == "Polygon" and unwrapped.bounds == (-185.0, 60.0, -170.0, 70.0)


def test_ring_around_the_south_pole() -> None:
    # Antarctica as in world-atlas: a coast ring running once around the pole, plus a zero-area "hole"
    # along the pole itself.
    coast = [*((float(lon), -70.0) for lon in range(-180, 151, 30)), (179.0, -70.0), (-180.0, -70.0)]
    pole = [(-180.0, -90.0), (90.0, -90.0), (0.0, -90.0), (-90.0, -90.0), (-180.0, -90.0)]
    geom = split_antimeridian([coast, pole])
    assert geom.is_valid and geom.bounds == (-180.0, -90.0, 180.0, -70.0)
    assert geom.area == pytest.approx(360 * 20, rel=1e-3)
    assert geom.contains(Point(0, -80)) and geom.contains(Point(179.5, -89))


def test_empty_and_degenerate_rings() -> None:
    assert split_antimeridian([]).is_empty
    assert split_antimeridian([[(0, 0), (1, 1), (0, 0)]]).is_empty
    bowtie = [(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)]
    fixed = split_antimeridian([bowtie])
    assert fixed.is_valid and fixed.area == pytest.approx(2)
    assert polygonal(Point(0, 0)).is_empty


@given(
    west=st.floats(min_value=100, max_value=179.9),
    width=st.floats(min_value=0.5, max_value=120),
    south=st.floats(min_value=-80, max_value=70),
    height=st.floats(min_value=0.5, max_value=10),
)
@example(west=179.5, width=1.0, south=0.0, height=1.0)
@example(west=100.0, width=20.0, south=10.0, height=5.0)  # does not cross
def test_split_keeps_area_and_range(west: float, width: float, south: float, height: float) -> None:
    east = west + width

    def wrap(lon: float) -> float:
        return lon - 360 if lon > 180 else lon

    ring = [
        (west, south),
        (wrap(east), south),
        (wrap(east), south + height),
        (west, south + height),
        (west, south),
    ]
    geom = split_antimeridian([ring])
    assert geom.is_valid
    assert geom.area == pytest.approx(width * height, rel=1e-6)
    assert geom.bounds[0] >= -180 and geom.bounds[2] <= 180
    assert geom.covers(Point(wrap(west + width / 2), south + height / 2))
    unwrapped = split_antimeridian([ring], cut=False)
    assert unwrapped.area == pytest.approx(width * height, rel=1e-6)
    assert -180 <= (unwrapped.bounds[0] + unwrapped.bounds[2]) / 2 <= 180
