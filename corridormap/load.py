"""Read ``geodata/`` into typed (Geo)DataFrames in EPSG:4326. No folium here."""

from __future__ import annotations

import csv
import functools
import json
import os
import warnings
from dataclasses import dataclass, field, fields
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyproj
import shapely

from . import _layer_cache as layer_cache
from ._factorize import factorize, per_object, remember_factorized
from ._paths import resolve_data_dir
from .datum import gcj02_to_wgs84
from .errors import CorridorError, DataError, Problem
from .schema import DATE_PATTERN, ID_PATTERN, IDS_PATTERN, LAYERS, Column, Layer

__all__ = ["Corridor", "load_corridor", "read_layer"]

CRS = "EPSG:4326"
pa_csv_error = pyarrow.lib.ArrowInvalid
pa_table = pyarrow.Table
_MAX_ROWS_PER_CHECK = 20  # per column and check; the rest are counted, not listed


@dataclass
class Corridor:
    """The corridor data: one attribute per layer of ``geodata/``.

    Point layers are GeoDataFrames built from their ``lon``/``lat`` columns;
    ``facts``, ``milestones`` and ``sources`` are DataFrames. Every frame is indexed 0..n-1
    and keeps the file's row order. Text columns use pandas' string dtype
    (pyarrow-backed under pandas 3; a blank cell is missing), numbers are
    float or nullable Int64.
    """

    data_dir: Path
    sources: pd.DataFrame
    cities: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    seats: gpd.GeoDataFrame
    routes: gpd.GeoDataFrame
    stops: gpd.GeoDataFrame
    enterprises: gpd.GeoDataFrame
    enclaves: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    facts: pd.DataFrame
    milestones: pd.DataFrame
    files: dict[str, str] = field(default_factory=dict)  # layer -> file name, where not the default

    def layers(self) -> dict[str, pd.DataFrame]:
        """Return every layer by name, in ``geodata/`` order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("data_dir", "files")}

    def file(self, layer: str) -> str:
        """Return the name of the file a layer was read from (for messages)."""
        return self.files.get(layer, LAYERS[layer].file)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={len(v)}" for k, v in self.layers().items())
        return f"Corridor({self.data_dir}: {counts})"


_MAP_OVER = 1 << 20  # bytes: a larger file is memory-mapped rather than read into a fresh buffer
_BOM = b"\xef\xbb\xbf"


def _head(raw, n: int = 1 << 16) -> bytes:
    """The first ``n`` bytes of ``raw`` (bytes or a pyarrow buffer) as bytes."""
    return bytes(memoryview(raw)[:n])


def _read_bytes(path: Path, problems: list[Problem]):
    """The file's bytes: ``bytes``, or for a large file (a user's list) a read-only memory map.

    The map is a pyarrow ``Buffer``: the CSV parser reads it in place, and the pages come straight
    from the page cache instead of being copied into new memory (a fresh buffer of tens of megabytes
    costs more in page faults than the read itself).
    """
    try:
        large = path.stat().st_size > _MAP_OVER
        raw = pyarrow.memory_map(str(path)).read_buffer() if large else path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(path.name, None, None, f"file not found in {path.parent}", "restore it from git"))
        return None
    except OSError as exc:
        problems.append(Problem(path.name, None, None, f"cannot read file: {exc.strerror or exc}"))
        return None
    if _head(raw, 3) == _BOM:  # a BOM (Excel's UTF-8) is accepted and dropped
        raw = raw[3:]
    if not len(raw) or (_head(raw).isspace() and bytes(raw).isspace()):  # (no copy unless it starts blank)
        problems.append(Problem(path.name, None, None, "file is empty", "it needs a header line and rows"))
        return None
    return raw


def _decode(raw, name: str, problems: list[Problem]) -> str | None:
    """UTF-8 text, else GB18030 (a superset of GBK) with a warning, else an error."""
    raw = bytes(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            problems.append(
                Problem(name, line, None, "text is not UTF-8", "save the file as UTF-8 (CSV UTF-8 in Excel)")
            )
            return None
        problems.append(
            Problem(
                name,
                line,
                None,
                "text is not UTF-8; read it as GBK/GB18030",
                "save the file as UTF-8 to be sure",
                severity="warning",
            )
        )
        return text


def _parse_csv(raw) -> pa_table:
    """Every column as text, blanks kept as "" (pyarrow's multi-threaded parser; it checks UTF-8)."""
    head = _head(raw)
    if b"\n" not in head and len(head) < len(raw):  # a header line longer than the first 64 KiB
        head = bytes(raw)
    end = head.find(b"\n")
    header = next(csv.reader([head[: end if end >= 0 else len(head)].decode("utf-8", "replace")]), [])
    return pacsv.read_csv(
        pyarrow.BufferReader(raw),  # no copy of the bytes (or of the memory map)
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pyarrow.string()), strings_can_be_null=False
        ),
    )


