"""The notebook's inline map in a real JupyterLab server (127.0.0.1, started by the test and stopped
after), run from the Run menu in chromium with every request to anything else refused: it is drawn,
fetches nothing but basemap tiles, and answers a reader's pointer inside the iframe it is shown in.
It shares the session's server with the widget's tests (tests/test_notebook.py); its page and kernel
are gone before theirs start."""

from __future__ import annotations

import re

import pytest
import shapely

import corridormap

from .jupyter import offline_page, run_all
from .pointer import DESKTOP, READY, aim, free_point, hover, press, reset, settle, xy
from .test_notebook import _name

pytestmark = pytest.mark.browser


# The inline map in a reader's hands -------------------------------------------------------------
#
# The helpers of tests/pointer.py read a page: positions from its projection, then the mouse there.
# In a notebook the map is a frame inside the notebook's page, so they are given a view of it that
# asks the frame where things are drawn and moves the outer page's mouse, adding the frame's offset.


class _Mouse:
    """The outer page's mouse, taking positions in the frame's own pixels."""

    def __init__(self, mouse, offset):
        self._mouse, self._dx, self._dy = mouse, *offset

    def move(self, x, y, **kw):
        self._mouse.move(x + self._dx, y + self._dy, **kw)

    def click(self, x, y, **kw):
        self._mouse.click(x + self._dx, y + self._dy, **kw)

    def wheel(self, dx, dy):
        self._mouse.wheel(dx, dy)


class _Locator:
    """A locator in the frame whose bounding box is in the frame's pixels (playwright gives the page's)."""

    def __init__(self, locator, offset):
        self._locator, self._offset = locator, offset

    def __getattr__(self, name):  # first, last, count(), inner_text(), click(), ...
        from playwright.sync_api import Locator

        value = getattr(self._locator, name)
        return _Locator(value, self._offset) if isinstance(value, Locator) else value

    def nth(self, i):
        return _Locator(self._locator.nth(i), self._offset)

    def bounding_box(self):
        box = self._locator.bounding_box()
        return box and {**box, "x": box["x"] - self._offset[0], "y": box["y"] - self._offset[1]}


class InlineMap:
    """The map inside the notebook's iframe, as the helpers of tests/pointer.py see a page."""

    phone = False

    def __init__(self, page, iframe, frame):
        box = iframe.bounding_box()
        self.page, self.frame, self.offset = page, frame, (box["x"], box["y"])
        self.viewport_size = {"width": box["width"], "height": box["height"]}
        self.mouse = _Mouse(page.mouse, self.offset)
        self.keyboard = page.keyboard
        self.errors = page.errors

    def __getattr__(self, name):  # evaluate, wait_for_function, wait_for_timeout: the frame's
        return getattr(self.frame, name)

    def locator(self, selector, **kw):
        return _Locator(self.frame.locator(selector, **kw), self.offset)


def _tile_url(url: str) -> bool:
    """Whether ``url`` is a basemap tile (the only thing the map may fetch)."""
    from corridormap.render.basemaps import BASEMAPS

    for b in BASEMAPS.values():
        for p in b.providers:
            parts = re.split(r"\{[a-z]+\}", p.build_url(fill_subdomain=False, apikey="{apikey}").split("?")[0])
            if re.fullmatch("[^/?]*".join(map(re.escape, parts)) + r"(\?.*)?", url):
                return True
    return False


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    """The notebook run from JupyterLab's Run menu in chromium, offline; one page for the module, on the
    session's server (its kernel shut down after)."""
    page = offline_page(browser, lab, DESKTOP)
    try:
        run_all(page, lab, "g60_corridor.ipynb")
        yield page
    finally:
        page.context.close()
        lab.close("g60_corridor.ipynb")


@pytest.fixture(scope="module")
def inline(lab_page):
    iframe = lab_page.locator(".jp-OutputArea-output iframe:not(.corridormap-widget)")  # folium's, not the widget's
    lab_page.locator(".jp-CodeCell", has=iframe).scroll_into_view_if_needed()  # the notebook scrolls, not the map
    frame = iframe.element_handle().content_frame()
    frame.wait_for_function(READY, timeout=60_000)
    yield InlineMap(lab_page, iframe, frame)
    assert lab_page.errors == []


