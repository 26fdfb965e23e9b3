"""Your own lists of points, as analysts hold them: Excel or GBK files, Chinese headers, Baidu coordinates.

A list goes the same reading path as the curated layers (:mod:`corridormap._read`, then
:mod:`corridormap._typed`), with lenient roles instead of a strict schema: columns are
recognised by their names in Chinese or English (:data:`ROLES`, ignoring case, spaces,
punctuation and a bracketed suffix such as "经度（GCJ-02）"), coordinates in GCJ-02 or BD-09 are
converted to WGS-84, each point is given the corridor city it lies in, and a stated city
(``城市``) is compared with it. Every other column is kept as text.
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

from ._coordtext import degrees, is_pairs, split_pairs
from ._read import Table, read_source
from ._typed import MAX_ROWS, check_region, report_rows, typed_columns
from .datum import DATUMS, to_wgs84
from .errors import CorridorError, DataError, Problem
from .join import locate_xy
from .load import points_frame, read_layer
from .notplaced import missed_records, not_placed
from .placing import PLACE_ROLES, place_by_name
from .schema import Column, Layer

__all__ = ["OUTPUT_COLUMNS", "ROLES", "parse_columns", "read_points"]

# role -> the column names it is recognised by (compared by :func:`header_key`), best first
ROLES: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "序号", "企业编号", "uid"),
    "name": (
        "name",
        "名称",
        "企业名称",
        "公司名称",
        "单位名称",
        "机构名称",
        "企业",
        "公司",
        "单位",
        "机构",
        "名字",
        "company",
        "company name",
        "enterprise",
        "firm",
        "organisation",
        "organization",
        "title",
    ),
    "name_en": ("name_en", "english name", "英文名称", "英文名"),
    "name_zh": ("name_zh", "chinese name", "中文名称", "中文名"),
    "lon": ("lon", "lng", "long", "longitude", "x", "经度", "东经"),
    "lat": ("lat", "latitude", "y", "纬度", "北纬"),
    "lnglat": (
        "lnglat",
        "lonlat",
        "lng_lat",
        "lon_lat",
        "latlng",
        "latlon",
        "coordinates",
        "coordinate",
        "coords",
        "经纬度",
        "坐标",
        "经纬度坐标",
        "位置坐标",
        "坐标位置",
        "gps",
        "gps坐标",
    ),
    "city": ("city", "city_id", "城市", "市", "所在城市", "地市", "所在地市", "城市名称", "所属城市"),
    "district": (
        "district",
        "county",
        "区县",
        "所属区县",
        "所在区县",
        "所在地区",
        "行政区",
        "所属行政区",
        "区",
        "县",
        "county/district",
    ),
    "sector": (
        "sector",
        "industry",
        "category",
        "行业",
        "产业",
        "领域",
        "所属行业",
        "所属产业",
        "所属领域",
        "行业类别",
        "产业类别",
        "行业分类",
    ),
    "kind": ("kind", "type", "类型", "机构类型", "企业类型", "单位类型"),
    "address": ("address", "addr", "地址", "详细地址", "企业地址", "注册地址", "通讯地址", "办公地址"),
    "website": ("website", "url", "web", "homepage", "网址", "网站", "官网", "主页"),
    "description": ("description", "desc", "简介", "描述", "说明", "企业简介", "介绍"),
    "location_precision": ("location_precision", "precision", "定位精度"),
    "source_ids": ("source_ids",),
}
ROLE_NAMES = {"name": "name", "lon": "longitude", "lat": "latitude"}  # the roles a list needs, in words
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
_SUFFIXES = ("市", "区", "县", "city", "district", "county", "shi", "qu")
_BRACKETS = re.compile(r"[(\[{【（].*?[)\]}】）]")


def header_key(text: str) -> str:
    """Return a column (or city) name as compared: NFKC, case folded, brackets, spaces and punctuation dropped."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = _BRACKETS.sub("", text) or text
    return re.sub(r"[\W_]+", "", text)


_ROLE_KEYS = {role: [header_key(n) for n in names] for role, names in ROLES.items()}
_HEADER_WORDS = frozenset(k for keys in _ROLE_KEYS.values() for k in keys if len(k) > 1)  # not "x", "y", "市"


def header_score(cells: list[str]) -> int:
    """How many of a row's cells name a known column (:data:`ROLES`): how the header of a sheet is found."""
    return sum(header_key(c) in _HEADER_WORDS for c in cells)


