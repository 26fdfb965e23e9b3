"""Write every layer to GeoJSON, GeoPackage or GeoParquet (tables as CSV)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd

from .errors import CorridorError
from .load import Corridor

__all__ = ["FORMATS", "export_corridor"]

FORMATS = ("geojson", "gpkg", "parquet")


def export_corridor(corridor: Corridor, out_dir: str | os.PathLike, *, fmt: str = "geojson") -> list[Path]:
    """Write every layer of ``corridor`` into ``out_dir``.

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
    written: list[Path] = []
    with tempfile.TemporaryDirectory(dir=out, prefix=".export-") as tmp:
        staged: list[tuple[Path, Path]] = []
        for name, frame in corridor.layers().items():
            if not isinstance(frame, gpd.GeoDataFrame):
                target = out / f"{name}.csv"
                frame.to_csv(Path(tmp) / target.name, index=False)
            elif fmt == "geojson":
                target = out / f"{name}.geojson"
                frame.to_file(Path(tmp) / target.name, driver="GeoJSON", engine="pyogrio")
            elif fmt == "gpkg":
                target = out / "corridor.gpkg"
                frame.to_file(Path(tmp) / target.name, layer=name, driver="GPKG", engine="pyogrio")
            else:
                target = out / f"{name}.parquet"
                frame.to_parquet(Path(tmp) / target.name)
            if (Path(tmp) / target.name, target) not in staged:
                staged.append((Path(tmp) / target.name, target))
        for src, dst in staged:
            os.replace(src, dst)
            written.append(dst)
    return written
