"""The README's Python example runs as written, and its two commands are the ones CI uses."""

from __future__ import annotations

import re

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs(tmp_path, monkeypatch, resources):
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "the README has a Python example"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    assert (tmp_path / "map.html").stat().st_size > 100_000
    assert namespace["geojson"]["type"] == "FeatureCollection"  # type: ignore[index]


def test_two_commands_and_ci():
    commands = re.findall(r"^(pip install .+)$", README, flags=re.M)
    assert commands == [
        "pip install . && sitmap map seeds/nk-russia-arms-2024-01-11.txt -o map.html",
        "pip install -e '.[test]' && python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci and "python -m pytest" in ci


def test_attribution():
    assert "GeoNames" in README and "CC BY 4.0" in README and "Natural Earth" in README
