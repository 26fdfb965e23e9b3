"""Leaflet and its plugins: inlined from npm so every map works offline, or linked from a CDN.

The JavaScript and CSS libraries are never copied into this repository. By
default (the written file, :func:`corridormap.save_map` and the map shown inline
in Jupyter) they are taken from the npm packages themselves (``npm pack``, once,
into a cache directory) and inlined, so the map opens from ``file://`` with no
network at all (basemap tiles aside). With ``--cdn`` (``save_map(..., cdn=True)``)
the page links them from jsDelivr's mirror of the npm registry instead.

Where the packages cannot be had (no npm, no network at first use), the map
falls back to the CDN links with an :class:`AssetWarning` that names the fix;
it is never left without its libraries without a word.
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
import warnings
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
    "AssetWarning",
    "asset_cache_dir",
    "fetch_assets",
    "inline_assets",
    "inline_or_link",
    "measure_asset",
]

# What to do when the packages cannot be had: said in every error and warning about them.
FIX = (
    "install Node.js/npm and connect to the network once (the packages are then cached), "
    "or copy a filled cache from another machine and set CORRIDORMAP_ASSETS to it"
)


class AssetWarning(UserWarning):
    """The libraries could not be inlined: the map links them from jsDelivr and needs internet to open."""


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
    "bounds.js",  # a point in a box, the points in a box (pure)
    "groups.js",  # points grouped by cell and spread so no two symbols overlap (pure)
    "filter.js",  # facet filters: masks and counts (pure)
    "timeline.js",  # dates on the time slider (pure)
    "view.js",  # the map as modules draw on it: datum, shifted shapes, whenStill, free room
    "popup.js",  # popup contents
    "scale.js",  # the metric scale bar in the page's language
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

    Uses ``npm pack`` (the npm registry npm is configured for), one call for every
    package not yet unpacked, with one quick retry so that a machine without network
    hears about it in seconds, not minutes.

    Raises
    ------
    CorridorError
        When npm is missing or a package cannot be fetched; the message names the fix.
    """
    cache = asset_cache_dir() if cache is None else Path(cache)
    missing = [p for p in PACKAGES if not (_package_dir(p, cache) / "package.json").is_file()]
    if not missing:
        return cache
    npm = npm or shutil.which("npm")
    if not npm:
        raise CorridorError(
            f"the map's libraries (Leaflet and its plugins) come from npm, which is not installed: {FIX}"
        )
    specs = [f"{p}@{PACKAGES[p]}" for p in missing]
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            _npm_pack(npm, specs, Path(tmp))
            for package in missing:
                _unpack(Path(tmp), package, cache)
    except OSError as exc:
        raise CorridorError(f"cannot fill the library cache {cache}: {exc.strerror or exc}") from exc
    return cache


def _npm_pack(npm: str, specs: list[str], into: Path) -> None:
    """``npm pack`` every spec into ``into``."""
    cmd = [npm, "pack", *specs, "--silent", "--pack-destination", str(into)]
    cmd += ["--fetch-retries=1", "--fetch-retry-mintimeout=2000", "--fetch-retry-maxtimeout=10000"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise CorridorError(f"npm took over 5 minutes to fetch {', '.join(specs)}: {FIX}") from exc
    if proc.returncode != 0:
        said = " ".join(proc.stderr.split())[-300:] or f"exit status {proc.returncode}"
        raise CorridorError(f"npm could not fetch {', '.join(specs)} ({said}): {FIX}")


def _unpack(tmp: Path, package: str, cache: Path) -> None:
    """Unpack the package's tarball from ``tmp`` into the cache (replacing a partial copy)."""
    # npm names a tarball after the package, a scope's "@" dropped and "/" made "-".
    tarball = tmp / f"{package.lstrip('@').replace('/', '-')}-{PACKAGES[package]}.tgz"
    if not tarball.is_file():
        raise CorridorError(f"npm wrote no {tarball.name} for {package}@{PACKAGES[package]}: {FIX}")
    unpack = tmp / f"unpacked-{tarball.stem}"
    with tarfile.open(tarball) as tar:
        tar.extractall(unpack, filter="data")
    target = _package_dir(package, cache)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(unpack / "package", target)


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


def inline_or_link(html: str, cache: Path | None = None) -> str:
    """``html`` with its libraries inlined, or, where they cannot be had, as it is with an :class:`AssetWarning`.

    The warning says why and how to fix it; the page then links the libraries from
    jsDelivr, so it draws where there is internet rather than not at all.
    """
    try:
        return inline_assets(html, cache)
    except CorridorError as exc:
        warnings.warn(
            f"{exc}. Until then the map links its libraries from jsDelivr and needs internet to open.",
            AssetWarning,
            stacklevel=2,
        )
        return html
