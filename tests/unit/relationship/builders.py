"""A small builder of canonical frames for relationship tests: people, records and activities by hand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

NOW = pd.Timestamp("2026-11-27 12:00", tz="UTC")


def at(text: str) -> pd.Timestamp:
    """A UTC time from ISO text (an offset in the text is honoured, naive means UTC)."""
    ts = pd.Timestamp(text)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


@dataclass
class Org:
    """Canonical rows collected by the helper methods; :meth:`frames` returns the frames."""

    users: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    accounts: list[dict] = field(default_factory=list)
    leads: list[dict] = field(default_factory=list)
    opportunities: list[dict] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    parties: list[dict] = field(default_factory=list)

    def user(self, uid: str, name: str | None = None) -> Org:
        self.users.append({"user_id": uid, "fullname": name or uid.upper(), "email": f"{uid}@us.example"})
        return self

    def contact(self, cid: str, account: str | None = None, created: str = "2026-01-01") -> Org:
        self.contacts.append({"contact_id": cid, "fullname": cid.upper(), "email": f"{cid}@them.example",
                              "parent_account_id": account, "created_on": at(created)})
        return self

    def account(self, aid: str, primary: str | None = None) -> Org:
        self.accounts.append({"account_id": aid, "name": aid.upper(), "primary_contact_id": primary,
                              "created_on": at("2026-01-01")})
        return self

    def lead(self, lid: str, owner: str, state: int = 0, contact: str | None = None,
             created: str = "2026-06-01") -> Org:
        self.leads.append({"lead_id": lid, "fullname": lid.upper(), "owner_id": owner, "state_code": state,
                           "parent_contact_id": contact, "email": f"{lid}@lead.example", "created_on": at(created)})
        return self

    def opportunity(self, oid: str, owner: str, account: str | None = None, contact: str | None = None,
                    state: int = 0, stage: int | None = 1, created: str = "2026-06-01") -> Org:
        self.opportunities.append({"opportunity_id": oid, "owner_id": owner, "account_id": account,
                                   "contact_id": contact, "state_code": state, "sales_stage": stage,
                                   "created_on": at(created)})
        return self

    def _activity(self, aid: str, kind: str, when: str, *, state: int = 1, **extra: object) -> None:
        row = {"activity_id": aid, "activity_type": kind, "occurred_on": at(when), "state_code": state,
               "subject": extra.pop("subject", aid)}
        if state in (0, 3):
            row["scheduled_start"] = at(when)
        row.update(extra)
        self.activities.append(row)

    def _party(self, aid: str, who: Iterable[str], role: int) -> None:
        for person in who:
            self.parties.append({"activity_id": aid, "party_id": person, "participation": role})

    def email(self, aid: str, when: str, sender: str, to: Iterable[str], cc: Iterable[str] = (), *,
              subject: str | None = None, regarding: str | None = None, message_id: str | None = None,
              in_reply_to: str | None = None, parent: str | None = None, conversation: str | None = None,
              state: int = 1) -> Org:
        self._activity(aid, "email", when, state=state, subject=subject or aid, regarding_id=regarding,
                       message_id=message_id, in_reply_to=in_reply_to, parent_activity_id=parent,
                       conversation_id=conversation)
        self._party(aid, [sender], 1)
        self._party(aid, to, 2)
        self._party(aid, cc, 3)
        return self

    def meeting(self, aid: str, when: str, organizer: str, required: Iterable[str] = (),
                optional: Iterable[str] = (), *, duration: float | None = None, regarding: str | None = None,
                state: int = 1) -> Org:
        self._activity(aid, "appointment", when, state=state, duration_minutes=duration, regarding_id=regarding)
        self._party(aid, [organizer], 7)
        self._party(aid, required, 5)
        self._party(aid, optional, 6)
        return self

    def call(self, aid: str, when: str, caller: str, callee: str, *, outgoing: bool, duration: float | None = None,
             regarding: str | None = None, state: int = 1) -> Org:
        self._activity(aid, "phonecall", when, state=state, duration_minutes=duration, regarding_id=regarding,
                       direction="outgoing" if outgoing else "incoming")
        self._party(aid, [caller], 1)
        self._party(aid, [callee], 2)
        return self

    def task(self, aid: str, when: str, *, duration: float | None = None, regarding: str | None = None,
             state: int = 1) -> Org:
        self._activity(aid, "task", when, state=state, duration_minutes=duration, regarding_id=regarding)
        return self

    def frames(self) -> dict[str, pd.DataFrame]:
        out = {}
        for name in ("users", "contacts", "accounts", "leads", "opportunities", "activities", "parties"):
            rows = getattr(self, name)
            out[name] = pd.DataFrame(rows) if rows else pd.DataFrame()
        return out


def random_org(seed: int, contacts: int = 16, days: int = 500) -> Org:
    """A small organisation with every kind of activity, thread and record, at random but reproducibly.

    Accounts with contacts, leads and opportunities (open and closed), e-mail threads that are answered or
    not, meetings (some canceled, some scheduled after ``NOW``), calls, tasks and ties in time.
    """
    import random

    rnd = random.Random(seed)
    org = Org().user("u1").user("u2").user("u3")
    for a in range(max(1, contacts // 4)):
        org.account(f"a{a}", primary=f"c{a * 4}")
    for c in range(contacts):
        org.contact(f"c{c}", f"a{c // 4}", created=str((NOW - pd.Timedelta(days=days + 30)).date()))
    for o in range(contacts // 2):
        state = rnd.choice([0, 0, 1, 2])
        org.opportunity(f"o{o}", rnd.choice(["u1", "u2"]), account=f"a{o // 2}", contact=f"c{o}", state=state,
                        stage=rnd.randint(0, 3), created=str((NOW - pd.Timedelta(days=rnd.randint(20, 300))).date()))
    for lead in range(contacts // 4):
        org.lead(f"l{lead}", "u1", state=rnd.choice([0, 1, 2]), contact=f"c{lead}",
                 created=str((NOW - pd.Timedelta(days=rnd.randint(5, 200))).date()))
    for i in range(contacts * 12):
        c, u = f"c{rnd.randrange(contacts)}", rnd.choice(["u1", "u2", "u3"])
        # Whole hours, so that some activities share a time (ties must not depend on row order).
        when = NOW - pd.Timedelta(hours=rnd.randint(-20 * 24, days * 24))
        regarding = rnd.choice([None, None, f"o{rnd.randrange(contacts // 2)}"])
        kind = rnd.random()
        future = when > NOW
        if kind < 0.6 and not future:
            ours = rnd.random() < 0.6
            sender, to = (u, c) if ours else (c, u)
            org.email(f"e{i}", str(when), sender, [to], subject=f"topic {i}", regarding=regarding)
            if rnd.random() < 0.5 and when + pd.Timedelta(hours=6) <= NOW:
                org.email(f"r{i}", str(when + pd.Timedelta(hours=rnd.randint(1, 40))), to, [sender],
                          subject=f"Re: topic {i}")
        elif kind < 0.8:
            state = 3 if future else rnd.choice([1, 1, 1, 2])
            org.meeting(f"m{i}", str(when), u, [c], duration=30, regarding=regarding, state=state)
        elif kind < 0.93:
            org.call(f"p{i}", str(when), u, c, outgoing=rnd.random() < 0.7, duration=5, regarding=regarding,
                     state=0 if future else 1)
        else:
            org.task(f"t{i}", str(when), duration=15, regarding=regarding or f"c{rnd.randrange(contacts)}",
                     state=0 if future else 1)
    return org
