"""Reading the map as a reader does: real mouse, touch and keyboard input at screen positions
computed from each feature's own geometry. The page is asked only where a coordinate is drawn
(its projection) and what is on screen; never to open, switch or move anything."""

from __future__ import annotations

import contextlib
import itertools
import re
import time

import numpy as np
import shapely

from corridormap.render.png import CHROMIUM_ARGS  # noqa: F401  (the suite launches chromium with these)

DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
READY = "document.documentElement.dataset.cmReady === '1'"


def open_map(browser, path, size=DESKTOP, hash_="", lang_check=True):
    """A fresh page of the map at ``size`` (a phone size gets touch), network other than file: blocked."""
    phone = size["width"] <= 480
    context = browser.new_context(viewport=size, has_touch=phone, is_mobile=phone)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" and "ERR_" not in m.text else None)
    page.route(re.compile(r"^https?://"), lambda r: r.abort())  # offline: no tiles, no CDN
    page.goto(path.as_uri() + hash_)
    page.wait_for_function(READY, timeout=60_000)
    page.phone = phone
    page.last_tap = 0.0
    settle(page)  # a view restored from the link may still be moving
    return page


def xy(page, lat, lon) -> tuple[float, float]:
    """Where (lat, lon) is drawn, in page pixels."""
    x, y = xys(page, [(lat, lon)])[0]
    return float(x), float(y)


def xys(page, points) -> np.ndarray:
    """Where each (lat, lon) is drawn, in page pixels (one call to the page for all of them)."""
    return np.array(
        page.evaluate(
            """(pts) => { const r = document.querySelector('.folium-map').getBoundingClientRect();
                      return pts.map(([a, b]) => {
                        const p = window.corridormap.project(a, b); return [r.left + p[0], r.top + p[1]]; }); }""",
            [[float(a), float(b)] for a, b in points],
        )
    ).reshape(-1, 2)


# True once the map has been still for three animation frames in a row (a zoom Leaflet animates
# starts in the frame after the call; a popup opened at the end of a flight pans it again).
_STILL = """(token) => { let s = window.__cmStill;
    if (!s || s.token !== token) s = window.__cmStill = { token, frames: 0 };
    s.frames = window.corridormap.moving() ? 0 : s.frames + 1;
    return s.frames >= 3; }"""
_SETTLES = itertools.count()


def settle(page):
    """Wait until the map has stopped moving: no move or zoom under way for three animation frames
    in a row, checked each frame (a condition, never a fixed delay; generous deadline for a loaded
    machine)."""
    page.wait_for_function(_STILL, arg=next(_SETTLES), polling="raf", timeout=30_000)


def wheel(page, x, y, dy):
    """Turn the mouse wheel at (x, y), as a reader zooms (``dy`` < 0 zooms in); wait until the zoom has
    changed, or cannot (already at the map's limit), and the map has settled. Leaflet waits for the
    wheel to stop before it zooms, so the zoom starts late: its change is what is waited for."""
    page.mouse.move(x, y)
    before = zoom(page)
    page.mouse.wheel(0, dy)
    page.wait_for_function(
        """([z, dy]) => { const m = window.corridormap.map, now = m.getZoom();
                          return now !== z || (dy < 0 ? z >= m.getMaxZoom() : z <= m.getMinZoom()); }""",
        arg=[before, dy],
        timeout=30_000,
    )
    settle(page)


# True once the box has scrolled from ``top`` (or is at its end) and kept still for three frames.
_SCROLLED = """([e, top, token]) => { let s = window.__cmScroll;
    if (!s || s.token !== token) s = window.__cmScroll = { token, last: e.scrollTop, frames: 0 };
    const now = e.scrollTop;
    s.frames = now === s.last ? s.frames + 1 : 0;
    s.last = now;
    return (now !== top || now + e.clientHeight >= e.scrollHeight - 1) && s.frames >= 3; }"""


