"""The rendered map, checked by parsing its HTML and the data block the page reads."""

from __future__ import annotations

import base64
import itertools
import json
import re
import subprocess
import sys
import zlib

import numpy as np
import pandas as pd
import pytest

import corridormap
from corridormap import build_map
from corridormap.errors import CorridorError
from corridormap.render import render_html, save_map
from corridormap.render.labels import OVERLAYS
from corridormap.render.payload import COMPRESS_OVER, Numbers, Payload, text_column

from .conftest import ROOT
from .hostile import poison

DECODE = ROOT / "tests" / "js" / "decode.js"


def read_data(html: str) -> dict:
    """The map's data as the page reads it: its block, decoded by the page's own columns.js in node."""
    m = re.search(
        r'<script type="[^"]+" id="corridor-data"( data-encoding="deflate-base64")?>(.*?)</script>', html, re.S
    )
    assert m, "no corridor-data block"
    return read_block(m.group(2).encode("utf-8"), bool(m.group(1)))


def read_block(block: bytes, deflated: bool) -> dict:
    """A data block (JSON, or deflated base64 with binary sections) as columns.js reads it (tests/js/decode.js)."""
    args = ["node", str(DECODE)] + (["deflate-base64"] if deflated else [])
    out = subprocess.run(args, input=block, capture_output=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout)


def column(layer: dict, name: str) -> list:
    """A text column of a point layer, one value per point."""
    spec = layer["columns"][name]
    if "text" in spec:
        return spec["text"]
    return [None if k < 0 else spec["values"][k] for k in spec["codes"]]


def _layer_control(html: str) -> tuple[dict, dict]:
    out = []
    for key in ("base_layers", "overlays"):
        block = re.search(key + r"\s*:\s*\{(.*?)\}", html, re.S).group(1)
        pairs = re.findall(r'("(?:[^"\\]|\\.)*")\s*:\s*(\w+)', block)
        out.append({json.loads(name): var for name, var in pairs})
    return out[0], out[1]


@pytest.fixture
def html(map_html):
    return map_html()


def test_layer_control_lists_every_overlay_and_basemap(html, corridor):
    base, overlays = _layer_control(html)
    names = list(overlays)
    # context first (the divisions after the cities, where geodata/ has them), then the routes, the
    # organisations, enclaves, their flows and places; density last, hidden
    divisions = ["divisions"] if getattr(corridor, "divisions", None) is not None else []
    order = ["provinces", "cities", *divisions, *corridor.routes["id"], "enterprises", "enclaves", "flows", "places"]
    assert names[: len(order)] == ["{} · {}".format(*OVERLAYS[k]) for k in order]
    assert len(names) == len(order) + 1 and names[-1].startswith("Density (hexagons)")  # one per organisation layer
    assert len(base) == 5 and any("No basemap" in k for k in base)  # Tianditu only with a key
    for var in overlays.values():
        assert re.search(rf"var {var} = L\.featureGroup\(", html), var


def test_the_page_is_handed_folium_objects_not_global_names(html):
    start = re.search(
        r"corridormapStart\(document\.getElementById\('corridor-data'\), \{map: (\w+), overlays: \{(.*?)\}", html
    )
    assert start and re.search(rf"var {start.group(1)} = L\.map\(", html)
    assert '"cities": feature_group_' in start.group(2)
    assert "window[" not in html.split("corridormapStart")[0].rsplit("<script>", 1)[-1]  # the page script


def test_data_matches_the_layers(html, corridor):
    d = read_data(html)
    for name in ("cities", "seats", "routes", "stops", "enclaves", "places", "facts", "milestones"):
        assert len(d[name]) == len(getattr(corridor, name)), name
    orgs = d["layers"][0]
    assert orgs["key"] == "enterprises" and orgs["n"] == len(corridor.enterprises)
    assert column(orgs, "id") == list(corridor.enterprises["id"])
    assert orgs["x"] == list(np.round(corridor.enterprises["lon"] * 1e6).astype(int))
    sectors = [s["value"] for s in orgs["sectors"]]
    sector = next(c for c in orgs["cats"] if c["key"] == "sector")
    assert [sectors[k] for k in sector["codes"]] == list(corridor.enterprises["sector"])
    assert set(d["sources"]) == set(corridor.sources["id"])


