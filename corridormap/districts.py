"""Point lists by county-level division: each point's division, the points per division and
sector, and the choropleth measures by division.

The divisions are the corridor's ``divisions`` layer (absent from an older ``geodata/``: then
there is nothing to compute). A point placed only to its city lies at the city's reference point,
which is inside some division: it is counted in no division.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .join import locate_points, to_metric

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["CITY_ONLY", "DivisionCounts", "division_area_km2", "division_counts", "division_of"]

CITY_ONLY = frozenset({"city"})  # precisions that say nothing about a point's division


@dataclass(frozen=True)
class DivisionCounts:
    """One point layer counted by division."""

    division: np.ndarray  # each point's division (position in the layer), -1 for none
    total: np.ndarray  # points per division
    by_sector: pd.DataFrame  # divisions x sectors (the layer's sectors, in its order)


def division_of(frame: gpd.GeoDataFrame, divisions: gpd.GeoDataFrame) -> np.ndarray:
    """Each point's division by where it lies, -1 outside them all or when known only to a city."""
    at = np.asarray(locate_points(frame.geometry, divisions.geometry), dtype=np.int64)
    if "location_precision" in frame.columns:
        at[frame["location_precision"].isin(CITY_ONLY).fillna(False).to_numpy(bool)] = -1
    return at


def division_counts(frame: gpd.GeoDataFrame, sectors: list[str], divisions: gpd.GeoDataFrame) -> DivisionCounts:
    """A point layer's points per division and per division and sector (vectorised)."""
    at = division_of(frame, divisions)
    n = len(divisions)
    inside = at >= 0
    total = np.bincount(at[inside], minlength=n)
    table = np.zeros((n, len(sectors)), dtype=np.int64)
    if sectors:
        codes = pd.Categorical(frame["sector"], categories=sectors).codes
        keep = inside & (codes >= 0)
        np.add.at(table, (at[keep], codes[keep]), 1)
    return DivisionCounts(at, total, pd.DataFrame(table, columns=sectors))


def division_area_km2(divisions: gpd.GeoDataFrame) -> np.ndarray:
    """Each division's area in km²: as the layer states it (of the source polygon), else measured
    in the metric CRS as the cities' are."""
    if "area_km2" in divisions.columns and divisions["area_km2"].notna().all():
        return divisions["area_km2"].to_numpy(float)
    return to_metric(divisions.geometry).area.to_numpy() / 1e6
