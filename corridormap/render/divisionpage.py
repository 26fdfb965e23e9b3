"""The county-level divisions as the page draws them: their borders inside the cities (each shared
border once, the cities' own outlines left to the cities), each division's shape for pointing at
it, and its summary (name, city, area, points per list and sector).

Coordinates go as whole multiples of 1e-4 degrees (the grid the boundaries are stored on), each
the difference from the one before: small integers, a fraction of the bytes of GeoJSON.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from .payload import Numbers

if TYPE_CHECKING:
    from ..views import MapView

__all__ = ["division_payload"]

GRID = 1e4  # per degree: the boundaries' grid (geodata/README.md)


def _deltas(coords: np.ndarray) -> tuple[Numbers, Numbers]:
    """Coordinates (lon, lat) as differences on the grid, the first from zero."""
    q = np.round(coords * GRID).astype(np.int64)
    d = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return Numbers(d[:, 0], "int32"), Numbers(d[:, 1], "int32")


def _lines(divisions: Any, cities: Any) -> dict:
    """The borders between divisions, city by city (its outline is the city's own): each once."""
    coords, city = [], []
    for k, (cid, outline) in enumerate(zip(cities["id"], shapely.boundary(cities.geometry.to_numpy()))):
        members = divisions.geometry[divisions["city_id"] == cid].to_numpy()
        if len(members) < 2:
            continue
        borders = shapely.union_all(shapely.boundary(members))
        inner = shapely.line_merge(shapely.difference(borders, shapely.buffer(outline, 0.5 / GRID)))
        for part in shapely.get_parts(inner):
            if not part.is_empty:
                coords.append(shapely.get_coordinates(part))
                city.append(k)
    x, y = _deltas(np.concatenate(coords) if coords else np.zeros((0, 2)))
    return {"x": x, "y": y, "parts": Numbers(np.array([len(c) for c in coords]), "int32"),
            "city": Numbers(np.array(city), "int32")}  # fmt: skip


def _shapes(divisions: Any) -> dict:
    """Every ring of every division (outer rings and holes alike, drawn even-odd) and its division."""
    rings, owner = [], []
    for k, geom in enumerate(divisions.geometry):
        for poly in shapely.get_parts(geom):
            for ring in [poly.exterior, *poly.interiors]:
                rings.append(shapely.get_coordinates(ring)[:-1])  # the closing vertex: Leaflet closes rings
                owner.append(k)
    x, y = _deltas(np.concatenate(rings))
    return {"x": x, "y": y, "rings": Numbers(np.array([len(r) for r in rings]), "int32"),
            "of": Numbers(np.array(owner), "int32")}  # fmt: skip


def division_payload(
    view: MapView, lang: str, name: Callable[[dict], str], term: Callable[[Any, str], Any], colours: dict[str, dict]
) -> dict:
    """The divisions for the page in ``lang`` (none when the corridor has no divisions layer):
    ``name`` names a record, ``term`` a sector, ``colours`` are each layer's sector colours."""
    divisions = getattr(view.corridor, "divisions", None)
    if divisions is None or view.division_area_km2 is None:
        return {"divisions": [], "divisionLines": None, "divisionShapes": None}
    cities = view.corridor.cities
    city_names = {r["id"]: name(dict(r)) for _, r in cities.iterrows()}
    out = []
    for k, (_, row) in enumerate(divisions.iterrows()):
        counts, sectors = {}, {}
        for layer in view.layers:
            d = view.division_counts[layer.key]
            counts[layer.key] = int(d.total[k])
            sectors[layer.key] = [
                [term(s, lang), int(n), colours[layer.key].get(s)] for s, n in d.by_sector.iloc[k].items() if int(n) > 0
            ]
        out.append({
            "adcode": str(row["adcode"]), "name": name(dict(row)), "cityId": row["city_id"],
            "city": city_names.get(row["city_id"], row["city_id"]),
            "areaKm2": round(float(view.division_area_km2[k])),
            "rep": [float(row["rep_lat"]), float(row["rep_lon"])] if "rep_lat" in row else None,
            "lists": counts, "sectorCounts": sectors,
            "source_ids": None if pd.isna(row.get("source_ids")) else str(row["source_ids"]),
        })  # fmt: skip
    return {"divisions": out, "divisionLines": _lines(divisions, cities), "divisionShapes": _shapes(divisions)}
