"""Command line: argument parsing and printing only; the work is in the library."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence

from .errors import CorridorError, DataError, Problem

EXIT_OK, EXIT_DATA = 0, 2


def _report(problems: list[Problem]) -> str:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if not problems:
        return "corridor data OK: no problems found"
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_file[p.file].append(p)
    lines = []
    for file, items in sorted(by_file.items()):
        n_err = sum(p.severity == "error" for p in items)
        lines.append(f"{file}: {n_err} error(s), {len(items) - n_err} warning(s)")
        for p in sorted(items, key=lambda p: (p.severity != "error", p.row or 0)):
            loc = ", ".join(
                x
                for x in (
                    (f"{'feature' if file.endswith('json') else 'line'} {p.row}" if p.row is not None else ""),
                    (f"field '{p.field}'" if p.field else ""),
                )
                if x
            )
            tag = "error" if p.severity == "error" else "warning"
            text = f"  {tag}: {loc + ': ' if loc else ''}{p.message}"
            lines.append(text + (f"\n      fix: {p.hint}" if p.hint else ""))
    lines.append(f"{len(errors)} error(s), {len(warnings)} warning(s) in {len(by_file)} file(s)")
    return "\n".join(lines)


def cmd_validate(args) -> int:
    from .validate import validate

    problems = validate(args.data, enterprises=args.enterprises, input_datum=args.input_datum)
    if args.format == "json":
        print(
            json.dumps(
                {"problems": [p.to_dict() for p in problems], "errors": sum(p.severity == "error" for p in problems)},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        print(_report(problems))
    return EXIT_DATA if any(p.severity == "error" for p in problems) else EXIT_OK


def cmd_export(args) -> int:
    from .export import export_corridor
    from .load import load_corridor

    corridor = load_corridor(args.data)
    written = export_corridor(corridor, args.out, fmt=args.format)
    for path in written:
        print(path)
    print(f"exported {len(corridor.layers())} layers to {args.out} ({args.format})")
    return EXIT_OK


def cmd_build(args) -> int:
    from .load import load_corridor
    from .maps import build_map
    from .render import save_map

    corridor = load_corridor(args.data, enterprises=args.enterprises, input_datum=args.input_datum)
    m = build_map(corridor, basemap=args.basemap, lang=args.lang, region=args.region, tianditu_key=args.tianditu_key)
    path = save_map(m, args.out, self_contained=args.self_contained)
    n_features = sum(
        len(corridor.layers()[k])
        for k in ("provinces", "cities", "seats", "routes", "stops", "enterprises", "enclaves", "places")
    )
    size = path.stat().st_size
    mode = "self-contained" if args.self_contained else "libraries from CDN"
    print(f"wrote {path}")
    print(f"8 overlays, {n_features} features, {len(corridor.facts)} facts, {size / 1024:.0f} KiB ({mode})")
    for note in m.corridormap_notes:
        print(f"note: {note}")
    if args.png:
        import tempfile

        from .render.png import save_png

        if args.self_contained:
            print(f"wrote {save_png(path, args.png)}")
        else:  # the picture must not depend on reaching a CDN
            with tempfile.TemporaryDirectory() as tmp:
                offline = save_map(m, f"{tmp}/map.html", self_contained=True)
                print(f"wrote {save_png(offline, args.png)}")
    return EXIT_OK


def cmd_stats(args) -> int:
    import pandas as pd

    from .analysis import city_summary
    from .load import load_corridor

    table = city_summary(load_corridor(args.data))
    table = table.drop(columns=["seat_lon", "seat_lat"])
    if args.format == "csv":
        print(table.to_csv(), end="")
    else:
        with pd.option_context("display.width", 250, "display.max_columns", None):
            print(table.to_string())
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Return the ``corridormap`` argument parser."""
    from . import __version__

    parser = argparse.ArgumentParser(prog="corridormap", description="Maps of the G60 Science and Innovation Corridor.")
    parser.add_argument("--version", action="version", version=f"corridormap {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_arg(p):
        p.add_argument(
            "--data", metavar="DIR", help="data directory (default: $CORRIDORMAP_DATA or the bundled geodata)"
        )

    p = sub.add_parser("validate", help="check the data and list every problem")
    data_arg(p)
    p.add_argument("--enterprises", metavar="FILE.csv", help="check this enterprises file instead")
    p.add_argument("--input-datum", choices=("wgs84", "gcj02"), default="wgs84", help="datum of --enterprises")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_validate)

    from .render import BASEMAPS, LANGS, REGIONS

    p = sub.add_parser("build", help="write the interactive HTML map")
    data_arg(p)
    p.add_argument("--out", metavar="PATH", default="build/g60_corridor_map.html")
    p.add_argument("--enterprises", metavar="FILE.csv", help="map this enterprises file instead")
    p.add_argument("--input-datum", choices=("wgs84", "gcj02"), default="wgs84", help="datum of --enterprises")
    p.add_argument("--self-contained", action="store_true", help="inline every JS/CSS library (no network but tiles)")
    p.add_argument(
        "--basemap", choices=list(BASEMAPS), help="basemap shown first (default: light; gaode with --region cn)"
    )
    p.add_argument("--region", choices=list(REGIONS), default="world", help="'cn': defaults for mainland readers")
    p.add_argument("--tianditu-key", metavar="KEY", help="offer Tianditu basemaps (default: $TIANDITU_KEY)")
    p.add_argument("--lang", choices=list(LANGS), default="both")
    p.add_argument("--png", metavar="PATH", help="also write a static picture of the map (headless chromium)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("stats", help="print the per-city summary table")
    data_arg(p)
    p.add_argument("--format", choices=("text", "csv"), default="text")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("export", help="write every layer as GeoJSON, GeoPackage or GeoParquet")
    data_arg(p)
    p.add_argument("--out", metavar="DIR", required=True)
    p.add_argument("--format", choices=("geojson", "gpkg", "parquet"), default="geojson")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad data or input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
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


if __name__ == "__main__":
    sys.exit(main())
