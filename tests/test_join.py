"""Joins against hand-computed expectations on a tiny fixture."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from pyproj import Geod
from shapely.geometry import LineString, Point, box

from corridormap.join import nearest_stations, points_to_cities, route_distances, routes_to_cities

GEOD = Geod(ellps="WGS84")


@pytest.fixture
def cities():
    # Two 0.2-degree squares side by side, split at 120°E.
    return gpd.GeoDataFrame(
        {
            "id": ["west", "east"],
            "name_en": ["West", "East"],
            "name_zh": ["西", "东"],
            "province_en": ["P", "P"],
            "province_zh": ["省", "省"],
            "adcode": [1, 2],
        },
        geometry=[box(119.8, 29.9, 120.0, 30.1), box(120.0, 29.9, 120.2, 30.1)],
        crs=4326,
    )


@pytest.fixture
def points():
    return gpd.GeoDataFrame(
        {"id": ["a", "b", "c"], "city_id": ["west", "west", "east"]},
        geometry=[Point(119.9, 30.0), Point(120.1, 30.05), Point(121.0, 30.0)],
        crs=4326,
    )


def test_points_to_cities(points, cities):
    got = points_to_cities(points, cities)
    expected = gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c"],
            "city_id": ["west", "west", "east"],
            "located_city_id": ["west", "east", None],
            "city_name_en": ["West", "East", None],
            "city_name_zh": ["西", "东", None],
            "province_en": ["P", "P", None],
            "province_zh": ["省", "省", None],
            "adcode": [1.0, 2.0, None],
            "city_mismatch": [False, True, True],
        },
        geometry=points.geometry,
        crs=4326,
    )
    got = got[list(expected.columns)]
    got["adcode"] = got["adcode"].astype(float)
    assert_geodataframe_equal(got, expected, check_dtype=False)  # a point in no city: missing values, not ""


def test_routes_to_cities_lengths_in_metres(cities):
    routes = gpd.GeoDataFrame({"id": ["r"]}, geometry=[LineString([(119.9, 30.0), (120.15, 30.0)])], crs=4326)
    got = routes_to_cities(routes, cities)
    assert list(got["city_id"]) == ["west", "east"]
    # Hand computation: geodesic lengths of 0.1° and 0.15° of longitude at 30°N.
    west = GEOD.line_length([119.9, 120.0], [30.0, 30.0])
    east = GEOD.line_length([120.0, 120.15], [30.0, 30.0])
    assert got["length_m"].iloc[0] == pytest.approx(west, rel=2e-3)
    assert got["length_m"].iloc[1] == pytest.approx(east, rel=2e-3)
    assert got.crs.to_epsg() == 4326


def test_nearest_station(points):
    stops = gpd.GeoDataFrame(
        {
            "id": ["s1", "s2", "i1"],
            "name_en": ["S1", "S2", "I1"],
            "route_id": ["r", "r", "r"],
            "kind": ["station", "station", "interchange"],
        },
        geometry=[Point(119.9, 30.1), Point(120.1, 30.0), Point(119.9, 30.001)],
        crs=4326,
    )
    got = nearest_stations(points, stops)
    assert list(got["nearest_stop_id"]) == ["s1", "s2", "s2"]  # the interchange is not a station
    expect_a = GEOD.inv(119.9, 30.0, 119.9, 30.1)[2]
    expect_c = GEOD.inv(121.0, 30.0, 120.1, 30.0)[2]
    assert got["nearest_stop_m"].iloc[0] == pytest.approx(expect_a, rel=3e-3)
    assert got["nearest_stop_m"].iloc[2] == pytest.approx(expect_c, rel=3e-3)
    assert nearest_stations(points, stops, kind=None)["nearest_stop_id"].iloc[0] == "i1"


def test_route_distances(points):
    routes = gpd.GeoDataFrame(
        {"id": ["along-30n", "along-120e"]},
        geometry=[LineString([(119.8, 30.0), (120.2, 30.0)]), LineString([(120.0, 29.0), (120.0, 31.0)])],
        crs=4326,
    )
    got = route_distances(points, routes)
    assert list(got.columns) == ["along-30n", "along-120e"]
    # A straight segment is straight in the metric CRS, so it sags ~13 m off the parallel here.
    assert got["along-30n"].iloc[0] == pytest.approx(0.0, abs=20.0)
    assert got["along-30n"].iloc[1] == pytest.approx(GEOD.inv(120.1, 30.05, 120.1, 30.0)[2], rel=3e-3)
    assert got["along-120e"].iloc[2] == pytest.approx(GEOD.inv(121.0, 30.0, 120.0, 30.0)[2], rel=3e-3)
    pd.testing.assert_index_equal(got.index, points.index)


def test_city_summary_on_shipped_data(corridor):
    from corridormap.analysis import city_summary

    s = city_summary(corridor)
    assert list(s.index) == list(corridor.cities["id"])
    assert s["enterprises"].sum() == len(corridor.enterprises)  # every organisation lies in a city
    assert s["stations"].sum() == (corridor.stops["kind"] == "station").sum() - 2  # Hongqiao, Liantang: Minhang, Qingpu
    assert s.loc["jinhua", "g60-expressway_km"] > 0 and s.loc["hefei", "g60-expressway_km"] == 0
    # Route km per city add up to the drawn line's length.
    for rid, line_m in zip(corridor.routes["id"], corridor.routes.to_crs("EPSG:4549").length):
        assert s[f"{rid}_km"].sum() * 1000 <= line_m + 1


def test_locate_points_agrees_with_a_geopandas_within_join(corridor):
    # Random points over the corridor's box, some outside every city: the prepared-polygon
    # location must give exactly what geopandas' spatial join ("within") gives.
    import numpy as np
    import shapely

    from corridormap.join import locate_points

    rng = np.random.default_rng(7)
    x0, y0, x1, y1 = corridor.cities.total_bounds
    pts = gpd.GeoSeries(shapely.points(rng.uniform(x0, x1, 5000), rng.uniform(y0, y1, 5000)), crs=4326)
    got = locate_points(pts, corridor.cities.geometry)
    joined = gpd.sjoin(gpd.GeoDataFrame(geometry=pts), corridor.cities[["geometry"]], predicate="within")
    want = np.full(len(pts), -1)
    first = joined.groupby(level=0)["index_right"].min()
    want[first.index.to_numpy()] = first.to_numpy()
    assert (got == want).all()
    assert (got >= 0).sum() > 1000 and (got < 0).sum() > 100  # both cases really occur


def test_locate_points_edge_cases(cities):
    from corridormap.join import locate_points

    pts = [Point(119.9, 30.0), Point(120.0, 30.0), Point(121.0, 30.0), None, Point()]
    # inside west; on the shared border (inside neither polygon's interior); outside; missing; empty
    assert locate_points(gpd.GeoSeries(pts), cities.geometry).tolist() == [0, -1, -1, -1, -1]
    # Overlapping polygons: the first in file order wins.
    both = gpd.GeoSeries([box(119.0, 29.0, 121.0, 31.0), box(119.5, 29.5, 120.5, 30.5)])
    assert locate_points(gpd.GeoSeries([Point(120.0, 30.0)]), both[::-1].reset_index(drop=True)).tolist() == [0]
