"""Spatial and attribute joins of the corridor layers (geopandas; no folium here)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .schema import METRIC_CRS

__all__ = [
    "from_metric",
    "locate_points",
    "locate_xy",
    "nearest_stations",
    "points_to_cities",
    "route_distances",
    "routes_to_cities",
    "to_metric",
]

_CITY_COLUMNS = ["id", "name_en", "name_zh", "province_en", "province_zh", "adcode"]


def to_metric(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """Return ``geoms`` in :data:`corridormap.METRIC_CRS` (CGCS2000 / 3-degree Gauss-Kruger CM 120E).

    WGS-84 lon/lat are projected as CGCS2000's (EPSG:4490): PROJ's transformation from WGS-84 to
    CGCS2000 is the null ("ballpark") one anyway, so the result is the same to the last bit, and
    PROJ is spared a search for that transformation on first use (its cost: bench/RESULTS.txt,
    "Figures that were in docstrings").
    """
    if geoms.crs is not None and geoms.crs.equals("EPSG:4326"):
        geoms = geoms.set_crs(_CGCS2000, allow_override=True)
    return geoms.to_crs(METRIC_CRS)


def from_metric(geoms: gpd.GeoSeries, crs: Any = "EPSG:4326") -> gpd.GeoSeries:
    """Return ``geoms`` (in :data:`corridormap.METRIC_CRS`) in ``crs``; to WGS-84 through CGCS2000, the
    way :func:`to_metric` came (the same to the last bit, without PROJ's search for a transformation)."""
    if pyproj.CRS.from_user_input(crs).equals("EPSG:4326"):
        return geoms.to_crs(_CGCS2000).set_crs(crs, allow_override=True)
    return geoms.to_crs(crs)


_CGCS2000 = "EPSG:4490"


def points_to_cities(points: gpd.GeoDataFrame, cities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give each point the attributes of the city polygon it falls in.

    Parameters
    ----------
    points
        A point layer (enterprises, enclaves, places, stops ...) in EPSG:4326,
        optionally with a stated ``city_id``.
    cities
        The city polygons.

    Returns
    -------
    GeoDataFrame
        ``points`` (same index and order) plus ``located_city_id`` and the
        city's ``city_name_en``, ``city_name_zh``, ``province_en``,
        ``province_zh``, ``adcode`` (empty where the point is in no city), and
        ``city_mismatch``: True where the stated ``city_id`` differs from the
        city the point lies in.
    """
    which = locate_points(points.geometry, cities.to_crs(points.crs).geometry)
    found = which >= 0
    joined = points.copy()
    for col, out in zip(_CITY_COLUMNS, ["located_city_id", "city_name_en", "city_name_zh", *_CITY_COLUMNS[3:]]):
        values = np.full(len(points), None, dtype=object)
        values[found] = cities[col].to_numpy(object)[which[found]]
        joined[out] = values
    if "city_id" in joined.columns:
        stated = joined["city_id"].to_numpy(object)
        located = joined["located_city_id"].to_numpy(object)
        same = (stated == located) | (pd.isna(stated) & pd.isna(located))
        joined["city_mismatch"] = ~same
    else:
        joined["city_mismatch"] = False
    return joined


def locate_points(points: Any, polygons: Any) -> np.ndarray:
    """Return the position of the polygon each point lies in, or -1.

    Where polygons overlap the first one wins. A point on a boundary lies in
    no polygon (as with the ``within`` predicate); missing or empty points give -1.
    Vectorised: each polygon is prepared once and tested only against the
    points inside its bounding box (``shapely.contains_xy``); its speed at a million points is in
    bench/RESULTS.txt.

    Examples
    --------
    >>> import corridormap
    >>> c = corridormap.load_corridor()
    >>> which = corridormap.locate_points(c.seats.geometry, c.cities.geometry)
    >>> list(c.cities["id"].to_numpy()[which]) == list(c.seats["city_id"])
    True
    """
    pts = np.asarray(points, dtype=object)
    x = np.full(len(pts), np.nan)
    y = np.full(len(pts), np.nan)
    xy, at = shapely.get_coordinates(pts, return_index=True)  # one pass; missing and empty points give none
    if len(at) <= 1 or (np.diff(at) > 0).all():
        x[at], y[at] = xy[:, 0], xy[:, 1]
    else:  # not all points: a geometry with several coordinates is located by its x and y as shapely gives them
        valid = ~(shapely.is_missing(pts) | shapely.is_empty(pts))
        x[valid], y[valid] = shapely.get_x(pts[valid]), shapely.get_y(pts[valid])
    return locate_xy(x, y, polygons)


def locate_xy(x: np.ndarray, y: np.ndarray, polygons: Any) -> np.ndarray:
    """Return the position of the polygon each point ``(x[i], y[i])`` lies in, or -1 (see :func:`locate_points`).

    For coordinates already in arrays: no point geometries needed. NaN coordinates give -1.
    """
    polys = np.asarray(polygons, dtype=object)
    out = np.full(len(x), -1, dtype=np.int64)
    for j, poly in enumerate(polys):
        if poly is None or poly.is_empty:
            continue
        x0, y0, x1, y1 = poly.bounds
        idx = np.flatnonzero((out < 0) & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
        if len(idx):
            shapely.prepare(poly)
            out[idx[shapely.contains_xy(poly, x[idx], y[idx])]] = j
    return out


def routes_to_cities(routes: gpd.GeoDataFrame, cities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Overlay routes with cities: which cities each route crosses, and how far.

    Lengths are measured in :data:`corridormap.METRIC_CRS` (metres), not degrees.

    Returns
    -------
    GeoDataFrame
        One row per (route, city) piece with ``route_id``, ``city_id``,
        ``length_m`` and the piece's geometry (EPSG:4326), in route order then
        city order.
    """
    # Cut in degrees, measured in metres: the pieces stay in the routes' CRS, and only one
    # transformation (to the metric CRS) is needed.
    r = routes.geometry.to_numpy()
    c = cities.to_crs(routes.crs).geometry.to_numpy()
    ri, ci = shapely.STRtree(c).query(r, predicate="intersects")
    order = np.lexsort((ci, ri))  # route order, then city order
    ri, ci = ri[order], ci[order]
    # Keep the line parts of each intersection (a line touching a border also yields points).
    # One iteration per (route, city) pair, a few dozen at most: not per point.
    merged = []
    for piece in shapely.intersection(r[ri], c[ci]):
        lines = [p for p in shapely.get_parts(piece) if p.geom_type == "LineString" and not p.is_empty]
        merged.append(None if not lines else lines[0] if len(lines) == 1 else shapely.MultiLineString(lines))
    pieces = gpd.GeoSeries(np.array(merged, dtype=object), crs=routes.crs)
    keep = ~pieces.isna().to_numpy()
    pieces = pieces[keep].reset_index(drop=True)
    return gpd.GeoDataFrame(
        {
            "route_id": routes["id"].to_numpy(object)[ri[keep]],
            "city_id": cities["id"].to_numpy(object)[ci[keep]],
            "length_m": to_metric(pieces).length.to_numpy(float),
        },
        geometry=pieces,
    )


def nearest_stations(
    points: gpd.GeoDataFrame, stops: gpd.GeoDataFrame, *, kind: str | None = "station"
) -> gpd.GeoDataFrame:
    """Find each point's nearest stop (station by default) and its distance.

    Returns
    -------
    GeoDataFrame
        ``points`` plus ``nearest_stop_id``, ``nearest_stop_name_en``,
        ``nearest_stop_route_id`` and ``nearest_stop_m`` (metres, in
        :data:`corridormap.METRIC_CRS`). Ties go to the first stop in file order.
    """
    s = stops if kind is None else stops[stops["kind"] == kind]
    s = s[["id", "name_en", "route_id", "geometry"]].rename(
        columns={"id": "nearest_stop_id", "name_en": "nearest_stop_name_en", "route_id": "nearest_stop_route_id"}
    )
    s_m = gpd.GeoDataFrame(s.drop(columns="geometry"), geometry=to_metric(s.geometry))
    pts_m = gpd.GeoDataFrame(geometry=to_metric(points.geometry))
    joined = gpd.sjoin_nearest(pts_m, s_m, how="left", distance_col="nearest_stop_m")
    joined = joined[~joined.index.duplicated(keep="first")]
    out = points.copy()  # the points as they are, in their own CRS
    for col in ("nearest_stop_id", "nearest_stop_name_en", "nearest_stop_route_id", "nearest_stop_m"):
        out[col] = joined[col].to_numpy()
    return out


def route_distances(points: gpd.GeoDataFrame, routes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the distance in metres from each point to each route.

    Returns
    -------
    DataFrame
        Indexed like ``points``, one column per route id, values in metres
        (:data:`corridormap.METRIC_CRS`).
    """
    pts = to_metric(points.geometry)
    out = {rid: pts.distance(line).to_numpy() for rid, line in zip(routes["id"], to_metric(routes.geometry))}
    return pd.DataFrame(out, index=points.index)