def scroll(page, locator, dy):
    """Turn the mouse wheel over the box ``locator`` (a popup's content that scrolls), as a reader
    scrolls it; wait until it has scrolled (or is at its end) and stopped."""
    box = locator.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    handle = locator.element_handle()
    top = handle.evaluate("(e) => e.scrollTop")
    page.mouse.wheel(0, dy)
    page.wait_for_function(_SCROLLED, arg=[handle, top, next(_SETTLES)], polling="raf", timeout=30_000)


def tap_gap(page, gap=0.3):
    """On a phone, wait until ``gap`` s have passed since the last tap: a reader's next tap comes
    later than Leaflet's double-tap window (200 ms), which counts a tap on a control too; sooner,
    the next tap on the map would zoom it in. Then note this tap's time."""
    wait = page.last_tap + gap - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    page.last_tap = time.monotonic()


_TOOLTIP = """(want) => { const tip = [...document.querySelectorAll('.leaflet-tooltip')].pop();
                          return !!tip && (!want || tip.innerText.includes(want)); }"""


def hover(page, x, y, want: str | None = None, timeout: float = 15_000) -> str:
    """Rest the mouse on (x, y): the text of the tooltip shown, or "" if none is.

    Waits (up to ``timeout`` ms: a loaded machine is slow) for a tooltip, or for one with ``want``
    in it when given; no fixed sleep.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.mouse.move(x, y)
    with contextlib.suppress(PlaywrightTimeout):  # the caller's assertion says what was shown instead
        page.wait_for_function(_TOOLTIP, arg=want, timeout=timeout)
    tips = page.locator(".leaflet-tooltip")
    return tips.last.inner_text() if tips.count() else ""


_TEXT = """([sel, want]) => { const e = [...document.querySelectorAll(sel)].pop();
                             return !!e && e.innerText.includes(want); }"""


def wait_text(page, selector: str, want: str, timeout: float = 15_000) -> None:
    """Wait (up to ``timeout`` ms) until the last element matching ``selector`` has ``want`` in its text;
    on time out return all the same: the caller's assertion says what was shown instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(_TEXT, arg=[selector, want], timeout=timeout)


def tap(page, locator):
    """A tap on ``locator`` (a control, a button), as a reader's finger: apart from the last tap (see
    :func:`tap_gap`); then wait for the map to settle."""
    tap_gap(page)
    locator.tap()
    settle(page)


def until(page, predicate: str, arg=None, timeout: float = 15_000) -> None:
    """Wait (up to ``timeout`` ms) until the page function ``predicate`` holds; on time out return all
    the same: the caller's assertion says what was shown instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(predicate, arg=arg, polling="raf", timeout=timeout)


def press(page, x, y):
    """A click, or on a phone a tap; then wait for the map to settle. Two taps are kept further
    apart than a double tap (Leaflet: 200 ms; sooner, it zooms in), as a reader's would be
    (playwright's clicks are single clicks, each with a click count of one)."""
    if page.phone:
        tap_gap(page)
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)
    settle(page)


def popup_text(page) -> str | None:
    """The open popup's text, or None."""
    popups = page.locator(".leaflet-popup-content")
    return popups.last.inner_text() if popups.count() else None


def zoom(page) -> float:
    return page.evaluate("window.corridormap.map.getZoom()")


def _spread_member(page, name):
    spread = page.locator(".leaflet-cmSpider-pane .leaflet-marker-icon")
    for i in range(spread.count()):
        if spread.nth(i).get_attribute("title") == name:
            return spread.nth(i).bounding_box()
    return None


def _cluster_near(page, x, y):
    """A visible point of the count symbol drawn over or next to (x, y), where nothing covers it."""
    return page.evaluate(
        """([x, y]) => {
            for (const e of document.querySelectorAll('.cm-cluster')) {
              const r = e.getBoundingClientRect(), cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
              const rad = r.width / 2;
              if (Math.hypot(cx - x, cy - y) > rad + 12) continue;
              for (let k = 0; k < 16; k++) {
                const a = (2 * Math.PI * k) / 16;
                const px = cx + 0.75 * rad * Math.cos(a), py = cy + 0.75 * rad * Math.sin(a);
                const hit = document.elementFromPoint(px, py);
                if (hit && hit.closest('.cm-cluster') === e) return [px, py];
              }
            }
            return null;
        }""",
        [x, y],
    )


