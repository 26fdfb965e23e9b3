"""Leaflet and its plugins: CDN addresses, and inlining them from npm for offline maps.

The JavaScript and CSS libraries are never copied into this repository. A
normal map links them from jsDelivr's mirror of the npm registry; with
``--self-contained`` the same files are taken from the npm packages
themselves (``npm pack``, once, into a cache directory) and inlined, so the map
opens from ``file://`` with no network at all (tiles aside).
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .._paths import cache_root
from ..errors import CorridorError

__all__ = [
    "ASSETS",
    "PACKAGES",
    "PAGE_SCRIPTS",
    "WIDGET_SCRIPTS",
    "Asset",
    "asset_cache_dir",
    "fetch_assets",
    "inline_assets",
    "measure_asset",
]

# npm package -> version; one place to upgrade.
PACKAGES = {
    "leaflet": "1.9.4",
    "h3-js": "4.4.0",
    "leaflet.fullscreen": "3.0.0",
    "leaflet-measure": "3.1.0",
}


@dataclass(frozen=True)
class Asset:
    """One JS or CSS file of an npm package."""

    key: str
    package: str
    path: str

    @property
    def version(self) -> str:
        """The pinned package version."""
        return PACKAGES[self.package]

    @property
    def url(self) -> str:
        """The file's address on jsDelivr's npm mirror."""
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{self.version}/{self.path}"

    @property
    def kind(self) -> str:
        """``"js"`` or ``"css"``."""
        return "css" if self.path.endswith(".css") else "js"


ASSETS = {
    a.key: a
    for a in (
        Asset("leaflet_js", "leaflet", "dist/leaflet.js"),
        Asset("leaflet_css", "leaflet", "dist/leaflet.css"),
        Asset("h3_js", "h3-js", "dist/h3-js.umd.js"),
        Asset("fullscreen_js", "leaflet.fullscreen", "Control.FullScreen.js"),
        Asset("fullscreen_css", "leaflet.fullscreen", "Control.FullScreen.css"),
        Asset("measure_js", "leaflet-measure", "dist/leaflet-measure.js"),
        Asset("measure_cn_js", "leaflet-measure", "dist/leaflet-measure.cn.js"),
        Asset("measure_css", "leaflet-measure", "dist/leaflet-measure.css"),
    )
}


# The page's own script, by concern, joined in this order into one scope at build time.
PAGE_SCRIPTS = (
    "text.js",  # labels, DOM text, number formatting (pure but for el())
    "datum.js",  # WGS-84 -> GCJ-02 (pure)
    "hash.js",  # the URL hash: parse and format the view state (pure)
    "columns.js",  # the data block: inflate, typed arrays, text columns (pure but for inflate)
    "cells.js",  # H3 cells as numbers: coarser cells, the index string (pure)
    "groups.js",  # points grouped by cell and spread so no two symbols overlap (pure)
    "filter.js",  # facet filters: masks and counts (pure)
    "timeline.js",  # dates on the time slider (pure)
    "popup.js",  # popup contents
    "charts.js",  # small SVG charts
    "legend.js",  # the legend and the choropleth choice
    "facts.js",  # the corridor facts, some as charts
    "areas.js",  # provinces and cities, city labels, choropleth
    "divisions.js",  # the county-level divisions: borders, summary, choropleth by division
    "routes.js",  # routes and their stops
    "flows.js",  # the innovation enclaves as lines from home city to host
    "tour.js",  # the guided tour
    "points.js",  # seats, stops, enclaves, places: stacked where they overlap, spread on click
    "lists.js",  # organisation lists: clusters, single points, density hexagons
    "areapoints.js",  # an own list's points placed only to a district or city: a count per area
    "panels.js",  # title bar, side panel and phone sheet, legend, facts, about, share
    "search.js",  # the search box
    "filterpanel.js",  # the filter panel
    "timepanel.js",  # the time slider
    "state.js",  # the URL hash, the basemap's datum, the opening view
    "main.js",  # wires it all together
)

# Added after them in the page of corridormap.MapWidget (a Jupyter widget), which has a host.
WIDGET_SCRIPTS = (
    "select.js",  # picking features: click, shift-click, box and lasso; the selection drawn
    "widget.js",  # the page and its widget in step: view, filters, date, colouring, selection
)


def measure_asset(lang: str) -> str:
    """The leaflet-measure build for the page's language (it ships one file per language)."""
    return "measure_cn_js" if lang == "zh" else "measure_js"