@pytest.mark.browser
def test_inline_map_draws_offline_fetching_nothing_but_tiles(inline, lab_page, corridor):
    """Every library is inside the page: with every request but JupyterLab's refused, the map is drawn,
    and what it asked for was basemap tiles only."""
    assert inline.locator(".cm-city-label").count() == len(corridor.cities)
    assert inline.evaluate("typeof L === 'object' && typeof h3 === 'object' && !!L.control.measure")
    assert lab_page.refused and [u for u in lab_page.refused if not _tile_url(u)] == []


@pytest.mark.browser
def test_inline_map_fills_its_frame(inline, corridor):
    assert inline.frame.url == "about:srcdoc" and inline.offset[0] > 0 and inline.offset[1] > 0
    size = inline.evaluate("(m => [m.clientWidth, m.clientHeight])(document.querySelector('.folium-map'))")
    assert size == [round(inline.viewport_size["width"]), round(inline.viewport_size["height"])]
    assert inline.locator(".cm-city-label").count() == len(corridor.cities)


def _title_at(inline, x, y) -> str | None:
    """The title of the symbol drawn at (x, y) (a stack's says what it holds), or None."""
    return inline.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y); return e && e.closest('[title]')?.title; }",
        [x, y],
    )


def _hover_and_press(inline, x, y, want: str) -> tuple[str, str]:
    """Rest the mouse on (x, y), then click there: the tooltip shown (waiting for one saying ``want``),
    and the popup's text."""
    tip = hover(inline, x, y, want)
    press(inline, x, y)
    return tip, inline.locator(".leaflet-popup-content").last.inner_text()


@pytest.mark.browser
def test_inline_cities_show_their_name_on_hover_and_summary_on_click(inline, corridor):
    # the routes and the enclaves' flows are drawn over the cities: a reader points beside them
    drawn = [*corridor.routes.geometry, *corridormap.enclave_flows(corridor).geometry]
    lines = [shapely.get_coordinates(g) for g in drawn]
    for _, city in corridor.cities.iterrows():
        reset(inline)
        # The city's point_on_surface, else the nearest point of it that no symbol, line or panel
        # covers, zooming in with the wheel where there is none (four cities' points lie under one
        # stack symbol in the opening view).
        lat, lon = free_point(inline, city.geometry, lines)
        x, y = xy(inline, lat, lon)
        tip, text = _hover_and_press(inline, x, y, _name(city))
        assert tip.startswith(_name(city)), (city["id"], tip)
        assert text.startswith(_name(city)) and "Corridor city" in text, text[:80]
        box, size = inline.locator(".leaflet-popup").last.bounding_box(), inline.viewport_size
        x0, y0, x1, y1 = box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]
        assert x0 >= 0 and y0 >= 0 and x1 <= size["width"] and y1 <= size["height"], (city["id"], box)  # fits the frame


@pytest.mark.browser
def test_inline_station_shows_its_name_on_hover_and_opens_on_click(inline, corridor):
    station = corridor.stops.set_index("id").loc["ssh-suzhou-south"]
    name = _name(station)
    reset(inline)
    for _ in range(4):  # in the opening view it is inside a stack symbol: zoom in on it, as a reader does
        x, y = xy(inline, station["lat"], station["lon"])
        if _title_at(inline, x, y) == name:
            break
        inline.mouse.move(x, y)
        inline.mouse.wheel(0, -240)
        settle(inline)
    tip, text = _hover_and_press(inline, x, y, name)
    assert tip == name
    assert text.startswith(name) and "Station" in text, text[:80]


@pytest.mark.browser
def test_inline_enclave_spreads_from_its_stack_and_opens(inline, corridor):
    """The enclaves share one spot with places and organisations: clicking the stack drawn there
    zooms in until it spreads into its members; then the enclave shows its name and opens."""
    enclave = corridor.enclaves.set_index("id").loc["xuancheng-sci-tech-center"]
    name = _name(enclave)
    reset(inline)
    spread = inline.locator(".leaflet-cmSpider-pane .leaflet-marker-icon")
    for _ in range(6):  # the stack over the spot, or the badge drawn beside it
        press(inline, *aim(inline, *xy(inline, enclave["lat"], enclave["lon"]), name))
        if spread.count():
            break
    titles = [spread.nth(i).get_attribute("title") for i in range(spread.count())]
    enclaves = corridor.enclaves
    here = enclaves[(enclaves["lon"] == enclave["lon"]) & (enclaves["lat"] == enclave["lat"])]
    assert {_name(e) for _, e in here.iterrows()} <= set(titles), titles
    box = spread.nth(titles.index(name)).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    tip, text = _hover_and_press(inline, x, y, name)
    assert tip == name
    assert text.startswith(name) and "Sources" in text, text[:80]
