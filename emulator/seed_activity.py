"""Demo generator, part 4: activity rows (e-mail threads, calls, meetings, tasks) and their parties.

E-mail threads alternate between our seller and the customer with response delays drawn from each
side's responsiveness; replies carry ``parentactivityid``, ``inreplyto`` (the parent's ``messageid``)
and an Outlook-style ``conversationindex`` (base64 of the 22-byte header plus 5 bytes per reply).
Every completed e-mail is also recorded as a :class:`MailCopy` for the Graph mailboxes.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass, field
from typing import Any

from emulator import seed_text as tx
from emulator.seed_deals import Deals
from emulator.seed_events import (
    EXT_ACCOUNT,
    EXT_CONTACT,
    EXT_LEAD,
    KIND_CALL,
    KIND_EMAIL,
    KIND_MEETING,
    REG_ACCOUNT,
    REG_CONTACT,
    REG_LEAD,
    REG_OPP,
    Events,
)
from emulator.seed_people import Accounts, Contacts, Ctx, Sellers
from emulator.seed_util import DAY, HOUR, fast_iso, pick, rnd_guid

_REG_TABLE = {REG_ACCOUNT: "account", REG_CONTACT: "contact", REG_LEAD: "lead", REG_OPP: "opportunity"}
_EXT_TABLE = {EXT_CONTACT: "contact", EXT_LEAD: "lead", EXT_ACCOUNT: "account"}
_TOPIC_WEIGHT = (20, 18, 18, 14, 14, 6, 5, 5)
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class MailCopy:
    """One sent e-mail as the Graph mailboxes see it."""

    subject: str
    body: str
    sender: tuple[str, str]
    to: list[tuple[str, str]]
    cc: list[tuple[str, str]]
    sent: int
    conversation: str
    message_id: str
    mailboxes: list[int]
    topics: list[str]


@dataclass
class Activities:
    """Rows per activity table, parties, Graph copies and the topic truth."""

    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {k: [] for k in ("email", "phonecall", "appointment", "task", "activityparty")})
    mail: list[MailCopy] = field(default_factory=list)
    topics: dict[str, list[str]] = field(default_factory=dict)
    traps: list[str] = field(default_factory=list)
    last_touch: dict[tuple[int, int], int] = field(default_factory=dict)


def _between(rnd: Any, lo: int, hi: int) -> int:
    """``rnd.randint(lo, hi)`` without its overhead."""
    return lo + int(rnd.random() * (hi - lo + 1))


class _Writer:
    def __init__(self, c: Ctx, s: Sellers, a: Accounts, ct: Contacts, leads: Deals, opps: Deals) -> None:
        self.c, self.s, self.a, self.ct, self.leads, self.opps = c, s, a, ct, leads, opps
        self.rnd = c.rnd
        self.out = Activities()
        self.regs = {REG_ACCOUNT: a.ids, REG_CONTACT: ct.ids, REG_LEAD: leads.ids, REG_OPP: opps.ids}
        self.seller_index = {sid: k for k, sid in enumerate(s.ids)}
        # Lookup values are shared between rows (read-only): millions of equal small dicts cost gigabytes.
        self._refs: dict[str, dict[str, Any]] = {}
        self._activity: dict[str, Any] = {"id": None}

    def ref(self, record_id: str, table: str) -> dict[str, Any]:
        """The (shared) lookup value of a record."""
        value = self._refs.get(record_id)
        if value is None:
            value = self._refs[record_id] = {"id": record_id, "logicalname": table}
        return value

    def guid(self) -> str:
        return rnd_guid(self.rnd)

    def person(self, ext_type: int, idx: int) -> tuple[dict[str, Any] | None, str, str, str, bool]:
        """(party lookup, address, display name, first name, speaks French) of an external person."""
        if ext_type == EXT_CONTACT:
            ct = self.ct
            return (self.ref(ct.ids[idx], "contact"), ct.emails[idx], ct.names[idx], ct.firsts[idx],
                    bool(ct.is_fr[idx]))
        if ext_type == EXT_LEAD:
            ld = self.leads
            return self.ref(ld.ids[idx], "lead"), ld.emails[idx], ld.names[idx], ld.firsts[idx], bool(ld.is_fr[idx])
        a = self.a
        return (self.ref(a.ids[idx], "account"), a.rows[idx]["emailaddress1"], a.names[idx], a.names[idx],
                bool(a.is_fr[idx]))

    def seller(self, i: int) -> tuple[dict[str, Any], str, str, str]:
        s = self.s
        return self.ref(s.ids[i], "systemuser"), s.emails[i], s.names[i], s.firsts[i]

    def party(self, activity: str, table: str, who: dict[str, Any] | None, mask: int, address: str | None) -> None:
        if self._activity["id"] != activity:
            self._activity = {"id": activity, "logicalname": table}
        self.out.rows["activityparty"].append({
            "activitypartyid": self.guid(), "activityid": self._activity,
            "partyid": who, "participationtypemask": mask, "addressused": address})

    def colleague_contact(self, ext_type: int, idx: int, when: int) -> int:
        """Another contact of the same account whose relationship is still alive at ``when``, or -1."""
        if ext_type != EXT_CONTACT or self.ct.account[idx] < 0:
            return -1
        members = self.ct.by_account.get(int(self.ct.account[idx]), [])
        if len(members) < 2:
            return -1
        other = pick(self.rnd, members)
        dead_at = self.ct.dead_at[other]
        return other if other != idx and (dead_at < 0 or when < dead_at) and self.ct.created[other] < when else -1

    def common(self, ev: Events, i: int) -> dict[str, Any]:
        rt = int(ev.reg_type[i])
        reg = self.ref(self.regs[rt][ev.reg_idx[i]], _REG_TABLE[rt]) if rt in _REG_TABLE else None
        return {"activityid": self.guid(), "regardingobjectid": reg,
                "ownerid": self.ref(self.s.ids[ev.owner[i]], "systemuser")}


def _conv_root(root_time: int, guid_bytes: bytes) -> bytes:
    """The 22-byte Outlook thread index header: 6 bytes of FILETIME, then the thread GUID."""
    filetime = (root_time + 11_644_473_600) * 10_000_000
    return filetime.to_bytes(8, "big")[:6] + guid_bytes


def _thread(w: _Writer, ev: Events, i: int) -> None:
    rnd, now = w.rnd, w.c.now
    ext_t, ext_i, owner = int(ev.ext_type[i]), int(ev.ext_idx[i]), int(ev.owner[i])
    r = float(ev.resp[i])
    ext_ref, ext_addr, ext_name, ext_first, fr = w.person(ext_t, ext_i)
    lang = "fr" if fr else "en"
    me_ref, me_addr, me_name, me_first = w.seller(owner)
    subject = tx.activity_subject(rnd, "email", lang, ext_name)
    outgoing = rnd.random() > 0.3 + 0.15 / (1 + math.exp(-r))
    max_len = 1 + min(5, int(-math.log(1 - rnd.random()) / 0.6))
    t = int(ev.t[i])
    conv = "AAQk" + base64.urlsafe_b64encode(rnd.getrandbits(144).to_bytes(18, "big")).decode()
    conv_raw = _conv_root(t, rnd.getrandbits(128).to_bytes(16, "big"))
    parent, body_prev = None, None
    common = w.common(ev, i)
    personal_rate = 0.12 if ev.source[i] == 0 else 0.03
    for depth in range(max_len):
        row = dict(common) if depth == 0 else {**common, "activityid": w.guid()}
        aid = row["activityid"]
        topics: list[str] = []
        trap = False
        if not outgoing and ext_t == EXT_CONTACT and rnd.random() < personal_rate:
            k = 1 if rnd.random() < 0.8 else 2
            while len(topics) < k:
                topic = rnd.choices(tx.TOPICS, _TOPIC_WEIGHT)[0]
                if topic not in topics:
                    topics.append(topic)
        elif rnd.random() < 0.06:
            trap = True
        if outgoing:
            frm, frm_ref, to_first, from_name = (me_name, me_addr), me_ref, ext_first, me_name
            to = [(ext_name, ext_addr, ext_ref)]
        else:
            frm, frm_ref, to_first, from_name = (ext_name, ext_addr), ext_ref, me_first, ext_name
            to = [(me_name, me_addr, me_ref)]
        cc: list[tuple[str, str, dict[str, Any] | None]] = []
        roll = rnd.random()
        other = w.colleague_contact(ext_t, ext_i, t) if roll < 0.15 else -1
        if other >= 0:
            cc.append((w.ct.names[other], w.ct.emails[other], w.ref(w.ct.ids[other], "contact")))
        elif roll < 0.23:
            j = rnd.randrange(len(w.s.ids))
            if j != owner and w.s.left_at[j] < 0:
                cc.append((w.s.names[j], w.s.emails[j], w.ref(w.s.ids[j], "systemuser")))
        elif roll < 0.28:
            domain = ext_addr.split("@", 1)[1]
            cc.append(("", f"{pick(rnd, ('assistant', 'accounts', 'purchasing', 'it-support'))}@{domain}", None))
        body = tx.email_body(rnd, lang, to_first, from_name, topics=tuple(topics), trap=trap,
                             quote=body_prev if body_prev and rnd.random() < 0.3 else None)
        domain = frm[1].split("@", 1)[1]
        msgid = f"<{rnd.getrandbits(96):024x}@{domain}>"
        sent = fast_iso(t)
        tracked = fast_iso(min(t + (0 if outgoing else _between(rnd, 5, 300)), now - 1))
        row.update({
            "subject": (subject if depth == 0 else tx.reply_subject(subject, lang))[:800], "description": body,
            "directioncode": outgoing, "sender": frm[1], "torecipients": ";".join(x[1] for x in to)[:500],
            "messageid": msgid, "inreplyto": parent["messageid"] if parent else None,
            "conversationindex": base64.b64encode(conv_raw).decode(),
            "parentactivityid": w.ref(parent["activityid"], "email") if parent else None,
            "statecode": 1, "statuscode": 3 if outgoing else 4, "senton": sent, "actualstart": sent,
            "actualend": sent, "scheduledstart": None, "scheduledend": None, "actualdurationminutes": None,
            "prioritycode": 2 if rnd.random() < 0.05 else 1, "createdon": tracked, "modifiedon": tracked})
        w.out.rows["email"].append(row)
        w.party(aid, "email", frm_ref, 1, frm[1])
        for _, addr, ref in to:
            w.party(aid, "email", ref, 2, addr)
        for _, addr, ref in cc:
            w.party(aid, "email", ref, 3, addr)
        if topics:
            topics = tx.topics_in(body, topics)
            w.out.topics[aid] = topics
        if trap:
            w.out.traps.append(aid)
        boxes = [owner] + [w.seller_index[ref["id"]] for _, _, ref in cc
                           if ref and ref["logicalname"] == "systemuser"]
        w.out.mail.append(MailCopy(row["subject"], body, frm, [(x[0], x[1]) for x in to], [(x[0], x[1]) for x in cc],
                                   t, conv, msgid, boxes, topics))
        if ext_t == EXT_CONTACT:
            w.out.last_touch[(ext_i, owner)] = t
        # Replies quote the previous message, except a personal one (the truth keeps topics per message).
        parent, body_prev = row, None if topics else _TAGS.sub(" ", body)[:200].strip()
        conv_raw += rnd.getrandbits(40).to_bytes(5, "big")
        # Who answers next, and how long it takes them.
        if outgoing:
            if rnd.random() > 1 / (1 + math.exp(-(0.2 + r))):
                break
            delay = math.exp(rnd.gauss(math.log(8) - 0.5 * r, 1.0)) * HOUR
        else:
            if rnd.random() > 0.85:
                break
            delay = math.exp(rnd.gauss(math.log(3), 0.9)) * HOUR
        t += int(max(delay, 120))
        if t >= now:
            break
        outgoing = not outgoing
    if parent and now - t < 10 * DAY and rnd.random() < 0.05:
        draft = {**common, "activityid": w.guid(), "subject": tx.reply_subject(subject, lang),
                 "description": tx.email_body(rnd, lang, ext_first, me_name), "directioncode": True,
                 "sender": me_addr, "torecipients": ext_addr, "messageid": None, "inreplyto": None,
                 "conversationindex": None, "parentactivityid": w.ref(parent["activityid"], "email"),
                 "statecode": 0, "statuscode": 1, "senton": None, "actualstart": None, "actualend": None,
                 "scheduledstart": None, "scheduledend": None, "actualdurationminutes": None, "prioritycode": 1,
                 "createdon": fast_iso(now - _between(rnd, 600, 5 * 86_400)),
                 "modifiedon": fast_iso(now - _between(rnd, 60, 600))}
        w.out.rows["email"].append(draft)
        w.party(draft["activityid"], "email", me_ref, 1, me_addr)
        w.party(draft["activityid"], "email", ext_ref, 2, ext_addr)


def _call(w: _Writer, ev: Events, i: int) -> None:
    rnd, now = w.rnd, w.c.now
    ext_t, ext_i, owner, t = int(ev.ext_type[i]), int(ev.ext_idx[i]), int(ev.owner[i]), int(ev.t[i])
    ext_ref, ext_addr, ext_name, _, fr = w.person(ext_t, ext_i)
    lang = "fr" if fr else "en"
    me_ref, me_addr, _, _ = w.seller(owner)
    outgoing = rnd.random() < 0.75 - 0.15 / (1 + math.exp(-float(ev.resp[i])))
    row = w.common(ev, i)
    number = {EXT_CONTACT: w.ct.phones, EXT_LEAD: w.leads.phones}.get(ext_t)
    row.update({"subject": tx.activity_subject(rnd, "phonecall", lang, ext_name)[:200],
                "description": tx.call_description(rnd, lang), "directioncode": outgoing,
                "phonenumber": number[ext_i] if number else w.a.rows[ext_i]["telephone1"], "prioritycode": 1})
    if t >= now:
        row.update({"statecode": 0, "statuscode": 1, "scheduledstart": fast_iso(t), "scheduledend": fast_iso(t + 1800),
                    "actualstart": None, "actualend": None, "actualdurationminutes": None,
                    "createdon": fast_iso(now - _between(rnd, 3600, 10 * 86_400)),
                    "modifiedon": fast_iso(now - _between(rnd, 60, 3600))})
    else:
        minutes = max(1, min(90, int(math.exp(rnd.gauss(math.log(7), 0.8)))))
        canceled = rnd.random() < 0.05
        planned = rnd.random() < 0.5
        end = min(t + minutes * 60, now - 1)
        row.update({"statecode": 2 if canceled else 1, "statuscode": 3 if canceled else (2 if outgoing else 4),
                    "scheduledstart": fast_iso(t) if planned else None,
                    "scheduledend": fast_iso(t + 1800) if planned else None,
                    "actualstart": None if canceled else fast_iso(t), "actualend": None if canceled else fast_iso(end),
                    "actualdurationminutes": None if canceled else minutes,
                    "createdon": fast_iso(t - _between(rnd, 3600, 3 * 86_400) if planned else t),
                    "modifiedon": fast_iso(end)})
        if ext_t == EXT_CONTACT and not canceled:
            w.out.last_touch[(ext_i, owner)] = t
    w.out.rows["phonecall"].append(row)
    frm, to = ((me_ref, me_addr), (ext_ref, ext_addr)) if outgoing else ((ext_ref, ext_addr), (me_ref, me_addr))
    w.party(row["activityid"], "phonecall", frm[0], 1, frm[1])
    w.party(row["activityid"], "phonecall", to[0], 2, to[1])


def _meeting(w: _Writer, ev: Events, i: int) -> None:
    rnd, now = w.rnd, w.c.now
    ext_t, ext_i, owner, t = int(ev.ext_type[i]), int(ev.ext_idx[i]), int(ev.owner[i]), int(ev.t[i])
    ext_ref, ext_addr, ext_name, _, fr = w.person(ext_t, ext_i)
    lang = "fr" if fr else "en"
    me_ref, me_addr, _, _ = w.seller(owner)
    allday = rnd.random() < 0.02
    minutes = 1440 if allday else pick(rnd, (30, 45, 60, 60, 90, 120))
    if allday:
        off = int(w.s.offset[owner] * HOUR)
        t -= (t + off) % DAY  # local midnight of the owner
    row = w.common(ev, i)
    row.update({"subject": tx.activity_subject(rnd, "appointment", lang, ext_name)[:400], "description": None,
                "location": pick(rnd, tx.LOCATIONS), "scheduledstart": fast_iso(t),
                "scheduledend": fast_iso(t + minutes * 60),
                "scheduleddurationminutes": minutes, "isalldayevent": allday, "prioritycode": 1})
    if t >= now:
        state, status = (3, 5) if rnd.random() < 0.8 else (0, 2)
        row.update({"statecode": state, "statuscode": status, "actualstart": None, "actualend": None,
                    "actualdurationminutes": None, "createdon": fast_iso(now - _between(rnd, 3600, 10 * 86_400)),
                    "modifiedon": fast_iso(now - _between(rnd, 60, 3600))})
    else:
        canceled = rnd.random() < 0.1
        end = min(t + minutes * 60, now - 1)
        created = t - _between(rnd, 86_400, 14 * 86_400)
        row.update({"statecode": 2 if canceled else 1, "statuscode": 4 if canceled else 3,
                    "actualstart": None if canceled else fast_iso(t), "actualend": None if canceled else fast_iso(end),
                    "actualdurationminutes": None if canceled else minutes, "createdon": fast_iso(created),
                    "modifiedon": fast_iso(end if not canceled else t - _between(rnd, 600, 86_400))})
        if ext_t == EXT_CONTACT and not canceled:
            w.out.last_touch[(ext_i, owner)] = t
    w.out.rows["appointment"].append(row)
    aid = row["activityid"]
    customer_organised = ext_t != EXT_ACCOUNT and rnd.random() < 0.18
    w.party(aid, "appointment", ext_ref if customer_organised else me_ref, 7,
            ext_addr if customer_organised else me_addr)
    w.party(aid, "appointment", ext_ref, 5, ext_addr)
    w.party(aid, "appointment", me_ref, 5, me_addr)
    if rnd.random() < 0.3:
        j = rnd.randrange(len(w.s.ids))
        if j != owner and w.s.left_at[j] < 0:
            w.party(aid, "appointment", w.ref(w.s.ids[j], "systemuser"), 6 if rnd.random() < 0.5 else 5,
                    w.s.emails[j])
    other = w.colleague_contact(ext_t, ext_i, t) if rnd.random() < 0.25 else -1
    if other >= 0:
        w.party(aid, "appointment", w.ref(w.ct.ids[other], "contact"), 6, w.ct.emails[other])


def _task(w: _Writer, ev: Events, i: int) -> None:
    rnd, now = w.rnd, w.c.now
    ext_t, ext_i, t = int(ev.ext_type[i]), int(ev.ext_idx[i]), int(ev.t[i])
    _, _, ext_name, _, fr = w.person(ext_t, ext_i)
    lang = "fr" if fr else "en"
    created = min(t - _between(rnd, 86_400, 10 * 86_400), now - 600)
    row = w.common(ev, i)
    row.update({"subject": tx.activity_subject(rnd, "task", lang, ext_name)[:200], "description": None,
                "scheduledstart": fast_iso(created), "scheduledend": fast_iso(t),
                "prioritycode": pick(rnd, (0, 1, 1, 1, 2)),
                "createdon": fast_iso(created)})
    roll = rnd.random()
    if t >= now or roll > 0.85:
        row.update({"statecode": 0, "statuscode": pick(rnd, (2, 3, 4)), "actualend": None,
                    "actualdurationminutes": None, "modifiedon": fast_iso(created)})
    else:
        done = min(max(t - _between(rnd, 0, 2 * 86_400), created + 600), now - 1)
        canceled = roll > 0.8
        row.update({"statecode": 2 if canceled else 1, "statuscode": 6 if canceled else 5,
                    "actualend": fast_iso(done),
                    "actualdurationminutes": None if canceled else pick(rnd, (15, 30, 60, 90)),
                    "modifiedon": fast_iso(done)})
    w.out.rows["task"].append(row)


def make_activities(c: Ctx, s: Sellers, a: Accounts, ct: Contacts, leads: Deals, opps: Deals,
                    ev: Events) -> Activities:
    """Rows for every event, in time order."""
    w = _Writer(c, s, a, ct, leads, opps)
    handlers = {KIND_EMAIL: _thread, KIND_CALL: _call, KIND_MEETING: _meeting}
    # Plain lists: indexing numpy arrays one element at a time is the slow part of a Python loop.
    ev = Events(*(getattr(ev, f).tolist() for f in ("t", "kind", "owner", "reg_type", "reg_idx", "ext_type",
                                                     "ext_idx", "resp", "source")))
    kinds = ev.kind
    for i, kind in enumerate(kinds):
        if kind == KIND_EMAIL and ev.t[i] >= c.now:
            kind = KIND_CALL
        handlers.get(kind, _task)(w, ev, i)
    return w.out
