"""The one reading path: bytes to a table of text (encodings, delimiters, sheets, spatial files, frames), then typed."""

from __future__ import annotations

import json
import random

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pytest
from shapely.geometry import Point

import corridormap
from corridormap._read import Table, read_source
from corridormap._typed import typed_columns
from corridormap.errors import DataError
from corridormap.schema import LAYERS

from .conftest import TEST_DATA

OWN = TEST_DATA / "own_lists"
ROWS = [["甲公司", "121.2", "31.0"], ["乙, 有限", "120.7", "30.7"]]  # a comma inside a value: quoted in CSV


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8", bom: bytes = b"") -> object:
    path = tmp_path / name
    path.write_bytes(bom + text.encode(encoding))
    return path


def _csv(delim: str, newline: str = "\n") -> str:
    def cell(v):
        return f'"{v}"' if delim in v or "," in v else v

    return newline.join([delim.join(["名称", "经度", "纬度"]), *(delim.join(map(cell, r)) for r in ROWS)]) + newline


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", b"", "\n"),
        ("utf-8", b"\xef\xbb\xbf", "\r\n"),
        ("gb18030", b"", "\r\n"),
        ("utf-16-le", b"\xff\xfe", "\n"),
    ],
)
@pytest.mark.parametrize("delim", [",", "\t", ";"])
def test_text_files_in_any_encoding_and_delimiter_read_alike(tmp_path, encoding, bom, newline, delim):
    path = _write(tmp_path, "list.txt", _csv(delim, newline), encoding, bom)
    problems = []
    table = read_source(path, problems)
    assert table.columns == ["名称", "经度", "纬度"]
    assert table.text.to_pylist() == [dict(zip(table.columns, r)) for r in ROWS]
    assert problems == []  # an own list in GB18030 is normal, not a warning
    assert (
        table.encoding
        == {"utf-8": "utf-8-sig" if bom else "utf-8", "gb18030": "gb18030", "utf-16-le": "utf-16"}[encoding]
    )


def test_a_curated_file_not_in_utf8_is_read_with_a_warning(tmp_path):
    path = _write(tmp_path, "facts.csv", _csv(","), "gb18030")
    problems = []
    assert read_source(path, problems, strict=True) is not None
    assert [(p.severity, p.row) for p in problems] == [("warning", 1)] and "GBK/GB18030" in problems[0].message


