"""The areas an own list's points are placed to (not to a site), as the page draws them: one count
symbol per area at its reference point, named for the division or city."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .labels import UI
from .payload import Numbers

if TYPE_CHECKING:
    from ..views import MapView, PointLayer

__all__ = ["area_payload"]


def _division_names(view: MapView, name: Any) -> dict[str, str]:
    """Each division's name by adcode, where the corridor has the divisions layer."""
    divisions = getattr(view.corridor, "divisions", None)
    if divisions is None or "adcode" not in divisions.columns:
        return {}
    return {str(r["adcode"]): name(r) for _, r in divisions.iterrows()}


def _placed_to(layer: PointLayer, row: int) -> str | None:
    """The area a list's ``placed_by`` names for a row ("address → 余杭区" -> "余杭区")."""
    if "placed_by" not in layer.frame.columns:
        return None
    text = layer.frame["placed_by"].iloc[row]
    if not isinstance(text, str) or "→" not in text:
        return None
    return text.rsplit("→", 1)[1].strip() or None


def area_payload(layer: PointLayer, view: MapView, cities: list[dict], name: Any, lang: str) -> dict[str, Any]:
    """The layer's areas for the page: each row's area (-1 at a site) and each area's name and place.

    ``name(row, lang)`` gives a record's name in a language (``"en"``, ``"zh"``, ``"both"``); a
    district's name comes from the divisions layer, else from how the list placed it
    (``placed_by``), else its city's. ``areaTitle`` is the count symbol's title, one template per
    language shown (two in ``"both"``), and each area's ``names`` the name to put in each: so that
    "both" reads the English sentence with the English name, then the Chinese with the Chinese.
    """
    if layer.area is None or not layer.areas:
        return {"area": None, "areas": [], "areaTitle": []}
    langs = ["en", "zh"] if lang == "both" else [lang]
    first = {int(a): int(i) for a, i in zip(*np.unique(layer.area, return_index=True)) if a >= 0}
    named = {lg: (_division_names(view, lambda r, lg=lg: name(r, lg)), [name(c, lg) for c in cities])
             for lg in (*langs, lang)}  # fmt: skip
    out = []
    for k, a in enumerate(layer.areas):
        placed = _placed_to(layer, first[k]) if a.precision == "district" else None

        def area_name(lg: str, a: Any = a, placed: str | None = placed) -> tuple[str, str | None]:
            divisions, city_names = named[lg]
            city = city_names[a.city] if a.city >= 0 else None
            own = divisions.get(a.division or "") or placed
            return own or city or "", city if own else None

        shown, city = area_name(lang)
        out.append({"name": shown, "names": [area_name(lg)[0] for lg in langs], "city": city,
                    "precision": a.precision, "lat": round(a.lat, 6), "lon": round(a.lon, 6)})  # fmt: skip
    titles = [UI["areaCount"][0 if lg == "en" else 1] for lg in langs]
    return {"area": Numbers(layer.area.astype(np.int32), "int32"), "areas": out, "areaTitle": titles}