def asset_cache_dir() -> Path:
    """Return where npm packages are unpacked: ``$CORRIDORMAP_ASSETS`` or ``~/.cache/corridormap/npm``."""
    env = os.environ.get("CORRIDORMAP_ASSETS")
    return Path(env).expanduser() if env else cache_root() / "npm"


def _package_dir(package: str, cache: Path) -> Path:
    return cache / f"{package}@{PACKAGES[package]}"


def fetch_assets(cache: Path | None = None, *, npm: str | None = None) -> Path:
    """Download the pinned npm packages into the cache (once) and return the cache.

    Uses ``npm pack`` (the npm registry); packages already unpacked are skipped.

    Raises
    ------
    CorridorError
        When npm is missing or a package cannot be fetched.
    """
    cache = asset_cache_dir() if cache is None else Path(cache)
    missing = [p for p in PACKAGES if not (_package_dir(p, cache) / "package.json").is_file()]
    if not missing:
        return cache
    npm = npm or shutil.which("npm")
    if not npm:
        raise CorridorError(
            "--self-contained needs the Leaflet packages from npm, and npm is not installed: "
            "install Node.js/npm, or fill the cache on another machine and set CORRIDORMAP_ASSETS"
        )
    cache.mkdir(parents=True, exist_ok=True)
    for package in missing:
        spec = f"{package}@{PACKAGES[package]}"
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            proc = subprocess.run(
                [npm, "pack", spec, "--silent", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                timeout=300,
            )
            tarballs = list(Path(tmp).glob("*.tgz"))
            if proc.returncode != 0 or not tarballs:
                raise CorridorError(f"npm could not fetch {spec}: {proc.stderr.strip()[-300:]}")
            unpack = Path(tmp) / "unpacked"
            with tarfile.open(tarballs[0]) as tar:
                tar.extractall(unpack, filter="data")
            target = _package_dir(package, cache)
            shutil.rmtree(target, ignore_errors=True)
            os.replace(unpack / "package", target)
    return cache


def _read_asset(asset: Asset, cache: Path) -> str:
    path = _package_dir(asset.package, cache) / asset.path
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CorridorError(f"asset {asset.package}/{asset.path} missing from {cache}: {exc.strerror}") from exc


def _inline_css_urls(css: str, base: Path) -> str:
    def repl(match: re.Match) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "http:", "https:", "#")):
            return match.group(0)
        file = (base / ref.split("?")[0].split("#")[0]).resolve()
        if not file.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return f'url("data:{mime};base64,{base64.b64encode(file.read_bytes()).decode()}")'

    return re.sub(r"""url\((['"]?)([^'")]+)\1\)""", repl, css)


def inline_assets(html: str, cache: Path | None = None) -> str:
    """Replace every known CDN ``<script src>``/``<link href>`` in ``html`` by the file's content."""
    cache = fetch_assets(cache)
    for asset in ASSETS.values():
        if asset.url not in html:
            continue
        text = _read_asset(asset, cache)
        comment = f"{asset.package}@{asset.version}/{asset.path} (npm)"
        if asset.kind == "js":
            body = text.replace("</script", "<\\/script")
            html = html.replace(f'<script src="{asset.url}"></script>', f"<script>/* {comment} */\n{body}\n</script>")
        else:
            base = (_package_dir(asset.package, cache) / asset.path).parent
            body = _inline_css_urls(text, base).replace("</style", "<\\/style")
            html = html.replace(
                f'<link rel="stylesheet" href="{asset.url}"/>', f"<style>/* {comment} */\n{body}\n</style>"
            )
    return html
