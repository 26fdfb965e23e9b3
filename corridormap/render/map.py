"""Build the layered corridor map with folium.

Data text never passes through folium's templates or ``innerHTML``: every
layer's data is embedded once as JSON in a ``<script type="application/json">``
block (with ``<``, ``>``, ``&`` escaped, so it cannot close the block), and the
map's own script (``static/corridor.js``) builds popups, tooltips, labels,
legend, facts panel and search results with DOM text nodes. Only ``http(s)``
source addresses become links.
"""

from __future__ import annotations

import base64
import itertools
import math
from importlib.resources import files
from typing import ClassVar

import folium
import folium.plugins
import numpy as np
import orjson
import pandas as pd
import pyarrow
import pyarrow.compute as pc
import shapely
import xyzservices
import xyzservices.providers as xyz
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from ..analysis import city_summary
from ..errors import CorridorError
from ..load import Corridor
from .assets import ASSETS
from .basemaps import BASEMAPS, REGIONS, available_basemaps

try:  # ISA-L's deflate: the same zlib format, four times as fast as the standard library's
    from isal.isal_zlib import compressobj
except ImportError:  # pragma: no cover - isal has wheels for the usual platforms
    from zlib import compressobj

__all__ = ["BASEMAPS", "LANGS", "REGIONS", "build_map", "render_html"]

LANGS = ("both", "en", "zh")

COMPRESS_OVER = 1_000_000  # bytes of JSON: larger map data is embedded deflated (see _Payload)

# A 1x1 transparent PNG: the "no basemap" layer fetches nothing.
_BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


# Overlay key -> (English, Chinese) layer name.
LAYER_NAMES = {
    "provinces": ("Provinces (context)", "省界（背景）"),
    "cities": ("Nine cities", "九城市"),
    "g60-expressway": ("G60 Expressway (schematic)", "沪昆高速（示意）"),
    "shanghai-suzhou-huzhou-hsr": ("Shanghai–Suzhou–Huzhou railway & stations (schematic)", "沪苏湖高铁及车站（示意）"),
    "shangqiu-hefei-hangzhou-hsr": ("Shangqiu–Hefei–Hangzhou railway (context, schematic)", "商合杭高铁（背景，示意）"),
    "enterprises": ("Enterprises & institutes", "企业与机构"),
    "enclaves": ("Innovation enclaves", "科创飞地"),
    "places": ("Places", "地点"),
}

SECTOR_COLOURS = [  # ColorBrewer Set1/Dark2-like, readable on a light basemap
    "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628",
    "#f781bf", "#1b9e77", "#d95f02", "#7570b3", "#66a61e", "#666666",
]  # fmt: skip

