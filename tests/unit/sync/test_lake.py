"""The lake reader: full and incremental reads by row version, deletes, choice labels, resumable pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connector.errors import ChangeTokenExpiredError
from connector.sync.lake import LakeReader, SourceRouter
from connector.sync.lake_layout import option_labels, to_lake_frame, write_tables
from connector.sync.streams import STREAMS
from connector.sync.transform import DATE_COLUMNS

pytest.importorskip("deltalake", reason="the lake source needs the deltalake package")

WHEN = datetime(2026, 11, 1, tzinfo=UTC)
LEADS = next(s for s in STREAMS if s.name == "leads")
FORMATTED = "@OData.Community.Display.V1.FormattedValue"


def _lead(n: int, version: int, source: int | None = 8) -> dict[str, object]:
    return {"@odata.etag": f'W/"{version}"', "leadid": f"00000000-0000-0000-0000-{n:012d}", "subject": f"Lead {n}",
            "leadsourcecode": source, "leadsourcecode" + FORMATTED: "Web" if source == 8 else None,
            "_parentaccountid_value": "00000000-0000-0000-0000-0000000000aa", "statecode": 0,
            "modifiedon": "2026-10-01T08:30:00Z"}


def _write(root, rows, deleted=()) -> None:
    frame = to_lake_frame(rows, "leadid", LEADS.all_columns, DATE_COLUMNS, WHEN)
    frame.loc[frame["Id"].isin(list(deleted)), "IsDelete"] = True
    write_tables(root, {"lead": frame}, option_labels("lead", rows, LEADS.choice_columns))


def test_a_full_read_gives_web_api_rows_in_pages_then_the_row_version_as_checkpoint(tmp_path) -> None:
    _write(tmp_path, [_lead(n, 100 + n, None if n == 2 else 8) for n in range(5)])
    reader = LakeReader(tmp_path, page_size=2)
    pages = list(reader.change_pages("leads", select=LEADS.all_columns, annotations="labels"))
    assert [len(p.rows) for p in pages] == [2, 2, 1]
    assert pages[-1].delta_link == "lake:104" and all(p.delta_link is None for p in pages[:-1])
    first = pages[0].rows[0]
    assert first["leadid"] == "00000000-0000-0000-0000-000000000000"
    assert first["_parentaccountid_value"] == "00000000-0000-0000-0000-0000000000aa"
    assert (first["leadsourcecode"], first["leadsourcecode" + FORMATTED]) == (8, "Web")
    assert first["modifiedon"] == "2026-10-01T08:30:00Z"
    assert pages[1].rows[0]["leadsourcecode"] is None
    # A read cut off after the first page goes on from its next link.
    resumed = list(reader.change_pages("leads", select=LEADS.all_columns, link=pages[0].next_link))
    assert [r["leadid"] for p in resumed for r in p.rows] == [r["leadid"] for p in pages[1:] for r in p.rows]


def test_an_incremental_read_gives_rows_above_the_checkpoint_and_the_deleted_ids(tmp_path) -> None:
    rows = [_lead(n, 100 + n) for n in range(3)]
    _write(tmp_path, rows)
    changed = [dict(rows[0], **{"@odata.etag": 'W/"200"', "subject": "Renamed"}), rows[1],
               dict(rows[2], **{"@odata.etag": 'W/"201"'})]
    _write(tmp_path, changed, deleted=[rows[2]["leadid"]])
    pages = list(LakeReader(tmp_path).change_pages("leads", select=LEADS.all_columns, link="lake:102"))
    assert [r["subject"] for r in pages[0].rows] == ["Renamed"]
    assert pages[-1].deleted_ids == [rows[2]["leadid"]] and pages[-1].delta_link == "lake:201"


def test_a_web_api_checkpoint_means_a_full_read_and_the_router_keeps_our_tables_on_the_web_api(tmp_path) -> None:
    _write(tmp_path, [_lead(1, 100)])
    reader = LakeReader(tmp_path)
    with pytest.raises(ChangeTokenExpiredError):
        list(reader.change_pages("leads", select=LEADS.all_columns, link="https://org/api/data/v9.2/leads?$deltatoken=1"))
    router = SourceRouter(reader, web=None)
    assert router.accepts("leads", "lake:5") and not router.accepts("leads", "https://org/delta")
    assert router.accepts("osi_connections", "https://org/delta") and not router.accepts("osi_connections", "lake:5")