def _read_csv(raw, path: Path, problems: list[Problem]) -> pa_table | None:
    try:
        try:
            table = _parse_csv(raw)
        except pa_csv_error as exc:
            if "UTF8" not in str(exc):
                raise
            text = _decode(raw, path.name, problems)  # not UTF-8: GBK/GB18030 with a warning, or an error
            if text is None:
                return None
            table = _parse_csv(text.encode("utf-8"))
    except (pa_csv_error, ValueError) as exc:
        problems.append(Problem(path.name, None, None, f"not a valid CSV file: {exc}".strip()))
        return None
    return table.rename_columns([str(c).strip() for c in table.column_names])


def _read_geojson(raw, path: Path, layer: Layer, problems: list[Problem]) -> gpd.GeoDataFrame | None:
    text = _decode(raw, path.name, problems)
    if text is None:
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(path.name, None, None, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
        )
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        problems.append(Problem(path.name, None, None, "not a GeoJSON FeatureCollection"))
        return None
    crs_name = ((doc.get("crs") or {}).get("properties") or {}).get("name")
    if crs_name and not any(s in crs_name.upper() for s in ("CRS84", "EPSG::4326", "EPSG:4326")):
        problems.append(
            Problem(
                path.name,
                None,
                "crs",
                f"coordinates are in {crs_name}, not WGS-84",
                "reproject to EPSG:4326, e.g. ogr2ogr -t_srs EPSG:4326, or geopandas to_crs(4326)",
            )
        )
        return None
    rows, geoms = [], []
    for i, feat in enumerate(doc["features"], start=1):
        props = (feat or {}).get("properties") or {}
        rows.append({k: ("" if v is None else str(v)) for k, v in props.items()})
        try:
            geoms.append(shapely.geometry.shape(feat["geometry"]) if feat.get("geometry") else None)
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
            problems.append(Problem(path.name, i, "geometry", f"unreadable geometry: {exc}"))
            geoms.append(None)
    df = pd.DataFrame(rows, dtype=str)
    if not rows:
        df = pd.DataFrame(columns=layer.column_names, dtype=str)
    return gpd.GeoDataFrame(df.fillna(""), geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)


def geojson(geoms) -> list[str]:
    """Each geometry as GeoJSON text (``"null"`` where missing), remembered per geometry object.

    A curated layer read from the layer cache comes with this text for its geometries, so a
    build does not write the provinces' and cities' outlines out again.
    """
    return [
        "null" if g is None else per_object(g, shapely.to_geojson, "geojson") for g in np.asarray(geoms, dtype=object)
    ]


def _row_number(layer: Layer, index) -> int:
    # CSV: header is line 1, first data row line 2; GeoJSON: 1-based feature number.
    return int(index) + (1 if layer.file.endswith("json") else 2)


def _matches(pattern: str, error: str) -> pa.Check:
    """A pandera check that the whole value matches ``pattern``, run in pyarrow (RE2) rather than per row in Python."""

    def check(series: pd.Series) -> pd.Series:
        # Blanks pass here: they are the nullable check's job.
        ok = pc.fill_null(pc.match_substring_regex(_arrow_text(series), pattern), True)
        return pd.Series(ok.to_numpy(zero_copy_only=False), index=series.index, dtype=bool)

    return pa.Check(check, error=error)