def _stack_near(page, x, y):
    """The centre of the stack drawn nearest (x, y), within 40 pixels (a badge of features that
    spread wider than a stack covers), where nothing covers it."""
    return page.evaluate(
        """([x, y]) => {
            let best = null, d = 40;
            for (const e of document.querySelectorAll('.leaflet-cmPoints-pane .cm-stack')) {
              const r = e.getBoundingClientRect(), cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
              const dist = Math.hypot(cx - x, cy - y), hit = document.elementFromPoint(cx, cy);
              if (dist < d && hit && hit.closest('.cm-stack') === e) { d = dist; best = [cx, cy]; }
            }
            return best;
        }""",
        [x, y],
    )


def aim(page, x, y, name):
    """Where a reader looking for ``name`` at (x, y) points: the feature's own symbol or the stack
    drawn over that spot, else the stack drawn nearest it (a badge of features spread wider than a
    stack covers), else the organisations' count symbol there, else the spot itself."""
    hit = page.evaluate(
        """([x, y]) => { const e = document.elementFromPoint(x, y), m = e && e.closest('.leaflet-marker-icon');
                         return m ? [m.className, m.getAttribute('title')] : null; }""",
        [x, y],
    )
    if hit and ("cm-stack" in hit[0] or hit[1] == name):
        return x, y
    return _stack_near(page, x, y) or _cluster_near(page, x, y) or (x, y)


def open_feature(page, lat, lon, name: str) -> str:
    """Point at a feature where it is drawn until its popup opens: a stack spreads out (then its
    member named ``name`` is clicked where it now is), a group zooms in (then point again), and
    when the feature is inside a badge or an organisations' count symbol drawn there, that is clicked."""
    trail = []  # what each press hit, for the failure message
    for _ in range(10):
        x, y = aim(page, *xy(page, lat, lon), name)
        trail.append((round(zoom(page), 2), round(x), round(y), _title_at(page, x, y)))
        press(page, x, y)
        text = popup_text(page)
        if text is not None and name in text.split("\n")[0]:
            return text
        member = _spread_member(page, name)
        if member:
            press(page, member["x"] + member["width"] / 2, member["y"] + member["height"] / 2)
            # the tap's click can come after the map settled on a loaded machine (CI: no popup yet)
            until(page, "() => !!document.querySelector('.leaflet-popup-content')", timeout=5_000)
            text = popup_text(page)
            if text is not None:  # the member's own popup, and no other
                assert name in text.split("\n")[0], (name, text)
                return text
            # CI, a loaded machine: once a phone's tap on a spread member opened nothing in 5 s (the
            # cause not found; never seen on a quiet run): pointed at again, as a reader taps again.
            trail.append(("member tapped, no popup", round(member["x"]), round(member["y"])))
            page.keyboard.press("Escape")
            continue
        if page.locator(".leaflet-popup-content .cm-member").count():  # the points of one spot, listed
            page.locator(".leaflet-popup-content .cm-member", has_text=name).first.click()
            settle(page)
            text = popup_text(page)
            if text is not None and name in text.split("\n")[0]:
                return text
        page.keyboard.press("Escape")
    raise AssertionError(
        f"pointing at {name!r} at ({lat}, {lon}) opened no popup of it; pressed {trail}, "
        f"last popup {popup_text(page)!r}"
    )


def _title_at(page, x, y):
    return page.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y); if (!e) return null;"
        " const t = e.closest('[title]');"
        " return (t ? t.getAttribute('title') : e.getAttribute('class') || e.tagName).slice(0, 50); }",
        [x, y],
    )


