"""The package's shape: a cheap import, a one-way flow of imports, the public API where it says."""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter

import pytest

import corridormap

from .conftest import ROOT

PACKAGE = ROOT / "corridormap"
HEAVY = ("folium", "branca", "pandera", "pyarrow", "geopandas", "pandas", "shapely", "pyproj", "pyogrio", "numpy")


def test_import_and_help_load_nothing_heavy():
    code = (
        "import sys, contextlib, io, corridormap, corridormap.cli\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    corridormap.cli.main(['--help'])\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    loaded = set(out.stdout.split())
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def _imports(path) -> set[str]:
    """The corridormap modules a module imports, at any depth of its code (functions too)."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = [*base, *(node.module.split(".") if node.module else [])]
            names = [target] if node.module else [[*target, a.name] for a in node.names]
            found |= {".".join(t) for t in names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("corridormap")}
    return found


def test_imports_flow_one_way():
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = {
            m for m in _imports(path) if m != name and (PACKAGE.parent / (m.replace(".", "/") + ".py")).exists()
        }
    graph.pop("corridormap")  # the lazy public API names every module (and none imports it)
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:  # pragma: no cover - the failure message
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")
    assert order.index("corridormap.load") < order.index("corridormap.checks") < order.index("corridormap.corridor")
    assert "corridormap.analysis" not in graph["corridormap.load"] | graph["corridormap.checks"]


def test_no_public_name_hides_a_module():
    modules = {p.stem for p in PACKAGE.glob("*.py")} | {p.name for p in PACKAGE.iterdir() if p.is_dir()}
    assert not set(corridormap.__all__) & modules


@pytest.mark.parametrize("name", [n for n in corridormap.__all__ if n != "__version__"])
def test_every_public_name_resolves_and_is_documented(name):
    obj = getattr(corridormap, name)
    if callable(obj):
        doc = (obj.__doc__ or "").strip()
        assert doc and doc.splitlines()[0].endswith("."), name


def test_all_lists_the_lazy_names():
    assert set(corridormap.__all__) == {*corridormap._API, "__version__"}


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        corridormap.nope  # noqa: B018
    assert corridormap.__version__
