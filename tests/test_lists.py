"""Own lists as analysts hold them (tests/data/own_lists/, made by its make.py): read, placed, compared, joined."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import Point

import corridormap
from corridormap.errors import DataError
from corridormap.lists import OUTPUT_COLUMNS, ROLES, parse_columns

from .conftest import TEST_DATA

OWN = TEST_DATA / "own_lists"
GEOD = Geod(ellps="WGS84")
READ = {  # file -> read_points options
    "gb18030_zh.csv": {},
    "utf8_bom_crlf.csv": {},
    "tabs.tsv": {},
    "semicolon.csv": {},
    "workbook.xlsx": {},
    "amap_gcj02.csv": {"datum": "gcj02"},
    "baidu_bd09.csv": {"datum": "bd09"},
    "points.geojson": {},
    "points_cgcs2000.gpkg": {},
    "points.parquet": {},
    "needs_columns.csv": {"columns": "name=单位名称,lon=X坐标,lat=Y坐标"},
}


@pytest.fixture(scope="module")
def lists(corridor):
    return {f: corridormap.read_points(OWN / f, cities=corridor.cities, **kw) for f, kw in READ.items()}


def _sjoin_city(gdf, cities) -> list:
    """The city each point lies in, by geopandas' own spatial join (None outside the nine)."""
    joined = gpd.sjoin(gdf[["geometry"]], cities[["id", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    return [None if pd.isna(v) else v for v in joined["id"]]


@pytest.mark.parametrize("file", sorted(READ))
def test_each_list_is_read_whole_in_wgs84_with_its_city_as_sjoin_finds_it(lists, corridor, file):
    gdf = lists[file]
    assert gdf.crs.to_epsg() == 4326 and list(gdf.index) == list(range(len(gdf))) and len(gdf) >= 5
    assert [c for c in gdf.columns if c in OUTPUT_COLUMNS] == [c for c in OUTPUT_COLUMNS if c in gdf.columns]
    assert {"id", "name", "lon", "lat", "city_id", "location_precision", "source_ids"} <= set(gdf.columns)
    assert gdf["lon"].dtype == "float64" and gdf["lat"].dtype == "float64"
    assert (gdf.geometry.x == gdf["lon"]).all() and (gdf.geometry.y == gdf["lat"]).all()
    assert [None if pd.isna(v) else v for v in gdf["city_id"]] == _sjoin_city(gdf, corridor.cities)
    assert gdf["id"].is_unique and gdf["name"].notna().all()
    meta = gdf.attrs["corridormap"]
    assert meta["file"] == file and meta["name"] == file.rsplit(".", 1)[0]
    assert set(meta["source"]) == {"id", "title", "publisher", "date", "url"}
    assert (gdf["source_ids"] == meta["source"]["id"]).all()  # the list is its own source
    assert meta["extra"] == [c for c in gdf.columns if c not in (*OUTPUT_COLUMNS, "geometry")]


@pytest.mark.parametrize("file", ["amap_gcj02.csv", "baidu_bd09.csv"])
def test_converted_positions_lie_within_a_metre_of_the_wgs84_points(lists, file):
    gdf = lists[file]
    want_lon, want_lat = gdf["wgs84_lon"].astype(float), gdf["wgs84_lat"].astype(float)
    metres = GEOD.inv(gdf["lon"].to_numpy(), gdf["lat"].to_numpy(), want_lon.to_numpy(), want_lat.to_numpy())[2]
    assert metres.max() < 1.0
    assert gdf.attrs["corridormap"]["warnings"] == []  # converted, every point is in its stated city


@pytest.mark.parametrize(
    ("file", "datum", "name"), [("amap_gcj02.csv", "gcj02", "GCJ-02"), ("baidu_bd09.csv", "bd09", "BD-09")]
)
def test_a_list_read_in_the_wrong_datum_gets_a_hint_naming_the_right_one(corridor, file, datum, name):
    gdf = corridormap.read_points(OWN / file, cities=corridor.cities)  # as WGS-84: border points cross over
    warnings = gdf.attrs["corridormap"]["warnings"]
    (summary,) = [w for w in warnings if w.row is None and w.field is None]
    assert name in summary.message and f"--input-datum {datum}" in summary.hint
    assert re.search(r"~(0\.[4-9]|1\.[0-2]) km", summary.message)
    rows = [w for w in warnings if w.row is not None]
    assert len(rows) >= 5 and all(w.field == "所在城市" and f"--input-datum {datum}" in w.hint for w in rows)


def test_a_stated_city_that_disagrees_is_a_warning_naming_both(lists, corridor):
    gdf = lists["utf8_bom_crlf.csv"]
    (w,) = gdf.attrs["corridormap"]["warnings"]
    located = corridor.cities.set_index("id").loc[gdf["city_id"].iloc[4]]
    assert (w.file, w.row, w.field, w.severity) == ("utf8_bom_crlf.csv", 6, "City", "warning")
    assert (
        w.message
        == f"the point lies in {located['name_en']} ({located['name_zh']}), not in {gdf['city'].iloc[4]} as stated"
    )


@pytest.mark.parametrize(
    "stated", ["松江区", "松江", "Songjiang", "songjiang", "SONGJIANG DISTRICT", "上海", "上海市", "Shanghai"]
)
def test_a_stated_city_is_known_by_id_english_or_chinese_name(corridor, stated):
    seat = corridor.seats.set_index("city_id").loc["songjiang"]
    df = pd.DataFrame({"企业名称": ["甲"], "经度": [seat["lon"]], "纬度": [seat["lat"]], "城市": [stated]})
    gdf = corridormap.read_points(df, cities=corridor.cities)
    assert gdf["city_id"].tolist() == ["songjiang"] and gdf["city"].tolist() == [stated]
    assert gdf.attrs["corridormap"]["warnings"] == []


@pytest.mark.parametrize(("stated", "warned"), [("嘉兴", True), ("Hefei", True), ("hefei", True), ("宁波", False)])
def test_a_point_outside_its_stated_city(corridor, stated, warned):
    seat = corridor.seats.set_index("city_id").loc["songjiang"]
    df = pd.DataFrame({"name": ["a"], "lon": [seat["lon"]], "lat": [seat["lat"]], "city": [stated]})
    (w,) = corridormap.read_points(df, cities=corridor.cities).attrs["corridormap"]["warnings"]
    if warned:  # a corridor city that does not hold the point
        assert w.row == 0 and w.message.endswith(f"not in {stated} as stated") and "Songjiang" in w.message
    else:  # a city outside the corridor: said once for the column, not compared
        assert w.row is None and "宁波 (1 row)" in w.message


def test_columns_are_recognised_by_name_ignoring_case_spaces_punctuation_and_brackets(corridor):
    df = pd.DataFrame(
        {
            " Company Name ": ["a"],
            "经度（GCJ-02）": [121.2],
            "LAT.": [31.0],
            "所属行业": ["AI"],
            "Web-Site": ["https://x.cn"],
            "备注": ["kept"],
        }
    )
    gdf = corridormap.read_points(df, cities=corridor.cities)
    assert gdf.attrs["corridormap"]["roles"] == {
        "name": " Company Name ",
        "lon": "经度（GCJ-02）",
        "lat": "LAT.",
        "sector": "所属行业",
        "website": "Web-Site",
    }
    assert gdf["备注"].tolist() == ["kept"] and gdf.attrs["corridormap"]["extra"] == ["备注"]


def test_every_role_has_names_in_chinese_and_english_where_analysts_use_them():
    for role in ("name", "lon", "lat", "city", "sector", "address", "website"):
        names = ROLES[role]
        assert any(re.search(r"[\u4e00-\u9fff]", n) for n in names), role
        assert any(n.isascii() for n in names), role


def test_the_columns_option_names_every_role_a_list_can_have():
    from corridormap.cli import build_parser

    build = build_parser()._subparsers._group_actions[0].choices["build"]
    help_text = next(a.help for a in build._actions if "--columns" in a.option_strings)
    assert re.search(r"\(roles: (.*)\)", help_text).group(1).split(", ") == list(ROLES)


def test_columns_option_overrides_recognition(corridor):
    df = pd.DataFrame({"名称": ["a"], "x": [0.0], "经度": [121.2], "纬度": [31.0], "编号": ["1"]})
    gdf = corridormap.read_points(df, columns={"lon": "经度", "id": ""}, cities=corridor.cities)
    assert gdf["lon"].tolist() == [121.2] and gdf["id"].tolist() == ["own-list-0"]
    assert gdf["x"].tolist() == ["0"] and gdf["编号"].tolist() == ["1"]  # unused columns kept as text
    assert parse_columns("name=单位名称, lon=X坐标 ,lat=Y坐标") == {"name": "单位名称", "lon": "X坐标", "lat": "Y坐标"}
    with pytest.raises(corridormap.CorridorError, match="unknown role 'colour'"):
        parse_columns("colour=x")
    with pytest.raises(DataError, match=r"no column 'Longitude' \(given for lon in --columns\)"):
        corridormap.read_points(df, columns={"lon": "Longitude"}, cities=corridor.cities)


def test_ids_are_generated_stable_per_row_or_taken_as_given(lists, corridor):
    gdf = lists["gb18030_zh.csv"]
    assert gdf["id"].tolist() == [f"gb18030-zh-{line}" for line in range(2, 2 + len(gdf))]
    again = corridormap.read_points(OWN / "gb18030_zh.csv", cities=corridor.cities)
    assert again["id"].equals(gdf["id"])
    assert lists["workbook.xlsx"]["id"].tolist() == [str(k) for k in range(1, 8)]  # 序号
    df = pd.DataFrame({"id": ["a", "a"], "name": ["x", "y"], "lon": [121.2, 121.21], "lat": [31.0, 31.0]})
    with pytest.raises(DataError, match="DataFrame, index 1, field 'id': 'a' is used more than once"):
        corridormap.read_points(df, cities=corridor.cities)


def test_a_name_comes_from_name_en_or_name_zh_where_there_is_no_name(corridor):
    df = pd.DataFrame({"name_en": ["A", None], "name_zh": ["甲", "乙"], "lon": [121.2, 121.21], "lat": [31.0, 31.0]})
    gdf = corridormap.read_points(df, cities=corridor.cities)
    assert gdf["name"].tolist() == ["A", "乙"] and gdf["name_zh"].tolist() == ["甲", "乙"]


def test_a_geodataframe_and_its_crs(corridor):
    gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(121.2277, 31.0325)], crs=4326).to_crs(3857)
    got = corridormap.read_points(gdf, name="mine", cities=corridor.cities)
    assert got["lon"].iloc[0] == pytest.approx(121.2277) and got["city_id"].tolist() == ["songjiang"]
    assert got.attrs["corridormap"]["name"] == "mine" and got.attrs["corridormap"]["source"]["title"] == "mine"


@pytest.mark.parametrize(
    ("file", "where", "message"),
    [
        ("broken_no_coordinates.csv", "broken_no_coordinates.csv", "cannot tell which column holds the longitude"),
        ("broken_text_in_lon.csv", "broken_text_in_lon.csv, line 4, field '经度'", "'待补充' is not a number"),
        ("broken_outside.csv", "broken_outside.csv, line 5, field '经度'", "(116.397, 39.909) is outside the corridor"),
        ("broken_empty_sheet.xlsx", "broken_empty_sheet.xlsx, sheet 'Sheet1'", "the sheet is empty"),
        ("needs_columns.csv", "needs_columns.csv", "cannot tell which column holds the longitude, latitude"),
    ],
)
def test_broken_lists_are_refused_naming_file_line_and_field(corridor, file, where, message):
    with pytest.raises(DataError) as info:
        corridormap.read_points(OWN / file, cities=corridor.cities)
    (p,) = info.value.errors
    assert p.where == where and p.message.startswith(message)


def test_a_missing_list_says_so_plainly(tmp_path, corridor):
    with pytest.raises(DataError) as info:
        corridormap.read_points(tmp_path / "mine.csv", cities=corridor.cities)
    (p,) = info.value.errors
    assert p.message == f"file not found in {tmp_path}" and p.hint == "check the path"


def test_validate_checks_lists_and_never_raises(tmp_path):
    problems = corridormap.validate(
        lists=[OWN / "broken_text_in_lon.csv", ("mine", OWN / "tabs.tsv"), tmp_path / "gone.xlsx"], columns="colour=x"
    )
    assert {p.file for p in problems} == {"broken_text_in_lon.csv", "tabs.tsv", "gone.xlsx"}
    assert all("unknown role 'colour'" in p.message for p in problems)
    problems = corridormap.validate(lists=[OWN / "broken_text_in_lon.csv", ("mine", OWN / "tabs.tsv")])
    assert [(p.file, p.row) for p in problems if p.severity == "error"] == [("broken_text_in_lon.csv", 4)]


def test_city_summary_counts_each_list_in_a_column_of_its_name(corridor, lists):
    mine = lists["gb18030_zh.csv"]
    other = lists["tabs.tsv"].copy()
    other.attrs = {"corridormap": {**lists["tabs.tsv"].attrs["corridormap"], "name": "enterprises"}}
    s = corridormap.city_summary(corridor, [mine, other])
    assert list(s.columns[-2:]) == ["gb18030_zh", "enterprises (list)"]
    for col, gdf in zip(s.columns[-2:], (mine, other)):
        want = {cid: int((gdf["city_id"] == cid).sum()) for cid in corridor.cities["id"]}
        assert s[col].to_dict() == want
    assert s.drop(columns=s.columns[-2:]).equals(corridormap.city_summary(corridor))


def test_list_distances_join_city_station_and_routes(corridor, lists):
    gdf = lists["points.geojson"]
    got = corridormap.list_distances(corridor, gdf)
    assert list(got.index) == list(gdf.index) and got.attrs == gdf.attrs
    near = corridormap.nearest_stations(gdf, corridor.stops)
    dist = corridormap.route_distances(gdf, corridor.routes)
    assert got["nearest_stop_id"].tolist() == near["nearest_stop_id"].tolist()
    np.testing.assert_allclose(got["nearest_stop_m"], near["nearest_stop_m"])
    for rid in corridor.routes["id"]:
        np.testing.assert_allclose(got[f"{rid}_m"], dist[rid])
    names = corridor.cities.set_index("id")["name_en"]
    assert got["city_name_en"].tolist() == [names[c] for c in gdf["city_id"]]


def test_export_writes_lists_joined_next_to_the_layers(corridor, lists, tmp_path):
    gdf = lists["semicolon.csv"]
    written = corridormap.export_corridor(corridor, tmp_path, fmt="parquet", lists=[gdf])
    assert tmp_path / "semicolon.parquet" in written
    back = gpd.read_parquet(tmp_path / "semicolon.parquet")
    assert len(back) == len(gdf) and "nearest_stop_m" in back.columns


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        ("企业名称,经度,纬度\n", ".csv", "the file has a header but no rows"),
        ('{"type": "FeatureCollection", "features": []}', ".geojson", "the file has no features"),
    ],
)
def test_a_list_without_rows(tmp_path, corridor, text, suffix, message):
    path = tmp_path / f"empty{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        corridormap.read_points(path, cities=corridor.cities)
    assert [p.message for p in info.value.errors] == [message]


