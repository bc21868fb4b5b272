"""The one producer contract: what an insight declares, what it is given, and what it returns.

An insight is added by writing one :class:`Producer` (usually in its own module under
:mod:`connector.pipeline.producers`) and listing it in the registry. Everything else is derived from
that declaration: the ``features`` switch, the ``osi_setting`` row with its defaults and description,
the write targets and their rules, the tables and columns to provision, the run's timings and errors.

A producer is pure: frames and a :class:`RunContext` in, a :class:`Produced` out, no I/O. It returns
the *complete* desired content of what it writes (every row of its tables, every record's columns);
an incremental producer gets there by recomputing only what :class:`Changes` and its saved ``state``
say may differ, and reusing the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import pandas as pd

from connector.errors import RecordError
from connector.feature_settings import FeatureSettings
from connector.schema import ColumnDef, TableDef

if TYPE_CHECKING:
    from connector.insights.scoring.trained import TrainedModel

Frames = Mapping[str, pd.DataFrame]
S = TypeVar("S", bound=FeatureSettings)

SameAsShown = Callable[[Any, Any, datetime], bool]
"""``(held, computed, now) -> True`` when a seller would see no difference between the value Dataverse
holds and the newly computed one (both in their Dataverse form), so no write is needed."""


class ModelStoreLike(Protocol):
    """Where trained models are kept between runs (see :class:`connector.pipeline.models.ModelStore`)."""

    def save(self, model: TrainedModel, name: str | None = None) -> tuple[str, str]:
        """Store a model; return its artifact name and checksum."""

    def load(self, name: str, sha256: str) -> TrainedModel | None:
        """A stored model, or ``None`` when absent."""


@dataclass(frozen=True)
class Output:
    """One table a producer writes, and the rules of writing it.

    Attributes:
        table: logical name: a customer record type (our columns on its records, updated by id) or one
            of our tables (rows upserted by the ``osi_key`` alternate key).
        create_only: columns written when a row is created, never overwritten (a seller's choice).
        keep_values: ``(column, values)``: rows no longer computed are kept when the column holds one of
            these values (an accepted suggestion stays).
        delete_missing: rows of ours that the producer no longer computes are deleted.
        stamp_columns: "computed on" columns, written only together with a real change.
        same_as_shown: per column, when a held value and a computed one look the same to a seller.
    """

    table: str
    create_only: tuple[str, ...] = ()
    keep_values: tuple[str, tuple[Any, ...]] | None = None
    delete_missing: bool = True
    stamp_columns: tuple[str, ...] = ()
    same_as_shown: Mapping[str, SameAsShown] = field(default_factory=dict)


@dataclass(frozen=True)
class Changes:
    """What the extract changed in the canonical frames since the last committed run.

    Attributes:
        changed: frame → ids of rows read from a delta (created or updated).
        deleted: frame → ids of rows deleted.
        full: frames read in full this run (any row may have changed).
    """

    changed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    deleted: Mapping[str, frozenset[str]] = field(default_factory=dict)
    full: frozenset[str] = frozenset()

    def ids(self, frame: str) -> frozenset[str]:
        """Ids of ``frame`` created, updated or deleted (meaningless when the frame was read in full)."""
        return self.changed.get(frame, frozenset()) | self.deleted.get(frame, frozenset())

    def touched(self, *frames: str) -> bool:
        """Whether any of ``frames`` was read in full or has a changed or deleted row."""
        return any(f in self.full or self.ids(f) for f in frames)


@dataclass
class RunContext(Generic[S]):
    """What a producer is given besides the frames.

    Attributes:
        now: the run's reference time (aware UTC): insights are computed as of it.
        settings: the producer's settings, parsed (defaults for what the admin left out or got wrong).
        org_timezone: IANA zone for users whose own zone is unknown.
        changes: what changed in the frames since the last committed run.
        state: what this producer saved at the end of its last committed run (empty the first time).
        recompute_all: no usable saved state, a full run, new settings or a new producer version: the
            producer must compute everything from the frames.
        previous_settings: the settings of the last committed run (``None`` the first time).
        models: where scoring models are kept.
        retrain: entities whose scoring model is retrained now, due or not.
        problems: records the producer skipped, each named by table, id and field.
        admin_changed: producers (any, this one included) whose settings the admin changed since their
            last committed run: what they write this run moves because of the admin, not the customer.
        earlier: the tables the producers before this one (in registry order) computed this run, by
            target table; e.g. the health relationship analytics is about to write, for the assistant.
        partition_records: above 0, producers that can compute their per-record values a part of the records
            at a time do so with parts of at most this many records (``OSI_PARTITION_RECORDS``): the same
            results, less memory at once; 0 computes every record at once.
    """

    now: datetime
    settings: S
    org_timezone: str = "UTC"
    changes: Changes = field(default_factory=Changes)
    state: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    recompute_all: bool = True
    previous_settings: S | None = None
    models: ModelStoreLike | None = None
    retrain: frozenset[str] = frozenset()
    problems: list[RecordError] = field(default_factory=list)
    admin_changed: frozenset[str] = frozenset()
    earlier: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    partition_records: int = 0

    @property
    def settings_changed(self) -> bool:
        """The admin changed this producer's settings since the last committed run."""
        return self.previous_settings is not None and self.previous_settings != self.settings


@dataclass
class Produced:
    """What a producer returns.

    Attributes:
        frames: table → its complete desired content (records' columns keyed by their primary id, our
            tables' rows keyed by ``osi_key``).
        state: frames to save with the snapshot and hand back next run (per-item results, aggregates).
        notes: sentences for the run row (what a configuration change moved, work left for next run).
        warnings: problems an admin should fix that did not stop the insight (a refused segment).
        evaluated: records or items computed this run (the rest were reused).
    """

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    state: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    evaluated: int = 0


@dataclass(frozen=True)
class Producer(Generic[S]):
    """One insight, declared once.

    Attributes:
        name: the insight's name: its ``features`` switch and the name of its ``osi_setting`` row.
        description: what the setting row says to the admin.
        settings: the settings model (defaults, types, ranges, help).
        outputs: the tables it writes and how.
        compute: the computation.
        version: bump it when the computation changes, so results saved by an older version are recomputed.
        switchable: whether the admin may switch it off.
        tables: tables of ours it needs that the core schema does not hold (provisioned with the rest).
        columns: record type → columns it adds to that standard table (beyond the core schema's).
    """

    name: str
    description: str
    settings: type[S]
    outputs: tuple[Output, ...]
    compute: Callable[[Frames, RunContext[S]], Produced]
    version: str = "1"
    switchable: bool = True
    tables: tuple[TableDef, ...] = ()
    columns: Mapping[str, tuple[ColumnDef, ...]] = field(default_factory=dict)

    @property
    def writes(self) -> tuple[str, ...]:
        """The logical names of the tables it writes."""
        return tuple(o.table for o in self.outputs)
