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
def built_map(corridor):
    """``build_map(corridor, lang=lang, **kw)``, built once per distinct arguments per session.

    A build takes one to two seconds and many tests read the same map; a folium Map renders and
    saves again unchanged (test_assets checks it), so the tests that only read one share it. Built
    without ``$TIANDITU_KEY``, so the shared maps do not depend on the caller's environment.
    """
    maps: dict[tuple, object] = {}

    def get(lang: str = "both", **kw):
        key = (lang, *sorted(kw.items()))
        if key not in maps:
            with pytest.MonkeyPatch.context() as mp:
                mp.delenv("TIANDITU_KEY", raising=False)
                maps[key] = corridormap.build_map(corridor, lang=lang, **kw)
        return maps[key]

    return get


@pytest.fixture(scope="session")
def map_html(built_map):
    """The page ``build_map(corridor, lang=lang)`` renders, for ``lang``: rendered once per language per session."""
    from corridormap.render import render_html

    pages: dict[str, str] = {}

    def get(lang: str = "both") -> str:
        if lang not in pages:
            pages[lang] = render_html(built_map(lang))
        return pages[lang]

    return get


@pytest.fixture(scope="session")
def map_file(built_map, tmp_path_factory):
    """The map of ``built_map(lang, **kw)`` saved (carrying its libraries) once per session: for the
    browser tests, which only read it. Returns its path."""
    folder = tmp_path_factory.mktemp("maps")
    paths: dict[tuple, Path] = {}

    def get(lang: str = "both", **kw) -> Path:
        key = (lang, *sorted(kw.items()))
        if key not in paths:
            name = "-".join([lang, *(f"{k}={v}" for k, v in sorted(kw.items()))])
            paths[key] = corridormap.save_map(built_map(lang, **kw), folder / f"{name}.html")
        return paths[key]

    return get


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of geodata/ to break."""
    dest = tmp_path / "geodata"
    shutil.copytree(GEODATA, dest, ignore=shutil.ignore_patterns("README.md"))
    return dest


CHROMIUM = os.environ.get("CORRIDORMAP_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def _chromium():
    """Debian's chromium, driven by playwright (never a browser download of playwright's own): one per worker."""
    from playwright.sync_api import sync_playwright

    from corridormap.render.png import CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run 'make test' (installs Debian's chromium) or set CORRIDORMAP_CHROMIUM")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def browser(_chromium):
    """The worker's chromium for a module's tests: launching one costs seconds, a new context or page
    little. What a module leaves open (a test that failed before closing its page) is closed after it."""
    before = set(_chromium.contexts)
    yield _chromium
    for context in _chromium.contexts:
        if context not in before:
            context.close()


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
