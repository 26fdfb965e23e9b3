"""Checks across the curated layers: references, each point in its city, the cities' coverage, routes and stops.

Each file's own checks (types, patterns, allowed values, the corridor's region) ran as it was
read (:mod:`corridormap.load`); these need several layers at once. Your own lists are checked
by :mod:`corridormap.lists`.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._typed import MAX_ROWS, report_each
from .datum import gcj02_to_wgs84
from .errors import Problem
from .join import locate_points, routes_to_cities, to_metric
from .load import Corridor
from .schema import LAYERS, REGION
from .tour import check_tour

__all__ = ["NEST_TOLERANCE_M2", "STOP_TOLERANCE_M", "UNCLAIMED_CROSSING_M", "check_corridor"]

STOP_TOLERANCE_M = 50.0  # a stop must lie this close to its route line
UNCLAIMED_CROSSING_M = 1000.0  # a route crossing an unclaimed city for longer is reported
NEST_TOLERANCE_M2 = 1000.0  # a division may stick out of its city, or leave it uncovered, by this much area


def check_corridor(corridor: Corridor) -> list[Problem]:
    """Run the checks across layers on a read corridor.

    Returns
    -------
    list of Problem
        Errors and warnings; empty when everything is consistent.
    """
    problems: list[Problem] = []
    _check_refs(corridor, problems)
    for name, layer in LAYERS.items():
        if layer.geometry == "point" and "city_id" in layer.column_names:
            _check_cities_of_points(corridor, name, problems)
    _check_cities(corridor, problems)
    _check_enclave_homes(corridor, problems)
    _check_divisions(corridor, problems)
    _check_aliases(corridor, problems)
    _check_routes(corridor, problems)
    problems += check_tour(corridor)
    return problems


def _unknown_refs(series: pd.Series, known: set[str]) -> list[tuple[int, str]]:
    """(row position, id) for every id in a ';'-list column that ``known`` lacks; each distinct value looked at once."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    bad: dict[int, list[str]] = {}
    for k, value in enumerate(uniques):
        missing = [x for x in (s.strip() for s in str(value).split(";")) if x and x not in known]
        if missing:
            bad[k] = missing
    rows = np.flatnonzero(np.isin(codes, list(bad))) if bad else np.zeros(0, dtype=np.int64)
    return [(int(i), ref) for i in rows for ref in bad[int(codes[i])]]


def _check_refs(c: Corridor, problems: list[Problem]) -> None:
    """Every id a layer names (cities, sources, tenants ...) is a row of the layer it names."""
    for name, layer in LAYERS.items():
        frame = getattr(c, name)
        for col, target in layer.refs.items():
            if col in frame.columns:
                _check_ref_column(c, name, col, target, problems)


def _check_ref_column(c: Corridor, name: str, col: str, target: str, problems: list[Problem]) -> None:
    ids = getattr(c, target)["id"]
    bad = _unknown_refs(getattr(c, name)[col], set(ids.dropna()))
    if target == "sources":
        hint = "add the source to sources.csv first"
    elif len(ids) <= 30:  # small layers: list what exists
        hint = f"known ids: {', '.join(sorted(ids.dropna()))}"
    else:
        hint = f"ids must be rows of {LAYERS[target].file}"

    def one(k: int) -> Problem:
        i, value = bad[k]
        return Problem(c.file(name), c.row(name, i), col, f"'{value}' is not an id in {target}", hint)

    def rest(n: int) -> Problem:
        return Problem(c.file(name), None, col, f"... and {n} more unknown ids")

    report_each(problems, np.arange(len(bad)), one, rest)


