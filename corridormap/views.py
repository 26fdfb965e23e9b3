"""What the map shows, computed: point layers with their cities and H3 cells, the choropleth
measures and their classes, sector counts per city, the charts and the timeline.

This is the analysis step between the loaded data and the page (``render/`` only draws what is
computed here). Pure functions of the corridor and the point lists; no folium.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .analysis import city_summary
from .districts import DivisionCounts, division_area_km2, division_counts
from .join import locate_points, to_metric
from .options import OVERLAYS  # the curated layer's name, written once

if TYPE_CHECKING:
    import geopandas as gpd

    from .load import Corridor

__all__ = [
    "AREA_PRECISIONS",
    "CELL_RES",
    "Area",
    "Chart",
    "MapView",
    "Measure",
    "PointLayer",
    "Timeline",
    "fisher_jenks",
    "map_view",
    "natural_breaks",
]

CELL_RES = 9  # H3 resolution stored per point (edge ~0.2 km): the finest the page groups at (zoom 14)
CLASSES = 5  # choropleth classes, fewer when the nine values have fewer distinct ones
TOP_SECTORS = 12  # sectors with a colour and a legend row of their own; the rest are "other values"
# Precisions of a point placed only to an area (at the area's reference point): such points are
# drawn as one count symbol per area, never as sites, and make no density hexagons.
AREA_PRECISIONS = frozenset({"district", "city"})


@dataclass(frozen=True)
class Area:
    """An area that points of a list are placed to (not to a site): its reference point."""

    precision: str  # "district" or "city"
    lon: float
    lat: float
    city: int  # position of its city, -1 outside the nine
    division: str | None  # the division's adcode (a district), where the list records it


@dataclass(frozen=True)
class PointLayer:
    """A layer of organisation points as the page shows it: the curated organisations or a user's list."""

    key: str  # overlay key ("enterprises" for the curated organisations, "list-1", … for own lists)
    name: tuple[str, str]  # overlay name (English, Chinese); a user's list has its own name twice
    frame: pd.DataFrame
    curated: bool
    city: np.ndarray  # position of the city each point lies in (spatial join), -1 outside the nine
    cells: np.ndarray  # H3 cell (resolution CELL_RES) of each point, its low 52 bits as float64
    sectors: list[str]  # distinct sector values, most frequent first
    source: dict | None = None  # the list's own source record (own lists)
    extra: list[str] = field(default_factory=list)  # other columns of an own list, shown in popups
    area: np.ndarray | None = None  # each point's position in ``areas``, -1 for a point at its site
    areas: list[Area] = field(default_factory=list)  # areas that points are placed to only
    not_placed: int = 0  # rows of an own list left out (read leniently: see corridormap.notplaced)

    @property
    def n(self) -> int:
        """Number of points."""
        return len(self.frame)


@dataclass(frozen=True)
class Measure:
    """A choropleth measure: one value per city (or per division), classed by natural breaks."""

    id: str
    layer: str  # point layer key
    kind: str  # "count", "density" (per 1,000 km²) or "share" (of one sector)
    sector: str | None
    values: np.ndarray  # per city, in the cities' order
    bins: np.ndarray  # upper bound of each class
    classes: np.ndarray  # class of each city, 0-based
    level: str = "city"  # "city": values in the cities' order; "district": in the divisions' order


@dataclass(frozen=True)
class Chart:
    """A small chart of corridor figures (facts), in the order drawn."""

    id: str
    kind: str  # "change" (one figure at two dates) or "share" (shares of national totals, of 100 %)
    facts: list[str]


@dataclass(frozen=True)
class Timeline:
    """Dates of the corridor's story: when each city joined, the milestones, the first and last date."""

    joined: dict[str, str]  # city id -> date of the first stage naming it
    start: str | None
    end: str | None


@dataclass(frozen=True)
class MapView:
    """Everything the map draws, computed once (see :func:`map_view`)."""

    corridor: Corridor
    layers: list[PointLayer]
    summary: pd.DataFrame
    area_km2: np.ndarray
    sector_counts: dict[str, pd.DataFrame]  # layer key -> cities x sectors
    measures: list[Measure]
    charts: list[Chart]
    timeline: Timeline
    division_counts: dict[str, DivisionCounts] = field(default_factory=dict)  # layer key -> by division
    division_area_km2: np.ndarray | None = None  # each division's area, where the corridor has them
    flows: Any = None  # the enclaves as lines from home to host (corridormap.flows.enclave_flows)
    homes: Any = None  # the flows' start points (corridormap.flows.flow_homes)
    tour: list = field(default_factory=list)  # the guided tour's steps (corridormap.story.TourStep)


# Facts drawn as charts, by id; a chart whose facts are absent is left out.
CHARTS = (
    Chart("rd-intensity", "change", ["rd-intensity-start", "rd-intensity"]),
    Chart("national-shares", "share", ["pct-share", "high-tech-share", "award-share"]),
)


