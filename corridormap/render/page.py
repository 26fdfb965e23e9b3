"""The page's data: every layer, label and figure the map script draws, resolved for one language.

Built from a :class:`corridormap.views.MapView` (the analysis is done there); this module only
arranges it for the page. Text from the data stays text: the page sets it with ``textContent``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import pandas as pd
import shapely

from ..analysis import city_points
from ..views import TOP_SECTORS, MapView, PointLayer, decimals
from .areapoints import area_payload
from .colours import REFERENCE, SECTOR_COLOURS, sector_colours, sequential
from .divisionpage import division_payload
from .labels import OVERLAYS, UI, VOCAB, html_lang, label, resolve, text_rule
from .payload import Numbers, text_column

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["page_data"]

CHOROPLETH_SCHEME = "YlGnBu"  # ColorBrewer sequential, through branca
PROVINCE_TOLERANCE = 0.002  # degrees (~200 m, under a pixel to zoom 8): the context outlines as drawn
DENSITY_SCHEME = "YlOrRd"
MAIN_SOURCE = "shanghai-daily-2023-11-05"


def _clean(value: Any) -> Any:
    """A cell as JSON: missing -> None, numpy scalars -> Python, whole floats -> int."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _get(row: dict, key: str) -> Any:
    return _clean(row.get(key))


def _rows(frame: pd.DataFrame) -> list[dict]:
    cols = list(frame.columns.drop("geometry", errors="ignore"))
    arrays = [frame[c].to_numpy(object) for c in cols]
    return [dict(zip(cols, values)) for values in zip(*arrays)]


def _name(row: dict, lang: str) -> str:
    en, zh = _get(row, "name_en") or "", _get(row, "name_zh") or ""
    if not en or not zh:
        return en or zh or str(_get(row, "name") or "")
    return label((en, zh), lang)


def _search(row: dict) -> str:
    return " ".join(str(v) for v in (_get(row, "name_en"), _get(row, "name_zh"), _get(row, "name")) if v)


def _about(row: dict, lang: str, key: str = "description") -> list[str]:
    """The description in the reader's language(s): English, Chinese (``description_zh``) or both."""
    en, zh = _get(row, key), _get(row, f"{key}_zh")
    if lang == "en":
        return [en] if en else ([zh] if zh else [])
    if lang == "zh":
        return [zh] if zh else ([en] if en else [])
    return [t for t in (en, zh) if t]


def _term(value: Any, lang: str) -> str | None:
    value = _clean(value)
    if value is None:
        return None
    pair = VOCAB.get(str(value))
    return label(pair, lang) if pair else str(value)


def _geojson(geoms: Any) -> list:
    # GeoJSON written by GEOS, embedded as is (boundaries are stored on a 1e-4 degree grid).
    return [None if g is None else orjson.Fragment(t) for g, t in zip(geoms, shapely.to_geojson(np.asarray(geoms)))]


def _ids(value: Any) -> list[str]:
    value = _clean(value)
    return [s.strip() for s in str(value).split(";") if s.strip()] if value else []


def _point(row: dict, lang: str) -> dict:
    return {
        "id": _get(row, "id"),
        "name": _name(row, lang),
        "search": _search(row),
        "lat": float(row["lat"]),
        "lon": float(row["lon"]),
        "precision": _get(row, "location_precision") or "",
        "city_id": _get(row, "city_id"),
        "source_ids": _get(row, "source_ids"),
        "note": _get(row, "note"),
    }