def parse_columns(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """Read ``"name=单位名称,lon=X坐标"`` (the ``--columns`` option) or a mapping into ``{role: column}``.

    An empty column (``id=``) means the role is read from no column.

    Raises
    ------
    CorridorError
        For a role that does not exist or a part without ``=``.
    """
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        pairs = [(str(k), str(v) if v is not None else "") for k, v in spec.items()]
    else:
        pairs = []
        for part in (p for p in spec.split(",") if p.strip()):
            role, eq, header = part.partition("=")
            if not eq:
                raise CorridorError(f"--columns: {part.strip()!r} is not role=column (e.g. name=单位名称,lon=X坐标)")
            pairs.append((role, header))
    out = {}
    for role, header in pairs:
        role = role.strip()
        if role not in ROLES:
            raise CorridorError(f"--columns: unknown role {role!r}; roles: {', '.join(ROLES)}")
        out[role] = header.strip()
    return out


def _match_roles(table: Table, given: Mapping[str, str], problems: list[Problem]) -> dict[str, str] | None:
    """Role -> the table's column holding it, recognised by name or given; ``None`` with one error if lacking."""
    columns = table.columns
    roles: dict[str, str] = {}
    for role, header in given.items():
        if not header:
            continue
        if header not in columns:
            folded = [c for c in columns if header_key(c) == header_key(header)]
            if not folded:
                problems.append(
                    table.problem(
                        None,
                        header,
                        f"no column {header!r} (given for {role} in --columns)",
                        f"columns found: {', '.join(columns)}",
                    )
                )
                return None
            header = folded[0]
        roles[role] = header
    used = set(roles.values())
    spatial = table.geometry is not None
    keys = {c: header_key(c) for c in columns}
    for role, wanted in _ROLE_KEYS.items():
        if role in given or (spatial and role in ("lon", "lat")):
            continue
        for key in wanted:
            hit = next((c for c in columns if c not in used and keys[c] == key), None)
            if hit is not None:
                roles[role] = hit
                used.add(hit)
                break
    if not spatial:
        _combined(table, roles, given)
    lacking = [r for r in ("name", "lon", "lat") if r not in roles and r not in given]
    if spatial or any(r in roles for r in PLACE_ROLES):  # placed by its geometry, or by the places it names
        lacking = [r for r in lacking if r not in ("lon", "lat")]
    if "name" in lacking and ("name_en" in roles or "name_zh" in roles):
        lacking.remove("name")
    if not lacking:
        return roles
    looked = "; ".join(f"{ROLE_NAMES[r]} as {', '.join(ROLES[r])}" for r in lacking)
    guess = _guess(table, [r for r in ("name", "lon", "lat") if r not in given], roles)
    ready = ",".join(
        f"{r}={guess.get(r, roles.get(r, '<column>'))}"
        for r in ("name", "lon", "lat")
        if r not in given and not (spatial and r in ("lon", "lat"))
    )
    problems.append(
        table.problem(
            None,
            None,
            f"cannot tell which column holds the {', '.join(ROLE_NAMES[r] for r in lacking)}: "
            f"columns found: {', '.join(columns)}; looked for {looked}",
            f"name them: --columns {ready}",
        )
    )
    return None


def _combined(table: Table, roles: dict[str, str], given: Mapping[str, str]) -> None:
    """One column holding both coordinates, named so (经纬度, 坐标, coordinates, ...) or found by its values.

    It then stands for both ``lon`` and ``lat`` in ``roles`` (split before typing, see
    :func:`_coordinate_cells`); separate longitude and latitude columns are preferred to it.
    """
    pair = roles.pop("lnglat", None)
    if "lon" in roles or "lat" in roles or "lon" in given or "lat" in given:
        return
    if pair is None:
        used = set(roles.values())
        pair = next((c for c in table.columns if c not in used and is_pairs(table.text.column(c))), None)
    if pair is not None:
        roles["lon"] = roles["lat"] = pair


def _coordinate_cells(table: Table, roles: Mapping[str, str]) -> dict[str, Any]:
    """The text of ``lon`` and ``lat`` as typing reads it: split from one column holding both, degree marks read."""
    if "lon" not in roles or "lat" not in roles:
        return {}
    if roles["lon"] == roles["lat"]:
        lon, lat = split_pairs(table.text.column(roles["lon"]))
        return {"lon": lon, "lat": lat}
    return {role: degrees(table.text.column(roles[role])) for role in ("lon", "lat")}


def _guess(table: Table, roles: list[str], known: Mapping[str, str]) -> dict[str, str]:
    """Columns that look like the name, longitude and latitude (by their values), for the ready ``--columns`` line."""
    free = [c for c in table.columns if c not in known.values()]
    sample = table.text.slice(0, 200)
    out: dict[str, str] = {}
    for c in free:
        num = pd.to_numeric(pd.Series(sample.column(c).to_pylist(), dtype=object), errors="coerce")
        if len(num) and num.notna().mean() > 0.8:  # a column of numbers: in China's longitudes, or latitudes?
            med = float(num.median())
            if "lon" in roles and "lon" not in out and 73 <= med <= 136:
                out["lon"] = c
            elif "lat" in roles and "lat" not in out and 3 <= med <= 54:
                out["lat"] = c
        elif "name" in roles and "name" not in out:
            out["name"] = c
    return out


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
    table = read_source(source, problems, sheet=sheet, header=header_score)
    if table is None:
        return None
    if len(table) == 0:
        problems.append(_no_rows(table))
        return None
    roles = _match_roles(table, given, problems)
    if roles is None:
        return None
    mixed = "lon" in roles and any(r in roles for r in PLACE_ROLES)
    cells = _coordinate_cells(table, roles)
    spec = _SPEC_MIXED if mixed else _SPEC
    frame = typed_columns(table, spec, problems, headers=roles, decimal_comma=True, cells=cells)
    given_lon, given_lat = _coordinates(frame, table, roles, problems)
    if mixed:
        _half_blank(table, roles, cells, problems)
    lon, lat = to_wgs84(given_lon, given_lat, datum)
    by_name = "lon" not in roles and table.geometry is None  # no coordinates: placed by the places named
    check_region(table, lon, lat, roles.get("lon", "geometry"), problems)
    label = list_name(source, name)
    slug = _slug(label)
    out = _columns(frame, table, roles, lon, lat, slug, problems)
    if by_name or mixed:  # mixed: only the rows whose coordinates are blank
        coordinates = None if by_name else _coordinate_fields(roles)
        place_by_name(out, table, roles, lon, lat, problems, coordinates=coordinates)
        out["lon"], out["lat"] = lon, lat
    if cities is not None and len(cities):
        compared = {k: v for k, v in roles.items() if not (by_name and k == "city")}  # placed by it: no compare
        _place(out, table, compared, cities, (lon, lat), (given_lon, given_lat), datum, problems)
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
    rows = pc.cast(pa.array(table.rows(np.arange(n))), pa.string())
    generated = pc.binary_join_element_wise(f"{slug}-", rows, "").to_pandas()  # <list>-<line>
    cols: dict[str, Any] = {}
    if "id" in roles:
        ids = frame["id"]
        cols["id"] = ids.where(ids.notna(), generated)
        dup = cols["id"].duplicated(keep="first").to_numpy()
        report_rows(
            problems,
            table,
            roles["id"],
            dup,
            "is used more than once",
            values=cols["id"].to_numpy(object),
            hint="ids must be unique (or leave the id out: --columns id= numbers the rows)",
        )
    else:
        cols["id"] = generated
    if "name" in roles:
        cols["name"] = frame["name"]
    else:
        names = [frame[r] for r in ("name_en", "name_zh") if r in roles]
        cols["name"] = names[0].fillna(names[1]) if len(names) == 2 else names[0] if names else _missing(n)
    for role in ("name_en", "name_zh"):
        if role in roles:
            cols[role] = frame[role]
    cols["lon"], cols["lat"] = lon, lat
    cols["city_id"] = _missing(n)  # see _place
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


def _missing(n: int) -> pd.Series:
    """A text column of ``n`` missing values (pandas' string dtype)."""
    return pa.nulls(n, pa.string()).to_pandas()


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


def _place(
    out: pd.DataFrame,
    table: Table,
    roles: Mapping[str, str],
    cities: gpd.GeoDataFrame,
    wgs84: tuple[np.ndarray, np.ndarray],
    given: tuple[np.ndarray, np.ndarray],
    datum: str,
    problems: list[Problem],
) -> None:
    """Give each point the city it lies in; compare a stated city with it (a warning naming both).

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
    stated = out["city"]
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
    label = [
        f"{row.name_en} ({row.name_zh})" if isinstance(getattr(row, "name_zh", None), str) else str(row.id)
        for row in cities.itertuples(index=False)
    ]
    rows = np.flatnonzero(wrong)
    stated_values = stated.to_numpy(object)
    for i in rows[:MAX_ROWS]:
        where = f"in {label[which[i]]}" if which[i] >= 0 else "outside the nine cities"
        problems.append(
            table.problem(
                int(i), field, f"the point lies {where}, not in {stated_values[i]} as stated", hint, "warning"
            )
        )
    if len(rows) > MAX_ROWS:
        problems.append(
            table.problem(
                None, field, f"... and {len(rows) - MAX_ROWS} more points outside their stated city", hint, "warning"
            )
        )
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
