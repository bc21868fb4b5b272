"""Change a share of an organisation the way its users would, through the Web API.

Used by the benchmarks and the advancing-clock tests: updates of contacts, leads and opportunities, new
e-mails from customers and to them (with their parties), new notes, and deletions of activities and
notes. Every change goes through the same client the sync uses, so change tracking sees it exactly as
it would see a seller's edit in a real organisation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

ME = "osi-bench"


@dataclass
class ChangeLog:
    """What :func:`change_share` did, by kind."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        """Count ``n`` changes of ``kind``."""
        self.counts[kind] = self.counts.get(kind, 0) + n


def _ids(client: Any, entity_set: str, key: str, select: list[str]) -> list[dict[str, Any]]:
    return sorted(client.list_records(entity_set, select=[key, *select]), key=lambda r: r[key])


def _pick(rng: random.Random, rows: list[dict[str, Any]], share: float) -> list[dict[str, Any]]:
    n = max(1, round(len(rows) * share)) if rows else 0
    return rng.sample(rows, n)


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def change_share(client: Any, *, share: float, when: datetime, seed: int = 0) -> ChangeLog:
    """Change about ``share`` of the organisation's records, as of ``when``.

    Args:
        client: a Dataverse client of the organisation.
        share: the share of contacts, leads, opportunities and activities to touch (0.01 = 1 %).
        when: the time the new activities and notes happened (before the next run's ``now``).
        seed: makes the choice of records repeatable.

    Returns:
        how many records of each kind were changed.
    """
    rng = random.Random(seed)
    log = ChangeLog()
    users = _ids(client, "systemusers", "systemuserid", ["internalemailaddress"])
    contacts = _ids(client, "contacts", "contactid", ["emailaddress1", "jobtitle"])
    for c in _pick(rng, contacts, share):
        client.update_record("contacts", c["contactid"], {"jobtitle": rng.choice(["Buyer", "CFO", "IT Director"])})
        log.add("contact updated")
    for lead in _pick(rng, _ids(client, "leads", "leadid", ["statecode"]), share):
        client.update_record("leads", lead["leadid"], {"budgetamount": rng.randrange(5, 500) * 1000})
        log.add("lead updated")
    for opp in _pick(rng, _ids(client, "opportunities", "opportunityid", ["statecode"]), share):
        client.update_record("opportunities", opp["opportunityid"], {"estimatedvalue": rng.randrange(5, 900) * 1000})
        log.add("opportunity updated")
    for i, c in enumerate(_pick(rng, contacts, share)):
        _email(client, rng, c["contactid"], rng.choice(users)["systemuserid"], when - timedelta(minutes=7 * i + 5),
               incoming=bool(i % 2))
        log.add("e-mail created")
    for c in _pick(rng, contacts, share / 2):
        client.create_record("annotations", {
            "subject": "Call notes", "notetext": "Call the customer back on Thursday at 10 am about the renewal.",
            "objectid_contact@odata.bind": f"/contacts({c['contactid']})"})
        log.add("note created")
    emails = _ids(client, "emails", "activityid", ["statecode"])
    for e in _pick(rng, emails, share / 4):
        client.delete_record("emails", e["activityid"])
        log.add("e-mail deleted")
    for n in _pick(rng, _ids(client, "annotations", "annotationid", ["subject"]), share / 2):
        client.delete_record("annotations", n["annotationid"])
        log.add("note deleted")
    return log


def _email(client: Any, rng: random.Random, contact: str, user: str, sent: datetime, *, incoming: bool) -> None:
    sender, recipient = (("contact", contact), ("systemuser", user)) if incoming else \
        (("systemuser", user), ("contact", contact))
    sets = {"contact": "contacts", "systemuser": "systemusers"}
    body = rng.choice([
        "Thanks for the update, we will review the proposal with the team next week.",
        "Could you send the updated price list? My daughter's football final is on Saturday, so Monday works.",
        "We are ready to move forward once legal has approved the contract.",
    ])
    email_id = client.create_record("emails", {
        "subject": "Re: proposal", "description": body, "directioncode": not incoming,
        "regardingobjectid_contact_email@odata.bind": f"/contacts({contact})",
        "email_activity_parties": [
            {f"partyid_{sender[0]}@odata.bind": f"/{sets[sender[0]]}({sender[1]})", "participationtypemask": 1},
            {f"partyid_{recipient[0]}@odata.bind": f"/{sets[recipient[0]]}({recipient[1]})",
             "participationtypemask": 2}]})
    # A sent e-mail is completed after it is created (statecode is not valid on create).
    client.update_record("emails", email_id, {"statecode": 1, "statuscode": 2, "actualend": _stamp(sent)})
