"""Read the Synapse Link / Fabric link Delta tables instead of paging the Web API (``OSI_SOURCE=lake``).

For a first run, or a large delta, reading the organisation's lake is far cheaper than paging the Web
API: no service-protection budget is spent, and pages come as fast as the storage serves them.
:class:`LakeReader` answers the extract's two reads from the lake (see :mod:`connector.sync.lake_layout`
for the layout): a change-tracked read of a table returns the rows whose ``versionnumber`` is above the
checkpoint (every live row the first time), rows marked ``IsDelete`` as deleted ids, and the highest
``versionnumber`` seen as the next checkpoint (``lake:<n>``); activity parties are read in full, or for
the given activities. Rows come back in the Web API's shape (``_x_value`` lookups, ISO dates, choice
labels as formatted-value annotations), so everything after the read is the same code whatever the source.

:class:`SourceRouter` sends the tables the link exports to the lake and everything else (our own tables,
users' time-zone settings) to the Web API, which also stays the only write path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from connector.dataverse.changes import LinkedChangePage
from connector.errors import ChangeTokenExpiredError, OsiError
from connector.sync.lake_layout import FORMATTED, OPTIONSET_METADATA, lake_column
from connector.sync.streams import STREAMS, StreamSpec
from connector.sync.transform import DATE_COLUMNS

LINK_PREFIX = "lake:"
PAGE_PREFIX = "lake:page:"
PARTIES_TABLE = "activityparty"
_PARTY_FILTER = re.compile(r"_activityid_value eq ([0-9a-fA-F-]{36})")


class LakeError(OsiError):
    """The lake cannot be read (a table missing, a checkpoint that is not the lake's)."""


def is_lake_link(link: str | None) -> bool:
    """Whether a checkpoint was written by a lake read."""
    return bool(link) and str(link).startswith(LINK_PREFIX)


class _Pages:
    """A pager over rows already read: ``by_page`` and ``continuation_token`` as the Web API pager has them."""

    def __init__(self, rows: list[dict[str, Any]], page_size: int) -> None:
        self._rows, self._size = rows, page_size
        self.continuation_token: str | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows)

    def by_page(self, continuation_token: str | None = None) -> Iterator[list[dict[str, Any]]]:
        start = int(continuation_token or 0)
        for at in range(start, max(len(self._rows), 1), self._size):
            after = at + self._size
            self.continuation_token = str(after) if after < len(self._rows) else None
            yield self._rows[at:after]


