"""Shared fixtures: the shipped data, and copies of it to break."""

from __future__ import annotations

import os
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


CHROMIUM = os.environ.get("CORRIDORMAP_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, driven by playwright (never a browser download of playwright's own)."""
    from playwright.sync_api import sync_playwright

    from corridormap.render.png import CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run 'make test' (installs Debian's chromium) or set CORRIDORMAP_CHROMIUM")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
