"""No two symbols drawn over each other with 44,200 points at zoom 9 over the corridor's centre.

The page is reached as a reader does: a shared link's view one level out, then the map's + button
(a click, or a tap on a phone) and a drag of the map; the drawn symbols' boxes are read off the screen.
"""

from __future__ import annotations

import math
import sys

import pytest

import corridormap
from corridormap import build_map, save_map

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synth import as_user_list, synthetic_enterprises

N = 44_200
CENTRE = "#map=8/30.75000/120.76000"  # between Jiaxing, Huzhou and Hangzhou; + twice makes it zoom 9

pytestmark = pytest.mark.browser

SHAPES = """(els) => els.map((e) => { const r = e.getBoundingClientRect();
  return [e.classList.contains('cm-stack'), r.left, r.top, r.right, r.bottom]; })"""


@pytest.fixture(scope="module")
def crowded(tmp_path_factory, corridor):
    """A user's list of 44,200 firms (the size of the corridor's count of high-tech enterprises)."""
    folder = tmp_path_factory.mktemp("collision")
    csv = folder / "firms.csv"
    as_user_list(synthetic_enterprises(N, seed=0, corridor=corridor), corridor).to_csv(csv, index=False)
    gdf = corridormap.read_points(csv, cities=corridor.cities)
    return save_map(build_map(corridor, lists=[gdf], basemap="none"), folder / "crowded.html", self_contained=True)


def _overlap(a, b) -> bool:
    """Whether two drawn symbols cover each other by more than half a pixel: a stack is a box, a
    count or point symbol the circle inscribed in its box."""
    (box_a, *ra), (box_b, *rb) = a, b
    if box_a and box_b:
        return ra[0] < rb[2] - 0.5 and rb[0] < ra[2] - 0.5 and ra[1] < rb[3] - 0.5 and rb[1] < ra[3] - 0.5
    if not box_a and not box_b:
        d = math.hypot((ra[0] + ra[2] - rb[0] - rb[2]) / 2, (ra[1] + ra[3] - rb[1] - rb[3]) / 2)
        return d < (ra[2] - ra[0]) / 2 + (rb[2] - rb[0]) / 2 - 0.5
    box, c = (ra, rb) if box_a else (rb, ra)
    cx, cy, r = (c[0] + c[2]) / 2, (c[1] + c[3]) / 2, (c[2] - c[0]) / 2
    return math.hypot(max(box[0], min(cx, box[2])) - cx, max(box[1], min(cy, box[3])) - cy) < r - 0.5


def _overlapping(page) -> list:
    shapes = page.locator(".cm-cluster, .cm-stack, .cm-sym").evaluate_all(SHAPES)
    return [(a, b) for i, a in enumerate(shapes) for b in shapes[i + 1 :] if _overlap(a, b)]


def test_overlap_reads_circles_and_boxes():
    """The screen check itself: circles that only meet at their boxes' corners do not overlap."""
    assert not _overlap((False, 0, 0, 20, 20), (False, 17, 17, 37, 37))
    assert _overlap((False, 0, 0, 20, 20), (False, 12, 0, 32, 20))
    assert _overlap((True, 0, 0, 20, 20), (False, 15, 5, 25, 15))
    assert not _overlap((True, 0, 0, 20, 20), (True, 20, 0, 40, 20))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_no_two_symbols_overlap_at_zoom_9_over_the_centre(browser, crowded, size):
    from .pointer import DESKTOP, PHONE, open_map, press, settle, zoom

    page = open_map(browser, crowded, DESKTOP if size == "desktop" else PHONE, CENTRE)
    plus = page.locator(".leaflet-control-zoom-in").bounding_box()
    for _ in range(2):  # the + button zooms in half a level
        press(page, plus["x"] + plus["width"] / 2, plus["y"] + plus["height"] / 2)
        settle(page)
    assert zoom(page) == 9
    assert page.locator(".cm-cluster").count() > (40 if size == "desktop" else 10)
    assert _overlapping(page) == []
    view = page.viewport_size
    x, y = view["width"] * 0.6, view["height"] * 0.6  # a drag of the map: the symbols are grouped again
    if page.phone:
        page.mouse.move(x, y)  # playwright has no touch drag; a mouse drag moves Leaflet's map alike
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 150, y - 90, steps=8)
    page.mouse.up()
    settle(page)
    assert _overlapping(page) == []
    assert page.errors == []
    page.context.close()


# The count symbols whose centre lies within [x0, x1] px of the map's left edge (and wholly within its
# height: "strip"), wholly past its left edge ("past"), centred in the free view (no panel over it:
# "free") or in the map but not in the free view ("under", a panel): [tabIndex, ...].
CLUSTERS = """([x0, x1, where]) => { const m = document.querySelector('.folium-map').getBoundingClientRect();
  return [...document.querySelectorAll('.cm-cluster')].filter((e) => {
    const r = e.getBoundingClientRect(), x = (r.left + r.right) / 2 - m.left;
    if (where === 'past') return r.right < m.left;
    if (where === 'strip') return x >= x0 && x <= x1 && r.top >= m.top && r.bottom <= m.bottom;
    const o = L.Popup.prototype.options, tl = o.autoPanPaddingTopLeft, br = o.autoPanPaddingBottomRight;
    const y = (r.top + r.bottom) / 2 - m.top, inMap = x >= 0 && y >= 0 && x <= m.width && y <= m.height;
    const free = x >= tl.x && y >= tl.y && x <= m.width - br.x && y <= m.height - br.y;
    return where === 'free' ? free : inMap && !free; }).map((e) => e.tabIndex); }"""


def test_a_drag_shows_the_symbols_past_the_edge_and_a_short_one_redraws_nothing(browser, crowded):
    """Dragged by the mouse 300 px to the right at zoom 9: the strip that comes into view already
    holds its count symbols while the button is still down (they were arranged past the edge), and
    on release the symbols stay the very elements they were, where they were (no redraw). Symbols
    past the edge are not reached by Tab, nor those under a panel; those in the free view are."""
    from .pointer import DESKTOP, open_map, settle, zoom

    page = open_map(browser, crowded, DESKTOP, "#map=9/30.75000/120.76000")
    assert zoom(page) == 9
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    past = page.evaluate(CLUSTERS, [None, None, "past"])
    assert past and set(past) == {-1}
    page.mouse.move(width / 2, height / 2)
    page.mouse.down()
    page.mouse.move(width / 2 + 300, height / 2, steps=10)
    page.wait_for_timeout(300)  # held still before release: no inertia carries the map on
    held = page.evaluate(CLUSTERS, [20, 300, "strip"])
    assert len(held) > 3, held  # the strip come into view is not empty mid-drag
    page.evaluate("() => document.querySelectorAll('.cm-cluster').forEach((e, i) => { e.dataset.seen = i; })")
    before = page.locator(".cm-cluster").evaluate_all(SHAPES)
    page.mouse.up()
    settle(page)
    assert page.locator(".cm-cluster:not([data-seen])").count() == 0  # none made anew
    assert sorted(page.locator(".cm-cluster").evaluate_all(SHAPES)) == sorted(before)  # none moved
    shown = page.evaluate(CLUSTERS, [None, None, "free"])
    assert shown and set(shown) == {0}
    under = page.evaluate(CLUSTERS, [None, None, "under"])
    assert under and set(under) == {-1}
    assert _overlapping(page) == []
    assert page.errors == []
    page.context.close()
