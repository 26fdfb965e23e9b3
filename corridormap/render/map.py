"""Assemble the corridor map with folium: base layers, empty overlays, controls, data and script.

folium makes the Leaflet map, its tile layers, the overlays (as empty feature groups) and the layer
control; :mod:`.controls` the full-screen and measure controls (no overview map: leaflet-minimap's
two-way sync moved the main map back to a stale view after a fit). The page's own script (``static/js``)
fills the overlays from the data block (:mod:`corridormap.render.payload`) and draws popups,
tooltips, labels, panels and search with DOM text nodes, so data text never becomes markup.
The script is handed folium's objects by the build (see :class:`_Start`), not by global names.
"""

from __future__ import annotations

import itertools
import re
from importlib.resources import files

import folium
import xyzservices
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from ..errors import CorridorError
from ..views import MapView
from .assets import ASSETS, PAGE_SCRIPTS, WIDGET_SCRIPTS, inline_or_link
from .basemaps import BASEMAPS, REGIONS, available_basemaps
from .controls import Fullscreen, Measure
from .labels import LANGS, OVERLAYS, UI, html_lang, label
from .page import page_data
from .payload import Payload

__all__ = ["BASEMAPS", "LANGS", "REGIONS", "render_bytes", "render_html", "render_map"]

# A 1x1 transparent PNG: the "no basemap" layer fetches nothing.
_BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


class _RawHTML(Element):
    """An element whose text is emitted as it is, never compiled as a Jinja template."""

    def __init__(self, text: str, name: str):
        super().__init__()
        self._name = name
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text


class _Figure(Figure):
    """branca's page, with the document's language on ``<html>`` and its libraries inlined.

    Every way of showing the map renders this page (``save_map``, folium's ``save`` and the
    notebook's ``_repr_html_``), so every one carries Leaflet and its plugins inside and
    works offline; ``render(cdn=True)`` links them from jsDelivr instead.
    """

    def __init__(self, *, title: str, lang: str):
        super().__init__(title=title)
        self.lang = lang

    def render(self, **kwargs: object) -> str:
        cdn = kwargs.pop("cdn", False)
        # folium's layers add their script to the page at each render under a new name, so a map
        # shown in a notebook and then saved would carry it twice: each render starts from the same script.
        script = dict(self.script._children)
        try:
            html = super().render(**kwargs)
        finally:
            self.script._children = type(self.script._children)(script)
        html = html.replace("<html>", f'<html lang="{self.lang}">', 1)
        # folium's viewport tag forbids zooming the page on a phone; readers may pinch-zoom.
        html = _NO_ZOOM.sub("", html, count=1)
        return html if cdn else inline_or_link(html)


_NO_ZOOM = re.compile(r",\s*maximum-scale=1\.0,\s*user-scalable=no")


def _assets(cls: type, js: list[str], css: list[str]) -> type:
    """Subclass a folium element so it links our pinned npm files, not its CDN defaults."""
    return type(cls.__name__, (cls,), {"default_js": [(k, ASSETS[k].url) for k in js],
                                        "default_css": [(k, ASSETS[k].url) for k in css]})  # fmt: skip


# folium's Map also pulls jQuery, Bootstrap, Font Awesome and awesome-markers; this map needs none.
_Map = _assets(folium.Map, ["leaflet_js"], ["leaflet_css"])


class _H3(JSCSSMixin, MacroElement):
    """Links h3-js (npm), which turns the points' H3 cells into hexagons and centres in the page."""

    _template = Template("")
    default_js = [("h3_js", ASSETS["h3_js"].url)]  # noqa: RUF012 (folium reads it from the class)


