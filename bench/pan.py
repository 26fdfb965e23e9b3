"""Pan and zoom as a reader meets them: 44,200 bilingual firms at zoom 9 over the corridor's centre.

    python bench/pan.py [--n 44200] [--pans 20] [--loads 3] [--out DIR] [--profile]

Builds the bilingual list of bench/synth.py (``as_bilingual_list``, the shape ``--enterprises``
users have) as corridormap's page (``read_points`` and ``build_map(lists=[...], basemap="none")``,
the CLI's build) and as the plain-folium FastMarkerCluster page (bench/fast_marker_cluster.py,
with a blank tile layer as corridormap's "none": neither page loads tiles), then in
headless chromium at 1400x900, for each page: the view set to zoom 9 over the corridor's centre
(30.75 N, 120.76 E); ``--pans`` pans of 400x250 px there and back, and zooms in and out a level
(no animation, each timed until its handlers and the microtasks they queued have run: the time
the page is blocked in its handlers, as bench/scale.py times them); median and
slowest per page load, the loads taking turns, best median of ``--loads``; and each page's load,
from navigation to its first view drawn (seconds, best of the loads). "Blocked" times the same moves
as a reader meets them, drawing included: the time the page's main thread is busy (chromium's
trace: every task, the handlers, style, layout and paint of the frame that shows the move) from the
move until its frame is drawn; and over the two frames after the move, with what it left for the
page's idle time (symbols past the view's edge); and the medians of every load's moves together
(what an A/B of two builds with ``--html`` compares). The handlers alone leave out what a move costs to draw: folium's
pan is 0.4 ms of handlers and about 7 ms blocked. Three shapes of the same
firms: sited; "district-placed", each row's ``location_precision`` "district" but its own
coordinates kept (so each row is an area of its own); and "at district points", each row moved
to the reference point of the county-level division it lies in (or the nearest), with that
division's adcode, as a list geocoded only to districts has it (thousands of rows at ~60 points).
``--pages`` picks some of them (sited, district, points, folium, and corridor: folium's page over the
corridor's city outlines and routes, what drawing them alone costs a pan). ``--profile`` prints the page's
functions that took the most self time over the pans (chromium's sampling profiler).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fast_marker_cluster
import geopandas as gpd
import pandas as pd
from scale import ARGS, CENTRE, CHROMIUM, MARKED_JS, READY, SETTLED_JS, TRACED, UNDER, blocked, offline_route
from synth import as_bilingual_list, synthetic_enterprises

import corridormap

VIEW = {"width": 1400, "height": 900}

MOVES_JS = (
    """async ([lat, lon, pans]) => {
    const map = window.corridormap ? window.corridormap.map
      : window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))];  // a plain folium page
    """
    + SETTLED_JS
    + """
    map.setView([lat, lon], 9, {animate: false});
    await frame(); await frame();
    const pan = [], zoom = [];
    for (let i = 0; i < pans; i++) {
      const s = i % 2 ? -1 : 1, t0 = performance.now();
      map.panBy([400 * s, 250 * s], {animate: false});
      pan.push((await settled()) - t0);
      await frame();
    }
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      map.setZoom(9 + (i % 2 ? 0 : 1), {animate: false});
      zoom.push((await settled()) - t0);
      await frame();
    }
    return [pan, zoom];
}"""
)


PAGES = {"sited": "corridormap", "district": "corridormap, district-placed",
         "points": "corridormap, at district points", "folium": "folium FastMarkerCluster",
         "corridor": "folium FastMarkerCluster + corridor"}  # fmt: skip


def at_district_points(df: pd.DataFrame, corridor) -> pd.DataFrame:
    """The rows moved to their division's reference point (the one they lie in, else the nearest)."""
    lon, lat = df.columns[2], df.columns[3]  # as_bilingual_list's 经度, 纬度
    rows = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df[lon], df[lat]), crs="EPSG:4326")
    divisions = corridor.divisions[["adcode", "rep_lon", "rep_lat", "geometry"]]
    joined = gpd.sjoin_nearest(rows.to_crs(3857), divisions.to_crs(3857), how="left")
    joined = joined[~joined.index.duplicated()]  # a row on a border: the first division
    return df.assign(**{lon: joined["rep_lon"].to_numpy(), lat: joined["rep_lat"].to_numpy(),
                        "division_adcode": joined["adcode"].to_numpy(), "location_precision": "district"})  # fmt: skip


def build(folder: Path, n: int, which: list[str]) -> dict[str, Path]:
    """The pages asked for (PAGES): corridormap with the list sited, placed to districts (two
    ways), and folium's."""
    corridor = corridormap.load_corridor()
    df = as_bilingual_list(synthetic_enterprises(n, seed=0, corridor=corridor), corridor)
    csv = folder / f"bilingual_{n}.csv"
    df.to_csv(csv, index=False)
    shapes = {"sited": df, "district": df.assign(location_precision="district")}
    if "points" in which:
        shapes["points"] = at_district_points(df, corridor)
    pages = {}
    for key in which:
        pages[PAGES[key]] = page = folder / f"{key}_{n}.html"
        if key in ("folium", "corridor"):  # the corridor's outlines under the clusters: the pan's floor
            fast_marker_cluster.build(str(csv), str(page), under=UNDER if key == "corridor" else ())
            continue
        shapes[key].to_csv(folder / f"{key}_{n}.csv", index=False)
        points = corridormap.read_points(folder / f"{key}_{n}.csv", cities=corridor.cities)
        corridormap.save_map(corridormap.build_map(corridor, lists=[points], basemap="none"), page, self_contained=True)
    return pages


