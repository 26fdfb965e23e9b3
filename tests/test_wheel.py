"""The data ships inside the wheel and loads from an installed copy, not only the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.cli


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (whl,) = out.glob("corridormap-*.whl")
    return whl


def test_wheel_contains_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"corridormap/geodata/{p.name}" for p in (ROOT / "geodata").iterdir() if p.is_file()}
    assert shipped and shipped <= names


def test_data_loads_from_the_unpacked_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = "import corridormap, sys; c = corridormap.load_corridor(); print(c.data_dir); print(len(c.cities))"
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr
    data_dir, n = out.stdout.split()
    assert data_dir == str(site / "corridormap" / "geodata") and n == "9"
