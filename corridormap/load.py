"""Read the curated layers of ``geodata/`` into typed (Geo)DataFrames in EPSG:4326. No folium here.

Each file goes the one reading path every list goes too: its bytes are read into a table of
text (:mod:`corridormap._read`), then its columns are typed and checked against the layer's
strict schema (:mod:`corridormap._typed`, :data:`corridormap.schema.LAYERS`). The checks across
layers (references, cities, routes) are :mod:`corridormap.checks`'.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._paths import resolve_data_dir
from ._read import Table, read_source
from ._typed import check_columns, check_region, report_rows, typed_columns
from .errors import DataError, Problem
from .schema import LAYERS, Layer

__all__ = ["CRS", "Corridor", "name_of", "read_layer", "read_layers"]

CRS = "EPSG:4326"


@dataclass
class Corridor:
    """The corridor data: one attribute per layer of ``geodata/``.

    Point layers are GeoDataFrames built from their ``lon``/``lat`` columns;
    ``facts`` and ``sources`` are DataFrames. Every frame is indexed 0..n-1
    and keeps the file's row order. Text columns use pandas' string dtype
    (pyarrow-backed; a blank cell is missing), numbers are float or nullable Int64.
    A layer of :data:`~corridormap.schema.LAYERS` without an attribute here is in
    ``more`` and reads as an attribute all the same (``corridor.milestones``).
    """

    data_dir: Path
    sources: pd.DataFrame
    cities: gpd.GeoDataFrame
    divisions: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    seats: gpd.GeoDataFrame
    routes: gpd.GeoDataFrame
    stops: gpd.GeoDataFrame
    enterprises: gpd.GeoDataFrame
    enclaves: gpd.GeoDataFrame
    enclave_homes: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    facts: pd.DataFrame
    more: dict[str, pd.DataFrame] = field(default_factory=dict)
    # layer -> its rows' numbers in the file as the reader counts them (line, feature), by row position
    numbering: dict[str, Callable[[np.ndarray], np.ndarray]] = field(default_factory=dict, repr=False)

    def __getattr__(self, name: str) -> pd.DataFrame:
        more = self.__dict__.get("more") or {}
        if name in more:
            return more[name]
        raise AttributeError(f"'Corridor' object has no attribute {name!r}")

    def layers(self) -> dict[str, pd.DataFrame]:
        """Return every layer by name, in ``geodata/`` order."""
        return {name: getattr(self, name) for name in LAYERS}

    def row(self, layer: str, position: int | np.integer) -> int:
        """Return the number a layer's row has in its file (a line of a CSV, a feature of a GeoJSON)."""
        numbering = self.numbering.get(layer)
        if numbering is not None:
            return int(numbering(np.asarray([position], dtype=np.int64))[0])
        return int(position) + (1 if LAYERS[layer].file.endswith("json") else 2)  # a frame built without a file

    @staticmethod
    def file(layer: str) -> str:
        """Return the name of the file a layer is read from (for messages)."""
        return LAYERS[layer].file

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={len(v)}" for k, v in self.layers().items())
        return f"Corridor({self.data_dir}: {counts})"


_FIELDS = {f.name for f in fields(Corridor)} - {"data_dir", "more", "numbering"}


def read_layer(
    name: str,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    path: str | os.PathLike[str] | None = None,
    problems: list[Problem] | None = None,
) -> pd.DataFrame | None:
    """Read and type-check one curated layer; append what is wrong to ``problems``.

    Parameters
    ----------
    name
        Layer name, a key of :data:`corridormap.schema.LAYERS`.
    data_dir
        Data directory (see :func:`corridormap.load_corridor`).
    path
        Read this file instead of the layer's file in ``data_dir``; problems name it.
    problems
        List that receives the problems found; when omitted, a
        :class:`~corridormap.errors.DataError` is raised if there are errors.

    Returns
    -------
    DataFrame, GeoDataFrame or None
        ``None`` when the file could not be read at all.

    Examples
    --------
    >>> import corridormap
    >>> len(corridormap.read_layer("cities"))
    9
    """
    raise_after = problems is None
    found: list[Problem] = [] if problems is None else problems
    before = len(found)
    file = Path(path) if path is not None else resolve_data_dir(data_dir) / LAYERS[name].file
    frame = _read(LAYERS[name], file, found)
    if raise_after and any(p.severity == "error" for p in found[before:]):
        raise DataError(found)
    return frame


