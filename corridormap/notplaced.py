"""The rows of an own list that were not placed on the map, each with its line and the reason.

A lenient reading (:func:`corridormap.read_points` with ``errors="report"``, ``corridormap build``
without ``--strict``) draws the rows it can use and lists the others here: rows a check rejected
(a missing or unreadable coordinate, a point outside the corridor, a repeated id), lines that do
not split into the header's columns, blank rows, and what sheets made for people hold below the
data (a total row such as ``合计, 18家``, a note such as ``注：坐标为WGS-84经纬度。``), said as such.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._table import Table
from ._typed import MAX_ROWS
from .errors import Problem

__all__ = ["NOT_PLACED_COLUMNS", "csv_bytes", "missed_records", "not_placed", "placed_summary", "row_kind"]

NOT_PLACED_COLUMNS = ("list", "file", "sheet", "line", "field", "reason")
_TOTAL = re.compile(r"^(合计|总计|小计|共计|总数|累计)|^(total|subtotal|sum|grand total)\b", re.IGNORECASE)
_FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?![\d.]))")  # what a spreadsheet would read as a formula
_NOTE = re.compile(
    r"^(注|备注|附注|说明|注释|数据来源|资料来源|来源|制表|填表|note|notes|source|sources)\s*[:：\d]", re.IGNORECASE
)


_TOTAL_ROW, _NOTE_ROW, _EMPTY_ROW = "a total row, not a record", "a note, not a record", "empty row"
_SKIPPED = {
    _TOTAL_ROW: ("total row", "total rows"),
    _NOTE_ROW: ("note", "notes"),
    _EMPTY_ROW: ("empty row", "empty rows"),
}


def row_kind(cells: Sequence[Any]) -> str | None:
    """What a row that is not a record is: ``"a total row"``, ``"a note"``, or ``None`` for neither.

    A total row has a cell that starts with 合计, 总计, 小计, 共计 or "Total"; a note has at most
    two filled cells, the first starting with 注：, 备注：, 说明：, 数据来源：, "Note:" or "Source:".
    """
    filled = [unicodedata.normalize("NFKC", str(c)).strip() for c in cells if c is not None and str(c).strip()]
    if any(_TOTAL.match(c) for c in filled):
        return _TOTAL_ROW
    if filled and len(filled) <= 2 and (_NOTE.match(filled[0]) or filled[0].startswith("*")):
        return _NOTE_ROW
    return None


def _reasons(table: Table, problems: Sequence[Problem]) -> dict[int, list[tuple[str | None, str]]]:
    """Table position -> (field, reason) of every rejected row, from the table's record and row problems."""
    out: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    for rejected in table.rejected:
        for k, position in enumerate(rejected.positions.tolist()):
            out[position].append((rejected.field, rejected.reason(k)))
    rows = [p for p in problems if p.severity == "error" and p.row is not None]
    if rows:  # row problems not recorded in the table (a check that gives only a Problem)
        at = {int(r): i for i, r in enumerate(table.rows(np.arange(len(table))).tolist())}
        for p in rows:
            position = at.get(int(p.row))  # type: ignore[arg-type]
            if position is not None and (p.field, p.message) not in out[position]:
                out[position].append((p.field, p.message))
    return out


def _is_row_problem(p: Problem, table: Table) -> bool:
    """Whether a problem concerns rows a lenient reading lists (and so leaves the problems).

    A count of rows beyond those listed (``"... and 180 more rows: ..."``) is, when the check
    recorded its every row in the table (:meth:`Table.reject`, as ``report_rows`` does); else it
    stays an error, so that no row is left out unlisted.
    """
    if p is table.blank_warning or p is table.malformed_more:
        return True
    if p.severity != "error":
        return False
    if p.row is not None:
        return True
    return p.message.startswith("... and ") and any(
        r.field == p.field and len(r.positions) > MAX_ROWS for r in table.rejected
    )


