"""Write every layer, and your own lists joined to the corridor, as GeoJSON, GeoPackage or GeoParquet (tables: CSV)."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .analysis import list_distances
from .errors import CorridorError
from .flows import enclave_flows
from .load import Corridor, name_of
from .options import EXPORT_FORMATS

__all__ = ["FORMATS", "export_corridor"]

FORMATS = EXPORT_FORMATS


def _list_tables(corridor: Corridor, lists: Sequence[gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    """Each list joined (:func:`corridormap.list_distances`) under a file-safe name that no layer has."""
    out: dict[str, gpd.GeoDataFrame] = {}
    for k, gdf in enumerate(lists):
        base = re.sub(r"[\\/:*?\"<>|\s]+", "_", name_of(gdf, k)).strip("._") or f"list-{k + 1}"
        stem, n = base, 2
        while stem in corridor.layers() or stem in out or stem == "flows":
            stem, n = f"{base}-{n}", n + 1
        joined = list_distances(corridor, gdf)
        joined.attrs = {}  # the reading's warnings are no file's metadata
        out[stem] = joined
    return out


def export_corridor(
    corridor: Corridor,
    out_dir: str | os.PathLike[str],
    *,
    fmt: str = "geojson",
    lists: Sequence[gpd.GeoDataFrame] = (),
) -> list[Path]:
    """Write every layer of ``corridor``, and each own list joined to it, into ``out_dir``.

    Parameters
    ----------
    corridor
        Loaded data (:func:`corridormap.load_corridor`).
    out_dir
        Directory to create or fill.
    fmt
        ``"geojson"`` (one ``<layer>.geojson`` per spatial layer), ``"gpkg"``
        (one ``corridor.gpkg`` with a table per layer) or ``"parquet"`` (one
        GeoParquet file per layer). ``facts`` and ``sources`` are always CSV.
    lists
        Own lists (:func:`corridormap.read_points`): each is written like a layer, named after
        the list, with its city, nearest station and distance to each route
        (:func:`corridormap.list_distances`).

    Returns
    -------
    list of Path
        The files written. Each is written to a temporary name and renamed,
        so a failed export never leaves a half-written file.
    """
    if fmt not in FORMATS:
        raise CorridorError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorridorError(f"cannot create {out}: {exc.strerror}") from exc
    flows = enclave_flows(corridor)  # the enclaves as lines from home to host, as the map draws them
    frames: dict[str, pd.DataFrame] = {**corridor.layers(), **({"flows": flows} if len(flows) else {}),
                                       **_list_tables(corridor, lists)}  # fmt: skip
    written: list[Path] = []
    try:
        with tempfile.TemporaryDirectory(dir=out, prefix=".export-") as tmp:
            staged: list[tuple[Path, Path]] = []
            for name, frame in frames.items():
                target = _stage(frame, name, fmt, out, Path(tmp))
                if (Path(tmp) / target.name, target) not in staged:
                    staged.append((Path(tmp) / target.name, target))
            for src, dst in staged:
                os.replace(src, dst)
                written.append(dst)
    except OSError as exc:
        raise CorridorError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    return written


def _stage(frame: pd.DataFrame, name: str, fmt: str, out: Path, tmp: Path) -> Path:
    """Write one layer under ``tmp`` in ``fmt`` (a table without geometry as CSV); return its place in ``out``."""
    if not isinstance(frame, gpd.GeoDataFrame):
        target = out / f"{name}.csv"
        frame.to_csv(tmp / target.name, index=False)
    elif fmt == "geojson":
        target = out / f"{name}.geojson"
        frame.to_file(tmp / target.name, driver="GeoJSON", engine="pyogrio")
    elif fmt == "gpkg":
        target = out / "corridor.gpkg"
        frame.to_file(tmp / target.name, layer=name, driver="GPKG", engine="pyogrio")
    else:
        target = out / f"{name}.parquet"
        frame.to_parquet(tmp / target.name)
    return target
