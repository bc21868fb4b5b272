"""Demo generator, part 5: the Microsoft Graph side — directory users and mailboxes.

Sellers are Graph users whose ``id`` equals their ``azureactivedirectoryobjectid``; a few more directory
users (other departments) have no CRM record. Each seller's mailbox holds a copy of every CRM e-mail
they sent or received (same ``internetMessageId``, a per-copy Graph ``id``), plus mail the CRM never saw:
threads with colleagues, with people outside the CRM, untracked mail with CRM contacts, and newsletters
and no-reply notifications.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from emulator import seed_text as tx
from emulator.seed_activity import MailCopy
from emulator.seed_people import ORG_DOMAIN, Contacts, Ctx, Sellers
from emulator.seed_util import DAY, HOUR, fast_iso, guids


def _addr(name: str, address: str) -> dict[str, Any]:
    return {"emailAddress": {"name": name, "address": address}}


def make_directory(c: Ctx, s: Sellers) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Graph users: the sellers, then colleagues from other departments (not CRM users)."""
    users = []
    for i, row in enumerate(s.rows):
        users.append({"id": s.aad[i], "displayName": s.names[i], "givenName": row["firstname"],
                      "surname": row["lastname"], "mail": s.emails[i], "userPrincipalName": s.emails[i],
                      "jobTitle": row["title"], "accountEnabled": bool(s.left_at[i] < 0)})
    others: list[tuple[str, str]] = []
    for gid in guids(c.rng, c.count(5)):
        first, last = tx.person(c.rnd, c.rnd.choice(("en", "fr")))
        mail = c.unique_email(f"{tx.ascii_slug(first)}.{tx.ascii_slug(last)}", ORG_DOMAIN)
        others.append((f"{first} {last}", mail))
        users.append({"id": gid, "displayName": f"{first} {last}", "givenName": first, "surname": last,
                      "mail": mail, "userPrincipalName": mail,
                      "jobTitle": c.rnd.choice(("Engineer", "Finance Manager", "Product Manager", "Legal Counsel",
                                                "Support Lead", "Marketing Specialist")), "accountEnabled": True})
    return users, others


class _Boxes:
    def __init__(self, c: Ctx, s: Sellers) -> None:
        self.c, self.s = c, s
        self.boxes: dict[str, list[dict[str, Any]]] = {aad: [] for aad in s.aad}
        self.topics: dict[str, list[str]] = {}
        self._addrs: dict[tuple[str, str], dict[str, Any]] = {}

    def addr(self, name: str, address: str) -> dict[str, Any]:
        """A (shared, read-only) Graph recipient value."""
        key = (name, address)
        value = self._addrs.get(key)
        if value is None:
            value = self._addrs[key] = _addr(name, address)
        return value

    def put(self, box: int, subject: str, body: str, frm: tuple[str, str], to: list[tuple[str, str]],
            cc: list[tuple[str, str]], sent: int, conv: str, msgid: str) -> None:
        rnd = self.c.rnd
        own = self.s.emails[box] == frm[1]
        sender = self.addr(*frm)
        received = sent if own else min(sent + 1 + int(rnd.random() * 90), self.c.now - 1)
        gid = "AAMkAG" + base64.urlsafe_b64encode(rnd.randbytes(33)).decode()
        self.boxes[self.s.aad[box]].append({
            "id": gid, "subject": subject, "body": {"contentType": "html", "content": body},
            "from": sender, "sender": sender, "toRecipients": [self.addr(*x) for x in to],
            "ccRecipients": [self.addr(*x) for x in cc], "sentDateTime": fast_iso(sent),
            "receivedDateTime": fast_iso(received),
            "conversationId": conv, "internetMessageId": msgid, "isDraft": False})

    def new_ids(self, domain: str) -> tuple[str, str]:
        rnd = self.c.rnd
        conv = "AAQk" + base64.urlsafe_b64encode(rnd.getrandbits(144).to_bytes(18, "big")).decode()
        return conv, f"<{rnd.getrandbits(96):024x}@{domain}>"


