"""Hostile text in every free-text field stays text in a real browser: popups, tooltips, labels,
search results, legend, facts and charts, the time slider's captions. Offline, self-contained."""

from __future__ import annotations

import shutil

import pytest

import corridormap

from .conftest import ROOT
from .hostile import PAYLOAD, poison
from .pointer import DESKTOP, open_feature, open_map, reset, wait_text

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile") / "geodata"
    shutil.copytree(ROOT / "geodata", data)
    poison(data)
    corridor = corridormap.load_corridor(data)
    out = tmp_path_factory.mktemp("hostile-map") / "map.html"
    return corridor, corridormap.save_map(corridormap.build_map(corridor, lang="both"), out, self_contained=True)


@pytest.fixture
def page(browser, hostile):
    p = open_map(browser, hostile[1], DESKTOP)
    p.blocked = []
    yield p
    p.context.close()


def _inert(page):
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".leaflet-popup-content img, .cm-side img, .cm-side script, .cm-timebar img").count() == 0


def test_opens_offline_without_errors(page):
    assert page.errors == []
    _inert(page)


def test_hostile_names_and_descriptions_are_text_in_popups(page, hostile):
    corridor = hostile[0]
    evil = corridor.enterprises.iloc[0]
    text = open_feature(page, evil["lat"], evil["lon"], evil["name_en"] + " · " + evil["name_zh"])
    assert text.startswith("Evil <img src=x onerror=") and "{{ 7*7 }}" in text and "${window.__pwned='tpl'}" in text
    reset(page)
    city = corridor.cities.iloc[0]
    page.locator(".cm-search input").fill("Songjiang")
    page.locator(".cm-results button").first.click()
    wait_text(page, ".leaflet-popup-content", PAYLOAD.split("<script>")[0])
    assert PAYLOAD.split("<script>")[0] in page.locator(".leaflet-popup-content").last.inner_text()
    assert city["name_en"]
    _inert(page)


def test_hostile_tour_text_is_text(page, hostile):
    tour = hostile[0].tour.sort_values("order")
    page.locator(".cm-tour-open").click()
    page.wait_for_selector(".cm-tour-on")
    title = page.locator(".cm-tour-title").inner_text()
    assert title.startswith(tour.iloc[0]["title_en"]) and "{{ 7*7 }}" in title
    assert PAYLOAD.split("<script>")[0] in page.locator(".cm-tour-body").inner_text()
    assert page.locator(".cm-tour img, .cm-tour script").count() == 0
    homes = page.locator(".cm-home-label")  # the enclaves' homes outside the nine, labelled on the map
    assert homes.count() and all("{{ 7*7 }}" in t for t in homes.all_inner_texts())
    assert page.locator(".cm-home-label img").count() == 0
    edges = page.locator(".cm-home-edge")  # a home out of view, named where its line leaves the view
    assert all("{{ 7*7 }}" in t for t in edges.all_inner_texts()) and page.locator(".cm-home-edge img").count() == 0
    page.keyboard.press("ArrowRight")
    assert page.locator(".cm-tour-progress").inner_text().startswith("2 /")
    _inert(page)


def test_search_results_facts_charts_and_captions_show_the_text(page):
    page.locator(".cm-search input").fill("Evil")
    assert "<script>" in page.locator(".cm-results").inner_text()
    page.locator(".cm-section-facts > summary").click()
    facts = page.locator(".cm-section-facts").inner_text()
    assert "<img src=x" in facts and "{% raw %}" in facts
    charts = page.locator(".cm-section-facts svg text").all_text_contents()  # SVG text has no innerText
    assert any("<img src=x" in t for t in charts)
    slider = page.locator(".cm-range")
    slider.focus()
    page.keyboard.press("Home")
    wait_text(page, ".cm-caption", "<script>")
    assert "<script>" in page.locator(".cm-caption").inner_text()
    _inert(page)
