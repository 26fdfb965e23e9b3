"""Bad input: every broken case through the command (in-process), a few through the real one; concurrent and
interrupted builds; property tests."""

from __future__ import annotations

import contextlib
import csv
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import corridormap
from corridormap.cli import main
from corridormap.datum import gcj02_to_wgs84, wgs84_to_gcj02
from corridormap.errors import CorridorError, DataError
from corridormap.schema import REGION

from .conftest import TEST_DATA
from .test_validation import CASES

EXE = str(Path(sys.executable).parent / "corridormap")


def run(*args, **kw):
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300, **kw)


ERROR_CASES = sorted(k for k, v in CASES.items() if v[4] == "error")
END_TO_END = ["not-json", "text-in-lat", "gbk-encoded"]  # a file unreadable, a value wrong, a warning: the real command


def _break(case: str, data_copy: Path) -> None:
    for f in (TEST_DATA / "broken" / case).iterdir():
        shutil.copy(f, data_copy / f.name)


def _assert_reported(case: str, code: int, err: str) -> None:
    file, row, field, _pattern, _ = CASES[case]
    assert code == 2
    assert "Traceback" not in err and file in err
    if row is not None:
        assert f"line {row}" in err or f"feature {row}" in err
    if field is not None:
        assert f"field '{field}'" in err


