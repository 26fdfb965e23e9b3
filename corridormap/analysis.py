"""Per-city summaries and other analyses on the loaded corridor (pure functions)."""

from __future__ import annotations

import pandas as pd

from .join import nearest_stations, points_to_cities, route_distances, routes_to_cities
from .load import Corridor

__all__ = ["city_summary", "enterprise_distances"]


def city_summary(corridor: Corridor) -> pd.DataFrame:
    """Summarise each city: organisations, enclaves, places, route km, stations, seat.

    Counts come from spatial joins (where a point lies), not from the stated
    ``city_id``; a point located only to its city lies at that city's point and
    so is counted there too.

    Returns
    -------
    DataFrame
        One row per city (``id`` index, cities' file order) with ``name_en``,
        ``name_zh``, ``province_en``, ``enterprises``, ``enclaves``,
        ``places``, ``stations``, ``<route_id>_km`` for each route,
        ``route_km`` (all routes), ``seat_name_en``, ``seat_lon``,
        ``seat_lat``.
    """
    cities = corridor.cities
    out = cities.set_index("id")[["name_en", "name_zh", "province_en"]].copy()

    def count(points):
        located = points_to_cities(points, cities)["located_city_id"]
        return located.value_counts().reindex(out.index, fill_value=0).astype(int)

    out["enterprises"] = count(corridor.enterprises)
    out["enclaves"] = count(corridor.enclaves)
    out["places"] = count(corridor.places)
    out["stations"] = count(corridor.stops[corridor.stops["kind"] == "station"])
    pieces = routes_to_cities(corridor.routes, cities)
    km = pieces.pivot_table(index="city_id", columns="route_id", values="length_m", aggfunc="sum") / 1000.0
    for rid in corridor.routes["id"]:
        col = km[rid] if rid in km.columns else pd.Series(dtype=float)
        out[f"{rid}_km"] = col.reindex(out.index).fillna(0.0).round(1)
    out["route_km"] = out[[f"{rid}_km" for rid in corridor.routes["id"]]].sum(axis=1).round(1)
    seats = corridor.seats.set_index("city_id")
    out["seat_name_en"] = seats["name_en"].reindex(out.index)
    out["seat_lon"] = seats["lon"].reindex(out.index)
    out["seat_lat"] = seats["lat"].reindex(out.index)
    out.index.name = "id"
    return out


def enterprise_distances(corridor: Corridor) -> pd.DataFrame:
    """Each enterprise's nearest station and its distance to each route (metres).

    Returns
    -------
    DataFrame
        Indexed by enterprise ``id``: ``nearest_stop_id``,
        ``nearest_stop_name_en``, ``nearest_stop_route_id``,
        ``nearest_stop_m`` and one ``<route_id>_m`` column per route.
    """
    ent = corridor.enterprises
    near = nearest_stations(ent, corridor.stops)
    dist = route_distances(ent, corridor.routes).add_suffix("_m")
    cols = ["nearest_stop_id", "nearest_stop_name_en", "nearest_stop_route_id", "nearest_stop_m"]
    out = pd.concat([near[cols], dist], axis=1)
    out.index = ent["id"].to_numpy()
    out.index.name = "id"
    return out
