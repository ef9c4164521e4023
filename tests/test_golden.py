"""Golden files: each seed article → GeoJSON, compared with tolerance for floating-point noise.

Regenerate after an intended change with ``SITMAP_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

import geo
from maps.export import to_geojson

from .conftest import ROOT

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = ROOT / "tests" / "golden"


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if k != "versions"}
    return value


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_seed_geojson_matches_golden(resources, seed):
    analysis = geo.analyze(seed.read_text(encoding="utf-8"), source=f"seeds/{seed.name}")
    got = to_geojson(analysis)
    path = GOLDEN / f"{seed.stem}.geojson"
    if os.environ.get("SITMAP_UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert _rounded(got) == _rounded(expected)
