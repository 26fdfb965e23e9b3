"""Build the map: the analysis of what it shows (:mod:`corridormap.views`), then the drawing
(:mod:`corridormap.render`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from .load import Corridor

__all__ = ["build_map"]


def build_map(
    corridor: Corridor,
    *,
    lists: Sequence[gpd.GeoDataFrame] = (),
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
    lists
        Point lists of your own (:func:`corridormap.read_points`): each becomes an overlay of its
        own, with clusters, a density layer, filters and choropleth measures.
    basemap
        Base layer shown first: a key of :data:`corridormap.render.BASEMAPS`; default from ``region``.
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
        ``m.corridormap_notes`` lists basemaps left out, and why; ``m.corridormap_overlays`` the
        overlays' keys in the layer control's order.

    Examples
    --------
    >>> import corridormap
    >>> m = corridormap.build_map(corridormap.load_corridor())
    >>> type(m).__name__
    'Map'
    """
    from .render.map import render_map
    from .views import map_view

    view = map_view(corridor, lists)
    return render_map(view, basemap=basemap, lang=lang, region=region, tianditu_key=tianditu_key)
