"""Basemaps, regions and languages, checked in the built page."""

from __future__ import annotations

import json
import re

import pytest

from corridormap import build_map
from corridormap.errors import CorridorError
from corridormap.render import render_html


def _data(html):
    return json.loads(re.search(r'id="corridor-data">(.*?)</script>', html, re.S).group(1))


def _bases(html):
    """The basemaps handed to the page, in order: (key, datum)."""
    return re.findall(r'\{key: "([^"]+)", layer: \w+, datum: "([^"]+)"\}', html)


def _base_names(html):
    block = re.search(r"base_layers\s*:\s*\{(.*?)\}", html, re.S).group(1)
    return [json.loads(n) for n in re.findall(r'("(?:[^"\\]|\\.)*")\s*:', block)]


def test_default_offers_gaode_but_not_tianditu_without_key(built_map, map_html):
    m = built_map("en")  # built without $TIANDITU_KEY (conftest)
    html = map_html("en")
    names = _base_names(html)
    assert names[0] == "Light gray (Esri)"
    assert "Gaode road map (GCJ-02)" in names and "Gaode satellite (GCJ-02)" in names
    assert not any("Tianditu" in n for n in names)
    assert any("needs a Tianditu key" in n for n in m.corridormap_notes)
    bases = _bases(html)
    assert [d for _, d in bases].count("gcj02") == 2 and bases[0] == ("light", "wgs84")


def test_tianditu_with_key_has_its_annotation_layer(corridor, monkeypatch):
    monkeypatch.setenv("TIANDITU_KEY", "k123")
    html = render_html(build_map(corridor, lang="en"))
    assert "Tianditu vector" in _base_names(html) and "Tianditu imagery" in _base_names(html)
    for layer in ("vec", "cva", "img", "cia"):
        assert f"/{layer}_w/wmts?" in html and "tk=k123" in html


def test_region_cn_puts_gaode_first(corridor):
    html = render_html(build_map(corridor, region="cn", lang="zh"))
    assert _base_names(html)[0] == "高德地图"
    assert _bases(html)[0] == ("gaode", "gcj02")


def test_tianditu_basemap_without_key_is_a_clear_error(corridor, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    with pytest.raises(CorridorError, match="needs a Tianditu key"):
        build_map(corridor, basemap="tianditu")


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "Nine cities"), ("zh", "九城市"), ("both", "Nine cities · 九城市")]
)
def test_layer_names_follow_lang(map_html, lang, expected):
    d = _data(map_html(lang))
    assert d["overlayNames"]["cities"] == expected and d["lang"] == lang


def test_region_and_basemap_names_are_the_options():
    from corridormap import options
    from corridormap.render.basemaps import BASEMAPS, REGIONS

    assert tuple(REGIONS) == options.REGIONS
    assert tuple(BASEMAPS) == options.BASEMAP_KEYS
    for order in REGIONS.values():
        assert sorted(order) == sorted(options.BASEMAP_KEYS)
