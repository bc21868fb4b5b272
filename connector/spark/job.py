"""Run per-item producers on Spark (Synapse / Fabric), partition by partition, and keep their results in Delta.

A producer whose results depend only on each item of one frame (notes analysis: each note on its own,
with its owner's time zone) computes the same rows whatever way the items are split. This job splits
that frame into partitions by a hash of the item id, runs the producer's own pure ``compute`` on each
partition with ``groupBy(...).applyInPandas`` (the small shared frames, such as users, go with every
partition), and writes the complete result table to a Delta table. The function app then reads that
table (:func:`read_results`) in place of computing the producer, and its write-back writes only what
differs from what Dataverse holds.

Results cross Spark as text (one string column per output column); the write-back's diff reads every
value in its column's Dataverse form, so a number or a date written as text compares as itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from connector import canonical
from connector.pipeline.contract import Producer, RunContext

PARTITION = "_osi_partition"


@dataclass(frozen=True)
class PerItem:
    """How a per-item producer is split: the frame holding its items, their id, its output table."""

    frame: str
    key: str
    table: str


PER_ITEM: Mapping[str, PerItem] = {"notes": PerItem("notes", "note_id", "osi_notesuggestion")}
"""The producers this job runs, by name."""


def output_columns(producer: Producer[Any]) -> list[str]:
    """The columns of the producer's output table, as the in-process producer returns them."""
    from connector.pipeline.registry import REGISTRY

    table = PER_ITEM[producer.name].table
    defs = {t.logical_name: t for t in REGISTRY.tables()}[table]
    return sorted({c.logical_name for c in (defs.primary_name, *defs.columns)} | {"osi_key"})


def _as_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame({c: frame[c] if c in frame.columns else pd.Series([None] * len(frame), dtype="object")
                        for c in columns})
    for column in columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            text = values.map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
        out[column] = text.astype("object").where(values.notna(), None)
    return out


def compute_partition(producer: Producer[Any], shared: Mapping[str, pd.DataFrame], items: pd.DataFrame, *,
                      now: datetime, settings: Any, org_timezone: str, columns: list[str]) -> pd.DataFrame:
    """One partition's result rows, as text: the producer computed from scratch on these items only."""
    spec = PER_ITEM[producer.name]
    # Spark hands over naive times in the session's zone (UTC in our sessions); conform makes them canonical.
    part = canonical.conform(items.drop(columns=[PARTITION], errors="ignore").reset_index(drop=True), spec.frame)
    frames = {**shared, spec.frame: part}
    ctx = RunContext(now=now, settings=settings, org_timezone=org_timezone)
    produced = producer.compute(frames, ctx)
    return _as_text(produced.frames.get(spec.table, pd.DataFrame()), columns)


def run_on_spark(spark: Any, producer: Producer[Any], items: Any, shared: Mapping[str, pd.DataFrame], *,
                 now: datetime, partitions: int, output: str, org_timezone: str = "UTC",
                 settings: Any = None) -> int:
    """Compute ``producer`` over the Spark DataFrame ``items`` partition by partition; write its rows to the
    Delta table at ``output`` (replaced). Returns the number of rows written.

    Args:
        spark: the Spark session.
        producer: a producer named in :data:`PER_ITEM`.
        items: its items as a Spark DataFrame with the canonical columns of its frame (the session's time zone
            must be UTC: ``spark.sql.session.timeZone``).
        shared: the small frames every partition needs (``users`` for the owners' time zones).
        now: the run's reference time.
        partitions: how many partitions the items are split into.
        output: where the Delta table goes.
        org_timezone: the organisation's default zone.
        settings: the producer's settings (defaults when ``None``).

    Raises:
        KeyError: the producer is not a per-item one.
    """
    from pyspark.sql import functions as sf
    from pyspark.sql.types import StringType, StructField, StructType

    spec = PER_ITEM[producer.name]
    columns = output_columns(producer)
    schema = StructType([StructField(c, StringType(), True) for c in columns])
    chosen = settings if settings is not None else producer.settings()

    def per_partition(batch: pd.DataFrame) -> pd.DataFrame:
        return compute_partition(producer, shared, batch, now=now, settings=chosen, org_timezone=org_timezone,
                                 columns=columns)

    keyed = items.withColumn(PARTITION, sf.pmod(sf.xxhash64(sf.col(spec.key)), sf.lit(partitions)))
    result = keyed.groupBy(PARTITION).applyInPandas(per_partition, schema=schema)
    if _has_delta(spark):
        result.write.format("delta").mode("overwrite").save(output)
        return int(spark.read.format("delta").load(output).count())
    return _write_local(result, output)


def _has_delta(spark: Any) -> bool:
    """Whether the session writes Delta itself (Synapse and Fabric sessions do; a bare local one does not)."""
    return "DeltaSparkSessionExtension" in str(spark.conf.get("spark.sql.extensions", ""))


def _write_local(result: Any, output: str) -> int:
    """Without Delta in the Spark session (local tests): collect and write the table with ``deltalake``."""
    from deltalake import write_deltalake

    frame = result.toPandas()
    write_deltalake(output, frame.astype("string"), mode="overwrite", schema_mode="overwrite")
    return len(frame)


def read_results(path: str, *, storage_options: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The result table a job wrote, sorted by ``osi_key`` (what the write-back diffs)."""
    from deltalake import DeltaTable

    frame = DeltaTable(path, storage_options=dict(storage_options or {}) or None).to_pandas()
    return frame.sort_values("osi_key", kind="stable").reset_index(drop=True)
