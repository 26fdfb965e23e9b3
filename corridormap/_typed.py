"""Type a table's columns by its layer's declared columns and check their values.

The second step of every reading (after :mod:`corridormap._read`): text is trimmed and a blank
cell becomes missing, numbers are parsed in one pyarrow cast, and each declared check (required,
unique, pattern, allowed values, range) runs in pyarrow or numpy. Text checks look at each
distinct value once (``pc.unique``), then find the rows of the failing ones (``pc.is_in``): a
million rows that name a dozen sectors cost a dozen checks. Every failing row is reported by
file, row and field, the first :data:`MAX_ROWS` of each check and then a count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._read import Table
from .errors import MAX_ROWS, Problem
from .schema import DATE_PATTERN, ID_PATTERN, IDS_PATTERN, REGION, Column, Layer

__all__ = ["MAX_ROWS", "check_columns", "check_region", "report_rows", "typed_columns"]

URL_PATTERN = r"^https?://\S+$"
_PATTERNS = {
    "id": (ID_PATTERN, "must be a kebab-case id (a-z, 0-9, '-')"),
    "ids": (IDS_PATTERN, "must be kebab-case ids separated by ';'"),
    "date": (DATE_PATTERN, "must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD"),
    "url": (URL_PATTERN, "must be an http(s):// address"),
}
_DECIMAL_COMMA = r"^[+-]?\d+,\d+$"


def report_rows(
    problems: list[Problem],
    table: Table,
    field: str | None,
    mask: Any,
    message: str,
    *,
    values: Any = None,
    hint: str | None = None,
    severity: str = "error",
) -> None:
    """Add a problem for each row where ``mask`` holds (the first :data:`MAX_ROWS`), then one counting the rest.

    ``values`` (indexable by position) puts each row's value, quoted, before the message.
    """
    if severity == "error" and np.any(mask):  # every row, for a lenient reading to list (Table.rejected)
        table.reject(mask, field, message, values)

    def one(i: int) -> Problem:
        shown = f"{values[i]!r} {message}" if values is not None else message
        return table.problem(i, field, shown, hint, severity)

    def rest(n: int) -> Problem:
        return table.problem(None, field, f"... and {n} more rows: {message}", hint, severity)

    report_each(problems, np.flatnonzero(np.asarray(mask, dtype=bool)), one, rest)


def report_each(
    problems: list[Problem], positions: Any, one: Callable[[int], Problem], rest: Callable[[int], Problem]
) -> None:
    """Add ``one(i)`` for each of the first :data:`MAX_ROWS` positions, then ``rest(n)`` counting the other n."""
    positions = np.asarray(positions)
    problems.extend(one(int(i)) for i in positions[:MAX_ROWS])
    if len(positions) > MAX_ROWS:
        problems.append(rest(len(positions) - MAX_ROWS))


def check_columns(table: Table, layer: Layer, problems: list[Problem]) -> bool:
    """Check a curated file's header: every required column present (errors), none unknown (warnings)."""
    cols = set(table.columns)
    missing = [c.name for c in layer.columns if c.required and c.name not in cols]
    need = ", ".join(c.name for c in layer.columns if c.required)
    for name in missing:
        problems.append(table.problem(None, name, "required column is missing", f"the header needs: {need}"))
    known = set(layer.column_names)
    for name in table.columns:
        if name not in known:
            problems.append(
                table.problem(
                    None,
                    name,
                    "unknown column, kept but not used",
                    "check the spelling against geodata/README.md",
                    "warning",
                )
            )
    return not missing


def _trimmed(cells: Any) -> Any:
    """Text trimmed, a blank cell null."""
    text = pc.utf8_trim_whitespace(cells)
    blank = pc.equal(text, "")
    return pc.if_else(blank, pa.scalar(None, pa.string()), text) if pc.any(blank).as_py() else text


