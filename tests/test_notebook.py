"""The notebook runs top to bottom offline and is stored without outputs; its inline map is the CLI's
map, carries its libraries, and answers a reader's pointer inside the iframe JupyterLab shows it in:
a real JupyterLab server on 127.0.0.1, run from its Run menu, every request to anything else refused."""

from __future__ import annotations

import ast
import html
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import shapely

import corridormap

from .conftest import ROOT
from .jupyter import offline_page, run_all
from .pointer import DESKTOP, READY, free_point, open_map, press, settle, xy

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook():
    assert [p.name for p in NOTEBOOKS] == ["g60_corridor.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def _code(path) -> list[ast.Module]:
    return [ast.parse(c.source) for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_uses_only_the_public_api(path):
    used, imported = set(), set()
    for tree in _code(path):
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "corridormap":
                used.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("corridormap"):
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names if a.name.startswith("corridormap.")}
    assert imported == set() and used and used <= set(corridormap.__all__), (imported, used - set(corridormap.__all__))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_needs_only_what_its_extra_installs(path):
    """Every module the notebook imports is Python's own, or installed by ``corridormap[notebook]``."""
    from importlib.metadata import packages_distributions, requires

    wanted = {"corridormap"}
    for req in requires("corridormap") or []:
        name, _, marker = req.partition(";")
        if not marker or re.search(r"extra == ['\"]notebook['\"]", marker):
            wanted.add(re.split(r"[<>=!~\[ ]", name.strip())[0].lower())
    dists = packages_distributions()
    for tree in _code(path):
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            for top in {n.split(".")[0] for n in names} - set(sys.stdlib_module_names):
                assert {d.lower() for d in dists.get(top, [top])} & wanted, (top, sorted(wanted))


@pytest.mark.cli  # a Jupyter kernel in a subprocess (30-40 s): make test runs it, make check does not
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path, tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = "".join(o["text"] for o in outputs if o.output_type == "stream" and o["name"] == "stderr")
    assert stderr == ""  # no warning reaches the reader (a missing CJK glyph, mapclassify's numba notice)
    stdout = "".join(o["text"] for o in outputs if o.output_type == "stream" and o["name"] == "stdout")
    assert "no errors" in stdout
    classed = re.search(r"(\d+) of (\d+) measures classed as mapclassify classes them", stdout)
    assert classed and classed[1] == classed[2] and int(classed[2]) > 1
    # The inline map is rendered (folium's notebook representation embeds the page), with the list.
    page = [html.unescape(o["data"].get("text/html", "")) for o in outputs if o.output_type == "execute_result"]
    assert any('id="corridor-data"' in h and "示例企业名单" in h for h in page)
    # The address-only list: placed by name (a street named after a county stays in its city), and
    # the rows it cannot place come back with their reasons instead of stopping it.
    text = "\n".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "address → 余杭区" in text and "address → 合肥市" in text and "a total row, not a record" in text
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    # the facts' charts, a city's sectors, the address list by division, the choropleth classes, the milestones
    assert len(figures) == 5


def _srcdoc(m) -> str:
    """The page Jupyter shows: folium's notebook representation is an ``<iframe srcdoc=...>``."""
    frame = re.search(r'<iframe srcdoc="([^"]*)"', m._repr_html_())
    assert frame, "the notebook representation is not an iframe"
    return html.unescape(frame[1])


def _name(row) -> str:
    """A feature's name as the map (in both languages) titles it."""
    return row["name_en"] + (" · " + row["name_zh"] if isinstance(row["name_zh"], str) and row["name_zh"] else "")


@pytest.fixture(scope="module")
def cli_map(tmp_path_factory) -> Path:
    """The map ``corridormap build`` writes by default."""
    out = tmp_path_factory.mktemp("cli") / "map.html"
    exe = str(Path(sys.executable).parent / "corridormap")
    subprocess.run([exe, "build", "--out", str(out)], check=True, capture_output=True, timeout=300)
    return out


@pytest.mark.cli
def test_inline_map_is_the_cli_map(cli_map):
    assert _srcdoc(corridormap.build_map(corridormap.load_corridor())) == cli_map.read_text(encoding="utf-8")


@pytest.mark.cli
@pytest.mark.browser
def test_default_build_opens_offline_and_a_city_opens_on_click(browser, cli_map, corridor):
    """With every http(s) request refused, the file draws its nine cities and a click opens one."""
    page = open_map(browser, cli_map)
    try:
        assert page.locator(".cm-city-label").count() == len(corridor.cities)
        city = corridor.cities.set_index("id").loc["hangzhou"]
        drawn = [*corridor.routes.geometry, *corridormap.enclave_flows(corridor).geometry]
        lines = [shapely.get_coordinates(g) for g in drawn]
        press(page, *xy(page, *free_point(page, city.geometry, lines)))
        text = page.locator(".leaflet-popup-content").last.inner_text()
        assert text.startswith(_name(city)) and "Corridor city" in text, text[:80]
        assert page.errors == []
    finally:
        page.context.close()


# The two-way map in a real JupyterLab -----------------------------------------------------------
#
# The session's server (tests/conftest.py, shared with tests/test_notebook_inline.py); a notebook of its own
# for the widget (loading the corridor and showing corridormap.MapWidget). The page reaches the
# server and nothing else. The selection is drawn with the mouse and read back through the kernel,
# the way a reader's next cell would.

WIDGET_CELLS = [
    "import corridormap\n\ncorridor = corridormap.load_corridor()",
    'w = corridormap.MapWidget(corridor, lang="en", height="560px")\nw',
]


class _Kernel:
    """A client of the kernel JupyterLab started for ``notebook``: runs code there, returns its output."""

    def __init__(self, lab, notebook):
        import json
        import urllib.request

        from jupyter_client import BlockingKernelClient

        with urllib.request.urlopen(f"{lab.origin}/api/sessions?token={lab.token}") as r:
            kernel = next(s["kernel"]["id"] for s in json.load(r) if s["path"].endswith(notebook))
        self.client = BlockingKernelClient()
        self.client.load_connection_file(str(lab.root.parent / "runtime" / f"kernel-{kernel}.json"))
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str) -> str:
        out: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append("\n".join(msg["content"]["traceback"]))

        reply = self.client.execute_interactive(code, output_hook=hook, timeout=60)
        assert reply["content"]["status"] == "ok", "".join(out)
        return "".join(out)


