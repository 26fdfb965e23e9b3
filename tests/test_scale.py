"""Own lists at a modest scale (20,000 points, headers as a user has them): read, checked, and shown in the browser.

20,000 rows make a file of several MiB, which pyarrow reads in several blocks: the code paths of a
million rows (chunked columns, distinct values, more failing rows than are listed) at a fraction of
the time. The million-row figures are measured in bench/scale.py.
"""

from __future__ import annotations

import dataclasses
import random
import sys

import pytest

import corridormap
from corridormap.render import build_map, save_map

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synth import as_user_list, synthetic_enterprises

N = 20_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory, corridor):
    """A user's list: Chinese headers, no ids, no sources, a stated city, GB18030 as Excel saves it."""
    path = tmp_path_factory.mktemp("scale") / "我的企业.csv"
    df = as_user_list(synthetic_enterprises(N, seed=3, corridor=corridor), corridor)
    # Text beyond the Basic Multilingual Plane and a newline inside a value (in the last row: lines stay rows).
    df.loc[0, "企业名称"] = "𝒳𝒴 企业 " + df.loc[0, "企业名称"]
    df.loc[N - 1, "简介"] = "第一行\n第二行: " + df.loc[N - 1, "简介"]
    path.write_bytes(df.to_csv(index=False).encode("gb18030"))
    return path


def test_a_users_list_reads_whole(big_csv, corridor):
    assert big_csv.stat().st_size > 2 * 2**20  # several of pyarrow's 1 MiB blocks
    gdf = corridormap.read_points(big_csv, cities=corridor.cities)
    assert len(gdf) == N and gdf["id"].is_unique and gdf["city_id"].notna().all()
    assert gdf.attrs["corridormap"]["warnings"] == []
    assert gdf["description"].iloc[N - 1].startswith("第一行\n第二行: ")
    assert (gdf["city_id"] == gdf["city"].map(dict(zip(corridor.cities["name_zh"], corridor.cities["id"])))).all()


def test_problems_in_a_long_list_name_their_lines(big_csv, corridor, tmp_path):
    """Bad rows far apart are found on their lines (after a value with a line break, too), the first few listed."""
    text = big_csv.read_bytes().decode("gb18030")
    lines = text.split("\n")
    header = lines[0].split(",")
    lon = header.index("经度")
    bad_rows = sorted(random.Random(1).sample(range(1, N - 1), 25))  # data row k is on line k + 1
    for k in bad_rows:
        cells = lines[k].split(",")
        cells[lon] = "不详"
        lines[k] = ",".join(cells)
    bad = tmp_path / "bad.csv"
    bad.write_bytes("\n".join(lines).encode("gb18030"))
    errors = [p for p in corridormap.validate(lists=[bad]) if p.severity == "error"]
    assert [(p.row, p.field) for p in errors[:20]] == [(k + 1, "经度") for k in bad_rows[:20]]
    assert errors[0].message == "'不详' is not a number"
    assert errors[20].row is None and errors[20].message == "... and 5 more rows: is not a number"


def test_a_curated_layer_at_scale_reads_like_a_small_one(tmp_path, corridor):
    """The strict reader on 20,000 enterprises: one bad sector among them found on its line."""
    df = synthetic_enterprises(N, seed=9, corridor=corridor)
    df.loc[17_776, "sector"] = "crypto"
    path = tmp_path / "enterprises.csv"
    df.to_csv(path, index=False)
    problems = []
    frame = corridormap.read_layer("enterprises", path=path, problems=problems)
    assert len(frame) == N
    assert [(p.file, p.row, p.field) for p in problems] == [("enterprises.csv", 17_778, "sector")]


@pytest.mark.browser
def test_twenty_thousand_points_in_the_browser(tmp_path, corridor, browser):
    # The curated enterprise layer at scale (until the new front end draws own lists as layers of their own).
    path = tmp_path / "enterprises.csv"
    df = synthetic_enterprises(N, seed=3, corridor=corridor)
    df.loc[0, "name_zh"] = "𝒳𝒴 企业 " + df.loc[0, "name_zh"]
    df.loc[N - 1, "description"] = "Line one\nline two: " + df.loc[N - 1, "description"]
    df.to_csv(path, index=False)
    c = dataclasses.replace(corridor, enterprises=corridormap.read_layer("enterprises", path=path))
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
