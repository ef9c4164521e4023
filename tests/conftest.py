"""Shared fixtures: the expensive resources are loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "nk-russia-arms-2024-01-11.txt"


@pytest.fixture(scope="session")
def resources():
    from geo.pipeline import default_resources

    return default_resources()


@pytest.fixture(scope="session")
def gazetteer(resources):
    return resources.gazetteer


@pytest.fixture(scope="session")
def nlp(resources):
    return resources.nlp


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_analysis(resources, seed_text):
    from geo.pipeline import analyze

    return analyze(seed_text, source="seeds/nk-russia-arms-2024-01-11.txt")
