"""The rendered map, checked by parsing its HTML and embedded data."""

from __future__ import annotations

import base64
import itertools
import json
import re
import zlib

import numpy as np
import pandas as pd
import pytest

import corridormap
from corridormap.errors import CorridorError
from corridormap.render import build_map, render_html, save_map
from corridormap.render.map import LAYER_NAMES

from .hostile import poison


def _data(html: str) -> dict:
    m = re.search(
        r'<script type="[^"]+" id="corridor-data"( data-encoding="deflate-base64")?>(.*?)</script>', html, re.S
    )
    assert m, "no corridor-data block"
    return _read_block(m.group(2).encode("ascii" if m.group(1) else "utf-8"), bool(m.group(1)))


def _read_block(block: bytes, deflated: bool) -> dict:
    """The map's data as the page reads it (corridormapLoad and column in corridor.js): JSON, or
    deflated base64 holding the JSON's length, the JSON and binary sections."""
    if not deflated:
        return json.loads(block)
    raw = zlib.decompress(base64.b64decode(block))
    head, _, rest = raw.partition(b"\n")
    doc, sections = json.loads(rest[: int(head)]), rest[int(head) :]

    def section(ref):
        offset, length = ref["section"]
        return sections[offset : offset + length]

    def resolve(obj):
        if isinstance(obj, dict) and "utf8" in obj:  # a text column: UTF-8 bytes and uint32 byte lengths
            data, lengths = section(obj["utf8"]), np.frombuffer(section(obj["lengths"]), dtype="<u4")
            offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
            values = [data[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets)]
            for i in obj["missing"]:
                values[i] = None
            return values
        if isinstance(obj, dict):
            return {k: resolve(v) for k, v in obj.items()}
        return [resolve(v) for v in obj] if isinstance(obj, list) else obj

    return resolve(doc)


def _texts(column, n: int) -> list:
    """An enterprise text column as the page reads it (see ``column`` in corridor.js)."""
    if isinstance(column, list):
        return column
    return [None if k < 0 else column["values"][k] for k in column["codes"]]  # -1: missing


def _layer_control(html: str) -> tuple[dict, dict]:
    """Parse folium's `base_layers : {"name" : var, ...}` and `overlays` objects."""
    out = []
    for key in ("base_layers", "overlays"):
        block = re.search(key + r"\s*:\s*\{(.*?)\}", html, re.S).group(1)
        pairs = re.findall(r'("(?:[^"\\]|\\.)*")\s*:\s*(\w+)', block)
        out.append({json.loads(name): var for name, var in pairs})
    return out[0], out[1]


@pytest.fixture(scope="module")
def html(corridor):
    return render_html(build_map(corridor))


def test_layer_control_lists_every_overlay_and_basemap(html):
    base, overlays = _layer_control(html)
    assert list(overlays) == [f"{en} · {zh}" for en, zh in LAYER_NAMES.values()]
    assert len(base) == 5 and any("No basemap" in k for k in base)  # Tianditu only with a key
    # Each overlay's JS variable is defined in the page.
    for var in overlays.values():
        assert re.search(rf"var {var} = L\.(featureGroup|markerClusterGroup)\(", html), var


def test_embedded_data_matches_the_layers(html, corridor):
    d = _data(html)
    for name in ("cities", "provinces", "seats", "routes", "stops", "enclaves", "places", "facts"):
        assert len(d[name]) == len(getattr(corridor, name)), name
    # Enterprises travel as columns (one array per field), not one object per point.
    ent = d["enterprises"]
    n = ent["n"]
    assert n == len(corridor.enterprises) == len(_texts(ent["id"], n)) == len(ent["x"]) == len(ent["sector"]["codes"])
    for name in ("id", "name_en", "name_zh", "description", "note", "website"):
        expected = [None if pd.isna(v) else v for v in corridor.enterprises[name]]
        assert _texts(ent[name], n) == expected, name
    assert set(d["sources"]) == set(corridor.sources["id"])
    assert set(d["groups"]) == set(LAYER_NAMES)


