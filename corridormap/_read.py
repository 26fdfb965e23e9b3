"""Read a file, or a frame given in Python, into a table of text: the one reading path of every layer and list.

- CSV, TSV, TXT: :mod:`corridormap._read_text`.
- Excel ``.xlsx``/``.xlsm``/``.xls``/``.ods``: :mod:`corridormap._read_sheet`.
- GeoJSON as JSON (orjson), its geometries read in one vectorised call (``shapely.from_geojson``);
  GeoPackage, Shapefile, FlatGeobuf through pyogrio; (Geo)Parquet through pyarrow/geopandas.
- A ``pandas.DataFrame`` or ``geopandas.GeoDataFrame``.

Blank rows are skipped and counted. Nothing here raises for bad data: every problem is appended
to ``problems`` with file, row and field, and the reader returns ``None`` when the source cannot
be read at all. Typing the columns and checking values is :mod:`corridormap._typed`'s job.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._read_sheet import pick, read_workbook
from ._read_text import from_gb18030, read_delimited
from ._table import Table, drop_blank_rows, nulls_for_blanks
from .errors import FRAME, GDAL, GEOJSON, MAX_ROWS, PARQUET, SPREADSHEETS, Problem

__all__ = ["Table", "read_source"]

_WGS84 = ("EPSG:4326", "OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84")


def read_source(
    source: Any,
    problems: list[Problem],
    *,
    sheet: str | None = None,
    strict: bool = False,
    missing_hint: str = "check the path",
    header: Callable[[list[str]], int] | None = None,
) -> Table | None:
    """Read ``source`` (a path, a DataFrame or a GeoDataFrame) into a :class:`Table`.

    ``strict`` is for the curated files: their coordinates must already be WGS-84, and a file that
    is not UTF-8 is a warning. An own list is read leniently: a spatial file in another CRS is
    reprojected, any of the encodings above is fine. ``header`` scores a row of a CSV file or a
    sheet as the header (the number of its cells that name a known column): the header is then
    found by its content, below title rows (see :func:`corridormap._table.find_header`).
    """
    if _is_frame(source):
        return _read_frame(source, problems)
    path = Path(os.fspath(source))
    name = path.name
    suffix = path.suffix.lower()
    if suffix in GDAL + PARQUET:  # read from the path (a Shapefile is several files)
        if not path.exists():
            problems.append(Problem(name, None, None, f"file not found in {path.parent}", missing_hint))
            return None
        return (
            _read_parquet(path, problems, strict=strict)
            if suffix in PARQUET
            else _read_gdal(path, problems, sheet=sheet, strict=strict)
        )
    raw = _read_bytes(path, problems, missing_hint)
    if raw is None:
        return None
    if suffix in GEOJSON:
        return _read_geojson(raw, name, problems, strict=strict)
    if suffix in SPREADSHEETS or raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return read_workbook(raw, name, problems, sheet=sheet, header=header)
    return read_delimited(raw, name, problems, strict=strict, tab=suffix in (".tsv", ".tab"), header=header)


def _is_frame(source: Any) -> bool:
    return hasattr(source, "columns") and hasattr(source, "iloc")


def _read_bytes(path: Path, problems: list[Problem], missing_hint: str) -> bytes | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(path.name, None, None, f"file not found in {path.parent}", missing_hint))
        return None
    except IsADirectoryError:
        problems.append(Problem(path.name, None, None, "is a directory, not a file"))
        return None
    except OSError as exc:
        problems.append(Problem(path.name, None, None, f"cannot read file: {exc.strerror or exc}"))
        return None
    if (raw[: 1 << 16].isspace() and raw.isspace()) or not raw:  # (no copy of a large file)
        problems.append(Problem(path.name, None, None, "file is empty", "it needs a header line and rows"))
        return None
    return raw


# ---------------------------------------------------------------- spatial files and frames
def _text(arr: Any) -> Any:
    """Any pyarrow column as text (numbers, dates and booleans as they print; nested values as JSON)."""
    if isinstance(arr, pa.ChunkedArray):
        return pa.chunked_array([_text(c) for c in arr.chunks], type=pa.string())
    if isinstance(arr.type, pa.ExtensionType):
        arr = arr.storage
    if pa.types.is_string(arr.type):
        return arr
    try:
        return pc.cast(arr, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        values = arr.to_pylist()
        return pa.array(
            [
                None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
                for v in values
            ],
            pa.string(),
        )


def _text_table(table: pa.Table, skip: tuple[str, ...] = ()) -> pa.Table:
    cols = {str(k): _text(table.column(k)) for k in table.column_names if k not in skip}
    return pa.table({k: nulls_for_blanks(v) for k, v in cols.items()})


def _crs_problem(name: str, crs: str, strict: bool, problems: list[Problem]) -> bool:
    """Whether coordinates in ``crs`` are usable; a curated file must be WGS-84 already."""
    if not strict:
        return True
    problems.append(
        Problem(
            name,
            None,
            "crs",
            f"coordinates are in {crs}, not WGS-84",
            "reproject to EPSG:4326, e.g. ogr2ogr -t_srs EPSG:4326, or geopandas to_crs(4326)",
        )
    )
    return False


def _is_wgs84(crs: Any) -> bool:
    if crs is None:
        return True  # GeoJSON is WGS-84 by definition; a Shapefile without .prj is taken to be
    text = str(crs)
    if text in _WGS84 or text.upper().replace("::", ":").endswith(("EPSG:4326", "CRS84")):
        return True
    import pyproj

    try:
        return bool(pyproj.CRS.from_user_input(crs).equals("EPSG:4326", ignore_axis_order=True))
    except pyproj.exceptions.CRSError:
        return False


def _to_wgs84(geoms: np.ndarray, crs: Any) -> np.ndarray:
    import pyproj
    import shapely

    transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return np.asarray(shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))))


def _read_gdal(path: Path, problems: list[Problem], *, sheet: str | None, strict: bool) -> Table | None:
    import pyogrio
    import shapely

    name = path.name

    try:
        layer = None
        if sheet is not None:  # a GeoPackage's layer (listing them costs as much as reading a small file)
            layers = [str(row[0]) for row in pyogrio.list_layers(path)]
            layer = pick(layers, sheet)
            if layer is None:
                problems.append(
                    Problem(name, None, None, f"no layer {sheet!r} in the file", f"layers: {', '.join(layers)}")
                )
                return None
        meta, table = pyogrio.read_arrow(path, layer=layer, encoding=_dbf_encoding(path))
        table.validate(full=True)  # text GDAL did not recode, still not UTF-8
        table.column_names  # noqa: B018 - the same, in a column name
    except (UnicodeDecodeError, pa.ArrowInvalid):
        problems.append(
            Problem(name, None, None, "text is not UTF-8", "save it with a .cpg file naming its encoding (e.g. GBK)")
        )
        return None
    except Exception as exc:  # GDAL's errors: pyogrio.errors.* and others
        problems.append(_unreadable(path, exc))
        return None
    crs = meta.get("crs")
    geometry_name = meta.get("geometry_name") or "wkb_geometry"
    if geometry_name in table.column_names:
        geoms = np.asarray(shapely.from_wkb(table.column(geometry_name).to_numpy(zero_copy_only=False)), dtype=object)
    else:
        geoms = np.full(table.num_rows, None, dtype=object)
    if not _is_wgs84(crs):
        if not _crs_problem(name, str(crs), strict, problems):
            return None
        geoms = _to_wgs84(geoms, crs)
    text = _text_table(table, skip=(geometry_name,))
    return Table(name, text, geometry=geoms, sheet=layer, numbering=lambda i: i + 1)


def _dbf_encoding(path: Path) -> str | None:
    """A Shapefile's text encoding where the file does not say it: UTF-8 when valid, else GB18030.

    A Shapefile says it in a ``.cpg`` file or the DBF's code page byte; older Chinese GIS tools
    write neither, and GBK text. ``None`` (GDAL decides) for any other file, or one that says.
    """
    if path.suffix.lower() != ".shp" or any(path.with_suffix(s).exists() for s in (".cpg", ".CPG")):
        return None
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        return None
    raw = dbf.read_bytes()
    if len(raw) < 32 or raw[29] != 0:  # byte 29: the language driver (code page) id
        return None
    start = int.from_bytes(raw[8:10], "little")  # the header's length: field descriptors, then records
    names = b"".join(raw[at : at + 11] for at in range(32, start - 31, 32) if raw[at] != 0x0D)
    try:
        (names + raw[start:]).decode("utf-8")
    except UnicodeDecodeError:
        return "GB18030"
    return "UTF-8"


def _unreadable(path: Path, exc: Exception) -> Problem:
    """Why GDAL cannot read a spatial file, in its first line."""
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return Problem(path.name, None, None, f"cannot read the file: {message}")


def _values_text(values: list[Any]) -> Any:
    """JSON property values as text: numbers and booleans as pyarrow prints them, nested values as JSON."""
    try:
        return _text(pa.array(values))
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types, e.g. a number in one feature and text in another
        return pa.array(
            [v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values], pa.string()
        )


def _read_geojson(raw: bytes, name: str, problems: list[Problem], *, strict: bool) -> Table | None:
    import orjson
    import shapely

    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        converted = from_gb18030(data, name, problems, strict)
        if converted is None:
            return None
        data = converted
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        problems.append(Problem(name, None, None, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"))
        return None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        problems.append(Problem(name, None, None, "not a GeoJSON FeatureCollection"))
        return None
    crs = ((doc.get("crs") or {}).get("properties") or {}).get("name")  # GeoJSON before RFC 7946 could name one
    if crs and not _is_wgs84(crs) and not _crs_problem(name, crs, strict, problems):
        return None
    features = [f if isinstance(f, dict) else {} for f in doc["features"]]
    props = [f.get("properties") or {} for f in features]
    keys = list(dict.fromkeys(k for p in props for k in p))
    text = pa.table({str(k): nulls_for_blanks(_values_text([p.get(k) for p in props])) for k in keys})
    if not keys:
        text = pa.table({"": pa.nulls(len(features), pa.string())}).drop_columns([""])
    given = [f.get("geometry") for f in features]
    shapes = np.array([None if g is None else orjson.dumps(g) for g in given], dtype=object)
    geoms = np.asarray(shapely.from_geojson(shapes, on_invalid="ignore"), dtype=object)
    unreadable = np.flatnonzero(np.array([g is not None for g in given], dtype=bool) & shapely.is_missing(geoms))
    problems.extend(Problem(name, int(i) + 1, "geometry", "unreadable geometry") for i in unreadable[:MAX_ROWS])
    if len(unreadable) > MAX_ROWS:
        more = len(unreadable) - MAX_ROWS
        problems.append(Problem(name, None, "geometry", f"... and {more} more unreadable geometries"))
    if crs and not _is_wgs84(crs):
        geoms = _to_wgs84(geoms, crs)
    return Table(name, text, geometry=geoms, numbering=lambda i: i + 1)


def _read_parquet(path: Path, problems: list[Problem], *, strict: bool) -> Table | None:
    import pyarrow.parquet as pq

    name = path.name
    try:
        schema = pq.read_schema(path)
        geo = json.loads((schema.metadata or {}).get(b"geo", b"null"))
        table = pq.read_table(path)
    except (OSError, pa.ArrowException, ValueError) as exc:
        problems.append(Problem(name, None, None, f"cannot read the Parquet file: {exc}"))
        return None
    if not geo:  # plain Parquet: a table with lon/lat columns
        return Table(name, _text_table(table), numbering=lambda i: i + 1)
    import geopandas as gpd

    try:
        gdf = gpd.read_parquet(path)
    except Exception as exc:  # geopandas raises ValueError, TypeError, pyarrow errors
        problems.append(Problem(name, None, None, f"cannot read the GeoParquet file: {exc}"))
        return None
    return _from_geoframe(gdf, name, problems, strict=strict, numbering=lambda i: i + 1)


def _read_frame(frame: Any, problems: list[Problem]) -> Table | None:
    import pandas as pd

    index = frame.index
    labels = np.asarray(index) if pd.api.types.is_integer_dtype(index.dtype) else None

    def numbering(i: np.ndarray) -> np.ndarray:  # the index label where it is a number, else the position
        return labels[i] if labels is not None else i

    if getattr(frame, "_geometry_column_name", None) in frame.columns:  # a GeoDataFrame with its geometry
        return _from_geoframe(frame, FRAME, problems, strict=False, numbering=numbering)
    return drop_blank_rows(Table(FRAME, _frame_text(frame), numbering=numbering), problems)


def _frame_text(frame: Any) -> pa.Table:
    cols = {}
    for k in frame.columns:
        s = frame[k]
        try:
            arr = pa.array(s, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arr = pa.array([None if v is None or v != v else str(v) for v in s.tolist()], pa.string())
        cols[str(k)] = arr
    return _text_table(pa.table(cols) if cols else pa.table({}))


def _from_geoframe(
    gdf: Any, name: str, problems: list[Problem], *, strict: bool, numbering: Callable[[np.ndarray], np.ndarray]
) -> Table | None:
    geom_name = gdf.geometry.name
    geoms = np.asarray(gdf.geometry.to_numpy(), dtype=object)
    crs = gdf.crs
    if crs is not None and not _is_wgs84(crs):
        if not _crs_problem(name, crs.to_string(), strict, problems):
            return None
        geoms = _to_wgs84(geoms, crs)
    return Table(name, _frame_text(gdf.drop(columns=[geom_name])), geometry=geoms, numbering=numbering)