def _check_cities_of_points(c: Corridor, name: str, problems: list[Problem]) -> None:
    """A point with a stated ``city_id`` lies in that city; a point in a city states it."""
    gdf = getattr(c, name)
    if c.cities.empty or gdf.empty:
        return
    which = locate_points(gdf.geometry, c.cities.geometry)
    stated_at = pd.Index(c.cities["id"]).get_indexer(gdf["city_id"].fillna("\0"))  # -1: blank or unknown (ref error)
    lon, lat = gdf["lon"].to_numpy(float), gdf["lat"].to_numpy(float)
    x0, y0, x1, y1 = REGION  # a point outside the region is reported as such, when its file is read
    known = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    wrong = np.flatnonzero(known & (stated_at >= 0) & (stated_at != which))
    _report_elsewhere(c, name, which, stated_at, wrong, problems)
    blank = np.flatnonzero(known & gdf["city_id"].isna().to_numpy() & (which >= 0))
    _report_blank_city(c, name, which, blank, problems)


def _report_elsewhere(
    c: Corridor, name: str, which: np.ndarray, stated_at: np.ndarray, wrong: np.ndarray, problems: list[Problem]
) -> None:
    """Points not in their stated city: an error (a warning when placed only to the city), with a hint
    when the point would lie in it as a GCJ-02 (Gaode/AMap) coordinate converted to WGS-84."""
    gdf, fname = getattr(c, name), c.file(name)
    city_ids = c.cities["id"].to_numpy(object)
    stated = gdf["city_id"]
    shown = wrong[:MAX_ROWS]
    wlon, wlat = gcj02_to_wgs84(gdf["lon"].to_numpy(float)[shown], gdf["lat"].to_numpy(float)[shown])
    geoms = c.cities.geometry.to_numpy()
    precision = gdf["location_precision"].to_numpy(object)

    def elsewhere(k: int) -> Problem:
        i = wrong[k]
        where = f"in {city_ids[which[i]]}" if which[i] >= 0 else "outside all nine cities"
        if shapely.contains_xy(geoms[stated_at[i]], wlon[k], wlat[k]):
            hint = (
                "this looks like a GCJ-02 (Gaode/AMap) coordinate: converted to WGS-84 it lies in "
                f"{stated.iloc[i]}; convert it to WGS-84"
            )
        else:
            hint = (
                "check the coordinates (a GCJ-02 or BD-09 coordinate from a Chinese map is off by "
                "~0.5–1 km: convert it to WGS-84) or the city id"
            )
        message = f"the point lies {where}, not in {stated.iloc[i]}"
        severity = "warning" if precision[i] == "city" else "error"
        return Problem(fname, c.row(name, i), "city_id", message, hint, severity=severity)

    def more(n: int) -> Problem:
        return Problem(fname, None, "city_id", f"... and {n} more points outside their city")

    report_each(problems, np.arange(len(wrong)), elsewhere, more)


def _report_blank_city(c: Corridor, name: str, which: np.ndarray, blank: np.ndarray, problems: list[Problem]) -> None:
    """Points in a city whose ``city_id`` is blank."""
    fname, city_ids = c.file(name), c.cities["id"].to_numpy(object)

    def one(i: int) -> Problem:
        message = f"city_id is blank but the point lies in {city_ids[which[i]]}"
        return Problem(fname, c.row(name, i), "city_id", message, "fill in the city id")

    def more(n: int) -> Problem:
        return Problem(fname, None, "city_id", f"... and {n} more points with a blank city_id")

    report_each(problems, blank, one, more)


def _check_cities(c: Corridor, problems: list[Problem]) -> None:
    """The nine cities share exact borders, and each has one seat."""
    geoms = c.cities.geometry.to_numpy()
    if len(geoms) and shapely.is_valid(geoms).all() and not shapely.coverage_is_valid(geoms):
        edges = shapely.coverage_invalid_edges(geoms)
        for i in np.flatnonzero(~shapely.is_empty(edges)):
            problems.append(
                Problem(
                    "cities.geojson",
                    c.row("cities", i),
                    "geometry",
                    f"{c.cities['id'].iloc[i]} overlaps or leaves a gap with a neighbour",
                    "neighbours must share exact borders: rerun scripts/derive_boundaries.py",
                )
            )
    have = set(c.seats["city_id"].dropna())
    for cid in c.cities["id"]:
        if cid not in have:
            problems.append(Problem("seats.csv", None, "city_id", f"no seat for city '{cid}'", "add its seat row"))
    dup = c.seats["city_id"].duplicated(keep="first") & c.seats["city_id"].notna()
    for i in np.flatnonzero(dup.to_numpy()):
        problems.append(Problem("seats.csv", c.row("seats", i), "city_id", "a second seat for the same city"))