def _numbers(cells: Any, *, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Cells as floats (NaN where blank or not a number) and where a cell holds something that is not one."""
    text = _trimmed(cells)
    try:  # one cast in pyarrow
        num = np.array(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    except pa.ArrowInvalid:  # some cell is not a number: pandas finds which
        objects = pd.Series(text.to_numpy(zero_copy_only=False), dtype=object)
        if decimal_comma:  # "121,5" from a spreadsheet set to a comma locale
            comma = objects.str.match(_DECIMAL_COMMA, na=False)
            objects = objects.where(~comma, objects.str.replace(",", ".", regex=False))
        num = pd.to_numeric(objects, errors="coerce").to_numpy(float, copy=True)
    given = np.asarray(pc.is_valid(text), dtype=bool)
    bad = given & ~np.isfinite(num)
    num[bad] = np.nan
    return num, bad


def _failing(text: Any, ok_of_distinct: Any) -> np.ndarray:
    """Rows whose value fails a check that ``ok_of_distinct`` runs on the distinct values."""
    distinct = pc.drop_null(pc.unique(text))
    ok = pc.fill_null(ok_of_distinct(distinct), True)
    bad = distinct.filter(pc.invert(ok))
    if len(bad) == 0:
        return np.zeros(len(text), dtype=bool)
    return np.asarray(pc.fill_null(pc.is_in(text, value_set=bad), False), dtype=bool)


def typed_columns(
    table: Table,
    layer: Layer,
    problems: list[Problem],
    *,
    headers: Mapping[str, str] | None = None,
    decimal_comma: bool = False,
    cells: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Return the table with its declared columns typed and checked, the others kept as text.

    Parameters
    ----------
    table
        The source as text.
    layer
        What its columns must hold.
    problems
        Receives what is wrong, each naming the column as the source spells it.
    headers
        Declared column -> the table's column holding it (default: the same name). Declared
        columns without one are left out.
    decimal_comma
        Also read numbers written with a decimal comma ("121,5").
    cells
        Declared column -> its text, where it is not the header's column as read (e.g. the
        longitude split from a column holding both coordinates); problems still name the header.

    Returns
    -------
    DataFrame
        Declared columns first, in the layer's order, under their declared names (text as
        pandas' string dtype, ``float``, nullable ``Int64``), then every other column as text.
    """
    headers = (
        {c.name: c.name for c in layer.columns if c.name in table.text.column_names} if headers is None else headers
    )
    out: dict[str, Any] = {}
    for col in layer.columns:
        header = headers.get(col.name)
        if header is None:
            continue
        text = cells[col.name] if cells is not None and col.name in cells else table.text.column(header)
        if col.kind in ("float", "int"):
            out[col.name] = _number_column(table, col, header, text, problems, decimal_comma)
        else:
            out[col.name] = _text_column(table, col, header, text, problems)
    used = set(headers.values())
    for name in table.text.column_names:
        if name not in used and name not in out:
            out[name] = _trimmed(table.text.column(name)).to_pandas()
    return pd.DataFrame(out, index=pd.RangeIndex(len(table)))


def _number_column(
    table: Table, col: Column, header: str, cells: Any, problems: list[Problem], decimal_comma: bool
) -> pd.Series:
    num, bad = _numbers(cells, decimal_comma=decimal_comma)
    if col.kind == "int":
        fraction = np.isfinite(num) & (num != np.round(num))
        bad |= fraction
        num[fraction] = np.nan
    if bad.any():
        message = "is not a number" if col.kind == "float" else "is not a whole number"
        shown = _trimmed(cells).to_numpy(zero_copy_only=False)
        report_rows(problems, table, header, bad, message, values=shown)
    missing = np.isnan(num) & ~bad
    if not col.nullable:
        report_rows(problems, table, header, missing, "value is missing", hint="every row needs this field")
    series = pd.Series(num).astype("Int64") if col.kind == "int" else pd.Series(num)
    if col.range is not None:
        lo, hi = col.range
        out_of_range = np.isfinite(num) & ((num < lo) | (num > hi))
        if out_of_range.any():  # values as written: whole numbers without '.0'
            shown = [int(v) if col.kind == "int" and v == v else v for v in num.tolist()]
            report_rows(problems, table, header, out_of_range, f"must be between {lo:g} and {hi:g}", values=shown)
    if col.unique:
        dup = series.duplicated(keep="first").to_numpy() & series.notna().to_numpy()
        report_rows(
            problems,
            table,
            header,
            dup,
            "is used more than once",
            values=series.to_numpy(object),
            hint="ids must be unique",
        )
    return series


def _text_column(table: Table, col: Column, header: str, cells: Any, problems: list[Problem]) -> pd.Series:
    text = _trimmed(cells)
    values = None  # each row's value, for messages: made only when a check fails

    def shown() -> Any:
        nonlocal values
        if values is None:
            values = text.to_numpy(zero_copy_only=False)
        return values

    if not col.nullable and text.null_count:
        missing = np.asarray(pc.is_null(text), dtype=bool)
        report_rows(problems, table, header, missing, "value is missing", hint="every row needs this field")
    if col.unique and len(pc.unique(text)) < len(text) - text.null_count + (1 if text.null_count else 0):
        series = pd.Series(shown(), dtype=object)
        dup = (series.duplicated(keep="first") & series.notna()).to_numpy()
        report_rows(problems, table, header, dup, "is used more than once", values=shown(), hint="ids must be unique")
    if col.kind in _PATTERNS:
        pattern, message = _PATTERNS[col.kind]
        bad = _failing(text, lambda d, p=pattern: pc.match_substring_regex(d, p))
        if bad.any():
            report_rows(problems, table, header, bad, message, values=shown())
    if col.allowed is not None:
        allowed = pa.array(list(col.allowed), pa.string())
        bad = _failing(text, lambda d: pc.is_in(d, value_set=allowed))
        if bad.any():
            report_rows(problems, table, header, bad, f"must be one of: {', '.join(col.allowed)}", values=shown())
    return text.to_pandas()


def check_region(
    table: Table,
    lon: np.ndarray,
    lat: np.ndarray,
    field: str | None,
    problems: list[Problem],
    *,
    region: tuple[float, float, float, float] = REGION,
    region_name: str = "the corridor region",
) -> np.ndarray:
    """Report points outside ``region`` (suggesting a lon/lat swap where it fits); return where inside."""
    x0, y0, x1, y1 = region
    known = ~(np.isnan(lon) | np.isnan(lat))
    inside = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    swapped = (lat >= x0) & (lat <= x1) & (lon >= y0) & (lon <= y1)
    outside = np.flatnonzero(known & ~inside)
    if len(outside):
        where = np.full(len(lon), None, dtype=object)
        where[outside] = [f"({lon[i]}, {lat[i]})" for i in outside]
        table.reject(known & ~inside, field, "is outside the corridor region", where, quoted=False)
    for i in outside[:MAX_ROWS]:
        hint = (
            f"lon and lat look swapped: did you mean lon={lat[i]}, lat={lon[i]}?"
            if swapped[i]
            else f"{region_name} spans lon {x0}–{x1}, lat {y0}–{y1} (WGS-84 degrees)"
        )
        problems.append(table.problem(int(i), field, f"({lon[i]}, {lat[i]}) is outside {region_name}", hint))
    if len(outside) > MAX_ROWS:
        problems.append(table.problem(None, field, f"... and {len(outside) - MAX_ROWS} more points outside the region"))
    return np.asarray(inside, dtype=bool)
