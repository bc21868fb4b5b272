"""The hand-over format between the demo-organisation generator and the emulator's store.

The generator (:mod:`emulator.seed`) produces a :class:`DemoOrg`; the store bulk-loads it. Rows are
plain dicts keyed by Dataverse attribute *logical* names, with values as the Web API returns them
(ISO-8601 UTC strings ending in ``Z`` for datetimes, ints for choices, bools, floats for money), except
lookups: a lookup attribute (``ownerid``, ``regardingobjectid``, ``parentcustomerid``, ``partyid``,
``activityid`` on activityparty, ``objectid`` on annotation, ...) holds
``{"id": "<guid>", "logicalname": "<target table>"}`` or ``None``; the store exposes it as
``_<name>_value`` plus the lookuplogicalname annotation. ``createdon``/``modifiedon`` given by the
generator are kept as they are (history is two years deep).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Row = dict[str, Any]


@dataclass
class DemoOrg:
    """A generated organisation, ready to load.

    Attributes:
        now: the reference time every timestamp is relative to (UTC).
        tables: logical table name (``systemuser``, ``businessunit``, ``account``, ``contact``,
            ``lead``, ``opportunity``, ``email``, ``phonecall``, ``appointment``, ``task``,
            ``activityparty``, ``annotation``, ``usersettings``, ``timezonedefinition``) → rows.
        graph_users: Microsoft Graph user objects (``id``, ``displayName``, ``mail``,
            ``userPrincipalName``).
        mailboxes: Graph user id → messages in Graph JSON shape (``id``, ``subject``, ``from``,
            ``toRecipients``, ``ccRecipients``, ``sentDateTime``, ``receivedDateTime``,
            ``conversationId``, ``internetMessageId``, ``body``: ``{"contentType", "content"}``).
        truth: the sidecar truth (latent factors, intents, topics) for evaluation only; written next
            to the database as ``<db>.truth.json``, never read by the connector.
    """

    now: datetime
    tables: dict[str, list[Row]] = field(default_factory=dict)
    graph_users: list[Row] = field(default_factory=list)
    mailboxes: dict[str, list[Row]] = field(default_factory=dict)
    truth: dict[str, Any] = field(default_factory=dict)