def _check_enclave_homes(c: Corridor, problems: list[Problem]) -> None:
    """Each enclave's home is a corridor city or a row of enclave_homes.csv."""
    known = set(c.cities["id"].dropna()) | set(c.enclave_homes["id"].dropna())
    bad = _unknown_refs(c.enclaves["host_city_ids"], known)

    def one(k: int) -> Problem:
        i, value = bad[k]
        return Problem(
            c.file("enclaves"),
            c.row("enclaves", i),
            "host_city_ids",
            f"'{value}' is neither a city in cities.geojson nor a home in enclave_homes.csv",
            "add the home city to enclave_homes.csv (with its source) or correct the id",
        )

    def rest(n: int) -> Problem:
        return Problem(c.file("enclaves"), None, "host_city_ids", f"... and {n} more unknown homes")

    report_each(problems, np.arange(len(bad)), one, rest)
    _check_home_rows(c, problems)


def _check_home_rows(c: Corridor, problems: list[Problem]) -> None:
    """A home outside the nine is not one of them, lies outside them all, and is some enclave's home."""
    homes, file = c.enclave_homes, c.file("enclave_homes")
    ids = homes["id"]
    city_at = np.full(len(homes), "", dtype=object)  # the corridor city each point lies in, if any
    if not c.cities.empty and len(homes):
        which = locate_points(homes.geometry, c.cities.geometry)
        city_at[which >= 0] = c.cities["id"].to_numpy(object)[which[which >= 0]]

    def report(rows: np.ndarray, field: str, message: str, hint: str, severity: str = "error") -> None:
        def one(k: int) -> Problem:
            text = message.format(id=ids.iloc[k], city=city_at[k])
            return Problem(file, c.row("enclave_homes", k), field, text, hint, severity=severity)

        def rest(n: int) -> Problem:
            return Problem(file, None, field, f"... and {n} more rows like this", hint, severity=severity)

        report_each(problems, rows, one, rest)

    report(
        np.flatnonzero(ids.isin(set(c.cities["id"])).to_numpy()),
        "id",
        "'{id}' is a corridor city: it needs no row here",
        "remove the row; the city's seat is its point",
    )
    report(
        np.flatnonzero(city_at != ""),
        "lon",
        "the point lies in {city}, one of the nine corridor cities",
        "a home inside the corridor is that city: name its id in enclaves.csv instead",
    )
    used = set(c.enclaves["host_city_ids"].dropna().str.split(";").explode().str.strip())
    report(
        np.flatnonzero(~ids.isin(used).to_numpy() & ids.notna().to_numpy()),
        "id",
        "no enclave in enclaves.csv names '{id}' in host_city_ids",
        "the home is not drawn: add its enclave or remove the row",
        severity="warning",
    )