def test_a_point_of_a_spatial_list_outside_the_region_names_its_feature(tmp_path, corridor):
    gdf = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[Point(121.2, 31.0), Point(2.35, 48.85)], crs=4326)
    with pytest.raises(DataError) as info:
        corridormap.read_points(gdf, cities=corridor.cities)
    (p,) = info.value.errors
    assert (p.row, p.field) == (1, "geometry") and "outside the corridor region" in p.message


def test_a_list_with_mac_line_endings_reads_as_the_same_list(lists, corridor, tmp_path):
    """Excel for Mac's "CSV (Macintosh)" ends lines in a lone CR: the same rows, and a bad value's
    line number counts those line ends."""
    lines = (OWN / "gb18030_zh.csv").read_bytes().replace(b"\r\n", b"\n").split(b"\n")
    mac = tmp_path / "gb18030_zh.csv"
    mac.write_bytes(b"\r".join(lines))
    got, want = corridormap.read_points(mac, cities=corridor.cities), lists["gb18030_zh.csv"]
    cols = ["id", "name", "lon", "lat", "city_id"]
    pd.testing.assert_frame_equal(pd.DataFrame(got[cols]), pd.DataFrame(want[cols]))
    header = lines[0].decode("gb18030").split(",")
    lon = next(i for i, h in enumerate(header) if h == "经度")
    row = lines[3].decode("gb18030").split(",")
    row[lon] = "待补充"
    lines[3] = ",".join(row).encode("gb18030")
    mac.write_bytes(b"\r".join(lines))
    with pytest.raises(DataError) as err:
        corridormap.read_points(mac, cities=corridor.cities)
    assert [(p.row, p.field) for p in err.value.problems if p.severity == "error"] == [(4, "经度")]


def test_blank_lines_before_the_header_are_skipped_and_lines_still_counted(corridor, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n\n企业名称,经度,纬度\n甲公司,121.2277,31.0325\n\n乙公司,待补充,30.75\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        corridormap.read_points(path, cities=corridor.cities)
    assert [(p.row, p.field) for p in err.value.problems if p.severity == "error"] == [(6, "经度")]
    path.write_text("\n\n企业名称,经度,纬度\n甲公司,121.2277,31.0325\n", encoding="utf-8")
    assert corridormap.read_points(path, cities=corridor.cities)["name"].tolist() == ["甲公司"]