@pytest.fixture(scope="module")
def widget(browser, lab):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in WIDGET_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, lab.root / "widget.ipynb")
    page = offline_page(browser, lab, DESKTOP)
    run_all(page, lab, "widget.ipynb")
    holder = page.locator("iframe.corridormap-widget")
    holder.scroll_into_view_if_needed()
    frame = holder.element_handle().content_frame()
    frame.wait_for_function(READY, timeout=60_000)
    kernel = _Kernel(lab, "widget.ipynb")
    yield page, frame, kernel
    kernel.client.stop_channels()
    assert page.errors == []
    assert not [u for u in page.refused if not u.startswith(("https://server.arcgisonline.com", "https://basemaps"))]
    page.context.close()
    lab.close("widget.ipynb")


def _in_page(page, x, y):
    """A point of the widget's frame in the notebook page's pixels."""
    box = page.locator("iframe.corridormap-widget").bounding_box()
    return box["x"] + x, box["y"] + y


def _drawn_counts(frame) -> int:
    """What the map counts on screen: each single symbol one, each stack or count symbol its number."""
    return frame.evaluate(
        """() => { const pane = document.querySelector('.leaflet-cmPoints-pane');
                   const numbers = [...document.querySelectorAll('.cm-stack-count, .cm-cluster span')];
                   return numbers.reduce((a, e) => a + Number(e.textContent.replace(/\\D/g, '')), 0)
                          + pane.querySelectorAll('.cm-sym').length; }"""
    )


