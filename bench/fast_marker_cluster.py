"""The plain-folium baseline: a user's list on a map with FastMarkerCluster, the popup built in its callback.

    python bench/fast_marker_cluster.py LIST.csv OUT.html

What a user would write without corridormap, for the list bench/synth.py's ``as_user_list`` makes
(Chinese headers). bench/scale.py times it in-process and as a whole process, start to file written.
"""

from __future__ import annotations

import sys

BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
CALLBACK = """function (row) {
    var marker = L.marker(new L.LatLng(row[0], row[1]));
    marker.bindPopup(function () { var d = document.createElement('div');
        d.textContent = row[2] + ' ' + row[3] + ' ' + row[4] + ' ' + row[5] + ' ' + row[6]; return d; });
    return marker; }"""


def build(csv: str, out: str, under: tuple = ()) -> None:
    """Write ``out``: every row of ``csv`` as a clustered marker with a popup, over the GeoJSON files
    ``under`` (folium.GeoJson, drawn as folium draws them)."""
    import folium
    import pandas as pd
    from folium.plugins import FastMarkerCluster

    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    m = folium.Map(location=[30.8, 119.8], zoom_start=7, tiles=None)
    folium.TileLayer(BLANK_TILE, attr="&nbsp;", max_zoom=18).add_to(m)  # as corridormap's "no basemap"
    for path in under:
        folium.GeoJson(str(path)).add_to(m)
    rows = zip(df["纬度"].astype(float), df["经度"].astype(float), df["企业名称"], df["英文名称"], df["所属行业"],
               df["城市"], df["简介"])  # fmt: skip
    FastMarkerCluster([list(r) for r in rows], callback=CALLBACK).add_to(m)
    m.save(out)


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2])
