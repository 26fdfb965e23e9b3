"""Which column of a list holds what: its roles, recognised by their names in Chinese or English.

A list's columns are matched to roles (:data:`ROLES`) by name, ignoring case, spaces,
punctuation and a bracketed suffix such as "经度（GCJ-02）" (:func:`header_key`), or as the
``--columns`` option names them (:func:`parse_columns`); one column holding both coordinates is
found by its name or its values. :func:`match_roles` gives role -> column, or one error saying
what it looked for and a ready ``--columns`` line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._coordtext import degrees, is_pairs, split_pairs
from ._table import Table
from .errors import CorridorError, Problem
from .placing import PLACE_ROLES

__all__ = ["ROLES", "ROLE_NAMES", "coordinate_cells", "header_key", "header_score", "match_roles", "parse_columns"]

# role -> the column names it is recognised by (compared by :func:`header_key`), best first
ROLES: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "序号", "企业编号", "uid"),
    "name": (
        "name",
        "名称",
        "企业名称",
        "公司名称",
        "单位名称",
        "机构名称",
        "企业",
        "公司",
        "单位",
        "机构",
        "名字",
        "company",
        "company name",
        "enterprise",
        "firm",
        "organisation",
        "organization",
        "title",
    ),
    "name_en": ("name_en", "english name", "英文名称", "英文名"),
    "name_zh": ("name_zh", "chinese name", "中文名称", "中文名"),
    "lon": ("lon", "lng", "long", "longitude", "x", "经度", "东经"),
    "lat": ("lat", "latitude", "y", "纬度", "北纬"),
    "lnglat": (
        "lnglat",
        "lonlat",
        "lng_lat",
        "lon_lat",
        "latlng",
        "latlon",
        "coordinates",
        "coordinate",
        "coords",
        "经纬度",
        "坐标",
        "经纬度坐标",
        "位置坐标",
        "坐标位置",
        "gps",
        "gps坐标",
    ),
    "city": ("city", "city_id", "城市", "市", "所在城市", "地市", "所在地市", "城市名称", "所属城市"),
    "district": (
        "district",
        "county",
        "区县",
        "所属区县",
        "所在区县",
        "所在地区",
        "行政区",
        "所属行政区",
        "区",
        "县",
        "county/district",
    ),
    "sector": (
        "sector",
        "industry",
        "category",
        "行业",
        "产业",
        "领域",
        "所属行业",
        "所属产业",
        "所属领域",
        "行业类别",
        "产业类别",
        "行业分类",
    ),
    "kind": ("kind", "type", "类型", "机构类型", "企业类型", "单位类型"),
    "address": ("address", "addr", "地址", "详细地址", "企业地址", "注册地址", "通讯地址", "办公地址"),
    "website": ("website", "url", "web", "homepage", "网址", "网站", "官网", "主页"),
    "description": ("description", "desc", "简介", "描述", "说明", "企业简介", "介绍"),
    "location_precision": ("location_precision", "precision", "定位精度"),
    "source_ids": ("source_ids",),
}
ROLE_NAMES = {"name": "name", "lon": "longitude", "lat": "latitude"}  # the roles a list needs, in words
_BRACKETS = re.compile(r"[(\[{【（].*?[)\]}】）]")


def header_key(text: str) -> str:
    """Return a column (or city) name as compared: NFKC, case folded, brackets, spaces and punctuation dropped."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = _BRACKETS.sub("", text) or text
    return re.sub(r"[\W_]+", "", text)


_ROLE_KEYS = {role: [header_key(n) for n in names] for role, names in ROLES.items()}
_HEADER_WORDS = frozenset(k for keys in _ROLE_KEYS.values() for k in keys if len(k) > 1)  # not "x", "y", "市"


def header_score(cells: list[str]) -> int:
    """How many of a row's cells name a known column (:data:`ROLES`): how the header of a sheet is found."""
    return sum(header_key(c) in _HEADER_WORDS for c in cells)


