"""The reader's details: city names clear of other cities, stack tooltips that fit, one symbol per
station, a click beside a seat, notes on a Chinese page.

Real input only (mouse, touch) at positions computed from the features' own geometry; the page is
asked only where things are drawn. At 1400x900 and 390x844.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely

import corridormap

from .pointer import DESKTOP, PHONE, aim, open_feature, open_map, popup_text, press, reset, settle, xy, xys

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def maps(map_file):
    return {lang: map_file(lang) for lang in ("both", "en", "zh")}


def _lonlat(page, x, y):
    return page.evaluate(
        """([x, y]) => { const r = document.querySelector('.folium-map').getBoundingClientRect();
             const ll = window.corridormap.map.containerPointToLatLng([x - r.left, y - r.top]);
             return [ll.lng, ll.lat]; }""",
        [x, y],
    )


def _labels(page):
    """Each city label as drawn: its title, its text's box, and its leader's end points (or None)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.cm-city-label')).map((e) => {
             const t = e.querySelector('.cm-label-text').getBoundingClientRect();
             const l = e.querySelector('.cm-label-leader'), shown = l && getComputedStyle(l).display !== 'none';
             const icon = e.getBoundingClientRect(), s = shown ? getComputedStyle(l) : null;
             // the leader starts at its own left/top inside the icon (transform-origin 0 0)
             const leader = shown ? [icon.left + parseFloat(s.left), icon.top + parseFloat(s.top)] : null;
             return { title: e.getAttribute('title'), box: [t.left, t.top, t.right, t.bottom], leader }; })"""
    )


@pytest.mark.parametrize(
    "lang,size",
    [("both", PHONE), ("en", PHONE), ("zh", PHONE), ("both", DESKTOP)],
    ids=["both-phone", "en-phone", "zh-phone", "both-desktop"],
)
def test_city_names_lie_over_no_other_city_nor_name(browser, maps, corridor, lang, size):
    """At the opening view every city is named, each name clear of every other name (not even
    touching: two names that touch read as one) and at most a sliver of it over another city (a
    name is read as naming the area it lies in; on a phone Songjiang's lay over Suzhou). A name set
    apart from its seat (a city too small for it) is tied to its seat by a leader line."""
    page = open_map(browser, maps[lang], size)
    labels = _labels(page)
    assert len(labels) == 9
    by_name = corridor.cities.set_index(f"name_{'en' if lang == 'both' else lang}")
    seats = corridor.seats.set_index("city_id")
    over = {}
    for lab in labels:
        city_id = by_name.loc[lab["title"].split(" · ")[0], "id"]
        x0, y0, x1, y1 = lab["box"]
        box = shapely.Polygon([_lonlat(page, x, y) for x, y in [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]])
        others = corridor.cities[corridor.cities["id"] != city_id].geometry
        share = float(shapely.area(shapely.intersection(others.to_numpy(), box)).sum() / box.area)
        if share > 0.2:
            over[lab["title"]] = round(share, 2)
        if lab["leader"]:
            seat = seats.loc[city_id]
            assert np.hypot(*(np.array(lab["leader"]) - xy(page, seat["lat"], seat["lon"]))) <= 2, lab
    assert over == {}
    boxes = [lab["box"] for lab in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            gap = max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])
            assert gap >= 2, (labels[i]["title"], a, b)
    page.context.close()


@pytest.fixture(scope="module")
def desktop(browser, maps):
    page = open_map(browser, maps["both"], DESKTOP)
    yield page
    assert page.errors == []
    page.context.close()


def _hover_stack(page, lat, lon):
    """Move the mouse onto the stack drawn over (lat, lon); its tooltip's box and overflow."""
    x, y = aim(page, *xy(page, lat, lon), "")
    page.mouse.move(x, y)
    # The newest: a tooltip just closed fades out for 200 ms (Leaflet's fade) before it leaves the page.
    tip = page.locator(".leaflet-tooltip.cm-tip-list").last
    tip.wait_for()
    settle(page)
    return (
        tip.bounding_box(),
        tip.evaluate(
            "t => [...t.querySelectorAll('li, strong')].map((e) => e.scrollWidth - e.clientWidth).filter((d) => d > 0)"
        ),
        tip,
    )


@pytest.mark.parametrize("city", ["songjiang", "huzhou"])
def test_a_stack_tooltip_fits_its_box_and_the_screen_beside_the_panel(desktop, corridor, city):
    reset(desktop)
    seat = corridor.seats.set_index("city_id").loc[city]
    box, overflow, tip = _hover_stack(desktop, seat["lat"], seat["lon"])
    assert overflow == []  # wrapped: no line runs out of the box (they did, cut at its edge)
    for li in tip.locator("li").all():
        r = li.bounding_box()
        assert r["x"] + r["width"] <= box["x"] + box["width"]
    side = desktop.locator(".cm-side").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"]
    assert box["x"] + box["width"] <= side["x"], (box, side)  # not under the side panel
    desktop.mouse.move(5, DESKTOP["height"] - 5)


def _shared_stations(corridor):
    """Stations that are a stop of more than one route (one row per route in stops.csv)."""
    st = corridor.stops[corridor.stops["kind"] == "station"]
    groups = st.groupby(["name_en", "lat", "lon"])["route_id"].nunique()
    return groups[groups > 1].reset_index()


def test_a_station_of_two_routes_is_one_symbol_naming_both(desktop, corridor):
    shared = _shared_stations(corridor)
    assert len(shared)  # Huzhou: a stop of both railways
    routes = corridor.routes.set_index("id")
    for _, s in shared.iterrows():
        reset(desktop)
        _, _, tip = _hover_stack(desktop, s["lat"], s["lon"])
        items = tip.locator("li").all_inner_texts()
        assert sum(t.startswith(s["name_en"] + " ·") and "Station" in t for t in items) == 1, items
        desktop.mouse.move(5, DESKTOP["height"] - 5)
        station = corridor.stops[(corridor.stops["name_en"] == s["name_en"]) & (corridor.stops["lat"] == s["lat"])]
        text = open_feature(desktop, s["lat"], s["lon"], f"{s['name_en']} · {station.iloc[0]['name_zh']}")
        rows = corridor.stops[(corridor.stops["name_en"] == s["name_en"]) & (corridor.stops["kind"] == "station")]
        for rid in rows["route_id"]:
            assert routes.loc[rid, "name_en"] in text, text


def _city_around(page, corridor, x, y, margin=4):
    """The city drawn at (x, y) and ``margin`` pixels around it (None near a border, where the
    drawn outlines, simplified to a pixel, may differ from the data's)."""
    at = [
        shapely.Point(*_lonlat(page, x + dx, y + dy))
        for dx, dy in [(0, 0), (-margin, 0), (margin, 0), (0, -margin), (0, margin)]
    ]
    ids = {c for p in at for c in corridor.cities.loc[corridor.cities.contains(p), "id"]}
    inside = all(corridor.cities.contains(p).any() for p in at)
    return ids.pop() if inside and len(ids) == 1 else None


def _along(points, start, distance):
    """The point ``distance`` pixels along a polyline of screen points, from its ``start`` end."""
    pts = points if start == 0 else points[::-1]
    left = distance
    for a, b in itertools.pairwise(pts):
        step = float(np.hypot(*(b - a)))
        if step >= left:
            return a + (b - a) * (left / step)
        left -= step
    return pts[-1]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_click_beside_a_seat_opens_the_city_not_an_enclave(browser, maps, corridor, size):
    """Every flow from one of the nine cities starts at its seat: a press just beside the seat's
    symbol (clear of every symbol) opens what is drawn there under the flow, the city or a route
    through the seat (or another city's flow passing by), not one of this city's enclaves (the
    flows' lines took every press there)."""
    page = open_map(browser, maps["en"], size)
    flows = corridormap.enclave_flows(corridor)
    cities = corridor.cities.set_index("id")
    seats = corridor.seats.set_index("city_id")
    enclaves = corridor.enclaves.set_index("id")
    readable = {*corridor.cities["name_en"], *corridor.routes["name_en"], *corridor.enclaves["name_en"]}
    tried = 0
    for _, flow in flows[flows["home_id"].isin(cities.index)].iterrows():
        reset(page)
        seat = seats.loc[flow["home_id"]]
        pts = xys(page, [(lat, lon) for lon, lat in shapely.get_coordinates(flow.geometry)])
        if np.hypot(*(pts[0] - xy(page, seat["lat"], seat["lon"]))) > 1:
            pts = pts[::-1]  # the line's home end first
        for d in range(9, 16):  # the first point along the line that no symbol covers, well inside a city
            x, y = (float(v) for v in _along(pts, 0, d))
            free = page.evaluate(
                "([x, y]) => { const e = document.elementFromPoint(x, y);"
                " return !!e && !e.closest('.leaflet-marker-icon, .leaflet-control, .leaflet-tooltip'); }",
                [x, y],
            )
            if free and _city_around(page, corridor, x, y):
                break
        else:
            continue
        tried += 1
        press(page, x, y)
        title = (popup_text(page) or "").split("\n")[0]
        own = set(enclaves.loc[flows.loc[flows["home_id"] == flow["home_id"], "enclave_id"], "name_en"])
        assert title not in own, (flow["enclave_id"], title)
        assert title in readable, (flow["enclave_id"], title)  # the city, a route or another city's flow there
    assert tried >= 3  # a seat whose symbols cover its flows' starts is not tried
    assert page.errors == []
    page.context.close()


def test_english_notes_on_a_chinese_page_say_so(browser, maps, corridor):
    """The curated notes are written in English: on a Chinese page their disclosure says so and
    they are marked as English; the rest of the popup is Chinese."""
    page = open_map(browser, maps["zh"], DESKTOP)
    stop = corridor.stops[corridor.stops["note"].notna() & (corridor.stops["kind"] == "station")].iloc[0]
    open_feature(page, stop["lat"], stop["lon"], stop["name_zh"])
    popup = page.locator(".leaflet-popup-content").last
    summary = popup.locator(".cm-notes > summary")
    assert summary.inner_text() == "数据备注（英文）"
    summary.click()
    assert popup.locator(".cm-notes p").first.get_attribute("lang") == "en"
    heads = popup.locator(".cm-table th").all_inner_texts()
    assert heads and all(not any(c.isascii() and c.isalpha() for c in h) for h in heads), heads
    assert page.errors == []
    page.context.close()


def _drag(page, dx: float) -> None:
    """A mouse drag of the map by dx px across, started on the map (an area, a line or nothing: no
    symbol, label or panel under the button), held still before release (no inertia carries the map
    on)."""
    size = page.viewport_size
    for fx, fy in itertools.product((0.45, 0.35, 0.55, 0.25), (0.8, 0.7, 0.9)):
        x, y = size["width"] * fx, size["height"] * fy
        bare = page.evaluate(
            """([x, y]) => { const e = document.elementFromPoint(x, y);  // the map itself, an area or a line
                 return !!e && (e.classList.contains('folium-map') ||
                                (!!e.closest('.leaflet-map-pane') && !e.closest('.leaflet-marker-icon'))); }""",
            [x, y],
        )
        if bare:
            break
    else:
        raise AssertionError("no bare map to start a drag on")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=10)
    page.wait_for_timeout(300)
    page.mouse.up()
    settle(page)