def not_placed(table: Table, problems: list[Problem], before: int, label: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Take the row problems found since ``problems[before]`` out of ``problems``, as rows not placed.

    Returns
    -------
    keep : ndarray of bool
        The table's rows to draw.
    report : DataFrame
        One row per row not placed, in the source's order: :data:`NOT_PLACED_COLUMNS` (``line``
        as :attr:`corridormap.Problem.row` counts it: the line of a CSV file, the row of a sheet,
        the feature of a spatial file, the index of a DataFrame), then the row's cells as given.
    """
    reasons = _reasons(table, problems[before:])
    problems[before:] = [p for p in problems[before:] if not _is_row_problem(p, table)]
    keep = np.ones(len(table), dtype=bool)
    positions = np.array(sorted(reasons), dtype=np.int64)
    keep[positions] = False
    columns = table.columns
    cells = table.text.take(positions).to_pylist() if len(positions) else []
    records: list[tuple[int | None, list[Any], str | None, str]] = []
    for position, row, line in zip(positions.tolist(), cells, table.rows(positions).tolist()):
        values = [row[c] for c in columns]
        said = list(dict.fromkeys(reasons[position]))
        kind = row_kind(values)
        field = "; ".join(dict.fromkeys(f for f, _ in said if f)) or None
        records.append((line, values, None if kind else field, kind or "; ".join(dict.fromkeys(r for _, r in said))))
    for line, given, reason in table.malformed:
        values = (given + [None] * len(columns))[: len(columns)]
        if len(given) > len(columns) and columns:
            values[-1] = ",".join(str(v) for v in given[len(columns) - 1 :])
        records.append((line, values, None, row_kind(given) or reason))
    records += [(int(line), [None] * len(columns), None, _EMPTY_ROW) for line in table.blank.tolist()]
    records.sort(key=lambda r: (r[0] is None, r[0] or 0))
    head = list(NOT_PLACED_COLUMNS) + columns
    data = [[label, table.file, table.sheet, line, field, reason, *values] for line, values, field, reason in records]
    return keep, pd.DataFrame(data, columns=head)


def placed_summary(lists: Sequence[Any], reports: Sequence[pd.DataFrame], where: str | None) -> str:
    """One line: how many firms were placed, and how (by coordinates, to a district, to a city), and how many not.

    Only rows that look like records count as not placed; total rows, notes and empty rows are
    said apart as skipped (``"12 of 12 firms placed (12 by coordinates); 3 rows skipped (1 total
    row, 2 empty rows)"``).

    The kinds come from each list's ``location_precision`` (``district``, ``city``: placed by name
    to that division's reference point; anything else: by its coordinates) and, where a list has
    one, its ``placed_by`` column (``address → 余杭区``: by address; ``city → 杭州市``: by city
    name; a row without it was placed by its coordinates). ``where`` ends the line when some
    were not placed (``"see build/map-not-placed.csv"``).
    """
    placed = sum(len(g) for g in lists)
    missed = sum(missed_records(r) for r in reports)
    skipped = Counter(x for r in reports for x in r["reason"].tolist() if x in _SKIPPED) if reports else Counter()
    by: dict[tuple[str, str], int] = defaultdict(int)  # (level, how) -> rows
    for g in lists:
        if "location_precision" not in g.columns:
            continue
        level = g["location_precision"].astype(object).where(g["location_precision"].isin(["district", "city"]))
        how = (
            g["placed_by"].astype(object).fillna("").str.split(" → ").str[0]
            if "placed_by" in g.columns
            else pd.Series("", index=g.index)
        )
        named = level.notna().to_numpy(bool, copy=True)
        if "placed_by" in g.columns:  # a mixed list: a row with coordinates keeps the precision it states
            named &= g["placed_by"].notna().to_numpy(bool)
        for key, n in Counter(zip(level[named].tolist(), how[named].tolist())).items():
            by[(str(key[0]), str(key[1]))] += n
    coordinates = placed - sum(by.values())
    parts = [f"{coordinates:,} by coordinates"] if coordinates else []
    for level in ("district", "city"):
        for (lv, hw), n in sorted(by.items()):
            if lv == level:
                named = _HOW.get(hw, f"{hw} name" if hw else "")
                parts.append(f"{n:,} {'by ' + named + ' ' if named else ''}to a {level}")
    text = f"{placed:,} of {placed + missed:,} firms placed" + (f" ({', '.join(parts)})" if parts else "")
    said = [f"{missed:,} not placed"] if missed else []
    if skipped:
        n = sum(skipped.values())
        kinds = ", ".join(f"{k:,} {_SKIPPED[r][k != 1]}" for r, k in sorted(skipped.items(), key=_skip_order))
        said.append(f"{n:,} {'row' if n == 1 else 'rows'} skipped ({kinds})")
    if said:
        text += "; " + ", ".join(said) + (f" — {where}" if where else "")
    return text


def _skip_order(item: tuple[str, int]) -> int:
    return list(_SKIPPED).index(item[0])


def missed_records(report: pd.DataFrame) -> int:
    """How many rows of a report of rows not placed (:func:`not_placed`) look like records.

    Total rows, notes and empty rows are listed in the report with their reason but are not
    records a reader could miss on the map, so they are not counted.
    """
    return int((~report["reason"].isin(list(_SKIPPED))).sum()) if len(report) else 0


_HOW = {"address": "address", "city": "city name", "district": "district name"}  # placed_by's role -> words


def csv_bytes(reports: Sequence[pd.DataFrame]) -> bytes:
    """The rows not placed of one or more lists as one CSV file for Excel: UTF-8 with a BOM.

    A cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``@``, or ``-``
    not before a number) is written with a leading ``'``, which Excel shows as text: the cells
    come from lists made by others, and this file is meant to be opened.
    """
    frame = pd.concat([r for r in reports if len(r)], ignore_index=True)
    text = frame.astype(object).map(lambda v: "'" + v if isinstance(v, str) and _FORMULA.match(v) else v)
    return text.to_csv(index=False).encode("utf-8-sig")
