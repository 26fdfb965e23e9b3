"""Choices the command line offers, kept apart so that ``corridormap --help`` imports nothing heavy.

``render/`` holds what each choice means (basemap providers, page labels); this module only
names them, once.
"""

from __future__ import annotations

__all__ = ["BASEMAP_KEYS", "DATUMS", "EXPORT_FORMATS", "LANGS", "REGIONS"]

LANGS = ("both", "en", "zh")
REGIONS = ("world", "cn")
BASEMAP_KEYS = ("light", "osm", "gaode", "gaode-satellite", "tianditu", "tianditu-imagery", "none")
DATUMS = ("wgs84", "gcj02", "bd09")  # WGS-84 (GPS, OpenStreetMap), GCJ-02 (Gaode/AMap, Tencent), BD-09 (Baidu)
EXPORT_FORMATS = ("geojson", "gpkg", "parquet")
