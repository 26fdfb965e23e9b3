"""The page of :class:`corridormap.MapWidget`: the map's page with its libraries inline and no data
block, the data as bytes (sent once), and the selection tool's labels."""

from __future__ import annotations

from ..views import MapView
from .assets import inline_assets
from .labels import UI, label
from .map import render_html, render_map
from .page import page_data
from .payload import binary

__all__ = ["SELECT_UI", "widget_page"]

# The selection tool's labels (the page's other labels are in labels.UI).
SELECT_UI: dict[str, tuple[str, str]] = {
    "selectTools": ("Select on the map", "在地图上选择"),
    "selectBox": ("Select with a box: drag over the map (shift adds)", "框选：在地图上拖动（按住 Shift 追加）"),
    "selectLasso": ("Select with a lasso: draw around points (shift adds)", "套索选择：圈出点位（按住 Shift 追加）"),
    "selectClear": ("Clear the selection", "清除选择"),
    "selected": ("{n} selected", "已选 {n} 个"),
}


def widget_page(
    view: MapView, *, lang: str, basemap: str | None, region: str, tianditu_key: str | None
) -> tuple[str, bytes, str]:
    """The widget's page (HTML, libraries inline), its data (deflated bytes) and its title.

    Raises
    ------
    ValueError, CorridorError
        As :func:`corridormap.build_map` does for an unknown language, region or basemap.
    """
    m = render_map(view, basemap=basemap, lang=lang, region=region, tianditu_key=tianditu_key, host=True)
    html = inline_assets(render_html(m))
    data = page_data(view, lang)
    data["ui"].update({k: label(v, lang) for k, v in SELECT_UI.items()})
    return html, binary(data), label(UI["map"], lang)
