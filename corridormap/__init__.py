"""corridormap: sourced geodata and interactive maps of China's G60 Science and Innovation Corridor.

The data flows one way, and so do the imports::

    _read (file -> text table) -> _typed (typed columns, value checks) -> load (layers)
        -> lists (your own points) -> checks (cross-layer) -> corridor (load_corridor, validate)
        -> join / analysis -> render (folium) -> write HTML;  export -> GeoPackage / GeoJSON / GeoParquet

``import corridormap`` is cheap: the public names below are imported from their modules
when first used (PEP 562), so ``corridormap --help`` starts without pandas or folium.

Examples
--------
>>> import corridormap
>>> corridor = corridormap.load_corridor()
>>> sorted(corridor.cities["id"])[:3]
['hangzhou', 'hefei', 'huzhou']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and editors
    from .analysis import (
        city_summary,
        division_summary,
        enterprise_distances,
        list_distances,
        near_route,
        route_km_by_city,
    )
    from .corridor import load_corridor, validate
    from .errors import CorridorError, DataError, Problem
    from .export import export_corridor
    from .flows import enclave_flows
    from .join import locate_points, nearest_stations, points_to_cities, route_distances, routes_to_cities
    from .lists import read_points
    from .load import Corridor, read_layer
    from .maps import build_map
    from .render import save_map
    from .schema import LAYERS, METRIC_CRS
    from .views import MapView, map_view, natural_breaks

# public name -> module that defines it (MapWidget is not imported for type checkers above: the
# import contracts keep the cli and the widget apart, and the cli imports this package)
_API = {
    "LAYERS": "schema",
    "METRIC_CRS": "schema",
    "MapWidget": "widget",
    "Corridor": "load",
    "CorridorError": "errors",
    "DataError": "errors",
    "Problem": "errors",
    "build_map": "maps",
    "city_summary": "analysis",
    "division_summary": "analysis",
    "enclave_flows": "flows",
    "enterprise_distances": "analysis",
    "export_corridor": "export",
    "list_distances": "analysis",
    "load_corridor": "corridor",
    "locate_points": "join",
    "near_route": "analysis",
    "nearest_stations": "join",
    "points_to_cities": "join",
    "read_layer": "load",
    "read_points": "lists",
    "route_distances": "join",
    "route_km_by_city": "analysis",
    "routes_to_cities": "join",
    "save_map": "render",
    "validate": "corridor",
    "MapView": "views",
    "map_view": "views",
    "natural_breaks": "views",
}

__all__ = [
    "LAYERS",
    "METRIC_CRS",
    "Corridor",
    "CorridorError",
    "DataError",
    "MapView",
    "MapWidget",
    "Problem",
    "__version__",
    "build_map",
    "city_summary",
    "division_summary",
    "enclave_flows",
    "enterprise_distances",
    "export_corridor",
    "list_distances",
    "load_corridor",
    "locate_points",
    "map_view",
    "natural_breaks",
    "near_route",
    "nearest_stations",
    "points_to_cities",
    "read_layer",
    "read_points",
    "route_distances",
    "route_km_by_city",
    "routes_to_cities",
    "save_map",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("corridormap")
        except PackageNotFoundError:  # running from a source tree without installing
            value = "0+unknown"
    elif name in _API:
        value = getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'corridormap' has no attribute {name!r}")
    globals()[name] = value  # asked once: the module attribute now answers directly
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
