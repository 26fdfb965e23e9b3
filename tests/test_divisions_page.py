"""The county-level divisions in a reader's hands: named on hover, a click (or tap) at a point of
the division's own geometry opens its summary, and the choropleth by county/district colours each
division as the legend's class for its value. Real input only (tests/pointer.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import corridormap

from .pointer import DESKTOP, PHONE, free_point, hover, open_feature, open_map, press, reset, settle, tap_gap, xy

pytestmark = pytest.mark.browser

NAME = "Address list"


@pytest.fixture(scope="module")
def divided(corridor):
    if getattr(corridor, "divisions", None) is None:
        pytest.skip("geodata/ has no divisions layer")
    return corridor


def _addressed(corridor, seed=8) -> pd.DataFrame:
    """An address-only list: each firm's registered address names its city and division (and a
    street); the ``truth`` column (the division's adcode) is dropped before reading."""
    rng = np.random.default_rng(seed)
    cities = dict(zip(corridor.cities["id"], corridor.cities["name_zh"]), songjiang="上海市")
    rows = []
    for _, d in corridor.divisions.iterrows():
        for k in range(int(rng.integers(0, 12))):
            address = f"{cities[d['city_id']]}{d['name_zh']}创新路{k + 1}号"
            rows.append({"企业名称": f"{d['name_zh']} firm {k}", "注册地址": address, "行业": "ai",
                         "truth": str(d["adcode"])})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory, divided):
    firms = _addressed(divided)
    points = corridormap.read_points(firms.drop(columns="truth"), name=NAME, cities=divided.cities)
    assert (points["location_precision"] == "district").all()
    out = tmp_path_factory.mktemp("divisions") / "map.html"
    return firms, corridormap.save_map(
        corridormap.build_map(divided, lists=[points], lang="en"), out, self_contained=True
    )


@pytest.fixture(scope="module", params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, browser, built):
    p = open_map(browser, built[1], request.param, "#on=divisions")
    yield p
    assert p.errors == []
    p.context.close()


def _lines(corridor):
    """The lines drawn over the divisions: the routes and the enclaves' flows."""
    drawn = [*corridor.routes.geometry, *corridormap.enclave_flows(corridor).geometry]
    return [list(np.asarray(g.coords)) for g in drawn]


def test_divisions_show_their_name_on_hover_and_summary_on_click(page, divided):
    sample = divided.divisions.sample(6 if not page.phone else 2, random_state=3)
    for _, d in sample.iterrows():
        reset(page)
        lat, lon = free_point(page, d.geometry, _lines(divided))
        x, y = xy(page, lat, lon)
        if not page.phone:
            assert d["name_en"] in hover(page, x, y, d["name_en"])
        press(page, x, y)
        text = page.locator(".leaflet-popup-content").last.inner_text()
        assert text.startswith(d["name_en"]) and "County-level division" in text, text[:80]
        assert str(d["adcode"]) in text


def test_an_address_placed_districts_symbol_lists_its_firms_and_each_opens(page, built, divided):
    firms, _ = built
    adcode = firms["truth"].value_counts().index[0]
    d = divided.divisions.set_index(divided.divisions["adcode"].astype(str)).loc[adcode]
    members = firms.loc[firms["truth"] == adcode, "企业名称"]
    reset(page)
    title = f"{len(members)} in “{NAME}” located only to {d['name_en']}"
    assert open_feature(page, d["rep_lat"], d["rep_lon"], title).startswith(title)
    buttons = page.locator(".leaflet-popup-content .cm-area-members .cm-member")
    assert sorted(buttons.all_inner_texts()) == sorted(members)
    last = buttons.nth(len(members) - 1)
    name = last.inner_text()
    if page.phone:
        tap_gap(page)
        last.tap()
    else:
        last.click()
    settle(page)
    text = page.locator(".leaflet-popup-content").last.inner_text()
    lines = text.split("\n")  # the member's popup starts with the way back to the list
    assert lines[0] == f"← back to {len(members)} firms" and lines[1] == name and "known only to its district" in text


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


def test_the_choropleth_by_district_colours_each_division_as_its_legend_class(browser, built, divided):
    firms, path = built
    page = open_map(browser, path, DESKTOP)
    legend = page.locator(".cm-section-legend")
    if not legend.evaluate("d => d.open"):
        legend.locator(":scope > summary").click()
    select = legend.locator(".cm-colour select")
    select.select_option(select.locator("option", has_text=f"{NAME}: count, by county/district").get_attribute("value"))
    settle(page)
    rows = legend.locator(".cm-legend-classes .cm-legend-row")
    classes = []
    for k in range(rows.count()):
        text = rows.nth(k).locator(".cm-legend-text").inner_text()
        low, _, high = text.partition("–")
        swatch = rows.nth(k).locator(".cm-key").evaluate("e => getComputedStyle(e).backgroundColor")
        classes.append((float(low.replace(",", "")), float((high or low).replace(",", "")), swatch))
    counts = firms.groupby("truth").size()
    fills = dict(page.evaluate("() => Array.from(document.querySelectorAll('path[data-adcode]'), "
                               "p => [p.dataset.adcode, p.getAttribute('fill')])"))  # fmt: skip
    assert len(fills) == len(divided.divisions)
    for _, d in divided.divisions.iterrows():
        n = int(counts.get(str(d["adcode"]), 0))
        (swatch,) = [s for lo, hi, s in classes if lo <= n <= hi]
        assert _rgb(fills[str(d["adcode"])]) == swatch, (d["name_en"], n)
    page.context.close()


def test_hostile_division_names_stay_text(browser, divided, data_copy, tmp_path):
    from .hostile import PAYLOAD, poison

    if not (data_copy / "divisions.geojson").exists():
        pytest.skip("geodata/ has no divisions layer")
    poison(data_copy)
    corridor = corridormap.load_corridor(data_copy)
    path = corridormap.save_map(corridormap.build_map(corridor, lang="en"), tmp_path / "map.html", self_contained=True)
    page = open_map(browser, path, DESKTOP, "#on=divisions")
    d = corridor.divisions.iloc[int(np.argmax(corridor.divisions["area_km2"]))]
    x, y = xy(page, *free_point(page, d.geometry, _lines(corridor)))
    assert PAYLOAD in hover(page, x, y, PAYLOAD)
    press(page, x, y)
    assert page.locator(".leaflet-popup-content .cm-title").last.inner_text() == d["name_en"]
    assert page.evaluate("window.__pwned === undefined") and page.errors == []
    page.context.close()
