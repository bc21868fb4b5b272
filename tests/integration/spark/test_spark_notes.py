"""The Spark path (local mode) gives the same note suggestions as the in-process producer."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from connector import canonical
from connector.pipeline.producers import notes
from connector.pipeline.registry import produce
from connector.spark.job import output_columns, read_results, run_on_spark

pyspark = pytest.importorskip("pyspark", reason="the Spark job needs pyspark (requirements-dev.txt)")
pytest.importorskip("deltalake", reason="the job's results are a Delta table")

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TEXTS = (
    "Call Anna back next Tuesday at 3pm about the renewal.",
    "Send them the pricing deck and the case study.",
    "Rappeler M. Dupont jeudi prochain à 10h pour le devis.",
    "Meeting with the CFO on Friday at 11:00 to review the contract.",
    "Customer says the invoice is wrong and the export keeps failing.",
    "Envoyer la brochure et la grille tarifaire à Claire.",
    "New contact: Marc Petit, head of procurement, marc.petit@example.com.",
    "Lunch went well. Nothing to do.",
    "Follow up in two weeks with a demo of the reporting module.",
    "Le client se plaint de retards de livraison depuis mars.",
)


def _frames() -> dict[str, pd.DataFrame]:
    users = canonical.conform(pd.DataFrame({
        "user_id": ["00000000-0000-0000-0000-0000000000a1", "00000000-0000-0000-0000-0000000000a2"],
        "fullname": ["Sam", "Léa"], "timezone": ["America/New_York", "Europe/Paris"]}), "users")
    rows = []
    for i in range(60):
        when = NOW - timedelta(days=i % 17, hours=i)
        rows.append({"note_id": f"00000000-0000-0000-0000-{i:012d}",
                     "object_id": "00000000-0000-0000-0000-0000000000c1",
                     "object_type": "contact", "subject": f"Note {i}", "text": TEXTS[i % len(TEXTS)],
                     "owner_id": users["user_id"][i % 2], "created_on": when, "modified_on": when})
    return {"users": users, "notes": canonical.conform(pd.DataFrame(rows), "notes")}


def test_notes_on_spark_partition_by_partition_equal_the_in_process_producer(tmp_path, monkeypatch) -> None:
    # Spark's Python workers run this interpreter (with the project's packages), as a job's environment does.
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    frames = _frames()
    expected = produce("notes", frames, now=NOW).frames["osi_notesuggestion"]
    assert len(expected) >= 10, "the notes give too few suggestions to compare"

    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("osi-test").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    try:
        notes_frame = frames["notes"].copy()
        for column in notes_frame.columns:
            if not pd.api.types.is_datetime64_any_dtype(notes_frame[column]):
                notes_frame[column] = notes_frame[column].astype(object).where(notes_frame[column].notna(), None)
        items = spark.createDataFrame(notes_frame)
        written = run_on_spark(spark, notes.PRODUCER, items, {"users": frames["users"]}, now=NOW, partitions=4,
                               output=str(tmp_path / "results"))
    finally:
        spark.stop()
    got = read_results(str(tmp_path / "results"))
    assert written == len(expected)
    columns = output_columns(notes.PRODUCER)
    from connector.spark.job import _as_text

    want = _as_text(expected, columns).sort_values("osi_key").reset_index(drop=True).astype("string")
    pd.testing.assert_frame_equal(got[columns].astype("string"), want, check_dtype=False)
