"""Everything that knows folium: the map, its layers, popups, assets and writing HTML."""

from .assets import fetch_assets, inline_assets
from .basemaps import BASEMAPS, REGIONS
from .map import LANGS, build_map, render_html
from .write import save_map

__all__ = ["BASEMAPS", "LANGS", "REGIONS", "build_map", "fetch_assets", "inline_assets", "render_html", "save_map"]
