"""The full-screen and measure controls, as small folium elements of our own.

folium has both in ``folium.plugins``, but importing any plugin runs that package's ``__init__``,
which imports all ~35 plugins and compiles their templates: ~0.06 s CPU of every build for two
buttons (see bench/RESULTS.txt). These two elements write the same script for the
same npm libraries (``leaflet.fullscreen`` and ``leaflet-measure``, :mod:`.assets`).
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from .assets import ASSETS, measure_asset

__all__ = ["Fullscreen", "Measure"]


class Fullscreen(JSCSSMixin, MacroElement):
    """A button that shows the map full screen (``L.control.fullscreen``).

    Parameters
    ----------
    title, title_cancel
        The button's tooltip to enter and to leave full screen.
    position
        The Leaflet control corner.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.control.fullscreen({{ this.options|tojson }}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )
    default_js = [("fullscreen_js", ASSETS["fullscreen_js"].url)]  # noqa: RUF012 (folium reads it from the class)
    default_css = [("fullscreen_css", ASSETS["fullscreen_css"].url)]  # noqa: RUF012

    def __init__(self, *, title: str, title_cancel: str, position: str = "topleft"):
        super().__init__()
        self._name = "Fullscreen"
        self.options = {"position": position, "title": title, "titleCancel": title_cancel,
                        "forceSeparateButton": False}  # fmt: skip


# leaflet-measure 3.1 with Leaflet >= 1.8: its capture marker would pan the map on focus
# (ljagis/leaflet-measure#171); the same fix as folium's MeasureControl.
_MEASURE_FIX = (
    "L.Control.Measure.include({_setCaptureMarkerIcon: function () {"
    "this._captureMarker.options.autoPanOnFocus = false;"
    "this._captureMarker.setIcon(L.divIcon({iconSize: this._map.getSize().multiplyBy(2)}));}});"
)


class Measure(JSCSSMixin, MacroElement):
    """The distance and area measuring tool (``L.Control.Measure``), in kilometres and hectares.

    Parameters
    ----------
    lang
        The page's language: leaflet-measure ships one build per language (:func:`.assets.measure_asset`).
    position
        The Leaflet control corner.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = new L.Control.Measure({{ this.options|tojson }});"
        "{{ this._parent.get_name() }}.addControl({{ this.get_name() }});" + _MEASURE_FIX + "{% endmacro %}"
    )
    default_css = [("measure_css", ASSETS["measure_css"].url)]  # noqa: RUF012 (folium reads it from the class)

    def __init__(self, *, lang: str, position: str = "topleft"):
        super().__init__()
        self._name = "MeasureControl"
        key = measure_asset(lang)
        self.default_js = [(key, ASSETS[key].url)]
        self.options = {"position": position, "primaryLengthUnit": "kilometers", "secondaryLengthUnit": "meters",
                        "primaryAreaUnit": "sqkilometers", "secondaryAreaUnit": "hectares"}  # fmt: skip
