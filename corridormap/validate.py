"""Cross-layer checks: references, region, cities, routes and stops.

Every check is vectorised over the rows of a layer, so a user's list of a
million enterprises is checked as fast as the curated dozen.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from . import _layer_cache as layer_cache
from ._factorize import factorize
from .datum import gcj02_to_wgs84
from .errors import DataError, Problem
from .join import locate_points, routes_to_cities
from .schema import LAYERS, METRIC_CRS, REGION

__all__ = ["check_corridor", "validate"]

STOP_TOLERANCE_M = 50.0  # a stop must lie this close to its route line
UNCLAIMED_CROSSING_M = 1000.0  # a route crossing an unclaimed city for longer is reported


def _row(layer: str, i: int) -> int:
    return int(i) + (1 if LAYERS[layer].file.endswith("json") else 2)


def _unknown_refs(series: pd.Series, known) -> list[tuple[int, str]]:
    """(row position, id) for every id in a ';'-list column that ``known`` (ids -> the known ones) lacks.

    Works on distinct values: a million rows citing the same source cost one check.
    """
    codes, uniques = factorize(series)
    lists = [[x.strip() for x in str(value).split(";") if x.strip()] for value in uniques]
    present = known({x for ids in lists for x in ids})
    bad_codes = {k: missing for k, ids in enumerate(lists) if (missing := [x for x in ids if x not in present])}
    if not bad_codes:
        return []
    rows = np.flatnonzero(np.isin(codes, list(bad_codes)))
    return [(int(i), ref) for i in rows for ref in bad_codes[int(codes[i])]]


def _known(c, target: str):
    """A function from a set of ids to those that are rows of ``target``."""
    ids = getattr(c, target)["id"]
    if target == _LIST:  # maybe a million rows: look up the few ids asked for, no set of them all
        return lambda wanted: set(ids[ids.isin(wanted)].dropna()) if wanted else set()
    everything = set(ids.dropna().to_numpy(object))
    return lambda wanted: wanted & everything


def _check_refs(c, problems: list[Problem], *, enterprises: bool) -> None:
    """References between layers: those from or to the enterprise layer, or (``enterprises=False``) all others."""
    known = {}
    for name, layer in LAYERS.items():
        frame, fname = getattr(c, name), c.file(name)
        for col, target in layer.refs.items():
            if (_LIST in (name, target)) != enterprises or col not in frame.columns:
                continue
            if target not in known:
                known[target] = _known(c, target)
            bad = _unknown_refs(frame[col], known[target])
            for shown, (i, value) in enumerate(bad):
                if shown == 20:
                    problems.append(Problem(fname, None, col, f"... and {len(bad) - 20} more unknown ids"))
                    break
                if target == "sources":
                    hint = "add the source to sources.csv first"
                elif target == _LIST:
                    hint = f"tenants must be rows of {c.file(_LIST)}"
                else:  # small layers: list what exists
                    hint = f"known ids: {', '.join(sorted(getattr(c, target)['id'].dropna()))}"
                # With a user's own enterprise list, the curated enclaves' tenants may be absent: say so, go on.
                own_list = target == _LIST and _LIST in c.files
                problems.append(
                    Problem(
                        fname,
                        _row(name, i),
                        col,
                        f"'{value}' is not an id in {target}",
                        hint,
                        severity="warning" if own_list else "error",
                    )
                )


def _check_points(c, problems: list[Problem], names: list[str]) -> None:
    x0, y0, x1, y1 = REGION
    for name in names:
        gdf, fname = getattr(c, name), c.file(name)
        lon, lat = gdf["lon"].to_numpy(float), gdf["lat"].to_numpy(float)
        inside = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
        swapped = (lat >= x0) & (lat <= x1) & (lon >= y0) & (lon <= y1)
        for i in np.flatnonzero(~inside)[:20]:
            hint = (
                f"lon and lat look swapped: did you mean lon={lat[i]}, lat={lon[i]}?"
                if swapped[i]
                else f"the corridor lies within lon {x0}–{x1}, lat {y0}–{y1} (WGS-84 degrees)"
            )
            problems.append(
                Problem(fname, _row(name, i), "lon", f"({lon[i]}, {lat[i]}) is outside the corridor region", hint)
            )
        n_out = int((~inside).sum())
        if n_out > 20:
            problems.append(Problem(fname, None, "lon", f"... and {n_out - 20} more points outside the region"))
        if "city_id" not in gdf.columns or c.cities.empty:
            continue
        # Arrays, not frames: a million points cost a few vectorised passes.
        which = locate_points(gdf.geometry, c.cities.geometry)
        found = which >= 0
        city_ids = c.cities["id"].to_numpy(object)
        # Stated city as a position among the cities (-1: blank or unknown), compared as integers.
        codes, stated = factorize(gdf["city_id"])  # a handful of distinct ids
        has_stated = codes >= 0
        stated_at = np.append(pd.Index(city_ids).get_indexer(stated), -1)[codes]  # code -1 (blank) -> -1
        wrong = inside & has_stated & (stated_at != which)
        blank_but_inside = inside & ~has_stated & found
        bad = np.flatnonzero(wrong)
        shown = bad[:20]
        # Would the point be in its stated city if it were GCJ-02 (Gaode/AMap) rather than WGS-84?
        wlon, wlat = gcj02_to_wgs84(lon[shown], lat[shown])
        city_geom = dict(zip(c.cities["id"], c.cities.geometry))
        for k, i in enumerate(shown):
            where = f"in {city_ids[which[i]]}" if found[i] else "outside all nine cities"
            stated = gdf["city_id"].iloc[i]
            target = city_geom.get(stated)
            if target is not None and shapely.contains_xy(target, wlon[k], wlat[k]):
                hint = (
                    "this looks like a GCJ-02 (Gaode/AMap) coordinate: converted to WGS-84 it lies in "
                    f"{stated}; convert the file, or pass --input-datum gcj02"
                )
            else:
                hint = (
                    "check the coordinates (a GCJ-02 or BD-09 coordinate from a Chinese map is off by "
                    "~500 m: convert it to WGS-84) or the city id"
                )
            problems.append(
                Problem(
                    fname,
                    _row(name, i),
                    "city_id",
                    f"the point lies {where}, not in {stated}",
                    hint,
                    severity="warning" if gdf["location_precision"].iloc[i] == "city" else "error",
                )
            )
        if len(bad) > 20:
            problems.append(Problem(fname, None, "city_id", f"... and {len(bad) - 20} more points outside their city"))
        for i in np.flatnonzero(blank_but_inside)[:20]:
            problems.append(
                Problem(
                    fname,
                    _row(name, i),
                    "city_id",
                    f"city_id is blank but the point lies in {city_ids[which[i]]}",
                    "fill in the city id",
                )
            )


def _check_cities(c, problems: list[Problem]) -> None:
    geoms = c.cities.geometry.to_numpy()
    if len(geoms) and shapely.is_valid(geoms).all() and not shapely.coverage_is_valid(geoms):
        edges = shapely.coverage_invalid_edges(geoms)
        for i in np.flatnonzero(~shapely.is_empty(edges)):
            problems.append(
                Problem(
                    "cities.geojson",
                    _row("cities", i),
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
        problems.append(Problem("seats.csv", _row("seats", i), "city_id", "a second seat for the same city"))


def _check_routes(c, problems: list[Problem]) -> None:
    if c.routes.empty:
        return
    routes_m = c.routes.to_crs(METRIC_CRS)
    pieces = routes_to_cities(c.routes, c.cities)
    city_ids = set(c.cities["id"])
    for i, route in c.routes.iterrows():
        claimed = set(str(route["city_ids"] or "").split(";")) - {""}
        line = route.geometry
        if line is None or line.is_empty:
            continue
        mine = pieces[pieces["route_id"] == route["id"]]
        crossed = mine.groupby("city_id", sort=False)["length_m"].sum().to_dict()
        for cid in sorted(claimed & city_ids):
            if crossed.get(cid, 0.0) <= 0.0:
                problems.append(
                    Problem(
                        "routes.geojson",
                        _row("routes", i),
                        "city_ids",
                        f"route {route['id']} claims {cid} but its line does not pass through it",
                        "check the stops or the city list",
                    )
                )
        for cid, length in sorted(crossed.items()):
            # A schematic line cuts corners between stops, so it may clip a neighbour.
            schematic = route["geometry_precision"] == "schematic"
            if cid not in claimed and length > UNCLAIMED_CROSSING_M and not schematic:
                problems.append(
                    Problem(
                        "routes.geojson",
                        _row("routes", i),
                        "city_ids",
                        f"route {route['id']} crosses {cid} for {length / 1000:.1f} km but does not list it",
                        "add it to city_ids if the real route passes there",
                        severity="warning",
                    )
                )
    # Stops: near their line, in order, and the line's vertices are the stops.
    stops = c.stops[c.stops["route_id"].isin(c.routes["id"])]
    stops_m = stops.to_crs(METRIC_CRS)
    for rid, group in stops_m.groupby("route_id", sort=False):
        ri = int(np.flatnonzero(c.routes["id"].to_numpy() == rid)[0])
        line = routes_m.geometry.iloc[ri]
        if line is None or line.is_empty:
            continue
        group = group.sort_values("seq", kind="stable")
        dup = group["seq"].duplicated(keep=False)
        for i in group.index[dup]:
            problems.append(
                Problem("stops.csv", _row("stops", i), "seq", f"seq {group.loc[i, 'seq']} is repeated on route {rid}")
            )
        dist = group.distance(line)
        for i in group.index[dist > STOP_TOLERANCE_M]:
            problems.append(
                Problem(
                    "stops.csv",
                    _row("stops", i),
                    "lon",
                    f"stop {group.loc[i, 'id']} lies {dist[i]:.0f} m from route {rid}",
                    "redraw the line through the stops: python scripts/build_routes.py",
                )
            )
        pos = shapely.line_locate_point(line, group.geometry.to_numpy())
        back = np.flatnonzero(np.diff(pos) < 0)
        for k in back:
            i = group.index[k + 1]
            problems.append(
                Problem(
                    "stops.csv",
                    _row("stops", i),
                    "seq",
                    f"stop {group.loc[i, 'id']} comes before {group['id'].iloc[k]} along route {rid} "
                    "but has a later seq",
                    "stops must be listed in route order",
                )
            )
        n_vertices = shapely.get_num_coordinates(c.routes.geometry.iloc[ri])
        if n_vertices != len(group):
            problems.append(
                Problem(
                    "routes.geojson",
                    _row("routes", ri),
                    "geometry",
                    f"route {rid} has {n_vertices} vertices but {len(group)} stops; every vertex must be a named stop",
                    "python scripts/build_routes.py",
                )
            )


def check_corridor(corridor) -> list[Problem]:
    """Run the cross-layer checks on a loaded :class:`~corridormap.load.Corridor`.

    Returns
    -------
    list of Problem
        Errors and warnings; empty when everything is consistent.
    """
    return _curated_checks(corridor) + _enterprise_checks(corridor)


_LIST = "enterprises"  # the layer a user may bring as a file of their own
_POINTS = [name for name, layer in LAYERS.items() if layer.geometry == "point"]


def _curated_checks(c) -> list[Problem]:
    """The checks that do not involve the enterprise layer."""
    problems: list[Problem] = []
    _check_refs(c, problems, enterprises=False)
    _check_points(c, problems, [n for n in _POINTS if n != _LIST])
    _check_cities(c, problems)
    _check_routes(c, problems)
    return problems


def _enterprise_checks(c) -> list[Problem]:
    """The checks of the enterprise layer: its references (and the enclaves' tenants), its points."""
    problems: list[Problem] = []
    _check_refs(c, problems, enterprises=True)
    _check_points(c, problems, [_LIST])
    return problems


def _curated_checks_cached(c, keys: dict) -> list[Problem]:
    """:func:`_curated_checks`, kept in the layer cache under the keys of the layers it reads.

    Those layers come from the data directory, so with a user's own enterprise list
    only that list is checked on each build.
    """
    parts = [keys.get(name) for name in LAYERS if name != _LIST]
    if any(k is None for k in parts):  # cache off, or a layer that is not a cached file
        return _curated_checks(c)
    name = layer_cache.derived_key("checks", "\0".join(parts).encode("utf-8"))
    hit = layer_cache.get(name)
    if isinstance(hit, list):
        return hit
    found = _curated_checks(c)
    layer_cache.put(name, found)
    return found


def validate(
    data_dir: str | os.PathLike | None = None,
    *,
    enterprises: str | os.PathLike | None = None,
    input_datum: str = "wgs84",
) -> list[Problem]:
    """Check the corridor data and return every problem found (never raises for bad data).

    Parameters
    ----------
    data_dir
        Data directory; see :func:`corridormap.load_corridor`.
    enterprises
        Check this enterprises CSV instead of the data directory's.
    input_datum
        Datum of the ``enterprises`` file: ``"wgs84"`` or ``"gcj02"``.

    Returns
    -------
    list of Problem
        All problems, errors and warnings, each naming file, row and field.

    Examples
    --------
    >>> import corridormap
    >>> [p for p in corridormap.validate() if p.severity == "error"]
    []
    """
    from ._paths import resolve_data_dir

    try:
        directory = resolve_data_dir(data_dir)
    except DataError as exc:
        return list(exc.problems)
    return collect(directory, enterprises=enterprises, input_datum=input_datum)[1]


def collect(directory, *, enterprises=None, input_datum: str = "wgs84", cross: bool = True):
    """Read every layer and run every check; return ``(corridor or None, problems)``.

    The one place that reads and checks the data: :func:`validate` reports the
    problems, :func:`corridormap.load_corridor` raises them. Cross-layer checks
    also run when single files already have errors, so a swapped lon/lat or an
    unknown city is reported in the same pass.
    """
    from .load import Corridor, _read_layer

    problems: list[Problem] = []
    frames, keys = {}, {}
    for name in LAYERS:
        path = enterprises if name == "enterprises" and enterprises is not None else None
        datum = input_datum if path is not None else "wgs84"  # geodata/ itself is always WGS-84
        frames[name], keys[name] = _read_layer(name, directory, path, problems, datum)
    if any(f is None for f in frames.values()):
        return None, problems
    files = {"enterprises": Path(enterprises).name} if enterprises is not None else {}
    corridor = Corridor(data_dir=directory, files=files, **frames)
    if not cross:
        return corridor, problems
    errors_before = any(p.severity == "error" for p in problems)
    try:
        problems += _curated_checks(corridor) if errors_before else _curated_checks_cached(corridor, keys)
        problems += _enterprise_checks(corridor)
    except Exception as exc:  # cross checks on data that already failed type checks may not apply
        if not errors_before:
            raise
        problems.append(Problem("geodata", None, None, f"cross-layer checks skipped: {exc}", severity="warning"))
    return corridor, problems
