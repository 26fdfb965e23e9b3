"""The shipped data: every record passes the schema, geometry is sound and WGS-84."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import corridormap
from corridormap.schema import LAYERS, METRIC_CRS

from .conftest import GEODATA


def _records():
    for name, layer in LAYERS.items():
        path = GEODATA / layer.file
        if layer.file.endswith(".csv"):
            n = len(pd.read_csv(path, dtype=str))
            offset = 2
        else:
            n = len(json.loads(path.read_text(encoding="utf-8"))["features"])
            offset = 1
        for i in range(n):
            yield pytest.param(layer.file, i + offset, id=f"{name}-{i + offset}")


@pytest.fixture(scope="module")
def all_problems():
    return corridormap.validate(GEODATA)


@pytest.mark.parametrize(("file", "row"), list(_records()))
def test_every_shipped_record_is_clean(all_problems, file, row):
    mine = [str(p) for p in all_problems if p.file == file and p.row == row and p.severity == "error"]
    assert mine == []


def test_whole_data_set_has_no_errors(all_problems):
    assert [str(p) for p in all_problems if p.severity == "error"] == []


def test_nine_cities_with_the_expected_adcodes(corridor):
    got = dict(zip(corridor.cities["id"], corridor.cities["adcode"]))
    assert got == {
        "songjiang": 310117,
        "jiaxing": 330400,
        "hangzhou": 330100,
        "jinhua": 330700,
        "huzhou": 330500,
        "suzhou": 320500,
        "xuancheng": 341800,
        "wuhu": 340200,
        "hefei": 340100,
    }


def test_cities_form_a_valid_coverage_without_gaps(corridor):
    geoms = corridor.cities.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    # No overlaps, and no gaps narrower than ~100 m between neighbours.
    assert shapely.coverage_is_valid(geoms, gap_width=0.001)
    m = corridor.cities.to_crs(METRIC_CRS)
    by_id = dict(zip(m["id"], m.geometry))
    pairs = {(a, b) for a in by_id for b in by_id if a < b and by_id[a].intersects(by_id[b])}
    # The neighbours as on any map of the region (Songjiang touches none of the others).
    assert pairs == {
        ("hangzhou", "jiaxing"),
        ("huzhou", "jiaxing"),
        ("jiaxing", "suzhou"),
        ("hangzhou", "jinhua"),
        ("hangzhou", "huzhou"),
        ("hangzhou", "xuancheng"),
        ("huzhou", "suzhou"),
        ("huzhou", "xuancheng"),
        ("wuhu", "xuancheng"),
        ("hefei", "wuhu"),
    }
    for a, b in pairs:
        # Shared borders are lines of real length: no overlap, no point contact.
        assert by_id[a].intersection(by_id[b]).area < 1.0, (a, b)
        assert by_id[a].boundary.intersection(by_id[b].boundary).length > 40_000, (a, b)


def test_boundaries_are_small_enough_to_ship():
    assert (GEODATA / "cities.geojson").stat().st_size <= 150 * 1024


def test_sixty_seven_divisions_per_city(corridor):
    div = corridor.divisions
    assert len(div) == 67
    assert div["adcode"].is_unique
    assert div.groupby("city_id").size().to_dict() == {
        "songjiang": 1,
        "jiaxing": 7,
        "hangzhou": 13,
        "jinhua": 9,
        "huzhou": 5,
        "suzhou": 9,
        "xuancheng": 7,
        "wuhu": 7,
        "hefei": 9,
    }
    # GB/T 2260: a division's code begins with its city's four digits (Songjiang is its own).
    city_code = dict(zip(corridor.cities["id"], corridor.cities["adcode"]))
    for code, cid in zip(div["adcode"], div["city_id"]):
        assert code // 100 == city_code[cid] // 100, (code, cid)
    assert {"临平区", "钱塘区", "无为市", "广德市", "湾沚区", "繁昌区", "临安区"} <= set(div["name_zh"])


def test_divisions_nest_exactly_in_their_cities(corridor):
    div, cities = corridor.divisions, corridor.cities
    assert shapely.coverage_is_valid(div.geometry.to_numpy(), gap_width=0.001)
    for cid, city in zip(cities["id"], cities.geometry):
        union = shapely.union_all(div.geometry[div["city_id"] == cid].to_numpy(), grid_size=1e-4)
        assert union.symmetric_difference(city).area == pytest.approx(0.0, abs=1e-9), cid


def test_division_reference_points_lie_inside_and_areas_add_up(corridor):
    div = corridor.divisions
    assert shapely.contains_xy(div.geometry.to_numpy(), div["rep_lon"], div["rep_lat"]).all()
    # Source-polygon areas against the drawn (simplified) ones: within 2 %.
    drawn = div.to_crs(METRIC_CRS).area / 1e6
    assert np.allclose(drawn, div["area_km2"], rtol=0.02)


def test_division_outlines_are_lean():
    # Shared borders are stored twice in the file; the page draws them once (budget 250 KB).
    assert (GEODATA / "divisions.geojson").stat().st_size <= 360 * 1024


def test_seats_lie_inside_their_city(corridor):
    # Also a datum check: a GCJ-02 or swapped dataset would fail for some seats.
    joined = gpd.sjoin(corridor.seats, corridor.cities[["id", "geometry"]], predicate="within")
    assert sorted(joined["city_id"]) == sorted(joined["id"]) == sorted(corridor.cities["id"])


def test_provinces_contain_their_corridor_cities(corridor):
    prov = dict(zip(corridor.provinces["name_en"], corridor.provinces.geometry))
    for _, city in corridor.cities.iterrows():
        inside = prov[city["province_en"]].buffer(1e-6).contains(city.geometry)
        assert inside, city["id"]


def test_routes_pass_through_their_claimed_cities(corridor):
    routes = corridor.routes.to_crs(METRIC_CRS)
    cities = corridor.cities.to_crs(METRIC_CRS).set_index("id")
    for _, r in routes.iterrows():
        for cid in r["city_ids"].split(";"):
            assert r.geometry.intersection(cities.geometry[cid]).length > 1_000, (r["id"], cid)


def test_stops_lie_on_their_line_in_order(corridor):
    routes = corridor.routes.to_crs(METRIC_CRS).set_index("id")
    stops = corridor.stops.to_crs(METRIC_CRS)
    assert set(stops["route_id"]) == set(routes.index)
    for rid, group in stops.groupby("route_id"):
        group = group.sort_values("seq")
        line = routes.geometry[rid]
        assert group.distance(line).max() <= 50, rid
        pos = shapely.line_locate_point(line, group.geometry.to_numpy())
        assert (np.diff(pos) > 0).all(), rid
        assert shapely.get_num_coordinates(line) == len(group), rid


def test_schematic_routes_say_so(corridor):
    assert set(corridor.routes["geometry_precision"]) == {"schematic"}


def test_shanghai_suzhou_huzhou_railway_stations_in_order(corridor):
    st = corridor.stops[corridor.stops["route_id"] == "shanghai-suzhou-huzhou-hsr"].sort_values("seq")
    assert list(st["name_zh"]) == ["上海虹桥", "上海松江", "练塘", "苏州南", "盛泽", "湖州南浔", "湖州东", "湖州"]
    r = corridor.routes.set_index("id").loc["shanghai-suzhou-huzhou-hsr"]
    assert (r["opened"], r["design_speed_kmh"]) == ("2024-12-26", 350)


def test_every_source_is_used_and_every_used_source_exists(corridor):
    used = set()
    for frame in corridor.layers().values():
        if "source_ids" in frame.columns:
            used |= set(frame["source_ids"].dropna().str.split(";").explode())
    assert used == set(corridor.sources["id"])


def test_article_organisations_are_all_there(corridor):
    names = " | ".join(corridor.enterprises["name_en"])
    for org in [
        "Huasun",
        "Aoji",
        "Advanced Photovoltaic Research Institute",
        "Conch",
        "Kaisheng",
        "Starpower",
        "Zhengcheng",
        "Hengtong",
        "LandSpace",
        "Jingrui",
        "Huadong",
        "iFlytek",
        "Huihe",
        "Donghua",
    ]:
        assert org in names, org


def test_enclave_links_its_five_named_tenants(corridor):
    enc = corridor.enclaves.set_index("id").loc["xuancheng-sci-tech-center"]
    assert enc["opened"] == "2023-09-22" and enc["companies_count"] == 13
    tenants = set(enc["tenant_ids"].split(";"))
    assert len(tenants) == 5 and tenants <= set(corridor.enterprises["id"])


def _ids_of(file):
    return list(pd.read_csv(GEODATA / file, dtype=str)["id"])


@pytest.mark.parametrize("home_id", _ids_of("enclave_homes.csv"))
def test_enclave_home_lies_outside_the_nine_in_its_province_and_is_used(corridor, home_id):
    home = corridor.enclave_homes.set_index("id").loc[home_id]
    assert not corridor.cities.geometry.contains(home.geometry).any()
    assert home_id not in set(corridor.cities["id"])
    provinces = corridor.provinces.set_index("name_en")
    if home["province_en"] in provinces.index:  # only Shanghai, Jiangsu, Zhejiang and Anhui are drawn
        assert provinces.geometry[home["province_en"]].contains(home.geometry)
        assert home["province_zh"] == provinces.loc[home["province_en"], "name_zh"]
    homes_of = corridor.enclaves["host_city_ids"].fillna("").str.split(";")
    assert homes_of.apply(lambda ids: home_id in ids).any(), "no enclave names this home"
    assert set(home["source_ids"].split(";")) <= set(corridor.sources["id"])


@pytest.mark.parametrize("enclave_id", _ids_of("enclaves.csv"))
def test_every_enclave_home_is_a_corridor_city_or_an_enclave_home(corridor, enclave_id):
    enclave = corridor.enclaves.set_index("id").loc[enclave_id]
    known = set(corridor.cities["id"]) | set(corridor.enclave_homes["id"])
    value = enclave["host_city_ids"]
    homes = [] if pd.isna(value) else value.split(";")
    assert set(homes) <= known
    if enclave["kind"] == "enclave":
        assert len(homes) == 1 and homes[0] != enclave["city_id"], "an enclave has one home, not its host"


def test_jiaxing_seat_is_the_municipal_government_point_on_the_g60(corridor):
    seat = corridor.seats.set_index("city_id").loc["jiaxing"]
    assert seat["seat_kind"] == "government" and seat["location_precision"] == "site"
    g60 = corridor.routes.set_index("id").geometry["g60-expressway"]
    vertices = shapely.get_coordinates(g60)
    assert ((vertices[:, 0] == seat["lon"]) & (vertices[:, 1] == seat["lat"])).any()