def parse_columns(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """Read ``"name=单位名称,lon=X坐标"`` (the ``--columns`` option) or a mapping into ``{role: column}``.

    An empty column (``id=``) means the role is read from no column.

    Raises
    ------
    CorridorError
        For a role that does not exist or a part without ``=``.
    """
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        pairs = [(str(k), str(v) if v is not None else "") for k, v in spec.items()]
    else:
        pairs = []
        for part in (p for p in spec.split(",") if p.strip()):
            role, eq, header = part.partition("=")
            if not eq:
                raise CorridorError(f"--columns: {part.strip()!r} is not role=column (e.g. name=单位名称,lon=X坐标)")
            pairs.append((role, header))
    out = {}
    for role, header in pairs:
        role = role.strip()
        if role not in ROLES:
            raise CorridorError(f"--columns: unknown role {role!r}; roles: {', '.join(ROLES)}")
        out[role] = header.strip()
    return out


def match_roles(table: Table, given: Mapping[str, str], problems: list[Problem]) -> dict[str, str] | None:
    """Role -> the table's column holding it, recognised by name or given; ``None`` with one error if lacking."""
    roles = _given_roles(table, given, problems)
    if roles is None:
        return None
    _named_roles(table, roles, given)
    if table.geometry is None:
        _combined(table, roles, given)
    lacking = _lacking(table, roles, given)
    if not lacking:
        return roles
    problems.append(_cannot_tell(table, roles, given, lacking))
    return None


def _given_roles(table: Table, given: Mapping[str, str], problems: list[Problem]) -> dict[str, str] | None:
    """The columns ``--columns`` names (compared by :func:`header_key`); ``None``, with an error, if one is absent."""
    columns = table.columns
    roles: dict[str, str] = {}
    for role, header in given.items():
        if not header:
            continue
        if header not in columns:
            folded = [c for c in columns if header_key(c) == header_key(header)]
            if not folded:
                problems.append(
                    table.problem(
                        None,
                        header,
                        f"no column {header!r} (given for {role} in --columns)",
                        f"columns found: {', '.join(columns)}",
                    )
                )
                return None
            header = folded[0]
        roles[role] = header
    return roles


def _named_roles(table: Table, roles: dict[str, str], given: Mapping[str, str]) -> None:
    """Add to ``roles`` the columns recognised by name, each role's best name first, a column used once."""
    used = set(roles.values())
    keys = {c: header_key(c) for c in table.columns}
    for role, wanted in _ROLE_KEYS.items():
        if role in given or (table.geometry is not None and role in ("lon", "lat")):
            continue
        for key in wanted:
            hit = next((c for c in table.columns if c not in used and keys[c] == key), None)
            if hit is not None:
                roles[role] = hit
                used.add(hit)
                break


def _lacking(table: Table, roles: Mapping[str, str], given: Mapping[str, str]) -> list[str]:
    """The roles a list needs (name, lon, lat) that no column holds."""
    lacking = [r for r in ("name", "lon", "lat") if r not in roles and r not in given]
    if table.geometry is not None or any(r in roles for r in PLACE_ROLES):  # placed by geometry or places named
        lacking = [r for r in lacking if r not in ("lon", "lat")]
    if "name" in lacking and ("name_en" in roles or "name_zh" in roles):
        lacking.remove("name")
    return lacking


def _cannot_tell(table: Table, roles: Mapping[str, str], given: Mapping[str, str], lacking: list[str]) -> Problem:
    """The error for roles no column holds: what was looked for, and a ready ``--columns`` line."""
    spatial = table.geometry is not None
    looked = "; ".join(f"{ROLE_NAMES[r]} as {', '.join(ROLES[r])}" for r in lacking)
    guess = _guess(table, [r for r in ("name", "lon", "lat") if r not in given], roles)
    ready = ",".join(
        f"{r}={guess.get(r, roles.get(r, '<column>'))}"
        for r in ("name", "lon", "lat")
        if r not in given and not (spatial and r in ("lon", "lat"))
    )
    return table.problem(
        None,
        None,
        f"cannot tell which column holds the {', '.join(ROLE_NAMES[r] for r in lacking)}: "
        f"columns found: {', '.join(table.columns)}; looked for {looked}",
        f"name them: --columns {ready}",
    )


def _combined(table: Table, roles: dict[str, str], given: Mapping[str, str]) -> None:
    """One column holding both coordinates, named so (经纬度, 坐标, coordinates, ...) or found by its values.

    It then stands for both ``lon`` and ``lat`` in ``roles`` (split before typing, see
    :func:`coordinate_cells`); separate longitude and latitude columns are preferred to it.
    """
    pair = roles.pop("lnglat", None)
    if "lon" in roles or "lat" in roles or "lon" in given or "lat" in given:
        return
    if pair is None:
        used = set(roles.values())
        pair = next((c for c in table.columns if c not in used and is_pairs(table.text.column(c))), None)
    if pair is not None:
        roles["lon"] = roles["lat"] = pair


def coordinate_cells(table: Table, roles: Mapping[str, str]) -> dict[str, Any]:
    """The text of ``lon`` and ``lat`` as typing reads it: split from one column holding both, degree marks read."""
    if "lon" not in roles or "lat" not in roles:
        return {}
    if roles["lon"] == roles["lat"]:
        lon, lat = split_pairs(table.text.column(roles["lon"]))
        return {"lon": lon, "lat": lat}
    return {role: degrees(table.text.column(roles[role])) for role in ("lon", "lat")}


def _guess(table: Table, roles: list[str], known: Mapping[str, str]) -> dict[str, str]:
    """Columns that look like the name, longitude and latitude (by their values), for the ready ``--columns`` line."""
    free = [c for c in table.columns if c not in known.values()]
    sample = table.text.slice(0, 200)
    out: dict[str, str] = {}
    for c in free:
        num = pd.to_numeric(pd.Series(sample.column(c).to_pylist(), dtype=object), errors="coerce")
        if len(num) and num.notna().mean() > 0.8:  # a column of numbers: in China's longitudes, or latitudes?
            med = float(num.median())
            if "lon" in roles and "lon" not in out and 73 <= med <= 136:
                out["lon"] = c
            elif "lat" in roles and "lat" not in out and 3 <= med <= 54:
                out["lat"] = c
        elif "name" in roles and "name" not in out:
            out["name"] = c
    return out
