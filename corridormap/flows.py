"""The innovation enclaves as flows: a curved line from each home city to the enclave it keeps elsewhere.

A home is the city's seat for the nine corridor cities, else its point in ``enclave_homes.csv``
(where that layer exists). Lines are quadratic Bézier curves computed in the metric CRS, so the
page and ``corridormap export`` draw the same geometry. Each line ends at its host's point (the
page draws the arrowhead a few screen pixels before the enclave's symbol, at every zoom). Lines that
end at one host fan in, each with its own curvature, neighbours by direction to opposite sides.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .join import from_metric, to_metric
from .load import CRS, Corridor
from .schema import METRIC_CRS

__all__ = ["FLOW_COLUMNS", "enclave_flows", "flow_homes"]

FLOW_COLUMNS = ["id", "enclave_id", "home_id", "home_kind", "home_name_en", "home_name_zh", "city_id",
                "companies_count", "source_ids"]  # fmt: skip
SEGMENTS = 32  # straight pieces per curve
BULGE = (0.12, 0.36)  # the curve's sideways reach, as a share of its length: the range over a host city's lines


def flow_homes(corridor: Corridor) -> pd.DataFrame:
    """Every place a flow can start from: the nine cities' seats and the ``enclave_homes`` points.

    Returns
    -------
    DataFrame
        ``id``, ``kind`` (``"seat"`` or ``"home"``), ``name_en``, ``name_zh``, ``lon``, ``lat``,
        ``location_precision``, ``source_ids``; one row per home id (a seat wins).
    """
    cols = ["id", "kind", "name_en", "name_zh", "lon", "lat", "location_precision", "source_ids"]
    cities = corridor.cities.set_index("id")
    seats = corridor.seats
    frames = [pd.DataFrame({
        "id": seats["city_id"].astype(object), "kind": "seat",
        "name_en": cities.loc[seats["city_id"], "name_en"].to_numpy(object),
        "name_zh": cities.loc[seats["city_id"], "name_zh"].to_numpy(object),
        "lon": seats["lon"].to_numpy(float), "lat": seats["lat"].to_numpy(float),
        "location_precision": seats["location_precision"].astype(object),
        "source_ids": seats["source_ids"].astype(object),
    })]  # fmt: skip
    homes = getattr(corridor, "enclave_homes", None)
    if homes is not None and len(homes):
        other = pd.DataFrame({c: homes[c].astype(object) if c not in ("lon", "lat") else homes[c].astype(float)
                              for c in cols if c in homes.columns})  # fmt: skip
        other["kind"] = "home"
        frames.append(other[[c for c in cols if c in other.columns]])
    out = pd.concat(frames, ignore_index=True)
    return out.drop_duplicates("id", keep="first").reset_index(drop=True)[cols]


def _curve(start: np.ndarray, end: np.ndarray, bulge: float) -> np.ndarray:
    """Points of a quadratic Bézier from ``start`` to ``end`` bending ``bulge`` × length to the left."""
    d = end - start
    control = (start + end) / 2 + bulge * np.array([-d[1], d[0]])
    t = np.linspace(0.0, 1.0, SEGMENTS + 1)[:, None]
    return (1 - t) ** 2 * start + 2 * (1 - t) * t * control + t**2 * end


def _pairs(corridor: Corridor, homes: pd.DataFrame) -> pd.DataFrame:
    """One row per (enclave, home it names) whose home has a point."""
    e = corridor.enclaves
    rows = []
    known = set(homes["id"])
    for _, r in e.iterrows():
        raw = r.get("host_city_ids")
        if raw is None or pd.isna(raw):
            continue
        for home in (h.strip() for h in str(raw).split(";")):
            if home in known:
                rows.append({"enclave_id": r["id"], "home_id": home, "city_id": r["city_id"],
                             "companies_count": r["companies_count"], "lon": float(r["lon"]), "lat": float(r["lat"]),
                             "source_ids": r["source_ids"]})  # fmt: skip
    return pd.DataFrame(rows)


def enclave_flows(corridor: Corridor) -> gpd.GeoDataFrame:
    """Each enclave as a curved line from its home city to where it is (WGS-84).

    Parameters
    ----------
    corridor
        Loaded data (:func:`corridormap.load_corridor`).

    Returns
    -------
    GeoDataFrame
        One row per enclave and home city (:data:`FLOW_COLUMNS`, ``id`` is
        ``<enclave id>:<home id>``), a LineString from the home to the host. Homes with no point
        (neither a seat nor in ``enclave_homes.csv``) have no line; the checks report them.

    Examples
    --------
    >>> import corridormap
    >>> flows = corridormap.enclave_flows(corridormap.load_corridor())
    >>> flows.geometry.geom_type.unique().tolist()
    ['LineString']
    """
    homes = flow_homes(corridor)
    pairs = _pairs(corridor, homes)
    if pairs.empty:
        return gpd.GeoDataFrame({c: [] for c in FLOW_COLUMNS}, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    renamed = {"id": "home_id", "lon": "home_lon", "lat": "home_lat", "kind": "home_kind",
               "name_en": "home_name_en", "name_zh": "home_name_zh"}  # fmt: skip
    starts = homes.rename(columns=renamed).drop(columns=["location_precision", "source_ids"])
    pairs = pairs.merge(starts, on="home_id")
    start = to_metric(gpd.GeoSeries(shapely.points(pairs["home_lon"], pairs["home_lat"]), crs=CRS))
    end = to_metric(gpd.GeoSeries(shapely.points(pairs["lon"], pairs["lat"]), crs=CRS))
    s, t = shapely.get_coordinates(start.to_numpy()), shapely.get_coordinates(end.to_numpy())
    lines = [None] * len(pairs)
    # The lines into one host city (Songjiang's many) fan in: ordered by the direction they come
    # from, each bends a little more than the last, to the other side than its neighbour.
    for _, group in pairs.groupby("city_id", sort=False).groups.items():
        idx = np.asarray(group)
        bearing = np.arctan2(s[idx, 1] - t[idx, 1], s[idx, 0] - t[idx, 0])
        bulges = np.linspace(*BULGE, len(idx)) if len(idx) > 1 else [BULGE[0]]
        for rank, i in enumerate(idx[np.argsort(bearing, kind="stable")]):
            side = 1.0 if rank % 2 == 0 else -1.0  # neighbours by direction bend to opposite sides
            lines[i] = shapely.linestrings(_curve(s[i], t[i], side * bulges[rank]))
    geoms = from_metric(gpd.GeoSeries(lines, crs=METRIC_CRS), CRS)
    pairs["id"] = pairs["enclave_id"] + ":" + pairs["home_id"]
    return gpd.GeoDataFrame(pairs[FLOW_COLUMNS].reset_index(drop=True), geometry=geoms.to_numpy(), crs=CRS)