def test_city_summary_and_tenants_are_the_analysis(html, corridor):
    d = read_data(html)
    city = {c["id"]: c for c in d["cities"]}["songjiang"]
    summary = corridormap.city_summary(corridor).loc["songjiang"]
    assert city["lists"]["enterprises"] == summary["enterprises"] and city["summary"]["stations"] == summary["stations"]
    enc = {e["id"]: e for e in d["enclaves"]}["xuancheng-sci-tech-center"]
    names = dict(zip(corridor.enterprises["id"], corridor.enterprises["name_en"]))
    tenants = corridor.enclaves.set_index("id").loc["xuancheng-sci-tech-center", "tenant_ids"].split(";")
    assert [t.split(" · ")[0] for t in enc["tenants"]] == [names[t] for t in tenants]  # names, not ids
    assert all(r["schematic"] for r in d["routes"])


def test_sector_colours_are_fixed_and_far_from_the_reference_symbols(html):
    from corridormap.render.colours import REFERENCE, SECTOR_COLOURS, distance

    colours = {s["value"]: s["colour"] for s in read_data(html)["layers"][0]["sectors"]}
    assert all(colours[k] == SECTOR_COLOURS[k] for k in colours)
    fixed = list(SECTOR_COLOURS.values())
    assert min(distance(a, b) for a, b in itertools.combinations(fixed, 2)) > 20
    assert min(distance(a, b) for a in fixed for b in REFERENCE.values()) > 15


def test_the_fixed_palette_is_cartos_safe(tmp_path):
    pytest.importorskip("palettable")
    from palettable.cartocolors.qualitative import Safe_10

    from corridormap.render.colours import SAFE_10

    assert [c.upper() for c in Safe_10.hex_colors] == list(SAFE_10)


def test_other_sector_values_keep_one_colour_in_every_build():
    from corridormap.render.colours import REFERENCE, SECTOR_COLOURS, distance, sector_colours

    a = sector_colours(["集成电路", "生物医药", "new energy"])
    b = sector_colours(["生物医药", "集成电路", "软件", "new energy"])
    assert a["生物医药"] == b["生物医药"] and a["new energy"] == SECTOR_COLOURS["new energy"]
    assert len(set(b.values())) == 4
    assert all(distance(b[k], r) >= 20 for k in ("集成电路", "生物医药", "软件") for r in REFERENCE.values())


def test_choropleth_classes_are_mapclassifys(html):
    mapclassify = pytest.importorskip("mapclassify")
    for m in read_data(html)["measures"]:
        values = np.array(m["values"])
        k = len(m["bins"])
        if len(np.unique(values)) < 2:
            continue
        fj = mapclassify.FisherJenks(values, k)
        assert m["bins"] == pytest.approx(fj.bins.tolist(), abs=1e-4) and m["classes"] == fj.yb.tolist(), m["id"]


def test_measure_names_and_class_ranges_read_cleanly(map_html):
    """Bilingual names are "English · 中文" (not each part doubled); each class reads as the range
    of the values in it, so no two classes' ranges share a value."""
    by_lang = {lang: read_data(map_html(lang))["measures"] for lang in ("en", "zh", "both")}
    for en, zh, both in zip(*by_lang.values()):
        assert both["label"] == f"{en['label']} · {zh['label']}" and "·" not in en["label"] + zh["label"]
        lows, highs, values = both["lows"], both["bins"], np.array(both["values"])
        assert all(lo <= hi for lo, hi in zip(lows, highs)) and all(a < b for a, b in zip(highs, lows[1:]))
        for value, k in zip(values, both["classes"]):
            assert lows[k] - 1e-4 <= value <= highs[k] + 1e-4


def test_natural_breaks_equal_mapclassifys_on_random_values_ties_included():
    """Beyond the two datasets the page classes: counts (many ties) and skewed measures."""
    mapclassify = pytest.importorskip("mapclassify")

    rng = np.random.default_rng(60)
    for i in range(400):
        n = int(rng.integers(3, 40))
        values = rng.integers(0, 25, n).astype(float) if i % 2 else rng.gamma(2.0, 50.0, n)
        k = int(min(rng.integers(2, 6), len(np.unique(values))))
        if k < 2:
            continue
        fj = mapclassify.FisherJenks(values, k)
        bins, classes = corridormap.natural_breaks(values, k)
        assert np.array_equal(bins, fj.bins) and np.array_equal(classes, fj.yb), (values.tolist(), k)


