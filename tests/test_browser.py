"""The self-contained map in a real browser (Debian's chromium, driven by playwright), offline."""

from __future__ import annotations

import shutil

import pytest

import corridormap
from corridormap.render import build_map, save_map

from .conftest import ROOT
from .hostile import PAYLOAD, poison

pytestmark = pytest.mark.browser

TILE_HOSTS = ("server.arcgisonline.com", "tile.openstreetmap.org")


@pytest.fixture(scope="module")
def map_file(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile") / "geodata"
    shutil.copytree(ROOT / "geodata", data)
    poison(data)
    out = ROOT / "build" / "browser" / "hostile_map.html"
    return save_map(build_map(corridormap.load_corridor(data)), out, self_contained=True)


@pytest.fixture
def page(browser, map_file):
    context = browser.new_context(viewport={"width": 1280, "height": 820})
    page = context.new_page()
    page.errors, page.blocked = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(f"pageerror: {e}"))

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:")):
            return r.continue_()
        page.blocked.append(url)
        return r.abort()

    context.route("**/*", route)
    page.goto(map_file.as_uri())
    page.wait_for_function("window.corridormap !== undefined")
    page.wait_for_timeout(500)
    yield page
    context.close()


def _click_marker(page, mid: str):
    """Bring a marker into view as a user would (zoom in on it), then click where it is drawn."""
    x, y = page.evaluate(
        """id => {
            const c = window.corridormap;
            const i = c.enterprise(id);
            const m = i >= 0 ? c.focusEnterprise(i, false) : c.registry.markers[id];
            if (i < 0) c.map.setView(m.getLatLng(), 12, {animate: false});
            const p = c.map.latLngToContainerPoint(m.getLatLng());
            return [p.x, p.y];
        }""",
        mid,
    )
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector(".leaflet-popup-content")
    return page.locator(".leaflet-popup-content").last.inner_text()


def test_opens_offline_without_console_errors(page):
    # Only basemap tiles may try the network; every library is inlined.
    assert all(any(h in u for h in TILE_HOSTS) for u in page.blocked), page.blocked
    real = [e for e in page.errors if "Failed to load resource" not in e]
    assert real == []
    assert page.evaluate("window.__pwned") is None


def test_every_overlay_is_listed_and_toggles(page):
    page.hover(".leaflet-control-layers")
    labels = page.locator(".leaflet-control-layers-overlays label")
    names = [labels.nth(i).inner_text().strip() for i in range(labels.count())]
    assert len(names) == 8 and names[0].startswith("Provinces") and any(n.startswith("Enterprises") for n in names)
    for i in range(labels.count()):
        box = labels.nth(i).locator("input")
        key = list(page.evaluate("Object.keys(window.corridormap.groups)"))[i]
        on = f"window.corridormap.map.hasLayer(window.corridormap.groups[{key!r}])"
        assert page.evaluate(on) is True
        box.click()
        assert page.evaluate(on) is False, key
        box.click()
        assert page.evaluate(on) is True, key


def test_clicking_an_enterprise_opens_its_popup(page):
    text = _click_marker(page, "hengtong")
    assert text.startswith("Hengtong Group") and "亨通集团" in text
    assert "optical communications" in text and "district only" in text and "Sources" in text
    assert "Nearest station" in text and "Suzhou South" in text


def test_hostile_name_is_shown_as_text_and_runs_nothing(page):
    text = _click_marker(page, "huasun")
    assert text.startswith("Evil <img src=x onerror=")
    assert "${window.__pwned='tpl'}`{{ 7*7 }}" in text
    # Search results and the facts panel carry the payload too.
    page.fill(".cm-search input", "Evil")
    assert "<script>" in page.locator(".cm-results").inner_text()
    page.click(".cm-facts summary")
    assert "<img src=x" in page.locator(".cm-facts").inner_text()
    page.hover(".leaflet-control-layers")
    assert page.locator(".leaflet-popup-content img, .cm-panel img, .cm-panel script").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert PAYLOAD.split("<script>")[0] in page.locator(".leaflet-popup-content").last.inner_text()


def test_search_finds_and_opens(page):
    page.fill(".cm-search input", "Starpower")
    page.click(".cm-results button")
    page.wait_for_selector(".leaflet-popup-content")
    assert page.locator(".leaflet-popup-content").last.inner_text().startswith("Starpower")


def test_city_popup_shows_summary_and_screenshot(page, corridor):
    page.evaluate("window.corridormap.map.fitBounds(window.corridormap.groups.cities.getBounds())")
    page.wait_for_timeout(400)
    shot = ROOT / "build" / "browser" / "map.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    page.evaluate(
        "const c = window.corridormap; const l = c.registry.cities['songjiang'];"
        " l.openPopup(l.getBounds().getCenter());"
    )
    text = page.locator(".leaflet-popup-content").last.inner_text()
    n = int(corridormap.city_summary(corridor).loc["songjiang", "enterprises"])
    assert "Songjiang District" in text and f"Enterprises & institutes · 企业与机构\t{n}" in text


def test_clean_map_screenshot_for_the_readme(browser, corridor):
    """The README's picture: the shipped data, offline (so no basemap tiles), as a reader first sees it."""
    out = save_map(
        build_map(corridor, basemap="none"), ROOT / "build" / "browser" / "clean_map.html", self_contained=True
    )
    page = browser.new_page(viewport={"width": 1100, "height": 700})
    page.route("http*://**", lambda r: r.abort())
    page.goto(out.as_uri())
    page.wait_for_function("window.corridormap !== undefined")
    page.wait_for_timeout(500)
    shot = ROOT / "build" / "browser" / "clean_map.jpg"
    page.screenshot(path=str(shot), type="jpeg", quality=70)
    page.close()
    assert 20_000 < shot.stat().st_size < 400_000
