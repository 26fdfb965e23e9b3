"""The cache of checked data-directory layers: same result as a fresh read, never stale, never trusted blindly."""

from __future__ import annotations

import importlib
import os
import pickle
from pathlib import Path

import geopandas as gpd
import geopandas.testing
import pandas as pd
import pytest

import corridormap
from corridormap import _layer_cache
from corridormap.schema import LAYERS

DERIVED = {"overlay", "checks"}  # results derived from curated layers: the route/city overlay, cross checks


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("CORRIDORMAP_CACHE", str(d))
    return d


def _assert_same(a, b):
    for name, frame in a.layers().items():
        other = b.layers()[name]
        if isinstance(frame, gpd.GeoDataFrame):
            geopandas.testing.assert_geodataframe_equal(frame, other)
        else:
            pd.testing.assert_frame_equal(frame, other)


def test_cached_load_equals_a_fresh_read(cache, data_copy, monkeypatch):
    first = corridormap.load_corridor(data_copy)  # fills the cache
    kinds = {p.name.split("-")[0] for p in cache.glob("*.pickle")}
    assert set(LAYERS) <= kinds <= set(LAYERS) | DERIVED
    second = corridormap.load_corridor(data_copy)  # served from it
    monkeypatch.setenv("CORRIDORMAP_CACHE", "off")
    fresh = corridormap.load_corridor(data_copy)
    _assert_same(first, fresh)
    _assert_same(second, fresh)
    assert corridormap.validate(data_copy) == []


def test_hits_skip_parsing(cache, data_copy, monkeypatch):
    corridormap.load_corridor(data_copy)
    from corridormap import load

    def boom(*a, **k):
        raise AssertionError("parsed although the file did not change")

    monkeypatch.setattr(load, "_parse_layer", boom)
    assert len(corridormap.load_corridor(data_copy).cities) == 9


def test_an_edited_file_is_read_again(cache, data_copy):
    corridormap.load_corridor(data_copy)
    seats = data_copy / "seats.csv"
    seats.write_text(seats.read_text("utf-8").replace("Songjiang District", "Songjiang Dist. (edited)", 1), "utf-8")
    c = corridormap.load_corridor(data_copy)
    assert "Songjiang Dist. (edited) (Shanghai)" in set(c.seats["name_en"])


def test_an_error_in_an_edited_file_is_reported_not_hidden_by_the_cache(cache, data_copy):
    corridormap.load_corridor(data_copy)
    places = data_copy / "places.csv"
    lines = places.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("lat")] = "north"
    places.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", "utf-8")
    problems = corridormap.validate(data_copy)
    assert any(p.file == "places.csv" and p.row == 2 and p.field == "lat" for p in problems)
    with pytest.raises(corridormap.DataError):
        corridormap.load_corridor(data_copy)


def test_warnings_are_kept_with_the_cached_layer(cache, data_copy):
    extra = data_copy / "facts.csv"
    lines = extra.read_text("utf-8").splitlines()
    lines = [lines[0] + ",my_note"] + [line + ",x" for line in lines[1:]]
    extra.write_text("\n".join(lines) + "\n", "utf-8")
    first = corridormap.validate(data_copy)
    second = corridormap.validate(data_copy)
    assert any(p.field == "my_note" and p.severity == "warning" for p in first)
    assert first == second


def test_a_users_enterprise_list_is_never_cached(cache, tmp_path):
    own = tmp_path / "mine.csv"
    own.write_bytes((Path(__file__).resolve().parents[1] / "geodata" / "enterprises.csv").read_bytes())
    corridormap.load_corridor(enterprises=own)
    corridormap.load_corridor(enterprises=own)
    key = _layer_cache.key("enterprises", "enterprises.csv", own.read_bytes(), "wgs84")
    # The data directory's own enterprises.csv is not read at all when a list is given ...
    assert not list(cache.glob("enterprises-*.pickle"))
    # ... and the list itself leaves nothing behind.
    assert not (cache / f"{key}.pickle").exists()


