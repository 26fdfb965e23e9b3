"""Your own lists of points, as analysts hold them: Excel or GBK files, Chinese headers, Baidu coordinates.

A list goes the same reading path as the curated layers (:mod:`corridormap._read`, then
:mod:`corridormap._typed`), with lenient roles instead of a strict schema: columns are
recognised by their names in Chinese or English (:mod:`corridormap.roles`), coordinates in
GCJ-02 or BD-09 are converted to WGS-84, rows without coordinates are placed by the places they
name (:mod:`corridormap.placing`), each point is given the corridor city it lies in and a stated
city (``城市``) is compared with it (:mod:`corridormap.listcities`). Every other column is kept as text.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, overload

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ._read import Table, read_source
from ._typed import check_region, report_rows, typed_columns
from .datum import DATUMS, to_wgs84
from .errors import CorridorError, DataError, Problem
from .listcities import place_in_cities
from .load import points_frame, read_layer
from .notplaced import missed_records, not_placed
from .placing import PLACE_ROLES, place_by_name
from .roles import ROLES, coordinate_cells, header_score, match_roles, parse_columns
from .schema import Column, Layer

__all__ = ["OUTPUT_COLUMNS", "ROLES", "parse_columns", "read_points"]

OUTPUT_COLUMNS = (
    "id",
    "name",
    "name_en",
    "name_zh",
    "lon",
    "lat",
    "city_id",
    "city",
    "district",
    "sector",
    "kind",
    "address",
    "website",
    "description",
    "location_precision",
    "placed_by",
    "division_adcode",
    "source_ids",
)

# How each role's values are typed: leniently (any text; only coordinates must be numbers).
_SPEC = Layer(
    "list",
    "list",
    tuple(
        Column(role, "float", range=(-180, 180) if role == "lon" else (-90, 90))
        if role in ("lon", "lat")
        else Column(role, nullable=True)
        for role in ROLES
    ),
    geometry="point",
)
# A list with coordinate columns and place columns (address, district, city): a row whose
# coordinates are both blank is placed by the places it names (see _blank_coordinates).
_SPEC_MIXED = Layer(
    _SPEC.name,
    _SPEC.file,
    tuple(replace(c, nullable=True) if c.name in ("lon", "lat") else c for c in _SPEC.columns),
    geometry=_SPEC.geometry,
)


def _slug(name: str) -> str:
    ascii_part = re.sub(
        r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ).strip("-")
    return ascii_part or hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


@overload
def read_points(
    source: Any,
    *,
    columns: str | Mapping[str, str] | None = ...,
    datum: str = ...,
    name: str | None = ...,
    sheet: str | None = ...,
    cities: gpd.GeoDataFrame | None = ...,
    errors: Literal["raise"] = ...,
) -> gpd.GeoDataFrame: ...


@overload
def read_points(
    source: Any,
    *,
    columns: str | Mapping[str, str] | None = ...,
    datum: str = ...,
    name: str | None = ...,
    sheet: str | None = ...,
    cities: gpd.GeoDataFrame | None = ...,
    errors: Literal["report"],
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]: ...


def read_points(
    source: Any,
    *,
    columns: str | Mapping[str, str] | None = None,
    datum: str = "wgs84",
    name: str | None = None,
    sheet: str | None = None,
    cities: gpd.GeoDataFrame | None = None,
    errors: Literal["raise", "report"] = "raise",
) -> gpd.GeoDataFrame | tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Read your own list of points (companies, sites, anything with coordinates) as a GeoDataFrame.

    The header is found by its content (title rows above it are skipped); coordinates may be
    written with degree marks (``120.15°E``), in full-width digits, or both in one column
    (``经纬度`` = ``120.15,30.28``, in either order).

    Parameters
    ----------
    source
        A path to a CSV/TSV/TXT file (UTF-8, UTF-16 or GBK/GB18030; comma, tab or semicolon),
        an Excel workbook (``.xlsx``, ``.xls``, ...), a GeoJSON, GeoPackage, Shapefile or
        (Geo)Parquet file, or a ``pandas.DataFrame`` / ``geopandas.GeoDataFrame``.
    columns
        Which column holds what, where the names are not recognised: ``{"name": "单位名称",
        "lon": "X坐标", "lat": "Y坐标"}`` or ``"name=单位名称,lon=X坐标,lat=Y坐标"``. Roles:
        the keys of :data:`ROLES`; an empty column (``"id="``) reads a role from none.
    datum
        The coordinates' datum: ``"wgs84"`` (GPS, OpenStreetMap), ``"gcj02"`` (Gaode/AMap,
        Tencent) or ``"bd09"`` (Baidu); converted to WGS-84.
    name
        The list's name, as its overlay and column names show it (default: the file's stem).
    sheet
        The sheet of a workbook (name, or number from 1) or the layer of a GeoPackage.
    cities
        The corridor cities to place points in (default: the curated ``cities.geojson``).
    errors
        What a row that cannot be used does (a missing or unreadable coordinate, a point outside
        the corridor, a total row or a note below the data, a blank row): ``"raise"`` (the
        default, as a library should not drop data unasked) raises :class:`DataError` listing
        every such row; ``"report"`` leaves it out and returns it in a second frame, as
        ``corridormap build`` does. A file that cannot be read at all raises either way.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, indexed 0..n-1 in the source's order, with the columns of
        :data:`OUTPUT_COLUMNS` that apply: ``id`` (where absent, generated as ``<slug>-<line>``:
        the name in ASCII, or 8 hex digits of its SHA-1 when it has none, and the file's line or
        the DataFrame's row),
        ``name``, ``name_en``/``name_zh`` (when given), ``lon``/``lat`` (WGS-84), ``city_id``
        (the corridor city the point lies in; missing outside the nine), ``city`` (as stated),
        ``sector``, ``kind``, ``address``, ``website``, ``description`` (when given),
        ``location_precision``, ``source_ids`` (the list's own source where blank); then every
        other column as text under its own name. ``gdf.attrs["corridormap"]`` holds the list's
        ``name``, ``file``, ``source`` (id, title, publisher, date, url), ``roles`` (role ->
        column), ``extra`` (the other columns), ``warnings`` (:class:`~corridormap.Problem`)
        and ``not_placed`` (the number of rows left out that look like records: not total rows,
        notes or empty rows).
    not_placed : DataFrame
        Only with ``errors="report"``: one row per row left out, in the source's order, with
        the columns ``list``, ``file``, ``sheet``, ``line`` (as :attr:`corridormap.Problem.row`
        counts), ``field``, ``reason``, then the row's cells as given (see
        :func:`corridormap.notplaced.not_placed`).

    Raises
    ------
    DataError
        Listing every problem, each with file, line (a workbook's sheet and row) and column
        (with ``errors="report"``: only those of the whole file, e.g. no name column).

    Examples
    --------
    >>> import pandas as pd, corridormap
    >>> firms = pd.DataFrame({"企业名称": ["甲公司"], "经度": [121.2277], "纬度": [31.0325]})
    >>> gdf = corridormap.read_points(firms, name="mine")
    >>> gdf[["id", "name", "city_id"]].to_dict("records")
    [{'id': 'mine-0', 'name': '甲公司', 'city_id': 'songjiang'}]
    >>> firms.loc[1] = ["合计", None, None]
    >>> gdf, missed = corridormap.read_points(firms, name="mine", errors="report")
    >>> len(gdf), missed[["line", "reason"]].to_dict("records")
    (1, [{'line': 1, 'reason': 'a total row, not a record'}])
    """
    if errors not in ("raise", "report"):
        raise CorridorError(f"errors must be 'raise' or 'report', not {errors!r}")
    problems: list[Problem] = []
    if cities is None:
        cities = read_layer("cities")
    report: list[pd.DataFrame] | None = [] if errors == "report" else None
    gdf = collect_points(
        source, problems, columns=columns, datum=datum, name=name, sheet=sheet, cities=cities, report=report
    )
    if gdf is None or any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return gdf if report is None else (gdf, report[0])


