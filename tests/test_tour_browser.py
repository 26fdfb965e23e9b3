"""The guided tour and the enclave flows in a reader's hands: the Tour button, Next, the arrow keys,
a swipe on a phone, a shared link to a step, Escape; a flow clicked at its midpoint.

Real input only (mouse, keyboard, touch at screen positions); each step's features are located
from the exported geometry (``corridormap export``) and must be drawn inside the map's view.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import corridormap
from corridormap.tour import feature_refs

from .pointer import DESKTOP, PHONE, open_map, press, reset, settle, tap, until, wheel, xy, xys

pytestmark = pytest.mark.browser

FILES = {"city": "cities", "enterprise": "enterprises", "enclave": "enclaves", "place": "places", "flow": "flows"}


@pytest.fixture(scope="module")
def built(tmp_path_factory, corridor, map_file):
    out = tmp_path_factory.mktemp("tour")
    path = map_file("both")
    exported = {p.stem: p for p in corridormap.export_corridor(corridor, out / "export")}
    layers = {k: gpd.read_file(exported[v]) for k, v in FILES.items()}
    return path, layers, out  # out: where screenshots go


@pytest.fixture(scope="module")
def desktop(browser, built):
    page = open_map(browser, built[0], DESKTOP)
    yield page
    assert page.errors == []
    page.context.close()


def _steps(corridor) -> list[dict]:
    return corridor.tour.sort_values("order").to_dict("records")


def _points(layers, step) -> list[tuple[float, float]]:
    """(lat, lon) of every vertex of every feature the step names, from the exported files."""
    out = []
    for kind, ref in feature_refs(step["feature_ids"]):
        frame = layers[kind]
        key = "enclave_id" if kind == "flow" else "id"
        rows = frame if ref == "*" else frame[frame[key] == ref]
        if kind == "city":  # a polygon: its extent
            x0, y0, x1, y1 = rows.total_bounds
            out += [(y0, x0), (y1, x1)]
        else:
            out += [(y, x) for x, y in shapely.get_coordinates(rows.geometry.to_numpy())]
    return out


def _check_step(page, layers, step, n) -> None:
    settle(page)
    title = page.locator(".cm-tour-title").inner_text()
    assert title == f"{step['title_en']} · {step['title_zh']}"
    assert page.locator(".cm-tour-progress").inner_text() == f"{step['order']} / {n}"
    box = page.locator(".folium-map").bounding_box()
    pts = xys(page, _points(layers, step))
    inside = (pts[:, 0] >= box["x"] - 1) & (pts[:, 0] <= box["x"] + box["width"] + 1)
    inside &= (pts[:, 1] >= box["y"] - 1) & (pts[:, 1] <= box["y"] + box["height"] + 1)
    assert inside.all(), (step["order"], pts[~inside].tolist())
    links = page.locator(".cm-tour .cm-sources a").all_inner_texts()
    assert links, step["order"]
    cities = [ref for kind, ref in feature_refs(step["feature_ids"]) if kind == "city"]
    outlined = page.evaluate(
        """() => [...document.querySelectorAll('path.cm-tour-city')].map((p) => getComputedStyle(p).stroke)"""
    )  # the step's cities outlined in the tour's colour, no other
    assert len(outlined) == (len(layers["city"]) if "*" in cities else len(cities)), (step["order"], outlined)
    assert set(outlined) <= {"rgb(224, 138, 0)"}, outlined


def _next_in_view(page) -> tuple[float, float]:
    """The centre of the Next button, which must be inside the window, inside the card's visible
    part and the topmost thing there (not scrolled away within the card, not under the map)."""
    box = page.locator(".cm-tour-next").bounding_box()
    card = page.locator(".cm-tour").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    view = page.viewport_size
    assert box["y"] >= 0 and box["y"] + box["height"] <= view["height"], box
    assert card["y"] <= box["y"] and box["y"] + box["height"] <= card["y"] + card["height"], (box, card)
    hit = "([x, y]) => !!document.elementFromPoint(x, y).closest('.cm-tour-next')"
    assert page.evaluate(hit, [x, y]), (x, y)
    progress = page.locator(".cm-tour-progress").bounding_box()
    assert card["y"] <= progress["y"] and progress["y"] + progress["height"] <= card["y"] + card["height"]
    return x, y


def test_tour_steps_by_button_and_arrow_key_fit_their_features_and_name_sources(desktop, built, corridor):
    layers, steps = built[1], _steps(corridor)
    reset(desktop)
    desktop.locator(".cm-tour-open").click()
    _check_step(desktop, layers, steps[0], len(steps))
    for i, step in enumerate(steps[1:], start=1):
        if i % 2:
            press(desktop, *_next_in_view(desktop))
        else:
            _next_in_view(desktop)
            desktop.keyboard.press("ArrowRight")
        _check_step(desktop, layers, step, len(steps))
        assert f"tour={i + 1}" in desktop.evaluate("location.hash") or desktop.wait_for_function(
            f"location.hash.indexOf('tour={i + 1}') >= 0"
        )
    assert desktop.locator(".cm-tour-next").is_disabled()
    _next_in_view(desktop)
    looks = "(s) => { const c = getComputedStyle(document.querySelector(s)); return [c.opacity, c.color]; }"
    assert desktop.evaluate(looks, ".cm-tour-next") != desktop.evaluate(looks, ".cm-tour-prev")
    desktop.keyboard.press("ArrowLeft")
    _check_step(desktop, layers, steps[-2], len(steps))


def test_escape_leaves_the_tour_and_keeps_the_view(desktop, built, corridor):
    if not desktop.locator(".cm-tour-on").count():
        desktop.locator(".cm-tour-open").click()
    desktop.keyboard.press("ArrowRight")
    settle(desktop)
    before = desktop.evaluate("[window.corridormap.map.getCenter().lat, window.corridormap.map.getZoom()]")
    desktop.keyboard.press("Escape")
    desktop.wait_for_function("!document.querySelector('.cm-tour-on')")
    settle(desktop)
    assert desktop.evaluate("[window.corridormap.map.getCenter().lat, window.corridormap.map.getZoom()]") == before
    desktop.wait_for_function("location.hash.indexOf('tour=') < 0")
    assert desktop.evaluate("document.activeElement.classList.contains('cm-tour-open')")
    assert not desktop.evaluate("document.querySelector('.folium-map').classList.contains('cm-touring')")


def test_a_shared_link_opens_its_step(browser, built, corridor):
    steps = _steps(corridor)
    page = open_map(browser, built[0], DESKTOP, hash_="#tour=4")
    _check_step(page, built[1], steps[3], len(steps))
    assert page.errors == []
    page.context.close()


def _axe(page) -> list:
    from .conftest import ROOT

    page.add_script_tag(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"]) for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_keyboard_alone_runs_the_tour_and_axe_finds_nothing_serious(browser, built, corridor):
    steps = _steps(corridor)
    page = open_map(browser, built[0], DESKTOP)
    for _ in range(40):  # Tab to the Tour button, Enter opens it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cm-tour-open')"):
            break
    page.keyboard.press("Enter")
    _check_step(page, built[1], steps[0], len(steps))
    assert page.evaluate("!!document.activeElement.closest('.cm-tour')")  # the focus went into the card
    page.keyboard.press("Enter")  # on Next
    _check_step(page, built[1], steps[1], len(steps))
    assert _axe(page) == []
    page.context.close()


def _swipe(page, x0, y0, x1, y1) -> None:
    """A finger's swipe: touch events at screen positions, through the browser's input."""
    cdp = page.context.new_cdp_session(page)
    steps = 6
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for k in range(1, steps + 1):
        x, y = x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_phone_tour_is_a_bottom_sheet_stepped_by_swipe(browser, built, corridor):
    steps = _steps(corridor)
    page = open_map(browser, built[0], PHONE)
    page.locator(".cm-tour-open").tap()
    _check_step(page, built[1], steps[0], len(steps))
    card = page.locator(".cm-tour").bounding_box()
    assert card["y"] > PHONE["height"] * 0.4 and card["width"] == PHONE["width"]  # a bottom sheet, map above it
    for sel in (".cm-toolbar", ".leaflet-control-zoom", ".cm-titlecard"):  # clear of the controls
        r = page.locator(sel).first.bounding_box()
        overlap = min(r["y"] + r["height"], card["y"] + card["height"]) - max(r["y"], card["y"])
        assert overlap <= 0.5, (sel, r, card)
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.cm-tour-body p')).fontSize)")
    assert font >= 14
    title = page.locator(".cm-tour-title").bounding_box()
    y = title["y"] + title["height"] / 2
    _swipe(page, PHONE["width"] * 0.8, y, PHONE["width"] * 0.2, y + 4)  # to the left: the next step
    _check_step(page, built[1], steps[1], len(steps))
    _swipe(page, PHONE["width"] * 0.2, y, PHONE["width"] * 0.8, y)  # back
    _check_step(page, built[1], steps[0], len(steps))
    assert _axe(page) == []
    assert page.errors == []
    page.context.close()


_FLOW_TIP = """(name) => { const t = [...document.querySelectorAll('.leaflet-tooltip:not(.cm-home-label)')].pop();
                              return !!t && t.innerText.includes(name) && t.innerText.includes(' → '); }"""


def _flow_point(page, line, name):
    """The flow's midpoint on screen, else the nearest point along it where the pointer finds this
    flow (its tooltip names the enclave): another line may cross it there."""
    for f in [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75]:
        at = line.interpolate(f, normalized=True)
        x, y = xy(page, at.y, at.x)
        page.mouse.move(x, y)
        until(page, _FLOW_TIP, name, timeout=3_000)  # this flow's tooltip, or time out: covered here
        tips = page.locator(".leaflet-tooltip:not(.cm-home-label)")
        if tips.count() and name in tips.last.inner_text() and " → " in tips.last.inner_text():
            return x, y
    raise AssertionError("the flow is covered all along")


def test_a_flow_clicked_at_its_midpoint_opens_its_enclave(desktop, built, corridor):
    flows = built[1]["flow"]
    names = corridor.enclaves.set_index("id")
    for _, flow in flows.iterrows():
        if desktop.locator(".cm-tour-on").count():
            desktop.keyboard.press("Escape")
        reset(desktop)
        enclave = names.loc[flow["enclave_id"]]
        x, y = _flow_point(desktop, flow.geometry, enclave["name_en"])
        press(desktop, x, y)
        text = desktop.locator(".leaflet-popup-content").last.inner_text()
        assert text.startswith(enclave["name_en"]), text[:80]
        assert pd.notna(flow["home_id"])


def _latlng_at(page, x, y):
    """The (lat, lon) drawn at page pixel (x, y) (read from the map, which it does not move)."""
    return page.evaluate(
        """([x, y]) => { const r = document.querySelector('.folium-map').getBoundingClientRect();
                        const ll = window.corridormap.map.containerPointToLatLng([x - r.left, y - r.top]);
                        return [ll.lat, ll.lng]; }""",
        [x, y],
    )


def test_a_flow_click_opens_the_popup_at_the_line_and_leaves_the_stack_closed(desktop, built, corridor):
    """Into Songjiang's many-member stack: the popup's tip is where the line was clicked, no ring."""
    flows = built[1]["flow"]
    names = corridor.enclaves.set_index("id")
    into = flows[flows["city_id"] == "songjiang"]
    assert len(into) >= 3
    for _, flow in into.head(3).iterrows():
        reset(desktop)
        x, y = _flow_point(desktop, flow.geometry, names.loc[flow["enclave_id"], "name_en"])
        lat, lon = _latlng_at(desktop, x, y)
        press(desktop, x, y)  # settles after the popup's own pan to fit it on screen
        tip = desktop.locator(".leaflet-popup-tip-container").last.bounding_box()
        now = xy(desktop, lat, lon)  # the clicked point of the line, wherever the pan left it
        assert abs(tip["x"] + tip["width"] / 2 - now[0]) <= 20 and abs(tip["y"] + tip["height"] - now[1]) <= 20
        assert desktop.locator(".cm-stack-open").count() == 0
        assert desktop.locator(".leaflet-cmSpider-pane > *").count() == 0


def _flow_ends(page):
    """Page pixels of the end of every drawn flow line, and its stroke width."""
    return page.evaluate(
        """() => [...document.querySelectorAll('path.cm-flow')].map((p) => {
                    const e = p.getPointAtLength(p.getTotalLength()), m = p.getScreenCTM();
                    return [m.a * e.x + m.c * e.y + m.e, m.b * e.x + m.d * e.y + m.f,
                            parseFloat(p.getAttribute('stroke-width'))]; })"""
    )


def test_flow_arrows_reach_the_enclave_symbol_when_zoomed_in(browser, built, corridor):
    """At a street zoom (the 200 m scale) the arrow's tip lies just outside the enclave's symbol."""
    flows = built[1]["flow"]
    enclaves = corridor.enclaves.set_index("id")
    page = open_map(browser, built[0], DESKTOP)
    f = flows.iloc[0]  # all the enclaves share Songjiang's reference point: one symbol, drawn there
    host = enclaves.loc[f["enclave_id"]]
    x, y = xy(page, host.geometry.y, host.geometry.x)
    page.mouse.move(x, y)
    for _ in range(12):  # the wheel zooms about the pointer: the enclave stays under it
        if page.evaluate("window.corridormap.map.getZoom()") >= 15:
            break
        wheel(page, x, y, -240)
    assert page.evaluate("window.corridormap.map.getZoom()") >= 14
    x, y = xy(page, host.geometry.y, host.geometry.x)
    box = page.evaluate(
        """([x, y]) => { const m = document.elementFromPoint(x, y).closest('.leaflet-marker-icon');
                        const r = m.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }""",
        [x, y],
    )
    near = 0
    for ex, ey, w in _flow_ends(page):  # the lines into this host end near it (300 px: 1.2 km at zoom 15)
        if np.hypot(x - ex, y - ey) > 300:
            continue
        near += 1
        tip = np.array([ex, ey]) + (np.array([x, y]) - [ex, ey]) / max(np.hypot(x - ex, y - ey), 1e-9) * 0.96 * w
        outside = np.hypot(max(box[0] - tip[0], 0, tip[0] - box[2]), max(box[1] - tip[1], 0, tip[1] - box[3]))
        assert outside <= 15, (tip, box)
    assert near
    page.screenshot(path=str(built[2] / "flow_end.png"))
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_home_names_lie_over_no_city_name_on_a_phone(browser, map_file, lang):
    """Chizhou's name covered Xuancheng's at 390x844 (zoomed in once, the homes' names shown): each
    home's label moves aside, or hides."""
    page = open_map(browser, map_file(lang), PHONE)
    seen = 0
    for _ in range(4):  # zoomed in by the + button, from where home names show (zoom 7) on
        tap(page, page.locator(".leaflet-control-zoom-in"))
        if page.evaluate("window.corridormap.map.getZoom()") < 7:
            continue
        homes, cities = page.evaluate(
            """() => { const box = (sel) => [...document.querySelectorAll(sel)].map((n) => n.getBoundingClientRect())
                          .filter((r) => r.width > 0).map((r) => [r.left, r.top, r.right, r.bottom]);
                       return [box('.cm-home-label'), box('.cm-city-label')]; }"""
        )
        seen += len(homes)
        for h in homes:  # wholly on screen (Chizhou's name was cut at the left edge in "both")
            assert h[0] >= -0.5 and h[1] >= -0.5 and h[2] <= PHONE["width"] + 0.5 and h[3] <= PHONE["height"] + 0.5, h
            for c in cities:
                assert not (h[0] < c[2] and c[0] < h[2] and h[1] < c[3] and c[1] < h[3]), (lang, h, c)
    assert seen  # some home was named
    assert page.errors == []
    page.context.close()


def test_an_off_screen_home_is_named_where_its_flow_leaves_the_view(desktop, built, corridor):
    """At the opening view Huaibei is above the top edge: its line is named where it leaves the view."""
    reset(desktop)
    flows = built[1]["flow"]
    flow = flows[flows["home_id"] == "huaibei"].iloc[0]
    pts = xys(desktop, [(y, x) for x, y in shapely.get_coordinates(flow.geometry)])
    view = desktop.locator(".folium-map").bounding_box()
    assert pts[0][1] < view["y"]  # the home itself is off the top of the map
    label = desktop.locator(".cm-home-edge").filter(has_text="Huaibei")
    assert label.count() == 1 and label.is_visible()
    assert "{" not in label.inner_text()  # each language's half filled in
    box = label.bounding_box()
    assert view["y"] <= box["y"] and box["y"] + box["height"] <= view["y"] + view["height"]
    centre = np.array([box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    near = np.hypot(*(pts - centre).T).min()  # beside the line, not somewhere else on the edge
    assert near <= box["width"] / 2 + 20, (near, box)
    _at_the_free_views_edge(desktop, box)
    desktop.screenshot(path=str(built[2] / "edge.png"))


def _free_view(page) -> list[float]:
    """The part of the map no panel covers, in page pixels [x0, y0, x1, y1] (as the page keeps it
    for its popups' pans)."""
    return page.evaluate(
        """() => { const r = document.querySelector('.folium-map').getBoundingClientRect();
                   const o = L.Popup.prototype.options, tl = o.autoPanPaddingTopLeft, br = o.autoPanPaddingBottomRight;
                   return [r.left + tl.x, r.top + tl.y, r.right - br.x, r.bottom - br.y]; }"""
    )


def _at_the_free_views_edge(page, box) -> None:
    """An edge sign lies wholly in the free view and against one of its edges, like a direction
    sign (it sat where the line's first vertex inside the view was, up to 60 px in)."""
    x0, y0, x1, y1 = _free_view(page)
    left, top, right, bottom = box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]
    assert x0 - 0.5 <= left and right <= x1 + 0.5 and y0 - 0.5 <= top and bottom <= y1 + 0.5, (box, [x0, y0, x1, y1])
    assert min(left - x0, top - y0, x1 - right, y1 - bottom) <= 16, (box, [x0, y0, x1, y1])


def test_edge_signs_stand_at_the_views_edge_on_a_phone(browser, built, corridor):
    """On a phone, zoomed in step by step over the corridor: every home named at the edge is named
    at the free view's edge and wholly inside it ('→ Huaibei' was cut at the left edge)."""
    page = open_map(browser, built[0], PHONE)
    seen = 0
    for _ in range(4):
        for box in _boxes(page, ".cm-home-edge"):  # shown, not fading out
            _at_the_free_views_edge(page, box)
            seen += 1
        tap(page, page.locator(".leaflet-control-zoom-in"))
    assert seen
    assert page.errors == []
    page.context.close()


def _boxes(page, selector) -> list[dict]:
    """The page boxes of the shown elements matching ``selector`` (not hidden, not fading out)."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
                  .filter((n) => n.offsetParent && getComputedStyle(n).opacity !== '0')
                  .map((n) => { const r = n.getBoundingClientRect();
                                return { x: r.left, y: r.top, width: r.width, height: r.height }; })""",
        selector,
    )


def test_every_tour_step_on_a_phone_keeps_the_names_whole(browser, built, corridor):
    """Stepped through by the Next button on a phone: at every step each home's name lies wholly on
    the map, above the sheet, and each edge sign stands at the free view's edge."""
    steps = _steps(corridor)
    page = open_map(browser, built[0], PHONE)
    page.locator(".cm-tour-open").tap()
    signs = 0
    for i, step in enumerate(steps):
        _check_step(page, built[1], step, len(steps))
        sheet = page.locator(".cm-tour").bounding_box()
        for box in _boxes(page, ".cm-home-label"):
            assert box["x"] >= -0.5 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (step["order"], box)
            assert box["y"] >= -0.5 and box["y"] + box["height"] <= sheet["y"] + 0.5, (step["order"], box)
        for box in _boxes(page, ".cm-home-edge"):
            _at_the_free_views_edge(page, box)
            signs += 1
        if i < len(steps) - 1:
            page.locator(".cm-tour-next").tap()
    assert signs  # some step's view leaves a home out
    assert page.errors == []
    page.context.close()


_SHOWN_BOXES = """(sel) => [...document.querySelectorAll(sel)]
    .filter((n) => n.offsetParent && n.style.opacity !== '0' && !n.classList.contains('cm-home-hidden'))
    .map((n) => { const r = n.getBoundingClientRect(); return [n.innerText, r.left, r.top, r.right, r.bottom]; })"""


def _meets(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("size", "hash_"), [(DESKTOP, "#map=8/30.75/121.2"), (PHONE, "#map=8/30.75/120.5")])
def test_edge_signs_name_homes_out_of_view_and_cover_no_label_or_symbol(browser, built, size, hash_):
    """Zoomed in over the corridor by the + button: a sign ("→ Huzhou") names only a home whose
    point (its flow's first vertex, from the export) is off the map or under a panel, and lies over
    no city name, home name or point symbol ("→ Huzhou" lay over "Songjiang District" on a phone;
    "→ Xuancheng" and "→ Chizhou" stood beside their own seat and name on a desktop)."""
    flows = built[1]["flow"]
    homes = {row.home_name_en: shapely.get_coordinates(row.geometry)[0] for row in flows.itertuples()}
    page = open_map(browser, built[0], size, hash_=hash_)
    map_box = page.locator(".folium-map").bounding_box()
    signs = 0
    for _ in range(4):
        panels = [b[1:] for b in page.evaluate(_SHOWN_BOXES, ".leaflet-control")]
        names = page.evaluate(_SHOWN_BOXES, ".cm-city-label, .cm-home-label")
        symbols = page.evaluate(_SHOWN_BOXES, ".cm-sym, .cm-stack, .cm-cluster")
        for text, *box in page.evaluate(_SHOWN_BOXES, ".cm-home-edge"):
            signs += 1
            home = next(name for name in homes if name in text)
            x, y = xy(page, homes[home][1], homes[home][0])
            on_map = (
                map_box["x"] <= x <= map_box["x"] + map_box["width"]
                and map_box["y"] <= y <= map_box["y"] + map_box["height"]
            )
            assert not on_map or any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in panels), (text, x, y)
            for other in names + symbols:
                assert not _meets(box, other[1:]), (text, box, other)
        zoom_in = page.locator(".leaflet-control-zoom-in")
        zoom_in.tap() if page.phone else zoom_in.click()
        settle(page)
    assert signs
    assert page.errors == []
    page.context.close()


