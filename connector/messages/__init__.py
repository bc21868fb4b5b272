"""The one message catalogue: every text we show or store, in English and French.

``catalog.json`` holds ``{"en": {...}, "fr": {...}}``, nested by area, each text in a small ICU
MessageFormat subset that the seller panel (``messages.js``, generated from the same file) formats the
same way:

- ``{name}``: a value; numbers are written in the language's format (``1,234`` / ``1 234``);
- ``{name, plural, =0 {...} one {...} other {...}}``: the branch for the value's plural category in that
  language (CLDR rules: Babel here, ``Intl.PluralRules`` in the panel), ``#`` inside it is the number;
- ``{name, select, a {...} other {...}}``: the branch named by the value.

So "1 interaction" and "2 interactions", "1 e-mail" and "0 e-mail" in French, come out right in both
languages. :func:`percent` rounds a share the same way in every language (half away from zero).
"""

from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

from connector.errors import ConfigurationError

CATALOG = Path(__file__).with_name("catalog.json")
LANGUAGES = ("en", "fr")
LOCALES = {"en": "en_US", "fr": "fr_FR"}
_LCIDS = {1033: "en", 1036: "fr"}


def language_of(lcid: object) -> str:
    """``fr`` for Dynamics language 1036, ``en`` for anything else (the fallback language)."""
    try:
        return _LCIDS.get(int(lcid), "en")  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "en"


@cache
def catalog() -> dict[str, dict[str, Any]]:
    """The catalogue: language → nested texts.

    Raises:
        ConfigurationError: the catalogue file is missing a language (a packaging defect).
    """
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    missing = [lang for lang in LANGUAGES if lang not in data]
    if missing:
        raise ConfigurationError([f"messages catalogue: no texts for {', '.join(missing)}"])
    return {lang: data[lang] for lang in LANGUAGES}


def plural_category(lang: str, n: float) -> str:
    """The CLDR plural category of ``n`` in ``lang`` (``one``, ``other``, ...)."""
    return str(Locale.parse(LOCALES.get(lang, "en_US")).plural_form(abs(n)))


def number(lang: str, n: float, digits: int = 0) -> str:
    """``n`` written in ``lang``'s format with at most ``digits`` decimals (rounded half away from zero)."""
    rounded = _round(n, digits)
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(format_decimal(rounded, format=pattern, locale=LOCALES.get(lang, "en_US")))


def percent(lang: str, share: float) -> str:
    """A share 0–1 as a whole percentage, rounded the same way in every language (``50%`` / ``50 %``)."""
    value = number(lang, 100 * share)
    return f"{value}\u202f%" if lang == "fr" else f"{value}%"


def _round(n: float, digits: int) -> Decimal:
    if math.isnan(n) or math.isinf(n):
        raise ValueError(f"not a finite number: {n}")
    return Decimal(repr(n)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _lookup(lang: str, key: str) -> str | None:
    node: Any = catalog().get(lang, {})
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) else None


def message(lang: str, key: str, **values: Any) -> str:
    """The text ``key`` (dotted) in ``lang`` (English when that language lacks it), filled with ``values``.

    Raises:
        KeyError: no language has ``key``.
    """
    text = _lookup(lang, key)
    if text is None:
        lang, text = "en", _lookup("en", key)
    if text is None:
        raise KeyError(key)
    return format_icu(text, lang, values)


def format_icu(text: str, lang: str, values: dict[str, Any]) -> str:
    """Fill an ICU-subset message (see the module docstring) for ``lang``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "{":
            out.append(ch)
            i += 1
            continue
        end = _closing(text, i)
        out.append(_argument(text[i + 1:end], lang, values))
        i = end + 1
    return "".join(out)


def _closing(text: str, start: int) -> int:
    depth = 0
    for j in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return j
    raise ValueError(f"unbalanced braces in message {text!r}")


def _argument(body: str, lang: str, values: dict[str, Any]) -> str:
    parts = [p.strip() for p in body.split(",", 2)]
    name = parts[0]
    value = values.get(name)
    if len(parts) == 1:
        if value is None:
            return "{" + name + "}"
        return number(lang, value, 2) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    kind, branches = parts[1], _branches(parts[2])
    if kind == "plural":
        n = float(value or 0)
        exact = f"={int(n)}" if n == int(n) else ""
        chosen = branches.get(exact) or branches.get(plural_category(lang, n)) or branches.get("other", "")
        return format_icu(chosen, lang, values).replace("#", number(lang, n, 2))
    chosen = branches.get(str(value), branches.get("other", ""))
    return format_icu(chosen, lang, values)


def _branches(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        open_at = text.index("{", i)
        end = _closing(text, open_at)
        out[text[i:open_at].strip()] = text[open_at + 1:end]
        i = end + 1
    return out


def date_text(lang: str, when: Any, zone: str) -> str:
    """The calendar date of instant ``when`` in ``zone``, as the panel writes it (``Aug 4, 2026``)."""
    from babel.dates import format_date

    local = _local(when, zone)
    return str(format_date(local.date(), format="medium", locale=LOCALES.get(lang, "en_US")))


def time_text(lang: str, when: Any, zone: str) -> str:
    """The time of day of instant ``when`` in ``zone``, as the panel writes it (``4:00 PM`` / ``16:00``)."""
    from babel.dates import format_time

    return str(format_time(_local(when, zone), format="short", locale=LOCALES.get(lang, "en_US")))


def date_time_text(lang: str, when: Any, zone: str) -> str:
    """Date and time of ``when`` in ``zone`` (``Aug 4, 2026, 4:00 PM`` / ``4 août 2026 à 16:00``)."""
    return message(lang, "format.dateTime", date=date_text(lang, when, zone), time=time_text(lang, when, zone))


def _local(when: Any, zone: str) -> Any:
    import pandas as pd

    stamp = pd.Timestamp(when)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(zone).to_pydatetime()
