"""Command line: argument parsing and printing only; the work is in the library.

Only light modules are imported at start (``argparse``, :mod:`corridormap.options`,
:mod:`corridormap.errors`), so ``corridormap --help`` answers at once; each command imports
what it needs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from .errors import CorridorError, DataError, Problem, reading_order
from .options import BASEMAP_KEYS, DATUMS, EXPORT_FORMATS, LANGS, REGIONS

EXIT_OK, EXIT_BUG, EXIT_DATA = 0, 1, 2
DEFAULT_OUT = "build/g60_corridor_map.html"


def _line(p: Problem) -> str:
    loc = p.location
    text = f"{p.severity}: {loc + ': ' if loc else ''}{p.message}"
    return text + (f"\n      fix: {p.hint}" if p.hint else "")


def _report(problems: list[Problem]) -> str:
    """Every problem, grouped by file, errors first, then a count."""
    if not problems:
        return "corridor data OK: no problems found"
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_file[p.file].append(p)
    lines = []
    for file, items in sorted(by_file.items()):
        n_err = sum(p.severity == "error" for p in items)
        lines.append(f"{file}: {n_err} error(s), {len(items) - n_err} warning(s)")
        for p in sorted(items, key=reading_order):
            lines.append("  " + _line(p))
    errors = sum(p.severity == "error" for p in problems)
    lines.append(f"{errors} error(s), {len(problems) - errors} warning(s) in {len(by_file)} file(s)")
    return "\n".join(lines)


def _warn(problems: list[Problem]) -> None:
    """Print warnings as readable lines on stderr (errors are raised, and reported by :func:`main`)."""
    for p in problems:
        if p.severity != "error":
            print(f"{p.file}: {_line(p)}", file=sys.stderr)


def _list_items(values: Sequence[str] | None) -> list[tuple[str | None, str]]:
    """``--enterprises [NAME=]FILE`` values as (name, path) pairs; a path that exists is never split."""
    items: list[tuple[str | None, str]] = []
    for value in values or ():
        name, eq, path = value.partition("=")
        if os.path.exists(value) or not eq or not name.strip() or not path:
            items.append((None, value))
        else:
            items.append((name.strip(), path))
    return items


def _load(
    args: argparse.Namespace, stage: Callable[[str], None] = lambda name: None
) -> tuple[Any, list[Any], list[Any]]:
    """The corridor, the lists of ``--enterprises`` and their rows not placed; a DataError listing every error.

    Lenient unless ``--strict``: a row of a list that cannot be used is not placed (and listed),
    not an error; a list that cannot be read at all still is. Warnings are printed.
    """
    from .corridor import load_corridor
    from .lists import read_lists
    from .load import name_of
    from .tour import check_tour_lists

    problems: list[Problem] = []
    stage("reading")
    corridor = load_corridor(args.data, problems=problems, tour=args.tour)
    report: list[Any] | None = None if args.strict else []
    stage("placing")
    lists = read_lists(
        _list_items(args.enterprises),
        corridor.cities,
        problems,
        columns=args.columns,
        datum=args.input_datum,
        sheet=args.sheet,
        report=report,
    )
    problems += check_tour_lists(corridor, [name_of(g, k) for k, g in enumerate(lists)])
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    _warn(problems)
    return corridor, lists, report or []


def _not_placed(lists: list[Any], report: list[Any], out: str | None) -> None:
    """Say on stderr how many rows of the lists were placed, and how; write the rows not placed beside ``out``.

    The CSV (UTF-8 with a BOM, so that Excel opens it as such; see
    :func:`corridormap.notplaced.csv_bytes`) is written atomically; a stale one
    from an earlier build is removed when every row was placed.
    """
    if not lists and not report:
        return
    from pathlib import Path

    from .notplaced import placed_summary

    missed = sum(len(r) for r in report)
    where = None
    if out is not None:
        path = Path(out).with_name(Path(out).stem + "-not-placed.csv")
        if missed:
            from .notplaced import csv_bytes
            from .render.write import atomic_write

            where = f"see {atomic_write(path, csv_bytes(report))}"
        else:
            path.unlink(missing_ok=True)
    else:
        where = "'corridormap validate' names each"  # stats and export write no file of them
    print(placed_summary(lists, report, where), file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from .corridor import validate

    try:
        problems = validate(
            args.data,
            lists=_list_items(args.enterprises),
            columns=args.columns,
            datum=args.input_datum,
            sheet=args.sheet,
            tour=args.tour,
        )
    except CorridorError as exc:  # e.g. an unusable --columns: still a report, in the format asked for
        problems = exc.problems if isinstance(exc, DataError) else [Problem("corridormap", None, None, str(exc))]
    if args.format == "json":
        doc = {"problems": [p.to_dict() for p in problems], "errors": sum(p.severity == "error" for p in problems)}
        print(json.dumps(doc, ensure_ascii=False, indent=1))
    else:
        print(_report(problems))
    return EXIT_DATA if any(p.severity == "error" for p in problems) else EXIT_OK


def _save(m: Any, out: str, cdn: bool) -> tuple[Any, str]:
    """Write the map; the libraries' mode, as the summary line says it (a fallback's warning on stderr)."""
    import warnings

    from . import save_map
    from .render.assets import AssetWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AssetWarning)
        path = save_map(m, out, cdn=cdn)
    fallback = [w for w in caught if issubclass(w.category, AssetWarning)]
    for w in fallback:
        print(f"corridormap: warning: {w.message}", file=sys.stderr)
    if cdn or fallback:
        return path, "libraries linked from jsDelivr: opens only online"
    return path, "self-contained: opens offline, basemap tiles aside"


def _freeze_imports() -> None:
    """Import the build's libraries, then keep the garbage collector from traversing what they made.

    Imports leave ~90,000 objects (folium's templates, pandas', geopandas' and our modules' functions
    and tables) that live as long as the process. Every full collection during a build traversed them
    all: two or three in a build, ~0.15 s CPU of a ~2 s build of 44,200 rows (bench/RESULTS.txt).
    ``gc.freeze`` leaves them out of every later collection; what the build makes is collected as before.
    """
    from . import corridor, lists, views  # noqa: F401  # geopandas, shapely, pyproj, pyarrow
    from .render import map as _map  # noqa: F401  # folium, pandas

    gc.freeze()


def cmd_build(args: argparse.Namespace) -> int:
    from . import build_map, save_map
    from .progress import stages

    if getattr(args, "whole_process", False):
        _freeze_imports()
    with stages(("reading", "placing", "joining", "writing"), quiet=args.quiet) as stage:
        corridor, lists, report = _load(args, stage)
        stage("joining")
        m = build_map(corridor, lists=lists, basemap=args.basemap, lang=args.lang, region=args.region,
                      tianditu_key=args.tianditu_key)  # fmt: skip
        stage("writing")
        path, mode = _save(m, args.out, args.cdn)
    _not_placed(lists, report, args.out)
    layers = corridor.layers()
    n_features = sum(
        len(layers[k]) for k in ("provinces", "cities", "seats", "routes", "stops", "enterprises", "enclaves", "places")
    ) + sum(len(g) for g in lists)
    overlays = len(m.corridormap_overlays)  # type: ignore[attr-defined]  # set by render_map
    print(f"wrote {path}")
    print(
        f"{overlays} overlays, {n_features} features, {len(corridor.facts)} facts, "
        f"{path.stat().st_size / 1024:.0f} KiB ({mode})"
    )
    asked_tianditu = args.tianditu_key or (args.basemap or "").startswith("tianditu")
    for note in getattr(m, "corridormap_notes", []):
        if asked_tianditu or "Tianditu" not in note:  # basemaps left out are news only to who asked for them
            print(f"note: {note}")
    if args.png:
        import tempfile

        from .render.png import save_png

        if not args.cdn:
            print(f"wrote {save_png(path, args.png)}")
        else:  # the picture must not depend on reaching a CDN
            with tempfile.TemporaryDirectory() as tmp:
                offline = save_map(m, f"{tmp}/map.html")
                print(f"wrote {save_png(offline, args.png)}")
    return EXIT_OK


_STATS_TEXT = ["name_en", "name_zh", "enterprises", "enclaves", "places", "stations", "route_km"]


def cmd_stats(args: argparse.Namespace) -> int:
    import pandas as pd

    from .analysis import city_summary

    corridor, lists, report = _load(args)
    _not_placed(lists, report, None)
    if args.by == "district":
        return _division_stats(corridor, lists, args.format)
    table = city_summary(corridor, lists).drop(columns=["seat_lon", "seat_lat"])
    if args.format == "csv":
        print(table.to_csv(), end="")
        return EXIT_OK
    per_list = list(table.columns[len(table.columns) - len(lists) :]) if lists else []
    shown = [c for c in _STATS_TEXT if c in table.columns] + per_list
    with pd.option_context("display.width", 120, "display.max_columns", None, "display.unicode.east_asian_width", True):
        print(table[shown].to_string())
    print("(km per route, seats and every column: --format csv)")
    return EXIT_OK


def _division_stats(corridor: Any, lists: list, fmt: str) -> int:
    """``stats --by district``: one row per county-level division."""
    import pandas as pd

    from .analysis import division_summary

    table = division_summary(corridor, lists)
    if fmt == "csv":
        print(table.to_csv(), end="")
        return EXIT_OK
    with pd.option_context("display.width", 120, "display.max_columns", None, "display.max_rows", None,
                           "display.unicode.east_asian_width", True):  # fmt: skip
        print(table.to_string())
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_corridor

    corridor, lists, report = _load(args)
    _not_placed(lists, report, None)
    written = export_corridor(corridor, args.out, fmt=args.format, lists=lists)
    for path in written:
        print(path)
    print(f"exported {len(corridor.layers())} layers and {len(lists)} list(s) to {args.out} ({args.format})")
    return EXIT_OK


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("corridormap")
    except PackageNotFoundError:
        return "0+unknown"


class _Version(argparse.Action):
    """``--version``, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any):
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"corridormap {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """Return the ``corridormap`` argument parser."""
    parser = argparse.ArgumentParser(prog="corridormap", description="Maps of the G60 Science and Innovation Corridor.")
    parser.add_argument("--version", action=_Version)
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_validate(sub)
    _add_build(sub)
    _add_stats(sub)
    _add_export(sub)
    return parser


def _add_validate(sub: Any) -> None:
    p = sub.add_parser("validate", help="check the data and your lists; list every problem")
    _add_inputs(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="(default: text)")
    p.set_defaults(func=cmd_validate)


def _add_build(sub: Any) -> None:
    p = sub.add_parser("build", help="write the interactive HTML map")
    _add_inputs(p)
    p.add_argument("--out", metavar="PATH", default=DEFAULT_OUT, help=f"(default: {DEFAULT_OUT})")
    links = p.add_mutually_exclusive_group()
    links.add_argument(
        "--cdn",
        action="store_true",
        help="link Leaflet and its plugins from jsDelivr: a smaller file that opens only online "
        "(default: carry them inside, so the file opens offline, basemap tiles aside; they come from "
        "npm at first use, cached in ~/.cache/corridormap/npm or $CORRIDORMAP_ASSETS)",
    )
    links.add_argument("--self-contained", action="store_true", help="the default now; accepted for older scripts")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr (shown only on a terminal anyway)")
    _add_page_options(p)
    p.add_argument("--png", metavar="PATH", help="also write a static picture of the map (headless chromium)")
    _add_strict(p)
    p.set_defaults(func=cmd_build)


def _add_page_options(p: argparse.ArgumentParser) -> None:
    """What the page shows first: basemap, region, language."""
    p.add_argument(
        "--basemap", choices=BASEMAP_KEYS, help="basemap shown first (default: light; gaode with --region cn)"
    )
    p.add_argument(
        "--region", choices=REGIONS, default="world", help="'cn': defaults for mainland readers (default: world)"
    )
    p.add_argument("--tianditu-key", metavar="KEY", help="offer Tianditu basemaps (default: $TIANDITU_KEY)")
    p.add_argument("--lang", choices=LANGS, default="both", help="English, Chinese or both (default: both)")


def _add_stats(sub: Any) -> None:
    p = sub.add_parser("stats", help="print the per-city summary table (your lists' points counted too)")
    _add_inputs(p)
    p.add_argument("--format", choices=("text", "csv"), default="text", help="(default: text)")
    p.add_argument("--by", choices=("city", "district"), default="city", help="per city or per county/district")
    _add_strict(p)
    p.set_defaults(func=cmd_stats)


def _add_export(sub: Any) -> None:
    p = sub.add_parser("export", help="write every layer, and your lists joined, as GeoJSON, GeoPackage or GeoParquet")
    _add_inputs(p)
    p.add_argument("--out", metavar="DIR", required=True)
    p.add_argument("--format", choices=EXPORT_FORMATS, default="geojson", help="(default: geojson)")
    _add_strict(p)
    p.set_defaults(func=cmd_export)


def _add_inputs(p: argparse.ArgumentParser) -> None:
    """The options every command shares: the data, the own lists and how to read them."""
    p.add_argument(
        "--data", metavar="DIR", help="data directory (default: $CORRIDORMAP_DATA, else the bundled geodata)"
    )
    p.add_argument(
        "--enterprises",
        metavar="[NAME=]FILE",
        action="append",
        help="your own list of points, as its own layer named NAME (default: the file's name); "
        "CSV/TSV/TXT, Excel, GeoJSON, GeoPackage, Shapefile or (Geo)Parquet; repeat for "
        "several (default: none)",
    )
    p.add_argument(
        "--columns",
        metavar="ROLE=COLUMN,...",
        help="which column holds what, where the names are not recognised, e.g. "
        "name=单位名称,lon=X坐标,lat=Y坐标 (roles: id, name, name_en, name_zh, lon, lat, lnglat, city, "
        "district, sector, kind, address, website, description, location_precision, source_ids)",
    )
    p.add_argument("--tour", metavar="FILE", help="a guided tour of your own, as geodata/tour.csv (default: that)")
    p.add_argument(
        "--sheet", metavar="SHEET", help="sheet of a workbook, or layer of a GeoPackage (default: the first)"
    )
    p.add_argument(
        "--input-datum",
        choices=DATUMS,
        default="wgs84",
        help="datum of the lists' coordinates: gcj02 for Gaode/AMap, bd09 for Baidu (default: wgs84)",
    )


def _add_strict(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--strict",
        action="store_true",
        help="refuse a list with any row that cannot be placed, as validate does (default: draw the "
        "rest and list those rows)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad data or input, 1 a bug)."""
    args = build_parser().parse_args(argv)
    # The process is this command (the console script, python -m), not a program or test calling main():
    # it may keep the garbage collector from objects that live as long as it does.
    args.whole_process = argv is None
    try:
        return int(args.func(args))
    except DataError as exc:
        if args.debug:
            raise
        print(f"corridormap: {exc.report()}", file=sys.stderr)
        return EXIT_DATA
    except CorridorError as exc:
        if args.debug:
            raise
        print(f"corridormap: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("corridormap: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: said in a line, the traceback with --debug
        if args.debug:
            raise
        print(
            f"corridormap: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_BUG
    finally:
        if args.whole_process:  # the interpreter's last full collection would traverse every object left
            gc.freeze()  # only to free it at exit (~0.05 s CPU after a build); the exit frees them all the same


if __name__ == "__main__":
    sys.exit(main())
