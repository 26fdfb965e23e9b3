"""Analysis functions against hand-computed values, and the metric CRS against geodesics."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

import corridormap
from corridormap.schema import METRIC_CRS

GEOD = Geod(ellps="WGS84")


@pytest.fixture
def routes():
    return gpd.GeoDataFrame(
        {"id": ["ew", "ns"]},
        geometry=[LineString([(119.9, 30.0), (120.1, 30.0)]), LineString([(120.0, 29.9), (120.0, 30.1)])],
        crs=4326,
    )


@pytest.fixture
def points():
    return gpd.GeoDataFrame(
        {"id": ["on-both", "north", "far"]},
        geometry=[Point(120.0, 30.0), Point(120.05, 30.02), Point(121.0, 31.0)],
        crs=4326,
    )


def test_near_route_distances_and_filter(points, routes):
    got = corridormap.near_route(points, routes, 6_000)
    pairs = list(zip(got["id"], got["route_id"]))
    # "north" is ~2.2 km from the east-west line and ~4.8 km from the north-south one.
    assert pairs == [("on-both", "ew"), ("north", "ew"), ("on-both", "ns"), ("north", "ns")]
    north_ew = GEOD.inv(120.05, 30.02, 120.05, 30.0)[2]
    north_ns = GEOD.inv(120.05, 30.02, 120.0, 30.02)[2]
    assert got["distance_m"].iloc[1] == pytest.approx(north_ew, rel=5e-3)
    assert got["distance_m"].iloc[3] == pytest.approx(north_ns, rel=5e-3)
    assert got["distance_m"].iloc[0] == pytest.approx(0, abs=10)  # a straight line in EPSG:4549 sags ~4 m
    assert corridormap.near_route(points, routes, 3_000)["id"].tolist() == ["on-both", "north", "on-both"]
    with pytest.raises(ValueError):
        corridormap.near_route(points, routes, -1)


def test_metric_crs_error_under_half_a_percent_across_the_corridor():
    rng = np.random.default_rng(7)
    lon1, lon2 = rng.uniform(116.7, 122.0, (2, 500))
    lat1, lat2 = rng.uniform(28.5, 32.5, (2, 500))
    a = gpd.GeoSeries(gpd.points_from_xy(lon1, lat1), crs=4326).to_crs(METRIC_CRS)
    b = gpd.GeoSeries(gpd.points_from_xy(lon2, lat2), crs=4326).to_crs(METRIC_CRS)
    geodesic = GEOD.inv(lon1, lat1, lon2, lat2)[2]
    rel = np.abs(a.distance(b).to_numpy() - geodesic) / geodesic
    assert rel.max() < 0.005


def test_capped_distance_to_an_outline_is_shapelys_distance(corridor):
    """The indexed search of a city outline's segments gives shapely's own distances, capped."""
    import shapely

    from corridormap.analysis import _distance_up_to, _segments

    rng = np.random.default_rng(3)
    for city in corridor.cities.to_crs(METRIC_CRS).geometry:
        x0, y0, x1, y1 = city.bounds
        pts = shapely.points(rng.uniform(x0 - 5000, x1 + 5000, 500), rng.uniform(y0 - 5000, y1 + 5000, 500))
        for cap in (2000.0, 1e9):
            want = np.minimum(shapely.distance(pts, city.boundary), cap)
            assert np.array_equal(_distance_up_to(pts, _segments(city.boundary), cap), want)


def _clear_point_of_whole_grid(city, busy, clearance):
    """The grid point as city_points chose it by measuring every point of the grid (its rule before 2026-12-07)."""
    import shapely

    from corridormap.analysis import _distance_up_to, _segments

    x0, y0, x1, y1 = city.bounds
    grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    xs, ys = grid_x.ravel(), grid_y.ravel()
    within = shapely.contains_xy(city, xs, ys)
    inside = shapely.points(xs[within], ys[within])
    edge = 4 * _distance_up_to(inside, _segments(city.boundary), clearance / 4)
    room = np.minimum(np.minimum(shapely.distance(inside, busy), edge), clearance)
    near = shapely.distance(inside, shapely.point_on_surface(city))
    return inside[np.lexsort((near, -room))[0]]


def test_city_points_search_finds_the_whole_grids_point(corridor):
    """Measuring the grid in order of nearness until a point has full clearance picks the point the
    whole grid measured does: with the page's clearance (found among the nearest), with one that few
    points have, and with one no point has (the whole grid measured: two cities, for time)."""
    import shapely

    from corridormap.analysis import _clear_point, city_points
    from corridormap.join import to_metric

    flows = corridormap.enclave_flows(corridor).geometry
    layers = [corridor.routes, corridor.stops, corridor.seats, corridor.enclaves, corridor.places, flows]
    busy = shapely.union_all(np.concatenate([to_metric(getattr(g, "geometry", g)).to_numpy() for g in layers]))
    cities = to_metric(corridor.cities.geometry).to_numpy()
    want = [_clear_point_of_whole_grid(city, busy, 8000.0) for city in cities]
    got = city_points(corridor, flows).to_crs(METRIC_CRS).to_numpy()
    assert shapely.equals_exact(got, np.array(want), tolerance=1e-3).all()  # after the way back to WGS-84
    for clearance, some in ((8000.0, cities), (20_000.0, cities), (1e9, cities[:2])):
        for city in some:
            found = _clear_point(city, busy, clearance)
            assert shapely.equals_exact(found, _clear_point_of_whole_grid(city, busy, clearance)), clearance


def test_route_km_by_city_matches_overlay(corridor):
    table = corridormap.route_km_by_city(corridor)
    assert list(table.index) == list(corridor.cities["id"]) and list(table.columns) == list(corridor.routes["id"])
    pieces = corridormap.routes_to_cities(corridor.routes, corridor.cities)
    assert table.to_numpy().sum() == pytest.approx(pieces["length_m"].sum() / 1000)
    assert table.loc["suzhou", "g60-expressway"] == 0 and table.loc["jinhua", "g60-expressway"] > 50


def test_results_export(corridor, tmp_path):
    near = corridormap.near_route(corridor.enterprises, corridor.routes, 20_000)
    near.to_file(tmp_path / "near.gpkg", engine="pyogrio")
    near.to_parquet(tmp_path / "near.parquet")
    assert len(near) > 0
    for back in (gpd.read_file(tmp_path / "near.gpkg", engine="pyogrio"), gpd.read_parquet(tmp_path / "near.parquet")):
        assert back.crs == near.crs and list(back["id"]) == list(near["id"])
        assert list(back["route_id"]) == list(near["route_id"])
        assert back["distance_m"].to_numpy() == pytest.approx(near["distance_m"].to_numpy())
        assert back.geometry.geom_equals_exact(near.geometry.reset_index(drop=True), tolerance=1e-9).all()


def test_city_points_lie_inside_their_cities_clear_of_routes_and_symbols(corridor):
    """Each city's point is inside it and away from what is drawn over it; Huzhou's surface point
    lies 0.8 km from the Shangqiu-Hefei-Hangzhou railway, its city point kilometres away."""
    import shapely

    from corridormap.analysis import city_points
    from corridormap.schema import METRIC_CRS

    flows = corridormap.enclave_flows(corridor).geometry
    points = city_points(corridor, flows)
    assert len(points) == len(corridor.cities) and points.crs == corridor.cities.crs
    assert all(shapely.contains(corridor.cities.geometry.to_numpy(), points.to_numpy()))
    metric = points.to_crs(METRIC_CRS)
    drawn = [
        layer.geometry
        for layer in (corridor.routes, corridor.stops, corridor.seats, corridor.enclaves, corridor.places)
    ]
    busy = shapely.union_all([g for geoms in [*drawn, flows] for g in geoms.to_crs(METRIC_CRS)])
    assert (metric.distance(busy) >= 5000).all(), metric.distance(busy)  # Songjiang, the smallest, has ~5.6 km
    huzhou = corridor.cities["id"].tolist().index("huzhou")
    railway = corridor.routes.set_index("id").to_crs(METRIC_CRS).geometry["shangqiu-hefei-hangzhou-hsr"]
    on_surface = corridor.cities.to_crs(METRIC_CRS).geometry.iloc[huzhou].representative_point()
    assert on_surface.distance(railway) < 1000 < metric.iloc[huzhou].distance(railway)