def test_a_short_pan_leaves_a_city_name_where_it_stands(browser, maps, corridor):
    """Dragged by the mouse until Jiaxing's seat is 30 px from the free view's right edge, its name
    finds no room on the seat's right and stands elsewhere; dragged 200 px back, the name stays
    where it stands (wholly in view: names do not jump about under a pan), still apart from the
    other names."""
    page = open_map(browser, maps["both"], DESKTOP, "#map=9/30.75000/120.76000")
    seat = corridor.seats.set_index("city_id").loc["jiaxing"]
    right = page.evaluate(
        """() => document.querySelector('.folium-map').getBoundingClientRect().right
                 - L.Popup.prototype.options.autoPanPaddingBottomRight.x"""
    )

    def offset():  # the name's box from its seat, and every name's box
        x, y = xy(page, seat["lat"], seat["lon"])
        labels = _labels(page)
        box = next(lab["box"] for lab in labels if lab["title"].startswith("Jiaxing"))
        return np.round(np.array(box) - [x, y, x, y]), [lab["box"] for lab in labels]

    _drag(page, right - 30 - xy(page, seat["lat"], seat["lon"])[0])
    near_edge, _ = offset()
    assert not (near_edge[0] > 0 and abs(near_edge[1] + near_edge[3]) < 20), near_edge  # not beside it on the right
    _drag(page, -200)
    back, boxes = offset()
    assert np.abs(back - near_edge).max() <= 1, (near_edge, back)
    for a, b in itertools.combinations(boxes, 2):
        assert max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3]) >= 2, (a, b)
    assert page.errors == []
    page.context.close()