def list_name(source: Any, name: str | None) -> str:
    """Return the name a list goes by: ``name``, else the file's stem, else ``"own list"``."""
    if name:
        return name
    if isinstance(source, (str, os.PathLike)):
        return Path(os.fspath(source)).stem
    return "own list"


def collect_points(
    source: Any,
    problems: list[Problem],
    *,
    columns: str | Mapping[str, str] | None = None,
    datum: str = "wgs84",
    name: str | None = None,
    sheet: str | None = None,
    cities: gpd.GeoDataFrame | None = None,
    report: list[pd.DataFrame] | None = None,
) -> gpd.GeoDataFrame | None:
    """:func:`read_points`, appending every problem to ``problems`` instead of raising for bad data.

    ``cities=None`` places no point in a city. Returns ``None`` when the list cannot be read at all.
    With ``report`` (a list), rows that cannot be used are left out instead of being errors, and
    a frame of them is appended to ``report`` (see :func:`corridormap.notplaced.not_placed`).
    """
    if datum not in DATUMS:
        raise CorridorError(f"unknown input datum {datum!r}: use one of {', '.join(DATUMS)}")
    given = parse_columns(columns)
    before = len(problems)
    read = _read_with_roles(source, given, problems, sheet)
    if read is None:
        return None
    table, roles = read
    label = list_name(source, name)
    out, wgs84, as_given = _points(table, roles, datum, _slug(label), problems)
    if cities is not None and len(cities):
        by_name = "lon" not in roles and table.geometry is None
        compared = {k: v for k, v in roles.items() if not (by_name and k == "city")}  # placed by it: no compare
        place_in_cities(out, table, compared, cities, wgs84, as_given, datum, problems)
    lon, lat = wgs84
    missed = None
    if report is not None:  # lenient: the rows that cannot be used are left out, and listed
        keep, missed = not_placed(table, problems, before, label)
        if not keep.all():
            out, lon, lat = out[keep].reset_index(drop=True), lon[keep], lat[keep]
    if any(p.severity == "error" for p in problems[before:]):
        return None
    if report is not None and missed is not None:
        report.append(missed)
    gdf = points_frame(out, lon, lat)
    gdf.attrs["corridormap"] = _meta(table, label, roles, out, problems[before:], missed)
    return gdf