def _jenks_tables(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Jenks's tables of class starts and variances for sorted float32 ``x``, as mapclassify fills them.

    Its inner loops (over the last class's length and the class count) as numpy arrays, in the same
    float32 operations in the same order: the running sums are sequential cumulative sums, and of
    equal variances the last one mapclassify's loop meets wins, as its ``>=`` lets it.
    """
    n = len(x)
    lower = np.zeros((n + 1, k + 1), dtype=np.int32)
    var = np.zeros((n + 1, k + 1), dtype=np.float32)
    lower[1, 1:] = 1
    var[2:, 1:] = np.inf
    cols = np.arange(k - 1)
    for last in range(2, n + 1):
        vals = x[last - 1 :: -1]  # the last class's values, its length m = 1, 2, ... last
        s1 = np.cumsum(vals, dtype=np.float32)
        s2 = np.cumsum(vals * vals, dtype=np.float32)
        v = s2 - (s1 * s1) / np.arange(1, last + 1, dtype=np.float32)
        cand = v[:-1, None] + var[last - 1 : 0 : -1, 1:k]  # m < last: classes 2..k before it
        at = (last - 2) - np.argmin(cand[::-1], axis=0)  # the largest m of the least variance
        lower[last, 2:] = last - at
        var[last, 2:] = cand[at, cols]
        lower[last, 1] = 1
        var[last, 1] = v[-1]
    return lower, var


def natural_breaks(values: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Natural-breaks (Fisher-Jenks) classes: the upper bounds of ``k`` classes and each value's class.

    The classes are those of ``mapclassify.FisherJenks(values, k)``: ``bins`` and ``yb``, near-ties
    included (the suite checks it on 400 random sets).

    Parameters
    ----------
    values
        Numbers to class (at least ``k`` distinct ones).
    k
        Number of classes.

    Returns
    -------
    bins : ndarray
        The upper bound of each class, ascending.
    classes : ndarray
        Each value's class, 0 to ``k - 1``.

    Examples
    --------
    >>> import corridormap
    >>> bins, classes = corridormap.natural_breaks([1, 2, 2, 9, 10, 30], 3)
    >>> bins.tolist(), classes.tolist()
    ([2.0, 10.0, 30.0], [0, 0, 0, 1, 1, 2])
    """
    # Jenks's algorithm (Jenks 1977) run in float32 as mapclassify runs it, so that near-ties break
    # the same way. Not mapclassify: it imports scipy.stats and scikit-learn, which would double the
    # curated build (bench/RESULTS.txt). Not jenkspy (0.4.1): on one of the suite's 400 sets (integer
    # counts, k=5) it picks another of two equally good partitions ([.., 21, 24] vs mapclassify's
    # [.., 19, 24], both 48.4 of squared deviation), so the page's classes would differ from mapclassify's.
    y = np.asarray(values, dtype=float)
    x = np.sort(y).astype("f8")
    n = len(x)
    lower = _jenks_tables(x.astype(np.float32), k)[0]
    bounds = np.zeros(k + 1, dtype=x.dtype)
    bounds[k], bounds[0] = x[n - 1], x[0]
    end = n
    for c in range(k, 1, -1):
        pivot = lower[end, c]
        bounds[c - 1] = x[int(pivot - 2)]
        end = int(pivot - 1)
    bins = bounds[1:]
    return bins, np.searchsorted(bins, y, side="left")


fisher_jenks = natural_breaks  # the name the notebook imported; corridormap.natural_breaks is the public one


def _classes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    distinct = len(np.unique(values))
    if distinct < 2:
        return np.array([float(values.max())] if len(values) else []), np.zeros(len(values), dtype=np.int64)
    return natural_breaks(values, min(CLASSES, distinct))


def h3_cells(lat: np.ndarray, lon: np.ndarray, res: int = CELL_RES) -> np.ndarray:
    """Each point's H3 cell at ``res``, as the low 52 bits of the index (exact in a float64).

    The bits dropped (mode and resolution) are the same for every cell of one resolution; the
    page rebuilds the index from the rest, and finds a coarser cell by dropping the low digits.
    """
    import h3.api.basic_int as h3

    to_cell = h3.latlng_to_cell
    cells = np.fromiter(map(to_cell, lat.tolist(), lon.tolist(), [res] * len(lat)), dtype=np.uint64, count=len(lat))
    return (cells & np.uint64((1 << 52) - 1)).astype(np.float64)


def _sectors(frame: pd.DataFrame) -> list[str]:
    if "sector" not in frame.columns:
        return []
    counts = frame["sector"].value_counts(dropna=True, sort=False)
    return sorted(counts.index, key=lambda s: (-int(counts[s]), str(s)))


DIVISION_COLUMNS = ("division_adcode", "division", "adcode")  # where a list records a row's division


def area_groups(frame: pd.DataFrame, city: np.ndarray) -> tuple[np.ndarray | None, list[Area]]:
    """The areas that rows placed only to a district or city are placed to, and each row's area.

    Rows sharing a precision, a division (where recorded) and a reference point form one area; the
    rest (placed to a site, an address, a campus, ...) get -1. Grouped by distinct key, vectorised.
    """
    if "location_precision" not in frame.columns or not len(frame):
        return None, []
    precision = frame["location_precision"].astype(object).where(frame["location_precision"].notna(), "")
    loose = precision.isin(AREA_PRECISIONS).to_numpy()
    if not loose.any():
        return None, []
    column = next((c for c in DIVISION_COLUMNS if c in frame.columns), None)
    rows = np.flatnonzero(loose)
    # One integer key per row: precision, division and reference point (micro-degrees), each
    # factorized first (a MultiIndex of the texts took 0.6 s at 44,200 rows; this ~10 ms).
    p_code, _ = pd.factorize(precision.to_numpy(object)[rows])
    d_code = pd.factorize(frame[column].astype(str).to_numpy(object)[rows])[0] if column else np.zeros(len(rows), int)
    xy = np.round(frame["lon"].to_numpy(float)[rows] * 1e6).astype(np.int64) * 10**9 + np.round(
        frame["lat"].to_numpy(float)[rows] * 1e6
    ).astype(np.int64)
    xy_code, _ = pd.factorize(xy)
    key = (p_code.astype(np.int64) * (d_code.max() + 1) + d_code) * (xy_code.max() + 1) + xy_code
    codes, _ = pd.factorize(key)  # areas in the order of their first row
    area = np.full(len(frame), -1, dtype=np.int32)
    area[rows] = codes
    first = rows[np.unique(codes, return_index=True)[1]]
    lon, lat, prec = frame["lon"].to_numpy(float), frame["lat"].to_numpy(float), precision.to_numpy(object)
    division = frame[column].astype(object).to_numpy() if column else None
    areas = []
    for i in first:
        d = None if division is None or prec[i] != "district" or pd.isna(division[i]) else str(division[i]) or None
        areas.append(Area(str(prec[i]), round(float(lon[i]), 6), round(float(lat[i]), 6), int(city[i]), d))
    return area, areas


def point_layer(
    key: str, name: tuple[str, str], frame: gpd.GeoDataFrame, cities: gpd.GeoDataFrame, *, curated: bool
) -> PointLayer:
    """A point layer for the map: each point's city by where it lies, and its H3 cell."""
    meta = frame.attrs.get("corridormap", {}) if hasattr(frame, "attrs") else {}
    lon, lat = frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)
    if curated or "city_id" not in frame.columns:  # a stated city: the map counts where each point lies
        city = locate_points(frame.geometry, cities.geometry)
    else:  # read_points has placed an own list's points already (city_id: where each lies)
        city = pd.Index(cities["id"]).get_indexer(frame["city_id"].astype(object).where(frame["city_id"].notna(), None))
    city = np.asarray(city, dtype=np.int64)
    area, areas = (None, []) if curated else area_groups(frame, city)
    return PointLayer(
        key=key,
        name=name,
        frame=frame,
        curated=curated,
        city=city,
        cells=h3_cells(lat, lon),
        sectors=_sectors(frame),
        source=meta.get("source"),
        extra=list(meta.get("extra", [])),
        area=area,
        areas=areas,
        not_placed=int(meta.get("not_placed", 0)),
    )


def _layers(corridor: Corridor, lists: Sequence[gpd.GeoDataFrame]) -> list[PointLayer]:
    out = [point_layer("enterprises", OVERLAYS["enterprises"], corridor.enterprises, corridor.cities, curated=True)]
    for i, gdf in enumerate(lists, start=1):
        meta = gdf.attrs.get("corridormap", {})
        name = str(meta.get("name") or f"List {i}")
        out.append(point_layer(f"list-{i}", (name, name), gdf, corridor.cities, curated=False))
    return out


def _sector_counts(layer: PointLayer, n_cities: int) -> pd.DataFrame:
    """Points per city and sector (cities x sectors, most frequent sectors first)."""
    inside = layer.city >= 0
    if not layer.sectors:
        return pd.DataFrame(index=range(n_cities))
    codes = pd.Categorical(layer.frame["sector"], categories=layer.sectors).codes
    keep = inside & (codes >= 0)
    table = np.zeros((n_cities, len(layer.sectors)), dtype=np.int64)
    np.add.at(table, (layer.city[keep], codes[keep]), 1)
    return pd.DataFrame(table, columns=layer.sectors)


def _layer_measures(
    layer: PointLayer, total: np.ndarray, table: pd.DataFrame, area_km2: np.ndarray, level: str
) -> list[Measure]:
    """Count, density and each top sector's share of one layer, over cities or divisions."""
    total = total.astype(float)
    series: list[tuple[str, str | None, np.ndarray]] = [
        ("count", None, total),
        ("density", None, total / area_km2 * 1000.0),
    ]
    for s in layer.sectors[:TOP_SECTORS]:
        share = np.divide(table[s].to_numpy(float), total, out=np.zeros_like(total), where=total > 0)
        series.append(("share", s, share * 100.0))
    out = []
    for kind, sector, values in series:
        bins, classes = _classes(values)
        mid = (
            f"{layer.key}:{kind}"
            + (f":{sector}" if sector is not None else "")
            + (":district" if level != "city" else "")
        )
        out.append(Measure(mid, layer.key, kind, sector, values, bins, classes, level))
    return out


def _measures(
    layers: list[PointLayer],
    counts: dict[str, pd.DataFrame],
    area_km2: np.ndarray,
    by_division: dict[str, DivisionCounts],
    division_km2: np.ndarray | None,
) -> list[Measure]:
    out = []
    for layer in layers:
        total = np.bincount(layer.city[layer.city >= 0], minlength=len(area_km2))
        out += _layer_measures(layer, total, counts[layer.key], area_km2, "city")
        if division_km2 is not None:
            d = by_division[layer.key]
            out += _layer_measures(layer, d.total, d.by_sector, division_km2, "district")
    return out


def _timeline(corridor: Corridor) -> Timeline:
    milestones = getattr(corridor, "milestones", None)
    joined: dict[str, str] = {}
    dates: list[str] = []
    founded = None
    if milestones is not None and len(milestones):
        for _, row in milestones.sort_values("date", kind="stable").iterrows():
            dates.append(str(row["date"]))
            if row.get("kind") == "stage" and isinstance(row.get("city_ids"), str):
                founded = founded or str(row["date"])
                for cid in row["city_ids"].split(";"):
                    joined.setdefault(cid.strip(), str(row["date"]))
    for name in ("enclaves", "places", "stops", "routes"):
        frame = getattr(corridor, name)
        if "opened" in frame.columns:
            dates += [str(d) for d in frame["opened"].dropna()]
    # From the corridor's founding (its first stage); anything older is there from the start.
    start = founded or (min(dates) if dates else None)
    return Timeline(joined=joined, start=start, end=max(dates) if dates else None)


def map_view(corridor: Corridor, lists: Sequence[gpd.GeoDataFrame] = ()) -> MapView:
    """Compute everything the map shows from the corridor and any own point lists.

    Parameters
    ----------
    corridor
        Loaded data (:func:`corridormap.load_corridor`).
    lists
        Point lists read by :func:`corridormap.read_points`, each drawn as an overlay of its own.

    Returns
    -------
    MapView
        What the map draws, for use without a map (charts in a notebook, say): ``layers`` (the
        point layers), ``sector_counts`` (per layer: cities x sectors), ``measures`` (the
        choropleth's values, natural-breaks ``bins`` and ``classes``), ``charts`` and ``summary``.

    Examples
    --------
    >>> import corridormap
    >>> view = corridormap.map_view(corridormap.load_corridor())
    >>> [layer.key for layer in view.layers]
    ['enterprises']
    """
    from .flows import enclave_flows, flow_homes
    from .story import tour_steps

    layers = _layers(corridor, lists)
    flows = enclave_flows(corridor)
    cities = corridor.cities
    area_km2 = to_metric(cities.geometry).area.to_numpy() / 1e6
    counts = {layer.key: _sector_counts(layer, len(cities)) for layer in layers}
    divisions = getattr(corridor, "divisions", None)
    by_division = {} if divisions is None else {
        layer.key: division_counts(layer.frame, layer.sectors, divisions) for layer in layers
    }  # fmt: skip
    division_km2 = None if divisions is None else division_area_km2(divisions)
    summary = city_summary(corridor)
    facts = set(corridor.facts["id"])
    charts = [c for c in CHARTS if all(f in facts for f in c.facts)]
    return MapView(
        corridor=corridor,
        layers=layers,
        summary=summary,
        area_km2=area_km2,
        sector_counts=counts,
        measures=_measures(layers, counts, area_km2, by_division, division_km2),
        charts=charts,
        timeline=_timeline(corridor),
        division_counts=by_division,
        division_area_km2=division_km2,
        flows=flows,
        homes=flow_homes(corridor),
        tour=tour_steps(corridor, flows, [(layer.name[0], layer.frame) for layer in layers if not layer.curated]),
    )


def decimals(value: float) -> int:
    """Decimals to show a measure's value with (0 for counts, up to 2 for small values)."""
    if value == 0 or math.isnan(value) or abs(value) >= 100:
        return 0
    return 2 if abs(value) < 10 else 1
