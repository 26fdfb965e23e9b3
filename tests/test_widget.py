"""corridormap.MapWidget without a browser: what it sends the page (once, as bytes; the page's
libraries inline, no data in the HTML), and what it makes of a selection the page sends back."""

from __future__ import annotations

import json
import shutil
import zlib

import numpy as np
import pytest
import shapely
import traitlets

import corridormap

from .conftest import ROOT
from .hostile import poison
from .pointer import DESKTOP, READY, open_feature, reset, settle, xys
from .widget_host import host_page

pytest.importorskip("anywidget")

from corridormap.widget import _checked  # after the skip: it needs anywidget


@pytest.fixture(scope="module")
def widget(corridor):
    return corridormap.MapWidget(corridor, lang="en")


def test_the_page_carries_its_libraries_and_no_data(widget):
    page = widget._page
    assert "cdn.jsdelivr.net" not in page and "<script src=" not in page  # offline: every library inline
    assert 'id="corridor-data"' not in page and "frameElement.cmHost" in page
    assert "CM.select" in page and "CM.widget" in page


def test_the_data_is_bytes_the_page_inflates(widget, corridor):
    raw = zlib.decompress(widget._data)
    head, _, rest = raw.partition(b"\n")
    doc = json.loads(rest[: int(head)])
    assert [layer["key"] for layer in doc["layers"]] == ["enterprises"]
    assert doc["layers"][0]["n"] == len(corridor.enterprises)
    assert doc["ui"]["selectBox"].startswith("Select with a box")  # the tool's labels, in the page's language
    assert len(doc["enclaves"]) == len(corridor.enclaves) and len(doc["places"]) == len(corridor.places)


def test_selected_is_the_rows_of_every_layer(widget, corridor):
    widget._selection = {"places": [2, 0], "enterprises": [3, 1, 3]}
    sel = widget.selected
    assert list(sel.columns[:1]) == ["layer"] and sel.crs.to_epsg() == 4326
    assert list(sel["layer"]) == ["enterprises", "enterprises", "places", "places"]  # the map's order, rows sorted
    expect = [*corridor.enterprises["id"].iloc[[1, 3]], *corridor.places["id"].iloc[[0, 2]]]
    assert list(sel["id"]) == expect
    ent = corridor.enterprises.iloc[1]
    assert sel.geometry.iloc[0].x == pytest.approx(ent["lon"]) and sel.geometry.iloc[0].y == pytest.approx(ent["lat"])
    assert sel["sector"].iloc[0] == ent["sector"]  # the rows' own columns
    widget._selection = {}
    empty = widget.selected  # nothing picked: still the columns a selection has, so `w.selected["id"]` runs
    assert empty.empty and empty.crs.to_epsg() == 4326 and empty.columns[0] == "layer"
    assert set(sel.columns) <= set(empty.columns) and empty["id"].tolist() == []


@pytest.mark.parametrize(
    "bad",
    [
        {"enterprises": [True]},
        {"enterprises": [1.0]},
        {"enterprises": [-1]},
        {"enterprises": [10**6]},
        {"enterprises": ["1"]},
        {"enterprises": [None]},
        {"enterprises": 3},
        {"nowhere": [0]},
        {"__class__": [0]},
        [0, 1],
    ],
    ids=repr,
)
def test_a_bad_selection_from_the_page_is_refused_and_the_last_kept(widget, bad):
    widget._selection = {"enclaves": [0]}
    with pytest.raises(traitlets.TraitError, match="selection"):
        widget._selection = bad
    assert widget._selection == {"enclaves": [0]}


def test_checked_names_the_layer_and_value():
    with pytest.raises(traitlets.TraitError, match=r"selection of 'a': 5 is not a row number from 0 to 4"):
        _checked({"a": [0, 5]}, {"a": 5})
    assert _checked({"b": [2, 2, 1], "a": []}, {"a": 5, "b": 3}) == {"b": [1, 2]}


def test_python_state_is_plain_json(widget):
    widget.filters = {"enterprises": {"sector": ["semiconductors"]}}
    widget.view = {"center": [31.0, 121.0], "zoom": 9}
    widget.date = "2020-01-01"
    state = widget.get_state(["filters", "view", "date", "colouring"])
    assert json.loads(json.dumps(state)) == state


# The widget's page in chromium, through its ES module with a stand-in for Jupyter's model
# (tests/widget_host.py), on hostile data: every free-text field carries markup and script.