def _read_with_roles(
    source: Any, given: Mapping[str, str], problems: list[Problem], sheet: str | None
) -> tuple[Table, dict[str, str]] | None:
    """The list read as text, and which column holds what; ``None`` (with the error) when neither can be had."""
    table = read_source(source, problems, sheet=sheet, header=header_score)
    if table is None:
        return None
    if len(table) == 0:
        problems.append(_no_rows(table))
        return None
    roles = match_roles(table, given, problems)
    return None if roles is None else (table, roles)


def _points(
    table: Table, roles: Mapping[str, str], datum: str, slug: str, problems: list[Problem]
) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The output columns, the WGS-84 coordinates and the coordinates as given (in ``datum``).

    Coordinates are typed and checked to lie in the corridor region; rows without them are
    placed by the places they name.
    """
    mixed = "lon" in roles and any(r in roles for r in PLACE_ROLES)
    cells = coordinate_cells(table, roles)
    spec = _SPEC_MIXED if mixed else _SPEC
    frame = typed_columns(table, spec, problems, headers=roles, decimal_comma=True, cells=cells)
    given_lon, given_lat = _coordinates(frame, table, roles, problems)
    if mixed:
        _half_blank(table, roles, cells, problems)
    lon, lat = to_wgs84(given_lon, given_lat, datum)
    by_name = "lon" not in roles and table.geometry is None  # no coordinates: placed by the places named
    check_region(table, lon, lat, roles.get("lon", "geometry"), problems)
    out = _columns(frame, table, roles, lon, lat, slug, problems)
    if by_name or mixed:  # mixed: only the rows whose coordinates are blank
        coordinates = None if by_name else _coordinate_fields(roles)
        place_by_name(out, table, roles, lon, lat, problems, coordinates=coordinates)
        out["lon"], out["lat"] = lon, lat
    return out, (lon, lat), (given_lon, given_lat)


def _coordinate_fields(roles: Mapping[str, str]) -> str:
    """The coordinates' column or columns, as a message names them."""
    return roles["lon"] if roles["lon"] == roles["lat"] else f"{roles['lon']}, {roles['lat']}"