def test_popup_fields_present(html, corridor):
    d = _data(html)
    e = d["enterprises"]
    i = _texts(e["id"], e["n"]).index("iflytek")

    def col(name):
        return e[name]["values"][e[name]["codes"][i]]

    assert _texts(e["name_zh"], e["n"])[i] == "科大讯飞股份有限公司" and col("sector") == "artificial intelligence"
    assert col("location_precision") == "city" and col("source_ids").startswith("shanghai-daily-2023-11-05;")
    assert (e["x"][i], e["y"][i]) == (
        round(corridor.enterprises["lon"][11] * 1e6),
        round(corridor.enterprises["lat"][11] * 1e6),
    )
    city = {c["id"]: c for c in d["cities"]}["songjiang"]
    summary = corridormap.city_summary(corridor).loc["songjiang"]
    assert city["summary"]["enterprises"] == summary["enterprises"]
    assert city["summary"]["route_km"]["g60-expressway"] == pytest.approx(summary["g60-expressway_km"])
    enc = {e["id"]: e for e in d["enclaves"]}["xuancheng-sci-tech-center"]
    assert enc["opened"] == "2023-09-22" and len(enc["tenant_ids"].split(";")) == 5
    assert all(r["geometry_precision"] == "schematic" for r in d["routes"])


def test_view_fits_the_corridor(html, corridor):
    m = re.search(r"fitBounds\(\s*\[\[([\d.]+), ([\d.]+)\], \[([\d.]+), ([\d.]+)\]\]", html)
    y0, x0, y1, x1 = map(float, m.groups())
    bx0, by0, bx1, by1 = corridor.cities.total_bounds
    assert (x0, y0, x1, y1) == pytest.approx((bx0, by0, bx1, by1))
    # Fitted at once: an animated fit would draw every layer a second time as the page opens.
    assert re.search(r"fitBounds\(\s*\[\[[^\]]+\], \[[^\]]+\]\],\s*\{\s*\"animate\": false", html)


def test_controls_present(html):
    for needle in ("L.control.fullscreen", "L.Control.MiniMap", "L.Control.Measure", "L.control.scale",
                   "L.control.layers", "corridormapInit("):  # fmt: skip
        assert needle in html, needle


def test_same_data_gives_byte_identical_html(corridor):
    assert render_html(build_map(corridor)) == render_html(build_map(corridor))


def test_saved_file_is_the_rendered_document(corridor, tmp_path):
    # save_map splices the data block in as bytes; the file must be exactly what render_html gives.
    # (Two maps: folium adds to some scripts each time one map is rendered.)
    path = save_map(build_map(corridor), tmp_path / "m.html")
    html = render_html(build_map(corridor))
    assert path.read_bytes() == html.encode("utf-8")
    assert html.count('id="corridor-data"') == 1


def test_rendering_matches_branca_without_compiling_templates(corridor, monkeypatch):
    """Our folium subclasses put their rendered parts in the page as branca would, without compiling each
    part as a new Jinja template; a layer a user adds to the map still renders the usual way."""
    import folium
    import jinja2
    from branca.element import MacroElement

    from corridormap.render import map as rmap

    def with_user_marker(m):
        folium.Marker([30.75, 120.75], tooltip="mine").add_to(m)
        rmap._stable_ids(m.get_root())  # folium's ids are random
        return m

    ours = render_html(with_user_marker(build_map(corridor, basemap="gaode")))
    compiled = []
    new = jinja2.Template.__new__
    monkeypatch.setattr(jinja2.Template, "__new__", lambda cls, source, *a, **k: compiled.append(source) or new(
        cls, source, *a, **k))  # fmt: skip
    render_html(with_user_marker(build_map(corridor, basemap="gaode")))
    user = [c for c in compiled if "mine" in c or "marker_" in c]
    assert user and len(compiled) - len(user) <= 1  # the user's marker, and the Figure's own meta tag
    monkeypatch.undo()
    # Plain branca rendering of the same map: every part compiled, same page.
    monkeypatch.setattr(rmap._Verbatim, "render", MacroElement.render)
    assert render_html(with_user_marker(build_map(corridor, basemap="gaode"))) == ours