class LakeReader:
    """The extract's reads answered from the Delta tables under ``root``.

    Args:
        root: the folder holding one Delta table per exported table (a local path; ADLS paths are read by
            ``deltalake`` with its storage options).
        storage_options: ``deltalake`` storage options (account, credential) for a lake in ADLS Gen2.
        page_size: rows per page handed to the extract.
    """

    source = "lake"

    def __init__(self, root: str | Path, *, storage_options: Mapping[str, str] | None = None,
                 page_size: int = 5000) -> None:
        self.root = str(root).rstrip("/")
        self._options = dict(storage_options or {})
        self._page_size = page_size
        self._specs = {s.entity_set: s for s in STREAMS}
        self._labels: dict[tuple[str, str], dict[int, str]] | None = None

    def exports(self, entity_set: str) -> bool:
        """Whether the lake holds this entity set (the link exports the standard tables we read)."""
        return entity_set in self._specs or entity_set == "activityparties"

    def _frame(self, table: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        from deltalake import DeltaTable
        from deltalake.exceptions import TableNotFoundError

        try:
            dt = DeltaTable(f"{self.root}/{table}", storage_options=self._options or None)
        except TableNotFoundError as exc:
            raise LakeError(f"the lake has no table {table!r} under {self.root}") from exc
        present = set(dt.schema().to_arrow().names) if hasattr(dt.schema(), "to_arrow") else None
        wanted = None if columns is None else [c for c in columns if present is None or c in present]
        # Whole numbers with gaps stay whole numbers (a choice value 1, not 1.0), as the Web API gives them.
        return dt.to_pyarrow_table(columns=wanted).to_pandas(integer_object_nulls=True)

    def _choice_labels(self) -> dict[tuple[str, str], dict[int, str]]:
        if self._labels is None:
            try:
                meta = self._frame(OPTIONSET_METADATA)
            except LakeError:
                meta = pd.DataFrame(columns=["EntityName", "OptionSetName", "Option", "LocalizedLabel"])
            labels: dict[tuple[str, str], dict[int, str]] = {}
            for table, column, option, label in zip(meta["EntityName"], meta["OptionSetName"], meta["Option"],
                                                    meta["LocalizedLabel"], strict=True):
                labels.setdefault((str(table), str(column)), {})[int(option)] = str(label)
            self._labels = labels
        return self._labels

    def change_pages(self, entity_set: str, *, select: Sequence[str], link: str | None = None,
                     page_size: int | None = None, annotations: str | None = None) -> Iterator[LinkedChangePage]:
        """The rows changed since ``link`` (every live row when ``None``), page by page, then the next link.

        Raises:
            ChangeTokenExpiredError: ``link`` is not a lake checkpoint (the stream was read from the Web API):
                the extract then reads the table in full.
            LakeError: the table is not in the lake.
        """
        if link is not None and not is_lake_link(link):
            raise ChangeTokenExpiredError("the checkpoint is not the lake's; reading the table in full",
                                          status_code=400)
        offset = 0
        if link and link.startswith(PAGE_PREFIX):
            # A read cut off mid-table goes on from its next link: "lake:page:<row>:<the link it started from>".
            _, _, row, started = link.split(":", 3)
            offset, link = int(row), started or None
        spec = self._specs[entity_set]
        since = int(str(link)[len(LINK_PREFIX):]) if link else None
        frame = self._frame(spec.table, ["Id", "versionnumber", "IsDelete", *(lake_column(c) for c in select)])
        top = int(frame["versionnumber"].max()) if len(frame) else (since or 0)
        if since is not None:
            frame = frame[frame["versionnumber"] > since]
        dead = frame["IsDelete"].fillna(False).astype(bool)
        deleted = [] if since is None else sorted(frame.loc[dead, "Id"].astype(str).str.lower())
        live = frame[~dead].sort_values("Id", kind="stable")
        rows = self._web_rows(live, spec, select, with_labels=annotations is not None)
        size = page_size or self._page_size
        starts = list(range(offset, len(rows), size)) or [offset]
        for n, at in enumerate(starts):
            last = n == len(starts) - 1
            yield LinkedChangePage(rows[at:at + size], deleted if last else [],
                                   None if last else f"{PAGE_PREFIX}{at + size}:{link or ''}",
                                   f"{LINK_PREFIX}{top}" if last else None)

    def _web_rows(self, frame: pd.DataFrame, spec: StreamSpec, select: Sequence[str],
                  with_labels: bool) -> list[dict[str, Any]]:
        out: dict[str, list[Any]] = {}
        for column in dict.fromkeys(select):
            name = lake_column(column)
            values = frame[name] if name in frame.columns else pd.Series([None] * len(frame), index=frame.index)
            if column in DATE_COLUMNS:
                stamps = pd.to_datetime(values, utc=True)
                out[column] = [None if pd.isna(t) else t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in stamps]
            else:
                out[column] = [None if _missing(v) else _plain(v) for v in values]
            if with_labels and column in spec.choice_columns:
                labels = self._choice_labels().get((spec.table, column), {})
                out[column + FORMATTED] = [labels.get(v) if isinstance(v, int) else None for v in out[column]]
        names = list(out)
        return [dict(zip(names, values, strict=True)) for values in zip(*out.values(), strict=True)] if names else []

    def list_records(self, entity_set: str, *, select: Sequence[str], filter: str | None = None,
                     page_size: int | None = None) -> _Pages:
        """Activity parties: all of them, or those of the activities the filter names.

        Raises:
            LakeError: another entity set (the router sends those to the Web API), or no party table.
        """
        if entity_set != "activityparties":
            raise LakeError(f"{entity_set} is read from the Web API, not the lake")
        frame = self._frame(PARTIES_TABLE, ["Id", "IsDelete", *(lake_column(c) for c in select)])
        frame = frame[~frame["IsDelete"].fillna(False).astype(bool)]
        if filter is not None:
            wanted = {m.lower() for m in _PARTY_FILTER.findall(filter)}
            frame = frame[frame[lake_column("_activityid_value")].astype(str).str.lower().isin(wanted)]
        frame = frame.sort_values("Id", kind="stable")
        spec = StreamSpec("activityparties", "activityparties", PARTIES_TABLE, "activitypartyid", (), "parties")
        return _Pages(self._web_rows(frame, spec, select, with_labels=False), page_size or self._page_size)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str | list | dict) and bool(pd.isna(value)))


def _plain(value: Any) -> Any:
    """A numpy scalar as the plain Python value the JSON decoder would have given."""
    return value.item() if hasattr(value, "item") else value


class SourceRouter:
    """The extract's reads: the lake for the tables it exports, the Web API for the rest."""

    source = "lake"

    def __init__(self, lake: LakeReader, web: Any) -> None:
        self.lake, self.web = lake, web

    def accepts(self, entity_set: str, link: str) -> bool:
        """Whether ``link`` is a checkpoint of the source that reads ``entity_set`` now."""
        return self.lake.exports(entity_set) == is_lake_link(link)

    def change_pages(self, entity_set: str, **kwargs: Any) -> Iterator[LinkedChangePage]:
        """From the lake when it exports ``entity_set``, else from the Web API (see :meth:`LakeReader.change_pages`)."""
        reader = self.lake if self.lake.exports(entity_set) else self.web
        return reader.change_pages(entity_set, **kwargs)

    def list_records(self, entity_set: str, **kwargs: Any) -> Any:
        """Activity parties from the lake, anything else from the Web API."""
        reader = self.lake if entity_set == "activityparties" else self.web
        return reader.list_records(entity_set, **kwargs)
