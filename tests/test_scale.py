"""A user's own enterprise list at a modest scale (20,000 points): loads, validates, and works in the browser."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

import corridormap
from corridormap.render import build_map, save_map

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synth import synthetic_enterprises

N = 20_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory, corridor):
    path = tmp_path_factory.mktemp("scale") / "my_enterprises.csv"
    df = synthetic_enterprises(N, seed=3, corridor=corridor)
    # Text beyond the Basic Multilingual Plane (two UTF-16 units in a browser) and a newline in a value.
    df.loc[0, "name_zh"] = "𝒳𝒴 企业 " + df.loc[0, "name_zh"]
    df.loc[N - 1, "description"] = "Line one\nline two: " + df.loc[N - 1, "description"]  # last: lines stay rows
    df.to_csv(path, index=False)
    return path


def test_own_list_validates_and_loads(big_csv):
    problems = corridormap.validate(enterprises=big_csv)
    assert [p for p in problems if p.severity == "error"] == []
    # The curated enclaves name tenants that a user's list lacks: reported, not fatal.
    assert {p.file for p in problems} == {"enclaves.csv"}
    assert len(corridormap.load_corridor(enterprises=big_csv).enterprises) == N


def test_problems_in_own_list_name_that_file(big_csv, tmp_path):
    lines = big_csv.read_text(encoding="utf-8").splitlines()
    lines[12_345] = lines[12_345].replace(",company,", ",bank,")
    lines[100] = "Bad_Id" + lines[100][lines[100].index(",") :]  # a distinct-valued column, checked on its own
    bad = tmp_path / "bad_list.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = [p for p in corridormap.validate(enterprises=bad) if p.severity == "error"]
    # In column order, whichever pandera call found them.
    assert [(p.file, p.row, p.field) for p in errors] == [("bad_list.csv", 101, "id"), ("bad_list.csv", 12_346, "kind")]
    assert errors[0].message.startswith("'Bad_Id' must be a kebab-case id")


def test_large_files_are_read_like_small_ones(big_csv, tmp_path):
    """A list over a mebibyte is memory-mapped: a BOM, CRLF, GBK text and a blank file behave as in small ones."""
    from corridormap import load

    text = big_csv.read_text(encoding="utf-8")
    want = corridormap.read_layer("enterprises", path=big_csv)
    bom = tmp_path / "bom_crlf.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gb18030"))
    assert min(bom.stat().st_size, gbk.stat().st_size) > load._MAP_OVER
    got = corridormap.read_layer("enterprises", path=bom)
    assert list(got.columns) == list(want.columns)
    assert got["id"].equals(want["id"]) and got["name_zh"].equals(want["name_zh"])
    assert not got["id"].str.contains("\r").any()
    problems = []
    got = corridormap.read_layer("enterprises", path=gbk, problems=problems)
    assert [(p.file, p.severity) for p in problems] == [("gbk.csv", "warning")] and "GB18030" in problems[0].message
    assert got["name_zh"].equals(want["name_zh"])
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b" \n" * 600_000)
    problems = []
    assert corridormap.read_layer("enterprises", path=blank, problems=problems) is None
    assert [p.message for p in problems] == ["file is empty"]


def test_cli_build_with_own_list(big_csv, tmp_path):
    out = tmp_path / "m.html"
    exe = str(Path(sys.executable).parent / "corridormap")
    res = subprocess.run([exe, "build", "--enterprises", str(big_csv), "--out", str(out)], capture_output=True,
                         text=True, timeout=600)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert f"{N + 9 + 4 + 9 + 3 + 28 + 4 + 9} features" in res.stdout


@pytest.mark.browser
def test_twenty_thousand_points_in_the_browser(big_csv, corridor, browser):
    c = corridormap.load_corridor(enterprises=big_csv)
    path = save_map(build_map(c, basemap="osm"), ROOT / "build" / "browser" / "scale.html", self_contained=True)
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("http*://**", lambda r: r.abort())
    page.goto(path.as_uri())
    page.wait_for_function("window.corridormap !== undefined")
    # Counts in clusters add up to the total at every zoom, and every point is reachable.
    sums = page.evaluate(
        """() => { const idx = window.corridormap.clusterIndex, out = [];
            for (let z = 3; z <= 17; z++) out.push(idx.getClusters([-180, -85, 180, 85], z)
                .reduce((s, f) => s + (f.properties && f.properties.cluster ? f.properties.point_count : 1), 0));
            return out; }"""
    )
    assert sums == [N] * 15
    # Zooms 11-14 are clustered from the points in view only: together they still hold each point once.
    deep = page.evaluate(
        """() => { const c = window.corridormap, E = c.data.enterprises, out = [];
            for (const z of [11, 12, 13, 14]) {
                c.map.setView([E.y[0] / 1e6, E.x[0] / 1e6], z, {animate: false});
                const b = c.map.getBounds(), bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
                const items = c.clustersInView(bbox, z);
                out.push([items.reduce((s, f) => s + (typeof f === "number" ? 1 : f.properties.point_count), 0),
                          c.clusterIndex.getClusters(bbox, 16).length, items.some(f => typeof f !== "number")]);
            }
            c.map.fitBounds(c.groups.cities.getBounds(), {animate: false});
            return out; }"""
    )
    assert all(total == in_view > 0 for total, in_view, _ in deep), deep
    assert any(clustered for *_, clustered in deep)  # close points still cluster at street level
    drawn = page.evaluate(
        "() => Object.values(window.corridormap.map._layers).filter(l => l.options && l.options.cmCount)"
        ".reduce((s, l) => s + l.options.cmCount, 0) + Object.keys(window.corridormap.drawnEnterprises()).length"
    )
    assert 0 < drawn <= N  # what is in view at the start, clusters counted
    pick = random.Random(5).randrange(N)
    name = c.enterprises["name_en"].iloc[pick]
    x, y = page.evaluate(
        "i => { const c = window.corridormap, m = c.focusEnterprise(i, false);"
        " const q = c.map.latLngToContainerPoint(m.getLatLng()); return [q.x, q.y]; }",
        pick,
    )
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector(".leaflet-popup-content")
    assert page.locator(".leaflet-popup-content").last.inner_text().startswith(name)
    # Search by name finds it among 20,000.
    page.fill(".cm-search input", c.enterprises["name_zh"].iloc[pick])
    assert name in page.locator(".cm-results").inner_text()
    # Text columns are cut from UTF-8 bytes in the page: values after astral characters stay aligned.
    c_rows = [0, 1, 2, N - 1]
    got = page.evaluate(
        "rows => rows.map(i => { const r = window.corridormap.enterpriseRecord(i);"
        " return [r.id, r.name_zh, r.description]; })",
        c_rows,
    )
    want = [[c.enterprises[k].iloc[i] for k in ("id", "name_zh", "description")] for i in c_rows]
    assert got == want
    assert errors == []
    page.close()


def test_a_million_rows_validate(tmp_path, corridor):
    """A million-row list is checked completely (vectorised; the speed itself is measured in bench/)."""
    df = synthetic_enterprises(1_000_000, seed=9, corridor=corridor)
    df.loc[777_776, "sector"] = "crypto"  # one bad row among a million is still found, on its line
    path = tmp_path / "million.csv"
    df.to_csv(path, index=False)
    del df
    errors = [p for p in corridormap.validate(enterprises=path) if p.severity == "error"]
    assert [(p.file, p.row, p.field) for p in errors] == [("million.csv", 777_778, "sector")]
