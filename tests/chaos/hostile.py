"""Hostile records: valid for Dataverse, and built to break a careless sync.

Dates at both ends of Dataverse's range (1753-01-01 and 9999-12-31), 100,000-character notes, control
characters, right-to-left marks, emoji, HTML, malformed e-mail addresses, OData-special characters (quotes,
slashes, ampersands, percent signs) in names, dangling lookups, e-mails that share their Message-ID and
their timestamps, replies that answer each other. Every record is generated from a seed, so a run is
repeatable. :func:`bad_dates` lists the values the sync cannot use as they are: each must come back
named (table, id, column) in the run's problems.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from emulator.org import DemoOrg

TEXTS = (
    "O'Brien & Sons / \"Quotes\" #1 + 50% off?", "<script>alert('x')</script><b>bold</b>", "\u202eevil\u202c RTL",
    "مرحبا بالعالم", "שלום עולם", "emoji 😀🚀👍🏽 family 👨‍👩‍👧", "tab\there\x07bell\x1bescape",
    "line\r\nbreak\u2028sep",
    "zero\u200bwidth\ufeffbom", "x" * 160, "'; DROP TABLE contacts; --", "$filter=name eq 'x'&$top=1",
    "café naïve ÆØÅ ß", "\\back\\slash\\", "", "   ", "NULL", "%00%27%2F",
)
EMAILS = ("not-an-email", "a@@b", "@contoso.com", "  Mixed.Case@Example.COM  ", "x@localhost", "ünï@exämple.com",
          "a@b@c.d", "trailing.dot.@example.com", "<bracketed@example.com>", "two@one.example; three@two.example")
EDGE_DATES = ("1753-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T00:00:00Z", "1753-01-01T12:00:00Z")


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _ref(record_id: str, table: str) -> dict[str, str]:
    return {"id": record_id, "logicalname": table}


@dataclass
class Hostile:
    """The hostile rows by table, and the ids of the records a run is asked to delete while it runs."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    delete_mid_run: list[tuple[str, str]] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Hostile records (activity parties not counted: they are part of their activity)."""
        return sum(len(rows) for name, rows in self.tables.items() if name != "activityparty")

    def org(self, now: datetime) -> DemoOrg:
        """The rows as a :class:`DemoOrg` to bulk-load into the emulator."""
        return DemoOrg(now=now, tables=self.tables)


def build(sellers: list[str], now: datetime, *, seed: int = 17, scale: int = 1) -> Hostile:
    """About ``1,050 * scale`` hostile records owned by ``sellers`` (system user ids)."""
    rng = random.Random(seed)
    out = Hostile()
    t = out.tables
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def owner() -> dict[str, str]:
        return _ref(rng.choice(sellers), "systemuser")

    t["account"] = [{"accountid": _id(rng), "name": (TEXTS[i % len(TEXTS)] or "blank")[:160],
                     "emailaddress1": EMAILS[i % len(EMAILS)], "websiteurl": "javascript:alert(1)" if i % 7 == 0
                     else f"https://{TEXTS[i % len(TEXTS)][:20]}.example", "ownerid": owner(), "statecode": 0,
                     "statuscode": 1, "createdon": EDGE_DATES[i % 2] if i % 5 == 0 else stamp, "modifiedon": stamp}
                    for i in range(100 * scale)]
    accounts = [a["accountid"] for a in t["account"]]
    t["contact"] = [{"contactid": _id(rng), "firstname": TEXTS[i % len(TEXTS)][:50] or None,
                     "lastname": TEXTS[(i + 3) % len(TEXTS)][:50] or "x", "emailaddress1": EMAILS[i % len(EMAILS)],
                     "jobtitle": TEXTS[(i + 5) % len(TEXTS)][:100] or None,
                     # Every fifth contact points at an account that does not exist.
                     "parentcustomerid": _ref(_id(rng) if i % 5 == 0 else rng.choice(accounts), "account"),
                     "ownerid": owner(), "statecode": 0, "statuscode": 1, "createdon": stamp, "modifiedon": stamp}
                    for i in range(200 * scale)]
    contacts = [c["contactid"] for c in t["contact"]]
    t["lead"] = [{"leadid": _id(rng), "subject": TEXTS[i % len(TEXTS)][:200] or "x",
                  "firstname": TEXTS[(i + 1) % len(TEXTS)][:50] or None, "lastname": "Hostile",
                  "companyname": TEXTS[(i + 2) % len(TEXTS)][:100] or None, "emailaddress1": EMAILS[i % len(EMAILS)],
                  "revenue": [0.0, 1e15, 0.01][i % 3], "numberofemployees": [0, 1_000_000_000][i % 2],
                  "ownerid": owner(), "statecode": i % 3, "statuscode": [1, 3, 4][i % 3],
                  "createdon": EDGE_DATES[0] if i % 10 == 0 else stamp, "modifiedon": stamp}
                 for i in range(100 * scale)]
    t["opportunity"] = [{"opportunityid": _id(rng), "name": TEXTS[i % len(TEXTS)][:300] or "x",
                         "estimatedclosedate": EDGE_DATES[i % len(EDGE_DATES)][:10] if i % 2 == 0 else None,
                         "actualclosedate": "9999-12-31" if i % 9 == 0 else None,
                         "estimatedvalue": [0.0, 922337203685477.0, 0.0001][i % 3],
                         "customerid": _ref(rng.choice(accounts), "account"),
                         "parentcontactid": _ref(rng.choice(contacts), "contact"), "ownerid": owner(),
                         "statecode": 0, "statuscode": 1, "createdon": stamp, "modifiedon": stamp}
                        for i in range(100 * scale)]
    _activities(out, rng, contacts, owner, stamp, scale)
    _notes(out, rng, contacts, accounts, owner, stamp, scale)
    deletable = [("contacts", c) for c in contacts[-20:]] + [("accounts", a) for a in accounts[-5:]]
    out.delete_mid_run = deletable
    return out


