"""The analyst's views in a browser, by real pointer and keyboard input: filters, the choropleth,
H3 density, the time slider, shared links, charts; and 44,200 points that never pile up.

Each count on screen is compared with what pandas (or h3-py, or mapclassify) gives for the same data."""

from __future__ import annotations

import re
import sys

import numpy as np
import pandas as pd
import pytest

import corridormap

from .conftest import ROOT
from .pointer import DESKTOP, bounds, open_map, press, settle, until

pytestmark = pytest.mark.browser
N = 44_200


def _own_list(corridor, n, seed=3):
    """A list as an analyst holds it: Chinese headers, no ids, no sources, a column of their own."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import synthetic_enterprises

    df = synthetic_enterprises(n, seed=seed, corridor=corridor)
    rng = np.random.default_rng(seed)
    firms = pd.DataFrame({
        "企业名称": df["name_zh"], "经度": df["lon"], "纬度": df["lat"], "行业": df["sector"],
        "园区": rng.choice(["松江园", "嘉善园", "临平园"], n),
    })  # fmt: skip
    return corridormap.read_points(firms, name="我的企业")


@pytest.fixture(scope="module")
def big(tmp_path_factory, corridor):
    firms = _own_list(corridor, N)
    out = tmp_path_factory.mktemp("views") / "big.html"
    return firms, corridormap.save_map(
        corridormap.build_map(corridor, lists=[firms], lang="en"), out, self_contained=True
    )


def _open_section(page, key):
    section = page.locator(f".cm-section-{key}")
    if not section.evaluate("d => d.open"):
        section.locator(":scope > summary").click()
    return section


def _circles(page, layer: str):
    """Every count symbol of one organisation layer on screen: (x, y, radius). (Each layer is an
    overlay of its own: two layers' symbols may lie over each other, as any two overlays may.)"""
    return np.array(
        page.evaluate(
            """(name) => Array.from(document.querySelectorAll('.cm-cluster')).filter((e) => e.title.includes(name))
                  .map((e) => { const r = e.getBoundingClientRect();
                                return [(r.left + r.right) / 2, (r.top + r.bottom) / 2, r.width / 2]; })""",
            layer,
        )
    ).reshape(-1, 3)


def test_count_symbols_never_overlap_at_zooms_6_to_14(browser, big, corridor):
    """Opened at zoom 6 over three crowds, then zoomed in step by step with the zoom button (half a
    level a press), as a reader does, to zoom 14: at each step no two count symbols overlap."""
    rows = []
    for lat, lon in ((30.27, 120.15), (31.03, 121.23), (31.82, 117.23)):  # Hangzhou, Songjiang, Hefei
        page = open_map(browser, big[1], DESKTOP, f"#map=6/{lat}/{lon}")
        z = 6.0
        while z <= 14:
            c = _circles(page, "我的企业")
            assert len(c) > 0, (z, lat, lon)
            d = np.hypot(c[:, None, 0] - c[None, :, 0], c[:, None, 1] - c[None, :, 1])
            gap = d - (c[:, None, 2] + c[None, :, 2])
            np.fill_diagonal(gap, np.inf)
            rows.append((z, len(c), float(gap.min())))
            assert gap.min() >= -0.5, (z, lat, lon, gap.min())
            page.locator(".leaflet-control-zoom-in").click()  # half a zoom level a press
            settle(page)
            assert page.evaluate("window.corridormap.map.getZoom()") > z
            z = page.evaluate("window.corridormap.map.getZoom()")
        page.context.close()
    assert max(n for _, n, _ in rows) > 50  # the test saw real crowds


def _counts(page, layer: str) -> list[tuple[int, dict]]:
    """Each count symbol of a layer inside the window: (its number of points, its box)."""
    out = []
    for el in page.locator(".cm-cluster").all():
        title, box = el.get_attribute("title") or "", el.bounding_box()
        inside = box and 0 <= box["x"] + box["width"] / 2 <= DESKTOP["width"]
        if layer in title and inside and 0 <= box["y"] + box["height"] / 2 <= DESKTOP["height"]:
            out.append((int(re.search(r"[\d,]+", title).group().replace(",", "")), box))
    return out


def test_a_cluster_click_splits_it(browser, big):
    """The fullest count symbol on screen, clicked, zooms in to it: it is now several smaller ones."""
    page = open_map(browser, big[1], DESKTOP, "#map=8/30.27/120.15")
    n, box = max(_counts(page, "我的企业"), key=lambda c: c[0])
    assert n > 100  # a real crowd
    before = page.evaluate("window.corridormap.map.getZoom()")
    press(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.evaluate("window.corridormap.map.getZoom()") > before
    assert page.locator(".cm-member").count() == 0  # zoomed in, not a list of members
    after = [k for k, _ in _counts(page, "我的企业")]
    assert len(after) >= 2 and max(after) < n, (n, after)
    page.context.close()


def _facet(page, layer_index, key):
    box = page.locator(".cm-filter").nth(layer_index)
    facet = box.locator(".cm-facet").filter(has=page.locator(f"summary:text-matches('^{key}')")).first
    if not facet.evaluate("d => d.open"):
        facet.locator("summary").click()
    return box, facet


def test_filter_leaves_exactly_the_rows_pandas_selects(browser, big):
    firms, path = big
    page = open_map(browser, path, DESKTOP)
    _open_section(page, "filter")
    box, sector = _facet(page, 1, "Sector")
    sector.locator(".cm-link").nth(1).click()  # none
    wanted = ["new energy", "semiconductors"]
    for label in sector.locator("label").all():
        if label.locator("span").first.inner_text().strip() in wanted:
            label.locator("input").click()
    settle(page)
    expected = int(firms["sector"].isin(wanted).sum())
    shown = box.locator(".cm-filter-shown").inner_text()
    assert shown.startswith(f"{expected:,} of {N:,}")
    assert page.evaluate("window.corridormap.shown('list-1')") == expected
    # The city facet's counts are those of the selected sectors, city by city.
    _, city = _facet(page, 1, "City")
    counts = firms[firms["sector"].isin(wanted)].groupby("city_id").size()
    names = dict(zip(corridormap.load_corridor().cities["id"], corridormap.load_corridor().cities["name_en"]))
    for label in city.locator("label").all():
        text, n = label.locator("span").first.inner_text(), label.locator(".cm-count").inner_text()
        cid = next(k for k, v in names.items() if v == text.strip())
        assert int(n.replace(",", "")) == int(counts.get(cid, 0)), text
    # The count symbols and single points in view add up to the filtered points (all in view here).
    page.keyboard.press("Escape")
    total = page.evaluate(
        """() => { let n = 0;
            for (const e of document.querySelectorAll('.cm-cluster, .cm-stack, .cm-sym-org')) {
              for (const m of (e.title || '').matchAll(/([\\d,]+) in “我的企业”/g)) n += Number(m[1].replace(/,/g, ''));
              if (e.classList.contains('cm-sym-org') && e.title && !e.title.includes('“')) n += 0;
            }
            return n; }"""
    )
    singles = page.locator(".leaflet-cmPoints-pane .cm-sym-org, .leaflet-cmPoints-pane .cm-stack").count()
    assert expected - singles * 12 <= total <= expected  # a few points drawn one by one, or in a long stack
    page.context.close()


# The assertions below, as the page function waited for: the section's top in the panel's view, and
# the section whole in it unless it is taller than the panel.
_IN_SIDE = """(e) => { const r = e.getBoundingClientRect();
                       const s = document.querySelector('.cm-side').getBoundingClientRect();
                       return s.top - 1 <= r.top && r.top <= s.bottom - 20
                              && (r.bottom <= s.bottom + 1 || r.height >= s.height - 8); }"""


def test_a_section_opened_below_the_fold_comes_into_view_with_its_values(browser, big):
    """Opening Filter, then Facts, with the legend open: each opened section is scrolled into the
    side panel's view; a sector facet of 11 values shows them all without a scroll of its own."""
    _, path = big
    page = open_map(browser, path, DESKTOP)
    side = page.locator(".cm-side").bounding_box()
    for key in ("filter", "facts"):
        section = _open_section(page, key)
        until(page, _IN_SIDE, section.element_handle())  # scrolled into the panel's view, or time out
        r = section.bounding_box()
        assert side["y"] - 1 <= r["y"] <= side["y"] + side["height"] - 20, key
        assert r["y"] + r["height"] <= side["y"] + side["height"] + 1 or r["height"] >= side["height"] - 8, key
    _open_section(page, "filter")
    _, sector = _facet(page, 1, "Sector")
    values = sector.locator(".cm-facet-values")
    assert values.locator("li").count() == 11
    assert values.evaluate("u => u.scrollHeight <= u.clientHeight + 1")
    page.context.close()


def test_a_sector_in_the_legend_filters_to_it(browser, big):
    firms, path = big
    page = open_map(browser, path, DESKTOP)
    legend = _open_section(page, "legend")
    legend.locator(".cm-legend-button", has_text="aerospace").last.click()
    settle(page)
    assert page.evaluate("window.corridormap.shown('list-1')") == int((firms["sector"] == "aerospace").sum())
    page.context.close()


def test_choropleth_breaks_are_mapclassifys_and_the_legend_shows_them(browser, big, corridor):
    mapclassify = pytest.importorskip("mapclassify")
    firms, path = big
    page = open_map(browser, path, DESKTOP)
    legend = _open_section(page, "legend")
    select = legend.locator(".cm-colour select")
    # the city measure, not its by-district namesake ("…, by county/district")
    option = select.locator("option", has_text=re.compile(r"^我的企业 per 1,000 km²$"))
    select.select_option(option.get_attribute("value"))
    settle(page)
    counts = firms.groupby("city_id").size().reindex(corridor.cities["id"], fill_value=0).to_numpy(float)
    area = corridor.cities.to_crs(corridormap.METRIC_CRS).area.to_numpy() / 1e6
    fj = mapclassify.FisherJenks(counts / area * 1000, 5)
    rows = legend.locator(".cm-legend-classes .cm-legend-text").all_inner_texts()
    highs = [float(r.split("–")[-1].replace(",", "")) for r in rows]  # "low–high", or one value
    assert highs == pytest.approx(fj.bins.tolist(), abs=0.5)  # shown as whole numbers: all are over 100
    page.context.close()


def test_density_counts_equal_h3_and_cover_the_view(browser, big):
    import h3

    firms, path = big
    page = open_map(browser, path, DESKTOP, "#map=9/30.40/120.20&on=density:list-1&off=list-1")
    cells = page.evaluate(
        "() => Array.from(document.querySelectorAll('path[data-cell]'))"
        ".map((p) => [p.dataset.cell, Number(p.dataset.count)])"
    )
    assert len(cells) > 10
    res = h3.get_resolution(cells[0][0])
    # Each point counts in its resolution-9 cell's parent, as H3 aggregates (the children of a cell
    # do not exactly tile it, so this is not always the cell the point itself falls in at `res`).
    parent = [h3.cell_to_parent(h3.latlng_to_cell(la, lo, 9), res) for la, lo in zip(firms["lat"], firms["lon"])]
    own = pd.Series(parent).value_counts()
    for cell, n in cells:
        assert own[cell] == n, cell
    w, s, e, n = bounds(page)
    in_view = firms[(firms["lon"] > w) & (firms["lon"] < e) & (firms["lat"] > s) & (firms["lat"] < n)]
    drawn = {c for c, _ in cells}
    assert all(
        h3.cell_to_parent(h3.latlng_to_cell(la, lo, 9), res) in drawn for la, lo in zip(in_view["lat"], in_view["lon"])
    )
    assert sum(n for _, n in cells) >= len(in_view)
    page.context.close()


def test_city_borders_show_over_the_density_only_while_it_is_on(browser, big):
    """Ticking a density layer in the layers panel draws the nine outlines above its hexagons;
    unticking it takes them away (they would only double each pan's redraw)."""
    _, path = big
    page = open_map(browser, path, DESKTOP)
    outlines = page.locator(".leaflet-cmOutlines-pane path")
    assert outlines.count() == 0
    layers = _open_section(page, "layers")
    box = layers.locator("label", has_text="Density").last
    box.click()
    settle(page)
    assert outlines.count() == 9 and page.locator("path[data-cell]").count() > 0
    box.click()
    settle(page)
    assert outlines.count() == 0
    page.context.close()


def test_time_slider_draws_only_the_cities_of_each_stage(browser, big, corridor):
    page = open_map(browser, big[1], DESKTOP)
    stages = corridor.milestones[corridor.milestones["kind"] == "stage"].sort_values("date")
    second = stages.iloc[1]  # 2.0
    slider = page.locator(".cm-range")
    slider.focus()
    page.keyboard.press("Home")
    year = second["date"][:7]
    for _ in range(200):
        if page.locator(".cm-date").inner_text() >= year:
            break
        page.keyboard.press("ArrowRight")
    settle(page)
    drawn = page.locator(".leaflet-cmAreas-pane path.leaflet-interactive").count()
    assert drawn == len(second["city_ids"].split(";")) == 3
    assert second["name_en"] in page.locator(".cm-caption").inner_text()
    page.keyboard.press("End")
    settle(page)
    assert page.locator(".leaflet-cmAreas-pane path.leaflet-interactive").count() == 9
    page.context.close()


def test_a_shared_link_restores_filter_and_date(browser, big):
    path = big[1]
    page = open_map(browser, path, DESKTOP)
    _open_section(page, "filter")
    _, sector = _facet(page, 1, "Sector")
    sector.locator("label").first.locator("input").click()  # the most frequent sector off
    page.locator(".cm-range").focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.locator(".cm-button").first.click()  # share
    settle(page)
    url = page.evaluate("window.location.href")
    shown = page.evaluate("window.corridormap.shown('list-1')")
    date = page.locator(".cm-date").inner_text()
    assert "f.list-1=sector:" in url and "date=" in url
    again = open_map(browser, path, DESKTOP, "#" + url.split("#", 1)[1])
    assert again.evaluate("window.corridormap.shown('list-1')") == shown < N
    assert again.locator(".cm-date").inner_text() == date
    page.context.close()
    again.context.close()


def test_charts_show_the_data(browser, big, corridor):
    page = open_map(browser, big[1], DESKTOP)
    facts = _open_section(page, "facts")
    texts = facts.locator("svg text").all_text_contents()
    f = corridor.facts.set_index("id")
    for fid in ("rd-intensity-start", "rd-intensity", "pct-share", "award-share", "high-tech-share"):
        value = f.loc[fid, "value"]
        assert any(re.search(rf"(?<![\d.]){value:g} ?%", t) for t in texts), (fid, value)
    page.context.close()
