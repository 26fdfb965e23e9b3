"""The map carries its libraries (Leaflet and its plugins, from npm) by default: in the file, in
``save_map`` and in the notebook's inline map; ``cdn=True`` links them. Without npm or network at
first use it links them with a warning that names the fix, never silently."""

from __future__ import annotations

import html
import os
import re
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from corridormap import build_map
from corridormap.errors import CorridorError
from corridormap.render import AssetWarning, save_map
from corridormap.render.assets import ASSETS, _inline_css_urls, _package_dir, fetch_assets, measure_asset

LINK = re.compile(r'<script src="(https?://[^"]+)"></script>|<link rel="stylesheet" href="(https?://[^"]+)"/>')


def _links(text: str) -> list[str]:
    return [a or b for a, b in LINK.findall(text)]


@pytest.fixture(scope="module")
def m(built_map):
    return built_map("en")


@pytest.fixture(scope="module")
def both(m, tmp_path_factory):
    """The same map written twice: carrying its libraries (the default), and linking them."""
    out = tmp_path_factory.mktemp("assets")
    return save_map(m, out / "inline.html"), save_map(m, out / "cdn.html", cdn=True)


def _used(lang: str) -> list:
    """The library files a map in ``lang`` uses (leaflet-measure has one build per language)."""
    other = {"measure_js", "measure_cn_js"} - {measure_asset(lang)}
    return [a for k, a in ASSETS.items() if k not in other]


def test_default_file_carries_every_library_and_links_none(both):
    inline, cdn = (p.read_text(encoding="utf-8") for p in both)
    assert _links(inline) == []
    assert sorted(_links(cdn)) == sorted(a.url for a in _used("en"))
    for a in _used("en"):
        assert f"/* {a.package}@{a.version}/{a.path} (npm) */" in inline and a.url not in inline


def test_file_grows_by_what_the_libraries_weigh_and_no_more(both):
    cache = fetch_assets()
    weight = 0
    for a in _used("en"):
        path = _package_dir(a.package, cache) / a.path
        text = path.read_text(encoding="utf-8")
        weight += len((_inline_css_urls(text, path.parent) if a.kind == "css" else text).encode())
    links = sum(len(m[0].encode()) for m in LINK.finditer(both[1].read_text(encoding="utf-8")))
    grown = both[0].stat().st_size - both[1].stat().st_size
    # Each library, with a one-line comment and its tags, replaces its link: 80 bytes over its weight at most.
    assert weight - links < grown <= weight - links + 80 * len(_used("en")), (grown, weight, links)


def test_notebook_map_carries_its_libraries(m, both):
    frame = re.search(r'<iframe srcdoc="([^"]*)"', m._repr_html_())
    assert frame
    page = html.unescape(frame[1])
    assert _links(page) == [] and "cdn.jsdelivr.net" not in page
    assert page.encode("utf-8") == both[0].read_bytes()


def test_self_contained_is_an_alias_for_older_scripts(m, both, tmp_path):
    assert save_map(m, tmp_path / "a.html", self_contained=True).read_bytes() == both[0].read_bytes()
    assert save_map(m, tmp_path / "b.html", self_contained=False).read_bytes() == both[1].read_bytes()
    with pytest.raises(ValueError, match="contradict"):
        save_map(m, tmp_path / "c.html", cdn=True, self_contained=True)


def _fake_npm(tmp_path: Path, stderr: str, status: int) -> str:
    npm = tmp_path / "npm"
    npm.write_text(f"#!/bin/sh\necho '{stderr}' >&2\nexit {status}\n")
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    return str(npm)


def test_npm_without_network_is_an_error_naming_the_fix(tmp_path):
    npm = _fake_npm(tmp_path, "npm error code ENOTFOUND registry.npmjs.org", 1)
    with pytest.raises(CorridorError) as err:
        fetch_assets(tmp_path / "cache", npm=npm)
    said = str(err.value)
    assert "ENOTFOUND" in said and "leaflet@1.9.4" in said and "CORRIDORMAP_ASSETS" in said, said
    assert not list((tmp_path / "cache").iterdir())  # nothing half-unpacked left behind


def test_without_npm_the_map_links_its_libraries_and_says_so(m, both, tmp_path, monkeypatch):
    monkeypatch.setenv("CORRIDORMAP_ASSETS", str(tmp_path / "empty"))
    monkeypatch.setattr("shutil.which", lambda name, *a, **k: None)
    with pytest.warns(AssetWarning, match="npm, which is not installed.*CORRIDORMAP_ASSETS.*needs internet"):
        path = save_map(m, tmp_path / "m.html")
    assert path.read_bytes() == both[1].read_bytes()  # the CDN page: drawn where there is internet


@pytest.mark.cli
def test_build_without_npm_warns_on_stderr_and_says_the_map_needs_internet(tmp_path):
    exe = str(Path(sys.executable).parent / "corridormap")
    env = {**os.environ, "PATH": str(tmp_path / "bin"), "CORRIDORMAP_ASSETS": str(tmp_path / "empty")}
    with warnings.catch_warnings():
        res = subprocess.run(
            [exe, "build", "--out", str(tmp_path / "m.html")], env=env, capture_output=True, text=True, timeout=300
        )
    assert res.returncode == 0, res.stderr
    assert "warning:" in res.stderr and "npm" in res.stderr and "Traceback" not in res.stderr
    assert "opens only online" in res.stdout
    assert _links((tmp_path / "m.html").read_text(encoding="utf-8"))


def test_showing_a_map_then_saving_it_gives_the_same_file(corridor, tmp_path):
    """folium adds its layers' script at each render; the page must not carry it twice after a notebook shows it."""
    fresh = save_map(build_map(corridor, lang="en"), tmp_path / "fresh.html", cdn=True).read_bytes()
    shown = build_map(corridor, lang="en")
    shown._repr_html_()
    shown._repr_html_()
    assert save_map(shown, tmp_path / "shown.html", cdn=True).read_bytes() == fresh