def measure(browser, html: Path, ready: str, pans: int, profile: bool) -> tuple[list, list, list, float, dict]:
    """Pan and zoom times (ms) of one page load, its hottest functions when profiled, the
    seconds from navigation until its first view was drawn, and the moves' blocked times."""
    page = browser.new_page(viewport=VIEW)
    page.route("**/*", offline_route)
    page.goto(html.as_uri(), wait_until="commit", timeout=300_000)
    page.wait_for_function(ready, timeout=300_000, polling="raf")
    loaded = page.evaluate("performance.now()") / 1000
    cdp = page.context.new_cdp_session(page)
    if profile:
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 100})
        cdp.send("Profiler.start")
    pan, zoom = page.evaluate(MOVES_JS, [*CENTRE, pans])
    hot = []
    if profile:
        prof = cdp.send("Profiler.stop")["profile"]
        hot = _hottest(prof)
    cdp.send("HeapProfiler.collectGarbage")  # the zooms' garbage, else collected in the marked pans (scale.py)
    browser.start_tracing(page=page, categories=TRACED)
    page.evaluate(MARKED_JS, [*CENTRE, pans])
    drawn = blocked(browser.stop_tracing())
    page.close()
    return pan, zoom, hot, loaded, drawn


def _hottest(prof: dict, top: int = 15, depth: int = 4) -> list:
    """The functions with the most self time, each with its ``depth`` nearest callers."""
    nodes = {n["id"]: n for n in prof["nodes"]}
    parent = {c: n["id"] for n in prof["nodes"] for c in n.get("children", [])}

    def name(node_id):
        f = nodes[node_id]["callFrame"]
        return f"{f['functionName'] or '(anon)'}:{f['lineNumber'] + 1}"

    self_us: dict[str, float] = {}
    for sample, dt in zip(prof["samples"], [*prof["timeDeltas"][1:], 0]):
        chain, node = [name(sample)], sample
        for _ in range(depth):
            node = parent.get(node)
            if node is None:
                break
            chain.append(name(node))
        key = " < ".join(chain)
        self_us[key] = self_us.get(key, 0) + dt
    return sorted(self_us.items(), key=lambda kv: -kv[1])[:top]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=44_200)
    ap.add_argument("--pans", type=int, default=20)
    ap.add_argument("--loads", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--pages", default=",".join(PAGES), help="some of " + ",".join(PAGES))
    ap.add_argument("--html", type=Path, nargs="+", default=None, metavar="PAGE",
                    help="measure these corridormap pages as they are (e.g. two commits' builds of "
                         "--out's sited page, A/B), loading in turns, instead of building")  # fmt: skip
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    folder = args.out or Path(tempfile.mkdtemp(prefix="cm-pan-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.html:
        pages = {f"{html.parent.name}/{html.name}": html for html in args.html}
    else:
        pages = build(folder, args.n, args.pages.split(","))
        print("built", ", ".join(str(p) for p in pages.values()), flush=True)
    runs: dict[str, list] = {name: [] for name in pages}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(args.loads):
            for name, html in pages.items():
                ready = READY[name if name in READY else "corridormap"]
                runs[name].append(measure(browser, html, ready, args.pans, args.profile))
                got = runs[name][-1]
                print(f"  {name}: loaded in {got[3]:.2f} s; pans (ms) {[round(t, 1) for t in got[0]]}", flush=True)
        browser.close()
    print(f"{args.n:,} bilingual firms, zoom 9 over {CENTRE}, {VIEW['width']}x{VIEW['height']}; "
          f"best of {args.loads} loads: median (slowest) ms; load to first view drawn, s")  # fmt: skip
    for name, got in runs.items():
        pan = min(got, key=lambda r: statistics.median(r[0]))
        zoom = min(got, key=lambda r: statistics.median(r[1]))
        print(f"  {name:30s} pan {statistics.median(pan[0]):6.1f} ({max(pan[0]):6.1f})"
              f"   zoom {statistics.median(zoom[1]):6.1f} ({max(zoom[1]):6.1f})"
              f"   load {min(r[3] for r in got):6.2f}")  # fmt: skip
        for move in ("pan", "zoom"):
            times = min((r[4]["cm-" + move] for r in got), key=statistics.median)
            after = min((r[4][f"cm-{move} after"] for r in got), key=statistics.median)
            print(
                f"  {'':30s} {move} blocked until drawn {statistics.median(times):6.1f} ({max(times):6.1f})"
                f"   over two frames {statistics.median(after):6.1f} ({max(after):6.1f})"
            )
        for move in ("pan", "zoom"):  # every load's moves together: what an A/B of two builds compares
            pooled = [t for r in got for t in r[4]["cm-" + move]]
            q = statistics.quantiles(pooled, n=4)
            print(f"  {'':30s} {move} until drawn, all loads: median {statistics.median(pooled):6.1f}"
                  f" [quartiles {q[0]:.1f}-{q[2]:.1f}]")  # fmt: skip
        if args.profile:
            for key, us in pan[2]:
                print(f"      {us / 1000:8.1f} ms  {key}")


if __name__ == "__main__":
    main()