@pytest.mark.browser
def test_widget_box_selection_reaches_python(widget, corridor):
    page, frame, kernel = widget
    hangzhou = corridor.seats.set_index("city_id").loc["hangzhou"]
    songjiang = corridor.seats.set_index("city_id").loc["songjiang"]
    (ax, ay), (bx, by) = xy(frame, hangzhou["lat"], hangzhou["lon"]), xy(frame, songjiang["lat"], songjiang["lon"])
    x0, y0, x1, y1 = min(ax, bx) - 7.3, min(ay, by) - 7.3, max(ax, bx) + 7.3, max(ay, by) + 7.3
    tool = frame.locator(".cm-select-box").bounding_box()  # playwright gives it in the notebook page's pixels
    page.mouse.click(tool["x"] + tool["width"] / 2, tool["y"] + tool["height"] / 2)
    page.mouse.move(*_in_page(page, x0, y0))
    page.mouse.down()
    page.mouse.move(*_in_page(page, x1, y1), steps=8)
    page.mouse.up()
    # The box's corners, unprojected by the page's own projection (the map fills the frame).
    (s, w), (n, e) = frame.evaluate(
        "([a, b]) => [a, b].map(([x, y]) => { const l = window.corridormap.map.containerPointToLatLng([x, y]);"
        " return [l.lat, l.lng]; })",
        [[x0, y1], [x1, y0]],
    )
    layers = {"enterprises": corridor.enterprises, "enclaves": corridor.enclaves, "places": corridor.places}
    expected = sorted((key, row_id) for key, layer in layers.items() for row_id in layer.cx[w:e, s:n]["id"])
    assert 0 < len(expected) < len(corridor.enterprises) + len(corridor.enclaves) + len(corridor.places)
    code = "import json; print(json.dumps(sorted(map(list, zip(w.selected['layer'], w.selected['id'])))))"
    got = []
    deadline = time.monotonic() + 30  # the selection travels page -> JupyterLab -> kernel; CI machines are slow
    while not got and time.monotonic() < deadline:
        got = [tuple(r) for r in json.loads(kernel.run(code))]
        page.wait_for_timeout(100)
    assert got == expected
    assert frame.locator(".cm-select-count").inner_text() == f"{len(expected)} selected"
    # The notebook's next cell after its widget charts what was selected (headless it says none was).
    chart = [c.source for c in nbformat.read(NOTEBOOKS[0], as_version=4).cells if "w.selected" in c.source][-1]
    out = kernel.run(chart)
    assert "Nothing selected" not in out and "Warning" not in out, out


@pytest.mark.browser
def test_widget_filter_set_in_python_changes_the_map(widget, corridor):
    page, frame, kernel = widget
    before = _drawn_counts(frame)
    sector = corridor.enterprises["sector"].value_counts().index[0]
    hidden = int((corridor.enterprises["sector"] != sector).sum())
    kernel.run(f"w.filters = {{'enterprises': {{'sector': [{sector!r}]}}}}")
    frame.wait_for_function(f"window.corridormap.shown('enterprises') === {len(corridor.enterprises) - hidden}")
    settle(frame)
    assert before - hidden <= _drawn_counts(frame) < before  # fewer drawn (some points may lie outside the view)
    tab = frame.locator(".cm-tool", has_text="Filter").bounding_box()  # the output is small: the phone's toolbar
    page.mouse.click(tab["x"] + tab["width"] / 2, tab["y"] + tab["height"] / 2)
    shown = frame.locator(".cm-filter-shown").first.inner_text()
    assert shown == f"{len(corridor.enterprises) - hidden} of {len(corridor.enterprises)} shown"
    assert json.loads(kernel.run("import json; print(json.dumps(w.filters))")) == {"enterprises": {"sector": [sector]}}
    kernel.run("w.filters = {}")
    frame.wait_for_function(f"window.corridormap.shown('enterprises') === {len(corridor.enterprises)}")
    settle(frame)
    assert _drawn_counts(frame) == before
