"""The notebook runs top to bottom offline, is stored without outputs, and shows the CLI's map."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import corridormap
from corridormap.render import render_html

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook():
    assert [p.name for p in NOTEBOOKS] == ["g60_corridor.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path, tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # The inline map is rendered (folium's notebook representation embeds the page).
    html = [o["data"].get("text/html", "") for o in outputs if o.output_type == "execute_result"]
    assert any("corridor-data" in h or "corridormapInit" in h for h in html)
    assert any("no errors" in "".join(o.get("text", "")) for o in outputs if o.output_type == "stream")


def test_inline_map_is_the_cli_map(tmp_path):
    out = tmp_path / "cli.html"
    exe = str(Path(sys.executable).parent / "corridormap")
    subprocess.run([exe, "build", "--out", str(out)], check=True, capture_output=True, timeout=300)
    inline = render_html(corridormap.build_map(corridormap.load_corridor()))
    assert inline == out.read_text(encoding="utf-8")
