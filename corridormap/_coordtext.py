"""Coordinates as people write them: ``120.15°E``, ``N30.28``, full-width digits, one cell with both.

Pure pyarrow and numpy, over whole columns: what :mod:`corridormap.lists` reads before typing.
Degrees-minutes-seconds and west/south are not read (no such point lies in the corridor): such a
cell stays as written, and typing reports it as not a number.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LON_RANGE", "degrees", "is_pairs", "split_pairs"]

LON_RANGE, LAT_RANGE = (73.0, 136.0), (3.0, 54.0)  # China's longitudes and latitudes: they do not overlap
_PLAIN = r"^\s*[-+]?\d+(\.\d+)?\s*$"
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_MARK = r"(?:[EN]|东经|北纬)?"
# One degree value with its marks: "120.15°E", "E120.15", "东经120.15度", "30.28 N".
_DEGREE = rf"^\s*({_MARK})\s*({_NUMBER})\s*(?:°|度)?\s*({_MARK})\s*$"
# Two of them in one cell, separated by a comma, semicolon, slash or space.
_PAIR = (
    rf"^\s*(?P<m1>{_MARK})\s*(?P<a>{_NUMBER})\s*(?:°|度)?\s*(?P<s1>{_MARK})\s*[,;/\s]\s*"
    rf"(?P<m2>{_MARK})\s*(?P<b>{_NUMBER})\s*(?:°|度)?\s*(?P<s2>{_MARK})\s*$"
)


def _normal(cells: Any) -> Any:
    """NFKC (full-width digits and commas to ASCII), upper case (``e`` -> ``E``)."""
    return pc.utf8_upper(pc.utf8_normalize(cells, "NFKC"))


def degrees(cells: Any) -> Any:
    """A column of single coordinates as plain numbers where written with degree signs, E/N or full width.

    Cells already plain, and cells that are not one degree value, are given back as they are.
    """
    cells = pc.cast(cells, pa.string())
    plain = pc.fill_null(pc.match_substring_regex(cells, _PLAIN), True)
    if pc.all(plain).as_py():
        return cells
    normal = _normal(cells)
    marked = pc.fill_null(pc.match_substring_regex(normal, _DEGREE), False)
    if not pc.any(marked).as_py():
        return cells
    number = pc.replace_substring_regex(normal, _DEGREE, r"\2")
    return pc.if_else(pc.and_(marked, pc.invert(plain)), number, cells)


def is_pairs(cells: Any, share: float = 0.8) -> bool:
    """Whether at least ``share`` of the filled cells hold two coordinates (a sample of 200 is enough)."""
    sample = pc.drop_null(pc.cast(cells, pa.string()))[:200]
    sample = sample.filter(pc.invert(pc.equal(pc.utf8_trim_whitespace(sample), "")))
    if len(sample) == 0:
        return False
    hits = pc.sum(pc.cast(pc.match_substring_regex(_normal(sample), _PAIR), pa.int64())).as_py() or 0
    return hits >= share * len(sample)


def split_pairs(cells: Any) -> tuple[Any, Any]:
    """A column of coordinate pairs as two text columns (longitude, latitude), in either order.

    The order is told by the marks (E, N, 东经, 北纬) where written, else by range: a longitude
    in China is above 73, a latitude below 54. A cell that is not a pair is given back as it is
    in both columns, for typing to report.
    """
    cells = pc.cast(cells, pa.string())
    parts = pc.extract_regex(_normal(cells), _PAIR)
    field = {name: pc.struct_field(parts, name) for name in ("m1", "a", "s1", "m2", "b", "s2")}
    found = np.asarray(pc.is_valid(parts), dtype=bool)
    a = np.asarray(pc.cast(pc.fill_null(field["a"], "nan"), pa.float64()), dtype=float)
    b = np.asarray(pc.cast(pc.fill_null(field["b"], "nan"), pa.float64()), dtype=float)

    def marks(*names: str, of: str) -> np.ndarray:
        hit = np.zeros(len(cells), dtype=bool)
        for n in names:
            text = pc.fill_null(field[n], "")
            hit |= np.asarray(pc.or_(pc.equal(text, of[0]), pc.equal(text, of[1:])), dtype=bool)
        return hit

    first_lat = marks("m1", "s1", of="N北纬") | marks("m2", "s2", of="E东经")
    first_lon = marks("m1", "s1", of="E东经") | marks("m2", "s2", of="N北纬")
    by_range = (a <= LAT_RANGE[1]) & (b >= LON_RANGE[0])
    swap = first_lat | (~first_lon & by_range)
    lon_text = pc.if_else(pa.array(swap), field["b"], field["a"])
    lat_text = pc.if_else(pa.array(swap), field["a"], field["b"])
    whole = pa.array(found)
    return pc.if_else(whole, lon_text, cells), pc.if_else(whole, lat_text, cells)
