"""Redraw geodata/routes.geojson through the stops of geodata/stops.csv (run by hand).

Each route's line is drawn straight from stop to stop, in ``seq`` order, so
every vertex is a named, sourced stop and the line is *schematic*: it shows
the order and rough course, not the alignment of the road or track. Route
properties are kept as they are; only the geometry is rewritten.

Usage::

    python scripts/build_routes.py [--data geodata]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1] / "geodata")
    args = ap.parse_args()
    stops = pd.read_csv(args.data / "stops.csv", dtype={"lon": float, "lat": float, "seq": int})
    path = args.data / "routes.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feat in doc["features"]:
        rid = feat["properties"]["id"]
        own = stops[stops.route_id == rid].sort_values("seq")
        if len(own) < 2:
            raise SystemExit(f"route {rid}: needs at least two stops in stops.csv")
        feat["geometry"] = {
            "type": "LineString",
            "coordinates": [[round(x, 6), round(y, 6)] for x, y in zip(own.lon, own.lat)],
        }
        feat["properties"]["geometry_precision"] = "schematic"
        print(f"{rid}: {len(own)} stops")
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in doc["features"])
    path.write_text('{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
