"""Datum conversions against published pairs and their own inverses."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from corridormap.datum import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    in_china,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")


def _metres(lon1, lat1, lon2, lat2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


def test_offset_in_corridor_is_hundreds_of_metres():
    # GCJ-02 is offset by roughly 400-600 m in the Yangtze River Delta.
    lon = np.linspace(116.8, 122.0, 25)
    lat = np.linspace(28.6, 32.0, 25)
    glon, glat = wgs84_to_gcj02(lon, lat)
    d = _metres(lon, lat, glon, glat)
    assert d.min() > 300 and d.max() < 800


def test_inverse_round_trip_better_than_half_a_metre():
    rng = np.random.default_rng(0)
    lon = rng.uniform(116.5, 122.5, 5000)
    lat = rng.uniform(28.0, 32.8, 5000)
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert _metres(lon, lat, *back).max() < 0.01


def test_outside_china_unchanged():
    lon = np.array([-0.1276, 139.9, 151.2])
    lat = np.array([51.5072, 56.0, -33.87])
    assert not in_china(lon, lat).any()
    for f in (wgs84_to_gcj02, gcj02_to_wgs84):
        out_lon, out_lat = f(lon, lat)
        np.testing.assert_array_equal(out_lon, lon)
        np.testing.assert_array_equal(out_lat, lat)


def test_scalars_work():
    lon, lat = wgs84_to_gcj02(121.2, 31.0)
    assert lon.shape == () and float(lon) != 121.2
    assert float(gcj02_to_wgs84(lon, lat)[0]) == pytest.approx(121.2, abs=1e-8)


# Published WGS-84 -> GCJ-02 pairs (lon, lat, gcj_lon, gcj_lat), each from another
# implementation's own test suite:
PUBLISHED = [
    # googollee/eviltransform tests (Python): Shanghai, Shenzhen, Beijing
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    # wandergis/coordtransform, as used in hutool's CoordinateUtilTest and coordtransform_rs
    (116.404, 39.915, 116.41024449916938, 39.91640428150164),
    # a geotool CLI test (Rust), a point in Jiaxing inside the corridor
    (121.0917077, 30.6107779, 121.09626935575027, 30.608604331756705),
]


@pytest.mark.parametrize(("lon", "lat", "glon", "glat"), PUBLISHED)
def test_published_pairs_forward_and_inverse(lon, lat, glon, glat):
    got = wgs84_to_gcj02(lon, lat)
    assert _metres(float(got[0]), float(got[1]), glon, glat) < 0.5
    back = gcj02_to_wgs84(glon, glat)
    assert _metres(float(back[0]), float(back[1]), lon, lat) < 0.5


# Published pairs in every direction (tests/data/datum_pairs.csv names where each was read).
PAIRS = pd.read_csv(Path(__file__).resolve().parent / "data" / "datum_pairs.csv", dtype={"id": str})
CONVERT = {
    ("wgs84", "gcj02"): wgs84_to_gcj02,
    ("gcj02", "wgs84"): gcj02_to_wgs84,
    ("gcj02", "bd09"): gcj02_to_bd09,
    ("bd09", "gcj02"): bd09_to_gcj02,
    ("wgs84", "bd09"): wgs84_to_bd09,
    ("bd09", "wgs84"): bd09_to_wgs84,
}


def test_the_pairs_file_covers_bd09_both_ways():
    directions = set(zip(PAIRS["from_datum"], PAIRS["to_datum"]))
    assert {("gcj02", "bd09"), ("bd09", "gcj02"), ("wgs84", "bd09")} <= directions
    assert PAIRS["source_url"].str.startswith("https://").all()


@pytest.mark.parametrize("pair", PAIRS.to_dict("records"), ids=list(PAIRS["id"]))
def test_published_pairs_within_a_metre(pair):
    """Within 1 m of every pair made by an exact method; a pair from an approximate one (its row
    says so) within its own tolerance."""
    forward = CONVERT[(pair["from_datum"], pair["to_datum"])]
    lon, lat = forward(pair["from_lon"], pair["from_lat"])
    assert _metres(float(lon), float(lat), pair["to_lon"], pair["to_lat"]) < float(pair["tolerance_m"])
    tolerance = float(pair["tolerance_m"])
    back = CONVERT[(pair["to_datum"], pair["from_datum"])]  # and the other way, on the published answer
    lon, lat = back(pair["to_lon"], pair["to_lat"])
    assert _metres(float(lon), float(lat), pair["from_lon"], pair["from_lat"]) < tolerance
    lon, lat = to_wgs84(pair["from_lon"], pair["from_lat"], pair["from_datum"])
    if pair["to_datum"] == "wgs84":
        assert _metres(float(lon), float(lat), pair["to_lon"], pair["to_lat"]) < tolerance


def test_bd09_round_trips_exactly():
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(116.5, 122.5, 5000), rng.uniform(28.0, 32.8, 5000)
    back = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert _metres(lon, lat, *back).max() < 0.01
    blon, blat = wgs84_to_bd09(lon, lat)
    d = _metres(lon, lat, blon, blat)
    assert d.min() > 600 and d.max() < 1500  # BD-09 sits about a kilometre off WGS-84 here


def test_to_wgs84_names_the_datums():
    assert to_wgs84(121.2, 31.0, "wgs84")[0] == 121.2
    with pytest.raises(ValueError, match="unknown datum 'baidu'"):
        to_wgs84(121.2, 31.0, "baidu")
