"""Spatial and attribute joins of the corridor layers (geopandas; no folium here)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from .schema import METRIC_CRS

__all__ = ["nearest_stations", "points_to_cities", "route_distances", "routes_to_cities"]

_CITY_COLUMNS = ["id", "name_en", "name_zh", "province_en", "province_zh", "adcode"]


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
    right = cities[[*_CITY_COLUMNS, "geometry"]].rename(
        columns={"id": "located_city_id", "name_en": "city_name_en", "name_zh": "city_name_zh"}
    )
    right = right.to_crs(points.crs)
    joined = gpd.sjoin(points, right, how="left", predicate="within").drop(columns="index_right")
    joined = joined[~joined.index.duplicated(keep="first")]  # a point on a shared border: first city
    if "city_id" in joined.columns:
        stated = joined["city_id"].astype(object).where(joined["city_id"].notna(), None)
        located = joined["located_city_id"].astype(object).where(joined["located_city_id"].notna(), None)
        joined["city_mismatch"] = [s != loc for s, loc in zip(stated, located)]
    else:
        joined["city_mismatch"] = False
    return joined


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
    r = routes[["id", "geometry"]].rename(columns={"id": "route_id"}).to_crs(METRIC_CRS)
    c = cities[["id", "geometry"]].rename(columns={"id": "city_id"}).to_crs(METRIC_CRS)
    pieces = gpd.overlay(r, c, how="intersection", keep_geom_type=True)
    pieces["length_m"] = pieces.length
    order_r = {rid: i for i, rid in enumerate(routes["id"])}
    order_c = {cid: i for i, cid in enumerate(cities["id"])}
    pieces = pieces.assign(_r=pieces["route_id"].map(order_r), _c=pieces["city_id"].map(order_c))
    pieces = pieces.sort_values(["_r", "_c"]).drop(columns=["_r", "_c"]).reset_index(drop=True)
    return pieces[["route_id", "city_id", "length_m", "geometry"]].to_crs(routes.crs)


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
    joined = gpd.sjoin_nearest(
        points.to_crs(METRIC_CRS), s.to_crs(METRIC_CRS), how="left", distance_col="nearest_stop_m"
    )
    joined = joined[~joined.index.duplicated(keep="first")].drop(columns="index_right")
    return joined.to_crs(points.crs)


def route_distances(points: gpd.GeoDataFrame, routes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Distance in metres from each point to each route.

    Returns
    -------
    DataFrame
        Indexed like ``points``, one column per route id, values in metres
        (:data:`corridormap.METRIC_CRS`).
    """
    pts = points.to_crs(METRIC_CRS)
    out = {}
    for rid, line in zip(routes["id"], routes.to_crs(METRIC_CRS).geometry):
        # sjoin_nearest against a one-row frame is the vectorised point-to-line distance.
        one = gpd.GeoDataFrame({"route": [rid]}, geometry=[line], crs=METRIC_CRS)
        joined = gpd.sjoin_nearest(pts[["geometry"]], one, how="left", distance_col="d")
        out[rid] = joined["d"].groupby(level=0).first()
    return pd.DataFrame(out, index=points.index)