def _half_blank(table: Table, roles: Mapping[str, str], cells: Mapping[str, Any], problems: list[Problem]) -> None:
    """In a list that also names places: one coordinate blank and the other written is an error.

    A row with both blank is placed by name (:func:`corridormap.placing.place_by_name`); half a
    coordinate is a mistake, reported on the blank half (such a row is not placed by name).
    """
    blank = {}
    for role in ("lon", "lat"):
        text = pc.utf8_trim_whitespace(cells[role])
        blank[role] = np.asarray(pc.fill_null(pc.equal(text, ""), True), dtype=bool)
    for role, other in (("lon", "lat"), ("lat", "lon")):
        half = blank[role] & ~blank[other]
        report_rows(problems, table, roles[role], half, "value is missing", hint="give both coordinates, or neither")


def _no_rows(table: Table) -> Problem:
    if table.geometry is not None:
        return table.problem(None, None, "the file has no features", "add at least one feature")
    where = "sheet" if table.sheet is not None else "file"
    return table.problem(None, None, f"the {where} has a header but no rows", "add at least one row")


def _meta(
    table: Table,
    label: str,
    roles: Mapping[str, str],
    out: pd.DataFrame,
    problems: list[Problem],
    missed: pd.DataFrame | None,
) -> dict[str, Any]:
    """What ``gdf.attrs["corridormap"]`` holds about a list read (see :func:`read_points`)."""
    file = table.file
    return {
        "name": label,
        "file": file,
        "source": {
            "id": f"list-{_slug(label)}",
            "title": label if file == "DataFrame" else file,
            "publisher": None,
            "date": None,
            "url": None,
        },
        "roles": dict(roles),
        "extra": [c for c in out.columns if c not in OUTPUT_COLUMNS],
        "warnings": [p for p in problems if p.severity != "error"],
        "not_placed": 0 if missed is None else missed_records(missed),
    }


