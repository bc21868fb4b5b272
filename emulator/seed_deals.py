"""Demo generator, part 2: leads and opportunities, with outcomes driven by latent factors.

Each record gets latents (engagement ``e``, responsiveness ``r``, buying intent ``u``, and for
opportunities stage velocity ``v``), observed attributes that depend on them *noisily* (budget status,
timeframe, need, seniority, source, industry, size, value), and an outcome drawn from
``sigmoid(logit + noise)``. Nothing observable is computed from the outcome itself: ``closeprobability``
and ``salesstage`` of a closed opportunity are what the seller knew before the close (functions of
latents and stage), and activities are generated from ``e``/``r`` and mostly fall before the close.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np

from emulator import seed_text as tx
from emulator.seed_people import INDUSTRY_EFFECT, Accounts, Contacts, Ctx, Sellers, phone, pick_seller
from emulator.seed_util import DAY, HOUR, business_time, choice_idx, date_list, guids, iso_list, lookup, sigmoid

SOURCE_EFFECT = {1: -0.5, 2: 0.7, 3: 0.5, 4: 0.6, 5: -0.2, 6: 0.2, 7: 0.0, 8: -0.3, 9: 0.8, 10: -0.4}
SOURCE_WEIGHT = (10, 6, 7, 8, 4, 8, 10, 30, 9, 8)
MIN_CLOSED = 40


@dataclass
class Deals:
    """Leads or opportunities: what the activity generator and the truth need."""

    ids: list[str]
    owner: np.ndarray
    is_fr: np.ndarray
    created: np.ndarray
    end: np.ndarray
    closed: np.ndarray
    won: np.ndarray
    engagement: np.ndarray
    responsiveness: np.ndarray
    propensity: np.ndarray
    person: np.ndarray
    account: np.ndarray
    names: list[str]
    firsts: list[str]
    emails: list[str]
    phones: list[str]
    latents: dict[str, np.ndarray]
    rows: list[dict[str, Any]]
    stage: np.ndarray | None = None
    stage_entries: np.ndarray | None = None


def _ensure_both(propensity: np.ndarray, closed: np.ndarray, won: np.ndarray) -> np.ndarray:
    """Flip the most borderline closed outcomes until each class has at least ``MIN_CLOSED`` records."""
    won = won.copy()
    for want in (True, False):
        have = int((won[closed] == want).sum())
        if have >= MIN_CLOSED:
            continue
        cand = np.flatnonzero(closed & (won != want))
        order = cand[np.argsort(-propensity[cand] if want else propensity[cand], kind="stable")]
        won[order[: MIN_CLOSED - have]] = want
    return won


def _touched(rng: np.random.Generator, created: np.ndarray, now: int) -> np.ndarray:
    """When an open record was last edited: some time between its creation and ``now``."""
    return created + (rng.random(len(created)) * np.maximum(now - HOUR - created, 0)).astype(np.int64)


def _ordinal_obs(rng: np.random.Generator, center: np.ndarray, hi: int, missing: float) -> list[int | None]:
    vals = np.clip(np.round(center + rng.normal(0, 0.7, len(center))), 0, hi).astype(int)
    miss = rng.random(len(center)) < missing
    return [None if m else int(v) for v, m in zip(vals.tolist(), miss.tolist(), strict=True)]


def make_leads(c: Ctx, s: Sellers, a: Accounts, ct: Contacts) -> Deals:
    """1,000 leads per scale unit over two years; about a third come from existing accounts."""
    n = c.count(1000)
    rng, rnd = c.rng, c.rnd
    created = c.now - (rng.random(n) ** 0.9 * 728 * DAY).astype(np.int64) - 2 * DAY
    existing = rng.random(n) < 0.35
    acc = np.where(existing, rng.integers(0, len(a.ids), n), -1)
    existing &= a.created[np.maximum(acc, 0)] < created
    acc = np.where(existing, acc, -1)
    ci = choice_idx(rng, [x[1] for x in tx.COUNTRIES], n)
    is_fr = np.where(existing, a.is_fr[np.maximum(acc, 0)], rng.random(n) < np.array([x[2] for x in tx.COUNTRIES])[ci])
    codes = np.array(list(INDUSTRY_EFFECT))
    industry = np.where(existing, a.industry[np.maximum(acc, 0)], codes[rng.integers(0, len(codes), n)])
    employees = np.where(existing, a.employees[np.maximum(acc, 0)],
                         np.clip(np.exp(rng.normal(np.log(120), 1.5, n)), 1, 100_000)).astype(np.int64)
    source = choice_idx(rng, SOURCE_WEIGHT, n) + 1
    e, r, u = rng.normal(0, 1, n), rng.normal(0, 1, n), rng.normal(0, 1, n)
    freemail = ~existing & (rng.random(n) < 0.14)
    donotemail = rng.random(n) < 0.05
    seniority = np.zeros(n, dtype=np.int64)
    titles = []
    for i in range(n):
        t, seniority[i] = tx.job(rnd, "fr" if is_fr[i] else "en")
        titles.append(t)
    size_eff = 0.6 - 0.35 * (np.log10(np.maximum(employees, 1)) - 2.4) ** 2
    logit = (-1.0 + np.vectorize(SOURCE_EFFECT.get)(source) + np.vectorize(INDUSTRY_EFFECT.get)(industry)
             + size_eff + 0.25 * (seniority - 1.5) + 0.9 * u + 0.6 * e + 0.5 * r - 0.6 * freemail
             - 0.3 * donotemail + 0.5 * existing + rng.normal(0, 0.7, n))
    p = sigmoid(logit)
    duration = np.clip(np.exp(rng.normal(np.log(21), 0.7, n) - 0.2 * e), 1, 180) * DAY
    end = (created + duration).astype(np.int64)
    closed = end < c.now - 12 * HOUR
    won = _ensure_both(p, closed, rng.random(n) < p)
    end = np.where(closed, end, c.now)
    owner = np.where(existing, a.owner[np.maximum(acc, 0)], pick_seller(c, s, is_fr))
    created = business_time(rng, created, s.offset[owner])
    end = np.where(closed, np.maximum(business_time(rng, end, s.offset[owner]), created + HOUR), c.now)
    contact = np.full(n, -1, dtype=np.int64)
    budget = np.round(np.exp(rng.normal(np.log(20_000) + 0.5 * u, 0.6)), -2)
    budget_missing = rng.random(n) < 0.45
    bstat = _ordinal_obs(rng, 1.5 + 0.9 * u, 3, 0.35)
    frame = _ordinal_obs(rng, 2.0 - 0.9 * u, 4, 0.30)
    need = _ordinal_obs(rng, 1.3 - 0.8 * u, 3, 0.40)
    ids = guids(rng, n)
    cr_iso, end_iso = iso_list(created), iso_list(end)
    touched_iso = iso_list(_touched(rng, created, c.now))
    names, firsts, emails, phones, rows = [], [], [], [], []
    for i in range(n):
        lang = "fr" if is_fr[i] else "en"
        country = a.country[acc[i]] if existing[i] else tx.COUNTRIES[ci[i]][0]
        if existing[i] and ct.by_account.get(int(acc[i])):
            contact[i] = rnd.choice(ct.by_account[int(acc[i])])
            first, last = ct.names[contact[i]].split(" ", 1)
            email, company = ct.emails[contact[i]], a.names[acc[i]]
            site = f"https://www.{a.domains[acc[i]]}"
        else:
            first, last = tx.person(rnd, lang)
            company = a.names[acc[i]] if existing[i] else tx.company(rnd, tx.COUNTRIES[ci[i]][5])
            domain = rnd.choice(tx.FREE_MAIL) if freemail[i] else (
                a.domains[acc[i]] if existing[i] else tx.ascii_slug(company)[:24] + ".example")
            email = c.unique_email(f"{tx.ascii_slug(first)}.{tx.ascii_slug(last)}", domain)
            site = None if freemail[i] else f"https://www.{domain}"
        product = rnd.choice(tx.PRODUCTS[lang])
        subject = rnd.choice((f"Demande d'information : {product}", f"{company} - {product}", f"Intérêt pour {product}")
                             if lang == "fr" else (f"Interest in {product}", f"{company} - {product}",
                                                   f"Inbound request: {product}"))
        tel = phone(rng, country)
        if closed[i]:
            state, status = (1, 3) if won[i] else (2, int(rnd.choice((4, 5, 6, 6, 7))))
        else:
            state, status = 0, 2 if end[i] - created[i] > 3 * DAY else 1
        names.append(f"{first} {last}")
        firsts.append(first)
        emails.append(email)
        phones.append(tel)
        rows.append({
            "leadid": ids[i], "subject": subject[:300], "firstname": first, "lastname": last,
            "fullname": f"{first} {last}", "companyname": company[:100], "emailaddress1": email, "telephone1": tel,
            "mobilephone": phone(rng, country) if rng.random() < 0.4 else None, "jobtitle": titles[i],
            "websiteurl": site, "leadsourcecode": int(source[i]),
            "industrycode": int(industry[i]), "numberofemployees": int(employees[i]),
            "revenue": float(round(employees[i] * 140_000.0, 2)) if rng.random() < 0.6 else None,
            "budgetamount": None if budget_missing[i] else float(budget[i]), "budgetstatus": bstat[i],
            "purchasetimeframe": frame[i], "need": need[i], "address1_country": country,
            "donotemail": bool(donotemail[i]), "description": None,
            "parentaccountid": lookup(a.ids[acc[i]], "account") if existing[i] else None,
            "parentcontactid": lookup(ct.ids[contact[i]], "contact") if contact[i] >= 0 else None,
            "ownerid": lookup(s.ids[owner[i]], "systemuser"), "statecode": state, "statuscode": status,
            "createdon": cr_iso[i], "modifiedon": end_iso[i] if closed[i] else touched_iso[i]})
    latents = {"engagement": e, "responsiveness": r, "intent": u, "logit": logit}
    return Deals(ids, owner, is_fr, created, end, closed, won, e, r, p, contact, acc, names, firsts, emails, phones,
                 latents, rows)


def _pick_contact(c: Ctx, ct: Contacts, acc: int, owner: int, start: int, end: int) -> int:
    """A contact of the account that is alive over the deal (dead relationships stay dead)."""
    members = [j for j in ct.by_account.get(acc, ()) if ct.created[j] < start
               and (ct.dead_at[j] < 0 or ct.dead_at[j] > end + 30 * DAY)]
    if not members:
        return -1
    preferred = [j for j in members if ct.sellers[j, 0] == owner]
    return int(c.rnd.choice(preferred if preferred and c.rnd.random() < 0.7 else members))


def make_opportunities(c: Ctx, s: Sellers, a: Accounts, ct: Contacts, leads: Deals) -> Deals:
    """600 opportunities per scale unit; qualified leads of existing accounts become some of them."""
    n = c.count(600)
    rng, rnd = c.rng, c.rnd
    q = np.flatnonzero(leads.closed & leads.won & (leads.account >= 0))[: int(0.3 * n)]
    origin = np.full(n, -1, dtype=np.int64)
    origin[: len(q)] = q
    w = np.where(a.is_customer, 3.0, 1.0) * a.employees ** 0.3
    acc = choice_idx(rng, w, n)
    acc[: len(q)] = leads.account[q]
    lo = np.maximum(a.created[acc], c.now - 728 * DAY)
    created = lo + (rng.random(n) * np.maximum(c.now - 2 * DAY - lo, DAY)).astype(np.int64)
    created[: len(q)] = leads.end[q] + HOUR
    owner = np.where(rng.random(n) < 0.8, a.owner[acc], pick_seller(c, s, a.is_fr[acc]))
    created = np.maximum(business_time(rng, created, s.offset[owner]), np.where(origin >= 0, created, 0))
    e, r, u, v = (rng.normal(0, 1, n) for _ in range(4))
    value = np.round(np.exp(rng.normal(np.log(25_000) + 0.25 * np.log10(a.employees[acc] / 200), 0.8)), -2)
    committee = rng.random(n) < sigmoid(np.log(value / 25_000))
    size_eff = 0.6 - 0.35 * (np.log10(np.maximum(a.employees[acc], 1)) - 2.4) ** 2
    logit = (-0.2 + 0.7 * e + 0.5 * r + 0.5 * v + 0.8 * u + np.vectorize(INDUSTRY_EFFECT.get)(a.industry[acc])
             + 0.5 * size_eff - 0.45 * np.log(value / 25_000) + 0.4 * (origin >= 0) + 0.3 * a.is_customer[acc]
             - 0.3 * committee + rng.normal(0, 0.7, n))
    p = sigmoid(logit)
    duration = (np.clip(np.exp(rng.normal(np.log(55), 0.5, n) - 0.35 * v), 7, 300) * DAY).astype(np.int64)
    end = created + duration
    closed = end < c.now - 12 * HOUR
    won = _ensure_both(p, closed, rng.random(n) < p)
    end = np.where(closed, np.maximum(business_time(rng, end, s.offset[owner]), created + HOUR), c.now)
    # What the seller sees: the stage reached (from progress and a noisy read of the deal) and a probability.
    progress = np.clip((np.minimum(end, c.now) - created) / duration, 0, 1)
    pace, read = 3.2 * (0.7 + 0.6 * p), rng.normal(0, 0.6, n)
    stage = np.clip(np.floor(progress * pace + read), 0, 3).astype(int)
    # When each stage began, from the same rule: stage k starts where progress * pace + read reaches k.
    at = np.clip((np.arange(4)[None, :] - read[:, None]) / pace[:, None], 0, 1) * duration[:, None]
    entries = created[:, None] + at.astype(np.int64) + np.arange(4)[None, :]
    seller_view = sigmoid(0.3 * logit + rng.normal(0, 1.2, n))
    closeprob = np.clip(np.round(np.array([10, 25, 50, 70])[stage] * 0.6 + 40 * seller_view), 5, 95).astype(int)
    est_close = created + (duration * np.exp(rng.normal(0, 0.3, n))).astype(np.int64)
    budget = np.round(value * np.exp(rng.normal(0.3 * u, 0.4)), -2)
    budget_missing = rng.random(n) < 0.4
    frame = _ordinal_obs(rng, 2.0 - 0.9 * u, 4, 0.3)
    need = _ordinal_obs(rng, 1.3 - 0.8 * u, 3, 0.35)
    ids = guids(rng, n)
    cr_iso, end_iso, est_iso, close_iso = iso_list(created), iso_list(end), date_list(est_close), date_list(end)
    touched_iso = iso_list(_touched(rng, created, c.now))
    contact = np.full(n, -1, dtype=np.int64)
    names, firsts, emails, phones, rows = [], [], [], [], []
    steps = ("1-Qualify", "2-Develop", "3-Propose", "4-Close")
    for i in range(n):
        lang = "fr" if a.is_fr[acc[i]] else "en"
        if origin[i] >= 0 and leads.person[origin[i]] >= 0:
            contact[i] = leads.person[origin[i]]
        else:
            contact[i] = _pick_contact(c, ct, int(acc[i]), int(owner[i]), int(created[i]), int(end[i]))
        k = contact[i]
        names.append(ct.names[k] if k >= 0 else a.names[acc[i]])
        firsts.append(ct.firsts[k] if k >= 0 else a.names[acc[i]])
        emails.append(ct.emails[k] if k >= 0 else a.rows[acc[i]]["emailaddress1"])
        phones.append(ct.phones[k] if k >= 0 else a.rows[acc[i]]["telephone1"])
        product = rnd.choice(tx.PRODUCTS[lang])
        name = rnd.choice((f"{rng.integers(5, 500)} {product}", f"{a.names[acc[i]]} - {product}", product.capitalize()))
        if closed[i]:
            state, status = (1, 3) if won[i] else (2, 5 if rnd.random() < 0.7 else 4)
        else:
            state, status = 0, 2 if rnd.random() < 0.08 else 1
        rows.append({
            "opportunityid": ids[i], "name": name[:300], "description": None, "estimatedvalue": float(value[i]),
            "estimatedclosedate": est_iso[i], "actualvalue": float(round(value[i] * rng.uniform(0.8, 1.1), -2))
            if closed[i] and won[i] else None, "actualclosedate": close_iso[i] if closed[i] else None,
            "closeprobability": int(closeprob[i]), "salesstage": int(stage[i]), "stepname": steps[stage[i]],
            "budgetamount": None if budget_missing[i] else float(budget[i]), "purchasetimeframe": frame[i],
            "purchaseprocess": 1 if committee[i] else (0 if rng.random() < 0.8 else 2), "need": need[i],
            "customerid": lookup(a.ids[acc[i]], "account"), "parentaccountid": lookup(a.ids[acc[i]], "account"),
            "parentcontactid": lookup(ct.ids[k], "contact") if k >= 0 else None,
            "originatingleadid": lookup(leads.ids[origin[i]], "lead") if origin[i] >= 0 else None,
            "ownerid": lookup(s.ids[owner[i]], "systemuser"), "statecode": state, "statuscode": status,
            "createdon": cr_iso[i], "modifiedon": end_iso[i] if closed[i] else touched_iso[i]})
    latents = {"engagement": e, "responsiveness": r, "intent": u, "velocity": v, "logit": logit}
    return Deals(ids, owner, a.is_fr[acc], created, end, closed, won, e, r, p, contact, acc, names, firsts, emails,
                 phones, latents, rows, stage, entries)


STAGE_NAMES = ("Qualify", "Develop", "Propose", "Close")
_PROCESS_NS = uuid.UUID("5b7c3f0e-8a41-4d2b-9c6e-1f0a2d3b4c5e")


def sales_process(c: Ctx, opps: Deals) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The opportunity sales process: its four stages, and one instance per opportunity.

    Each opportunity passed through the stages up to the one it reached (``salesstage``), in order,
    each entered when the generator's stage rule reached it (so a closed deal's path follows the same
    rule as an open deal's current stage); the instance says where it is (or ended) and since when,
    as Dataverse's business process flow instance does. No random draw: every other table of a seed
    is what it was before.
    """
    stage_ids = [str(uuid.uuid5(_PROCESS_NS, name)) for name in STAGE_NAMES]
    process = str(uuid.uuid5(_PROCESS_NS, "Opportunity Sales Process"))
    stages = [{"processstageid": sid, "stagename": name, "stagecategory": k, "primaryentitytypecode": "opportunity",
               "processid": process} for k, (sid, name) in enumerate(zip(stage_ids, STAGE_NAMES, strict=True))]
    if opps.stage is None or opps.stage_entries is None or not opps.ids:
        return stages, []
    n = len(opps.ids)
    last = np.minimum(opps.end, c.now)
    reached = opps.stage
    started = np.minimum(opps.stage_entries[np.arange(n), reached], last)
    started_iso, created_iso, end_iso = iso_list(started), iso_list(opps.created), iso_list(last)
    rows = []
    for i in range(n):
        closed, won = bool(opps.closed[i]), bool(opps.won[i])
        rows.append({
            "businessprocessflowinstanceid": str(uuid.uuid5(_PROCESS_NS, opps.ids[i])),
            "name": "Opportunity Sales Process", "bpf_opportunityid": lookup(opps.ids[i], "opportunity"),
            "activestageid": lookup(stage_ids[reached[i]], "processstage"), "activestagestartedon": started_iso[i],
            "traversedpath": ",".join(stage_ids[: reached[i] + 1]), "completedon": end_iso[i] if closed else None,
            "statecode": 1 if closed else 0, "statuscode": (2 if won else 3) if closed else 1,
            "createdon": created_iso[i], "modifiedon": end_iso[i] if closed else started_iso[i]})
    return stages, rows
