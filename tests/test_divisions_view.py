"""The divisions as the page gets them: points counted by the division they lie in (a firm known
only to its city in none), choropleth measures by division with mapclassify's natural breaks, and
the borders drawn once within the size budget. Truth from geopandas' own spatial join."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import corridormap
from corridormap.render import render_html
from corridormap.views import map_view

from .test_map import read_data

BUDGET = 250_000  # bytes the divisions may add to the page (issue 19)


@pytest.fixture(scope="module")
def divided(corridor):
    if getattr(corridor, "divisions", None) is None:
        pytest.skip("geodata/ has no divisions layer")
    return corridor


def _firms(divisions, seed=5):
    """Firms at random points of a few divisions, some of them known only to their city."""
    rng = np.random.default_rng(seed)
    rows = []
    for _, d in divisions.sample(12, random_state=seed).iterrows():
        x0, y0, x1, y1 = d.geometry.bounds
        for k in range(int(rng.integers(1, 9))):
            while not shapely.contains_xy(d.geometry, x := rng.uniform(x0, x1), y := rng.uniform(y0, y1)):
                pass
            rows.append({"name": f"{d['name_en']} {k}", "lon": x, "lat": y, "sector": ("ai", "biomedicine")[k % 2],
                         "location_precision": ("district", "site", "city")[k % 3]})  # fmt: skip
    return pd.DataFrame(rows)


def test_points_are_counted_in_the_division_they_lie_in(divided):
    firms = _firms(divided.divisions)
    points = corridormap.read_points(firms, name="Mine", cities=divided.cities)
    counts = map_view(divided, [points]).division_counts["list-1"]
    known = gpd.GeoDataFrame(firms, geometry=gpd.points_from_xy(firms["lon"], firms["lat"]), crs=4326)
    known = known[known["location_precision"] != "city"]
    joined = gpd.sjoin(known, divided.divisions[["geometry"]], predicate="within")
    truth = joined.groupby("index_right").size().reindex(range(len(divided.divisions)), fill_value=0)
    assert counts.total.tolist() == truth.tolist()
    assert counts.by_sector.sum(axis=1).tolist() == truth.tolist()
    assert (counts.division[firms["location_precision"].eq("city").to_numpy()] == -1).all()


def test_measures_by_division_are_mapclassifys_natural_breaks(divided):
    mapclassify = pytest.importorskip("mapclassify")
    points = corridormap.read_points(_firms(divided.divisions), name="Mine", cities=divided.cities)
    data = read_data(render_html(corridormap.build_map(divided, lists=[points], lang="en")))
    by_district = [m for m in data["measures"] if m["level"] == "district"]
    assert {m["layer"] for m in by_district} == {"enterprises", "list-1"}
    count = next(m for m in by_district if m["id"] == "list-1:count:district")
    assert len(count["values"]) == len(divided.divisions) and count["label"] == "Mine: count, by county/district"
    fj = mapclassify.FisherJenks(np.array(count["values"]), len(count["bins"]))
    assert count["bins"] == pytest.approx(fj.bins.tolist()) and count["classes"] == fj.yb.tolist()


def test_divisions_add_at_most_the_budget_and_draw_each_border_once(divided, map_html):
    with_divisions = map_html("both")  # the shipped data's map: ``divided`` is the session's corridor
    data = read_data(with_divisions)
    assert len(data["divisions"]) == len(divided.divisions)
    plain = render_html(corridormap.build_map(dataclasses.replace(divided, divisions=None), lang="both"))
    assert len(with_divisions.encode()) - len(plain.encode()) <= BUDGET
    lines = data["divisionLines"]
    xy = np.cumsum(np.column_stack([lines["x"], lines["y"]]), axis=0) / 1e4
    starts = np.concatenate([[0], np.cumsum(lines["parts"])[:-1]])
    drawn = shapely.multilinestrings([shapely.linestrings(xy[a : a + n]) for a, n in zip(starts, lines["parts"])])
    # Each border once: the drawn lines' total length is that of their union (no stretch twice).
    assert drawn.length == pytest.approx(shapely.union_all(shapely.get_parts(drawn)).length, rel=1e-6)
    outlines = shapely.union_all(shapely.boundary(divided.cities.geometry.to_numpy()))
    assert shapely.intersection(drawn, outlines).length < 1e-3  # the cities' outlines are the cities' own