class _Start(MacroElement):
    """Starts the page's script once folium's objects exist, handing it those objects."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "corridormapStart({{ this.source }}, {map: {{ this.map }}, "
        "overlays: { {%- for k, v in this.overlays %}{{ k|tojson }}: {{ v }}{{ ', ' if not loop.last }}"
        "{% endfor -%} }, "
        "bases: [ {%- for k, v, d in this.bases %}{key: {{ k|tojson }}, layer: {{ v }}, datum: {{ d|tojson }}}"
        "{{ ', ' if not loop.last }}{% endfor -%} ], "
        "layers: {{ this.layers }}, measure: {{ this.measure }}{{ this.host }}});"
        "{% endmacro %}"
    )

    def __init__(self, **handles):
        super().__init__()
        self._name = "corridormap_start"
        for k, v in handles.items():
            setattr(self, k, v)


def _tiles(url: str, attr: str) -> xyzservices.TileProvider:
    """A ready URL as a provider: folium then takes it as is instead of searching every xyzservices name."""
    return xyzservices.TileProvider(name="url", url=url, attribution=attr, html_attribution=attr)


def _tile_layer(provider: xyzservices.TileProvider, *, name: str | None, show: bool) -> folium.TileLayer:
    return folium.TileLayer(
        _tiles(provider.build_url(fill_subdomain=False), provider.html_attribution),
        attr=provider.html_attribution,
        name=name,
        max_zoom=provider.get("max_zoom", 19),
        subdomains=provider.get("subdomains", "abc"),
        show=show,
        control=name is not None,
        overlay=False,
    )


def _base_layers(m: folium.Map, offered: dict, order: list[str], basemap: str, lang: str) -> dict:
    layers = {}
    for key in order:
        b = offered[key]
        name = label((b.name_en, b.name_zh), lang)
        show = key == basemap
        layer: folium.TileLayer | folium.FeatureGroup
        if not b.providers:
            layer = folium.TileLayer(_tiles(_BLANK_TILE, "&nbsp;"), attr="&nbsp;", name=name, show=show)
        elif len(b.providers) == 1:
            layer = _tile_layer(b.providers[0], name=name, show=show)
        else:  # a basemap with its annotation layer: one radio button for both
            layer = folium.FeatureGroup(name=name, overlay=False, show=show)
            for p in b.providers:
                _tile_layer(p, name=None, show=True).add_to(layer)
        layer.add_to(m)
        layers[key] = layer
    return layers


def _overlays(m: folium.Map, view: MapView, lang: str) -> dict:
    """One feature group per overlay, in the layer control's order; density overlays start hidden."""
    names = {k: label(v, lang) for k, v in OVERLAYS.items()}
    keys = ["provinces", "cities", *view.corridor.routes["id"], "enterprises"]
    keys += [layer.key for layer in view.layers if not layer.curated] + ["enclaves", "flows", "places"]
    for layer in view.layers:
        names.setdefault(layer.key, label(layer.name, lang))
    groups = {}
    if getattr(view.corridor, "divisions", None) is not None:
        # Off at first: the nine cities' outlines and popups are the map's first reading; the 67
        # divisions' borders over them would crowd a whole-corridor view (a click opens a division).
        keys.insert(2, "divisions")
    for key in keys:
        groups[key] = folium.FeatureGroup(name=names.get(key, key), show=key != "divisions").add_to(m)
    for layer in view.layers:
        name = f"{label(UI['density'], lang)}: {names[layer.key]}"
        groups[f"density:{layer.key}"] = folium.FeatureGroup(name=name, show=False).add_to(m)
    return groups


def _controls(m: folium.Map, lang: str) -> dict:
    text = {k: label(UI[k], lang) for k in ("fullscreen", "fullscreenExit", "measure")}
    Fullscreen(title=text["fullscreen"], title_cancel=text["fullscreenExit"]).add_to(m)
    measure = Measure(lang=lang)
    measure.add_to(m)
    layers = folium.LayerControl(collapsed=False, position="topright")
    layers.add_to(m)
    return {"measure": measure, "layers": layers}


def _stable_ids(root: Element) -> None:
    """Replace folium's random element ids with sequential ones (byte-identical output)."""
    counter = itertools.count(1)

    def walk(el: Element) -> None:
        el._id = f"{next(counter):04d}"
        for child in list(el._children.values()):
            walk(child)

    walk(root)


def _page_script(extra: tuple[str, ...] = ()) -> str:
    """The page's script: its modules joined in their fixed order, in one scope (``extra`` after them)."""
    static = files("corridormap.render") / "static"
    parts = [f"/* {name} */\n" + static.joinpath("js", name).read_text("utf-8") for name in (*PAGE_SCRIPTS, *extra)]
    body = "\n".join(parts)
    return '(function () {\n"use strict";\nvar CM = {};\n' + body + "\nwindow.corridormapStart = CM.main.start;\n}());"