def _check_divisions(c: Corridor, problems: list[Problem]) -> None:
    """Each division nests in its city, the divisions share exact borders and cover their cities,
    and each reference point lies inside its division."""
    div, cities = c.divisions, c.cities
    geoms = div.geometry.to_numpy()
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) & shapely.is_valid(geoms)
    if not ok.all():  # reported when the file was read
        return
    city_at = pd.Index(cities["id"]).get_indexer(div["city_id"].fillna("\0"))
    city_of = np.where(city_at >= 0, cities.geometry.to_numpy()[city_at], None)
    # Measured only where the city does not cover the division (the overlay costs twice the predicate).
    outside = np.zeros(len(geoms))
    stray = (city_at >= 0) & ~shapely.covers(city_of, geoms)
    outside[stray] = _area_m2(shapely.difference(geoms[stray], city_of[stray]))
    for i in np.flatnonzero((city_at >= 0) & (outside > NEST_TOLERANCE_M2)):
        problems.append(
            Problem(
                "divisions.geojson",
                c.row("divisions", i),
                "geometry",
                f"{div['name_zh'].iloc[i]} reaches {outside[i] / 1e6:.2f} km² outside its city "
                f"{div['city_id'].iloc[i]}",
                "divisions and cities come from one run: rerun scripts/derive_boundaries.py",
            )
        )
    coverage = bool(shapely.coverage_is_valid(geoms))
    if not coverage:
        problems.append(
            Problem(
                "divisions.geojson",
                None,
                "geometry",
                "divisions overlap or leave gaps between them",
                "neighbours must share exact borders: rerun scripts/derive_boundaries.py",
            )
        )
    _check_covered(c, problems, coverage)
    inside = shapely.contains_xy(geoms, div["rep_lon"].to_numpy(float), div["rep_lat"].to_numpy(float))
    for i in np.flatnonzero(~inside):
        problems.append(
            Problem(
                "divisions.geojson",
                c.row("divisions", i),
                "rep_lon",
                f"the reference point of {div['name_zh'].iloc[i]} lies outside it",
                "pick a point inside it",
            )
        )


def _check_aliases(c: Corridor, problems: list[Problem]) -> None:
    """Each alias names a division (its adcode) or a city (its id), and no alias is a division's own name."""
    aliases = c.division_aliases
    known = set(c.divisions["adcode"].dropna().astype(str)) | set(c.cities["id"].dropna())
    own = set(c.divisions["name_zh"].dropna())
    for i, (alias, target) in enumerate(zip(aliases["alias"], aliases["target"])):
        if str(target) not in known:
            problems.append(
                Problem(c.file("division_aliases"), c.row("division_aliases", i), "target",
                        f"'{target}' is neither a division's adcode nor a city id",
                        "use the adcode of a row of divisions.geojson or an id of cities.geojson")
            )  # fmt: skip
        if alias in own:
            problems.append(
                Problem(c.file("division_aliases"), c.row("division_aliases", i), "alias",
                        f"'{alias}' is a division's own name", "remove the row: own names are matched anyway")
            )  # fmt: skip


def _check_covered(c: Corridor, problems: list[Problem], coverage: bool) -> None:
    """Every city is covered by its divisions (``coverage``: they share exact borders, no overlap)."""
    for i, (cid, geom) in enumerate(zip(c.cities["id"], c.cities.geometry)):
        members = c.divisions.geometry[c.divisions["city_id"] == cid].to_numpy()
        if geom is None or not shapely.is_valid(geom):
            continue
        if coverage and shapely.covers(shapely.coverage_union_all(members), geom):
            continue  # nothing left: the union and difference below took a third of the checks' time
        left = _area_m2(np.array([shapely.difference(geom, shapely.union_all(members))]))[0]
        if left > NEST_TOLERANCE_M2:
            problems.append(
                Problem(
                    "cities.geojson",
                    c.row("cities", i),
                    "geometry",
                    f"{cid}: {left / 1e6:.2f} km² are in no division of divisions.geojson",
                    "divisions and cities come from one run: rerun scripts/derive_boundaries.py",
                )
            )


def _area_m2(geoms: np.ndarray) -> np.ndarray:
    """Areas in m² (EPSG:4549) of WGS-84 geometries; 0 where missing."""
    out = np.zeros(len(geoms))
    has = ~shapely.is_missing(geoms)
    if has.any():
        out[has] = to_metric(gpd.GeoSeries(geoms[has], crs="EPSG:4326")).area.to_numpy()
    return out


