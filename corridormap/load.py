"""Read ``geodata/`` into typed (Geo)DataFrames in EPSG:4326. No folium here."""

from __future__ import annotations

import io
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
import shapely

from ._paths import resolve_data_dir
from .datum import gcj02_to_wgs84
from .errors import CorridorError, DataError, Problem
from .schema import DATE_PATTERN, ID_PATTERN, IDS_PATTERN, LAYERS, Column, Layer

__all__ = ["Corridor", "load_corridor", "read_layer"]

CRS = "EPSG:4326"
pa_csv_error = pyarrow.lib.ArrowInvalid
_MAX_ROWS_PER_CHECK = 20  # per column and check; the rest are counted, not listed


@dataclass
class Corridor:
    """The corridor data: one attribute per layer of ``geodata/``.

    Point layers are GeoDataFrames built from their ``lon``/``lat`` columns;
    ``facts`` and ``sources`` are DataFrames. Every frame is indexed 0..n-1
    and keeps the file's row order.
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


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, None, None, f"file not found in {path.parent}", "restore it from git"))
        return None
    except OSError as exc:
        problems.append(Problem(name, None, None, f"cannot read file: {exc.strerror}"))
        return None
    try:
        text = raw.decode("utf-8-sig")  # a BOM (Excel's UTF-8) is accepted and dropped
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
    if not text.strip():
        problems.append(Problem(name, None, None, "file is empty", "it needs a header line and rows"))
        return None
    return text


def _read_csv(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    text = _read_text(path, problems)
    if text is None:
        return None
    try:
        # Bytes, not a str buffer, and pyarrow's multi-threaded parser: ~8x faster on a million rows.
        df = pd.read_csv(
            io.BytesIO(text.encode("utf-8")), dtype=str, keep_default_na=False, encoding="utf-8", engine="pyarrow"
        )
    except (pd.errors.ParserError, ValueError, pa_csv_error) as exc:
        problems.append(Problem(path.name, None, None, f"not a valid CSV file: {exc}".strip()))
        return None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _read_geojson(path: Path, layer: Layer, problems: list[Problem]) -> gpd.GeoDataFrame | None:
    text = _read_text(path, problems)
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


def _row_number(layer: Layer, index) -> int:
    # CSV: header is line 1, first data row line 2; GeoJSON: 1-based feature number.
    return int(index) + (1 if layer.file.endswith("json") else 2)


def _pandera_checks(col: Column) -> list[pa.Check]:
    checks = []
    if col.kind == "id":
        checks.append(pa.Check.str_matches(ID_PATTERN, error="must be a kebab-case id (a-z, 0-9, '-')"))
    elif col.kind == "ids":
        checks.append(pa.Check.str_matches(IDS_PATTERN, error="must be kebab-case ids separated by ';'"))
    elif col.kind == "date":
        checks.append(pa.Check.str_matches(DATE_PATTERN, error="must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD"))
    elif col.kind == "url":
        checks.append(pa.Check.str_matches(r"^https?://\S+$", error="must be an http(s):// address"))
    if col.allowed is not None:
        checks.append(pa.Check.isin(list(col.allowed), error=f"must be one of: {', '.join(col.allowed)}"))
    if col.range is not None:
        lo, hi = col.range
        checks.append(pa.Check.in_range(lo, hi, error=f"must be between {lo:g} and {hi:g}"))
    return checks


def _coerce(df: pd.DataFrame, layer: Layer, problems: list[Problem]) -> pd.DataFrame:
    out = {}
    for col in layer.columns:
        if col.name not in df.columns:
            continue
        s = df[col.name].astype(str).str.strip()
        blank = s == ""
        if col.kind in ("float", "int"):
            num = pd.to_numeric(s.where(~blank), errors="coerce")
            bad = num.isna() & ~blank
            if col.kind == "int":
                frac = num.notna() & (num != np.round(num))
                bad |= frac
                num = num.where(~frac)
            _report_rows(
                problems, layer, col.name, bad, s, "is not a number" if col.kind == "float" else "is not a whole number"
            )
            out[col.name] = num.astype("Int64") if col.kind == "int" else num.astype(float)
        else:
            out[col.name] = s.where(~blank, None).astype(object)
    result = pd.DataFrame(out, index=df.index)
    extra = [c for c in df.columns if c not in layer.column_names and c != "geometry"]
    for c in extra:
        result[c] = df[c]
    return result


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


def _check_columns(df: pd.DataFrame, layer: Layer, problems: list[Problem]) -> bool:
    cols = set(df.columns) - {"geometry"}
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


def _validate_values(df: pd.DataFrame, layer: Layer, problems: list[Problem]) -> None:
    for col in layer.columns:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        if not col.nullable:
            _report_rows(problems, layer, col.name, s.isna(), None, "value is missing", "every row needs this field")
        if col.unique:
            dup = s.notna() & s.duplicated(keep=False)
            _report_rows(problems, layer, col.name, dup, s, "is used more than once", "ids must be unique")
        checks = _pandera_checks(col)
        if not checks:
            continue
        # Check each distinct value once (a million rows often hold a dozen sectors), then map back to rows.
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        schema = pa.DataFrameSchema({col.name: pa.Column(None, checks=checks, nullable=True)})
        try:
            schema.validate(pd.DataFrame({col.name: pd.Series(uniques, dtype=object)}), lazy=True)
        except pa.errors.SchemaErrors as exc:
            fc = exc.failure_cases
            for check, group in fc.groupby("check", sort=False):
                bad = [int(i) for i in group["index"] if i is not None and not pd.isna(i)]
                rows = np.flatnonzero(np.isin(codes, bad))
                for i in rows[:_MAX_ROWS_PER_CHECK]:
                    value = s.iloc[i].item() if hasattr(s.iloc[i], "item") else s.iloc[i]
                    problems.append(Problem(layer.file, _row_number(layer, i), col.name, f"{value!r} {check}"))
                if len(rows) > _MAX_ROWS_PER_CHECK:
                    problems.append(
                        Problem(
                            layer.file, None, col.name, f"... and {len(rows) - _MAX_ROWS_PER_CHECK} more rows: {check}"
                        )
                    )


def _geometry(df: pd.DataFrame, layer: Layer, problems: list[Problem]) -> gpd.GeoDataFrame:
    if layer.geometry == "point":
        ok = df["lon"].notna() & df["lat"].notna() if {"lon", "lat"} <= set(df.columns) else None
        if ok is None:
            geom = gpd.GeoSeries([None] * len(df), index=df.index, crs=CRS)
        else:
            geom = gpd.GeoSeries(gpd.points_from_xy(df["lon"], df["lat"]), index=df.index, crs=CRS)
            geom[~ok] = None
        return gpd.GeoDataFrame(df, geometry=geom, crs=CRS)
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
    layer = LAYERS[name]
    raise_after = problems is None
    problems = [] if problems is None else problems
    file = Path(path) if path is not None else resolve_data_dir(data_dir) / layer.file
    if path is not None and layer.file != file.name:
        layer = Layer(layer.name, file.name, layer.columns, layer.geometry, layer.doc, layer.refs)
    before = len(problems)
    raw = _read_geojson(file, layer, problems) if layer.file.endswith("json") else _read_csv(file, problems)
    frame = None
    if raw is not None and raw.empty and _check_columns(raw, layer, problems):
        problems.append(Problem(layer.file, None, None, "the file has a header but no rows", "add at least one row"))
    elif raw is not None and _check_columns(raw, layer, problems):
        typed = _coerce(raw, layer, problems)
        if layer.geometry in ("polygon", "line"):
            typed["geometry"] = raw.geometry
        _validate_values(typed, layer, problems)
        if input_datum == "gcj02" and layer.geometry == "point":
            typed["lon"], typed["lat"] = gcj02_to_wgs84(typed["lon"].to_numpy(float), typed["lat"].to_numpy(float))
        elif input_datum != "wgs84":
            raise CorridorError(f"unknown input datum {input_datum!r}: use 'wgs84' or 'gcj02'")
        frame = _geometry(typed, layer, problems) if layer.geometry else typed
    if raise_after and any(p.severity == "error" for p in problems[before:]):
        raise DataError(problems)
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