def blocked_rects(page) -> list[tuple[float, float, float, float]]:
    """Screen boxes a reader cannot point through to the map: markers, labels, controls, popups."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
              '.leaflet-marker-icon, .leaflet-control, .cm-timebar, .cm-toolbar, .cm-sheet-open, .leaflet-popup'))
            .filter((e) => e.offsetParent !== null)
            .map((e) => { const r = e.getBoundingClientRect();
                          return [r.left - 3, r.top - 3, r.right + 3, r.bottom + 3]; })"""
    )


def _line_segments(page, lines) -> np.ndarray:
    """The drawn lines' segments in page pixels: rows of (ax, ay, bx, by)."""
    out = []
    for coords in lines:
        pts = xys(page, [(lat, lon) for lon, lat in coords])
        out.append(np.hstack([pts[:-1], pts[1:]]))
    return np.vstack(out) if out else np.zeros((0, 4))


def _near_segments(segments, x, y, margin=9.0) -> bool:
    if not len(segments):
        return False
    a, b = segments[:, :2], segments[:, 2:]
    d = b - a
    t = np.clip(((x - a[:, 0]) * d[:, 0] + (y - a[:, 1]) * d[:, 1]) / np.maximum((d**2).sum(axis=1), 1e-9), 0, 1)
    return bool((np.hypot(x - (a[:, 0] + t * d[:, 0]), y - (a[:, 1] + t * d[:, 1])) < margin).any())


def free_point(page, polygon, lines=()) -> tuple[float, float]:
    """A point of ``polygon`` (WGS-84) drawn where nothing else covers it, well inside its drawn
    outline: its representative point if free, else the nearest free point of a grid over it. A
    polygon too small for one at this zoom is zoomed into with the mouse wheel, as a reader would.
    Returns (lat, lon)."""
    for _ in range(4):
        found = _free_point(page, polygon, lines)
        if found:
            return found
        rep = shapely.point_on_surface(polygon)
        wheel(page, *xy(page, rep.y, rep.x), -240)
    raise AssertionError("no free point of the polygon on screen")


def _free_point(page, polygon, lines):
    rects = np.array(blocked_rects(page)).reshape(-1, 4)
    size = page.viewport_size
    west, east = page.evaluate(
        "(() => { const b = window.corridormap.map.getBounds(); return [b.getWest(), b.getEast()]; })()"
    )
    inner = polygon.buffer(-7 * (east - west) / size["width"])  # seven pixels inside the outline
    rep = shapely.point_on_surface(polygon)
    x0, y0, x1, y1 = polygon.bounds
    grid = [
        (y, x) for y in np.linspace(y0, y1, 40) for x in np.linspace(x0, x1, 40) if shapely.contains_xy(inner, x, y)
    ]
    grid.sort(key=lambda p: (p[0] - rep.y) ** 2 + (p[1] - rep.x) ** 2)
    if shapely.contains_xy(inner, rep.x, rep.y):
        grid.insert(0, (rep.y, rep.x))
    if not grid:
        return None
    segments = _line_segments(page, lines)
    for (lat, lon), (px, py) in zip(grid, xys(page, grid).tolist()):
        if not (4 < px < size["width"] - 4 and 4 < py < size["height"] - 4):
            continue
        if len(rects) and ((rects[:, 0] <= px) & (px <= rects[:, 2]) & (rects[:, 1] <= py) & (py <= rects[:, 3])).any():
            continue
        if _near_segments(segments, px, py):
            continue
        return lat, lon
    return None


def bounds(page) -> list[float]:
    """The map's view: [west, south, east, north] in degrees."""
    return page.evaluate(
        "(() => { const b = window.corridormap.map.getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()"
    )


def reset(page):
    """Close any popup and press the reset-view button, as a reader starts over."""
    page.keyboard.press("Escape")
    button = page.locator(".cm-button").nth(1)
    if page.phone:
        tap_gap(page)
        button.tap()
    else:
        button.click()
    settle(page)
    page.wait_for_function("!document.querySelector('.leaflet-popup')")  # the closed popup has faded out