@pytest.fixture(scope="module")
def hostile_widget(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile-widget") / "geodata"
    shutil.copytree(ROOT / "geodata", data)
    poison(data)
    return corridormap.MapWidget(corridormap.load_corridor(data), lang="both")


@pytest.fixture(scope="module")
def hosted(browser, hostile_widget, tmp_path_factory):
    from .test_notebook_inline import InlineMap

    path = host_page(hostile_widget, tmp_path_factory.mktemp("host") / "widget.html")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" and "ERR_" not in m.text else None)
    page.route(lambda url: url.startswith(("http:", "https:")), lambda r: r.abort())  # offline: tiles refused
    page.goto(path.as_uri())
    frame = page.locator("iframe").element_handle().content_frame()
    frame.wait_for_function(READY)
    yield InlineMap(page, page.locator("iframe"), frame)
    assert page.errors == []
    context.close()


def _inert(hosted):
    assert hosted.evaluate("window.__pwned") is None and hosted.page.evaluate("window.__pwned") is None
    assert (
        hosted.locator(".leaflet-popup-content img, .cm-side img, .cm-side script, .cm-select-count img").count() == 0
    )


def _title(row) -> str:
    """A feature's name as the map (in both languages) titles it."""
    zh = row.get("name_zh")
    return row["name_en"] + (" · " + zh if isinstance(zh, str) and zh else "")


def _saved(hosted, key):
    """The last value of ``key`` the page saved to the model (what Python would receive)."""
    return hosted.page.evaluate("(k) => window.saved.filter((s) => k in s).at(-1)?.[k]", key)


@pytest.mark.browser
def test_widget_click_and_shift_click_select_hostile_text_stays_text(hosted, hostile_widget):
    corridor = hostile_widget._frames
    evil = corridor["enterprises"].iloc[0]
    reset(hosted)
    text = open_feature(hosted, evil["lat"], evil["lon"], _title(evil))  # its last press is a click on the point
    assert text.startswith("Evil <img src=x onerror=") and "{{ 7*7 }}" in text
    assert _saved(hosted, "_selection") == {"enterprises": [0]}
    hostile_widget._selection = _saved(hosted, "_selection")
    assert hostile_widget.selected["name_en"].tolist() == [evil["name_en"]]  # the text, as the data has it
    enclave = corridor["enclaves"].iloc[0]
    with_shift = {"add": (enclave, {"enterprises": [0], "enclaves": [0]}), "take out": (evil, {"enclaves": [0]})}
    for row, expected in with_shift.values():
        reset(hosted)
        hosted.page.keyboard.down("Shift")  # held while pointing (a stack spreads, then the point is clicked)
        open_feature(hosted, row["lat"], row["lon"], _title(row))
        hosted.page.keyboard.up("Shift")
        assert _saved(hosted, "_selection") == expected
    hosted.page.keyboard.press("Escape")
    clear = hosted.locator(".cm-select-clear").bounding_box()
    hosted.mouse.click(clear["x"] + clear["width"] / 2, clear["y"] + clear["height"] / 2)
    assert _saved(hosted, "_selection") == {}
    assert hosted.locator(".cm-select-count").inner_text() == ""
    _inert(hosted)


@pytest.mark.browser
def test_widget_lasso_selects_the_points_drawn_inside(hosted, hostile_widget):
    reset(hosted)
    frames = hostile_widget._frames
    w, h = hosted.viewport_size["width"], hosted.viewport_size["height"]
    cx, cy, r = w * 0.55, h * 0.45, h * 0.22
    ring = [(cx + r * np.cos(a) * 1.3, cy + r * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 40, endpoint=False)]
    tool = hosted.locator(".cm-select-lasso").bounding_box()
    hosted.mouse.click(tool["x"] + tool["width"] / 2, tool["y"] + tool["height"] / 2)
    assert hosted.locator(".cm-select-lasso").get_attribute("aria-pressed") == "true"
    hosted.mouse.move(*ring[0])
    hosted.page.mouse.down()
    for p in ring[1:]:
        hosted.mouse.move(*p)
    hosted.page.mouse.up()
    lasso = shapely.Polygon(ring)
    expected = {}
    for key in ("enterprises", "enclaves", "places"):
        drawn = xys(hosted, list(zip(frames[key]["lat"], frames[key]["lon"])))
        inside = [i for i, (x, y) in enumerate(drawn) if lasso.contains(shapely.Point(x, y))]
        if inside:
            expected[key] = inside
    assert sum(map(len, expected.values())) >= 3  # the corridor's middle holds points of several layers
    assert _saved(hosted, "_selection") == expected
    assert hosted.locator(".cm-select-lasso").get_attribute("aria-pressed") == "false"  # one shape, then done
    n = sum(map(len, expected.values()))
    assert hosted.locator(".cm-select-count").inner_text() == f"{n} selected · 已选 {n} 个"
    _inert(hosted)


@pytest.mark.browser
def test_widget_tools_by_keyboard_and_python_moves_the_map(hosted):
    reset(hosted)
    hosted.locator(".cm-select-box").focus()  # reached as any button is; pressed from the keyboard
    hosted.keyboard.press("Enter")
    assert hosted.locator(".cm-select-box").get_attribute("aria-pressed") == "true"
    hosted.keyboard.press("Escape")
    assert hosted.locator(".cm-select-box").get_attribute("aria-pressed") == "false"
    hosted.page.evaluate("window.model.set('view', {center: [31.2, 121.0], zoom: 10})")  # as Python sets it
    settle(hosted)
    assert hosted.evaluate("window.corridormap.map.getZoom()") == 10
    c = hosted.evaluate("(c => [c.lat, c.lng])(window.corridormap.map.getCenter())")
    assert c == pytest.approx([31.2, 121.0], abs=1e-6)
    assert _saved(hosted, "view") == {"center": [31.2, 121.0], "zoom": 10, "basemap": "light"}
    hosted.page.evaluate("window.model.set('date', '2019-01-01')")
    assert hosted.evaluate("window.corridormap.day()") is not None
    assert _saved(hosted, "date") == "2019-01-01"
    hosted.page.evaluate("window.model.set('date', null)")
    assert _saved(hosted, "date") is None


@pytest.mark.browser
def test_widget_view_is_wgs84_on_a_gaode_basemap(hosted, hostile_widget):
    """The centre Python sets is drawn where GCJ-02 puts it; the centre Python sees after a real
    drag is the WGS-84 point at the map's middle (the truth: corridormap.datum, not the page)."""
    from pyproj import Geod

    from corridormap.datum import gcj02_to_wgs84, wgs84_to_gcj02

    metres = lambda a, b: Geod(ellps="WGS84").inv(a[1], a[0], b[1], b[0])[2]  # noqa: E731
    centre = "(c => [c.lat, c.lng])(window.corridormap.map.getCenter())"  # as drawn, in the basemap's frame
    reset(hosted)
    s = hostile_widget._frames["places"].iloc[0]
    wgs = (float(s["lat"]), float(s["lon"]))
    glon, glat = wgs84_to_gcj02(wgs[1], wgs[0])
    assert metres(wgs, (float(glat), float(glon))) > 300  # the shift being tested is real
    hosted.page.evaluate("(c) => window.model.set('view', {center: c, zoom: 17, basemap: 'gaode'})", list(wgs))
    settle(hosted)
    assert hosted.evaluate("window.corridormap.datum()") == "gcj02"
    assert metres(hosted.evaluate(centre), (float(glat), float(glon))) < 1.0
    seen = _saved(hosted, "view")
    assert seen["basemap"] == "gaode" and seen["zoom"] == 17 and metres(seen["center"], wgs) < 1.0
    box = hosted.locator(".folium-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    hosted.mouse.move(x, y)
    hosted.page.mouse.down()
    for i in range(1, 11):
        hosted.mouse.move(x - 23 * i, y + 9 * i)
    hosted.page.wait_for_timeout(300)  # held still before letting go: no inertia
    hosted.page.mouse.up()
    settle(hosted)
    drawn = hosted.evaluate(centre)
    assert metres(drawn, (float(glat), float(glon))) > 100  # the drag moved the map
    wlon, wlat = gcj02_to_wgs84(drawn[1], drawn[0])
    seen = _saved(hosted, "view")
    assert metres(seen["center"], (float(wlat), float(wlon))) < 1.0
    assert metres(seen["center"], drawn) > 300  # not the basemap's frame
    # Back to Esri's light basemap, which stops at zoom 16: zoomed out, the WGS-84 centre kept.
    hosted.page.evaluate("window.model.set('view', {basemap: 'light'})")
    settle(hosted)
    assert hosted.evaluate("window.corridormap.datum()") == "wgs84"
    pixel = 2.3  # metres a pixel at zoom 16 here: Leaflet zooms out about a whole pixel
    assert metres(hosted.evaluate(centre), seen["center"]) < pixel
    back = _saved(hosted, "view")
    assert back["basemap"] == "light" and back["zoom"] == 16 and metres(back["center"], seen["center"]) < pixel