def _province_lines(provinces: gpd.GeoDataFrame, cities: gpd.GeoDataFrame) -> list:
    """The provinces' boundaries as drawn: each shared border once, within a degree of the nine
    cities, simplified to :data:`PROVINCE_TOLERANCE` (the data keeps the full outlines).

    Why: the full outlines (shared borders twice) took most of a pan's time; the figures are in
    bench/RESULTS.txt ("Figures that were in docstrings").
    """
    x0, y0, x1, y1 = cities.total_bounds
    # Each outline cut to the box before the union: the same lines as the union cut (checked byte for byte on
    # the data's provinces), in two thirds of the time.
    near = shapely.clip_by_rect(shapely.boundary(provinces.geometry.to_numpy()), x0 - 1, y0 - 1, x1 + 1, y1 + 1)
    lines = shapely.line_merge(shapely.union_all(near))
    simple = shapely.simplify(shapely.get_parts(lines), PROVINCE_TOLERANCE)
    # numpy rounds the array as round() did each of its float64s, the same figures in a twentieth of the time
    return [np.round(shapely.get_coordinates(p)[:, ::-1], 5).tolist() for p in simple]


def _cities(view: MapView, lang: str, colours: dict[str, dict]) -> list[dict]:
    c = view.corridor
    summary = view.summary
    flows = view.flows.geometry if view.flows is not None else None
    rep = city_points(c, flows)  # clear of routes, flows and point symbols: hovering it names the city
    seats = {r["city_id"]: _name(r, lang) for r in _rows(c.seats)}
    routes = list(zip(c.routes["id"], _rows(c.routes)))
    out = []
    for i, (row, geom, point) in enumerate(zip(_rows(c.cities), _geojson(c.cities.geometry), rep)):
        cid = row["id"]
        s = summary.loc[cid]
        km = [[_name(r, lang), round(float(s[f"{rid}_km"]), 1)] for rid, r in routes if s[f"{rid}_km"] > 0]
        counts = {}
        for layer in view.layers:
            table, own = view.sector_counts[layer.key], colours[layer.key]
            counts[layer.key] = [
                [_term(sec, lang), int(n), own.get(sec)] for sec, n in table.iloc[i].items() if int(n) > 0
            ]
        out.append({
            "id": cid,
            "name": _name(row, lang),
            "search": _search(row),
            "province": label((row["province_en"], row["province_zh"]), lang),
            "adcode": _get(row, "adcode"),
            "areaKm2": round(float(view.area_km2[i])),
            "rep": [point.y, point.x],
            "geometry": geom,
            "seat": seats.get(cid),
            "summary": {
                "enclaves": int(s["enclaves"]),
                "places": int(s["places"]),
                "stations": int(s["stations"]),
                "routeKm": km,
            },
            "lists": {layer.key: int((layer.city == i).sum()) for layer in view.layers},
            "sectorCounts": counts,
            "joined": view.timeline.joined.get(cid),
            "source_ids": _get(row, "source_ids"),
        })  # fmt: skip
    return out


def _routes(view: MapView, lang: str) -> list[dict]:
    c = view.corridor
    names = dict(zip(c.cities["id"], (_name(r, lang) for r in _rows(c.cities))))
    out = []
    for row, geom in zip(_rows(c.routes), c.routes.geometry):
        rid = row["id"]
        crosses = [[names[cid], round(float(view.summary.loc[cid, f"{rid}_km"]), 1)] for cid in view.summary.index
                   if view.summary.loc[cid, f"{rid}_km"] > 0]  # fmt: skip
        out.append({
            "id": rid,
            "name": _name(row, lang),
            "search": _search(row),
            "kind": row["kind"],
            "kindLabel": _term(row["kind"], lang),
            "role": row["role"],
            "opened": _get(row, "opened"),
            "length_km": _get(row, "length_km"),
            "speed": _get(row, "design_speed_kmh"),
            "schematic": row["geometry_precision"] == "schematic",
            "crosses": crosses,
            "about": _about(row, lang),
            "coords": [[round(y, 6), round(x, 6)] for x, y in shapely.get_coordinates(geom)],
            "source_ids": _get(row, "source_ids"),
        })  # fmt: skip
    return out


def _stops(view: MapView, lang: str) -> list[dict]:
    rows = []
    for row in _rows(view.corridor.stops):
        rec = _point(row, lang)
        rec.update(route_id=row["route_id"], seq=_get(row, "seq"), kind=row["kind"], kindLabel=_term(row["kind"], lang),
                   opened=_get(row, "opened"))  # fmt: skip
        rows.append(rec)
    return rows


