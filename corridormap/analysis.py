"""Per-city summaries, distances and other analyses on the loaded corridor and your own lists (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .districts import division_of
from .join import from_metric, locate_points, nearest_stations, route_distances, routes_to_cities, to_metric
from .load import Corridor, name_of
from .schema import METRIC_CRS

__all__ = [
    "city_points",
    "city_summary",
    "division_summary",
    "enterprise_distances",
    "list_distances",
    "near_route",
    "route_km_by_city",
]


def city_summary(corridor: Corridor, lists: Sequence[gpd.GeoDataFrame] = ()) -> pd.DataFrame:
    """Summarise each city: organisations, enclaves, places, route km, stations, seat, and your lists' points.

    Counts come from spatial joins (where a point lies), not from a stated city;
    a point located only to its city lies at that city's point and so is counted
    there too.

    Parameters
    ----------
    corridor
        The loaded corridor.
    lists
        Own lists from :func:`corridormap.read_points`: each adds a count column named after
        the list (its ``attrs["corridormap"]["name"]``; ``"<name> (list)"`` where that name is
        already a column), counted from its ``city_id``.

    Returns
    -------
    DataFrame
        One row per city (``id`` index, cities' file order) with ``name_en``,
        ``name_zh``, ``province_en``, ``enterprises``, ``enclaves``,
        ``places``, ``stations``, ``<route_id>_km`` for each route,
        ``route_km`` (all routes), ``seat_name_en``, ``seat_lon``,
        ``seat_lat``, then one column per list.

    Examples
    --------
    >>> import corridormap
    >>> int(corridormap.city_summary(corridormap.load_corridor())["enterprises"].sum())
    15
    """
    cities = corridor.cities
    index = pd.Index(cities["id"], name="id")

    def count(points: gpd.GeoDataFrame) -> np.ndarray:
        which = locate_points(points.geometry, cities.geometry)
        return np.bincount(which[which >= 0], minlength=len(cities)).astype(int)

    cols = {k: cities[k].to_numpy() for k in ("name_en", "name_zh", "province_en")}
    cols["enterprises"] = count(corridor.enterprises)
    cols["enclaves"] = count(corridor.enclaves)
    cols["places"] = count(corridor.places)
    cols["stations"] = count(corridor.stops[corridor.stops["kind"] == "station"])
    km = route_km_by_city(corridor)
    for rid in corridor.routes["id"]:
        cols[f"{rid}_km"] = km[rid].to_numpy().round(1)
    cols["route_km"] = km.to_numpy().round(1).sum(axis=1).round(1)
    seat_at = pd.Index(corridor.seats["city_id"]).get_indexer(index)  # -1: a city without a seat
    for name, k in (("seat_name_en", "name_en"), ("seat_lon", "lon"), ("seat_lat", "lat")):
        cols[name] = corridor.seats[k].reindex(seat_at).to_numpy()
    for n, gdf in enumerate(lists):
        column = name_of(gdf, n)
        column = column if column not in cols else f"{column} (list)"
        counts = gdf["city_id"].value_counts()
        cols[column] = counts.reindex(index, fill_value=0).to_numpy().astype(int)
    return pd.DataFrame(cols, index=index)


def _distances(points: gpd.GeoDataFrame, corridor: Corridor) -> pd.DataFrame:
    """Nearest station (id, name, route, metres) and metres to each route, indexed like ``points``."""
    near = nearest_stations(points, corridor.stops)
    dist = route_distances(points, corridor.routes).add_suffix("_m")
    cols = ["nearest_stop_id", "nearest_stop_name_en", "nearest_stop_route_id", "nearest_stop_m"]
    return pd.concat([near[cols], dist], axis=1)


def enterprise_distances(corridor: Corridor) -> pd.DataFrame:
    """Return each curated enterprise's nearest station and its distance to each route (metres).

    Returns
    -------
    DataFrame
        Indexed by enterprise ``id``: ``nearest_stop_id``,
        ``nearest_stop_name_en``, ``nearest_stop_route_id``,
        ``nearest_stop_m`` and one ``<route_id>_m`` column per route.
    """
    out = _distances(corridor.enterprises, corridor)
    out.index = pd.Index(corridor.enterprises["id"].to_numpy(), name="id")
    return out


def division_summary(corridor: Corridor, lists: Sequence[gpd.GeoDataFrame] = ()) -> pd.DataFrame:
    """Count the organisations and your lists' points per county-level division.

    A point counts in the division it lies in; one placed by name to a division counts there (its
    ``division_adcode``); one known only to its city counts in none (see
    :func:`corridormap.districts.division_of`).

    Returns
    -------
    DataFrame
        One row per division (``adcode`` index, the divisions' file order) with ``name_zh``,
        ``name_en``, ``city_id``, ``area_km2``, ``enterprises``, then one count column per list
        (named as in :func:`city_summary`).
    """
    div = corridor.divisions
    index = pd.Index(div["adcode"].astype(int), name="adcode")

    def count(points: gpd.GeoDataFrame) -> np.ndarray:
        at = division_of(points, div)
        if "division_adcode" in points.columns:  # placed by name: the division named, not re-located
            named = index.get_indexer(pd.to_numeric(points["division_adcode"], errors="coerce").fillna(-1).astype(int))
            at = np.where(named >= 0, named, at)
        return np.bincount(at[at >= 0], minlength=len(div)).astype(int)

    cols = {k: div[k].to_numpy() for k in ("name_zh", "name_en", "city_id", "area_km2")}
    cols["enterprises"] = count(corridor.enterprises)
    for n, gdf in enumerate(lists):
        column = name_of(gdf, n)
        cols[column if column not in cols else f"{column} (list)"] = count(gdf)
    return pd.DataFrame(cols, index=index)


def list_distances(corridor: Corridor, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Join an own list to the corridor: each point's city, nearest station and distance to each route.

    Parameters
    ----------
    corridor
        The loaded corridor.
    gdf
        A list from :func:`corridormap.read_points` (any point GeoDataFrame with a ``city_id``).

    Returns
    -------
    GeoDataFrame
        ``gdf`` (same index, order and ``attrs``) plus ``city_name_en``, ``city_name_zh``
        (of its ``city_id``), ``nearest_stop_id``, ``nearest_stop_name_en``,
        ``nearest_stop_route_id``, ``nearest_stop_m`` and one ``<route_id>_m`` column per route,
        ``division_adcode`` (the county-level division named or lain in; missing for a point known
        only to its city or outside the divisions),
        distances in metres measured in :data:`corridormap.METRIC_CRS`.
    """
    names = corridor.cities.set_index("id")[["name_en", "name_zh"]]
    joined = gdf.copy()
    for col in ("name_en", "name_zh"):
        joined[f"city_{col}"] = gdf["city_id"].map(names[col]).astype("str")
    divisions = getattr(corridor, "divisions", None)
    if divisions is not None and len(gdf):
        at = division_of(gdf, divisions)
        located = pd.Series(divisions["adcode"].astype(str).to_numpy(object)[np.maximum(at, 0)], index=gdf.index)
        located[at < 0] = None
        named = gdf["division_adcode"] if "division_adcode" in gdf.columns else pd.Series(None, index=gdf.index)
        joined["division_adcode"] = named.astype(object).where(named.notna(), located).astype("string")
    dist = _distances(gdf, corridor)
    for col in dist.columns:
        joined[col] = dist[col].to_numpy()
    joined.attrs = dict(gdf.attrs)
    return joined


def route_km_by_city(corridor: Corridor) -> pd.DataFrame:
    """Return the kilometres of each (schematic) route line in each city.

    Returns
    -------
    DataFrame
        Index: city ids (cities' file order); one column per route id; values in
        km, measured in :data:`corridormap.METRIC_CRS`; 0 where a route does not
        enter a city.
    """
    pieces = routes_to_cities(corridor.routes, corridor.cities)
    cities = pd.Index(corridor.cities["id"].to_numpy(object), name="city_id")
    routes = pd.Index(corridor.routes["id"].to_numpy(object), name="route_id")
    km = np.zeros((len(cities), len(routes)))
    i, j = cities.get_indexer(pieces["city_id"]), routes.get_indexer(pieces["route_id"])
    np.add.at(km, (i, j), pieces["length_m"].to_numpy(float) / 1000.0)  # a route may cross a city twice
    return pd.DataFrame(km, index=cities, columns=routes)


def near_route(points: gpd.GeoDataFrame, routes: gpd.GeoDataFrame, max_m: float) -> gpd.GeoDataFrame:
    """Return the points within ``max_m`` metres of each route, with the distance.

    Parameters
    ----------
    points
        Any point layer (enterprises, enclaves, places, your own list).
    routes
        One or more routes (e.g. ``corridor.routes`` or a filtered subset).
    max_m
        Largest distance to keep, in metres (:data:`corridormap.METRIC_CRS`).

    Returns
    -------
    GeoDataFrame
        One row per (point, route) pair within reach: the point's columns plus
        ``route_id`` and ``distance_m``, sorted by route then distance; EPSG:4326.

    Examples
    --------
    >>> import corridormap
    >>> c = corridormap.load_corridor()
    >>> near = corridormap.near_route(c.enterprises, c.routes, 10_000)
    >>> bool((near["distance_m"] <= 10_000).all())
    True
    """
    if max_m < 0:
        raise ValueError("max_m must be >= 0")
    dist = route_distances(points, routes)
    stacked: pd.Series = dist.stack()  # type: ignore[assignment]  # one column level: a Series
    long = stacked.rename("distance_m").reset_index(level=1).rename(columns={"level_1": "route_id"})
    long = long[long["distance_m"] <= max_m]
    out = points.loc[long.index].copy()
    out["route_id"] = long["route_id"].to_numpy()
    out["distance_m"] = long["distance_m"].to_numpy()
    order = {rid: i for i, rid in enumerate(routes["id"])}
    out = out.assign(_r=out["route_id"].map(order)).sort_values(["_r", "distance_m"], kind="stable")
    return out.drop(columns="_r").reset_index(drop=True)


def city_points(corridor: Corridor, also: gpd.GeoSeries | None = None, clearance_m: float = 8000.0) -> gpd.GeoSeries:
    """Return a point inside each city clear of the routes and point features drawn over it.

    The map names and opens a city where a reader points at its area; a point on a railway or
    under a station's symbol names that instead. So each city's point lies inside it, at least
    ``clearance_m`` from every route, stop, seat, enclave, place (and line of ``also``) where the
    city leaves room, else as far from them (and from its edge) as it does: of a grid of 120 x 120 points over the city,
    the one inside it with the most room, and of those the nearest its ``point_on_surface``.

    Parameters
    ----------
    corridor
        The loaded corridor.
    also
        More geometries drawn over the cities to keep clear of, e.g. the enclaves' flow lines
        (:func:`corridormap.enclave_flows`).
    clearance_m
        The distance kept from routes, point features and ``also``, in metres.

    Returns
    -------
    GeoSeries
        One point per city (cities' order and index), WGS-84.
    """
    cities = to_metric(corridor.cities.geometry).to_numpy()
    layers = [corridor.routes, corridor.stops, corridor.seats, corridor.enclaves, corridor.places]
    drawn = [layer.geometry for layer in layers] + ([also] if also is not None and len(also) else [])
    busy = shapely.union_all(np.concatenate([to_metric(geoms).to_numpy() for geoms in drawn]))
    points = [_clear_point(city, busy, clearance_m) for city in cities]
    return from_metric(gpd.GeoSeries(points, index=corridor.cities.index, crs=METRIC_CRS), corridor.cities.crs)


def _clear_point(city: shapely.Geometry, busy: shapely.Geometry, clearance: float) -> shapely.Geometry:
    """The point of an 120 x 120 grid over ``city`` inside it farthest from ``busy`` and (counted four
    times) from the city's edge, up to ``clearance``; the nearest the city's surface point among equals.

    The grid's points are measured in order of their distance from the surface point, in batches, until one
    has the full ``clearance``: the first such is the answer the whole grid measured gives. In the corridor's
    cities it is among the nearest 256 points, in Huzhou 1,793 (of ~7,700); only Songjiang, the smallest,
    has no point 8 km clear and is measured whole. Every point measured took a tenth of a small build's
    CPU time (bench/RESULTS.txt).
    """
    x0, y0, x1, y1 = city.bounds
    grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    xs, ys = grid_x.ravel(), grid_y.ravel()
    within = shapely.contains_xy(city, xs, ys)
    if not within.any():
        return shapely.point_on_surface(city)
    xs, ys = xs[within], ys[within]
    surface = shapely.point_on_surface(city)
    dx, dy = xs - shapely.get_x(surface), ys - shapely.get_y(surface)
    order = np.argsort(np.sqrt(dx * dx + dy * dy), kind="stable")  # shapely's point distances, to the bit
    edge = shapely.STRtree(_segments(city.boundary))
    room = np.empty(0)
    start, size = 0, 256
    while start < len(order):
        batch = shapely.points(xs[order[start : start + size]], ys[order[start : start + size]])
        # The edge weighs a quarter: a pointer needs a pixel or two inside an outline, but a line takes
        # the pointer 7 px either side of it (its hit line).
        near_edge = 4 * _distance_up_to(batch, edge, clearance / 4)
        room = np.append(room, np.minimum(np.minimum(shapely.distance(batch, busy), near_edge), clearance))
        if room[start:].max() >= clearance:
            break
        start, size = start + size, size * 2
    best = order[np.argmax(room)]  # the first of the most room, in order of nearness (then of the grid)
    return shapely.points(xs[best], ys[best])


def _segments(lines: shapely.Geometry) -> np.ndarray:
    """The segments of ``lines`` (a line or several), each a two-point line."""
    xy, line = shapely.get_coordinates(shapely.get_parts(lines), return_index=True)
    same = line[:-1] == line[1:]  # consecutive vertices of one line
    return shapely.linestrings(np.stack([xy[:-1][same], xy[1:][same]], axis=1))


def _distance_up_to(points: np.ndarray, geoms: np.ndarray | shapely.STRtree, cap: float) -> np.ndarray:
    """Each point's distance to the nearest of ``geoms``, or ``cap`` where that is farther.

    The same figures as ``np.minimum(shapely.distance(points, union_of_geoms), cap)``, found through
    an index of ``geoms`` searched only within ``cap``: each of a city's ~8,000 grid points measured
    against every segment of its outline took a seventh of a small build's CPU time (see bench/RESULTS.txt).
    """
    tree = geoms if isinstance(geoms, shapely.STRtree) else shapely.STRtree(geoms)
    (found, _), dist = tree.query_nearest(points, max_distance=cap, return_distance=True, all_matches=False)
    out = np.full(len(points), cap)
    out[found] = np.minimum(dist, cap)
    return out
