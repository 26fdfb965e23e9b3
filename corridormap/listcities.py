"""Each point of a list given the corridor city it lies in, and a city the list states compared with it.

A stated city (``城市``) is matched by id, English or Chinese name, with or without 市/区/县; a
point that lies outside its stated city is a warning naming both, and when reading the whole
list in another datum (GCJ-02, BD-09) would put most such points in their stated city, a
warning says so and names the ``--input-datum`` to use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._table import Table
from ._typed import MAX_ROWS
from .datum import DATUMS, to_wgs84
from .errors import Problem
from .join import locate_xy
from .roles import header_key

__all__ = ["place_in_cities"]

_SUFFIXES = ("市", "区", "县", "city", "district", "county", "shi", "qu")


def place_in_cities(
    out: pd.DataFrame,
    table: Table,
    roles: Mapping[str, str],
    cities: gpd.GeoDataFrame,
    wgs84: tuple[np.ndarray, np.ndarray],
    given: tuple[np.ndarray, np.ndarray],
    datum: str,
    problems: list[Problem],
) -> None:
    """Give each point the city it lies in (``out["city_id"]``); compare a stated city with it (a warning naming both).

    ``wgs84`` are the coordinates as read, ``given`` as the list gives them, in ``datum``.
    """
    lon, lat = wgs84
    geoms = cities.geometry.to_numpy()
    which = locate_xy(lon, lat, geoms)
    ids = cities["id"].to_numpy(object)
    out["city_id"] = pc.take(pa.array(ids, pa.string()), pa.array(which, mask=which < 0)).to_pandas()
    if "city" not in roles:
        return
    field = roles["city"]
    at, exact = _stated_cities(out["city"], cities, table, field, problems)
    known = ~(np.isnan(lon) | np.isnan(lat))
    # Exact: a stated city must hold the point. A municipality (上海) only may not hold another corridor city.
    wrong = known & (at >= 0) & np.where(exact, which != at, (which >= 0) & (which != at))
    if not wrong.any():
        return
    likely = _likely_datum(wgs84, given, datum, at, exact, geoms)
    hint = (
        f"the list looks like {likely[0]} coordinates: --input-datum {likely[0]}"
        if likely
        else "check the coordinates or the stated city"
    )
    rows = np.flatnonzero(wrong)
    _report_elsewhere(table, field, rows, which, out["city"].to_numpy(object), _labels(cities), hint, problems)
    if likely:
        problems.append(
            table.problem(
                None,
                None,
                f"{len(rows)} points lie outside their stated city: {likely[1]}",
                f"pass --input-datum {likely[0]}, or datum='{likely[0]}' in Python",
                "warning",
            )
        )


def _stated_cities(
    stated: pd.Series, cities: gpd.GeoDataFrame, table: Table, field: str, problems: list[Problem]
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's stated city as a position among ``cities`` (-1: none) and whether it names it exactly.

    Stated cities that name none of the nine are one warning, with their rows counted.
    """
    names = _city_names(cities)
    codes, distinct = pd.factorize(stated, use_na_sentinel=True)
    lookup = [names.get(header_key(v), names.get(_unsuffixed(header_key(v)))) for v in distinct]
    at = np.array([-1 if hit is None else hit[0] for hit in lookup] + [-1])[codes]
    exact = np.array([hit is not None and hit[1] for hit in lookup] + [False])[codes]
    unknown = [(distinct[k], int((codes == k).sum())) for k, hit in enumerate(lookup) if hit is None]
    if unknown:
        shown = ", ".join(f"{v} ({n} row{'s' if n != 1 else ''})" for v, n in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        problems.append(
            table.problem(
                None,
                field,
                f"stated cities that name none of the nine, so not compared: {shown}{more}",
                severity="warning",
            )
        )
    return at, exact


def _labels(cities: gpd.GeoDataFrame) -> list[str]:
    """Each city as a warning names it: "Huzhou (湖州)", else its id."""
    return [
        f"{row.name_en} ({row.name_zh})" if isinstance(getattr(row, "name_zh", None), str) else str(row.id)
        for row in cities.itertuples(index=False)
    ]


def _report_elsewhere(
    table: Table,
    field: str,
    rows: np.ndarray,
    which: np.ndarray,
    stated: np.ndarray,
    label: list[str],
    hint: str,
    problems: list[Problem],
) -> None:
    """A warning for each of the first :data:`MAX_ROWS` points outside their stated city, then one counting the rest."""
    for i in rows[:MAX_ROWS]:
        where = f"in {label[which[i]]}" if which[i] >= 0 else "outside the nine cities"
        problems.append(
            table.problem(int(i), field, f"the point lies {where}, not in {stated[i]} as stated", hint, "warning")
        )
    if len(rows) > MAX_ROWS:
        problems.append(
            table.problem(
                None, field, f"... and {len(rows) - MAX_ROWS} more points outside their stated city", hint, "warning"
            )
        )


def _city_names(cities: gpd.GeoDataFrame) -> dict[str, tuple[int, bool]]:
    """A stated city's key -> (position among the cities, exact): id, English or Chinese name, with or
    without 市/区/县; a municipality the city is a district of (上海 for Songjiang) is not exact."""
    out: dict[str, tuple[int, bool]] = {}

    def add(text: Any, at: int, exact: bool) -> None:
        if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
            return
        key = header_key(text)
        for k in {key, _unsuffixed(key)}:
            if k and (k not in out or (exact and not out[k][1])):
                out[k] = (at, exact)

    for at, row in enumerate(cities.itertuples(index=False)):
        for text in (row.id, getattr(row, "name_en", None), getattr(row, "name_zh", None)):
            add(text, at, True)
        province_zh = getattr(row, "province_zh", None)
        if isinstance(province_zh, str) and province_zh.endswith("市"):  # a municipality: Shanghai
            add(province_zh, at, False)
            add(getattr(row, "province_en", None), at, False)
    return out


def _unsuffixed(key: str) -> str:
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


_DATUM_NAMES = {
    "wgs84": "WGS-84 (GPS, OpenStreetMap)",
    "gcj02": "GCJ-02 (Gaode/AMap, Tencent)",
    "bd09": "BD-09 (Baidu Maps)",
}


def _likely_datum(
    wgs84: tuple[np.ndarray, np.ndarray],
    given: tuple[np.ndarray, np.ndarray],
    datum: str,
    at: np.ndarray,
    exact: np.ndarray,
    geoms: np.ndarray,
) -> tuple[str, str] | None:
    """The datum the points look like they are in (and why), when reading them so puts most in their stated city.

    Points copied from a Chinese map sit ~0.5 km (GCJ-02) or ~1 km (BD-09) off WGS-84 in one direction
    across the corridor: near a border that moves many into the neighbouring city.
    """
    lon, lat = wgs84
    check = exact & (at >= 0) & ~(np.isnan(lon) | np.isnan(lat))
    if not check.any():
        return None
    x, y, stated = lon[check], lat[check], at[check]
    n_wrong = int((locate_xy(x, y, geoms) != stated).sum())
    if n_wrong == 0:
        return None
    gx, gy = given[0][check], given[1][check]
    best, best_wrong = None, n_wrong
    for other in DATUMS:
        if other == datum:
            continue
        ox, oy = to_wgs84(gx, gy, other)
        wrong = int((locate_xy(ox, oy, geoms) != stated).sum())
        if wrong < best_wrong and wrong <= n_wrong // 2:
            best, best_wrong = other, wrong
    if best is None:
        return None
    ox, oy = to_wgs84(gx, gy, best)
    from pyproj import Geod

    azimuth, _, metres = Geod(ellps="WGS84").inv(np.median(ox), np.median(oy), np.median(x), np.median(y))
    compass = ["north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"]
    direction = compass[int(((azimuth + 22.5) % 360) // 45)]
    return best, (
        f"they sit ~{metres / 1000:.1f} km {direction} of where they would be as {_DATUM_NAMES[best]} "
        f"coordinates, and read so, {n_wrong - best_wrong} of those {n_wrong} lie in their stated city"
    )
