"""Names, written once: the choices the command line offers, and the overlays' names.

Kept apart so that ``corridormap --help`` imports nothing heavy. ``render/`` holds what each
choice means (basemap providers, page labels); this module only names them.
"""

from __future__ import annotations

__all__ = ["BASEMAP_KEYS", "DATUMS", "EXPORT_FORMATS", "LANGS", "OVERLAYS", "REGIONS"]

LANGS = ("both", "en", "zh")
REGIONS = ("world", "cn")
BASEMAP_KEYS = ("light", "osm", "gaode", "gaode-satellite", "tianditu", "tianditu-imagery", "none")
DATUMS = ("wgs84", "gcj02", "bd09")  # WGS-84 (GPS, OpenStreetMap), GCJ-02 (Gaode/AMap, Tencent), BD-09 (Baidu)
EXPORT_FORMATS = ("geojson", "gpkg", "parquet")

# Overlay key -> (English, Chinese) layer name (the page and views.PointLayer); own lists are named after their file.
OVERLAYS: dict[str, tuple[str, str]] = {
    "provinces": ("Provinces (context)", "省界（背景）"),
    "cities": ("Nine cities", "九城市"),
    "divisions": ("Counties & districts", "区县"),
    "g60-expressway": ("G60 Expressway (schematic)", "沪昆高速（示意）"),
    "shanghai-suzhou-huzhou-hsr": ("Shanghai–Suzhou–Huzhou railway & stations (schematic)", "沪苏湖高铁及车站（示意）"),
    "shangqiu-hefei-hangzhou-hsr": ("Shangqiu–Hefei–Hangzhou railway (context, schematic)", "商合杭高铁（背景，示意）"),
    "enterprises": ("Enterprises & institutes", "企业与机构"),
    "enclaves": ("Innovation enclaves", "科创飞地"),
    "flows": ("Enclave flows (home city → enclave)", "飞地流向（所属城市→飞地）"),
    "places": ("Places", "地点"),
}