def _coordinates(frame: pd.DataFrame, table: Table, roles: Mapping[str, str], problems: list[Problem]) -> tuple:
    """Longitudes and latitudes as given: from the lon/lat columns, else from a spatial file's geometry."""
    if "lon" in roles and "lat" in roles:
        return frame["lon"].to_numpy(float, copy=True), frame["lat"].to_numpy(float, copy=True)
    if table.geometry is None:  # placed by name (see corridormap.placing)
        return np.full(len(frame), np.nan), np.full(len(frame), np.nan)
    geoms = table.geometry if table.geometry is not None else np.full(len(frame), None, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    report_rows(problems, table, "geometry", missing, "geometry is missing or empty")
    kinds = shapely.get_type_id(geoms)
    other = ~missing & (kinds != 0)
    if other.any():  # lines or polygons: a point on each
        geoms = geoms.copy()
        geoms[other] = shapely.point_on_surface(geoms[other])
        n = int(other.sum())
        problems.append(
            table.problem(
                None,
                "geometry",
                f"{n} feature{'s are' if n != 1 else ' is'} not a point: placed at a point on its surface",
                severity="warning",
            )
        )
    return shapely.get_x(geoms).astype(float), shapely.get_y(geoms).astype(float)


def _columns(
    frame: pd.DataFrame,
    table: Table,
    roles: Mapping[str, str],
    lon: np.ndarray,
    lat: np.ndarray,
    slug: str,
    problems: list[Problem],
) -> pd.DataFrame:
    """The output columns in :data:`OUTPUT_COLUMNS` order, then the other columns under their names."""
    n = len(frame)
    cols: dict[str, Any] = {"id": _ids(frame, table, roles, slug, problems), "name": _names(frame, roles)}
    for role in ("name_en", "name_zh"):
        if role in roles:
            cols[role] = frame[role]
    cols["lon"], cols["lat"] = lon, lat
    cols["city_id"] = _missing(n)  # see corridormap.listcities.place_in_cities
    for role in ("city", "district", "sector", "kind", "address", "website", "description"):
        if role in roles:
            cols[role] = frame[role]
    cols["location_precision"] = frame["location_precision"] if "location_precision" in roles else _missing(n)
    own = f"list-{slug}"
    cols["source_ids"] = (
        frame["source_ids"].fillna(own) if "source_ids" in roles else pa.repeat(pa.scalar(own), n).to_pandas()
    )
    for c in frame.columns:
        if c not in ROLES:
            cols[c if c not in cols else f"{c} (input)"] = frame[c]
    return pd.DataFrame(cols, index=pd.RangeIndex(n))


def _ids(frame: pd.DataFrame, table: Table, roles: Mapping[str, str], slug: str, problems: list[Problem]) -> Any:
    """Each row's id: as given (a repeated one is an error), else ``<slug>-<line>``."""
    rows = pc.cast(pa.array(table.rows(np.arange(len(frame)))), pa.string())
    generated = pc.binary_join_element_wise(f"{slug}-", rows, "").to_pandas()  # <list>-<line>
    if "id" not in roles:
        return generated
    ids = frame["id"].where(frame["id"].notna(), generated)
    report_rows(
        problems,
        table,
        roles["id"],
        ids.duplicated(keep="first").to_numpy(),
        "is used more than once",
        values=ids.to_numpy(object),
        hint="ids must be unique (or leave the id out: --columns id= numbers the rows)",
    )
    return ids


def _names(frame: pd.DataFrame, roles: Mapping[str, str]) -> Any:
    """Each row's name: the name column, else the English name, then the Chinese where it has none."""
    if "name" in roles:
        return frame["name"]
    names = [frame[r] for r in ("name_en", "name_zh") if r in roles]
    return names[0].fillna(names[1]) if len(names) == 2 else names[0] if names else _missing(len(frame))


def _missing(n: int) -> pd.Series:
    """A text column of ``n`` missing values (pandas' string dtype)."""
    return pa.nulls(n, pa.string()).to_pandas()


def read_lists(
    items: Sequence[Any],
    cities: gpd.GeoDataFrame | None,
    problems: list[Problem],
    *,
    columns: str | Mapping[str, str] | None = None,
    datum: str = "wgs84",
    sheet: str | None = None,
    report: list[pd.DataFrame] | None = None,
) -> list[gpd.GeoDataFrame]:
    """Read lists (each a source, or a ``(name, source)`` pair) with the same options; skip unreadable ones.

    With ``report`` (a list), each list is read leniently and its rows not placed are appended to it.
    """
    out = []
    for item in items:
        name, source = item if isinstance(item, tuple) else (None, item)
        try:
            gdf = collect_points(
                source, problems, columns=columns, datum=datum, name=name, sheet=sheet, cities=cities, report=report
            )
        except CorridorError as exc:  # a --columns or datum the reader cannot use: said against the list
            file = Path(os.fspath(source)).name if isinstance(source, (str, os.PathLike)) else "DataFrame"
            problems.append(Problem(file, None, None, str(exc)))
            continue
        if gdf is not None:
            out.append(gdf)
    return out
