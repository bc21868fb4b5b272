"""Progress reporting for long steps: a bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import NoReturn

from tqdm import tqdm

log = logging.getLogger("connector.progress")

Progress = Callable[[str, int], None]


def reporter(*, interactive: bool | None = None) -> Progress:
    """A ``(step, count)`` callback: tqdm bars when stderr is a terminal, INFO log lines when not."""
    if interactive is None:
        interactive = sys.stderr.isatty()
    bars: dict[str, tqdm[NoReturn]] = {}  # bars over no iterable: tqdm[NoReturn] in its stubs

    def report(step: str, count: int) -> None:
        if not interactive:
            log.info("%s: %d", step, count)
            return
        bar = bars.get(step)
        if bar is None:
            bar = bars[step] = tqdm(desc=step, unit="rows", leave=False, file=sys.stderr)
        bar.n = count
        bar.refresh()

    return report
