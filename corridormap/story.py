"""The guided tour, computed: each step's features resolved to geometry, its bounds and its highlights.

The tour is read and checked with the other layers (:mod:`corridormap.tour`); here each step's
``kind:id`` names become what the page draws: the bounds its view fits, the points, lines and
cities it highlights. Pure functions; no folium.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from .tour import feature_refs

if TYPE_CHECKING:
    import geopandas as gpd

    from .load import Corridor

__all__ = ["TourStep", "tour_steps"]


@dataclass(frozen=True)
class TourStep:
    """One step of the tour, resolved against the data."""

    order: int
    title: tuple[str, str]  # English, Chinese
    text: tuple[str, str]
    features: list[str]  # "kind:id" as written (a "*" expanded)
    layers: list[str]  # overlay names as written (route ids, "flows", "list:<name>" ...)
    date: str | None
    facts: list[str]
    source_ids: str
    bounds: tuple[float, float, float, float] | None  # min lon, min lat, max lon, max lat
    points: list[tuple[float, float]] = field(default_factory=list)  # (lon, lat) highlighted
    lines: list[list[tuple[float, float]]] = field(default_factory=list)  # (lon, lat) vertices
    cities: list[str] = field(default_factory=list)  # city ids outlined


def _geoms(corridor: Corridor, flows: gpd.GeoDataFrame, lists: dict[str, gpd.GeoDataFrame]) -> dict:
    """kind -> (ids, geometries) of everything a step can name."""
    c = corridor
    table = {
        "city": (c.cities["id"], c.cities.geometry),
        "seat": (c.seats["city_id"], c.seats.geometry),
        "route": (c.routes["id"], c.routes.geometry),
        "stop": (c.stops["id"], c.stops.geometry),
        "enterprise": (c.enterprises["id"], c.enterprises.geometry),
        "enclave": (c.enclaves["id"], c.enclaves.geometry),
        "place": (c.places["id"], c.places.geometry),
        "flow": (flows["enclave_id"], flows.geometry),
    }
    out: dict[str, dict[str, list]] = {}
    for kind, (ids, geoms) in table.items():
        found: dict[str, list] = {}
        for i, g in zip(ids.astype(object), geoms.to_numpy()):
            if g is not None and not shapely.is_empty(g):
                found.setdefault(str(i), []).append(g)
        out[kind] = found
    # A list stands for its bounds (a step's view fits them; no point of it is highlighted): a box, not
    # a multipoint of its rows (44,200 points made one in 0.1 s, every build).
    out["list"] = {
        name: [shapely.box(*shapely.total_bounds(g.geometry.to_numpy()))] for name, g in lists.items() if len(g)
    }
    return out


def _step(row: dict, geoms: dict) -> TourStep:
    features, shapes = [], []
    points: list[tuple[float, float]] = []
    lines: list[list[tuple[float, float]]] = []
    cities: list[str] = []
    for kind, ref in feature_refs(row.get("feature_ids")):
        table = geoms.get(kind, {})
        for key in sorted(table) if ref == "*" else [ref]:
            found = table.get(key, [])
            features.append(f"{kind}:{key}")
            shapes += found
            for g in found:
                if kind == "city":
                    cities.append(key)
                elif g.geom_type == "Point":
                    points.append((round(g.x, 6), round(g.y, 6)))
                elif g.geom_type == "LineString":
                    lines.append([(round(x, 6), round(y, 6)) for x, y in shapely.get_coordinates(g)])
    bounds = tuple(float(v) for v in shapely.total_bounds(np.asarray(shapes, dtype=object))) if shapes else None

    def text(key: str) -> str:
        v = row.get(key)
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    def parts(key: str) -> list[str]:
        return [p.strip() for p in text(key).split(";") if p.strip()]

    return TourStep(
        order=int(row["order"]),
        title=(text("title_en"), text("title_zh")),
        text=(text("text_en"), text("text_zh")),
        features=features,
        layers=parts("layers"),
        date=text("date") or None,
        facts=parts("fact_ids"),
        source_ids=text("source_ids"),
        bounds=bounds if bounds and all(np.isfinite(bounds)) else None,  # type: ignore[arg-type]
        points=points,
        lines=lines,
        cities=list(dict.fromkeys(cities)),
    )


def tour_steps(
    corridor: Corridor, flows: gpd.GeoDataFrame, lists: Sequence[tuple[str, gpd.GeoDataFrame]] = ()
) -> list[TourStep]:
    """The tour's steps in their order, each resolved to what the page shows.

    Parameters
    ----------
    corridor
        Loaded data; its ``tour`` layer (``tour.csv`` or a ``--tour`` file), if any.
    flows
        The enclaves' flows (:func:`corridormap.enclave_flows`), which ``flow:<enclave id>`` names.
    lists
        Own lists by name, which ``list:<name>`` names.

    Returns
    -------
    list of TourStep
        Empty when the data has no tour.
    """
    tour = corridor.more.get("tour")
    if tour is None or not len(tour):
        return []
    geoms = _geoms(corridor, flows, dict(lists))
    rows = sorted(tour.to_dict("records"), key=lambda r: int(r["order"]))
    return [_step(r, geoms) for r in rows]
