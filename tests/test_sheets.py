"""Sheets as people make them (issue 19), through the real command: title and footnote rows, a total
row and empty rows, coordinates in one column or written with degree marks, a GBK Shapefile without
.cpg, a legacy .xls. A lenient build draws the rest and lists every row it left out; validate and
build --strict refuse, naming file, line and field. The lists are made by tests/data/own_lists/make.py."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

import corridormap
from corridormap import DataError

from .pointer import DESKTOP, PHONE, open_map
from .test_cli import OWN, command

SHEETS = [
    "sheet_title_footnote.xlsx",
    "sheet_gbk_total.csv",
    "sheet_lnglat.csv",
    "sheet_pairs_by_content.csv",
    "sheet_degrees.csv",
    "sheet_gbk.shp",
    "sheet_legacy.xls",
]
# (list, sheet, line, reason) of every row the build must leave out, in order
NOT_PLACED = [
    ("sheet_title_footnote", "名单", 14, "a note, not a record"),
    ("sheet_gbk_total", None, 14, "a total row, not a record"),
    ("sheet_gbk_total", None, 15, "empty row"),
    ("sheet_gbk_total", None, 16, "empty row"),
    ("sheet_legacy", "企业", 8, "a total row, not a record"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One lenient build and one export of every sheet (one command each: shared by the tests)."""
    out = tmp_path_factory.mktemp("sheets")
    lists = [a for f in SHEETS for a in ("--enterprises", str(OWN / f))]
    build = command("build", *lists, "--out", str(out / "map.html"))
    export = command("export", *lists, "--out", str(out / "export"))
    return out, build, export


@pytest.mark.cli
def test_a_lenient_build_draws_the_rest_and_says_so_in_one_line(built):
    out, build, _ = built
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    path = out / "map-not-placed.csv"
    summary = [line for line in build.stderr.splitlines() if "firms placed" in line]
    assert summary == [
        f"53 of 53 firms placed (53 by coordinates); 5 rows skipped (2 total rows, 1 note, 2 empty rows) — see {path}"
    ]


