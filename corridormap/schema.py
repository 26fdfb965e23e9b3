"""What every layer of ``geodata/`` must contain.

Each layer is described once, declaratively: its file, its columns (type,
whether required, allowed values or range) and its geometry. The loader
coerces types and checks the rest (corridormap._typed), reporting *every* failing row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CHINA", "LAYERS", "METRIC_CRS", "REGION", "TOUR_KINDS", "Column", "Layer"]

# Corridor region (WGS-84): the nine areas' extent with a margin. Points outside
# are reported; a lon/lat swap is detected by testing the swapped point.
REGION = (115.5, 27.5, 123.0, 33.0)  # min lon, min lat, max lon, max lat
# The home cities of innovation enclaves may lie anywhere in China: their points are checked
# against the country's extent (WGS-84) instead.
CHINA = (73.4, 18.1, 135.1, 53.6)

# Metric CRS for lengths, distances and tolerances: CGCS2000 / 3-degree
# Gauss-Kruger, central meridian 120°E. Scale error stays under ~0.15 % across
# the corridor (116.7–122°E); CGCS2000 and WGS-84 agree to centimetres.
METRIC_CRS = "EPSG:4549"

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
IDS_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:;[a-z0-9]+(?:-[a-z0-9]+)*)*$"
DATE_PATTERN = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"  # ISO 8601: year, year-month or full date

# What a tour step can name (kind:id): a layer's row, or an own list by its name (list:<name>).
TOUR_KINDS = ("city", "seat", "route", "stop", "enterprise", "enclave", "place", "flow", "list")

PRECISIONS = ("address", "campus", "site", "station", "town", "district", "city")
SECTORS = (
    "aerospace",
    "artificial intelligence",
    "education",
    "medical devices",
    "new energy",
    "new materials",
    "optical communications",
    "optoelectronics",
    "satellite navigation",
    "semiconductors",
    "research",
    "other",
)


@dataclass(frozen=True)
class Column:
    """A column (CSV) or property (GeoJSON).

    ``kind`` is one of ``id`` (kebab-case), ``ids`` (``;``-separated ids),
    ``text``, ``float``, ``int``, ``date`` (ISO year, year-month or date),
    ``url`` (http/https).
    """

    name: str
    kind: str = "text"
    required: bool = True  # column must be present
    nullable: bool = False  # cells may be blank
    allowed: tuple[str, ...] | None = None
    range: tuple[float, float] | None = None
    unique: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Layer:
    """A file of ``geodata/`` and what it must hold."""

    name: str
    file: str
    columns: tuple[Column, ...]
    geometry: str | None = None  # "point" (lon/lat columns), "polygon", "line"
    doc: str = ""
    refs: dict[str, str] = field(default_factory=dict)  # column -> layer whose ids it names
    region: tuple[float, float, float, float] = REGION  # where a point layer's points may lie
    region_name: str = "the corridor region"  # the region, as messages name it

    @property
    def column_names(self) -> list[str]:
        """Names of all declared columns, in order."""
        return [c.name for c in self.columns]


def _id() -> Column:
    return Column("id", "id", unique=True, doc="stable identifier, kebab-case")


def _names() -> tuple[Column, ...]:
    return (
        Column("name_en", doc="English name"),
        Column("name_zh", nullable=True, doc="Chinese name, where a source gives it"),
    )


def _lonlat() -> tuple[Column, ...]:
    return (
        Column("lon", "float", range=(-180, 180), doc="longitude, WGS-84 degrees"),
        Column("lat", "float", range=(-90, 90), doc="latitude, WGS-84 degrees"),
        Column("location_precision", allowed=PRECISIONS, doc="what the coordinate locates"),
    )


_SOURCES = Column("source_ids", "ids", doc="ids in sources.csv, ';'-separated")
_NOTE = Column("note", required=False, nullable=True, doc="free remarks, caveats")
_CITY = Column("city_id", "id", doc="id in cities.geojson")

LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer(
            "sources",
            "sources.csv",
            (
                _id(),
                Column("title"),
                Column("publisher"),
                Column("date", "date", nullable=True, doc="publication date (ISO), blank if none shown"),
                Column("url", "url", nullable=True, doc="http(s) address"),
                Column("licence", required=False, nullable=True),
                _NOTE,
            ),
            doc="every source used by any record",
        ),
        Layer(
            "cities",
            "cities.geojson",
            (
                _id(),
                *_names(),
                Column("province_en"),
                Column("province_zh"),
                Column("adcode", "int", unique=True, range=(110000, 829999), doc="GB/T 2260 code"),
                _SOURCES,
            ),
            geometry="polygon",
            doc="the nine corridor areas",
            refs={"source_ids": "sources"},
        ),
        Layer(
            "divisions",
            "divisions.geojson",
            (
                Column("adcode", "int", unique=True, range=(110000, 829999), doc="GB/T 2260 code"),
                Column("name_zh", doc="Chinese name, with its 区/县/市"),
                Column("name_en", doc="English name (a Hanyu Pinyin transliteration; see below)"),
                Column("city_id", "id", doc="the corridor area it lies in; id in cities.geojson"),
                Column("area_km2", "float", range=(0, 100000), doc="area of the source polygon, km² (EPSG:4549)"),
                Column("rep_lon", "float", range=(-180, 180), doc="reference point inside the division, WGS-84"),
                Column("rep_lat", "float", range=(-90, 90), doc="reference point inside the division, WGS-84"),
                _SOURCES,
            ),
            geometry="polygon",
            doc="the 67 county-level divisions of the nine areas (districts, counties, county-level cities)",
            refs={"city_id": "cities", "source_ids": "sources"},
        ),
        Layer(
            "division_aliases",
            "division_aliases.csv",
            (
                Column("alias", unique=True, doc="a name people write for a place: a former name, a development zone"),
                Column("target", doc="the division (its adcode) or the city (its id) a source puts it in"),
                Column("kind", allowed=("short", "former", "zone"), doc="short form, former name, development zone"),
                _SOURCES,
                _NOTE,
            ),
            doc="other names of divisions and cities, for placing lists by address (names without 区/县/市 "
            "are derived, not listed)",
            refs={"source_ids": "sources"},
        ),
        Layer(
            "provinces",
            "provinces.geojson",
            (_id(), *_names(), Column("adcode", "int", unique=True, range=(110000, 829999)), _SOURCES),
            geometry="polygon",
            doc="context outlines of Shanghai, Jiangsu, Zhejiang and Anhui",
            refs={"source_ids": "sources"},
        ),
        Layer(
            "seats",
            "seats.csv",
            (
                _CITY,
                *_names(),
                Column("seat_kind", allowed=("government", "city-centre")),
                *_lonlat(),
                _SOURCES,
                _NOTE,
            ),
            geometry="point",
            doc="each city's seat",
            refs={"city_id": "cities", "source_ids": "sources"},
        ),
        Layer(
            "routes",
            "routes.geojson",
            (
                _id(),
                *_names(),
                Column("kind", allowed=("expressway", "railway")),
                Column("role", allowed=("corridor", "context")),
                Column("opened", "date", nullable=True),
                Column("length_km", "float", nullable=True, range=(0, 10000), doc="official full length, km"),
                Column("design_speed_kmh", "int", nullable=True, range=(0, 600)),
                Column("city_ids", "ids", doc="corridor cities the drawn line crosses"),
                Column("geometry_precision", allowed=("schematic", "surveyed")),
                Column("description", nullable=True),
                Column("description_zh", required=False, nullable=True, doc="Chinese rendering of the description"),
                _SOURCES,
            ),
            geometry="line",
            doc="the routes, drawn through their stops",
            refs={"city_ids": "cities", "source_ids": "sources"},
        ),
        Layer(
            "stops",
            "stops.csv",
            (
                Column("route_id", "id"),
                Column("seq", "int", range=(1, 10000)),
                _id(),
                *_names(),
                Column("kind", allowed=("station", "interchange", "junction", "exit", "town")),
                Column("city_id", "id", nullable=True, doc="blank when outside the nine areas"),
                *_lonlat(),
                Column("opened", "date", required=False, nullable=True),
                _SOURCES,
                _NOTE,
            ),
            geometry="point",
            doc="named stops (stations, interchanges, towns) in route order",
            refs={"route_id": "routes", "city_id": "cities", "source_ids": "sources"},
        ),
        Layer(
            "enterprises",
            "enterprises.csv",
            (
                _id(),
                *_names(),
                _CITY,
                Column("kind", allowed=("company", "institute", "university")),
                Column("sector", allowed=SECTORS),
                Column("description"),
                Column("description_zh", required=False, nullable=True, doc="Chinese rendering of the description"),
                *_lonlat(),
                Column("website", "url", required=False, nullable=True),
                _SOURCES,
                _NOTE,
            ),
            geometry="point",
            doc="companies, institutes and universities",
            refs={"city_id": "cities", "source_ids": "sources"},
        ),
        Layer(
            "enclaves",
            "enclaves.csv",
            (
                _id(),
                *_names(),
                Column("kind", allowed=("enclave", "enclave-group")),
                _CITY,
                Column(
                    "host_city_ids",
                    "ids",
                    nullable=True,
                    doc="home cities that own the enclave: ids in cities.geojson or enclave_homes.csv",
                ),
                Column("host_cities_count", "int", nullable=True, range=(0, 1000)),
                Column("opened", "date", nullable=True),
                Column("companies_count", "int", nullable=True, range=(0, 100000)),
                Column("tenant_ids", "ids", nullable=True, doc="ids in enterprises.csv"),
                Column("description"),
                Column("description_zh", required=False, nullable=True, doc="Chinese rendering of the description"),
                *_lonlat(),
                _SOURCES,
                _NOTE,
            ),
            geometry="point",
            doc="innovation enclaves: one city's base inside another",
            refs={"city_id": "cities", "tenant_ids": "enterprises", "source_ids": "sources"},
        ),
        Layer(
            "enclave_homes",
            "enclave_homes.csv",
            (
                _id(),
                *_names(),
                Column("province_en"),
                Column("province_zh", nullable=True),
                *_lonlat(),
                _SOURCES,
                _NOTE,
            ),
            geometry="point",
            doc="home cities of enclaves that lie outside the nine corridor cities",
            refs={"source_ids": "sources"},
            region=CHINA,
            region_name="China",
        ),
        Layer(
            "places",
            "places.csv",
            (
                _id(),
                *_names(),
                Column("kind", allowed=("science-city", "lake-district", "campus", "college", "project", "office")),
                _CITY,
                Column("opened", "date", nullable=True),
                Column("description"),
                Column("description_zh", required=False, nullable=True, doc="Chinese rendering of the description"),
                *_lonlat(),
                _SOURCES,
                _NOTE,
            ),
            geometry="point",
            doc="other places the corridor is known for",
            refs={"city_id": "cities", "source_ids": "sources"},
        ),
        Layer(
            "facts",
            "facts.csv",
            (
                _id(),
                Column("label_en"),
                Column("label_zh", nullable=True),
                Column("qualifier", nullable=True, allowed=("more than", "about", "up to")),
                Column("value", "float"),
                Column("unit"),
                Column("unit_zh", required=False, nullable=True, doc="Chinese unit for the stored value"),
                Column("period", nullable=True, doc="when the figure applies"),
                Column("note", required=False, nullable=True),
                _SOURCES,
            ),
            doc="corridor-wide figures",
            refs={"source_ids": "sources"},
        ),
        Layer(
            "milestones",
            "milestones.csv",
            (
                _id(),
                Column("date", "date", doc="when it happened"),
                Column("kind", allowed=("stage", "construction", "opening", "event")),
                Column("name_en", doc="English name"),
                Column("name_zh", nullable=True, doc="Chinese name"),
                Column("city_ids", "ids", nullable=True, doc="for a stage: every member city at that stage"),
                Column("route_ids", "ids", nullable=True, doc="routes a construction or opening concerns"),
                Column("description"),
                Column("description_zh", nullable=True, doc="Chinese rendering of the description"),
                _SOURCES,
                _NOTE,
            ),
            doc="the corridor's dated milestones, for the time slider",
            refs={"city_ids": "cities", "route_ids": "routes", "source_ids": "sources"},
        ),
        Layer(
            "tour",
            "tour.csv",
            (
                Column("order", "int", unique=True, range=(1, 1000), doc="the step's place in the tour"),
                Column("title_en", doc="short English title"),
                Column("title_zh", doc="short Chinese title"),
                Column("text_en", doc="what the step says, in English (plain text)"),
                Column("text_zh", doc="the same in Chinese"),
                Column(
                    "feature_ids", doc=f"what it shows, ';'-separated: {', '.join(p + ':<id>' for p in TOUR_KINDS)}"
                ),
                Column("layers", nullable=True, doc="overlays it turns on, ';'-separated (e.g. enclaves;flows)"),
                Column("date", "date", nullable=True, doc="the time slider's date for the step, blank for none"),
                Column("fact_ids", "ids", nullable=True, doc="ids in facts.csv it shows (as a chart where one fits)"),
                _SOURCES,
            ),
            doc="the guided tour: one row per step (a --tour FILE replaces it)",
        ),
    )
}
