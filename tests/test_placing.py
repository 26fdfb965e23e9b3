"""Lists with no coordinates placed by the places they name (city, district, address), through the
real command. The truth is the polygon each firm must fall in (divisions.geojson or cities.geojson,
point in polygon), written by hand beside the corpus, not the matcher's own table."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import corridormap
from corridormap.errors import DataError

from .conftest import GEODATA, TEST_DATA
from .test_cli import command

OWN = TEST_DATA / "own_lists"
TRUTH = pd.read_csv(OWN / "places_truth.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    res = command(
        "export", "--out", str(out), "--format", "geojson",
        "--enterprises", str(OWN / "address_only.csv"), "--enterprises", str(OWN / "city_only.csv"),
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    return out, res


def _truth_polygon(truth: str):
    divisions = gpd.read_file(GEODATA / "divisions.geojson")
    cities = gpd.read_file(GEODATA / "cities.geojson")
    if truth.isdigit():
        return divisions.geometry[divisions["adcode"].astype(str) == truth].iloc[0], "district"
    return cities.geometry[cities["id"] == truth].iloc[0], "city"


@pytest.mark.cli
@pytest.mark.parametrize("stem", ["address_only", "city_only"])
def test_each_firm_falls_in_the_polygon_its_text_names(exported, stem):
    out, _ = exported
    got = gpd.read_file(out / f"{stem}.geojson").set_index("name")
    truth = TRUTH[(TRUTH["file"] == f"{stem}.csv") & (TRUTH["truth"] != "")]
    assert sorted(got.index) == sorted(truth["name"])  # the unplaceable rows are left out, nothing else
    for name, want in zip(truth["name"], truth["truth"]):
        polygon, precision = _truth_polygon(want)
        point = got.geometry[name]
        assert shapely.contains(polygon, point), (name, want)
        assert got.loc[name, "location_precision"] == precision, name
        assert got.loc[name, "placed_by"].split(" → ")[0] in ("address", "city"), name


@pytest.mark.cli
def test_the_command_says_what_was_placed_and_lists_the_rest(exported, tmp_path):
    out = tmp_path / "map.html"
    res = command("build", "--enterprises", str(OWN / "address_only.csv"), "--out", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    missed = pd.read_csv(tmp_path / "map-not-placed.csv", dtype=str, encoding="utf-8-sig")
    assert missed["line"].tolist() == ["19", "20", "21"]
    assert "names Shanghai but not Songjiang" in missed["reason"].iloc[0]
    assert "names none of the corridor's cities or districts" in missed["reason"].iloc[1]


@pytest.mark.cli
def test_validate_refuses_an_address_list_naming_line_field_and_reason():
    res = command("validate", "--enterprises", str(OWN / "address_only.csv"), "--format", "json")
    doc = json.loads(res.stdout)
    assert res.returncode == 2
    errors = [p for p in doc["problems"] if p["severity"] == "error"]
    assert [(p["row"], p["field"]) for p in errors][:2] == [(19, "注册地址"), (20, "注册地址")]
    assert "长兴岛" in errors[0]["message"] and "cannot be placed" in errors[0]["message"]


def test_read_points_places_by_address_and_reports_the_rest(corridor):
    gdf, missed = corridormap.read_points(OWN / "address_only.csv", cities=corridor.cities, errors="report")
    by_name = gdf.set_index("name")
    assert by_name.loc["示例地址甲公司", "placed_by"] == "address → 余杭区"
    assert by_name.loc["示例地址甲公司", "division_adcode"] == "330110"
    assert by_name.loc["示例地址寅公司", "placed_by"] == "address → 合肥市"  # 宁国路 is a street
    assert pd.isna(by_name.loc["示例地址寅公司", "division_adcode"])
    # a firm placed to a division is at the division's reference point
    div = corridor.divisions.set_index("adcode")
    assert by_name.loc["示例地址甲公司", "lon"] == div.loc[330110, "rep_lon"]
    assert missed["line"].tolist() == [19, 20, 21]
    with pytest.raises(DataError) as info:
        corridormap.read_points(OWN / "address_only.csv", cities=corridor.cities)
    assert [p.row for p in info.value.errors if p.severity == "error"] == [19, 20, 21]


def test_rows_with_coordinates_keep_them(corridor):
    firms = pd.DataFrame(
        {
            "企业名称": ["甲", "乙"],
            "经度": [121.2277, 120.0],
            "纬度": [31.0325, 30.3],
            "注册地址": ["杭州市余杭区", "x"],
        }
    )
    gdf = corridormap.read_points(firms, cities=corridor.cities)
    assert gdf["lon"].tolist() == [121.2277, 120.0] and "placed_by" not in gdf.columns


def test_a_district_column_is_read_with_the_city_column(corridor):
    firms = pd.DataFrame(
        {"企业名称": ["甲", "乙", "丙"], "城市": ["杭州", "湖州", "苏州"], "区县": ["余杭", "安吉县", "吴江区"]}
    )
    gdf = corridormap.read_points(firms, cities=corridor.cities)
    assert gdf["placed_by"].tolist() == ["district → 余杭区", "district → 安吉县", "district → 吴江区"]
    assert (gdf["location_precision"] == "district").all()
    assert np.isfinite(gdf["lon"]).all()


@pytest.mark.cli
def test_export_gives_each_firm_its_division(exported):
    out, _ = exported
    got = gpd.read_file(out / "address_only.geojson").set_index("name")
    truth = TRUTH[(TRUTH["file"] == "address_only.csv") & (TRUTH["truth"] != "")].set_index("name")["truth"]
    want = truth.where(truth.str.isdigit(), None)  # a firm placed only to its city has no division
    assert got["division_adcode"].reindex(want.index).fillna("").tolist() == want.fillna("").tolist()
    assert (out / "divisions.geojson").exists() and (out / "division_aliases.csv").exists()


@pytest.mark.cli
def test_stats_by_district_counts_each_division():
    res = command("stats", "--by", "district", "--format", "csv", "--enterprises", str(OWN / "address_only.csv"))
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(pd.io.common.StringIO(res.stdout), dtype={"adcode": str}).set_index("adcode")
    assert len(table) == 67
    truth = TRUTH[(TRUTH["file"] == "address_only.csv") & TRUTH["truth"].str.isdigit()]["truth"].value_counts()
    assert table["address_only"][table["address_only"] > 0].to_dict() == truth.to_dict()
    assert "17 of 19 firms placed" in res.stderr and "; 2 not placed, 1 row skipped (1 total row)" in res.stderr


@pytest.mark.cli
def test_a_mixed_list_places_rows_without_coordinates_by_address(tmp_path):
    """Coordinate columns, some rows blank there: those are placed by their address, the others keep
    their coordinates (even beside an address naming another city); a row with neither, or with
    half a coordinate, is not placed, with its line and reason."""
    out = tmp_path / "map.html"
    res = command("build", "--enterprises", str(OWN / "mixed.csv"), "--out", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "9 of 11 firms placed (5 by coordinates, 3 by address to a district, 1 by address to a city)" in res.stderr
    missed = pd.read_csv(tmp_path / "map-not-placed.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert missed[["line", "field"]].values.tolist() == [["11", "注册地址"], ["12", "纬度"]]
    assert "so are the coordinates (经度, 纬度)" in missed["reason"].iloc[0]
    assert missed["reason"].iloc[1] == "value is missing"
    res = command("export", "--out", str(tmp_path), "--format", "geojson", "--enterprises", str(OWN / "mixed.csv"))
    assert res.returncode == 0, res.stdout + res.stderr
    got = gpd.read_file(tmp_path / "mixed.geojson").set_index("name")
    truth = pd.read_csv(OWN / "mixed_truth.csv", dtype=str, keep_default_na=False)
    placed = truth[truth["truth"] != ""]
    assert sorted(got.index) == sorted(placed["name"])
    given = pd.read_csv(OWN / "mixed.csv", dtype={"经度": float, "纬度": float}).set_index("企业名称")
    for name, want, how in placed.itertuples(index=False):
        polygon, precision = _truth_polygon(want)
        point = got.geometry[name]
        assert shapely.contains(polygon, point), (name, want)
        if how == "coordinates":
            assert (point.x, point.y) == pytest.approx((given.loc[name, "经度"], given.loc[name, "纬度"]), abs=1e-9)
            assert pd.isna(got.loc[name, "placed_by"]), name
        else:
            assert got.loc[name, "location_precision"] == precision, name
            assert got.loc[name, "placed_by"].startswith("address → "), name
    res = command("validate", "--enterprises", str(OWN / "mixed.csv"))
    assert res.returncode == 2 and "line 11" in res.stdout + res.stderr and "line 12" in res.stdout + res.stderr