@pytest.fixture
def previous_map(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("the previous map", encoding="utf-8")
    return out


@pytest.mark.parametrize("case", ERROR_CASES)
def test_every_broken_input_fails_cleanly_and_keeps_the_map(case, data_copy, previous_map, capsys):
    _break(case, data_copy)
    code = main(["build", "--data", str(data_copy), "--out", str(previous_map)])
    _assert_reported(case, code, capsys.readouterr().err)
    assert previous_map.read_text(encoding="utf-8") == "the previous map"
    assert not list(previous_map.parent.glob(".map.html*"))


def test_thousands_of_short_lines_are_reported_by_line_and_field_then_counted(data_copy, previous_map, capsys):
    path = data_copy / "enterprises.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(csv.reader([lines[1]]))
    short = [",".join([f"short-{k}", *first[1:-1]]) for k in range(3000)]  # each without its last column
    path.write_text("\n".join([*lines, *short]) + "\n", encoding="utf-8")
    header = next(csv.reader([lines[0]]))
    code = main(["build", "--data", str(data_copy), "--out", str(previous_map)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    at = len(lines) + 1  # the first short line
    said = f"field '{header[-1]}': has {len(header) - 1} fields, the header has {len(header)}"
    for line in range(at, at + 20):
        assert f"enterprises.csv, line {line}, {said}" in err
    assert f"line {at + 20}," not in err
    assert f"enterprises.csv: ... and 2980 more lines that do not split into the header's {len(header)} fields" in err
    assert err.index(f"line {at + 19},") < err.index("... and 2980 more lines")  # the count after the lines
    assert previous_map.read_text(encoding="utf-8") == "the previous map"


def test_the_command_as_its_own_process_freezes_the_collector_and_a_caller_keeps_its_own(data_copy, previous_map):
    """main() called by a program (with its arguments) leaves the garbage collector as it was; the command as its
    own process (sys.argv) imports the build's libraries first and freezes what they made (gc.freeze)."""
    import gc

    _break("not-json", data_copy)
    before = gc.get_freeze_count()
    assert main(["build", "--data", str(data_copy), "--out", str(previous_map)]) == 2
    assert gc.get_freeze_count() == before
    script = (
        "import gc, sys\n"
        "from corridormap.cli import main\n"
        f"sys.argv = ['corridormap', 'build', '--data', {str(data_copy)!r}, '--out', {str(previous_map)!r}]\n"
        "code = main()\n"
        "print(code, gc.get_freeze_count() > 10_000, 'folium' in sys.modules, 'geopandas' in sys.modules)\n"
    )
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert res.stdout.split() == ["2", "True", "True", "True"], res.stderr
    assert previous_map.read_text(encoding="utf-8") == "the previous map"


@pytest.mark.cli
@pytest.mark.parametrize("case", [c for c in END_TO_END if c in ERROR_CASES])
def test_broken_input_through_the_real_command(case, data_copy, previous_map):
    _break(case, data_copy)
    res = run("build", "--data", str(data_copy), "--out", str(previous_map))
    _assert_reported(case, res.returncode, res.stderr)
    assert previous_map.read_text(encoding="utf-8") == "the previous map"
    assert not list(previous_map.parent.glob(".map.html*"))  # no temporary file left behind


@pytest.mark.cli
def test_a_warning_is_a_readable_line_not_a_python_warning(data_copy, tmp_path):
    path = data_copy / "enterprises.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    res = run("build", "--data", str(data_copy), "--out", str(tmp_path / "m.html"))
    assert res.returncode == 0, res.stderr
    assert "enterprises.csv: warning: line 2: text is not UTF-8; read it as GBK/GB18030" in res.stderr
    assert "UserWarning" not in res.stderr and "cli.py" not in res.stderr


@pytest.mark.cli
def test_debug_flag_shows_the_traceback(data_copy):
    _break("not-json", data_copy)
    res = run("--debug", "validate", "--data", str(data_copy))
    assert res.returncode == 2  # validate reports, it does not raise
    res = run("--debug", "build", "--data", str(data_copy), "--out", str(data_copy / "m.html"))
    assert res.returncode != 0 and "Traceback" in res.stderr


def test_gcj02_list_gets_a_datum_hint_and_is_converted_with_input_datum(corridor, tmp_path):
    # Points near city borders land in the wrong city when GCJ-02 is read as WGS-84.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synth import synthetic_enterprises

    df = synthetic_enterprises(5_000, seed=11, corridor=corridor)
    glon, glat = wgs84_to_gcj02(df["lon"].to_numpy(), df["lat"].to_numpy())
    df["lon"], df["lat"] = glon.round(7), glat.round(7)
    path = tmp_path / "from_amap.csv"
    df.to_csv(path, index=False)
    problems = corridormap.validate(lists=[path])
    assert not [p for p in problems if p.severity == "error"]
    (summary,) = [p for p in problems if p.row is None and p.field is None and "gcj02" in (p.hint or "")]
    assert "GCJ-02" in summary.message
    rows = [p for p in problems if p.row is not None and p.field == "city_id"]
    assert rows and all("--input-datum gcj02" in p.hint for p in rows)
    fixed = corridormap.read_points(path, datum="gcj02", cities=corridor.cities)
    lon, lat = gcj02_to_wgs84(df["lon"].to_numpy(), df["lat"].to_numpy())
    assert (fixed["lon"].to_numpy() == lon).all() and (fixed["lat"].to_numpy() == lat).all()
    assert not fixed.attrs["corridormap"]["warnings"]  # every point in its stated city now


@pytest.mark.cli
def test_concurrent_builds_leave_one_complete_file(tmp_path):
    out = tmp_path / "map.html"
    procs = [
        subprocess.Popen([EXE, "build", "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    single = tmp_path / "single.html"
    assert run("build", "--out", str(single)).returncode == 0
    assert out.read_bytes() == single.read_bytes()  # complete and identical, never a mix
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "single.html"]


@pytest.mark.cli
def test_killed_build_keeps_previous_file_and_leaves_no_temp_after_next(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("previous map")
    # A build killed while writing: simulate the moment after the temp file exists.
    stale = tmp_path / ".map.html.999999.abc123.tmp"
    stale.write_text("half a map")
    proc = subprocess.Popen([EXE, "build", "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert out.read_text() in ("previous map",) or out.read_text().startswith("<!DOCTYPE html>")
    assert run("build", "--out", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


# ---------------------------------------------------------------- property-based tests
HEADER = "id,name_en,name_zh,city_id,kind,sector,description,lon,lat,location_precision,website,source_ids,note\n"
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


# Each example is several files, read one by one and then validated together: validate() reads and
# checks the whole corridor data before the lists (0.4 s of CPU a call, the lists' part a few ms), so
# one call for eight to twelve files keeps the files tried at about 60 (20 examples of one to five
# before) with 6 calls instead of 20.
enterprise_files = st.tuples(st.lists(st.lists(cells, min_size=13, max_size=13), max_size=4), st.binary(max_size=64))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(enterprise_files, min_size=8, max_size=12))
def test_any_enterprise_file_loads_or_raises_our_error(tmp_path_factory, corridor, files):
    folder = tmp_path_factory.mktemp("prop")
    paths = []
    for k, (rows, raw) in enumerate(files):
        path = folder / f"e{k}.csv"
        body = pd.DataFrame(rows).to_csv(index=False, header=False) if rows else ""
        path.write_bytes(HEADER.encode() + body.encode("utf-8") + raw)
        with contextlib.suppress(CorridorError):
            corridormap.read_layer("enterprises", path=path)
        with contextlib.suppress(CorridorError):
            corridormap.read_points(path, cities=corridor.cities)
        paths.append(path)
    problems = corridormap.validate(lists=paths)
    assert all(isinstance(p, corridormap.Problem) for p in problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200), suffix=st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".geojson"]))
def test_any_bytes_as_a_list_are_read_or_reported(tmp_path_factory, corridor, raw, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"list{suffix}"
    path.write_bytes(raw)
    try:
        gdf = corridormap.read_points(path, cities=corridor.cities)
    except DataError as exc:  # reported: every problem names the file, errors first
        assert exc.errors and all(p.file == path.name and p.message for p in exc.problems), exc.problems
    else:  # read: points in WGS-84 with their coordinates, inside the corridor's region
        x0, y0, x1, y1 = REGION
        assert gdf.crs.to_epsg() == 4326 and len(gdf) > 0
        assert gdf["lon"].between(x0, x1).all() and gdf["lat"].between(y0, y1).all()


@settings(max_examples=200, deadline=None)
@given(
    lon=st.floats(-180, 180, allow_nan=False),
    lat=st.floats(-89, 89, allow_nan=False),
)
def test_datum_round_trip_property(lon, lat):
    # GCJ-02 is defined on a lon/lat rectangle; within 0.01° of its edge the forward map is not
    # one-to-one (a point just inside can land just outside), so no inverse can recover it there.
    edge = min(abs(lon - 72.004), abs(lon - 137.8347), abs(lat - 0.8293), abs(lat - 55.8271))
    assume(edge > 0.01)
    glon, glat = wgs84_to_gcj02(lon, lat)
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    assert abs(float(wlon) - lon) < 1e-7 and abs(float(wlat) - lat) < 1e-7