def _pandera_checks(col: Column) -> list[pa.Check]:
    checks = []
    if col.kind == "id":
        checks.append(_matches(ID_PATTERN, "must be a kebab-case id (a-z, 0-9, '-')"))
    elif col.kind == "ids":
        checks.append(_matches(IDS_PATTERN, "must be kebab-case ids separated by ';'"))
    elif col.kind == "date":
        checks.append(_matches(DATE_PATTERN, "must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD"))
    elif col.kind == "url":
        checks.append(_matches(r"^https?://\S+$", "must be an http(s):// address"))
    if col.allowed is not None:
        checks.append(pa.Check.isin(list(col.allowed), error=f"must be one of: {', '.join(col.allowed)}"))
    if col.range is not None:
        lo, hi = col.range
        checks.append(pa.Check.in_range(lo, hi, error=f"must be between {lo:g} and {hi:g}"))
    return checks


def _names(raw) -> list[str]:
    return list(raw.column_names) if isinstance(raw, pa_table) else [c for c in raw.columns if c != "geometry"]


def _arrow_text(series: pd.Series):
    """A text Series as a pyarrow string array: no copy for pandas' string dtype, None/NaN become null."""
    return pyarrow.array(series, type=pyarrow.string(), from_pandas=True)


def _text(raw, name: str):
    """One column as a pyarrow string array (CSV tables are already; GeoJSON properties are converted)."""
    return raw[name] if isinstance(raw, pa_table) else _arrow_text(raw[name])


def _objects(arr) -> pd.Series:
    return pd.Series(arr.to_numpy(zero_copy_only=False), dtype=object)


def _text_series(arr) -> pd.Series:
    """Text as pandas' own string dtype (pyarrow-backed in pandas 3: no Python object per cell)."""
    return arr.to_pandas()