@pytest.mark.cli
def test_every_row_left_out_is_in_the_csv_with_its_line_and_reason(built):
    out, _, _ = built
    raw = (out / "map-not-placed.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    got = pd.read_csv(out / "map-not-placed.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(got.columns[:6]) == ["list", "file", "sheet", "line", "field", "reason"]
    rows = [(r.list, r.sheet or None, int(r.line), r.reason) for r in got.itertuples()]
    assert rows == NOT_PLACED
    total = got[got["line"] == "14"].iloc[1]  # the GBK list's total row, its cells as given
    assert (total["file"], total["企业名称"]) == ("sheet_gbk_total.csv", "12家")
    assert got.iloc[0]["序号"] == "注：坐标为WGS-84经纬度。"  # the footnote, under the sheet's first column


@pytest.mark.cli
def test_the_page_says_how_many_rows_of_each_list_were_not_placed(built):
    out, _, _ = built
    html = (out / "map.html").read_text(encoding="utf-8")
    counts = [int(n) for n in __import__("re").findall(r'"notPlaced":(\d+)', html)]
    # the curated organisations and the seven lists: their rows left out are all total rows, notes
    # and empty rows, which are no firms a reader could miss
    assert counts == [0] * 8


@pytest.mark.cli
def test_coordinates_as_written_are_read_to_the_true_points(built):
    out, _, export = built
    assert export.returncode == 0, export.stderr
    truth = pd.read_csv(OWN / "sheets_truth.csv").set_index("name")
    seen = 0
    for file in SHEETS:
        doc = json.loads((out / "export" / f"{file.rsplit('.', 1)[0]}.geojson").read_text(encoding="utf-8"))
        for f in doc["features"]:
            name = f["properties"]["name"]
            x, y = f["geometry"]["coordinates"]
            assert np.allclose([x, y], truth.loc[name, ["lon", "lat"]].to_numpy(float), atol=1e-6), name
            seen += 1
    assert seen == len(truth) == 53  # every firm, by its name read as written (GBK in the Shapefile)


@pytest.mark.cli
@pytest.mark.parametrize(
    ("file", "where"),
    [
        ("sheet_gbk_total.csv", "line 14, field '经度': value is missing"),
        ("sheet_title_footnote.xlsx", "sheet '名单', row 14, field '经度': value is missing"),
    ],
)
def test_validate_and_strict_build_refuse_naming_file_line_and_field(tmp_path, file, where):
    checked = command("validate", "--enterprises", str(OWN / file))
    assert checked.returncode == 2 and f"error: {where}" in checked.stdout, checked.stdout
    strict = command("build", "--strict", "--enterprises", str(OWN / file), "--out", str(tmp_path / "map.html"))
    assert strict.returncode == 2 and "Traceback" not in strict.stderr
    assert f"{file}, {where}" in strict.stderr
    assert not (tmp_path / "map.html").exists() and not (tmp_path / "map-not-placed.csv").exists()


@pytest.mark.cli
def test_a_build_with_every_row_placed_removes_a_stale_not_placed_csv(tmp_path):
    stale = tmp_path / "map-not-placed.csv"
    stale.write_text("old", encoding="utf-8")
    res = command("build", "--enterprises", str(OWN / "sheet_lnglat.csv"), "--out", str(tmp_path / "map.html"))
    assert res.returncode == 0, res.stderr
    assert "9 of 9 firms placed (9 by coordinates)" in res.stderr and not stale.exists()


def test_read_points_raises_by_default_and_reports_when_asked(corridor):
    path = OWN / "sheet_gbk_total.csv"
    with pytest.raises(DataError) as err:
        corridormap.read_points(path, cities=corridor.cities)
    assert {(p.row, p.field) for p in err.value.errors} == {(14, "经度"), (14, "纬度")}
    gdf, missed = corridormap.read_points(path, cities=corridor.cities, errors="report")
    assert len(gdf) == 12 and gdf.attrs["corridormap"]["not_placed"] == 0  # no firm: listed, not counted
    assert missed[["line", "reason"]].values.tolist() == [
        [14, "a total row, not a record"],
        [15, "empty row"],
        [16, "empty row"],
    ]
    assert not [w for w in gdf.attrs["corridormap"]["warnings"] if "blank" in w.message]  # listed, not warned
    with pytest.raises(corridormap.CorridorError, match="errors must be"):
        corridormap.read_points(path, errors="ignore")  # type: ignore[call-overload]


def test_a_bad_row_among_good_ones_is_left_out_with_its_reason(corridor, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "企业名称,经度,纬度\n甲,121.2277,31.0325\n乙,待补充,30.75\n丙,116.397,39.909\n丁,,\n", encoding="utf-8"
    )
    gdf, missed = corridormap.read_points(path, cities=corridor.cities, errors="report")
    assert gdf["name"].tolist() == ["甲"]
    assert missed[["line", "field", "reason"]].values.tolist() == [
        [3, "经度", "'待补充' is not a number"],
        [4, "经度", "(116.397, 39.909) is outside the corridor region"],
        [5, "经度; 纬度", "value is missing"],
    ]


@pytest.mark.parametrize(
    ("cells", "lon", "lat"),
    [
        ("120.15,30.28", "120.15", "30.28"),
        ("120.15 30.28", "120.15", "30.28"),
        ("30.28,120.15", "120.15", "30.28"),  # order told by range
        ("N30.28, E120.15", "120.15", "30.28"),  # by the marks
        ("１２０．１５，３０．２８", "120.15", "30.28"),  # full width
        ("北纬30.28度 东经120.15度", "120.15", "30.28"),
        ("见附件", "见附件", "见附件"),  # not a pair: left for typing to report
    ],
)
def test_one_column_of_both_coordinates_is_split(cells, lon, lat):
    import pyarrow as pa

    from corridormap._coordtext import is_pairs, split_pairs

    got = split_pairs(pa.array([cells]))
    assert (got[0][0].as_py(), got[1][0].as_py()) == (lon, lat)
    assert is_pairs(pa.array([cells])) == (lon != cells)


def test_degrees_as_written_are_read_and_other_text_is_kept():
    import pyarrow as pa

    from corridormap._coordtext import degrees

    cells = pa.array(["120.15°E", "N30.28", "东经120.5度", "１２１．５", "121.0", "120°09′E", None])
    assert degrees(cells).to_pylist() == ["120.15", "30.28", "120.5", "121.5", "121.0", "120°09′E", None]


@pytest.mark.parametrize(
    ("cells", "kind"),
    [
        (["合计", "18家", None], "a total row, not a record"),
        ([None, "总计：18", None], "a total row, not a record"),
        (["合计18家", None], "a total row, not a record"),
        (["Summary of firms", None], None),
        (["Total", "18", ""], "a total row, not a record"),
        (["注：坐标为WGS-84经纬度。", None, None], "a note, not a record"),
        (["数据来源：某某局", None], "a note, not a record"),
        (["注册地址在杭州的企业", "120.1", "30.2"], None),  # a firm, not a note
        (["合肥合计科技有限公司", None, None], None),  # a name that contains 合计
    ],
)
def test_total_and_note_rows_are_told_apart_from_records(cells, kind):
    from corridormap.notplaced import row_kind

    assert row_kind(cells) == kind


def test_the_header_is_found_below_a_title_in_a_csv(corridor, tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text(  # a title line, a blank line, and a blank column beside the table
        "示例企业名单\n\n,序号,企业名称,经度,纬度\n,1,甲,121.2277,31.0325\n,2,乙,x,30.1\n", encoding="utf-8"
    )
    gdf, missed = corridormap.read_points(path, cities=corridor.cities, errors="report")
    assert gdf.attrs["corridormap"]["roles"] == {"id": "序号", "name": "企业名称", "lon": "经度", "lat": "纬度"}
    assert gdf["id"].tolist() == ["1"] and missed[["line", "reason"]].values.tolist() == [[5, "'x' is not a number"]]


def test_the_not_placed_csv_keeps_a_formula_from_running_in_excel():
    from corridormap.notplaced import csv_bytes

    frame = pd.DataFrame({"line": [3, 4], "reason": ["x", "y"], "名称": ['=HYPERLINK("http://x","点我")', "-12.5"]})
    text = csv_bytes([frame, frame.iloc[:0]]).decode("utf-8-sig")
    assert text.splitlines()[1:] == ['3,x,"\'=HYPERLINK(""http://x"",""点我"")"', "4,y,-12.5"]


@pytest.mark.browser
@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "both"), (PHONE, "zh")], ids=["desktop", "phone"])
def test_the_list_panel_says_how_many_rows_were_not_placed(browser, corridor, tmp_path, size, lang):
    """Opened as a reader does (a click on the Filter section, a tap on its toolbar button on a phone)."""
    firms, missed = corridormap.read_points(OWN / "sheet_gbk_total.csv", cities=corridor.cities, errors="report")
    broken, lost = corridormap.read_points(OWN / "broken_text_in_lon.csv", cities=corridor.cities, errors="report")
    m = corridormap.build_map(corridor, lists=[firms, broken], lang=lang, basemap="none")
    page = open_map(browser, corridormap.save_map(m, tmp_path / "m.html", self_contained=True), size)
    if size is DESKTOP:
        page.locator(".cm-section-filter > summary").click()
    else:
        page.get_by_role("button", name=re.compile("筛选")).tap()
    box = page.locator(".cm-filter").filter(has_text="broken_text_in_lon")
    line = box.locator(".cm-filter-unplaced")
    assert line.is_visible()
    want = {"both": "1 row not placed · 1 行未定位", "zh": "1 行未定位"}[lang]
    assert len(lost) == 1 and line.inner_text() == want
    # a total row and two empty rows are listed in the report but are no firms a reader misses
    assert len(missed) == 3 and page.locator(".cm-filter").filter(has_text="sheet_gbk_total").count() == 1
    assert page.locator(".cm-filter").filter(has_text="sheet_gbk_total").locator(".cm-filter-unplaced").count() == 0
    assert page.locator(".cm-filter").first.locator(".cm-filter-unplaced").count() == 0  # the curated layer: none
    page.context.close()


