"""Write the own-list test corpus: lists as analysts in China keep them. Run by hand; the files are committed.

    python tests/data/own_lists/make.py      (needs openpyxl and, for the legacy .xls, xlwt: pip install openpyxl xlwt)

Every list holds made-up organisations at points drawn (seeded) inside the curated city
polygons. The lists with GCJ-02 or BD-09 coordinates also carry the WGS-84 point each was made
from (``wgs84_lon``/``wgs84_lat``), so a test can check the conversion back; some of their points
lie within a kilometre of a city border, where reading the coordinates as WGS-84 puts them in
the neighbouring city.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import corridormap
from corridormap.datum import wgs84_to_bd09, wgs84_to_gcj02
from corridormap.join import locate_xy

HERE = Path(__file__).resolve().parent
SECTORS_ZH = ["人工智能", "集成电路", "新能源", "新材料", "生物医药", "航空航天", "高端装备", "数字经济"]
SECTORS_EN = ["artificial intelligence", "semiconductors", "new energy", "new materials", "biomedicine"]


def sample(cities: gpd.GeoDataFrame, n: int, rng: np.random.Generator, inset: float = 0.03) -> pd.DataFrame:
    """``n`` points inside the cities (at least ``inset`` degrees from any border), cities in turn."""
    rows = []
    for k in range(n):
        i = k % len(cities)
        geom = cities.geometry.iloc[i].buffer(-inset)
        x0, y0, x1, y1 = geom.bounds
        while True:
            x, y = round(rng.uniform(x0, x1), 6), round(rng.uniform(y0, y1), 6)
            if shapely.contains_xy(geom, x, y):
                break
        rows.append({"city_at": i, "lon": x, "lat": y})
    return pd.DataFrame(rows)


def near_borders(cities: gpd.GeoDataFrame, n: int, shift, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` points that lie in a city but whose shifted coordinates, read as WGS-84, lie outside it."""
    geoms = cities.geometry.to_numpy()
    rows = []
    while len(rows) < n:
        i = int(rng.integers(len(cities)))
        border = geoms[i].boundary
        p = border.interpolate(rng.uniform(0, border.length))
        x, y = round(p.x + rng.uniform(-0.01, 0.01), 6), round(p.y + rng.uniform(-0.01, 0.01), 6)
        if locate_xy(np.array([x]), np.array([y]), geoms)[0] != i:
            continue
        sx, sy = shift(x, y)
        if locate_xy(np.atleast_1d(sx), np.atleast_1d(sy), geoms)[0] == i:
            continue
        rows.append({"city_at": i, "lon": x, "lat": y})
    return pd.DataFrame(rows)


def names(n: int, start: int = 1) -> list[str]:
    return [f"示例{'甲乙丙丁戊己庚辛壬癸'[k % 10]}科技有限公司{start + k}" for k in range(n)]


