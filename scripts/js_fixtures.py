"""Write tests/js/fixtures.json: values computed in Python that the page's pure JS functions must match.

    python scripts/js_fixtures.py

The file is committed; tests/test_js_fixtures.py checks it is what this script writes now, so a
change to corridormap.datum, to h3 or to the page's data format shows up in both test suites.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "tests" / "js" / "fixtures.json"


def fixtures() -> dict:
    """The fixture values: GCJ-02 shifts, H3 cells and their parents, a UTF-8 text column."""
    import h3

    from corridormap.datum import wgs84_to_gcj02
    from corridormap.render.payload import text_column
    from corridormap.views import CELL_RES, h3_cells

    lon = np.round(np.linspace(117.05, 121.95, 8), 6)
    lat = np.round(np.linspace(28.55, 32.95, 8), 6)
    glon, glat = wgs84_to_gcj02(lon, lat)
    datum = [[float(a), float(b), float(c), float(d)] for a, b, c, d in zip(lat, lon, glat, glon)]
    keys = h3_cells(lat, lon)
    cells = []
    for la, lo, key in zip(lat.tolist(), lon.tolist(), keys.tolist()):
        cell = h3.latlng_to_cell(la, lo, CELL_RES)
        cells.append({"key": key, "parents": {str(r): h3.cell_to_parent(cell, r) for r in range(3, CELL_RES + 1)}})
    import pandas as pd

    values = ["plain", None, "松江区 Songjiang", "emoji \U0001f600 after", "", "tab\tand\nnewline"]
    column = text_column(pd.Series(values, dtype="string"))
    data, lengths, missing = column.parts()
    text = {
        "values": values,
        "utf8": base64.b64encode(b"".join(bytes(d) for d in data)).decode("ascii"),
        "lengths": lengths.tolist(),
        "missing": missing.tolist(),
    }
    return {"datum": datum, "cells": cells, "text": text, "names": _names()}


def _names() -> dict:
    """Per language, the rules the page gets for a point's name and description, with rows and
    the name and description texts Python itself makes of them (page._name, page._about)."""
    from corridormap.render.labels import text_rule
    from corridormap.render.page import _about, _name

    rows = [
        {"name_en": "Alpha", "name_zh": "阿尔法", "description": "Makes robots.", "description_zh": "制造机器人。"},
        {"name_en": "Only English", "name_zh": None, "description": "English only.", "description_zh": None},
        {"name_en": None, "name_zh": "仅中文", "description": None, "description_zh": "仅有中文。"},
        {"name_en": "Same", "name_zh": "Same", "description": "", "description_zh": None},
        {"name_en": None, "name_zh": None, "name": "Plain name", "description": None, "description_zh": None},
    ]
    return {
        lang: {
            "names": text_rule(lang, "name_en", "name_zh"),
            "about": text_rule(lang, "description", "description_zh"),
            "rows": rows,
            "name": [_name(r, lang) for r in rows],
            "texts": [_about(r, lang) for r in rows],
        }
        for lang in ("en", "zh", "both")
    }


def main() -> None:
    OUT.write_text(json.dumps(fixtures(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
