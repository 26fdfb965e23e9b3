"""The JS unit tests' fixtures (tests/js/fixtures.json) are what Python computes today."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from js_fixtures import OUT, fixtures  # noqa: E402


def test_committed_fixtures_are_current():
    assert json.loads(OUT.read_text(encoding="utf-8")) == json.loads(json.dumps(fixtures(), ensure_ascii=False))
