"""The benchmark's own measure of a move: the page's main thread busy until the move is drawn.

bench/scale.py's ``blocked`` reads a chromium trace: a performance mark before each move, the
renderer's main-thread tasks, and the steps of drawing a frame. A layout forced inside the move's
handlers is not its frame; work after the frame (the page's idle time) counts only in "after".
"""

from __future__ import annotations

import json
import sys

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from scale import blocked

PID, MAIN, COMPOSITOR = 7, 1, 2


def _trace() -> bytes:
    ms = 1000  # trace times are in microseconds

    def step(name, t0, t1, tid=MAIN):
        return {"name": name, "ph": "X", "ts": t0 * ms, "dur": (t1 - t0) * ms, "pid": PID, "tid": tid}

    def task(t0, t1, tid=MAIN):
        return step("ThreadControllerImpl::RunTask", t0, t1, tid)

    def mark(name, t):
        return {"name": name, "ph": "R", "ts": t * ms, "pid": PID, "tid": MAIN}

    events = [
        {"name": "thread_name", "ph": "M", "pid": PID, "tid": MAIN, "args": {"name": "CrRendererMain"}},
        {"name": "thread_name", "ph": "M", "pid": PID, "tid": COMPOSITOR, "args": {"name": "Compositor"}},
        # a pan: handlers 0-10 ms with a layout they force, the frame 16-20, idle work 30-38
        mark("cm-pan", 0), task(0, 10), step("Layout", 4, 6), task(16, 20), step("Paint", 17, 18),
        task(30, 38), task(0, 90, tid=COMPOSITOR),
        # a zoom: handlers 100-130, a tile's error event 131-132, the frame 133-140; nothing after
        mark("cm-zoom", 100), task(100, 130), task(131, 132), task(133, 140), step("PrePaint", 134, 135),
        step("Paint", 135, 137), mark("cm-end", 200),
    ]  # fmt: skip
    return json.dumps({"traceEvents": events}).encode()


def test_a_move_is_blocked_until_its_frame_is_drawn():
    got = blocked(_trace())
    assert got["cm-pan"] == [pytest.approx(14)]  # 10 ms of handlers, 4 of the frame; not the idle work
    assert got["cm-zoom"] == [pytest.approx(38)]  # 30 + 1 + 7: every task before the frame counts


def test_the_work_after_the_frame_counts_in_after_only():
    got = blocked(_trace())
    assert got["cm-pan after"] == [pytest.approx(22)]  # the idle work too; the compositor's thread never
    assert got["cm-zoom after"] == [pytest.approx(38)]