def test_text_that_is_no_known_encoding_is_an_error_on_its_line(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(b"a,b\n1,2\n3,\xff\xfe\xff\n")
    problems = []
    assert read_source(path, problems) is None
    assert [(p.row, p.message) for p in problems] == [(3, "text is not UTF-8")]


def test_blank_rows_are_skipped_and_counted_and_line_numbers_stay_true(tmp_path):
    text = 'name,lon,lat\nA,121.2,31.0\n\n, , \n"B\nsecond line",oops,30.7\nC,120.7,30.7\n'
    path = _write(tmp_path, "list.csv", text)
    problems = []
    table = read_source(path, problems)
    assert [r["name"] for r in table.text.to_pylist()] == ["A", "B\nsecond line", "C"]
    assert [p.message for p in problems] == ["1 blank row skipped"]  # the empty line is no row at all
    assert [table.row(i) for i in range(3)] == [2, 5, 7]  # B starts on line 5, C on line 7


def test_rows_with_another_number_of_fields_are_reported_on_their_line(tmp_path):
    path = _write(tmp_path, "list.csv", "name,lon,lat\nA,121.2,31.0\nB,120.7\nC,120.7,30.7\n")
    problems = []
    table = read_source(path, problems)
    assert [r["name"] for r in table.text.to_pylist()] == ["A", "C"]
    assert [(p.row, p.message) for p in problems] == [(3, "has 2 fields, the header has 3")]


def test_many_short_lines_are_each_set_aside_on_their_line_the_first_twenty_reported_and_the_rest_counted(tmp_path):
    rows = ["name,lon,lat", "A,121.2,31.0", '"B\nsecond line",120.7,30.7']  # a value over two lines: lines 3-4
    rows += [f"short {k},120.{k}" if k % 3 else f"C{k},120.7,30.7" for k in range(60)]  # 40 short, 20 whole
    path = _write(tmp_path, "list.csv", "\n".join(rows) + "\n")
    problems = []
    table = read_source(path, problems)
    short = [line for line, row in enumerate(rows[3:], start=5) if row.startswith("short")]
    assert [line for line, _, _ in table.malformed] == short
    assert [cells[0] for _, cells, _ in table.malformed] == [r.split(",")[0] for r in rows[3:] if "short" in r]
    listed = [(p.row, p.field, p.message) for p in problems if p.row is not None]
    assert listed == [(line, "lat", "has 2 fields, the header has 3") for line in short[:20]]
    counts = [p.message for p in problems if p.row is None]
    assert counts == ["... and 20 more lines that do not split into the header's 3 fields"]
    assert len(table) == 2 + 20


def test_a_lenient_list_lists_every_short_line_and_keeps_no_count_as_an_error(tmp_path):
    rows = ["名称,经度,纬度", "甲公司,121.2277,31.0325", *(f"短{k},121.2" for k in range(30))]
    path = _write(tmp_path, "list.csv", "\n".join(rows) + "\n")
    gdf, missed = corridormap.read_points(path, errors="report")
    assert gdf["name"].tolist() == ["甲公司"]
    assert missed["line"].tolist() == list(range(3, 33))
    assert set(missed["reason"]) == {"has 2 fields, the header has 3"}
    with pytest.raises(DataError) as raised:
        corridormap.read_points(path)
    assert len(raised.value.errors) == 21 and raised.value.errors[-1].message.startswith("... and 10 more lines")


def test_unreadable_geometries_past_the_twentieth_are_counted_and_a_lenient_list_lists_them_all(tmp_path):
    point = {"type": "Point", "coordinates": [121.2, 31.0]}
    good = {"type": "Feature", "properties": {"名称": "甲"}, "geometry": point}
    bad = [{"type": "Feature", "properties": {"名称": f"乙{k}"}, "geometry": {"type": "Pointless"}} for k in range(25)]
    doc = {"type": "FeatureCollection", "features": [good, *bad]}
    path = _write(tmp_path, "list.geojson", json.dumps(doc, ensure_ascii=False))
    problems = []
    read_source(path, problems)
    assert [(p.row, p.message) for p in problems] == [
        *((row, "unreadable geometry") for row in range(2, 22)),
        (None, "... and 5 more unreadable geometries"),
    ]
    gdf, missed = corridormap.read_points(path, errors="report")
    assert gdf["name"].tolist() == ["甲"] and missed["line"].tolist() == list(range(2, 27))

    path = _write(tmp_path, "list.csv", "name, name ,,lon,\nA,B,x,1,\n")
    table = read_source(path, [])
    assert table.columns == ["name", "name (2)", "column 3", "lon"]


def test_a_workbook_sheet_is_read_with_its_own_row_numbers():
    problems = []
    table = read_source(OWN / "workbook.xlsx", problems)
    assert table.sheet == "企业名录"
    assert table.columns == ["序号", "企业名称", "经度", "纬度", "所属行业", "城市"]  # the title row above is skipped
    assert [table.row(i) for i in range(len(table))] == [3, 4, 5, 6, 8, 9, 10]  # row 7 is blank
    assert [(p.sheet, p.message) for p in problems] == [("企业名录", "1 blank row skipped")]
    assert table.text.column("经度").to_pylist()[0].replace(".", "").isdigit()  # numbers as text, as written


@pytest.mark.parametrize(
    ("sheet", "found"), [("说明", "说明"), ("2", "说明"), ("企业名录", "企业名录"), (None, "企业名录")]
)
def test_a_sheet_is_chosen_by_name_or_number(sheet, found):
    assert read_source(OWN / "workbook.xlsx", [], sheet=sheet).sheet == found


def test_an_unknown_sheet_names_those_there_are():
    problems = []
    assert read_source(OWN / "workbook.xlsx", problems, sheet="firms") is None
    assert problems[0].message == "no sheet 'firms' in the workbook" and "企业名录, 说明" in problems[0].hint


def test_spatial_files_come_with_wgs84_geometry():
    want = gpd.read_file(OWN / "points.geojson")  # the GeoPackage holds the same points in EPSG:4549
    for name in ("points.geojson", "points_cgcs2000.gpkg", "points.parquet"):
        table = read_source(OWN / name, [])
        assert table.columns == ["name", "industry"], name
        got = gpd.GeoSeries(table.geometry, crs=4326)
        assert abs(got.x - want.geometry.x).max() < 1e-7 and abs(got.y - want.geometry.y).max() < 1e-7, name


def test_a_curated_file_in_another_crs_is_refused_and_a_list_reprojected(tmp_path):
    gdf = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(121.2, 31.0)], crs=4326).to_crs(3857)
    gdf.to_file(tmp_path / "routes.geojson", driver="GeoJSON", engine="pyogrio")
    problems = []
    assert read_source(tmp_path / "routes.geojson", problems, strict=True) is None
    assert problems[0].field == "crs" and problems[0].message.endswith("EPSG::3857, not WGS-84")
    table = read_source(tmp_path / "routes.geojson", [])  # an own list: reprojected
    assert abs(table.geometry[0].x - 121.2) < 1e-9 and abs(table.geometry[0].y - 31.0) < 1e-9


