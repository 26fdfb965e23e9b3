"""A two-way map in Jupyter: :class:`MapWidget`, the page :func:`corridormap.build_map` draws, as an
anywidget whose view, filters, date, colouring and selection are traitlets kept in step both ways.

The page's data goes to the browser once, as bytes (a ``Bytes`` traitlet: one binary message);
the page sends back small state only, and a selection as row indices per layer, which are checked
(whole numbers, in range, of a layer the map has) before :attr:`MapWidget.selected` uses them.
Needs the ``notebook`` extra (``pip install 'corridormap[notebook]'``), which brings anywidget.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import anywidget
import geopandas as gpd
import pandas as pd
import traitlets

if TYPE_CHECKING:
    from .load import Corridor

__all__ = ["MapWidget"]

_ESM = (files("corridormap.render") / "static" / "widget.mjs").read_text("utf-8")


class MapWidget(anywidget.AnyWidget):
    """The corridor map in a notebook, in step with Python.

    Parameters
    ----------
    corridor
        Loaded data (:func:`corridormap.load_corridor`).
    lists
        Point lists of your own (:func:`corridormap.read_points`), as in :func:`corridormap.build_map`.
    lang
        ``"both"`` (English · Chinese), ``"en"`` or ``"zh"``.
    basemap, region, tianditu_key
        As in :func:`corridormap.build_map`.
    height
        The map's height in the output, as CSS (``"600px"``). An output 480 px wide or less shows
        the phone layout.

    Attributes
    ----------
    selected : geopandas.GeoDataFrame
        What the reader picked on the map (see :attr:`selected`); its ``layer`` column holds the
        layer's key: ``"enterprises"``, ``"list-1"``, ``"list-2"``, … (your lists, in order),
        ``"enclaves"``, ``"places"``.
    view : dict
        ``{"center": [lat, lon], "zoom": z, "basemap": key}``; the centre is WGS-84 on every
        basemap, as all the data (on Gaode's GCJ-02 maps the page shifts it both ways). Set it to
        move the map (any of the keys); a basemap set without a centre keeps the centre.
    filters : dict
        ``{layer: {column: [values shown]}}``, e.g. ``{"enterprises": {"sector": ["semiconductors"]}}``;
        a layer or column left out shows everything. Set it to filter the map.
    date : str or None
        The time slider's day (``"2021-06-30"``), or None for today. Set it to move the slider.
    colouring : str or None
        The choropleth measure's id (one of the "Colour cities by" choices), or None.

    Examples
    --------
    >>> import corridormap
    >>> w = corridormap.MapWidget(corridormap.load_corridor(), lang="en")
    >>> w.selected.empty
    True
    """

    _esm = _ESM
    _page = traitlets.Unicode().tag(sync=True)
    _data = traitlets.Bytes().tag(sync=True)
    _title = traitlets.Unicode().tag(sync=True)
    _selection = traitlets.Dict().tag(sync=True)
    height = traitlets.Unicode("600px").tag(sync=True)
    view = traitlets.Dict().tag(sync=True)
    filters = traitlets.Dict().tag(sync=True)
    date = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    colouring = traitlets.Unicode(None, allow_none=True).tag(sync=True)

    def __init__(
        self,
        corridor: Corridor,
        *,
        lists: Sequence[gpd.GeoDataFrame] = (),
        lang: str = "both",
        basemap: str | None = None,
        region: str = "world",
        tianditu_key: str | None = None,
        height: str = "600px",
        **kwargs: Any,
    ):
        from .render.widgetpage import widget_page
        from .views import map_view

        view = map_view(corridor, lists)
        page, data, title = widget_page(view, lang=lang, basemap=basemap, region=region, tianditu_key=tianditu_key)
        self._frames = _frames(view)
        super().__init__(_page=page, _data=data, _title=title, height=height, **kwargs)

    @traitlets.validate("_selection")
    def _valid_selection(self, proposal: dict) -> dict:
        return _checked(proposal["value"], {k: len(f) for k, f in self._frames.items()})

    @property
    def selected(self) -> gpd.GeoDataFrame:
        """The features selected on the map: a ``layer`` column, the rows' own columns, and geometry
        (WGS-84), layer by layer in the map's order, each layer's rows in their own order."""
        parts = []
        for key, rows in self._selection.items():
            frame = self._frames[key].iloc[rows]
            parts.append(gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=frame.geometry.to_numpy(),
                                          crs="EPSG:4326").assign(layer=key))  # fmt: skip
        if not parts:  # nothing picked: the same columns a selection would have, so code reading it runs
            names = dict.fromkeys(c for f in self._frames.values() for c in f.columns if c != "geometry")
            empty = {"layer": pd.Series(dtype=object)} | {c: pd.Series(dtype=object) for c in names}
            return gpd.GeoDataFrame(empty, geometry=[], crs="EPSG:4326")
        out = pd.concat(parts, ignore_index=True)
        return out[["layer", *[c for c in out.columns if c != "layer"]]]


def _frames(view: Any) -> dict[str, gpd.GeoDataFrame]:
    """Every layer a reader can select in, as the page numbers its rows: the point lists, enclaves, places."""
    out = {}
    for layer in view.layers:
        f = layer.frame
        geometry = f.geometry if isinstance(f, gpd.GeoDataFrame) else gpd.points_from_xy(f["lon"], f["lat"])
        out[layer.key] = gpd.GeoDataFrame(f.drop(columns="geometry", errors="ignore"), geometry=geometry,
                                          crs="EPSG:4326")  # fmt: skip
    out["enclaves"] = view.corridor.enclaves
    out["places"] = view.corridor.places
    return out


def _checked(value: object, sizes: dict[str, int]) -> dict[str, list[int]]:
    """A selection from the page, checked: known layers, whole row numbers in range, sorted, once each.

    Raises
    ------
    traitlets.TraitError
        Naming the layer and the first bad value (the selection is then left as it was).
    """
    if not isinstance(value, dict):
        raise traitlets.TraitError(f"selection: expected {{layer: [row, ...]}}, got {type(value).__name__}")
    out = {}
    for key, rows in value.items():
        if key not in sizes:
            raise traitlets.TraitError(f"selection: no layer {key!r} on this map")
        if not isinstance(rows, list):
            raise traitlets.TraitError(f"selection of {key!r}: expected a list of rows")
        n = sizes[key]
        for r in rows:
            if type(r) is not int or not 0 <= r < n:  # bool and float are not row numbers either
                raise traitlets.TraitError(f"selection of {key!r}: {r!r} is not a row number from 0 to {n - 1}")
        if rows:
            out[key] = sorted(set(rows))
    return {k: out[k] for k in sizes if k in out}
