"""corridormap: sourced geodata and interactive maps of China's G60 Science and Innovation Corridor.

The data flows one way::

    geodata/ --load--> typed GeoDataFrames --validate--> joins & analysis --> folium map --> HTML

Examples
--------
>>> import corridormap
>>> corridor = corridormap.load_corridor()
>>> sorted(corridor.cities["id"])[:3]
['hangzhou', 'hefei', 'huzhou']
"""

from importlib.metadata import PackageNotFoundError, version

from .analysis import city_summary, enterprise_distances, near_route, route_km_by_city
from .errors import CorridorError, DataError, Problem
from .export import export_corridor
from .join import locate_points, nearest_stations, points_to_cities, route_distances, routes_to_cities
from .load import Corridor, load_corridor, read_layer
from .maps import build_map
from .render import save_map
from .schema import LAYERS, METRIC_CRS
from .validate import validate

try:
    __version__ = version("corridormap")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

__all__ = [
    "LAYERS",
    "METRIC_CRS",
    "Corridor",
    "CorridorError",
    "DataError",
    "Problem",
    "__version__",
    "build_map",
    "city_summary",
    "enterprise_distances",
    "export_corridor",
    "load_corridor",
    "locate_points",
    "near_route",
    "nearest_stations",
    "points_to_cities",
    "read_layer",
    "route_distances",
    "route_km_by_city",
    "routes_to_cities",
    "save_map",
    "validate",
]