def test_page_language_title_and_zoomable_viewport(map_html):
    html = map_html("zh")
    assert '<html lang="zh-Hans">' in html and "<title>G60科创走廊</title>" in html
    assert "user-scalable=no" not in html and "maximum-scale" not in html
    assert "leaflet-measure.cn.js" in html
    d = read_data(html)
    assert d["ui"]["legend"] == "图例" and d["terms"]["new energy"] == "新能源"
    assert any(f["text"] == "约11.1%" for f in d["facts"])


def test_the_controls_are_the_maps_own_and_a_build_imports_no_folium_plugin():
    # folium.plugins' __init__ imports all ~35 plugins; the map has its own two controls (render/controls.py).
    code = (
        "import sys, corridormap\n"
        "from corridormap.render import render_html\n"
        "html = render_html(corridormap.build_map(corridormap.load_corridor(problems=[]), lang='en'), cdn=True)\n"
        "print(sorted(m for m in sys.modules if m.startswith('folium.plugins')))\n"
        "print('L.control.fullscreen(' in html, 'new L.Control.Measure(' in html, 'leaflet-measure.js' in html)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split("\n")[:2] == ["[]", "True True True"], out.stdout + out.stderr


def test_province_lines_cut_before_their_union_are_those_of_the_union_cut(corridor):
    """The provinces' outlines are cut to the box around the cities before their union (cheaper): the lines
    drawn are those of the whole outlines' union cut to the box, to the last digit."""
    import shapely

    from corridormap.render.page import PROVINCE_TOLERANCE, _province_lines

    x0, y0, x1, y1 = corridor.cities.total_bounds
    whole = shapely.union_all(shapely.boundary(corridor.provinces.geometry.to_numpy()))
    cut = shapely.line_merge(shapely.intersection(whole, shapely.box(x0 - 1, y0 - 1, x1 + 1, y1 + 1)))
    want = [
        [[round(y, 5), round(x, 5)] for x, y in shapely.get_coordinates(p)]
        for p in shapely.simplify(shapely.get_parts(cut), PROVINCE_TOLERANCE)
    ]
    got = _province_lines(corridor.provinces, corridor.cities)
    assert len(got) > 10 and got == want


def test_same_data_gives_byte_identical_html(corridor, map_html):
    assert render_html(build_map(corridor)) == map_html()  # a build now, and one earlier in the session


def test_saved_file_is_the_rendered_document(built_map, map_html, tmp_path):
    path = save_map(built_map(), tmp_path / "m.html")
    html = map_html()
    assert path.read_bytes() == html.encode("utf-8")
    assert html.count('id="corridor-data"') == 1


def test_no_cdn_library_left_when_self_contained(built_map, tmp_path):
    path = save_map(built_map(), tmp_path / "m.html", self_contained=True)
    text = path.read_text(encoding="utf-8")
    assert not re.findall(r'<script src="http', text) and not re.findall(r'<link rel="stylesheet" href="http', text)
    assert "leaflet@1.9.4/dist/leaflet.js (npm)" in text and "h3-js@" in text


def test_hostile_text_stays_data(data_copy):
    payload = poison(data_copy)
    html = render_html(build_map(corridormap.load_corridor(data_copy)))
    assert "<img src=x" not in html and "window.__pwned='script'</script>" not in html
    d = read_data(html)
    assert column(d["layers"][0], "name_en")[0] == "Evil " + payload
    assert d["facts"][0]["label"].startswith("R&D") and payload in d["facts"][0]["label"]
    assert payload in d["cities"][0]["name"] and payload in d["milestones"][0]["name"]


def test_failed_build_leaves_previous_map(tmp_path, built_map, monkeypatch):
    out = tmp_path / "map.html"
    save_map(built_map(), out)
    before = out.read_bytes()

    def boom(*a, **k):
        raise CorridorError("simulated failure")

    monkeypatch.setattr("corridormap.render.write.render_bytes", boom)
    with pytest.raises(CorridorError):
        save_map(built_map(), out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_write_failure_midway_leaves_previous_map(tmp_path, built_map, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("previous")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("corridormap.render.write.os.replace", failing_replace)
    with pytest.raises(CorridorError, match="No space left"):
        save_map(built_map(), out)
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


@pytest.mark.parametrize(
    "values",
    [
        ["a", None, "中文 · é", "", "last"],
        ["one line", "two\nlines", None],
        ["astral 𝒳 and 中文", "𝒳", ""],
        [None, None],
        ["only"],
        [],
    ],
)
@pytest.mark.parametrize("deflated", [False, True])
def test_text_columns_come_back_as_written(values, deflated, monkeypatch):
    from corridormap.render import payload

    monkeypatch.setattr(payload, "COMPRESS_OVER", -1 if deflated else 10**9)
    for dtype in ("str", object):
        p = Payload({"c": text_column(pd.Series(values, dtype=dtype))})
        assert p.compressed == deflated
        assert read_block(p.data, deflated)["c"] == values, dtype


def test_large_data_is_embedded_deflated_and_comes_back_whole():
    small = {"name": "松江 <b>&</b>", "n": [1, 2, 3]}
    p = Payload(small)
    assert not p.compressed and 'type="application/json"' in p.render()
    assert json.loads(p.data) == small and b"<" not in p.data
    names = pd.Series([f"Firm {i} 企业 </script>" for i in range(COMPRESS_OVER // 10)], dtype="str")
    big = {
        "n": len(names),
        "x": Numbers(np.arange(len(names)), "int32"),
        "name": text_column(names),
        "note": "<!-- -->",
    }
    p = Payload(big)
    block = p.render()
    assert p.compressed and 'data-encoding="deflate-base64"' in block and "</script>" not in block[:-9]
    assert len(p.data) < len(zlib.decompress(base64.b64decode(p.data))) / 3
    back = read_block(p.data, True)
    assert back["x"] == list(range(len(names))) and back["note"] == "<!-- -->"
    assert back["name"] == list(names)


def test_rows_placed_to_an_area_are_one_area_each_with_its_name(corridor):
    """Rows known only to a city or a district share one area per reference point (and division);
    rows at their site have none. Names: the district as the list placed it, else the city."""
    rows = pd.DataFrame({
        "name": ["a", "b", "c", "d", "e", "f"],
        "lon": [120.1, 120.75, 120.75, 120.0, 120.0, 120.0], "lat": [30.2, 30.76, 30.76, 30.4, 30.4, 30.4],
        "location_precision": ["site", "city", "city", "district", "district", "city"],
        "placed_by": [None, "city → 嘉兴市", "city → 嘉兴市", "address → 余杭区", "address → 余杭区", "city → 杭州市"],
    })  # fmt: skip
    points = corridormap.read_points(rows, name="Mine", cities=corridor.cities)
    for lang, jiaxing in (("en", "Jiaxing"), ("zh", "嘉兴市")):
        layer = read_data(render_html(build_map(corridor, lists=[points], lang=lang)))["layers"][1]
        assert layer["area"] == [-1, 0, 0, 1, 1, 2]
        names = [(a["name"], a["precision"]) for a in layer["areas"]]
        assert names[0] == (jiaxing, "city") and names[1] == ("余杭区", "district") and names[2][1] == "city"
        assert (layer["areas"][1]["lat"], layer["areas"][1]["lon"]) == (30.4, 120.0)


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_enclaves_name_their_home_cities_and_themselves_in_the_pages_language(corridor, lang):
    """Every home city is named from cities.geojson or enclave_homes.csv in the page's language
    (never built from its id: "所属城市 Chizhou" in Chinese was the defect), and every enclave has
    its Chinese name."""
    from corridormap.render.page import page_data
    from corridormap.views import map_view

    data = page_data(map_view(corridor), lang)
    names = {}
    for frame in (corridor.enclave_homes, corridor.cities):
        for r in frame.itertuples():
            names[r.id] = {"en": r.name_en, "zh": r.name_zh, "both": f"{r.name_en} · {r.name_zh}"}[lang]
    hosts = [[names[h.strip()] for h in str(v).split(";") if h.strip()] if isinstance(v, str) else []
             for v in corridor.enclaves["host_city_ids"]]  # fmt: skip
    assert [e["hosts"] for e in data["enclaves"]] == hosts
    assert any("池州市" in h or "Chizhou" in h for e in hosts for h in e)  # the case QA found is in the data
    assert (corridor.enclaves["name_zh"].fillna("").str.strip() != "").all()


def test_units_after_a_number_are_the_international_ones_once_in_a_bilingual_page():
    """The page shows "50 km", not "50 km · 公里": Python resolves the units (the page used to
    split the bilingual label itself)."""
    from corridormap.render.labels import UI, UNITS, resolve

    both, zh, en = (resolve(lang)["units"] for lang in ("both", "zh", "en"))
    assert set(both) == set(UNITS) and "km2" in both
    for k in UNITS:
        assert (both[k], en[k], zh[k]) == (UI[k][0], UI[k][0], UI[k][1])
        assert resolve("both")["ui"][k] == f"{UI[k][0]} · {UI[k][1]}"  # the label itself stays bilingual
