"""The four customer record types insights are computed for, in one table.

Every layer that maps between a Dataverse table, its entity set, its canonical frame and their id
columns reads it from here (the pipeline's write-back, the producers, scoring), so adding a record
type is one row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordType:
    """One customer record type.

    Attributes:
        table: the Dataverse logical name (``contact``).
        entity_set: its Web API entity set (``contacts``).
        frame: the canonical frame holding its rows (``contacts``).
        frame_key: the id column of that frame (``contact_id``).
        primary_id: the Dataverse primary key attribute (``contactid``).
        name_column: the canonical column holding the record's display name.
    """

    table: str
    entity_set: str
    frame: str
    frame_key: str
    primary_id: str
    name_column: str


RECORD_TYPES: dict[str, RecordType] = {
    "contact": RecordType("contact", "contacts", "contacts", "contact_id", "contactid", "fullname"),
    "account": RecordType("account", "accounts", "accounts", "account_id", "accountid", "name"),
    "lead": RecordType("lead", "leads", "leads", "lead_id", "leadid", "fullname"),
    "opportunity": RecordType("opportunity", "opportunities", "opportunities", "opportunity_id", "opportunityid",
                              "name"),
}
"""Record types by table logical name."""


def record_type(table: str) -> RecordType:
    """The record type of ``table``.

    Raises:
        KeyError: ``table`` is not one of the customer record types.
    """
    return RECORD_TYPES[table]