def test_rows_a_check_counts_without_recording_them_keep_a_lenient_reading_from_dropping_them():
    import pyarrow as pa

    from corridormap._read import Table
    from corridormap._typed import MAX_ROWS, report_each, report_rows
    from corridormap.notplaced import not_placed

    n = MAX_ROWS + 5
    table = Table("firms.csv", pa.table({"名称": [f"甲{i}" for i in range(n)]}))
    problems: list = []
    report_rows(problems, table, "名称", np.ones(n, bool), "is recorded")  # every row in table.rejected
    keep, missed = not_placed(table, problems, 0, "firms")
    assert problems == [] and len(missed) == n and not keep.any()

    table = Table("firms.csv", pa.table({"名称": [f"甲{i}" for i in range(n)]}))
    problems = []
    report_each(
        problems,
        np.arange(n),
        lambda i: table.problem(i, "名称", "is not recorded"),
        lambda k: table.problem(None, "名称", f"... and {k} more rows: is not recorded"),
    )
    keep, missed = not_placed(table, problems, 0, "firms")
    assert len(missed) == MAX_ROWS  # those listed by line are left out and listed ...
    assert [p.message for p in problems] == ["... and 5 more rows: is not recorded"]  # ... the rest still an error


@pytest.mark.cli
def test_stats_is_lenient_too_and_strict_on_request():
    path = str(OWN / "sheet_gbk_total.csv")
    res = command("stats", "--format", "csv", "--enterprises", path)
    assert res.returncode == 0, res.stderr
    assert res.stderr.strip().splitlines()[-1] == (
        "12 of 12 firms placed (12 by coordinates); 3 rows skipped (1 total row, 2 empty rows)"
        " — 'corridormap validate' names each"
    )
    assert int(pd.read_csv(__import__("io").StringIO(res.stdout))["sheet_gbk_total"].sum()) == 12
    strict = command("stats", "--strict", "--enterprises", path)
    assert strict.returncode == 2 and "sheet_gbk_total.csv, line 14, field '经度': value is missing" in strict.stderr


def test_the_summary_says_how_each_row_was_placed():
    from corridormap.notplaced import placed_summary

    by_name = pd.DataFrame(
        {
            "location_precision": ["district", "district", "city", "city", None, "site"],
            "placed_by": ["address → 余杭区", "city → 松江区", "address → 杭州市", "city → 嘉兴市", None, None],
        }
    )
    plain = pd.DataFrame({"name": ["甲", "乙", "丙"]})  # coordinates only, no precision column
    missed = pd.DataFrame({"line": [9, 10, 11], "reason": ["value is missing", "empty row", "a note, not a record"]})
    assert placed_summary([by_name, plain], [missed, missed.iloc[:0]], "see m-not-placed.csv") == (
        "9 of 10 firms placed (5 by coordinates, 1 by address to a district, 1 by city name to a district, "
        "1 by address to a city, 1 by city name to a city); 1 not placed, 2 rows skipped (1 note, 1 empty row)"
        " — see m-not-placed.csv"
    )
    no_how = by_name.drop(columns="placed_by")  # precision stated in the list itself
    assert placed_summary([no_how], [], None) == "6 of 6 firms placed (2 by coordinates, 2 to a district, 2 to a city)"
