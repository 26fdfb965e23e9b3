"""The guided tour and the enclave flows, without a browser: checks, geometry, export and the page's data."""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import corridormap
from corridormap.flows import enclave_flows, flow_homes
from corridormap.join import to_metric
from corridormap.render.page import page_data
from corridormap.views import map_view

from .conftest import GEODATA


def _tour_rows() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO((GEODATA / "tour.csv").read_text(encoding="utf-8"))))
    return rows[0], rows[1:]


def _write(path, header, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def test_curated_tour_is_sourced_and_names_only_what_exists(corridor):
    tour = corridor.tour
    assert len(tour) >= 8 and tour["order"].is_unique
    assert tour["source_ids"].notna().all()
    assert not [p for p in corridormap.validate(GEODATA) if p.file == "tour.csv"]
    # every figure a step shows is a fact of the article's, with its source
    facts = corridor.facts.set_index("id")
    for ids in tour["fact_ids"].dropna():
        for f in ids.split(";"):
            assert "shanghai-daily-2023-11-05" in facts.loc[f, "source_ids"]


def test_own_tour_file_replaces_the_data_and_is_named_in_problems(tmp_path):
    header, rows = _tour_rows()
    mine = [list(rows[0])]
    mine[0][header.index("feature_ids")] = "place:atlantis;enclave:*"
    mine[0][header.index("fact_ids")] = "no-such-fact"
    _write(tmp_path / "my_tour.csv", header, mine)
    problems = corridormap.validate(GEODATA, tour=tmp_path / "my_tour.csv")
    found = {(p.file, p.row, p.field) for p in problems if p.severity == "error"}
    assert ("my_tour.csv", 2, "feature_ids") in found
    assert ("my_tour.csv", 2, "fact_ids") in found
    assert not [p for p in problems if p.file == "tour.csv"]  # the data's own tour is not read


def test_a_step_may_show_an_own_list_by_name_and_an_unknown_list_is_reported(tmp_path):
    header, rows = _tour_rows()
    mine = [list(rows[0])]
    mine[0][header.index("feature_ids")] = "list:Suppliers"
    mine[0][header.index("layers")] = "list:Suppliers"
    _write(tmp_path / "t.csv", header, mine)
    points = pd.DataFrame({"name": ["A", "B"], "lon": [120.75, 121.2], "lat": [30.76, 31.0]})
    _write(tmp_path / "Suppliers.csv", list(points.columns), points.astype(str).values.tolist())
    ok = corridormap.validate(GEODATA, tour=tmp_path / "t.csv", lists=[("Suppliers", tmp_path / "Suppliers.csv")])
    assert not [p for p in ok if p.severity == "error"]
    bad = corridormap.validate(GEODATA, tour=tmp_path / "t.csv")
    assert [(p.file, p.row, p.field) for p in bad if "list:Suppliers" in p.message] == [
        ("t.csv", 2, "feature_ids"),
        ("t.csv", 2, "layers"),
    ]
    corridor = corridormap.load_corridor(GEODATA, tour=tmp_path / "t.csv")
    firms = corridormap.read_points(tmp_path / "Suppliers.csv", name="Suppliers")
    data = page_data(map_view(corridor, [firms]), "en")
    step = data["tour"][0]
    assert step["layers"] == ["list-1"]
    (s, w), (n, e) = step["bounds"]
    assert (w, s, e, n) == pytest.approx((120.75, 30.76, 121.2, 31.0))


def test_flows_run_from_the_home_seat_to_the_host(corridor):
    flows = enclave_flows(corridor)
    homes = flow_homes(corridor).set_index("id")  # a seat of the nine, or a row of enclave_homes.csv
    enclaves = corridor.enclaves.set_index("id")
    assert len(flows) >= 2 and (flows.geometry.geom_type == "LineString").all()
    for _, f in flows.iterrows():
        start, end = shapely.get_coordinates(f.geometry)[[0, -1]]
        home = homes.loc[f["home_id"]]
        assert start == pytest.approx([home["lon"], home["lat"]], abs=1e-6)
        host = enclaves.loc[f["enclave_id"]]
        pts = to_metric(gpd.GeoSeries(shapely.points([end, [host["lon"], host["lat"]]]), crs="EPSG:4326"))
        assert pts.iloc[0].distance(pts.iloc[1]) < 0.01  # the arrowhead's gap is the page's, in pixels
        assert not f.geometry.equals(shapely.LineString([start, end]))  # curved, not straight


def test_flows_into_one_host_fan_in_with_their_own_curvatures(corridor):
    flows = enclave_flows(corridor)
    shared = flows[flows["city_id"] == "songjiang"]
    assert len(shared) >= 2  # most enclaves are in Songjiang (Jinhua's and Xuancheng's share one point)
    bends = []
    for g in to_metric(shared.geometry):
        xy = shapely.get_coordinates(g)
        chord = shapely.LineString([xy[0], xy[-1]])
        bends.append(shapely.Point(xy[len(xy) // 2]).distance(chord) / chord.length)
    assert len({round(b, 3) for b in bends}) == len(bends)


def test_export_writes_the_flows_as_lines(corridor, tmp_path):
    written = corridormap.export_corridor(corridor, tmp_path)
    assert tmp_path / "flows.geojson" in written and tmp_path / "tour.csv" in written
    back = gpd.read_file(tmp_path / "flows.geojson")
    assert set(back["enclave_id"]) == set(enclave_flows(corridor)["enclave_id"])
    assert (back.geometry.geom_type == "LineString").all()


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_page_tour_is_in_the_readers_language(corridor, lang):
    data = page_data(map_view(corridor), lang)
    tour, rows = data["tour"], corridor.tour.sort_values("order")
    assert [s["order"] for s in tour] == rows["order"].tolist()
    first, row = tour[0], rows.iloc[0]
    want = {"en": [row["text_en"]], "zh": [row["text_zh"]], "both": [row["text_en"], row["text_zh"]]}[lang]
    assert first["text"] == want
    assert (row["title_en"] in first["title"]) == (lang != "zh")
    assert (row["title_zh"] in first["title"]) == (lang != "en")
    assert data["ui"]["tour"] == {"en": "Tour", "zh": "导览", "both": "Tour · 导览"}[lang]


def test_each_steps_bounds_hold_its_features(corridor):
    view = map_view(corridor)
    for step in view.tour:
        x0, y0, x1, y1 = step.bounds
        for lon, lat in step.points:
            assert x0 <= lon <= x1 and y0 <= lat <= y1
        cities = corridor.cities.set_index("id").loc[step.cities].total_bounds if step.cities else None
        if cities is not None:
            assert x0 <= cities[0] and y0 <= cities[1] and cities[2] <= x1 and cities[3] <= y1
