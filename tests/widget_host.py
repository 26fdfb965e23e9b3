"""The widget's front end (widget.mjs) on a page of its own, with a stand-in for Jupyter's model.

The model keeps the widget's state as Jupyter sends it (the data as bytes), fires ``change:``
events when a test sets a value (as Python setting a traitlet does) and records every state the
page saves (``window.saved``), so the page can be driven by real input without a Jupyter server.
tests/test_notebook.py drives the widget in a real JupyterLab.
"""

from __future__ import annotations

import base64
import json
from importlib.resources import files
from pathlib import Path

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>widget</title></head>
<body style="margin: 0; font: 14px sans-serif">
<div id="out" style="width: {width}; margin: 20px 0 0 20px"></div>
<script type="module">
const esm = {esm};
const state = {state};
const bytes = Uint8Array.fromBase64 ? Uint8Array.fromBase64("{data}")
  : Uint8Array.from(atob("{data}"), (c) => c.charCodeAt(0));
state._data = new DataView(bytes.buffer);
const handlers = {{}};
window.saved = [];
const model = {{
  get: (k) => state[k],
  set: (k, v) => {{
    const same = JSON.stringify(state[k]) === JSON.stringify(v);
    state[k] = v;
    if (!same) (handlers["change:" + k] || []).forEach((f) => f());
  }},
  on: (e, f) => {{ (handlers[e] = handlers[e] || []).push(f); }},
  off: (e, f) => {{ handlers[e] = (handlers[e] || []).filter((g) => g !== f); }},
  save_changes: () => {{
    const kept = Object.entries(state).filter(([k]) => k !== "_page" && k !== "_data");
    window.saved.push(JSON.parse(JSON.stringify(Object.fromEntries(kept))));
  }},
}};
window.model = model;
const mod = await import(URL.createObjectURL(new Blob([esm], {{ type: "text/javascript" }})));
mod.default.render({{ model, el: document.getElementById("out") }});
</script>
</body></html>
"""


def _script_json(value) -> str:
    return json.dumps(value).replace("</", "<\\/")


def host_page(widget, out: Path, width: str = "1100px") -> Path:
    """Write a page showing ``widget`` (a :class:`corridormap.MapWidget`) through its ES module."""
    esm = (files("corridormap.render") / "static" / "widget.mjs").read_text("utf-8")
    names = ("view", "filters", "date", "colouring", "height", "_page", "_title", "_selection")
    state = {k: getattr(widget, k) for k in names}
    data = base64.b64encode(widget._data).decode("ascii")
    out.write_text(
        _PAGE.format(width=width, esm=_script_json(esm), state=_script_json(state), data=data), encoding="utf-8"
    )
    return out
