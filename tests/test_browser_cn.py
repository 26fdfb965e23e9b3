"""Chinese basemaps, alignment after switching, --lang zh, shareable URLs and --png, in chromium."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from corridormap.datum import wgs84_to_gcj02
from corridormap.render import build_map, save_map

from .conftest import ROOT

pytestmark = pytest.mark.browser
GEOD = Geod(ellps="WGS84")


def _open(browser, path: Path, hash_: str = ""):
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.route("http*://**", lambda r: r.abort())
    page.goto(path.as_uri() + hash_)
    page.wait_for_function("window.corridormap !== undefined")
    page.wait_for_timeout(300)
    return page


@pytest.fixture(scope="module")
def world_map(corridor):
    return save_map(build_map(corridor, lang="en"), ROOT / "build" / "browser" / "world.html", self_contained=True)


def _rendered_latlng(page, marker_id: str):
    """Where the marker is drawn: its SVG element's centre on screen, back through the map's projection."""
    return page.evaluate(
        """id => {
            const c = window.corridormap, i = c.enterprise(id);
            const m = c.focusEnterprise(i, false);  // zooms to the deepest level and draws the point
            // The point is drawn on a canvas: read where the renderer put its centre (layer pixels).
            const p = c.map.layerPointToContainerPoint(m._point);
            const ll = c.map.containerPointToLatLng(p);
            return [ll.lat, ll.lng, c.map.getZoom()];
        }""",
        marker_id,
    )


def _switch_base(page, label_start: str):
    page.hover(".leaflet-control-layers")
    labels = page.locator(".leaflet-control-layers-base label")
    for i in range(labels.count()):
        if labels.nth(i).inner_text().strip().startswith(label_start):
            labels.nth(i).locator("input").click()
            return
    raise AssertionError(f"no basemap {label_start!r}")


def _metres(a, b):
    return GEOD.inv(a[1], a[0], b[1], b[0])[2]


def _pos(page, marker_id):
    lat, lon, zoom = _rendered_latlng(page, marker_id)
    assert zoom >= 18  # 0.5 m per pixel at 31°N: a 1 m test is meaningful
    return lat, lon


def test_overlays_follow_the_basemap_datum(browser, world_map, corridor):
    page = _open(browser, world_map)
    e = corridor.enterprises.set_index("id").loc["hengtong"]
    wgs = (e["lat"], e["lon"])
    glon, glat = wgs84_to_gcj02(e["lon"], e["lat"])
    gcj = (float(glat), float(glon))
    assert _metres(wgs, gcj) > 300  # the shift being tested is real
    _switch_base(page, "OpenStreetMap")  # zooms to 19, unlike the default gray basemap (16)
    assert _metres(_pos(page, "hengtong"), wgs) < 1.0
    _switch_base(page, "Gaode road map")
    assert page.evaluate("window.corridormap.datum()") == "gcj02"
    assert _metres(_pos(page, "hengtong"), gcj) < 1.0
    # Lines and polygons move too: the first vertex of the G60 line.
    first = page.evaluate("window.corridormap.registry.routes['g60-expressway'].getLatLngs()[0]")
    lon0, lat0 = page.evaluate(
        "window.corridormap.data.routes.filter(r => r.id === 'g60-expressway')[0].geometry.coordinates[0]"
    )
    g = wgs84_to_gcj02(lon0, lat0)
    assert _metres((first["lat"], first["lng"]), (float(g[1]), float(g[0]))) < 0.05
    _switch_base(page, "OpenStreetMap")
    assert _metres(_pos(page, "hengtong"), wgs) < 1.0
    # The browser's GCJ-02 is the Python one, everywhere in the corridor.
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(116.7, 122.0, 200), rng.uniform(28.5, 32.5, 200)
    js = page.evaluate("pts => pts.map(p => window.corridormap.gcj(p[0], p[1]))", np.column_stack([lat, lon]).tolist())
    py_lon, py_lat = wgs84_to_gcj02(lon, lat)
    assert np.abs(np.array(js) - np.column_stack([py_lat, py_lon])).max() < 1e-9
    assert page.errors == []
    page.close()


def test_url_hash_round_trip(browser, world_map):
    page = _open(browser, world_map)
    page.evaluate("window.corridormap.map.setView([30.75, 120.76], 10, {animate: false})")
    _switch_base(page, "Gaode satellite")
    page.hover(".leaflet-control-layers")
    page.locator(".leaflet-control-layers-overlays label").nth(0).locator("input").click()  # hide provinces
    page.wait_for_timeout(200)
    url = page.url
    assert "#map=10/30.75000/120.76000" in url and "off=provinces" in url
    page.close()
    again = _open(browser, world_map, "#" + url.split("#", 1)[1])
    state = again.evaluate(
        "(() => { const c = window.corridormap, m = c.map, z = m.getZoom(), ctr = m.getCenter();"
        " return [z, ctr.lat, ctr.lng, c.datum(), m.hasLayer(c.groups.provinces), m.hasLayer(c.groups.cities)]; })()"
    )
    assert state[0] == 10 and abs(state[1] - 30.75) < 1e-4 and abs(state[2] - 120.76) < 1e-4
    assert state[3:] == ["gcj02", False, True]
    again.close()


def test_lang_zh_renders_chinese_glyphs(browser, corridor):
    path = save_map(build_map(corridor, lang="zh", basemap="none"), ROOT / "build" / "browser" / "zh.html",
                    self_contained=True)  # fmt: skip
    page = _open(browser, path)
    page.screenshot(path=str(ROOT / "build" / "browser" / "zh.png"))
    legend = page.locator(".cm-legend").inner_text()
    assert "图例" in legend and "半导体" in legend and "Legend" not in legend
    page.hover(".leaflet-control-layers")
    assert "九城市" in page.locator(".leaflet-control-layers-overlays").inner_text()
    # A missing glyph draws the same box for every character; real glyphs differ.
    distinct = page.evaluate(
        """() => {
            const font = getComputedStyle(document.querySelector('.cm-legend')).font;
            const out = new Set();
            for (const ch of ['九', '城', '市', '图', '例']) {
                const cv = document.createElement('canvas'); cv.width = cv.height = 40;
                const g = cv.getContext('2d'); g.font = font.replace(/\\d+(\\.\\d+)?px/, '30px');
                g.fillText(ch, 2, 32); out.add(cv.toDataURL());
            }
            return out.size;
        }"""
    )
    assert distinct == 5
    page.close()


def test_png_shows_the_city_colours(tmp_path):
    from PIL import Image

    png = tmp_path / "map.png"
    exe = str(Path(sys.executable).parent / "corridormap")
    res = subprocess.run([exe, "build", "--out", str(tmp_path / "m.html"), "--basemap", "none", "--png", str(png)],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert res.returncode == 0, res.stderr
    img = np.asarray(Image.open(png).convert("RGB")).astype(int)
    assert img.shape[0] >= 800 and img.std() > 10
    # City fills are drawn at 28 % opacity over the map background (#f2f1ed).
    from corridormap.render.map import CITY_COLOURS

    bg = np.array([0xF2, 0xF1, 0xED])
    found = 0
    for hexcol in CITY_COLOURS:
        fill = np.array([int(hexcol[i : i + 2], 16) for i in (1, 3, 5)])
        want = 0.28 * fill + 0.72 * bg
        found += (np.abs(img - want).max(axis=2) <= 3).sum() > 2000
    assert found >= 7