def _activities(out: Hostile, rng: random.Random, contacts: list[str], owner: Any, stamp: str, scale: int) -> None:
    t = out.tables
    emails, parties = [], []
    shared_message_id = "<same-message-id@hostile.example>"
    for i in range(400 * scale):
        activity = _id(rng)
        contact = rng.choice(contacts)
        # Pairs share a Message-ID and a timestamp; some dates sit at the ends of the range.
        when = EDGE_DATES[i % len(EDGE_DATES)] if i % 25 == 0 else ("2025-06-01T10:00:00Z" if i % 2 else stamp)
        emails.append({
            "activityid": activity, "regardingobjectid": _ref(contact, "contact"), "ownerid": owner(),
            "subject": TEXTS[i % len(TEXTS)][:200] or None,
            "description": "<html><body>" + TEXTS[(i + 4) % len(TEXTS)] * 20 + "</body></html>",
            "directioncode": bool(i % 2), "sender": EMAILS[i % len(EMAILS)][:100],
            "torecipients": EMAILS[(i + 1) % len(EMAILS)][:100],
            "messageid": shared_message_id if i % 3 == 0 else f"<m{i // 2}@hostile.example>",
            "inreplyto": f"<m{(i // 2) + 1}@hostile.example>" if i % 4 == 1 else None,
            "statecode": 1, "statuscode": 3, "senton": when, "actualend": when, "createdon": stamp,
            "modifiedon": stamp})
        parties.append({"activitypartyid": _id(rng), "activityid": _ref(activity, "email"),
                        "partyid": _ref(contact, "contact"), "participationtypemask": 1 + i % 2,
                        "addressused": EMAILS[i % len(EMAILS)][:100]})
        parties.append({"activitypartyid": _id(rng), "activityid": _ref(activity, "email"),
                        "partyid": None, "participationtypemask": 2, "addressused": TEXTS[i % len(TEXTS)][:100]})
    t["email"] = emails
    t["activityparty"] = parties
    t["phonecall"] = [{"activityid": _id(rng), "regardingobjectid": _ref(rng.choice(contacts), "contact"),
                       "ownerid": owner(), "subject": TEXTS[i % len(TEXTS)][:200] or None,
                       "directioncode": bool(i % 2), "statecode": 1, "statuscode": 2,
                       "scheduledstart": EDGE_DATES[i % len(EDGE_DATES)] if i % 10 == 0 else None,
                       "actualstart": stamp, "actualend": stamp, "actualdurationminutes": [0, 1440 * 365][i % 2],
                       "createdon": stamp, "modifiedon": stamp}
                      for i in range(100 * scale)]


def _notes(out: Hostile, rng: random.Random, contacts: list[str], accounts: list[str], owner: Any, stamp: str,
           scale: int) -> None:
    rows = []
    for i in range(50 * scale):
        if i < 3:
            text = ("Call back on 9999-12-31 at 23:59. " * 3000)[:100_000]  # Dataverse's notetext limit
        elif i < 5:
            text = ("<p>" + "Réunion le 01/01/1753 😀 " * 4000)[:100_000]
        else:
            text = TEXTS[i % len(TEXTS)] + " " + EMAILS[i % len(EMAILS)]
        target = (rng.choice(contacts), "contact") if i % 2 else (rng.choice(accounts), "account")
        rows.append({"annotationid": _id(rng), "objectid": _ref(*target), "ownerid": owner(),
                     "subject": TEXTS[(i + 7) % len(TEXTS)][:200] or None, "notetext": text, "isdocument": False,
                     "createdon": stamp, "modifiedon": stamp})
    out.tables["annotation"] = rows


def bad_dates(hostile: Hostile) -> set[tuple[str, str, str]]:
    """``(table, id, column)`` of every date the sync cannot keep as it is (beyond what it computes with)."""
    keys = {"account": "accountid", "contact": "contactid", "lead": "leadid", "opportunity": "opportunityid",
            "email": "activityid", "phonecall": "activityid"}
    found = set()
    for table, key in keys.items():
        for row in hostile.tables.get(table, []):
            for column, value in row.items():
                if isinstance(value, str) and value.startswith("9999-12-31"):
                    found.add((table, row[key], column))
    return found