def _coerce(raw, layer: Layer, problems: list[Problem]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Trim every cell, blanks become missing, numbers are parsed; vectorised in pyarrow.

    Returns the typed frame and, per declared column, where a value is missing.
    """
    names = _names(raw)
    out, missing, encoded = {}, {}, {}
    for col in layer.columns:
        if col.name not in names:
            continue
        cells = _text(raw, col.name)
        if col.kind not in ("float", "int") and (col.allowed is not None or col.name in layer.refs):
            # A column of few distinct values (sector, city, source): trimmed and checked on its dictionary.
            values, codes, uniques = _encoded(cells)
            missing[col.name] = codes < 0
            out[col.name] = _text_series(values)
            encoded[col.name] = (codes, uniques)
            continue
        if col.kind in ("float", "int") and (num := _plain_numbers(cells)) is not None:
            _numbers(out, missing, problems, layer, col, num, np.zeros(len(num), dtype=bool), cells)
            continue
        text = pc.utf8_trim_whitespace(cells)
        blank_mask = pc.fill_null(pc.equal(text, ""), True)
        blank = np.asarray(blank_mask.to_numpy(zero_copy_only=False), dtype=bool)
        values = pc.if_else(blank_mask, None, text) if blank.any() else text  # no copy of a full column
        missing[col.name] = blank
        if col.kind in ("float", "int"):
            try:
                num = np.array(pc.cast(values, pyarrow.float64()).to_numpy(zero_copy_only=False), dtype=float)
            except pa_csv_error:  # some cell is not a number: pandas finds which
                num = pd.to_numeric(_objects(values), errors="coerce").to_numpy(float, copy=True)
            _numbers(out, missing, problems, layer, col, num, blank, text)
        else:
            out[col.name] = _text_series(values)
    result = pd.DataFrame(out)
    for name, (codes, uniques) in encoded.items():  # later factorize() calls get these codes
        remember_factorized(result[name], codes, uniques)
    for c in names:
        if c not in layer.column_names:  # unknown columns are kept as they are
            result[c] = _text_series(_text(raw, c))
    return result, missing


def _plain_numbers(arr) -> np.ndarray | None:
    """The column as floats when every cell is a number as written (no spaces, no blanks), else None."""
    if arr.null_count:
        return None
    try:
        return np.array(pc.cast(arr, pyarrow.float64()).to_numpy(zero_copy_only=False), dtype=float)
    except pa_csv_error:  # a blank, a space or text somewhere: the general path trims and reports
        return None


def _numbers(out, missing, problems, layer, col, num, blank, text) -> None:
    """A parsed number column into ``out``: cells that are not (whole) numbers reported and missing."""
    bad = np.isnan(num) & ~blank
    if col.kind == "int":
        bad |= ~np.isnan(num) & (num != np.round(num))
    if bad.any():
        message = "is not a number" if col.kind == "float" else "is not a whole number"
        _report_rows(problems, layer, col.name, bad, _objects(text), message)
    num[bad] = np.nan
    missing[col.name] = np.isnan(num)
    out[col.name] = pd.Series(num).astype("Int64") if col.kind == "int" else pd.Series(num)


def _encoded(arr) -> tuple:
    """A text column trimmed, blanks made missing, and factorised, working on its distinct values.

    Returns the values (``arr`` itself when nothing needed trimming), codes as ``pandas.factorize``
    gives them (-1 where missing) and the distinct values in order of first appearance.
    """
    enc = pc.dictionary_encode(arr)
    chunks = enc.chunks if isinstance(enc, pyarrow.ChunkedArray) else [enc]
    if not chunks:
        return arr, np.zeros(0, dtype=np.int64), pyarrow.array([], pyarrow.string())
    dictionary = chunks[-1].dictionary  # one dictionary shared by every chunk
    indices = pyarrow.chunked_array([c.indices for c in chunks], type=chunks[0].indices.type)
    trimmed = pc.utf8_trim_whitespace(dictionary)
    trimmed = pc.if_else(pc.equal(trimmed, ""), None, trimmed)  # blank -> missing
    if trimmed.null_count == 0 and trimmed.equals(dictionary):
        values, uniques = arr, dictionary
    else:  # values that differ only in spaces become one; blanks drop out
        again = pc.dictionary_encode(trimmed)
        indices = pc.take(again.indices, indices)
        uniques = again.dictionary
        values = pc.take(uniques, indices)
    codes = pc.fill_null(indices, -1).to_numpy().astype(np.int64)
    return values, codes, uniques


def _report_rows(problems, layer, field, mask, values, message, hint=None, severity="error"):
    """Add one problem per row where ``mask`` holds (the first few), then a count."""
    mask = np.asarray(mask, dtype=bool)
    idx = np.flatnonzero(mask)
    for i in idx[:_MAX_ROWS_PER_CHECK]:
        shown = f"{values.iloc[i]!r} {message}" if values is not None else message
        problems.append(Problem(layer.file, _row_number(layer, i), field, shown, hint, severity))
    if len(idx) > _MAX_ROWS_PER_CHECK:
        problems.append(
            Problem(
                layer.file,
                None,
                field,
                f"... and {len(idx) - _MAX_ROWS_PER_CHECK} more rows: {message}",
                hint,
                severity,
            )
        )


def _check_columns(raw, layer: Layer, problems: list[Problem]) -> bool:
    cols = set(_names(raw))
    missing = [c.name for c in layer.columns if c.required and c.name not in cols]
    for name in missing:
        problems.append(
            Problem(
                layer.file,
                None,
                name,
                "required column is missing",
                f"the header needs: {', '.join(c.name for c in layer.columns if c.required)}",
            )
        )
    for name in sorted(cols - set(layer.column_names)):
        if name:
            problems.append(
                Problem(
                    layer.file,
                    None,
                    name,
                    "unknown column, kept but not used",
                    "check the spelling against geodata/README.md",
                    severity="warning",
                )
            )
    return not missing


@functools.lru_cache(maxsize=64)
def _schema(columns: tuple[Column, ...]) -> pa.DataFrameSchema | None:
    """One pandera schema per layer, for a frame of each column's distinct values."""
    checked = {c.name: pa.Column(None, checks=_pandera_checks(c), nullable=True) for c in columns if _pandera_checks(c)}
    return pa.DataFrameSchema(checked) if checked else None


def _validate_values(df: pd.DataFrame, layer: Layer, problems: list[Problem], missing=None) -> None:
    """Required values, unique ids and each column's pandera checks, reported per row.

    ``missing`` (column -> bool array) saves recomputing what :func:`_coerce` already knows.
    """
    present = tuple(c for c in layer.columns if c.name in df.columns)
    schema = _schema(present)
    checked = list(schema.columns) if schema is not None else []
    codes, uniques = {}, {}
    for col in present:
        if col.kind in ("float", "int") and not col.unique:
            # Numbers are nearly all distinct: checked row by row (a range check is one vectorised pass).
            if col.name in checked:
                codes[col.name], uniques[col.name] = None, df[col.name].to_numpy(float, na_value=np.nan)
        elif col.unique or col.name in checked:
            # Each distinct value is checked once (a million rows often hold a dozen sectors), then mapped back.
            codes[col.name], uniques[col.name] = factorize(df[col.name])
    for col in present:
        s = df[col.name]
        if not col.nullable:
            isna = missing[col.name] if missing and col.name in missing else s.isna().to_numpy()
            _report_rows(problems, layer, col.name, isna, None, "value is missing", "every row needs this field")
        if col.unique:
            k = codes[col.name]
            counts = np.bincount(k[k >= 0], minlength=max(len(uniques[col.name]), 1))
            dup = (k >= 0) & (counts[np.maximum(k, 0)] > 1)
            _report_rows(problems, layer, col.name, dup, s, "is used more than once", "ids must be unique")
    if schema is None:
        return
    failures = {}  # (column, check) -> positions among the column's distinct values (rows, for numbers)
    for names in _by_length(checked, uniques):
        longest = max(len(uniques[k]) for k in names)
        frame = pd.DataFrame({k: _padded(uniques[k], longest) for k in names})
        try:
            _sub_schema(present, names).validate(frame, lazy=True, inplace=True)
        except pa.errors.SchemaErrors as exc:
            fc = exc.failure_cases
            for key, group in fc.groupby(["column", "check"], sort=False):
                failures[key] = [int(i) for i in group["index"] if i is not None and not pd.isna(i)]
    for (name, check), bad in sorted(failures.items(), key=lambda kv: checked.index(kv[0][0])):
        s = df[name]
        k = codes[name]
        rows = np.asarray(sorted(bad), dtype=np.int64) if k is None else np.flatnonzero(np.isin(k, bad))
        for i in rows[:_MAX_ROWS_PER_CHECK]:
            value = s.iloc[i].item() if hasattr(s.iloc[i], "item") else s.iloc[i]
            problems.append(Problem(layer.file, _row_number(layer, i), name, f"{value!r} {check}"))
        if len(rows) > _MAX_ROWS_PER_CHECK:
            problems.append(
                Problem(layer.file, None, name, f"... and {len(rows) - _MAX_ROWS_PER_CHECK} more rows: {check}")
            )


_SHORT = 1024  # distinct values: columns with fewer share one pandera call, padded to the longest


def _by_length(names: list[str], uniques: dict) -> list[tuple[str, ...]]:
    """Columns grouped for pandera: the short ones together, each longer length on its own.

    Padding a dozen sectors to a million ids would make every check (and pandera's dropping of
    missing values) run over a million mostly missing rows.
    """
    groups: dict[int, list[str]] = {}
    for k in names:
        n = len(uniques[k])
        groups.setdefault(0 if n < _SHORT else n, []).append(k)
    return [tuple(v) for v in groups.values()]


@functools.lru_cache(maxsize=64)
def _sub_schema(columns: tuple[Column, ...], names: tuple[str, ...]) -> pa.DataFrameSchema:
    """The part of the layer's schema (:func:`_schema`) for the columns ``names``."""
    schema = _schema(columns)
    return schema if names == tuple(schema.columns) else pa.DataFrameSchema({k: schema.columns[k] for k in names})


def _padded(values, length: int) -> pd.Series:
    """``values`` (distinct texts or numbers) as a Series of ``length``, missing values after them."""
    n = len(values)
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return pd.Series(np.concatenate([values, np.full(length - n, np.nan)]) if n < length else values)
    if n == length:
        return pd.Series(values, dtype=values.dtype)
    arr = pyarrow.array(values, from_pandas=True)
    return pd.Series(pyarrow.concat_arrays([arr, pyarrow.nulls(length - n, arr.type)]).to_pandas(), dtype=values.dtype)


@functools.cache
def _wgs84() -> pyproj.CRS:
    return pyproj.CRS.from_user_input(CRS)


def _geometry(df: pd.DataFrame, layer: Layer, problems: list[Problem]) -> gpd.GeoDataFrame:
    if layer.geometry == "point":
        points = np.full(len(df), None, dtype=object)
        if {"lon", "lat"} <= set(df.columns):
            lon, lat = df["lon"].to_numpy(float), df["lat"].to_numpy(float)
            ok = ~(np.isnan(lon) | np.isnan(lat))
            if ok.all():
                points = shapely.points(lon, lat)
            else:
                points[ok] = shapely.points(lon[ok], lat[ok])
        crs = _wgs84()  # one CRS object: parsing "EPSG:4326" for the series and again for the frame costs more
        return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(points, index=df.index, crs=crs), crs=crs)
    gdf = gpd.GeoDataFrame(df, geometry=df["geometry"], crs=CRS)
    want = {"polygon": ("Polygon", "MultiPolygon"), "line": ("LineString",)}[layer.geometry]
    geoms = gdf.geometry
    missing = geoms.isna() | geoms.is_empty
    _report_rows(problems, layer, "geometry", missing, None, "geometry is missing or empty")
    present = ~missing
    wrong = present & ~geoms.geom_type.isin(want)
    for i in np.flatnonzero(wrong.to_numpy()):
        problems.append(
            Problem(
                layer.file,
                _row_number(layer, i),
                "geometry",
                f"geometry is a {geoms.iloc[i].geom_type}, expected {' or '.join(want)}",
            )
        )
    invalid = present & ~wrong & ~geoms.is_valid
    for i in np.flatnonzero(invalid.to_numpy()):
        reason = shapely.is_valid_reason(geoms.iloc[i])
        problems.append(
            Problem(
                layer.file,
                _row_number(layer, i),
                "geometry",
                f"invalid geometry: {reason}",
                "fix it in QGIS (Vector > Geometry Tools > Fix Geometries) or shapely.make_valid",
            )
        )
    return gdf