def main() -> None:
    corridor = corridormap.load_corridor()
    cities = corridor.cities
    zh = [s.removesuffix("市") for s in cities["name_zh"]]  # 松江区, 嘉兴, 杭州, ...
    rng = np.random.default_rng(2024)

    # 1. Saved by Excel in China: GB18030, Chinese headers, cities without 市, a blank row at the end.
    pts = sample(cities, 18, rng)
    df = pd.DataFrame(
        {
            "企业名称": names(18),
            "经度": pts["lon"],
            "纬度": pts["lat"],
            "行业": [SECTORS_ZH[k % 8] for k in range(18)],
            "城市": [zh[i] for i in pts["city_at"]],
        }
    )
    (HERE / "gb18030_zh.csv").write_bytes((df.to_csv(index=False) + ",,,,\n").encode("gb18030"))

    # 2. UTF-8 with a BOM and CRLF, English headers, Chinese values; one stated city disagrees with its point.
    pts = sample(cities, 12, rng)
    city = [cities["name_zh"].iloc[i] for i in pts["city_at"]]
    city[4] = "合肥" if city[4] != "合肥市" else "嘉兴"
    df = pd.DataFrame(
        {
            "Company": names(12, 101),
            "Longitude": pts["lon"],
            "Latitude": pts["lat"],
            "City": city,
            "Industry": [SECTORS_ZH[k % 8] for k in range(12)],
            "Address": [f"示例路{k}号" for k in range(12)],
            "Website": ["https://example.com"] * 12,
            "Employees": [str(10 * k) for k in range(12)],
        }
    )
    (HERE / "utf8_bom_crlf.csv").write_bytes(b"\xef\xbb\xbf" + df.to_csv(index=False, lineterminator="\r\n").encode())

    # 3. Tab-separated, with an English city name in mixed case.
    pts = sample(cities, 10, rng)
    df = pd.DataFrame(
        {
            "名称": names(10, 201),
            "lng": pts["lon"],
            "lat": pts["lat"],
            "所在城市": [cities["id"].iloc[i].title() for i in pts["city_at"]],
        }
    )
    df.to_csv(HERE / "tabs.tsv", sep="\t", index=False)

    # 4. Semicolon-separated with decimal commas, as a spreadsheet in a comma locale writes it.
    pts = sample(cities, 8, rng)
    lines = ["company;longitude;latitude;sector"] + [
        f"Firm {k};{str(x).replace('.', ',')};{str(y).replace('.', ',')};{SECTORS_EN[k % 5]}"
        for k, (x, y) in enumerate(zip(pts["lon"], pts["lat"]))
    ]
    (HERE / "semicolon.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # 5, 6. GCJ-02 (copied from Gaode/AMap) and BD-09 (copied from Baidu) coordinates, with a stated city.
    for file, shift in (("amap_gcj02.csv", wgs84_to_gcj02), ("baidu_bd09.csv", wgs84_to_bd09)):
        pts = pd.concat([sample(cities, 6, rng), near_borders(cities, 6, shift, rng)], ignore_index=True)
        sx, sy = shift(pts["lon"].to_numpy(), pts["lat"].to_numpy())
        df = pd.DataFrame(
            {
                "企业名称": names(len(pts), 301),
                "经度": np.round(sx, 6),
                "纬度": np.round(sy, 6),
                "所在城市": [cities["name_zh"].iloc[i] for i in pts["city_at"]],
                "wgs84_lon": pts["lon"],
                "wgs84_lat": pts["lat"],
            }
        )
        df.to_csv(HERE / file, index=False)

    # 7, 8, 9. GeoJSON points (no ids, no sources), a GeoPackage in the metric CRS, GeoParquet.
    pts = sample(cities, 9, rng)
    gdf = gpd.GeoDataFrame(
        {"name": names(9, 401), "industry": [SECTORS_EN[k % 5] for k in range(9)]},
        geometry=gpd.points_from_xy(pts["lon"], pts["lat"]),
        crs=4326,
    )
    gdf.to_file(HERE / "points.geojson", driver="GeoJSON", engine="pyogrio")
    gdf.to_crs(corridormap.METRIC_CRS).to_file(
        HERE / "points_cgcs2000.gpkg", layer="firms", driver="GPKG", engine="pyogrio"
    )
    gdf.to_parquet(HERE / "points.parquet")

    # 10. Headers nobody could guess: they need --columns name=单位名称,lon=X坐标,lat=Y坐标.
    pts = sample(cities, 6, rng)
    pd.DataFrame({"单位名称": names(6, 501), "X坐标": pts["lon"], "Y坐标": pts["lat"]}).to_csv(
        HERE / "needs_columns.csv", index=False
    )

    # Broken lists.
    pts = sample(cities, 5, rng)
    pd.DataFrame({"企业名称": names(5, 601), "地址": ["示例路1号"] * 5}).to_csv(
        HERE / "broken_no_coordinates.csv", index=False
    )
    df = pd.DataFrame({"企业名称": names(5, 701), "经度": pts["lon"].astype(str), "纬度": pts["lat"]})
    df.loc[2, "经度"] = "待补充"
    df.to_csv(HERE / "broken_text_in_lon.csv", index=False)  # the text is on line 4
    df = pd.DataFrame({"企业名称": names(5, 801), "经度": pts["lon"], "纬度": pts["lat"]})
    df.loc[3, ["经度", "纬度"]] = [116.397, 39.909]  # Beijing: line 5
    df.to_csv(HERE / "broken_outside.csv", index=False)

    from openpyxl import Workbook

    # 11. A workbook: a title row above the header, a blank row inside, a second sheet.
    pts = sample(cities, 7, rng)
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(["G60 示例企业名录"])
    ws.append(["序号", "企业名称", "经度", "纬度", "所属行业", "城市"])
    for k, (x, y, i) in enumerate(zip(pts["lon"], pts["lat"], pts["city_at"])):
        ws.append([k + 1, names(1, 901 + k)[0], x, y, SECTORS_ZH[k % 8], cities["name_zh"].iloc[i]])
        if k == 3:
            ws.append([])
    wb.create_sheet("说明").append(["本表为测试数据"])
    wb.save(HERE / "workbook.xlsx")

    # 12. A workbook whose first sheet is empty.
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.create_sheet("data").append(["企业名称", "经度", "纬度"])
    wb.save(HERE / "broken_empty_sheet.xlsx")
    sheets(cities)
    mixed_list(cities)


def sheets(cities: gpd.GeoDataFrame) -> None:
    """Sheets as people make them (issue 19): titles, notes and totals around the data, coordinates as written.

    Every firm's true point (WGS-84) is in ``sheets_truth.csv``, by name: the tests compare what
    the command reads with it. Needs openpyxl and xlwt (for the legacy ``.xls``).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    rng = np.random.default_rng(19)  # its own seed: the lists above stay as they are
    truth = []

    def firms(n: int, start: int) -> pd.DataFrame:
        pts = sample(cities, n, rng)
        pts["name"] = names(n, start)
        truth.append(pts[["name", "lon", "lat"]])
        return pts

    # 13. A published Excel list: a merged title cell, a blank row and a blank column A, the
    # header on row 3 (columns B-F), 10 firms on rows 4-13, a merged footnote on row 14.
    pts = firms(10, 1001)
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["B1"] = "2024年G60科创走廊示例高新技术企业名单"
    ws.merge_cells("B1:F1")
    ws["B1"].alignment = Alignment(horizontal="center")
    for col, text in zip("BCDEF", ["序号", "企业名称", "经度", "纬度", "所属领域"]):
        ws[f"{col}3"] = text
    for k, row in pts.iterrows():
        for col, value in zip("BCDEF", [k + 1, row["name"], row["lon"], row["lat"], SECTORS_ZH[k % 8]]):
            ws[f"{col}{4 + k}"] = value
    ws["B14"] = "注：坐标为WGS-84经纬度。"
    ws.merge_cells("B14:F14")
    wb.save(HERE / "sheet_title_footnote.xlsx")

    # 14. Saved by Excel in China: GB18030, a total row (line 14) and two empty rows (15, 16) at the end.
    pts = firms(12, 1101)
    df = pd.DataFrame(
        {
            "序号": [str(k + 1) for k in range(12)],
            "企业名称": pts["name"],
            "经度": pts["lon"],
            "纬度": pts["lat"],
            "所属行业": [SECTORS_ZH[k % 8] for k in range(12)],
        }
    )
    text = df.to_csv(index=False, lineterminator="\r\n") + "合计,12家,,,\r\n,,,,\r\n,,,,\r\n"
    (HERE / "sheet_gbk_total.csv").write_bytes(text.encode("gb18030"))

    # 15. One column with both coordinates, as a map picker copies them, in three forms (3 rows each).
    pts = firms(9, 1201)
    forms = ["{x},{y}", "{x} {y}", "{y},{x}"]
    pairs = [forms[k // 3].format(x=x, y=y) for k, (x, y) in enumerate(zip(pts["lon"], pts["lat"]))]
    pd.DataFrame({"企业名称": pts["name"], "经纬度": pairs}).to_csv(HERE / "sheet_lnglat.csv", index=False)

    # 16. The same, under a header no one would guess: found by its values.
    pts = firms(6, 1301)
    pairs = [f"{x}, {y}" for x, y in zip(pts["lon"], pts["lat"])]
    pd.DataFrame({"企业名称": pts["name"], "位置": pairs}).to_csv(HERE / "sheet_pairs_by_content.csv", index=False)

    # 17. Degrees as written: 120.15°E / N30.28, 东经…度 / 北纬…度, full-width digits (2 rows each).
    pts = firms(6, 1401)
    full = str.maketrans("0123456789.", "０１２３４５６７８９．")
    lon = [f"{x}°E" if k < 2 else f"东经{x}度" if k < 4 else str(x).translate(full) for k, x in enumerate(pts["lon"])]
    lat = [f"N{y}" if k < 2 else f"北纬{y}度" if k < 4 else str(y).translate(full) for k, y in enumerate(pts["lat"])]
    pd.DataFrame({"企业名称": pts["name"], "经度": lon, "纬度": lat}).to_csv(HERE / "sheet_degrees.csv", index=False)

    # 18. A Shapefile from an older Chinese GIS tool: GBK text, no .cpg, no code page in the DBF.
    pts = firms(5, 1501)
    gdf = gpd.GeoDataFrame(
        {"企业名称": pts["name"], "行业": [SECTORS_ZH[k] for k in range(5)]},
        geometry=gpd.points_from_xy(pts["lon"], pts["lat"]),
        crs=4326,
    )
    gdf.to_file(HERE / "sheet_gbk.shp", encoding="GB18030", engine="pyogrio")
    (HERE / "sheet_gbk.cpg").unlink()
    dbf = bytearray((HERE / "sheet_gbk.dbf").read_bytes())
    dbf[29] = 0  # no language driver id
    (HERE / "sheet_gbk.dbf").write_bytes(bytes(dbf))

    # 19. A legacy .xls (Excel 97-2003) with a title row and a total row (row 8).
    import xlwt

    pts = firms(5, 1601)
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("企业")
    ws.write_merge(0, 0, 0, 3, "示例企业名单")
    for j, text in enumerate(["序号", "企业名称", "经度", "纬度"]):
        ws.write(1, j, text)
    for k, row in pts.iterrows():
        for j, value in enumerate([k + 1, row["name"], row["lon"], row["lat"]]):
            ws.write(2 + k, j, value)
    ws.write(7, 0, "合计")
    ws.write(7, 1, "5家")
    book.save(str(HERE / "sheet_legacy.xls"))

    pd.concat(truth, ignore_index=True).to_csv(HERE / "sheets_truth.csv", index=False)
    address_lists()


# Lists placed by name (issue 19): (name, the text as published, truth). The truth is the division
# (adcode) or city (id) each firm's registered place lies in, written by hand from the text, not
# taken from the matcher; blank where the text names no place in the corridor.
CITY_ONLY = [
    ("示例城市甲公司", "杭州", "hangzhou"),
    ("示例城市乙公司", "嘉兴市", "jiaxing"),
    ("示例城市丙公司", "上海市松江区", "310117"),
    ("示例城市丁公司", "Hefei", "hefei"),
    ("示例城市戊公司", "湖州", "huzhou"),
    ("示例城市己公司", "芜湖市", "wuhu"),
    ("示例城市庚公司", "ＳＵＺＨＯＵ", "suzhou"),
]
ADDRESSES = [
    ("示例地址甲公司", "浙江省杭州市余杭区文一西路969号", "330110"),
    ("示例地址乙公司", "湖州吴兴区织里镇示例路8号", "330502"),
    ("示例地址丙公司", "苏州工业园区星湖街328号", "suzhou"),
    ("示例地址丁公司", "杭州市临平区南苑街道示例路1号", "330113"),
    ("示例地址戊公司", "浙江省杭州市钱塘区白杨街道示例大街2号", "330114"),
    ("示例地址己公司", "杭州市下城区示例路3号", "330105"),  # former: now 拱墅区
    ("示例地址庚公司", "杭州市江干区示例路4号", "hangzhou"),  # former, split in 2021: only the city
    ("示例地址辛公司", "芜湖市三山区示例路5号", "340209"),  # former: now 弋江区
    ("示例地址壬公司", "安徽省无为县示例镇", "340281"),  # former: now 无为市
    ("示例地址癸公司", "安徽省广德县桃州镇示例路6号", "341882"),  # former: now 广德市
    ("示例地址子公司", "合肥高新区望江西路示例号", "hefei"),
    ("示例地址丑公司", "杭州钱塘新区示例路7号", "330114"),
    ("示例地址寅公司", "合肥市宁国路100号", "hefei"),  # a street, not 宁国市
    ("示例地址卯公司", "杭州市安吉路11号", "hangzhou"),  # a street, not 安吉县
    ("示例地址辰公司", "湖州市安吉县递铺街道示例路9号", "330523"),
    ("示例地址巳公司", "上海市松江区九亭镇示例路10号", "310117"),
    ("示例地址午公司", "安徽省宣城市泾县示例镇", "341823"),
    ("示例地址未公司", "上海市长兴岛示例路12号", ""),  # Shanghai, not 长兴县: not placed
    ("示例地址申公司", "北京市海淀区示例路13号", ""),  # outside the corridor: not placed
]


def address_lists() -> None:
    """A city-only list and an address-only list (with a total row), and their truth."""
    city = pd.DataFrame(
        {"序号": range(1, len(CITY_ONLY) + 1), "企业名称": [r[0] for r in CITY_ONLY],
         "所属城市": [r[1] for r in CITY_ONLY], "所属领域": SECTORS_ZH[: len(CITY_ONLY)]}
    )  # fmt: skip
    city.to_csv(HERE / "city_only.csv", index=False, encoding="utf-8")
    sectors = [SECTORS_ZH[k % len(SECTORS_ZH)] for k in range(len(ADDRESSES))]
    addr = pd.DataFrame(
        {"序号": [str(k) for k in range(1, len(ADDRESSES) + 1)], "企业名称": [r[0] for r in ADDRESSES],
         "注册地址": [r[1] for r in ADDRESSES], "所属领域": sectors}
    )  # fmt: skip
    addr.loc[len(addr)] = ["合计", f"{len(ADDRESSES)}家", "", ""]
    addr.to_csv(HERE / "address_only.csv", index=False, encoding="utf-8")
    truth = [(f, name, t) for f, rows in (("city_only.csv", CITY_ONLY), ("address_only.csv", ADDRESSES))
             for name, _, t in rows]  # fmt: skip
    pd.DataFrame(truth, columns=["file", "name", "truth"]).to_csv(HERE / "places_truth.csv", index=False)


# A list with coordinate columns where some rows' coordinates are blank (a firm not yet surveyed):
# those are placed by their address, the rest keep their coordinates. (name, address, truth, how):
# the truth is written by hand from the address as in ADDRESSES, or the city the point was drawn in.
MIXED_BY_ADDRESS = [
    ("示例混合甲公司", "浙江省杭州市余杭区文一西路969号", "330110", "address"),
    ("示例混合乙公司", "安徽省宣城市泾县示例镇", "341823", "address"),
    ("示例混合丙公司", "合肥市宁国路100号", "hefei", "address"),  # a street, not 宁国市
    ("示例混合丁公司", "上海市松江区九亭镇示例路10号", "310117", "address"),
]


def mixed_list(cities: gpd.GeoDataFrame) -> None:
    """mixed.csv: coordinates for some rows, only an address for others, neither for one, half for one."""
    pts = sample(cities, 5, np.random.default_rng(19))
    ids = cities["id"].tolist()
    rows = [
        {"企业名称": f"示例坐标{'甲乙丙丁戊'[k]}公司", "经度": p.lon, "纬度": p.lat,
         # an address naming another city: the coordinates win
         "注册地址": "杭州市余杭区示例路1号" if k == 0 else "", "truth": ids[p.city_at], "how": "coordinates"}
        for k, p in enumerate(pts.itertuples())
    ]  # fmt: skip
    rows += [
        {"企业名称": n, "经度": "", "纬度": "", "注册地址": a, "truth": t, "how": h} for n, a, t, h in MIXED_BY_ADDRESS
    ]
    rows += [
        {"企业名称": "示例空白公司", "经度": "", "纬度": "", "注册地址": "", "truth": "", "how": ""},  # neither
        {"企业名称": "示例半坐标公司", "经度": 120.1, "纬度": "", "注册地址": "湖州市吴兴区", "truth": "", "how": ""},
    ]
    frame = pd.DataFrame(rows)
    frame.drop(columns=["truth", "how"]).to_csv(HERE / "mixed.csv", index=False, encoding="utf-8")
    truth = frame[["企业名称", "truth", "how"]].rename(columns={"企业名称": "name"})
    truth.to_csv(HERE / "mixed_truth.csv", index=False)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--addresses"]:  # only the lists placed by name
        address_lists()
    elif sys.argv[1:] == ["--mixed"]:
        mixed_list(corridormap.load_corridor().cities)
    else:
        main()
