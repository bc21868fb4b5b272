"""The shapes of the ``osi_`` schema: choices, columns, alternate keys and tables (data classes only).

:mod:`connector.schema` declares every column and table we add with these; it re-exports them, so code that
reads the schema imports them from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PREFIX = "osi"

ColumnKind = Literal["string", "memo", "integer", "decimal", "datetime", "dateonly", "boolean", "picklist"]

MEMO_MAX = 1_048_576
"""Largest memo column Dataverse allows (characters)."""


@dataclass(frozen=True)
class OptionSet:
    """A local choice: ``(value, English label, French label)`` triples."""

    options: tuple[tuple[int, str, str], ...]

    def value(self, label: str) -> int:
        """The value of the option whose English label is ``label``.

        Raises:
            KeyError: no option has that label.
        """
        for value, en, _fr in self.options:
            if en == label:
                return value
        raise KeyError(label)

    def label(self, value: int) -> str:
        """The English label of ``value``.

        Raises:
            KeyError: no option has that value.
        """
        for v, en, _fr in self.options:
            if v == value:
                return en
        raise KeyError(value)


@dataclass(frozen=True)
class ColumnDef:
    """One column we add: its SchemaName, kind, labels and limits."""

    schema_name: str
    kind: ColumnKind
    label: str
    description: str
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    precision: int | None = None
    options: OptionSet | None = None
    label_fr: str | None = None
    """French display label; when absent, :mod:`connector.schema_fr` is looked up by the English label."""

    @property
    def logical_name(self) -> str:
        """The LogicalName: the SchemaName in lowercase."""
        return self.schema_name.lower()


@dataclass(frozen=True)
class KeyDef:
    """An alternate key: its SchemaName and the logical names of its columns."""

    schema_name: str
    columns: tuple[str, ...]
    label: str

    @property
    def logical_name(self) -> str:
        """The LogicalName of the key."""
        return self.schema_name.lower()


@dataclass(frozen=True)
class TableDef:
    """A table we create: names, primary name column, columns and alternate keys."""

    schema_name: str
    label: str
    plural_label: str
    description: str
    columns: tuple[ColumnDef, ...]
    keys: tuple[KeyDef, ...] = ()
    is_activity: bool = False
    primary_name: ColumnDef = field(
        default_factory=lambda: ColumnDef(f"{PREFIX}_Name", "string", "Name", "Primary name", max_length=200)
    )
    label_fr: tuple[str, str] | None = None
    """French (singular, plural) display labels; when absent, :mod:`connector.schema_fr` is looked up."""

    @property
    def logical_name(self) -> str:
        """The table's LogicalName."""
        return self.schema_name.lower()

    @property
    def entity_set_name(self) -> str:
        """The Web API entity set name: the plural of the logical name, as provisioning sets it."""
        name = self.logical_name
        return name[:-1] + "ies" if name.endswith("y") else name + "s"

    @property
    def primary_id(self) -> str:
        """The primary key column (``activityid`` for activities)."""
        return "activityid" if self.is_activity else f"{self.logical_name}id"