def read_layer(
    name: str,
    data_dir: str | os.PathLike | None = None,
    *,
    path: str | os.PathLike | None = None,
    problems: list[Problem] | None = None,
    input_datum: str = "wgs84",
) -> pd.DataFrame | None:
    """Read and type-check one layer; append what is wrong to ``problems``.

    Parameters
    ----------
    name
        Layer name, a key of :data:`corridormap.schema.LAYERS`.
    data_dir
        Data directory (see :func:`load_corridor`).
    path
        Read this file instead of the layer's file in ``data_dir``.
    problems
        List that receives the problems found; when omitted, a
        :class:`~corridormap.errors.DataError` is raised if there are errors.
    input_datum
        ``"wgs84"`` (default) or ``"gcj02"``: the file's coordinates are GCJ-02
        (Gaode/AMap) and are converted to WGS-84 as they are read.

    Returns
    -------
    DataFrame, GeoDataFrame or None
        ``None`` when the file could not be read at all.
    """
    raise_after = problems is None
    problems = [] if problems is None else problems
    before = len(problems)
    frame, _ = _read_layer(name, data_dir, path, problems, input_datum)
    if raise_after and any(p.severity == "error" for p in problems[before:]):
        raise DataError(problems)
    return frame


def _read_layer(name: str, data_dir, path, problems: list[Problem], input_datum: str):
    """:func:`read_layer`, also returning the layer's cache key (``None`` for a file given by ``path``)."""
    if input_datum not in ("wgs84", "gcj02"):
        raise CorridorError(f"unknown input datum {input_datum!r}: use 'wgs84' or 'gcj02'")
    layer = LAYERS[name]
    file = Path(path) if path is not None else resolve_data_dir(data_dir) / layer.file
    if path is not None and layer.file != file.name:
        layer = Layer(layer.name, file.name, layer.columns, layer.geometry, layer.doc, layer.refs)
    before = len(problems)
    data = _read_bytes(file, problems)
    key = None
    if data is None:
        frame = None
    elif path is None:  # a data directory's file: reuse the checked result while the file is unchanged
        key = layer_cache.key(name, layer.file, data, input_datum)
        hit = layer_cache.get(key)
        if isinstance(hit, tuple) and len(hit) == 3:
            frame, found, shapes = hit
            problems += found
            if shapes is not None:  # the map's GeoJSON of these (immutable) geometry objects, made once
                for geom, text in zip(frame.geometry.to_numpy(), shapes):
                    if geom is not None:
                        per_object(geom, lambda _, text=text: text, "geojson")
        else:
            frame = _parse_layer(data, file, layer, problems, input_datum)
            if frame is not None and not any(p.severity == "error" for p in problems[before:]):
                shapes = geojson(frame.geometry) if layer.geometry in ("polygon", "line") else None
                layer_cache.put(key, (frame, problems[before:], shapes))
    else:
        frame = _parse_layer(data, file, layer, problems, input_datum)
    return frame, key


