"""Base layers, with the datum their tiles are drawn in.

Gaode/AMap tiles are drawn in GCJ-02; everything else here is WGS-84 (Tianditu
uses CGCS2000, which agrees with WGS-84 to centimetres). The map shifts its
overlays to GCJ-02 while a GCJ-02 basemap is showing and back afterwards.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import xyzservices.providers as xyz
from xyzservices import TileProvider

from ..options import BASEMAP_KEYS
from ..options import REGIONS as REGION_KEYS

__all__ = ["BASEMAPS", "REGIONS", "Basemap", "available_basemaps"]

TIANDITU_ENV = "TIANDITU_KEY"


def _tianditu(layer: str) -> TileProvider:
    return TileProvider(
        name=f"Tianditu.{layer}",
        url=(
            "https://t{s}.tianditu.gov.cn/" + layer + "_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=" + layer + "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
            "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={apikey}"
        ),
        attribution="(C) Tianditu / National Platform for Common GeoSpatial Information Services",
        html_attribution='&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>',
        subdomains="01234567",
        max_zoom=18,
        apikey="<insert your Tianditu key here>",
    )


def _gaode(provider: TileProvider) -> TileProvider:
    # xyzservices pins one host over http; AMap serves the same tiles on four hosts over https.
    p = provider.copy()
    p["url"] = p["url"].replace("http://", "https://").replace("01.is.autonavi", "0{s}.is.autonavi")
    p["subdomains"] = "1234"
    return p


@dataclass(frozen=True)
class Basemap:
    """A base layer: one or more tile providers drawn together (e.g. Tianditu + its labels)."""

    key: str
    name_en: str
    name_zh: str
    providers: tuple[TileProvider, ...]
    datum: str = "wgs84"  # or "gcj02"
    needs_key: str | None = None  # environment variable / option that supplies the key


BASEMAPS: dict[str, Basemap] = {
    b.key: b
    for b in (
        # CARTO's Positron now needs an API key (xyzservices warns); Esri's gray canvas needs none.
        Basemap("light", "Light gray (Esri)", "浅灰底图 (Esri)", (xyz.Esri.WorldGrayCanvas,)),
        Basemap("osm", "OpenStreetMap", "开放街道地图 (OpenStreetMap)", (xyz.OpenStreetMap.Mapnik,)),
        Basemap("gaode", "Gaode road map (GCJ-02)", "高德地图", (_gaode(xyz.Gaode.Normal),), "gcj02"),
        Basemap("gaode-satellite", "Gaode satellite (GCJ-02)", "高德卫星图", (_gaode(xyz.Gaode.Satellite),), "gcj02"),
        Basemap(
            "tianditu", "Tianditu vector", "天地图矢量", (_tianditu("vec"), _tianditu("cva")), needs_key=TIANDITU_ENV
        ),
        Basemap(
            "tianditu-imagery",
            "Tianditu imagery",
            "天地图影像",
            (_tianditu("img"), _tianditu("cia")),
            needs_key=TIANDITU_ENV,
        ),
        Basemap("none", "No basemap", "无底图", ()),
    )
}

# --region: which basemap is shown first and how the rest are ordered.
# The names of regions and basemaps are options.REGIONS and options.BASEMAP_KEYS (tests/test_basemaps.py ties them).
_CN_ORDER = ("gaode", "gaode-satellite", "tianditu", "tianditu-imagery", "light", "osm", "none")
REGIONS: dict[str, tuple[str, ...]] = dict(zip(REGION_KEYS, (BASEMAP_KEYS, _CN_ORDER), strict=True))


def available_basemaps(tianditu_key: str | None = None) -> tuple[dict[str, Basemap], dict[str, str]]:
    """Return the basemaps that can be offered, and a note for each one left out.

    Tianditu needs the user's own key: ``tianditu_key`` or ``$TIANDITU_KEY``.
    """
    key = tianditu_key or os.environ.get(TIANDITU_ENV) or None
    offered, notes = {}, {}
    for k, b in BASEMAPS.items():
        if b.needs_key and not key:
            notes[k] = f"{b.name_en} not offered: needs a Tianditu key (--tianditu-key or ${TIANDITU_ENV})"
            continue
        if b.needs_key:
            b = Basemap(b.key, b.name_en, b.name_zh, tuple(p.copy() for p in b.providers), b.datum, b.needs_key)
            for p in b.providers:
                p["apikey"] = key
        offered[k] = b
    return offered, notes