CITY_COLOURS = ["#8dd3c7", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#bc80bd", "#ccebc5"]


def _label(pair: tuple[str, str], lang: str) -> str:
    en, zh = pair
    return {"en": en, "zh": zh}.get(lang, f"{en} · {zh}")


class _RawHTML(Element):
    """An element whose text is emitted verbatim, never compiled as a Jinja template."""

    def __init__(self, text: str, name: str):
        super().__init__()
        self._name = name
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class _TextColumn:
    """A text column of the page: every value's UTF-8 bytes back to back, with their lengths, when the
    data is deflated (see :class:`_Payload`); a plain list of strings in small, plain-JSON data."""

    __slots__ = ("arr",)

    def __init__(self, arr):
        self.arr = arr  # a pyarrow (large_)string ChunkedArray

    def as_list(self) -> list:
        return self.arr.to_pylist()

    def parts(self) -> tuple[list, np.ndarray, np.ndarray]:
        """The value bytes (pyarrow buffers, not copied), each value's length in bytes, missing positions."""
        data, lengths = [], [np.zeros(0, dtype=np.int64)]
        for chunk in self.arr.chunks:
            _, offs_buffer, data_buffer = chunk.buffers()
            if data_buffer is None:  # no text at all (every value missing)
                lengths.append(np.zeros(len(chunk), dtype=np.int64))
                continue
            width = np.int64 if pyarrow.types.is_large_string(chunk.type) else np.int32
            offs = np.frombuffer(offs_buffer, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
            data.append(data_buffer[int(offs[0]) : int(offs[-1])])
            lengths.append(np.diff(offs))
        missing = np.flatnonzero(self.arr.is_null().to_numpy()) if self.arr.null_count else np.zeros(0, np.int64)
        return data, np.concatenate(lengths), missing


class _Payload(Element):
    """The map's data in a ``<script>`` data block, kept as bytes.

    Up to :data:`COMPRESS_OVER` bytes go as JSON (``type="application/json"``). Larger data (a
    user's list of many thousand enterprises) is deflated and base64-encoded
    (``data-encoding="deflate-base64"``): the file is ~4x smaller, and the browser reads it
    faster than it would parse megabytes of HTML, inflating it with its own
    ``DecompressionStream``. Inflated, it is a line with the JSON's length in bytes, the JSON,
    then binary sections, which the JSON names as ``{"section": [offset, length]}``: each long
    text column is its values' UTF-8 bytes back to back (straight from pyarrow, never copied,
    escaped or parsed as JSON) and their byte lengths (little-endian uint32), decoded only when
    a popup or the search first reads them.

    :func:`corridormap.save_map` splices these bytes into the file, so megabytes of data are
    not decoded to text and encoded back; rendering to a string (Jupyter) decodes them.
    """

    def __init__(self, data: dict):
        super().__init__()
        self._name = "cm_data"
        sections: list = []
        size = [0]

        def section(buffers: list) -> dict:
            offset = size[0]
            for b in buffers:
                sections.append(b)
                size[0] += memoryview(b).nbytes
            return {"section": [offset, size[0] - offset]}

        def as_sections(obj):
            if not isinstance(obj, _TextColumn):
                raise TypeError(f"{type(obj).__name__} is not JSON serializable")
            values, lengths, missing = obj.parts()  # lengths, not offsets: small numbers deflate well
            if len(lengths) and lengths.max() >= 2**32:
                return obj.as_list()
            return {"utf8": section(values), "lengths": section([lengths.astype("<u4")]), "missing": missing}

        text = orjson.dumps(data, default=as_sections, option=orjson.OPT_SERIALIZE_NUMPY)
        self.compressed = len(text) + size[0] > COMPRESS_OVER
        if self.compressed:  # never parsed as HTML: no escaping needed inside
            z = compressobj(1)
            parts = [z.compress(f"{len(text)}\n".encode("ascii")), z.compress(text)]
            parts += [z.compress(b) for b in sections]
            self.data = base64.b64encode(b"".join([*parts, z.flush()]))
        else:

            def as_list(obj):
                if not isinstance(obj, _TextColumn):
                    raise TypeError(f"{type(obj).__name__} is not JSON serializable")
                return obj.as_list()

            self.data = _script_safe(orjson.dumps(data, default=as_list, option=orjson.OPT_SERIALIZE_NUMPY))
        self.placeholder: str | None = None

    def render(self, **kwargs) -> str:
        body = self.placeholder if self.placeholder is not None else self.data.decode("utf-8")
        if self.compressed:
            return (
                '<script type="application/octet-stream" id="corridor-data" data-encoding="deflate-base64">'
                f"{body}</script>"
            )
        return f'<script type="application/json" id="corridor-data">{body}</script>'


class _Verbatim(MacroElement):
    """Mixed into every folium class a corridor map uses: the parts their templates render go into the
    page as they are.

    branca's :class:`~branca.element.MacroElement` wraps each rendered part (header, html, script) in a
    new :class:`~branca.element.Element`, which compiles that text as one more Jinja template: about a
    millisecond apiece, twenty-odd per map, for text that holds no template syntax (and would have any
    that came from data interpreted). Placed after the folium class in the bases, this class comes
    right before ``MacroElement`` in the method order, so folium's own ``render`` steps run unchanged.
    Children whose ``render`` is branca's plain one (the ``addTo`` statement folium gives each layer)
    are rendered the same way.
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} renders only as part of a Figure (a map)")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_RawHTML(str(macro(self, kwargs)), part), name=self.get_name())
        for child in self._children.values():
            if type(child).render is MacroElement.render:  # e.g. the addTo statement folium adds to a layer
                _Verbatim.render(child, **kwargs)
            else:
                child.render(**kwargs)


def _verbatim(cls, **attrs):
    """``cls`` with :class:`_Verbatim` rendering (same name, still an instance of ``cls``) and ``attrs``."""
    return type(cls.__name__, (cls, _Verbatim), attrs)


_TileLayer = _verbatim(folium.TileLayer)
_FeatureGroup = _verbatim(folium.FeatureGroup)
_LayerControl = _verbatim(folium.LayerControl)
_FitBounds = _verbatim(folium.map.FitBounds)


class _Init(_Verbatim):
    """Calls the corridor script once folium's own layers exist."""

    _template = Template(
        "{% macro script(this, kwargs) %}corridormapLoad(document.getElementById('corridor-data'));{% endmacro %}"
    )


def _use_assets(cls, js: list[str], css: list[str]):
    """Subclass a folium element so it links our pinned npm files, not its CDN defaults (and renders
    as :class:`_Verbatim`)."""
    return _verbatim(cls, default_js=[(k, ASSETS[k].url) for k in js], default_css=[(k, ASSETS[k].url) for k in css])


# folium's Map also pulls jQuery, Bootstrap, Font Awesome and awesome-markers; this map needs none.
_Map = _use_assets(folium.Map, ["leaflet_js"], ["leaflet_css"])


class _Supercluster(JSCSSMixin, _Verbatim):
    """Links supercluster (npm), which clusters the enterprise points in the browser."""

    _template = Template("")
    default_js: ClassVar[list] = [("supercluster_js", ASSETS["supercluster_js"].url)]


_Fullscreen = _use_assets(folium.plugins.Fullscreen, ["fullscreen_js"], ["fullscreen_css"])
_MiniMap = _use_assets(folium.plugins.MiniMap, ["minimap_js"], ["minimap_css"])
_Measure = _use_assets(folium.plugins.MeasureControl, ["measure_js"], ["measure_css"])


def _script_safe(text: bytes) -> bytes:
    """JSON made safe inside <script type="application/json">.

    Inside a script element the HTML parser only looks for ``</script`` and
    ``<!--``; escaping every ``<`` as ``\\u003c`` rules both out, and JSON.parse
    reads it back unchanged. (This block is never executed as JavaScript.)
    """
    return text.replace(b"<", b"\\u003c") if b"<" in text else text


def _clean(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy / pandas scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    cols = [c for c in columns if c in frame.columns]
    arrays = [frame[c].to_numpy(object) for c in cols]  # column by column: no per-row pandas objects
    return [{c: _clean(v) for c, v in zip(cols, row)} for row in zip(*arrays)]


def _ids(value) -> list[str]:
    return [] if value is None else [s for s in str(value).split(";") if s]


def factorize(series: pd.Series):
    return pd.factorize(series, use_na_sentinel=True)


def geojson(geoms) -> list[str]:
    """Each geometry as GeoJSON text (``"null"`` where missing)."""
    return ["null" if g is None else shapely.to_geojson(g) for g in np.asarray(geoms, dtype=object)]


def _geoms(gdf) -> list:
    # GeoJSON written by GEOS, embedded as is. Boundaries are stored on a 1e-4 degree grid: no rounding needed.
    return [orjson.Fragment(g) for g in geojson(gdf.geometry)]


def _payload(corridor: Corridor, lang: str, groups: dict[str, str], map_name: str) -> dict:
    summary = city_summary(corridor)
    sectors = sorted(corridor.enterprises["sector"].dropna().unique())
    city_names = dict(zip(corridor.cities["id"], zip(corridor.cities["name_en"], corridor.cities["name_zh"])))

    cities = _records(
        corridor.cities, ["id", "name_en", "name_zh", "province_en", "province_zh", "adcode", "source_ids"]
    )
    route_ids = list(corridor.routes["id"])
    for rec, geom, colour in zip(cities, _geoms(corridor.cities), itertools.cycle(CITY_COLOURS)):
        s = summary.loc[rec["id"]]
        rec.update(
            geometry=geom,
            colour=colour,
            summary={
                "enterprises": int(s["enterprises"]),
                "enclaves": int(s["enclaves"]),
                "places": int(s["places"]),
                "stations": int(s["stations"]),
                "route_km": {rid: float(s[f"{rid}_km"]) for rid in route_ids},
                "seat": _clean(s["seat_name_en"]),
            },
        )
    provinces = _records(corridor.provinces, ["id", "name_en", "name_zh"])
    for rec, geom in zip(provinces, _geoms(corridor.provinces)):
        rec["geometry"] = geom
    seats = _records(
        corridor.seats, ["city_id", "name_en", "name_zh", "seat_kind", "lon", "lat", "location_precision", "source_ids"]
    )
    routes = _records(
        corridor.routes,
        ["id", "name_en", "name_zh", "kind", "role", "opened", "length_km", "design_speed_kmh", "city_ids",
         "geometry_precision", "description", "source_ids"],
    )  # fmt: skip
    for rec, geom in zip(routes, _geoms(corridor.routes)):
        rec["geometry"] = geom
        rec["km_by_city"] = {cid: float(summary.loc[cid, f"{rec['id']}_km"]) for cid in summary.index
                             if summary.loc[cid, f"{rec['id']}_km"] > 0}  # fmt: skip
    point_cols = ["id", "name_en", "name_zh", "city_id", "lon", "lat", "location_precision", "source_ids", "note"]
    stops = _records(corridor.stops, ["route_id", "seq", "kind", *point_cols])
    enterprises = _enterprise_columns(corridor)
    enclaves = _records(
        corridor.enclaves,
        [
            *point_cols,
            "kind",
            "host_city_ids",
            "host_cities_count",
            "opened",
            "companies_count",
            "tenant_ids",
            "description",
        ],
    )
    places = _records(corridor.places, [*point_cols, "kind", "opened", "description"])
    facts = _records(
        corridor.facts, ["id", "label_en", "label_zh", "qualifier", "value", "unit", "period", "note", "source_ids"]
    )
    sources = {
        r["id"]: {k: r[k] for k in ("title", "publisher", "date", "url")}
        for r in _records(corridor.sources, ["id", "title", "publisher", "date", "url"])
    }
    return {
        "lang": lang,
        "map": map_name,
        "groups": groups,
        "layerNames": {k: _label(v, lang) for k, v in LAYER_NAMES.items()},
        "cityNames": city_names,
        "sectors": [[s, SECTOR_COLOURS[i % len(SECTOR_COLOURS)]] for i, s in enumerate(sectors)],
        "provinces": provinces,
        "cities": cities,
        "seats": seats,
        "routes": routes,
        "stops": stops,
        "enterprises": enterprises,
        "enclaves": enclaves,
        "places": places,
        "facts": facts,
        "sources": sources,
    }


def _tiles(url: str, attr: str) -> xyzservices.TileProvider:
    """A ready URL as a provider: folium then takes it as is instead of searching every xyzservices name."""
    return xyzservices.TileProvider(name="url", url=url, attribution=attr, html_attribution=attr)


def _tile_layer(provider, *, name: str | None, show: bool) -> folium.TileLayer:
    return _TileLayer(
        _tiles(provider.build_url(fill_subdomain=False), provider.html_attribution),
        attr=provider.html_attribution,
        name=name,
        max_zoom=provider.get("max_zoom", 19),
        subdomains=provider.get("subdomains", "abc"),
        show=show,
        control=name is not None,
        overlay=False,
    )


def _coded(codes: np.ndarray, uniques) -> dict:
    return {"values": [_clean(u) for u in uniques], "codes": codes.astype(np.int64)}


def _codes(series: pd.Series) -> dict:
    return _coded(*factorize(series))


def _string_list(series: pd.Series) -> list:
    arr = series.to_numpy(object)
    missing = pd.isna(arr)
    if missing.any():
        arr = arr.copy()
        arr[missing] = None
    return arr.tolist()


def _strings(series: pd.Series) -> list | _TextColumn:
    """A text column for the page, one entry per row (see :class:`_TextColumn`); a list if it is not text."""
    try:
        arr = pyarrow.array(series, from_pandas=True)
        if not isinstance(arr, pyarrow.ChunkedArray):
            arr = pyarrow.chunked_array([arr])
        if not (pyarrow.types.is_string(arr.type) or pyarrow.types.is_large_string(arr.type)):
            arr = arr.cast(pyarrow.large_string())
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, pyarrow.ArrowNotImplementedError):
        return _string_list(series)
    return _TextColumn(arr)


def _enterprise_columns(corridor: Corridor) -> dict:
    """The enterprise layer as columns: one array per field, repeated values as codes.

    This is how a million points fit in a page: no object per point, categories
    stored once, coordinates as integers (micro-degrees). The browser builds a
    point's popup from these arrays only when it is clicked.
    """
    ent = corridor.enterprises
    n = len(ent)

    def text(name):  # repeated values (blank notes, one source) as codes, unique ones as strings
        if name not in ent.columns or ent[name].isna().all():  # absent, or blank throughout
            return {"values": [None], "codes": np.zeros(n, dtype=np.int64)}
        s = ent[name]
        # Names and descriptions are nearly all distinct: a sample says so without hashing every row.
        sample = pyarrow.array(s.iloc[:4096], from_pandas=True)
        if len(sample) > 64 and pc.count_distinct(sample, mode="all").as_py() > len(sample) // 2:
            return _strings(s)
        codes, uniques = factorize(s)
        return _coded(codes, uniques) if len(uniques) < n // 2 else _strings(s)

    return {
        "n": n,
        "id": _strings(ent["id"]),
        "name_en": text("name_en"),
        "name_zh": text("name_zh"),
        "description": text("description"),
        "note": text("note"),
        "website": text("website"),
        "x": np.round(ent["lon"].to_numpy(float) * 1e6).astype(np.int64),
        "y": np.round(ent["lat"].to_numpy(float) * 1e6).astype(np.int64),
        "city_id": _codes(ent["city_id"]),
        "kind": _codes(ent["kind"]),
        "sector": _codes(ent["sector"]),
        "location_precision": _codes(ent["location_precision"]),
        "source_ids": _codes(ent["source_ids"]),
    }


def _stable_ids(root: Element) -> None:
    """Replace folium's random element ids with sequential ones (byte-identical output)."""
    counter = itertools.count(1)

    def walk(el: Element) -> None:
        el._id = f"{next(counter):04d}"
        for child in list(el._children.values()):
            walk(child)
        if isinstance(getattr(el, "tile_layer", None), Element):  # MiniMap keeps its layer as an attribute
            walk(el.tile_layer)

    walk(root)


def build_map(
    corridor: Corridor,
    *,
    basemap: str | None = None,
    lang: str = "both",
    region: str = "world",
    tianditu_key: str | None = None,
) -> folium.Map:
    """Build the interactive corridor map.

    Parameters
    ----------
    corridor
        Loaded data (:func:`corridormap.load_corridor`).
    basemap
        Base layer shown first: a key of :data:`BASEMAPS`; default from ``region``.
        Every available basemap is offered in the layer control.
    lang
        ``"both"`` (English · Chinese), ``"en"`` or ``"zh"``.
    region
        ``"world"`` (light basemap first) or ``"cn"`` (Gaode first, for mainland readers).
    tianditu_key
        Tianditu API key (default ``$TIANDITU_KEY``); without one Tianditu is not offered.

    Returns
    -------
    folium.Map
        Save it with :func:`corridormap.save_map`, or display it in Jupyter.
        ``m.corridormap_notes`` lists basemaps left out, and why.

    Examples
    --------
    >>> import corridormap
    >>> m = corridormap.build_map(corridormap.load_corridor())
    >>> type(m).__name__
    'Map'
    """
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}: choose one of {', '.join(REGIONS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    offered, notes = available_basemaps(tianditu_key)
    basemap = basemap or next(k for k in REGIONS[region] if k in offered)
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}: choose one of {', '.join(BASEMAPS)}")
    if basemap not in offered:
        raise CorridorError(notes[basemap])
    x0, y0, x1, y1 = corridor.cities.total_bounds
    m = _Map(location=[(y0 + y1) / 2, (x0 + x1) / 2], zoom_start=7, tiles=None, control_scale=True)
    m.corridormap_notes = list(notes.values())
    order = [basemap] + [k for k in REGIONS[region] if k in offered and k != basemap]
    base_layers: dict[str, Element] = {}
    for key in order:
        b = offered[key]
        name = _label((b.name_en, b.name_zh), lang)
        show = key == basemap
        if not b.providers:
            layer = _TileLayer(_tiles(_BLANK_TILE, "&nbsp;"), attr="&nbsp;", name=name, show=show)
        elif len(b.providers) == 1:
            layer = _tile_layer(b.providers[0], name=name, show=show)
        else:  # a basemap with its annotation layer: one radio button for both
            layer = _FeatureGroup(name=name, overlay=False, show=show)
            for p in b.providers:
                _tile_layer(p, name=None, show=True).add_to(layer)
        layer.add_to(m)
        base_layers[key] = layer

    layers: dict[str, folium.FeatureGroup] = {}
    for key in LAYER_NAMES:
        name = _label(LAYER_NAMES[key], lang)
        layer = _FeatureGroup(name=name, show=True)
        layer.add_to(m)
        layers[key] = layer
    _Fullscreen(position="topleft").add_to(m)
    _Measure(position="topleft", primary_length_unit="kilometers", secondary_length_unit="meters",
             primary_area_unit="sqmeters").add_to(m)  # fmt: skip
    _MiniMap(
        tile_layer=_TileLayer(
            _tiles(xyz.Esri.WorldGrayCanvas.build_url(), xyz.Esri.WorldGrayCanvas.html_attribution),
            attr=xyz.Esri.WorldGrayCanvas.html_attribution,
            max_zoom=16,
        ),
        toggle_display=True,
        position="bottomright",
    ).add_to(m)
    _LayerControl(collapsed=True, position="topright").add_to(m)
    # Without animation: an animated fit pans a few pixels (Mercator centre against the plain centre
    # above) and, a quarter second later, makes every layer draw again.
    fit = _FitBounds([[y0, x0], [y1, x1]])
    fit.options["animate"] = False
    fit.add_to(m)

    _stable_ids(m.get_root())
    groups = {key: layer.get_name() for key, layer in layers.items()}
    bases = {layer.get_name(): offered[key].datum for key, layer in base_layers.items()}
    fig: Figure = m.get_root()
    static = files("corridormap.render") / "static"
    fig.header.add_child(
        _RawHTML("<style>" + static.joinpath("corridor.css").read_text("utf-8") + "</style>", "cm_css")
    )
    data = _payload(corridor, lang, groups, m.get_name())
    data["basemaps"] = bases
    data["initialDatum"] = offered[basemap].datum
    fig.html.add_child(_Payload(data))
    fig.html.add_child(_RawHTML("<script>" + static.joinpath("corridor.js").read_text("utf-8") + "</script>", "cm_js"))
    _Supercluster().add_to(m)
    init = _Init()
    init._id = "init"
    m.add_child(init, name="corridormap_init")
    return m


def render_html(m: folium.Map) -> str:
    """Render a map built by :func:`build_map` to a complete HTML document."""
    return m.get_root().render()


def render_bytes(m: folium.Map, transform=None) -> bytes:
    """The document as UTF-8, with the data block spliced in as bytes (``transform`` edits the rest)."""
    fig = m.get_root()
    payload = next((el for el in fig.html._children.values() if isinstance(el, _Payload)), None)
    if payload is None:
        html = fig.render()
        return (transform(html) if transform else html).encode("utf-8")
    mark = f"@@corridormap-data-{id(payload):x}@@"
    payload.placeholder = mark
    try:
        html = fig.render()
    finally:
        payload.placeholder = None
    if transform:
        html = transform(html)
    head, found, tail = html.partition(mark)
    if not found:
        raise RuntimeError("the data block went missing while rendering")
    return b"".join((head.encode("utf-8"), payload.data, tail.encode("utf-8")))