@pytest.fixture(scope="module")
def listed(tmp_path_factory, corridor):
    """The map with a user's list of 2,000 firms: count symbols over every city at the overview."""
    import sys

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    from synth import as_user_list, synthetic_enterprises

    folder = tmp_path_factory.mktemp("listed")
    csv = folder / "firms.csv"
    as_user_list(synthetic_enterprises(2_000, seed=0, corridor=corridor), corridor).to_csv(csv, index=False)
    points = corridormap.read_points(csv, cities=corridor.cities)
    return corridormap.save_map(
        corridormap.build_map(corridor, lists=[points]), folder / "map.html", self_contained=True
    )


_LABELS_OVER_SYMBOLS = """() => {
    const syms = [...document.querySelectorAll('.cm-cluster, .cm-stack, .cm-sym')]
      .map((n) => n.getBoundingClientRect());
    return [...document.querySelectorAll('.cm-city-label .cm-label-text')].map((n) => {
      const t = n.getBoundingClientRect();
      return [n.parentNode.title, syms.filter((b) => b.left < t.right - 0.5 && t.left < b.right - 0.5 &&
                                                     b.top < t.bottom - 0.5 && t.top < b.bottom - 0.5).length]; });
}"""


def _to_tour_overview(page):
    """Open the tour by its button and go on to step 2 (the nine cities) by Next, as a reader does."""
    tour = page.locator(".cm-tour-open")
    tour.tap() if page.phone else tour.click()
    settle(page)
    press(page, *_next_in_view(page))
    page.wait_for_function("document.querySelector('.cm-tour-progress').innerText.startsWith('2 /')")
    settle(page)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_tour_overview_names_cities_clear_of_count_symbols(browser, listed, size):
    """Tour step 2 (the nine cities) with 2,000 firms listed: every city is named and the names lie
    over no count or point symbol (six lay over 23 symbols on a desktop, three over four on a
    phone; where every place within a leader's reach is covered, as Xuancheng's is on a desktop,
    one name may still touch one)."""
    page = open_map(browser, listed, size)
    _to_tour_overview(page)
    labels = page.evaluate(_LABELS_OVER_SYMBOLS)
    assert len(labels) == 9
    over = [(name, n) for name, n in labels if n]
    assert len(over) <= 1 and sum(n for _, n in over) <= 1, over
    assert page.errors == []
    page.context.close()


