"""The guided tour's checks: every step names features, layers, facts and sources that exist.

A step names what it shows as ``kind:id`` (:data:`corridormap.schema.TOUR_KINDS`), ``;``-separated;
``kind:*`` is every row of that layer, and ``list:<name>`` an own list by its name. Each file's
own checks (types, required cells) ran as it was read; these need the other layers.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import Problem
from .load import Corridor
from .schema import TOUR_KINDS

__all__ = ["TOUR_LAYERS", "check_tour", "check_tour_lists", "feature_refs", "tour_file"]

# Overlays a step may turn on, besides each route (by its id) and each own list (list:<name>).
TOUR_LAYERS = ("provinces", "cities", "enterprises", "enclaves", "flows", "places")


def feature_refs(value: object) -> list[tuple[str, str]]:
    """The ``(kind, id)`` pairs of a step's ``feature_ids`` cell, in order (blank parts skipped)."""
    if not isinstance(value, str):  # blank (missing) cells
        return []
    out = []
    for part in str(value).split(";"):
        kind, _, ref = part.strip().partition(":")
        if kind or ref:
            out.append((kind.strip(), ref.strip()))
    return out


def tour_file(corridor: Corridor) -> str:
    """The name of the file the tour was read from (``tour.csv`` or a ``--tour`` file's)."""
    tour = corridor.more.get("tour")
    return str(tour.attrs.get("corridormap_file", "tour.csv")) if tour is not None else "tour.csv"


def _known(c: Corridor) -> dict[str, set[str]]:
    enclaves = c.enclaves
    with_home = enclaves["host_city_ids"].notna() if "host_city_ids" in enclaves.columns else enclaves["id"].isna()
    return {
        "city": set(c.cities["id"].dropna()),
        "seat": set(c.seats["city_id"].dropna()),
        "route": set(c.routes["id"].dropna()),
        "stop": set(c.stops["id"].dropna()),
        "enterprise": set(c.enterprises["id"].dropna()),
        "enclave": set(enclaves["id"].dropna()),
        "flow": set(enclaves.loc[with_home, "id"].dropna()),
        "place": set(c.places["id"].dropna()),
    }


def check_tour(c: Corridor) -> list[Problem]:
    """Check the tour against the other layers: ids, layers, facts and sources (``list:`` aside).

    Returns
    -------
    list of Problem
        One per unknown name, each with the tour file, its line and the field.
    """
    tour = c.more.get("tour")
    if tour is None:
        return []
    fname, known, problems = tour_file(c), _known(c), []
    layers = set(TOUR_LAYERS) | set(c.routes["id"].dropna())
    tables = {"fact_ids": set(c.facts["id"].dropna()), "source_ids": set(c.sources["id"].dropna())}
    for i, row in enumerate(tour.to_dict("records")):
        line = c.row("tour", i)

        def bad(field: str, message: str, hint: str, line: int = line) -> None:
            problems.append(Problem(fname, line, field, message, hint))

        refs = feature_refs(row.get("feature_ids"))
        if not refs:
            bad("feature_ids", "the step shows nothing", "name at least one feature, e.g. city:songjiang")
        for kind, ref in refs:
            if kind not in TOUR_KINDS:
                bad("feature_ids", f"'{kind}:{ref}' is not kind:id", f"kinds: {', '.join(TOUR_KINDS)}")
            elif kind != "list" and ref != "*" and ref not in known[kind]:
                what = "enclave with a home city" if kind == "flow" else kind
                bad("feature_ids", f"'{kind}:{ref}' names no {what}", f"known: {', '.join(sorted(known[kind])[:12])}")
        for name in _parts(row.get("layers")):
            if name not in layers and not name.startswith("list:"):
                bad("layers", f"'{name}' is not an overlay", f"overlays: {', '.join(sorted(layers))}, list:<name>")
        for field, ids in tables.items():
            for ref in _parts(row.get(field)):
                if ref not in ids:
                    target = "facts.csv" if field == "fact_ids" else "sources.csv"
                    bad(field, f"'{ref}' is not an id in {target}", f"add it to {target} first")
    return problems


def _parts(value: object) -> list[str]:
    if not isinstance(value, str):  # blank (missing) cells
        return []
    return [p.strip() for p in str(value).split(";") if p.strip()]


def check_tour_lists(c: Corridor, names: Sequence[str]) -> list[Problem]:
    """Every ``list:<name>`` a step names is one of the own lists given (by its name)."""
    tour = c.more.get("tour")
    if tour is None:
        return []
    fname, problems, given = tour_file(c), [], set(names)
    for i, row in enumerate(tour.to_dict("records")):
        wanted = [("feature_ids", ref) for kind, ref in feature_refs(row.get("feature_ids")) if kind == "list"]
        wanted += [("layers", p[5:]) for p in _parts(row.get("layers")) if p.startswith("list:")]
        for field, name in wanted:
            if name not in given:
                hint = f"lists given: {', '.join(sorted(given))}" if given else "give it with --enterprises NAME=FILE"
                message = f"'list:{name}' is not a list on this map"
                problems.append(Problem(fname, c.row("tour", i), field, message, hint))
    return problems