def make_mailboxes(c: Ctx, s: Sellers, ct: Contacts, others: list[tuple[str, str]],
                   mail: list[MailCopy]) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[str]]]:
    """Every seller's mailbox (Graph message JSON) and the personal topics per ``internetMessageId``."""
    b = _Boxes(c, s)
    rnd, now = c.rnd, c.now
    tracked = np.zeros(len(s.ids), dtype=np.int64)
    for m in mail:
        for box in m.mailboxes:
            b.put(box, m.subject, m.body, m.sender, m.to, m.cc, m.sent, m.conversation, m.message_id)
            tracked[box] += 1
        if m.topics:
            b.topics[m.message_id] = m.topics
    outsiders = []
    for _ in range(c.count(40)):
        lang = rnd.choice(("en", "fr"))
        first, last = tx.person(rnd, lang)
        domain = rnd.choice((f"{tx.ascii_slug(rnd.choice(tx.ROOTS))}-partners.example", rnd.choice(tx.FREE_MAIL),
                             f"{tx.ascii_slug(rnd.choice(tx.ROOTS))}-group.example"))
        outsiders.append((f"{first} {last}", f"{tx.ascii_slug(first)}.{tx.ascii_slug(last)}@{domain}", lang))
    colleagues = [(s.names[i], s.emails[i]) for i in range(len(s.ids))] + others
    seller_of = {address: i for i, address in enumerate(s.emails)}
    by_seller: dict[int, list[int]] = {}
    for k in np.flatnonzero(ct.weights[:, 0] > 0).tolist():
        by_seller.setdefault(int(ct.sellers[k, 0]), []).append(k)
    for box in range(len(s.ids)):
        me = (s.names[box], s.emails[box])
        end = int(s.left_at[box]) if s.left_at[box] > 0 else now - HOUR
        volume = int(tracked[box])
        plan = ([0] * int(0.07 * volume) + [1] * int(0.05 * volume) + [2] * int(0.06 * volume)
                + [3] * int(0.08 * volume))
        for kind in plan:
            sent = end - int(rnd.random() * 720 * DAY)
            if kind == 3:
                name, address, subject, body = tx.newsletter(rnd)
                conv, msgid = b.new_ids(address.split("@", 1)[1])
                to = [me] if rnd.random() < 0.5 else [("Sales team", f"sales@{ORG_DOMAIN}")]
                b.put(box, subject, body, (name, address), to, [], sent, conv, msgid)
                continue
            lang = "fr" if s.is_fr[box] else "en"
            topics: tuple[str, ...] = ()
            if kind == 0:
                peer = rnd.choice(colleagues)
                if peer[1] == me[1]:
                    continue
            elif kind == 1:
                name, address, lang = rnd.choice(outsiders)
                peer = (name, address)
            else:
                mine = by_seller.get(box)
                if not mine:
                    continue
                k = rnd.choice(mine)
                if ct.dead_at[k] > 0 and sent > ct.dead_at[k]:
                    sent = int(ct.dead_at[k]) - int(rnd.random() * 90 * DAY)
                if sent < ct.created[k]:
                    continue
                peer, lang = (ct.names[k], ct.emails[k]), "fr" if ct.is_fr[k] else "en"
                if rnd.random() < 0.1:
                    topics = (rnd.choice(tx.TOPICS),)
            subject = tx.activity_subject(rnd, "email", lang, peer[0])
            conv, _ = b.new_ids(ORG_DOMAIN)
            incoming = rnd.random() < 0.5
            for depth in range(rnd.choice((1, 1, 2, 3))):
                frm, to = (peer, me) if incoming else (me, peer)
                body = tx.email_body(rnd, lang, to[0].split(" ")[0], frm[0], topics=topics if incoming else ())
                _, msgid = b.new_ids(frm[1].split("@", 1)[1])
                subj = subject if depth == 0 else tx.reply_subject(subject, lang)
                b.put(box, subj, body, frm, [to], [], sent, conv, msgid)
                if incoming and topics:
                    b.topics[msgid] = tx.topics_in(body, topics)
                peer_box = seller_of.get(peer[1], -1) if kind == 0 else -1
                if peer_box >= 0:
                    b.put(peer_box, subj, body, frm, [to], [], sent, conv, msgid)
                sent += int(rnd.uniform(0.2, 30) * HOUR)
                if sent >= now:
                    break
                incoming = not incoming
    for messages in b.boxes.values():
        messages.sort(key=lambda m: (m["receivedDateTime"], m["id"]))
    return b.boxes, b.topics
