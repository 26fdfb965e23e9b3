"""Progress by stage on stderr for a long command: shown on a terminal only, never in a pipe or a log."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["stages"]


@contextmanager
def stages(
    names: Sequence[str], *, quiet: bool = False, stream: TextIO | None = None
) -> Iterator[Callable[[str], None]]:
    """Yield ``stage(name)``, which says the command has reached stage ``name`` of ``names``.

    Parameters
    ----------
    names
        The stages, in order (e.g. reading, placing, joining, writing).
    quiet
        Show nothing.
    stream
        Where to show it (default: stderr); nothing is shown unless it is a terminal.
    """
    out = sys.stderr if stream is None else stream
    if quiet or not out.isatty():
        yield lambda name: None
        return
    from tqdm import tqdm  # only on a terminal: a pipe or --quiet never imports it

    bar: Any = tqdm(total=len(names), file=out, leave=False, bar_format="{desc:<9} {bar:20} {n}/{total} {elapsed}")
    seen: list[str] = []

    def stage(name: str) -> None:
        bar.n = len(seen)  # the stages done
        seen.append(name)
        bar.set_description_str(name)  # and shows the bar

    try:
        yield stage
    finally:
        bar.close()