def _enclaves(view: MapView, lang: str) -> list[dict]:
    c = view.corridor
    names = dict(zip(c.enterprises["id"], (_name(r, lang) for r in _rows(c.enterprises))))
    cities = {r["id"]: _name(r, lang) for r in _rows(c.cities)}
    homes = getattr(c, "enclave_homes", None)  # home cities outside the nine, named in enclave_homes.csv
    if homes is not None:
        cities = {r["id"]: _name(r, lang) for r in _rows(homes)} | cities
    out = []
    for row in _rows(c.enclaves):
        rec = _point(row, lang)
        rec.update(
            kind=row["kind"],
            kindLabel=_term(row["kind"], lang),
            hosts=[cities.get(h, h.replace("-", " ").title()) for h in _ids(row.get("host_city_ids"))],
            hostCities=_get(row, "host_cities_count"),
            opened=_get(row, "opened"),
            companies=_get(row, "companies_count"),
            tenants=[names.get(t, t) for t in _ids(row.get("tenant_ids"))],
            about=_about(row, lang),
        )
        out.append(rec)
    return out


def _places(view: MapView, lang: str) -> list[dict]:
    out = []
    for row in _rows(view.corridor.places):
        rec = _point(row, lang)
        rec.update(kind=row["kind"], kindLabel=_term(row["kind"], lang), opened=_get(row, "opened"),
                   about=_about(row, lang))  # fmt: skip
        out.append(rec)
    return out


def _sector_aliases() -> dict[str, str]:
    """Each known sector by its English and Chinese names (case-folded), for an own list's values."""
    return {name.casefold(): key for key in SECTOR_COLOURS for name in VOCAB.get(key, (key,))}


def _layer_colours(layer: PointLayer) -> dict:
    top = layer.sectors[:TOP_SECTORS]
    colours = sector_colours(top, _sector_aliases())
    for s in layer.sectors[TOP_SECTORS:]:
        colours[s] = SECTOR_COLOURS["other"]
    return colours


def _coded(series: pd.Series, categories: list) -> Numbers:
    codes = pd.Categorical(series, categories=categories).codes.astype(np.int32)
    return Numbers(codes, "int32")


