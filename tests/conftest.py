"""Shared fixtures: the shipped data, copies of it to break, chromium, and one JupyterLab server."""

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


@pytest.fixture(scope="session")
def map_html(corridor):
    """The page ``build_map(corridor, lang=lang)`` renders, for ``lang``: built once per language per session.

    A build takes about a second; many tests only read the default page in one language.
    """
    from corridormap.render import render_html

    pages: dict[str, str] = {}

    def get(lang: str = "both") -> str:
        if lang not in pages:
            pages[lang] = render_html(corridormap.build_map(corridor, lang=lang))
        return pages[lang]

    return get


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


# The modules that drive a real JupyterLab: one server (the session's) serves them all, and the
# scheduler below keeps them on one xdist worker so only one server starts.
JUPYTER_MODULES = ("tests/test_notebook.py", "tests/test_notebook_inline.py")


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a copy of notebooks/ (tests/jupyter.py), for the session."""
    from .jupyter import JupyterLab

    server = JupyterLab(sorted((ROOT / "notebooks").glob("*.ipynb")), tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown when it is not loaded
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` (the Makefile's), with the JupyterLab modules in one unit: one worker, one server."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LoadFileJupyterTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "jupyter" if scope in JUPYTER_MODULES else scope

    return LoadFileJupyterTogether(config, log)
