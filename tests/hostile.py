"""A copy of the data with hostile text in every free-text field."""

from __future__ import annotations

import json

import pandas as pd

# Any execution of these sets window.__pwned; the browser suite checks it stays unset.
PAYLOAD = (
    "<img src=x onerror=\"window.__pwned='img'\"><script>window.__pwned='script'</script>"
    "${window.__pwned='tpl'}`{{ 7*7 }}{% raw %}</script>\u2028&amp;"
)


def poison(data_dir) -> str:
    """Put PAYLOAD into names, descriptions, notes, sources, facts, milestones, the tour and city names; return it."""
    for file, cols in {
        "enterprises.csv": ["name_en", "name_zh", "description", "note"],
        "enclaves.csv": ["name_en", "description", "note"],
        "enclave_homes.csv": ["name_en", "name_zh", "province_en", "note"],
        "places.csv": ["name_en", "description"],
        "stops.csv": ["name_en", "note"],
        "seats.csv": ["name_en"],
        "facts.csv": ["label_en", "label_zh", "unit", "note"],
        "sources.csv": ["title", "publisher"],
        "milestones.csv": ["name_en", "name_zh", "description"],
        "tour.csv": ["title_en", "title_zh", "text_en", "text_zh"],
    }.items():
        df = pd.read_csv(data_dir / file, dtype=str, keep_default_na=False)
        for c in cols:
            df[c] = df[c] + " " + PAYLOAD
        if file == "enterprises.csv":
            df.loc[0, "name_en"] = "Evil " + PAYLOAD
        df.to_csv(data_dir / file, index=False)
    for file in ("cities.geojson", "routes.geojson", "divisions.geojson"):
        if not (data_dir / file).exists():  # an older geodata/ without the divisions
            continue
        doc = json.loads((data_dir / file).read_text(encoding="utf-8"))
        for f in doc["features"]:
            f["properties"]["name_en"] += " " + PAYLOAD
            if file == "routes.geojson":
                f["properties"]["description"] += " " + PAYLOAD
                f["properties"]["description_zh"] = (f["properties"].get("description_zh") or "") + PAYLOAD
        (data_dir / file).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return PAYLOAD