def _text_or_codes(series: pd.Series) -> dict:
    """A text column: distinct values and codes when values repeat, else every value."""
    n = len(series)
    if series.isna().all():
        return {"values": [None], "codes": Numbers(np.zeros(n, np.int32), "int32")}
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if len(uniques) < max(2, n // 2):
        return {"values": [str(u) for u in uniques], "codes": Numbers(codes, "int32")}
    return {"text": text_column(series)}


_CATEGORY_MAX = 40  # an own list's other column with at most this many distinct values is offered as a filter


def _fields(layer: PointLayer, lang: str) -> list[dict]:
    """The popup's rows for a point of this layer, in order: key, label, how to show it."""
    cols = set(layer.frame.columns)
    rows = [("kind", "kind", "term"), ("sector", "sector", "term"), ("city", "city", "text"),
            ("address", "address", "text"), ("description", "description", "about"),
            ("website", "website", "url")]  # fmt: skip
    out: list[dict[str, Any]] = [
        {"key": k, "label": label(UI[lab], lang), "show": show} for k, lab, show in rows if k in cols
    ]
    for field in out:  # the description in the reader's language(s), as _about picks it
        if field["show"] == "about":
            field["texts"] = text_rule(lang, "description", "description_zh")
    out += [{"key": x, "label": x, "show": "text"} for x in layer.extra if x in cols]
    return out


def _layer(layer: PointLayer, view: MapView, lang: str, colours: dict) -> dict:
    f = layer.frame
    city_names = [_name(r, lang) for r in _rows(view.corridor.cities)]
    columns = {}
    for key in ("id", "name", "name_en", "name_zh", "city", "address", "description", "description_zh", "website",
                "note", "location_precision", "source_ids", "kind", *layer.extra):  # fmt: skip
        if key in f.columns and key not in columns:
            columns[key] = _text_or_codes(f[key])
    cats: list[dict[str, Any]] = [{"key": "sector", "label": label(UI["sector"], lang), "values": layer.sectors,
             "labels": [_term(s, lang) for s in layer.sectors], "codes": _coded(f["sector"], layer.sectors)
             if "sector" in f.columns else None},
            {"key": "city", "label": label(UI["city"], lang), "values": list(view.corridor.cities["id"]),
             "labels": city_names, "codes": Numbers(layer.city, "int32")}]  # fmt: skip
    cats = [c for c in cats if c["codes"] is not None]
    if "kind" in f.columns:
        kinds = sorted(f["kind"].dropna().unique().tolist(), key=str)
        cats.append({"key": "kind", "label": label(UI["kind"], lang), "values": kinds,
                     "labels": [_term(k, lang) for k in kinds], "codes": _coded(f["kind"], kinds)})  # fmt: skip
    for x in layer.extra:
        distinct = f[x].dropna().unique()
        if 1 < len(distinct) <= _CATEGORY_MAX:
            values = sorted(distinct.tolist(), key=str)
            cats.append({"key": x, "label": x, "values": values, "labels": values, "codes": _coded(f[x], values)})
    return {
        "key": layer.key,
        "name": label(layer.name, lang),
        "curated": layer.curated,
        "n": layer.n,
        "x": Numbers(np.round(f["lon"].to_numpy(float) * 1e6), "int32"),
        "y": Numbers(np.round(f["lat"].to_numpy(float) * 1e6), "int32"),
        "cell": Numbers(layer.cells, "float64"),
        "columns": columns,
        "names": text_rule(lang, "name_en", "name_zh"),  # a point's name, as _name makes it
        "fields": _fields(layer, lang),
        "cats": cats,
        "sectors": [
            {"value": s, "label": _term(s, lang), "colour": colours[s], "other": i >= TOP_SECTORS}
            for i, s in enumerate(layer.sectors)
        ],
        "source": layer.source,
        **area_payload(layer, view, _rows(view.corridor.cities), lambda r, lg: _name(dict(r), lg), lang),
        "notPlaced": layer.not_placed,
    }


# Chinese counts money in 亿 (10^8): a figure stored in billions or millions of yuan is shown in 亿元.
YUAN_ZH = {"billion yuan": 10.0, "million yuan": 0.01}


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _fact_text(row: dict, lang: str) -> str:
    number, unit_en = _get(row, "value"), _get(row, "unit")
    qualifier = _get(row, "qualifier")

    def one(zh: bool) -> str:
        q = (VOCAB[qualifier][1] if zh else VOCAB[qualifier][0]) if qualifier in VOCAB else (qualifier or "")
        if not zh:
            return f"{q} {_number(number)} {unit_en}".strip()
        if unit_en in YUAN_ZH:
            return f"{q}{_number(_clean(round(number * YUAN_ZH[unit_en], 6)))} 亿元"
        unit = _get(row, "unit_zh") or unit_en
        return f"{q}{_number(number)}{'' if unit == '%' else ' '}{unit}".strip()  # "约 11.1%"

    if lang != "both":
        return one(lang == "zh")
    en, zh = one(False), one(True)
    return en if en.replace(" ", "") == zh.replace(" ", "") else f"{en} · {zh}"  # "3 %", not "3 % · 3%"


def _facts(view: MapView, lang: str) -> list[dict]:
    out = []
    for row in _rows(view.corridor.facts):
        out.append({"id": row["id"], "label": _name({"name_en": row["label_en"], "name_zh": row.get("label_zh")}, lang),
                    "value": _get(row, "value"), "unit": _get(row, "unit"), "text": _fact_text(row, lang),
                    "period": _get(row, "period"), "note": _get(row, "note"),
                    "source_ids": _get(row, "source_ids")})  # fmt: skip
    return out


def _measure_label(m: Any, names: dict, lang: str) -> str:
    """A measure's name ("Enterprises: share of new energy"), composed in each language and then
    joined for ``"both"``, so the bilingual name is "English · 中文", not each part doubled."""
    if lang == "both":
        return label((_measure_label(m, names, "en"), _measure_label(m, names, "zh")), "both")
    key = {"count": "measureCount", "density": "measureDensity", "share": "measureShare"}[m.kind]
    sector = (_term(m.sector, lang) or "") if m.sector else ""
    text = label(UI[key], lang).replace("{list}", label(names[m.layer], lang)).replace("{sector}", sector)
    return text if m.level == "city" else label(UI["measureByDistrict"], lang).replace("{measure}", text)


def _measures(view: MapView, lang: str) -> list[dict]:
    names = {layer.key: layer.name for layer in view.layers}
    out = []
    for m in view.measures:
        k = len(m.bins)
        places = max((decimals(v) for v in m.values), default=0) if m.kind != "count" else 0
        # Each class shown as the range of the values in it (lowest to its upper break): classes
        # that read "0-1" and "1-3" would both seem to hold a 1.
        lows = [float(m.values[m.classes == c].min()) if (m.classes == c).any() else float(b)
                for c, b in enumerate(m.bins)]  # fmt: skip
        out.append({
            "id": m.id, "layer": m.layer, "kind": m.kind, "sector": m.sector,
            "label": _measure_label(m, names, lang),
            "values": [round(float(v), 4) for v in m.values],
            "bins": [round(float(b), 4) for b in m.bins],
            "lows": [round(v, 4) for v in lows],
            "classes": [int(c) for c in m.classes],
            "colours": sequential(CHOROPLETH_SCHEME, k),
            "decimals": places,
            "unit": {"count": "", "density": "", "share": "%"}[m.kind],
            "level": m.level,
        })  # fmt: skip
    return out


def _charts(view: MapView, lang: str) -> list[dict]:
    facts = {f["id"]: f for f in _facts(view, lang)}
    titles = {"rd-intensity": UI["chartRd"], "national-shares": UI["chartShares"]}
    out = []
    for chart in view.charts:
        items = [{"label": facts[f]["label"], "value": facts[f]["value"], "text": facts[f]["text"],
                  "period": facts[f]["period"]} for f in chart.facts]  # fmt: skip
        ids = sorted({s for f in chart.facts for s in _ids(facts[f]["source_ids"])})
        out.append({"id": chart.id, "kind": chart.kind, "title": label(titles[chart.id], lang), "items": items,
                    "source_ids": ";".join(ids)})  # fmt: skip
    return out


def _milestones(view: MapView, lang: str) -> list[dict]:
    frame = getattr(view.corridor, "milestones", None)
    if frame is None:
        return []
    out = []
    for row in _rows(frame.sort_values("date", kind="stable")):
        out.append({"id": row["id"], "date": str(row["date"]), "kind": row["kind"],
                    "kindLabel": _term(row["kind"], lang),
                    "name": _name(row, lang), "about": _about(row, lang), "city_ids": _ids(row.get("city_ids")),
                    "route_ids": _ids(row.get("route_ids")), "source_ids": _get(row, "source_ids")})  # fmt: skip
    return out


def _latlon(coords: Any) -> list:
    return [[round(float(y), 6), round(float(x), 6)] for x, y in coords]


def _flows(view: MapView, lang: str) -> dict:
    """The enclaves' flows (lines home -> host) and the homes outside the nine cities they start from."""
    if view.flows is None or not len(view.flows):
        return {"lines": [], "homes": []}
    homes = {r["id"]: r for r in _rows(view.homes)}
    enclaves = {r["id"]: _name(r, lang) for r in _rows(view.corridor.enclaves)}
    lines = []
    for row, geom in zip(_rows(view.flows), view.flows.geometry):
        home = homes[row["home_id"]]
        eid = row["enclave_id"]
        lines.append({"id": row["id"], "enclave": "enclave:" + eid, "enclaveName": enclaves[eid],
                      "home": row["home_id"], "homeName": _name(home, lang), "companies": _get(row, "companies_count"),
                      "coords": _latlon(shapely.get_coordinates(geom))})  # fmt: skip
    used = {line["home"] for line in lines}
    outside = [{"id": h["id"], "name": _name(h, lang), "lat": float(h["lat"]), "lon": float(h["lon"]),
                "precision": _get(h, "location_precision") or "", "source_ids": _get(h, "source_ids")}
               for h in homes.values() if h["kind"] == "home" and h["id"] in used]  # fmt: skip
    return {"lines": lines, "homes": outside}


def _tour(view: MapView, lang: str) -> list[dict]:
    """The tour's steps for the page: text in ``lang``, overlay keys, the view's bounds, highlights, charts."""
    list_keys = {f"list:{layer.name[0]}": layer.key for layer in view.layers if not layer.curated}
    charts = {c.id: set(c.facts) for c in view.charts}
    out = []
    for step in view.tour:
        in_chart = {f for cid, facts in charts.items() if facts <= set(step.facts) for f in facts}
        x0, y0, x1, y1 = step.bounds or view.corridor.cities.total_bounds
        out.append({
            "order": step.order, "title": label(step.title, lang),
            "text": _about({"description": step.text[0], "description_zh": step.text[1]}, lang),
            "layers": [list_keys.get(k, k) for k in step.layers], "date": step.date,
            "charts": [cid for cid, facts in charts.items() if facts <= set(step.facts)],
            "facts": [f for f in step.facts if f not in in_chart],
            "bounds": [[round(float(y0), 6), round(float(x0), 6)], [round(float(y1), 6), round(float(x1), 6)]],
            "points": [[lat, lon] for lon, lat in step.points], "lines": [_latlon(line) for line in step.lines],
            "cities": step.cities, "features": step.features, "source_ids": step.source_ids,
        })  # fmt: skip
    return out


def page_data(view: MapView, lang: str) -> dict:
    """The page's data for ``view`` in ``lang`` (see :class:`corridormap.render.payload.Payload`)."""
    c = view.corridor
    x0, y0, x1, y1 = c.cities.total_bounds
    sources = {r["id"]: {k: _get(r, k) for k in ("title", "publisher", "date", "url")} for r in _rows(c.sources)}
    for layer in view.layers:
        if layer.source and layer.source.get("id"):
            sources[layer.source["id"]] = {k: layer.source.get(k) for k in ("title", "publisher", "date", "url")}
    labels = resolve(lang)
    colours = {layer.key: _layer_colours(layer) for layer in view.layers}  # each layer's, once
    return {
        "lang": lang,
        "htmlLang": html_lang(lang),
        **labels,
        "overlayNames": {k: label(v, lang) for k, v in OVERLAYS.items()},
        "colours": REFERENCE,
        "densityColours": sequential(DENSITY_SCHEME, 6),
        "bounds": [[float(y0), float(x0)], [float(y1), float(x1)]],
        "provinces": _province_lines(c.provinces, c.cities),
        "cities": _cities(view, lang, colours),
        "seats": [dict(_point(r, lang), kind=_term(r["seat_kind"], lang)) for r in _rows(c.seats)],
        "routes": _routes(view, lang),
        "stops": _stops(view, lang),
        "enclaves": _enclaves(view, lang),
        "places": _places(view, lang),
        "layers": [_layer(layer, view, lang, colours[layer.key]) for layer in view.layers],
        "facts": _facts(view, lang),
        "charts": _charts(view, lang),
        "measures": _measures(view, lang),
        **division_payload(view, lang, lambda r: _name(r, lang), _term, colours),
        "milestones": _milestones(view, lang),
        "flows": _flows(view, lang),
        "tour": _tour(view, lang),
        "time": {"start": view.timeline.start, "end": view.timeline.end},
        "sources": sources,
        "about": {
            "source": MAIN_SOURCE if MAIN_SOURCE in sources else None,
            "boundaries": sorted({s for v in c.cities["source_ids"] for s in _ids(v)}),
        },
    }