_LABEL_BOXES = """() => [...document.querySelectorAll('.cm-city-label .cm-label-text')].map((n) => {
    const t = n.getBoundingClientRect(); return [n.parentNode.title, t.left, t.top, t.right, t.bottom]; })"""


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_city_names_with_a_list_lie_apart(browser, listed, size):
    """With 2,000 firms listed, at the opening view and at the tour's overview, every city is named
    and no name lies over or touches another, however many symbols that leaves under one (on a
    phone Songjiang's name lay under Hangzhou's: four symbols outweighed one name)."""
    page = open_map(browser, listed, size)
    for step in ("opening", "tour"):
        if step == "tour":
            _to_tour_overview(page)
        boxes = page.evaluate(_LABEL_BOXES)
        assert len(boxes) == 9, step
        for i, (a, *p) in enumerate(boxes):
            for b, *q in boxes[i + 1 :]:
                gap = max(q[0] - p[2], p[0] - q[2], q[1] - p[3], p[1] - q[3])
                assert gap >= 2, (step, a, b, p, q)
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_tour_step_link_names_no_city_over_another_and_no_home_under_the_card(browser, listed, size):
    """A shared link to the tour's 4th step, with 2,000 firms listed: no city name lies over another
    (on a phone Jinhua's name lay over Hangzhou's, "HangzhJinhua"; the step's own cities are named
    first) and every home's name lies in the free view (on a desktop "Chizhou" lay under the tour's
    card)."""
    page = open_map(browser, listed, size, hash_="#tour=4")
    settle(page)
    boxes = page.evaluate(_LABEL_BOXES)
    for i, (a, *p) in enumerate(boxes):
        for b, *q in boxes[i + 1 :]:
            assert max(q[0] - p[2], p[0] - q[2], q[1] - p[3], p[1] - q[3]) >= 2, (a, b, p, q)
    x0, y0, x1, y1 = _free_view(page)
    for text, *box in page.evaluate(_SHOWN_BOXES, ".cm-home-label"):
        assert x0 - 0.5 <= box[0] and box[2] <= x1 + 0.5 and y0 - 0.5 <= box[1] and box[3] <= y1 + 0.5, (text, box)
    assert page.errors == []
    page.context.close()


