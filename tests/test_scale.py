"""Own lists at a modest scale (20,000 points, headers as a user has them): read, checked, and shown in the browser.

20,000 rows make a file of several MiB, which pyarrow reads in several blocks: the code paths of a
million rows (chunked columns, distinct values, more failing rows than are listed) at a fraction of
the time. The million-row figures are measured in bench/scale.py.
"""

from __future__ import annotations

import random
import sys

import pytest

import corridormap
from corridormap import build_map, save_map

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
def test_twenty_thousand_points_in_the_browser(big_csv, corridor, browser, tmp_path):
    """A user's list drawn as a layer of its own: search finds any row and its popup shows that row
    (text columns are cut from UTF-8 bytes in the page: rows after astral characters and line breaks
    stay aligned)."""
    from .pointer import DESKTOP, open_map, settle

    gdf = corridormap.read_points(big_csv, cities=corridor.cities)
    path = save_map(
        build_map(corridor, lists=[gdf], basemap="none", lang="en"), tmp_path / "scale.html", self_contained=True
    )
    page = open_map(browser, path, DESKTOP)
    assert page.locator(".cm-cluster").count() > 10
    for row in (0, 1, 2, random.Random(5).randrange(N), N - 1):
        name = gdf["name"].iloc[row]
        shown = gdf["name_en"].iloc[row] if "name_en" in gdf else name  # an English page shows the English name
        page.locator(".cm-search input").fill(name)
        page.locator(".cm-results button").first.click()
        settle(page)
        text = page.locator(".leaflet-popup-content").last.inner_text()
        assert text.startswith(shown), (row, text[:80])
        if row == N - 1:
            assert "第一行" in text and "第二行" in text
    assert page.errors == []
    page.context.close()
