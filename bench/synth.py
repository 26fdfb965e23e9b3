"""Synthetic enterprises inside the nine city polygons, for the scale benchmark and tests.

:func:`synthetic_enterprises` gives rows shaped like ``geodata/enterprises.csv``;
:func:`as_user_list` turns them into a list as an analyst keeps it: Chinese headers, no ids, no sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

import corridormap
from corridormap.schema import SECTORS

_WORDS = ["Advanced", "Bright", "Delta", "Eastern", "Golden", "Harbor", "Lake", "Micro", "Nova", "Pearl",
          "Quantum", "River", "Silk", "Star", "Tide", "Unity", "Vertex", "West", "Yangtze", "Zenith"]  # fmt: skip
_ZH = "长三角科技创新智能材料能源光电半导体航天医疗信息数字精密海洋新城"


def synthetic_enterprises(n: int, seed: int = 0, corridor=None) -> pd.DataFrame:
    """Return ``n`` valid enterprise rows (documented columns) inside the nine cities.

    Names are ~20 characters, descriptions ~80; points are uniform within each
    city polygon, cities weighted by area. Vectorised: a million rows take seconds.
    """
    corridor = corridor or corridormap.load_corridor()
    rng = np.random.default_rng(seed)
    cities = corridor.cities
    area = cities.to_crs(corridormap.METRIC_CRS).area.to_numpy()
    which = rng.choice(len(cities), size=n, p=area / area.sum())
    lon = np.empty(n)
    lat = np.empty(n)
    for k, geom in enumerate(cities.geometry):
        idx = np.flatnonzero(which == k)
        x0, y0, x1, y1 = geom.bounds
        shapely.prepare(geom)
        got = 0
        while got < len(idx):
            m = (len(idx) - got) * 3 + 16
            xs, ys = np.round(rng.uniform(x0, x1, m), 6), np.round(rng.uniform(y0, y1, m), 6)
            ok = shapely.contains_xy(geom, xs, ys)
            take = min(ok.sum(), len(idx) - got)
            lon[idx[got : got + take]] = xs[ok][:take]
            lat[idx[got : got + take]] = ys[ok][:take]
            got += take
    w = np.array(_WORDS)
    names = (
        pd.Series(w[rng.integers(0, len(w), n)]) + " " + pd.Series(w[rng.integers(0, len(w), n)]) + " Tech "
        + pd.Series(rng.integers(1000, 9999, n).astype(str))
    )  # fmt: skip
    zh_chars = np.array(list(_ZH))
    name_zh = pd.Series(["".join(r) for r in zh_chars[rng.integers(0, len(zh_chars), (n, 6))]]) + "有限公司"
    sectors = np.array([s for s in SECTORS if s != "education"])
    made = pd.Series(sectors[rng.integers(0, len(sectors), n)])
    serial = pd.Series(rng.integers(100000, 999999, n).astype(str))
    desc = "Synthetic firm no. " + serial + " making " + made + " products for the Yangtze River Delta."
    return pd.DataFrame(
        {
            "id": [f"syn-{i:07d}" for i in range(n)],
            "name_en": names,
            "name_zh": name_zh,
            "city_id": cities["id"].to_numpy()[which],
            "kind": "company",
            "sector": sectors[rng.integers(0, len(sectors), n)],
            "description": desc,
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "location_precision": "address",
            "website": "",
            "source_ids": "shanghai-daily-2023-11-05",
            "note": "",
        }
    )


SECTORS_ZH = {
    "aerospace": "航空航天",
    "artificial intelligence": "人工智能",
    "education": "教育",
    "medical devices": "医疗器械",
    "new energy": "新能源",
    "new materials": "新材料",
    "optical communications": "光通信",
    "optoelectronics": "光电子",
    "satellite navigation": "卫星导航",
    "semiconductors": "集成电路",
    "research": "科研",
    "other": "其他",
}


def as_user_list(df: pd.DataFrame, corridor=None) -> pd.DataFrame:
    """The rows of :func:`synthetic_enterprises` as a user has them: Chinese headers and values, no ids, no sources."""
    corridor = corridor or corridormap.load_corridor()
    city_zh = dict(zip(corridor.cities["id"], corridor.cities["name_zh"]))
    return pd.DataFrame(
        {
            "企业名称": df["name_zh"],
            "英文名称": df["name_en"],
            "经度": df["lon"],
            "纬度": df["lat"],
            "城市": df["city_id"].map(city_zh),
            "所属行业": df["sector"].map(SECTORS_ZH),
            "简介": df["description"],
            "网址": df["website"],
        }
    )


def as_address_list(df: pd.DataFrame, corridor=None) -> pd.DataFrame:
    """:func:`as_user_list` with a registered address instead of the coordinates (issue 19): each firm
    written as 省 + 市 + the county-level division its point lies in + a street and number."""
    from corridormap.join import locate_points

    corridor = corridor or corridormap.load_corridor()
    user = as_user_list(df, corridor)
    div = corridor.divisions
    at = locate_points(gpd_points(df), div.geometry)
    cities = corridor.cities.set_index("id")
    city = div["city_id"].to_numpy(object)[at]
    province = cities.loc[city, "province_zh"].to_numpy(object)
    city_zh = np.where(city == "songjiang", "", cities.loc[city, "name_zh"].to_numpy(object))
    street = pd.Series(np.arange(len(df)) % 997 + 1).astype(str)
    address = province + city_zh + div["name_zh"].to_numpy(object)[at] + "科创路" + street.to_numpy(object) + "号"
    return user.drop(columns=["经度", "纬度", "城市"]).assign(注册地址=address)


def gpd_points(df: pd.DataFrame):
    """The rows' points as a GeoSeries (WGS-84)."""
    import geopandas as gpd

    return gpd.GeoSeries(gpd.points_from_xy(df["lon"], df["lat"]), crs=4326)


_ZH_TEXT = "公司专注于长三角地区的研发制造与技术服务产品覆盖集成电路新能源新材料人工智能光电子航空航天医疗器械等领域"
_EN_TEXT = (
    "develops and makes components for customers across the Yangtze River Delta, with research "
    "teams in Songjiang and partners in Hefei, Hangzhou and Suzhou, and exports to Europe and Asia"
)


def as_bilingual_list(df: pd.DataFrame, corridor=None, seed: int = 0) -> pd.DataFrame:
    """The user list of :func:`as_user_list` with bilingual names and long descriptions.

    ``企业名称`` holds "English · 中文" and ``简介`` a Chinese sentence and an English one, 80-200
    characters in all (the list shape a user with their own descriptions has).
    """
    out = as_user_list(df, corridor)
    rng = np.random.default_rng(seed + 1)
    n = len(df)
    out["企业名称"] = df["name_en"] + " · " + df["name_zh"]
    zh_len = rng.integers(20, 60, n)  # Chinese characters
    en_len = rng.integers(60, 140, n) - zh_len + 20  # English characters: 80-200 in all
    zh_at = rng.integers(0, len(_ZH_TEXT), n)  # a random window of the texts, so rows differ
    en_at = rng.integers(0, len(_EN_TEXT), n)
    zh_text, en_text = _ZH_TEXT * 3, (_EN_TEXT + ". ") * 2
    out["简介"] = [
        f"{zh_text[a : a + k]}。{en_text[b : b + m].strip()} ({serial})."
        for a, k, b, m, serial in zip(zh_at, zh_len, en_at, en_len, rng.integers(1000, 9999, n))
    ]
    return out
