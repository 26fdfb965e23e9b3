"""Chinese basemaps and alignment, --lang zh throughout, shared links and --png, in chromium.

Basemaps are switched with the layer list (a real click), views opened from links."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from corridormap.datum import wgs84_to_gcj02

from .pointer import DESKTOP, PHONE, open_map, settle

pytestmark = pytest.mark.browser
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def world_map(map_file):
    return map_file("en")


def _switch_base(page, name_start: str):
    section = page.locator(".cm-section-layers")
    if not section.evaluate("d => d.open"):
        section.locator(":scope > summary").click()
    labels = page.locator(".leaflet-control-layers-base label")
    for i in range(labels.count()):
        if labels.nth(i).inner_text().strip().startswith(name_start):
            labels.nth(i).locator("input").click()
            settle(page)
            return
    raise AssertionError(f"no basemap {name_start!r}")


def _drawn_at(page, title: str):
    """Where the symbol titled ``title`` is drawn: its element's centre, back through the projection."""
    return page.evaluate(
        """t => { const e = Array.from(document.querySelectorAll('.leaflet-marker-icon')).find((x) => x.title === t);
                  const r = e.getBoundingClientRect();
                  const m = document.querySelector('.folium-map').getBoundingClientRect();
                  const x = (r.left + r.right) / 2 - m.left, y = (r.top + r.bottom) / 2 - m.top;
                  const ll = window.corridormap.map.containerPointToLatLng([x, y]);
                  return [ll.lat, ll.lng]; }""",
        title,
    )


def _metres(a, b):
    return GEOD.inv(a[1], a[0], b[1], b[0])[2]


def test_overlays_follow_the_basemap_datum(browser, world_map, corridor):
    s = corridor.stops.set_index("id").loc["ssh-suzhou-south"]
    wgs = (s["lat"], s["lon"])
    glon, glat = wgs84_to_gcj02(s["lon"], s["lat"])
    gcj = (float(glat), float(glon))
    assert _metres(wgs, gcj) > 300  # the shift being tested is real
    # At zoom 18 a pixel is 0.5 m: a link to each basemap, centred where the station should be drawn.
    page = open_map(browser, world_map, DESKTOP, f"#map=18/{wgs[0]:.6f}/{wgs[1]:.6f}&base=1")  # OpenStreetMap
    assert page.evaluate("window.corridormap.datum()") == "wgs84"
    assert _metres(_drawn_at(page, s["name_en"]), wgs) < 1.0
    page.context.close()
    page = open_map(browser, world_map, DESKTOP, f"#map=18/{gcj[0]:.6f}/{gcj[1]:.6f}&base=2")  # Gaode road map
    assert page.evaluate("window.corridormap.datum()") == "gcj02"
    assert _metres(_drawn_at(page, s["name_en"]), gcj) < 1.0
    page.context.close()
    # Switching basemaps with the layer list moves every overlay between the datums, and back.
    page = open_map(browser, world_map, DESKTOP, f"#map=15/{wgs[0]:.6f}/{wgs[1]:.6f}&base=1")
    _switch_base(page, "Gaode road map")
    assert page.evaluate("window.corridormap.datum()") == "gcj02"
    assert _metres(_drawn_at(page, s["name_en"]), gcj) < 6.0  # 4 m a pixel at zoom 15
    _switch_base(page, "OpenStreetMap")
    assert page.evaluate("window.corridormap.datum()") == "wgs84"
    assert _metres(_drawn_at(page, s["name_en"]), wgs) < 6.0
    assert page.errors == []
    page.context.close()


def test_shared_link_restores_view_basemap_and_overlays(browser, world_map):
    page = open_map(browser, world_map, DESKTOP, "#map=10/30.75000/120.76000")
    _switch_base(page, "Gaode satellite")
    page.locator(".leaflet-control-layers-overlays label").nth(0).locator("input").click()  # hide provinces
    page.wait_for_function("location.hash.includes('off=provinces')")  # written once the view settles
    url = page.url
    assert "map=10/30.75000/120.76000" in url and "off=provinces" in url
    page.context.close()
    again = open_map(browser, world_map, DESKTOP, "#" + url.split("#", 1)[1])
    state = again.evaluate(
        "(() => { const m = window.corridormap.map, c = m.getCenter();"
        " return [m.getZoom(), c.lat, c.lng, window.corridormap.datum()]; })()"
    )
    assert state[0] == 10 and abs(state[1] - 30.75) < 1e-4 and abs(state[2] - 120.76) < 1e-4 and state[3] == "gcj02"
    assert not again.locator(".leaflet-control-layers-overlays input").nth(0).is_checked()
    again.context.close()


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u3400-\u9fff]")


def _labels(page) -> list[str]:
    """Every label a reader meets in the controls: text, titles, aria-labels, placeholders (the
    attribution's copyright notices and the cited sources' own titles aside: data is not translated)."""
    return page.evaluate(
        """() => {
            const out = [], root = document.querySelector('.leaflet-control-container');
            const skip = (n) => n.closest('.leaflet-control-attribution, .cm-sources, .cm-cite');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              if (!skip(n.parentElement) && n.textContent.trim()) out.push(n.textContent.trim());
            }
            root.querySelectorAll('[title], [aria-label], [placeholder]').forEach((e) => {
              if (skip(e)) return;
              ['title', 'aria-label', 'placeholder'].forEach((a) => {
                const v = e.getAttribute(a); if (v) out.push(v); });
            });
            return out;
        }"""
    )


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_lang_zh_is_chinese_throughout(browser, map_file, size):
    page = open_map(browser, map_file("zh", basemap="none"), size)
    assert page.evaluate("document.documentElement.lang") == "zh-Hans" and page.title() == "G60科创走廊"
    if size is DESKTOP:
        for key in ("facts", "legend", "filter", "about", "layers"):
            section = page.locator(f".cm-section-{key}")
            if not section.evaluate("d => d.open"):
                section.locator(":scope > summary").click()
    latin_only = sorted({t for t in _labels(page) if LATIN_WORD.search(t) and not CJK.search(t)})
    # Proper names that are the same in Chinese text: only inside a Chinese label, never alone.
    assert latin_only == [], latin_only
    # A missing glyph draws the same box for every character; real glyphs differ.
    distinct = page.evaluate(
        """() => { const out = new Set();
            for (const ch of ['九', '城', '市', '图', '例']) {
              const cv = document.createElement('canvas'); cv.width = cv.height = 40;
              const g = cv.getContext('2d'); g.font = '30px "Noto Sans CJK SC", sans-serif';
              g.fillText(ch, 2, 32); out.add(cv.toDataURL()); }
            return out.size; }"""
    )
    assert distinct == 5
    page.context.close()


@pytest.mark.cli
def test_png_shows_the_cities(tmp_path):
    from PIL import Image

    png = tmp_path / "map.png"
    exe = str(Path(sys.executable).parent / "corridormap")
    res = subprocess.run([exe, "build", "--out", str(tmp_path / "m.html"), "--basemap", "none", "--png", str(png)],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert res.returncode == 0, res.stderr
    img = np.asarray(Image.open(png).convert("RGB")).astype(int)
    assert img.shape[0] >= 800 and img.std() > 10
    from corridormap.render.colours import REFERENCE

    fill = np.array([int(REFERENCE["cityFill"][i : i + 2], 16) for i in (1, 3, 5)])
    want = 0.45 * fill + 0.55 * np.array([0xF2, 0xF1, 0xED])  # the city fill over the page's background
    assert (np.abs(img - want).max(axis=2) <= 3).sum() > 50_000