def test_no_cdn_library_left_when_self_contained(corridor, tmp_path):
    path = save_map(build_map(corridor), tmp_path / "m.html", self_contained=True)
    text = path.read_text(encoding="utf-8")
    assert not re.findall(r'<script src="http', text) and not re.findall(r'<link rel="stylesheet" href="http', text)
    assert "leaflet@1.9.4/dist/leaflet.js (npm)" in text


def test_hostile_text_stays_data(data_copy):
    payload = poison(data_copy)
    html = render_html(build_map(corridormap.load_corridor(data_copy)))
    # Nowhere in the page does the payload appear as markup...
    assert "<img src=x" not in html and "window.__pwned='script'</script>" not in html
    # ...and it comes back intact from the JSON block (so "{{ 7*7 }}" was not run by Jinja either).
    d = _data(html)
    assert _texts(d["enterprises"]["name_en"], d["enterprises"]["n"])[0] == "Evil " + payload
    assert d["facts"][0]["label_en"].endswith(payload)
    assert d["cities"][0]["name_en"].endswith(payload)


def test_failed_build_leaves_previous_map(tmp_path, corridor, monkeypatch):
    out = tmp_path / "map.html"
    save_map(build_map(corridor), out)
    before = out.read_bytes()

    def boom(*a, **k):
        raise CorridorError("simulated failure")

    monkeypatch.setattr("corridormap.render.write.render_bytes", boom)
    with pytest.raises(CorridorError):
        save_map(build_map(corridor), out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_write_failure_midway_leaves_previous_map(tmp_path, corridor, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("previous")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("corridormap.render.write.os.replace", failing_replace)
    with pytest.raises(CorridorError, match="No space left"):
        save_map(build_map(corridor), out)
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


@pytest.mark.parametrize(
    "values",
    [
        ["a", None, "中文 · é", "", "last"],  # missing values, non-ASCII, an empty string
        ["one line", "two\nlines", None],  # newlines inside values
        ["astral 𝒳 and 中文", "𝒳", ""],  # characters beyond the BMP (two UTF-16 units in a browser)
        [None, None],
        ["only"],
        [],
    ],
)
@pytest.mark.parametrize("deflated", [False, True])
def test_text_columns_come_back_as_written(values, deflated, monkeypatch):
    from corridormap.render import map as render_map

    monkeypatch.setattr(render_map, "COMPRESS_OVER", -1 if deflated else 10**9)
    for dtype in ("str", object):
        p = render_map._Payload({"c": render_map._strings(pd.Series(values, dtype=dtype))})
        assert p.compressed == deflated
        assert _texts(_read_block(p.data, deflated)["c"], len(values)) == values, dtype


def test_large_data_is_embedded_deflated_and_comes_back_whole():
    from corridormap.render.map import COMPRESS_OVER, _Payload, _strings

    small = {"name": "松江 <b>&</b>", "n": [1, 2, 3]}
    p = _Payload(small)
    assert not p.compressed and 'type="application/json"' in p.render()
    assert json.loads(p.data) == small and b"<" not in p.data
    names = pd.Series([f"Firm {i} 企业 </script>" for i in range(COMPRESS_OVER // 10)], dtype="str")
    big = {"n": len(names), "x": np.arange(len(names)), "name": _strings(names), "note": "<!-- -->"}
    p = _Payload(big)
    block = p.render()
    assert p.compressed and 'data-encoding="deflate-base64"' in block and "</script>" not in block[:-9]
    assert len(p.data) < len(zlib.decompress(base64.b64decode(p.data))) / 3  # base64 included
    back = _read_block(p.data, True)
    assert back["x"] == list(range(len(names))) and back["note"] == "<!-- -->"
    assert _texts(back["name"], len(names)) == list(names)
