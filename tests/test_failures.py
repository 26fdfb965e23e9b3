"""Bad input through the real command, concurrent and interrupted builds, and property tests."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import corridormap
from corridormap.datum import gcj02_to_wgs84, wgs84_to_gcj02
from corridormap.errors import CorridorError

from .conftest import TEST_DATA
from .test_validation import CASES

EXE = str(Path(sys.executable).parent / "corridormap")


def run(*args, **kw):
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def good_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("good") / "map.html"
    assert run("build", "--out", str(out)).returncode == 0
    return out.read_bytes()


ERROR_CASES = sorted(k for k, v in CASES.items() if v[4] == "error")


@pytest.mark.parametrize("case", ERROR_CASES)
def test_every_broken_input_fails_cleanly_and_keeps_the_map(case, data_copy, tmp_path, good_map):
    out = tmp_path / "map.html"
    out.write_bytes(good_map)
    for f in (TEST_DATA / "broken" / case).iterdir():
        shutil.copy(f, data_copy / f.name)
    res = run("build", "--data", str(data_copy), "--out", str(out))
    file, row, field, _pattern, _ = CASES[case]
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and file in res.stderr
    if row is not None:
        assert f"line {row}" in res.stderr or f"feature {row}" in res.stderr
    if field is not None:
        assert f"field '{field}'" in res.stderr
    assert out.read_bytes() == good_map
    assert not list(tmp_path.glob(".map.html*"))  # no temporary file left behind


def test_debug_flag_shows_the_traceback(data_copy):
    shutil.copy(TEST_DATA / "broken" / "not-json" / "routes.geojson", data_copy / "routes.geojson")
    res = run("--debug", "validate", "--data", str(data_copy))
    assert res.returncode == 2  # validate reports, it does not raise
    res = run("--debug", "build", "--data", str(data_copy), "--out", str(data_copy / "m.html"))
    assert res.returncode != 0 and "Traceback" in res.stderr


def _gcj_copy(corridor, path, rows=200):
    """A user list whose coordinates came from Gaode/AMap (GCJ-02)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synth import synthetic_enterprises

    df = synthetic_enterprises(rows, seed=11, corridor=corridor)
    glon, glat = wgs84_to_gcj02(df["lon"].to_numpy(), df["lat"].to_numpy())
    df["lon"], df["lat"] = np.round(glon, 7), np.round(glat, 7)
    df.to_csv(path, index=False)
    return df


def test_gcj02_list_is_flagged_and_converted_with_input_datum(corridor, tmp_path):
    # Points near city borders land in the wrong city when GCJ-02 is read as WGS-84.
    path = tmp_path / "from_amap.csv"
    df = _gcj_copy(corridor, path, rows=20_000)
    problems = [p for p in corridormap.validate(enterprises=path) if p.severity == "error"]
    assert problems, "the ~500 m shift should push some border points into the wrong city"
    assert all("GCJ-02" in (p.hint or "") and "--input-datum gcj02" in p.hint for p in problems if p.row)
    fixed = corridormap.load_corridor(enterprises=path, input_datum="gcj02")
    back = fixed.enterprises[["lon", "lat"]].to_numpy()
    lon, lat = gcj02_to_wgs84(df["lon"].to_numpy(), df["lat"].to_numpy())
    np.testing.assert_allclose(back, np.column_stack([lon, lat]))
    res = run("validate", "--enterprises", str(path), "--input-datum", "gcj02")
    assert res.returncode == 0, res.stdout


def test_concurrent_builds_leave_one_complete_file(tmp_path):
    out = tmp_path / "map.html"
    procs = [subprocess.Popen([EXE, "build", "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(3)]  # fmt: skip
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    single = tmp_path / "single.html"
    assert run("build", "--out", str(single)).returncode == 0
    assert out.read_bytes() == single.read_bytes()  # complete and identical, never a mix
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "single.html"]


def test_killed_build_keeps_previous_file_and_leaves_no_temp_after_next(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("previous map")
    # A build killed while writing: simulate the moment after the temp file exists.
    stale = tmp_path / ".map.html.999999.abc123.tmp"
    stale.write_text("half a map")
    proc = subprocess.Popen([EXE, "build", "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert out.read_text() in ("previous map",) or out.read_text().startswith("<!DOCTYPE html>")
    assert run("build", "--out", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


# ---------------------------------------------------------------- property-based tests
HEADER = "id,name_en,name_zh,city_id,kind,sector,description,lon,lat,location_precision,website,source_ids,note\n"
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=13, max_size=13), max_size=4), raw=st.binary(max_size=64))
def test_any_enterprise_file_loads_or_raises_our_error(tmp_path_factory, rows, raw):
    path = tmp_path_factory.mktemp("prop") / "e.csv"
    body = pd.DataFrame(rows).to_csv(index=False, header=False) if rows else ""
    path.write_bytes(HEADER.encode() + body.encode("utf-8") + raw)
    with contextlib.suppress(CorridorError):
        corridormap.read_layer("enterprises", path=path)
    problems = corridormap.validate(enterprises=path)
    assert all(isinstance(p, corridormap.Problem) for p in problems)


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
