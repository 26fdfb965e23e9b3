"""The real command, run as a user would."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import corridormap

from .conftest import TEST_DATA

pytestmark = pytest.mark.cli  # the command end to end: make test runs these, make check does not
OWN = TEST_DATA / "own_lists"
EXE = shutil.which("corridormap", path=str(Path(sys.executable).parent)) or "corridormap"


def run(*args, env=None, cwd=None):
    """The installed command in a fresh process: for what only a process shows (its exit status, --help's
    start-up, a terminal); the rest runs the command in-process (``command``), sparing a start of Python each."""
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


@dataclasses.dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


# Python's own warning filters in a fresh process (pytest's differ): what a user of the command would see.
_FRESH_FILTERS = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


def command(*args) -> Ran:
    """The command in-process, ``corridormap.cli.main(args)``: its exit status and what it printed on
    stdout and stderr, a warning as a fresh Python would print it. For what the command says and
    writes; a test about a process itself uses ``run``."""
    from corridormap.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        warnings.catch_warnings(record=True) as caught,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        warnings.resetwarnings()
        warnings.simplefilter("default")
        for category in _FRESH_FILTERS:
            warnings.simplefilter("ignore", category)
        code = main([str(a) for a in args])
    shown = "".join(warnings.formatwarning(w.message, w.category, w.filename, w.lineno) for w in caught)
    return Ran(code, out.getvalue(), err.getvalue() + shown)


def test_validate_clean_data_exits_zero():
    out = run("validate")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no problems found" in out.stdout


def test_validate_reports_problems_grouped_by_file(data_copy):
    ent = pd.read_csv(data_copy / "enterprises.csv", dtype=str, keep_default_na=False)
    ent.loc[3, "city_id"] = "atlantis"
    ent.to_csv(data_copy / "enterprises.csv", index=False)
    places = pd.read_csv(data_copy / "places.csv", dtype=str, keep_default_na=False)
    places.loc[0, "opened"] = "9 July 2018"
    places.to_csv(data_copy / "places.csv", index=False)
    out = command("validate", "--data", str(data_copy))
    assert out.returncode == 2
    assert "Traceback" not in out.stdout + out.stderr
    assert "enterprises.csv: 1 error(s)" in out.stdout and "places.csv: 1 error(s)" in out.stdout
    assert "line 5, field 'city_id': 'atlantis' is not an id in cities" in out.stdout
    assert out.stdout.strip().splitlines()[-1].startswith("2 error(s)")


def test_validate_json_format(data_copy):
    shutil.copy(TEST_DATA / "broken" / "text-in-lat" / "enterprises.csv", data_copy / "enterprises.csv")
    out = command("validate", "--data", str(data_copy), "--format", "json")
    doc = json.loads(out.stdout)
    assert out.returncode == 2 and doc["errors"] >= 1
    assert {"file": "enterprises.csv", "row": 2, "field": "lat"}.items() <= doc["problems"][0].items()


def test_data_environment_variable(data_copy, monkeypatch):
    shutil.copy(TEST_DATA / "broken" / "unknown-city" / "enterprises.csv", data_copy / "enterprises.csv")
    monkeypatch.setenv("CORRIDORMAP_DATA", str(data_copy))
    assert command("validate").returncode == 2


def test_missing_data_dir_is_a_clear_error(tmp_path):
    out = command("export", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "x"))
    assert out.returncode == 2
    assert "data directory does not exist" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet"])
def test_export_writes_every_layer(tmp_path, fmt, corridor):
    out = command("export", "--out", str(tmp_path), "--format", fmt)
    assert out.returncode == 0, out.stderr
    spatial = [n for n, f in corridor.layers().items() if isinstance(f, gpd.GeoDataFrame)]
    for name in spatial:
        if fmt == "gpkg":
            got = gpd.read_file(tmp_path / "corridor.gpkg", layer=name)
        elif fmt == "parquet":
            got = gpd.read_parquet(tmp_path / f"{name}.parquet")
        else:
            got = gpd.read_file(tmp_path / f"{name}.geojson")
        assert len(got) == len(getattr(corridor, name)) and got.crs.to_epsg() == 4326, name
    facts = pd.read_csv(tmp_path / "facts.csv")
    assert facts.set_index("id").loc["high-tech-enterprises", "value"] == 44200
    assert not list(tmp_path.glob(".export-*")), "temporary files left behind"


def test_export_to_unwritable_place_fails_cleanly(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = command("export", "--out", str(blocker / "sub"))
    assert out.returncode == 2 and "cannot create" in out.stderr and "Traceback" not in out.stderr


def test_build_writes_the_map_and_summarises(tmp_path):
    out = tmp_path / "sub" / "map.html"
    res = command("build", "--out", str(out))
    assert res.returncode == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert lines[0] == f"wrote {out}"
    html = out.read_text(encoding="utf-8")
    control = re.search(r"overlays\s*:\s*\{(.*?)\}", html, re.S).group(1)  # the layer control's overlays
    n = len(re.findall(r'"(?:[^"\\]|\\.)*"\s*:\s*\w+', control))
    assert n >= 9 and f"{n} overlays" in lines[1] and "features" in lines[1] and "KiB" in lines[1]
    assert html.startswith("<!DOCTYPE html>")
    again = tmp_path / "again.html"
    assert run("build", "--out", str(again)).returncode == 0  # a fresh process: another hash seed, same bytes
    assert again.read_bytes() == out.read_bytes()


def test_build_with_bad_data_keeps_the_previous_map(tmp_path, data_copy):
    out = tmp_path / "map.html"
    assert command("build", "--out", str(out)).returncode == 0
    before = out.read_bytes()
    shutil.copy(TEST_DATA / "broken" / "not-json" / "routes.geojson", data_copy / "routes.geojson")
    res = command("build", "--data", str(data_copy), "--out", str(out))
    assert res.returncode == 2 and "routes.geojson" in res.stderr and "Traceback" not in res.stderr
    assert out.read_bytes() == before


def test_build_to_unwritable_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = command("build", "--out", str(blocker / "map.html"))
    assert res.returncode == 2 and "cannot write" in res.stderr and "Traceback" not in res.stderr


def test_stats_prints_one_row_per_city(corridor):
    res = command("stats", "--format", "csv")
    assert res.returncode == 0
    table = pd.read_csv(__import__("io").StringIO(res.stdout), index_col="id")
    assert list(table.index) == list(corridor.cities["id"])
    assert table.loc["songjiang", "enterprises"] >= 1 and "route_km" in table.columns


def _json(res) -> dict:
    assert "Traceback" not in res.stdout + res.stderr
    return json.loads(res.stdout)


# file -> (extra options, error expected as (line, field, message part) or None for a list that is read)
OWN_LISTS = {
    "gb18030_zh.csv": ((), None),
    "utf8_bom_crlf.csv": ((), None),
    "tabs.tsv": ((), None),
    "semicolon.csv": ((), None),
    "workbook.xlsx": ((), None),
    "amap_gcj02.csv": (("--input-datum", "gcj02"), None),
    "baidu_bd09.csv": (("--input-datum", "bd09"), None),
    "points.geojson": ((), None),
    "points_cgcs2000.gpkg": ((), None),
    "points.parquet": ((), None),
    "needs_columns.csv": (("--columns", "name=单位名称,lon=X坐标,lat=Y坐标"), None),
    "broken_no_coordinates.csv": ((), (None, None, "cannot tell which column holds the longitude, latitude")),
    "broken_text_in_lon.csv": ((), (4, "经度", "'待补充' is not a number")),
    "broken_outside.csv": ((), (5, "经度", "outside the corridor region")),
    "broken_empty_sheet.xlsx": ((), (None, None, "the sheet is empty")),
}


def test_every_own_list_is_read_or_refused_by_file_line_and_field():
    """The corpus through the real command, one run per set of options: each list named in the report."""
    by_options: dict[tuple, list[str]] = {}
    for file, (options, _) in OWN_LISTS.items():
        by_options.setdefault(options, []).append(file)
    for options, files in by_options.items():
        args = [a for f in files for a in ("--enterprises", str(OWN / f))]
        res = command("validate", *args, *options, "--format", "json")
        doc = _json(res)
        for file in files:
            errors = [p for p in doc["problems"] if p["file"] == file and p["severity"] == "error"]
            expected = OWN_LISTS[file][1]
            if expected is None:
                assert errors == [], (file, errors)
                continue
            row, field, message = expected
            assert [(p["row"], p["field"]) for p in errors] == [(row, field)], (file, errors)
            assert message in errors[0]["message"]
        assert res.returncode == (2 if any(OWN_LISTS[f][1] for f in files) else 0)


def test_unmatched_columns_get_a_ready_columns_line():
    doc = _json(command("validate", "--enterprises", str(OWN / "needs_columns.csv"), "--format", "json"))
    (p,) = doc["problems"]
    assert "columns found: 单位名称, X坐标, Y坐标" in p["message"]
    assert p["hint"] == "name them: --columns name=单位名称,lon=X坐标,lat=Y坐标"


@pytest.mark.parametrize("missing", ["nope.csv", "nope.xlsx", "nope.geojson"])
def test_a_missing_list_is_json_too(tmp_path, missing):
    res = command("validate", "--enterprises", str(tmp_path / missing), "--format", "json")
    doc = _json(res)
    assert res.returncode == 2 and doc["errors"] == 1
    assert doc["problems"][0]["file"] == missing and "file not found" in doc["problems"][0]["message"]
    assert "restore it from git" not in (doc["problems"][0]["hint"] or "")


def test_an_unreadable_workbook_is_json(tmp_path):
    bad = tmp_path / "list.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    res = command("validate", "--enterprises", str(bad), "--format", "json")
    doc = _json(res)
    assert res.returncode == 2 and "cannot read the workbook" in doc["problems"][0]["message"]


def test_bad_columns_option_is_json(tmp_path):
    res = command("validate", "--enterprises", str(OWN / "tabs.tsv"), "--columns", "colour=颜色", "--format", "json")
    doc = _json(res)
    assert res.returncode == 2 and "unknown role 'colour'" in doc["problems"][0]["message"]


def test_build_with_several_named_lists(tmp_path):
    out = tmp_path / "m.html"
    res = command(
        "build",
        "--enterprises",
        f"Workbook={OWN / 'workbook.xlsx'}",
        "--enterprises",
        str(OWN / "baidu_bd09.csv"),
        "--input-datum",
        "bd09",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr and "UserWarning" not in res.stderr
    missed = tmp_path / "m-not-placed.csv"  # the workbook's blank row 7, listed rather than warned of
    assert f"19 of 19 firms placed (19 by coordinates); 1 row skipped (1 empty row) — see {missed}" in res.stderr
    assert "blank row" not in res.stderr
    row = pd.read_csv(missed, encoding="utf-8-sig", dtype=str).iloc[0]
    assert (row["list"], row["sheet"], row["line"], row["reason"]) == ("Workbook", "企业名录", "7", "empty row")
    assert "tenant" not in res.stderr and "Tianditu" not in res.stdout + res.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_build_with_a_broken_list_keeps_the_previous_map(tmp_path):
    out = tmp_path / "m.html"
    out.write_text("previous")
    res = command("build", "--strict", "--enterprises", str(OWN / "broken_text_in_lon.csv"), "--out", str(out))
    assert res.returncode == 2
    assert "broken_text_in_lon.csv, line 4, field '经度': '待补充' is not a number" in res.stderr
    assert out.read_text() == "previous"
    res = command("build", "--enterprises", str(OWN / "broken_text_in_lon.csv"), "--out", str(out))  # lenient
    assert res.returncode == 0 and "4 of 5 firms placed (4 by coordinates); 1 not placed" in res.stderr


def test_stats_counts_each_list(corridor):
    res = command("stats", "--format", "csv", "--enterprises", f"mine={OWN / 'gb18030_zh.csv'}")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(__import__("io").StringIO(res.stdout), index_col="id")
    mine = corridormap.read_points(OWN / "gb18030_zh.csv", cities=corridor.cities)
    assert table["mine"].to_dict() == mine["city_id"].value_counts().reindex(table.index, fill_value=0).to_dict()


def test_stats_text_fits_a_terminal():
    res = command("stats", "--enterprises", str(OWN / "gb18030_zh.csv"))
    assert res.returncode == 0, res.stderr
    import unicodedata

    def width(line):  # as a terminal shows it: Chinese characters take two columns
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)

    lines = res.stdout.splitlines()
    assert max(map(width, lines)) <= 100
    assert len({width(line) for line in lines[2:-1]}) == 1  # the rows line up, after Chinese text too


def test_export_writes_the_list_joined(tmp_path, corridor):
    res = command("export", "--out", str(tmp_path), "--enterprises", f"firms={OWN / 'points.geojson'}")
    assert res.returncode == 0, res.stderr
    got = gpd.read_file(tmp_path / "firms.geojson")
    assert len(got) == 9 and got.crs.to_epsg() == 4326
    routes = [f"{r}_m" for r in corridor.routes["id"]]
    assert {"city_id", "nearest_stop_id", "nearest_stop_m", *routes} <= set(got.columns)


def test_help_shows_defaults_and_answers_fast():
    res = run("build", "--help")
    assert res.returncode == 0
    for default in ("build/g60_corridor_map.html", "(default: both)", "(default: wgs84)"):
        assert default in " ".join(res.stdout.split()), default


def _build_on_a_terminal(out, *extra):
    """``corridormap build`` with stderr on a terminal (a pty of 100 columns): what it shows there."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    args = [EXE, "build", "--out", str(out), *extra]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=side, stdin=subprocess.DEVNULL)
    os.close(side)
    shown = b""
    while select.select([main], [], [], 60)[0]:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the command closed its side
            break
        if not chunk:
            break
        shown += chunk
    assert proc.wait(timeout=120) == 0
    os.close(main)
    return shown.decode("utf-8", "replace"), proc.stdout.read().decode()


def test_build_shows_its_stages_on_a_terminal_only(tmp_path):
    shown, said = _build_on_a_terminal(tmp_path / "a.html")
    stages = [s for s in ("reading", "placing", "joining", "writing") if s in shown]
    assert stages == ["reading", "placing", "joining", "writing"], shown
    assert shown.index("reading") < shown.index("placing") < shown.index("joining") < shown.index("writing")
    assert "3/4" in shown and shown.endswith("\r") and "wrote" in said  # the bar cleared, the summary on stdout
    quiet, _ = _build_on_a_terminal(tmp_path / "b.html", "--quiet")
    assert not any(s in quiet for s in ("reading", "joining", "writing")), quiet
    piped = run("build", "--out", str(tmp_path / "c.html"))
    assert piped.returncode == 0 and not any(s in piped.stderr for s in ("reading", "joining", "writing", "1/4"))