def _check_routes(c: Corridor, problems: list[Problem]) -> None:
    """Each route passes through the cities it claims, and its line runs through its stops, in order."""
    if c.routes.empty:
        return
    pieces = routes_to_cities(c.routes, c.cities)
    city_ids = set(c.cities["id"])
    for i, route in enumerate(c.routes.itertuples(index=False)):
        if route.geometry is None or route.geometry.is_empty:
            continue
        claimed = set(str(route.city_ids or "").split(";")) - {""}
        crossed = pieces[pieces["route_id"] == route.id].groupby("city_id", sort=False)["length_m"].sum().to_dict()
        for cid in sorted(claimed & city_ids):
            if crossed.get(cid, 0.0) <= 0.0:
                problems.append(
                    Problem(
                        "routes.geojson",
                        c.row("routes", i),
                        "city_ids",
                        f"route {route.id} claims {cid} but its line does not pass through it",
                        "check the stops or the city list",
                    )
                )
        schematic = route.geometry_precision == "schematic"  # a schematic line cuts corners, so it may clip a neighbour
        for cid, length in sorted(crossed.items()):
            if cid not in claimed and length > UNCLAIMED_CROSSING_M and not schematic:
                problems.append(
                    Problem(
                        "routes.geojson",
                        c.row("routes", i),
                        "city_ids",
                        f"route {route.id} crosses {cid} for {length / 1000:.1f} km but does not list it",
                        "add it to city_ids if the real route passes there",
                        severity="warning",
                    )
                )
    _check_stops(c, problems)


def _check_stops(c: Corridor, problems: list[Problem]) -> None:
    """Stops lie near their line, in order, and the line's vertices are the stops."""
    routes_m = to_metric(c.routes.geometry).to_numpy()
    route_ids = list(c.routes["id"])
    stops = c.stops[c.stops["route_id"].isin(route_ids)]
    stops_m = stops.set_geometry(to_metric(stops.geometry))
    for rid, group in stops_m.groupby("route_id", sort=False):
        ri = route_ids.index(rid)
        line = routes_m[ri]
        if line is None or line.is_empty:
            continue
        group = group.sort_values("seq", kind="stable")
        _check_stops_on_line(c, rid, line, group, problems)
        _check_stop_order(c, rid, line, group, problems)
        n_vertices = shapely.get_num_coordinates(c.routes.geometry.iloc[ri])
        if n_vertices != len(group):
            problems.append(
                Problem(
                    "routes.geojson",
                    c.row("routes", ri),
                    "geometry",
                    f"route {rid} has {n_vertices} vertices but {len(group)} stops; every vertex must be a named stop",
                    "python scripts/build_routes.py",
                )
            )


def _check_stops_on_line(c: Corridor, rid: str, line: Any, group: gpd.GeoDataFrame, problems: list[Problem]) -> None:
    """A route's stops (metric, in seq order): each seq once, each stop within the tolerance of the line."""
    for i in group.index[group["seq"].duplicated(keep=False)]:
        problems.append(
            Problem("stops.csv", c.row("stops", i), "seq", f"seq {group.loc[i, 'seq']} is repeated on route {rid}")
        )
    dist = group.distance(line)
    for i in group.index[dist > STOP_TOLERANCE_M]:
        problems.append(
            Problem(
                "stops.csv",
                c.row("stops", i),
                "lon",
                f"stop {group.loc[i, 'id']} lies {dist[i]:.0f} m from route {rid}",
                "redraw the line through the stops: python scripts/build_routes.py",
            )
        )


def _check_stop_order(c: Corridor, rid: str, line: Any, group: gpd.GeoDataFrame, problems: list[Problem]) -> None:
    """A route's stops (metric, in seq order) come in that order along the line."""
    pos = shapely.line_locate_point(line, group.geometry.to_numpy())
    for k in np.flatnonzero(np.diff(pos) < 0):
        i = group.index[k + 1]
        problems.append(
            Problem(
                "stops.csv",
                c.row("stops", i),
                "seq",
                f"stop {group.loc[i, 'id']} comes before {group['id'].iloc[k]} along route {rid} but has a later seq",
                "stops must be listed in route order",
            )
        )
