"""The ``Prefer`` request header: comma-joined values and repeated headers, as Dataverse accepts them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_PAGE = 5000

_ITEM = re.compile(r'\s*([\w.\-]+)(?:\s*=\s*("(?:[^"]*)"|[^,;]*))?\s*(?:;[^,]*)?(?:,|$)')


@dataclass
class Prefer:
    """What the client asked for in ``Prefer``."""

    maxpagesize: int | None = None
    track_changes: bool = False
    return_representation: bool = False
    continue_on_error: bool = False
    annotations: str | None = None
    applied: list[str] = field(default_factory=list)

    def wants(self, annotation: str) -> bool:
        """Whether ``odata.include-annotations`` covers ``annotation`` (patterns with ``*`` and ``-`` excludes)."""
        if not self.annotations:
            return False
        verdict = False
        for raw in self.annotations.split(","):
            pattern = raw.strip()
            exclude = pattern.startswith("-")
            pattern = pattern.lstrip("-")
            if pattern == "*" or pattern == annotation or (
                    pattern.endswith(".*") and annotation.startswith(pattern[:-1])):
                if exclude:
                    return False
                verdict = True
        return verdict


def parse_prefer(values: list[str]) -> Prefer:
    """Parse every ``Prefer`` header value.

    Unknown preferences are ignored, as HTTP requires; a non-numeric ``odata.maxpagesize`` is ignored too.
    """
    prefer = Prefer()
    for value in values:
        for m in _ITEM.finditer(value):
            name, arg = m.group(1), (m.group(2) or "").strip()
            if not name:
                continue
            if name == "odata.maxpagesize" and arg.isdigit() and int(arg) > 0:
                prefer.maxpagesize = min(int(arg), MAX_PAGE) if int(arg) <= MAX_PAGE else None
            elif name == "odata.track-changes":
                prefer.track_changes = True
            elif name == "return" and arg == "representation":
                prefer.return_representation = True
            elif name == "odata.continue-on-error":
                prefer.continue_on_error = True
            elif name == "odata.include-annotations":
                prefer.annotations = arg.strip('"')
    return prefer
