"""The package's shape: a cheap import, a one-way flow of imports, the public API where it says."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import corridormap

from .conftest import ROOT

PACKAGE = ROOT / "corridormap"
HEAVY = ("folium", "branca", "jinja2", "pyarrow", "geopandas", "pandas", "shapely", "pyproj", "pyogrio", "numpy")


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


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the package copy under ``root`` with the project's contracts."""
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(root)}
    config = str(ROOT / "pyproject.toml")
    return subprocess.run([lint, "--no-cache", config], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def _copy(root: Path) -> Path:
    copy = root / "corridormap"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    return copy


def test_a_copy_of_the_package_keeps_its_layers(tmp_path):
    _copy(tmp_path)
    out = _lint_imports(tmp_path)
    assert out.returncode == 0 and "2 kept, 0 broken" in out.stdout, out.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("views.py", "from .render.labels import OVERLAYS", "corridormap.views -> corridormap.render.labels"),
        ("join.py", "from .lists import read_points", "corridormap.join -> corridormap.lists"),
        ("render/page.py", "from .write import save_map", "corridormap.render.page -> corridormap.render.write"),
    ],
)
def test_an_upward_import_breaks_the_layers_contract(tmp_path, module, line, broken):
    copy = _copy(tmp_path)
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    out = _lint_imports(tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "BROKEN" in out.stdout and broken in out.stdout, out.stdout


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


MAX_FUNCTION_LINES = 50  # the house style's "no function over ~50 lines", docstring excluded


def _code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The lines of a function's body, its docstring left out (a signature over several lines is not counted)."""
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return node.end_lineno - body[0].lineno + 1


def long_functions(root: Path, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """Every function under ``root`` whose code is over ``limit`` lines, as ``path:line name (n lines)``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _code_lines(node) > limit:
                where = path.relative_to(root.parent)
                found.append(f"{where}:{node.lineno} {node.name} ({_code_lines(node)} lines)")
    return found


def test_long_functions_finds_a_long_one(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(50))
    (pkg / "m.py").write_text(f'def short():\n    """Doc."""\n{body}\n\ndef long():\n{body}    return 1\n')
    assert long_functions(pkg) == ["pkg/m.py:55 long (51 lines)"]


def test_no_function_is_over_fifty_lines():
    assert long_functions(PACKAGE) == []