def test_frames_are_read_with_their_index_labels_as_rows():
    df = pd.DataFrame({"name": ["a", None, "c"], "n": [1.5, None, 3.0]}, index=[10, 11, 12])
    df.loc[11, "name"] = None
    problems = []
    table = read_source(df, problems)
    assert table.file == "DataFrame" and table.text.to_pylist() == [{"name": "a", "n": "1.5"}, {"name": "c", "n": "3"}]
    assert [table.row(i) for i in range(2)] == [10, 12] and problems[0].message == "1 blank row skipped"
    gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(121.2, 31.0)], crs=4326)
    assert read_source(gdf, []).geometry[0].equals(Point(121.2, 31.0))


@pytest.mark.parametrize("seed", range(3))
def test_text_is_trimmed_and_blanks_are_missing_as_row_by_row(seed):
    """Every declared text column is trimmed, a blank cell missing, whatever the chunking of the table."""
    rng = random.Random(seed)
    pool = ["ai", " ai", "ai  ", "", "  ", "\u3000ai", "chips", "chips\t", "新材料", " 新材料 ", None]
    layer = LAYERS["enterprises"]
    n = 3000
    cols = {c: [rng.choice(pool) for _ in range(n)] for c in ("id", "name_en", "sector", "description", "note")}
    table = pa.Table.from_batches(pa.table(cols).to_batches(max_chunksize=700))  # several chunks, as the reader gives
    frame = typed_columns(Table("enterprises.csv", table), layer, [])
    for c, values in cols.items():
        want = [None if v is None or not v.strip() else v.strip() for v in values]
        assert [None if pd.isna(v) else v for v in frame[c]] == want, c


def test_a_shapefile_and_a_geopackage_layer(tmp_path):
    gdf = gpd.GeoDataFrame({"name": ["甲", "乙"]}, geometry=[Point(121.2, 31.0), Point(120.7, 30.7)], crs=4326)
    gdf.to_crs("EPSG:4549").to_file(tmp_path / "firms.shp", engine="pyogrio", encoding="utf-8")
    table = read_source(tmp_path / "firms.shp", [])
    assert table.text.column("name").to_pylist() == ["甲", "乙"]
    assert abs(gpd.GeoSeries(table.geometry).x - gdf.geometry.x).max() < 1e-7
    gdf.to_file(tmp_path / "two.gpkg", layer="a", engine="pyogrio")
    gdf.iloc[:1].to_file(tmp_path / "two.gpkg", layer="b", engine="pyogrio")
    assert len(read_source(tmp_path / "two.gpkg", [], sheet="b")) == 1
    problems = []
    assert read_source(tmp_path / "two.gpkg", problems, sheet="c") is None
    assert problems[0].message == "no layer 'c' in the file" and problems[0].hint == "layers: a, b"


def test_geojson_features_are_read_with_their_properties_as_text(tmp_path):
    path = tmp_path / "firms.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"name": "甲", "n": 3, "tags": ["a"]}, "geometry": {"type": "Point",'
        ' "coordinates": [121.2, 31.0]}},'
        '{"type": "Feature", "properties": {"name": "乙", "n": "many"}, "geometry": {"type": "Pointless"}},'
        '{"type": "Feature", "properties": null, "geometry": null}]}',
        encoding="utf-8",
    )
    problems = []
    table = read_source(path, problems)
    assert table.text.to_pylist() == [
        {"name": "甲", "n": "3", "tags": '["a"]'},
        {"name": "乙", "n": "many", "tags": None},
        {"name": None, "n": None, "tags": None},
    ]
    assert table.geometry[0].equals(Point(121.2, 31.0)) and table.geometry[1] is None and table.geometry[2] is None
    assert [(p.row, p.field, p.message) for p in problems] == [(2, "geometry", "unreadable geometry")]