def read_layers(directory: Path, problems: list[Problem], files: dict[str, Path] | None = None) -> Corridor | None:
    """Read every curated layer of ``directory`` (or of ``files``, by layer); ``None`` when a file could not be read."""
    files = files or {}
    numbering: dict[str, Callable[[np.ndarray], np.ndarray]] = {}
    frames = {name: _read(layer, Path(files.get(name, directory / layer.file)), problems, numbering)
              for name, layer in LAYERS.items()}  # fmt: skip
    for name, path in files.items():
        frame = frames.get(name)
        if frame is not None:
            frame.attrs["corridormap_file"] = Path(path).name  # the checks across layers name it
    if any(f is None for f in frames.values()):
        return None
    known = {k: v for k, v in frames.items() if k in _FIELDS}
    more = {k: v for k, v in frames.items() if k not in _FIELDS}
    return Corridor(data_dir=directory, more=more, numbering=numbering, **known)  # type: ignore[arg-type]


def _read(layer: Layer, file: Path, problems: list[Problem], numbering: dict | None = None) -> pd.DataFrame | None:
    """Read a curated file; ``numbering`` receives its rows' numbering by the layer's name."""
    table = read_source(file, problems, strict=True, missing_hint="restore it from git")
    if table is not None and numbering is not None:
        numbering[layer.name] = table.numbering
    if table is not None and table.geometry is not None and len(table) == 0:
        problems.append(table.problem(None, None, "the file has no features", "add at least one feature"))
        return None
    if table is None or not check_columns(table, layer, problems):
        return None
    if len(table) == 0:
        problems.append(table.problem(None, None, "the file has a header but no rows", "add at least one row"))
        return None
    frame = typed_columns(table, layer, problems)
    if layer.geometry == "point":
        return _points(frame, table, layer, problems)
    if layer.geometry in ("polygon", "line"):
        return _shapes(frame, table, layer, problems)
    return frame


def _points(frame: pd.DataFrame, table: Table, layer: Layer, problems: list[Problem]) -> gpd.GeoDataFrame:
    """A point layer's geometry from its lon/lat columns (checked to lie in the layer's region)."""
    lon, lat = frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)
    check_region(table, lon, lat, "lon", problems, region=layer.region, region_name=layer.region_name)
    return points_frame(frame, lon, lat)


def name_of(gdf: gpd.GeoDataFrame, k: int = 0) -> str:
    """Return the name of a list read by :func:`corridormap.read_points` (``"list <k + 1>"`` if it has none)."""
    return str((gdf.attrs.get("corridormap") or {}).get("name") or f"list {k + 1}")


def points_frame(frame: pd.DataFrame, lon: np.ndarray, lat: np.ndarray) -> gpd.GeoDataFrame:
    """``frame`` as a GeoDataFrame of points at ``lon``/``lat`` (WGS-84), missing where either is."""
    ok = ~(np.isnan(lon) | np.isnan(lat))
    if ok.all():
        geoms = shapely.points(lon, lat)
    else:
        geoms = np.full(len(frame), None, dtype=object)
        geoms[ok] = shapely.points(lon[ok], lat[ok])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=CRS), crs=CRS)


_SHAPES = {"polygon": ("Polygon", "MultiPolygon"), "line": ("LineString",)}


def _shapes(frame: pd.DataFrame, table: Table, layer: Layer, problems: list[Problem]) -> gpd.GeoDataFrame:
    """A polygon or line layer's geometry, reported where missing, of another type or invalid."""
    geoms = table.geometry if table.geometry is not None else np.full(len(frame), None, dtype=object)
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=CRS), crs=CRS)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    report_rows(problems, table, "geometry", missing, "geometry is missing or empty")
    kinds = np.asarray(gdf.geometry.geom_type.to_numpy(object))
    wanted = _SHAPES[str(layer.geometry)]
    wrong = ~missing & ~np.isin(kinds, wanted)
    for i in np.flatnonzero(wrong):
        problems.append(table.problem(int(i), "geometry", f"geometry is a {kinds[i]}, expected {' or '.join(wanted)}"))
    invalid = ~missing & ~wrong & ~shapely.is_valid(geoms)
    for i in np.flatnonzero(invalid):
        problems.append(
            table.problem(
                int(i),
                "geometry",
                f"invalid geometry: {shapely.is_valid_reason(geoms[i])}",
                "fix it in QGIS (Vector > Geometry Tools > Fix Geometries) or shapely.make_valid",
            )
        )
    return gdf
