"""The real command, run as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from .conftest import TEST_DATA

EXE = shutil.which("corridormap", path=str(Path(sys.executable).parent)) or "corridormap"


def run(*args, env=None, cwd=None):
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


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
    out = run("validate", "--data", str(data_copy))
    assert out.returncode == 2
    assert "Traceback" not in out.stdout + out.stderr
    assert "enterprises.csv: 1 error(s)" in out.stdout and "places.csv: 1 error(s)" in out.stdout
    assert "line 5, field 'city_id': 'atlantis' is not an id in cities" in out.stdout
    assert out.stdout.strip().splitlines()[-1].startswith("2 error(s)")


def test_validate_json_format(data_copy):
    shutil.copy(TEST_DATA / "broken" / "text-in-lat" / "enterprises.csv", data_copy / "enterprises.csv")
    out = run("validate", "--data", str(data_copy), "--format", "json")
    doc = json.loads(out.stdout)
    assert out.returncode == 2 and doc["errors"] >= 1
    assert {"file": "enterprises.csv", "row": 2, "field": "lat"}.items() <= doc["problems"][0].items()


def test_data_environment_variable(data_copy):
    shutil.copy(TEST_DATA / "broken" / "unknown-city" / "enterprises.csv", data_copy / "enterprises.csv")
    env = {**os.environ, "CORRIDORMAP_DATA": str(data_copy)}
    assert run("validate", env=env).returncode == 2


def test_missing_data_dir_is_a_clear_error(tmp_path):
    out = run("export", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "x"))
    assert out.returncode == 2
    assert "data directory does not exist" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet"])
def test_export_writes_every_layer(tmp_path, fmt, corridor):
    out = run("export", "--out", str(tmp_path), "--format", fmt)
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
    out = run("export", "--out", str(blocker / "sub"))
    assert out.returncode == 2 and "cannot create" in out.stderr and "Traceback" not in out.stderr


def test_build_writes_the_map_and_summarises(tmp_path):
    out = tmp_path / "sub" / "map.html"
    res = run("build", "--out", str(out))
    assert res.returncode == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert lines[0] == f"wrote {out}"
    assert "8 overlays" in lines[1] and "features" in lines[1] and "KiB" in lines[1]
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = tmp_path / "again.html"
    assert run("build", "--out", str(again)).returncode == 0
    assert again.read_bytes() == out.read_bytes()


def test_build_with_bad_data_keeps_the_previous_map(tmp_path, data_copy):
    out = tmp_path / "map.html"
    assert run("build", "--out", str(out)).returncode == 0
    before = out.read_bytes()
    shutil.copy(TEST_DATA / "broken" / "not-json" / "routes.geojson", data_copy / "routes.geojson")
    res = run("build", "--data", str(data_copy), "--out", str(out))
    assert res.returncode == 2 and "routes.geojson" in res.stderr and "Traceback" not in res.stderr
    assert out.read_bytes() == before


def test_build_to_unwritable_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = run("build", "--out", str(blocker / "map.html"))
    assert res.returncode == 2 and "cannot write" in res.stderr and "Traceback" not in res.stderr


def test_stats_prints_one_row_per_city(corridor):
    res = run("stats", "--format", "csv")
    assert res.returncode == 0
    table = pd.read_csv(__import__("io").StringIO(res.stdout), index_col="id")
    assert list(table.index) == list(corridor.cities["id"])
    assert table.loc["songjiang", "enterprises"] >= 1 and "route_km" in table.columns
