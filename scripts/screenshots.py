"""Take the README's screenshots (docs/*.jpg) in headless chromium, offline (so without basemap tiles).

    python scripts/screenshots.py

The curated map at 1400x900 and 390x844, a city's popup, and a list of 44,200 synthetic firms at
zooms 7 and 10, filtered, as a choropleth, as H3 density and on the time slider at 2017; an
address-only list (the same synthetic firms, each with only a registered address naming its
district) coloured by county/district; three steps of the guided tour (desktop and phone) and the
enclaves' flows.

    python scripts/screenshots.py --tour    # only the tour's and the flows' pictures
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corridormap  # noqa: E402
from corridormap.render.png import CHROMIUM_ARGS, chromium_path  # noqa: E402

DOCS = ROOT / "docs"
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


def _page(browser, path: Path, size: dict, hash_: str = ""):
    phone = size["width"] <= 480
    context = browser.new_context(viewport=size, has_touch=phone, is_mobile=phone, device_scale_factor=1)
    page = context.new_page()
    page.route(re.compile(r"^https?://"), lambda r: r.abort())  # offline: no tiles, no CDN
    page.goto(path.as_uri() + hash_)
    page.wait_for_function("document.documentElement.dataset.cmReady === '1'")
    page.wait_for_timeout(400)
    return page


def _shot(page, name: str) -> None:
    page.screenshot(path=str(DOCS / name), type="jpeg", quality=78)
    print("wrote", DOCS / name)
    page.context.close()


def _open(page, key: str) -> None:
    """Open the panel's section ``key`` and close the others (a reader's clicks on their headings)."""
    for other in page.locator("details[class*='cm-section-']").all():
        wanted = f"cm-section-{key}" in (other.get_attribute("class") or "").split()
        if other.evaluate("d => d.open") != wanted:
            other.locator(":scope > summary").click()


def _address_only(corridor, df):
    """The synthetic firms as a list with no coordinates: a name and a registered address that
    names the city and the division each firm lies in (a made-up street and number)."""
    import pandas as pd

    divisions = corridor.divisions
    at = corridormap.locate_points(gpd_points(df), divisions.geometry)
    keep = at >= 0
    cities = dict(zip(corridor.cities["id"], corridor.cities["name_zh"]))
    cities["songjiang"] = "上海市"  # Songjiang is itself a district: its city in an address is Shanghai
    rows = divisions.iloc[at[keep]]
    city = [cities[c] for c in rows["city_id"]]
    number = (pd.RangeIndex(int(keep.sum())) % 50 + 1).astype(str)
    address = [f"{c}{d}创新路{n}号" for c, d, n in zip(city, rows["name_zh"], number)]
    return pd.DataFrame(
        {"企业名称": df["name_zh"].to_numpy()[keep], "注册地址": address, "行业": df["sector"].to_numpy()[keep]}
    )


def gpd_points(df):
    import geopandas as gpd

    return gpd.points_from_xy(df["lon"], df["lat"], crs=4326)


TOUR_STEPS = (3, 5, 7)  # the figures, the enclaves' flows, the firms


def tour_shots(browser, curated: Path, corridor) -> None:
    """Three steps of the tour, opened by the Tour button and stepped by Next (desktop and phone),
    and the flows with one's tooltip (the pointer at its midpoint)."""
    import shapely

    for size, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
        for n in TOUR_STEPS:
            page = _page(browser, curated, size)
            page.locator(".cm-tour-open").click()
            for _ in range(n - 1):
                page.wait_for_timeout(150)
                page.locator(".cm-tour-next").click()
            page.wait_for_timeout(300)
            page.wait_for_function("!window.corridormap.moving()", polling="raf")  # the fly-to's end
            page.wait_for_timeout(400)
            _shot(page, f"tour-{n}-{tag}.jpg")
    page = _page(browser, curated, DESKTOP, "#map=7.5/31.0/119.6")
    flow = corridormap.enclave_flows(corridor).set_index("enclave_id").loc["xuancheng-sci-tech-center"].geometry
    mid = shapely.line_interpolate_point(flow, 0.5, normalized=True)
    x, y = page.evaluate("([a, b]) => window.corridormap.project(a, b)", [mid.y, mid.x])
    page.mouse.move(x, y)
    page.wait_for_timeout(400)
    _shot(page, "flows.jpg")


def main() -> None:
    import pandas as pd
    from playwright.sync_api import sync_playwright
    from synth import synthetic_enterprises

    corridor = corridormap.load_corridor()
    if "--tour" in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
            curated = corridormap.save_map(corridormap.build_map(corridor, basemap="none"), Path(tmp) / "m.html",
                                           self_contained=True)  # fmt: skip
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            tour_shots(browser, curated, corridor)
            browser.close()
        return
    df = synthetic_enterprises(44_200, seed=3, corridor=corridor)
    firms = corridormap.read_points(
        pd.DataFrame({"企业名称": df["name_zh"], "经度": df["lon"], "纬度": df["lat"], "行业": df["sector"]}),
        name="44,200 firms (synthetic)",
    )
    with tempfile.TemporaryDirectory() as tmp:
        curated = corridormap.save_map(corridormap.build_map(corridor, basemap="none"), Path(tmp) / "m.html",
                                       self_contained=True)  # fmt: skip
        big = corridormap.save_map(corridormap.build_map(corridor, lists=[firms], basemap="none", lang="en"),
                                   Path(tmp) / "big.html", self_contained=True)  # fmt: skip
        addressed = corridormap.read_points(
            _address_only(corridor, df.iloc[:6000]), name="6,000 firms by address (synthetic)"
        )
        by_address = corridormap.save_map(corridormap.build_map(corridor, lists=[addressed], basemap="none", lang="en"),
                                          Path(tmp) / "address.html", self_contained=True)  # fmt: skip
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            _shot(_page(browser, curated, DESKTOP), "map.jpg")
            _shot(_page(browser, curated, PHONE), "phone.jpg")
            page = _page(browser, curated, DESKTOP)
            c = corridor.cities.set_index("id").loc["jiaxing"].geometry.representative_point()
            x, y = page.evaluate("([a, b]) => window.corridormap.project(a, b)", [c.y, c.x])
            page.mouse.click(x, y)
            page.wait_for_timeout(500)
            _shot(page, "popup.jpg")
            _shot(_page(browser, big, DESKTOP, "#map=7/30.3/119.3"), "list-zoom7.jpg")
            _shot(_page(browser, big, DESKTOP, "#map=10/30.75/120.9"), "list-zoom10.jpg")
            page = _page(browser, big, DESKTOP, "#f.list-1=sector:semiconductors")
            _open(page, "filter")
            page.locator(".cm-filter").nth(1).locator(".cm-facet > summary").first.click()  # the list's sectors
            _shot(page, "filter.jpg")
            page = _page(browser, big, DESKTOP, "#colour=list-1%3Adensity&off=list-1")
            _shot(page, "choropleth.jpg")
            _shot(_page(browser, big, DESKTOP, "#map=9/30.5/120.3&on=density%3Alist-1&off=list-1"), "density.jpg")
            _shot(_page(browser, curated, DESKTOP, "#date=2017-08-01"), "time-2017.jpg")
            _shot(
                _page(browser, by_address, DESKTOP, "#colour=list-1%3Acount%3Adistrict&on=divisions"), "districts.jpg"
            )
            page = _page(browser, curated, DESKTOP)
            _open(page, "facts")
            _shot(page, "facts.jpg")
            tour_shots(browser, curated, corridor)
            browser.close()


if __name__ == "__main__":
    main()
