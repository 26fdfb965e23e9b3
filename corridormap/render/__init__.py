"""Everything that knows folium: the map, its layers, the page's data and script, assets and writing HTML."""

from .assets import AssetWarning, fetch_assets, inline_assets
from .basemaps import BASEMAPS, REGIONS
from .labels import LANGS
from .map import render_bytes, render_html, render_map
from .write import save_map

__all__ = [
    "BASEMAPS",
    "LANGS",
    "REGIONS",
    "AssetWarning",
    "fetch_assets",
    "inline_assets",
    "render_bytes",
    "render_html",
    "render_map",
    "save_map",
]
