"""Place a list's rows that have no coordinates by the places they name: city, district, address.

A row is placed at the finest level its text names (:mod:`corridormap.gazetteer`): at the
division's reference point (``location_precision`` ``district``) or the city's seat (``city``),
with ``placed_by`` saying how (``address → 余杭区``) and ``division_adcode`` the division. A row
whose text names no corridor place, or two, is a row-level problem naming its column and why,
like an unreadable coordinate (a lenient reading leaves it out and lists it).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._read import Table
from ._typed import report_rows
from .errors import DataError, Problem
from .gazetteer import CITY, DISTRICT, Gazetteer, normalise_many
from .load import read_layer

__all__ = ["PLACE_ROLES", "place_by_name"]

PLACE_ROLES = ("city", "district", "address")  # the columns a row is placed by, coarsest first
_SEP = "|"  # between the columns' texts: no name runs across it, and normalising keeps it


def place_by_name(
    out: pd.DataFrame,
    table: Table,
    roles: Mapping[str, str],
    lon: np.ndarray,
    lat: np.ndarray,
    problems: list[Problem],
    gazetteer: Gazetteer | None = None,
    seats: pd.DataFrame | None = None,
    coordinates: str | None = None,
) -> None:
    """Place the rows of ``out`` without coordinates by their city, district and address columns.

    ``lon``/``lat`` (WGS-84) are filled in place where both are NaN; ``out`` gains
    ``location_precision`` (where placed), ``placed_by`` and ``division_adcode``. Rows that cannot
    be placed are reported. ``gazetteer`` and ``seats`` (the cities' reference points) default to
    the curated ones. ``coordinates`` names the list's coordinate columns when it has them (a
    mixed list: only its rows with blank coordinates are placed here).
    """
    used = [r for r in PLACE_ROLES if r in roles]
    todo = np.isnan(lon) & np.isnan(lat)
    if not used or not todo.any():
        return
    g = gazetteer if gazetteer is not None else default_gazetteer()
    parts = [normalise_many(out[r].to_numpy(object)) for r in used]
    texts = _joined(parts)
    asked = texts.copy()
    asked[~todo] = ""
    m = g.match(asked, normalised=True)
    district, city = todo & (m.level == DISTRICT), todo & (m.level == CITY)
    div_at, city_at = np.where(district, m.index, 0), np.where(city, m.index, 0)
    lon[district] = g.divisions["rep_lon"].to_numpy(float)[div_at[district]]
    lat[district] = g.divisions["rep_lat"].to_numpy(float)[div_at[district]]
    seat_lon, seat_lat = _seats(g, seats if seats is not None else _layer("seats"))
    lon[city], lat[city] = seat_lon[city_at[city]], seat_lat[city_at[city]]
    _say_how(out, g, district, city, div_at, city_at, _role_of(parts, used, m.start))
    if (district | city).any() or not todo.all() or coordinates is not None:
        _report(table, roles, used, todo & ~(district | city), m.reason, texts, problems, coordinates)
        return
    columns = ", ".join(roles[r] for r in used)
    problems.append(
        table.problem(
            None,
            None,
            f"cannot tell which column holds the longitude, latitude, and no row's {columns} names a city or "
            f"district of the corridor (e.g. {texts[0].replace(_SEP, ' ').strip()!r}): nothing to place the rows by",
            "give the coordinates' columns: --columns lon=<column>,lat=<column>; or write the city and district",
        )
    )


def _say_how(
    out: pd.DataFrame,
    g: Gazetteer,
    district: np.ndarray,
    city: np.ndarray,
    div_at: np.ndarray,
    city_at: np.ndarray,
    role: np.ndarray,
) -> None:
    """Set ``location_precision``, ``placed_by`` (``address → 余杭区``) and ``division_adcode`` of the rows placed."""
    precision = out["location_precision"].astype(object).to_numpy(copy=True)
    precision[district], precision[city] = DISTRICT, CITY
    out["location_precision"] = pd.array(precision, dtype="string")
    placed_by = np.full(len(out), None, dtype=object)
    div_names = g.divisions["name_zh"].to_numpy(object)
    city_names = g.cities["name_zh"].to_numpy(object)
    placed_by[district] = role[district] + " → " + div_names[div_at[district]]
    placed_by[city] = role[city] + " → " + city_names[city_at[city]]
    out["placed_by"] = pd.array(placed_by, dtype="string")
    codes = np.full(len(out), None, dtype=object)
    codes[district] = g.divisions["adcode"].astype(str).to_numpy(object)[div_at[district]]
    out["division_adcode"] = pd.array(codes, dtype="string")


def default_gazetteer() -> Gazetteer:
    """The gazetteer of the curated ``geodata/`` (divisions, cities, aliases)."""
    return Gazetteer(_layer("divisions"), _layer("cities"), _layer("division_aliases"))


def _layer(name: str) -> pd.DataFrame:
    frame = read_layer(name)  # raises DataError when the curated file is broken
    if frame is None:
        raise DataError([Problem(name, None, None, "the curated layer could not be read")])
    return frame


def _seats(g: Gazetteer, seats: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each city's seat (its reference point), in the cities' order; NaN where it has none."""
    at = pd.Index(seats["city_id"]).get_indexer(g.cities["id"])
    lon = np.where(at >= 0, seats["lon"].to_numpy(float)[at], np.nan)
    lat = np.where(at >= 0, seats["lat"].to_numpy(float)[at], np.nan)
    return lon, lat


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """Each row's place columns (normalised) as one text, coarsest first (the city named guards the address)."""
    joined = parts[0]
    for p in parts[1:]:
        joined = joined + _SEP + p
    return joined


def _role_of(parts: list[np.ndarray], used: list[str], start: np.ndarray) -> np.ndarray:
    """The column the deciding name was found in, from where it starts in the joined text."""
    lengths = np.column_stack([np.fromiter(map(len, p), dtype=np.int64, count=len(p)) for p in parts])
    ends = np.cumsum(lengths + len(_SEP), axis=1) - len(_SEP)  # where each part ends in the joined text
    which = (start[:, None] >= ends).sum(axis=1).clip(0, len(used) - 1)
    return np.asarray(used, dtype=object)[which]


def _report(
    table: Table,
    roles: Mapping[str, str],
    used: list[str],
    missed: np.ndarray,
    reason: np.ndarray,
    texts: np.ndarray,
    problems: list[Problem],
    coordinates: str | None = None,
) -> None:
    """One row-level problem per row that could not be placed, grouped by reason."""
    field = roles[used[-1]] if len(used) == 1 else " + ".join(roles[r] for r in used)
    hint = "write the city and district (杭州市余杭区 …), or give the coordinates"
    shown = np.array([t.replace(_SEP, " ").strip() for t in texts], dtype=object)  # as matched
    blank = "is blank: nothing to place the row by"
    if coordinates is not None:  # a mixed list: the row's coordinates are blank too
        blank = f"is blank, and so are the coordinates ({coordinates}): nothing to place the row by"
    for why in pd.unique(reason[missed]):
        mask = missed & (reason == why)
        if why == "is blank":  # nothing written to place the row by (a blank, total or note row)
            report_rows(problems, table, field, mask, blank, hint=hint)
        else:
            report_rows(problems, table, field, mask, f"cannot be placed: {why}", values=shown, hint=hint)
