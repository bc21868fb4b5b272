"""The Synapse Link for Dataverse / Fabric link Delta layout: names, and the conversions to and from Web API rows.

The link writes each table as a Delta table in a folder named by the table's logical name (``contact``,
``email``, ``activityparty``), one column per attribute under its logical name: a lookup holds the GUID
under the attribute's own name (``parentcustomerid``, where the Web API says ``_parentcustomerid_value``),
a choice holds its number, a date-time a timestamp. Every row carries ``Id``, ``versionnumber`` (the row
version, rising with each change), ``SinkModifiedOn`` and ``IsDelete`` (a deleted row stays, marked).
Choice labels are in the ``OptionsetMetadata`` table (``EntityName``, ``OptionSetName``, ``Option``,
``LocalizedLabel``).

:func:`write_tables` writes that layout from rows as the Web API returns them (with the row version taken
from each row's ``@odata.etag``): the test fixture and the benchmark build a lake from a demo organisation
with it. :mod:`connector.sync.lake` reads it back into Web API rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

OPTIONSET_METADATA = "OptionsetMetadata"
FORMATTED = "@OData.Community.Display.V1.FormattedValue"
SYSTEM_COLUMNS = ("Id", "versionnumber", "SinkModifiedOn", "IsDelete")
_LOOKUP = re.compile(r"^_(\w+)_value$")
_ETAG = re.compile(r'^W/"(\d+)"$')


def lake_column(web_column: str) -> str:
    """The lake's name of a Web API column (``_parentcustomerid_value`` → ``parentcustomerid``)."""
    match = _LOOKUP.match(web_column)
    return match.group(1) if match else web_column


def version_of(row: Mapping[str, Any]) -> int:
    """The row version a Web API row carries in its ``@odata.etag`` (0 when it has none)."""
    match = _ETAG.match(str(row.get("@odata.etag") or ""))
    return int(match.group(1)) if match else 0


def to_lake_frame(rows: Sequence[Mapping[str, Any]], key: str, columns: Sequence[str],
                  date_columns: Iterable[str], modified: datetime) -> pd.DataFrame:
    """Web API rows as lake rows: lake column names, dates as timestamps, the link's system columns."""
    dates = set(date_columns)
    out: dict[str, Any] = {"Id": [str(r.get(key)).lower() for r in rows],
                           "versionnumber": pd.array([version_of(r) for r in rows], dtype="int64"),
                           "SinkModifiedOn": pd.Series([modified] * len(rows), dtype="datetime64[us, UTC]"),
                           "IsDelete": pd.array([False] * len(rows), dtype="bool")}
    for column in dict.fromkeys(columns):
        values = [r.get(column) for r in rows]
        if column in dates:
            out[lake_column(column)] = pd.to_datetime(pd.Series(values, dtype="object"), utc=True,
                                                      format="ISO8601").astype("datetime64[us, UTC]")
        else:
            out[lake_column(column)] = pd.Series(values, dtype="object")
    return pd.DataFrame(out)


def option_labels(table: str, rows: Sequence[Mapping[str, Any]], choices: Sequence[str]) -> list[dict[str, Any]]:
    """``OptionsetMetadata`` rows for the labels the Web API rows carry (one per table, column and option)."""
    seen: dict[tuple[str, int], str] = {}
    for row in rows:
        for column in choices:
            value, label = row.get(column), row.get(column + FORMATTED)
            if isinstance(value, int) and isinstance(label, str):
                seen.setdefault((column, value), label)
    return [{"EntityName": table, "OptionSetName": c, "Option": v, "LocalizedLabelLanguageCode": 1033,
             "LocalizedLabel": label} for (c, v), label in sorted(seen.items())]


def write_tables(root: Path, tables: Mapping[str, pd.DataFrame], labels: Sequence[Mapping[str, Any]]) -> None:
    """Write each lake frame as the Delta table ``root/<logical name>``, and the labels as ``OptionsetMetadata``.

    Raises:
        ImportError: the ``deltalake`` package is not installed.
    """
    from deltalake import write_deltalake

    root.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        write_deltalake(str(root / name), _arrow_ready(frame), mode="overwrite", schema_mode="overwrite")
    if labels:
        write_deltalake(str(root / OPTIONSET_METADATA), pd.DataFrame(list(labels)), mode="overwrite",
                        schema_mode="overwrite")


def _arrow_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns typed for Arrow: text as strings, whole numbers as integers, other numbers as floats,
    booleans as booleans."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype != "object":
            continue
        present = values.dropna()
        if present.empty:
            out[column] = values.astype("string")
        elif present.map(lambda v: isinstance(v, bool)).all():
            out[column] = values.astype("boolean")
        elif present.map(lambda v: isinstance(v, int) and not isinstance(v, bool)).all():
            out[column] = values.astype("Int64")
        elif present.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool)).all():
            out[column] = values.astype("Float64")
        else:
            out[column] = values.map(lambda v: None if v is None else str(v)).astype("string")
    return out


def export_from_web(client: Any, root: Path, *, modified: datetime, streams: Sequence[Any] = ()) -> dict[str, int]:
    """Write the lake layout of an organisation read through the Web API (the test fixture and the benchmark's
    stand-in for the link's export): every exported table, the activity parties and the choice labels.

    Args:
        client: the Dataverse client.
        root: the lake folder.
        modified: the ``SinkModifiedOn`` of the rows written.
        streams: the streams to export (default: every standard stream the sync reads).

    Returns:
        rows written per table.
    """
    from connector.sync.streams import PARTY_SELECT, STREAMS
    from connector.sync.transform import DATE_COLUMNS

    tables: dict[str, pd.DataFrame] = {}
    labels: list[dict[str, Any]] = []
    for spec in streams or STREAMS:
        annotations = "OData.Community.Display.V1.FormattedValue" if spec.choice_columns else None
        rows = [r for page in client.change_pages(spec.entity_set, select=spec.all_columns, annotations=annotations)
                for r in page.rows]
        tables[spec.table] = to_lake_frame(rows, spec.key, spec.all_columns, DATE_COLUMNS, modified)
        labels.extend(option_labels(spec.table, rows, spec.choice_columns))
    parties = list(client.list_records("activityparties", select=PARTY_SELECT))
    tables["activityparty"] = to_lake_frame(parties, "activitypartyid", PARTY_SELECT, (), modified)
    write_tables(root, tables, labels)
    return {name: len(frame) for name, frame in tables.items()}