_LABEL_PLATES = """() => {
    const syms = [...document.querySelectorAll('.cm-cluster, .cm-stack, .cm-sym')]
      .map((n) => n.getBoundingClientRect());
    return [...document.querySelectorAll('.cm-city-label .cm-label-text')].map((n) => {
      const t = n.getBoundingClientRect(), bg = getComputedStyle(n).backgroundColor.match(/[\\d.]+/g).map(Number);
      return [n.parentNode.title, syms.some((b) => b.left < t.right - 0.5 && t.left < b.right - 0.5 &&
                                                   b.top < t.bottom - 0.5 && t.top < b.bottom - 0.5),
              bg.length === 4 ? bg[3] : 1, bg[0]]; });
}"""


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_city_name_over_a_count_symbol_is_set_on_a_plate(browser, listed, size):
    """Where a list leaves no free place by a seat (2,000 firms at zoom 9, opened from a shared
    link), a city name over a symbol is set on a white plate, else the symbol's number reads through
    the name ("苏州市" over "106" at zoom 9 with 44,200 firms); a name in the clear has none."""
    page = open_map(browser, listed, size, hash_="#map=9/30.75/120.76")
    labels = page.evaluate(_LABEL_PLATES)  # the cities in view
    over = [lab for lab in labels if lab[1]]
    assert over  # this view sets some name over a symbol
    for name, is_over, alpha, red in labels:
        assert (alpha >= 0.85 and red == 255) if is_over else alpha == 0, (name, is_over, alpha)
    assert page.errors == []
    page.context.close()