def render_map(
    view: MapView,
    *,
    basemap: str | None = None,
    lang: str = "both",
    region: str = "world",
    tianditu_key: str | None = None,
    host: bool = False,
) -> folium.Map:
    """Draw a computed :class:`~corridormap.views.MapView` as a folium map (see :func:`corridormap.build_map`).

    With ``host`` the page carries no data block: it is the page of :class:`corridormap.MapWidget`,
    which hands the page its data and keeps it in sync through its frame (``frameElement.cmHost``).
    """
    offered, notes, basemap = _basemaps(basemap, region, lang, tianditu_key)
    x0, y0, x1, y1 = view.corridor.cities.total_bounds
    m = _Map(location=[(y0 + y1) / 2, (x0 + x1) / 2], zoom_start=7, tiles=None, control_scale=False,
             zoom_control=False, zoomSnap=0.25, zoomDelta=0.5, wheelPxPerZoomLevel=90)  # fmt: skip
    fig = _Figure(title=label(UI["title"], lang), lang=html_lang(lang))
    fig.add_child(m)
    m.corridormap_notes = list(notes.values())
    order = [basemap] + [k for k in REGIONS[region] if k in offered and k != basemap]
    bases = _base_layers(m, offered, order, basemap, lang)
    groups = _overlays(m, view, lang)
    m.corridormap_overlays = list(groups)  # the overlays' keys, in the layer control's order
    controls = _controls(m, lang)
    _H3().add_to(m)
    _stable_ids(fig)
    _add_page(fig, view, lang, host)
    start = _Start(
        source="null" if host else "document.getElementById('corridor-data')",
        host=", host: window.frameElement.cmHost" if host else "",
        map=m.get_name(),
        overlays=[(k, g.get_name()) for k, g in groups.items()],
        bases=[(k, layer.get_name(), offered[k].datum) for k, layer in bases.items()],
        **{k: c.get_name() for k, c in controls.items()},
    )
    start._id = "start"
    m.add_child(start, name="corridormap_start")
    return m


def _basemaps(basemap: str | None, region: str, lang: str, tianditu_key: str | None) -> tuple[dict, dict, str]:
    """The basemaps offered, the notes on those left out, and the one shown first; an error for a bad choice."""
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
    return offered, notes, basemap


def _add_page(fig: Figure, view: MapView, lang: str, host: bool) -> None:
    """The page's stylesheet, its data block (none for the widget's page, whose host hands it over) and script."""
    static = files("corridormap.render") / "static"
    fig.header.add_child(
        _RawHTML("<style>" + static.joinpath("corridor.css").read_text("utf-8") + "</style>", "cm_css")
    )
    if not host:
        fig.html.add_child(Payload(page_data(view, lang)))
    fig.html.add_child(_RawHTML("<script>" + _page_script(WIDGET_SCRIPTS if host else ()) + "</script>", "cm_js"))


def render_html(m: folium.Map, *, cdn: bool = False) -> str:
    """Render a map built by :func:`corridormap.build_map` to a complete HTML document.

    Its libraries are inlined (see :mod:`corridormap.render.assets`); ``cdn=True`` links them.
    """
    return m.get_root().render(cdn=cdn)


def render_bytes(m: folium.Map, *, cdn: bool = False) -> bytes:
    """The document as UTF-8, with the data block spliced in as bytes (libraries as in :func:`render_html`)."""
    fig = m.get_root()
    assert isinstance(fig, Figure)
    payload = next((el for el in fig.html._children.values() if isinstance(el, Payload)), None)
    if payload is None:
        return fig.render(cdn=cdn).encode("utf-8")
    mark = f"@@corridormap-data-{id(payload):x}@@"
    payload.placeholder = mark
    try:
        html = fig.render(cdn=cdn)
    finally:
        payload.placeholder = None
    head, found, tail = html.partition(mark)
    if not found:
        raise RuntimeError("the data block went missing while rendering")
    return b"".join((head.encode("utf-8"), payload.data, tail.encode("utf-8")))