def _parse_layer(data: bytes, file: Path, layer: Layer, problems: list[Problem], input_datum: str):
    json_file = layer.file.endswith("json")
    raw = _read_geojson(data, file, layer, problems) if json_file else _read_csv(data, file, problems)
    frame = None
    if raw is not None and len(raw) == 0 and _check_columns(raw, layer, problems):
        problems.append(Problem(layer.file, None, None, "the file has a header but no rows", "add at least one row"))
    elif raw is not None and _check_columns(raw, layer, problems):
        typed, missing = _coerce(raw, layer, problems)
        if layer.geometry in ("polygon", "line"):
            typed["geometry"] = raw.geometry
        _validate_values(typed, layer, problems, missing)
        if input_datum == "gcj02" and layer.geometry == "point":
            typed["lon"], typed["lat"] = gcj02_to_wgs84(typed["lon"].to_numpy(float), typed["lat"].to_numpy(float))
        frame = _geometry(typed, layer, problems) if layer.geometry else typed
    return frame


def load_corridor(
    data_dir: str | os.PathLike | None = None,
    *,
    validate: bool = True,
    enterprises: str | os.PathLike | None = None,
    input_datum: str = "wgs84",
) -> Corridor:
    """Load every layer of the corridor data.

    Parameters
    ----------
    data_dir
        Directory holding the ``geodata`` files. Default: ``$CORRIDORMAP_DATA``,
        else the copy installed with the package (or the checkout's).
    validate
        Also run the cross-layer checks of :func:`corridormap.validate`.
    enterprises
        Read enterprises from this CSV (any number of rows, the documented
        columns) instead of ``data_dir``'s ``enterprises.csv``; problems are
        reported against this file.
    input_datum
        Datum of the ``enterprises`` file: ``"wgs84"`` or ``"gcj02"`` (converted on reading).

    Returns
    -------
    Corridor

    Raises
    ------
    DataError
        Listing every problem found, each with file, row and field.

    Examples
    --------
    >>> import corridormap
    >>> c = corridormap.load_corridor()
    >>> len(c.cities)
    9
    """
    from .validate import collect

    directory = resolve_data_dir(data_dir)
    corridor, problems = collect(directory, enterprises=enterprises, input_datum=input_datum, cross=validate)
    if corridor is None or any(p.severity == "error" for p in problems):
        raise DataError(problems)
    for p in problems:
        warnings.warn(str(p), stacklevel=2)
    return corridor
