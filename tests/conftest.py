"""Shared fixtures: the shipped data, and copies of it to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corridormap

ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "geodata"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def corridor():
    """The shipped corridor data, loaded and validated once."""
    return corridormap.load_corridor(GEODATA)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of geodata/ to break."""
    dest = tmp_path / "geodata"
    shutil.copytree(GEODATA, dest, ignore=shutil.ignore_patterns("README.md"))
    return dest