def test_a_corrupt_entry_is_ignored_and_rewritten(cache, data_copy):
    corridormap.load_corridor(data_copy)
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    c = corridormap.load_corridor(data_copy)
    assert len(c.cities) == 9
    for name in LAYERS:
        (entry,) = cache.glob(f"{name}-*.pickle")
        assert pickle.loads(entry.read_bytes())[0] is not None
    (checks,) = cache.glob("checks-*.pickle")
    assert pickle.loads(checks.read_bytes()) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_directory_others_can_write_is_not_trusted(cache, data_copy):
    corridormap.load_corridor(data_copy)
    name = next(cache.glob("cities-*.pickle")).stem
    assert _layer_cache.get(name) is not None
    cache.chmod(0o777)
    assert _layer_cache.get(name) is None
    cache.chmod(0o700)
    assert _layer_cache.get(name) is not None


def test_off_means_off(tmp_path, data_copy, monkeypatch):
    monkeypatch.setenv("CORRIDORMAP_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    corridormap.load_corridor(data_copy)
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_old_entries_are_pruned(cache, data_copy):
    seats = data_copy / "seats.csv"
    text = seats.read_text("utf-8")
    for k in range(7):
        seats.write_text(text.replace("Songjiang District", f"Songjiang v{k}", 1), "utf-8")
        corridormap.load_corridor(data_copy)
    assert len(list(cache.glob("seats-*.pickle"))) == _layer_cache._KEEP


def test_cross_checks_of_unchanged_curated_layers_are_cached(cache, data_copy, tmp_path, monkeypatch):
    validate = importlib.import_module("corridormap.validate")  # the module, not the function of that name

    own = tmp_path / "mine.csv"
    own.write_bytes((data_copy / "enterprises.csv").read_bytes())
    corridormap.load_corridor(data_copy, enterprises=own)
    calls = []
    monkeypatch.setattr(validate, "_curated_checks", lambda c: calls.append(c) or [])
    corridormap.load_corridor(data_copy, enterprises=own)
    assert calls == []  # served from the cache ...
    # ... while the user's list is still checked on every build.
    lines = own.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("city_id")] = "atlantis"
    own.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", "utf-8")
    problems = corridormap.validate(data_copy, enterprises=own)
    assert any(
        p.file == "mine.csv" and p.row == 2 and p.field == "city_id" and "atlantis" in p.message for p in problems
    )


def test_a_cross_layer_problem_in_an_edited_curated_file_is_reported(cache, data_copy):
    assert corridormap.validate(data_copy) == []  # fills the cache
    stops = data_copy / "stops.csv"
    lines = stops.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("lat")] = str(round(float(row[header.index("lat")]) + 0.05, 6))  # ~5.5 km off its line
    stops.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", "utf-8")
    problems = corridormap.validate(data_copy)
    assert any(p.file == "stops.csv" and p.row == 2 and "from route" in p.message for p in problems)


def test_cached_outlines_come_with_their_geojson_and_a_changed_one_is_written_anew(cache, data_copy, monkeypatch):
    import shapely

    from corridormap.render import build_map, render_html

    fresh = render_html(build_map(corridormap.load_corridor(data_copy)))  # fills the cache
    calls = []
    to_geojson = shapely.to_geojson
    monkeypatch.setattr(shapely, "to_geojson", lambda g, *a, **k: calls.append(g) or to_geojson(g, *a, **k))
    cached = corridormap.load_corridor(data_copy)
    assert render_html(build_map(cached)) == fresh
    assert calls == []  # the outlines' GeoJSON came with the cached layers
    # A geometry the user replaces is a new object: its GeoJSON is written from it, not remembered.
    cached.cities.geometry = cached.cities.geometry.translate(0.5, 0)
    html = render_html(build_map(cached))
    assert len(calls) == 9
    assert html != fresh and to_geojson(cached.cities.geometry.iloc[0]) in html
