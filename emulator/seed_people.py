"""Demo generator, part 1: business units, sellers, accounts and contacts (with their latent factors).

Each builder returns a small dataclass of column arrays (what later parts need: ids, languages, owners,
latents) plus the finished Dataverse rows. Latents are kept for the truth sidecar.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from emulator import seed_text as tx
from emulator.seed_util import DAY, business_time, choice_idx, guids, iso_list, lookup
from emulator.timezones import code_for

ORG_DOMAIN = "osidemo.example"
EN_ZONES = (("Europe/London", 0.0), ("America/New_York", -5.0), ("America/Chicago", -6.0),
            ("America/Los_Angeles", -8.0))
FR_ZONES = (("Europe/Paris", 1.0), ("Europe/Paris", 1.0), ("Europe/Paris", 1.0), ("America/Toronto", -5.0))
CLASSES = ("steady", "warming", "cooling", "dead")
INDUSTRY_EFFECT = {6: 0.2, 7: 0.4, 12: 0.0, 16: 0.5, 20: 0.3, 30: -0.3, 17: -0.2, 22: -0.4, 11: 0.1, 31: 0.2,
                   33: -0.1, 3: -0.5}
"""Latent effect of an industry on lead/opportunity outcomes (log-odds)."""


@dataclass
class Ctx:
    """Shared generator state: random sources, reference time, scale."""

    rng: np.random.Generator
    rnd: random.Random
    now: int
    scale: float
    used_emails: set[str] = field(default_factory=set)

    def count(self, per_unit: int) -> int:
        """``per_unit`` items per scale unit, at least one (sizes below S scale every count down)."""
        return max(1, round(per_unit * self.scale))

    def unique_email(self, local: str, domain: str) -> str:
        """``local@domain``, with a numeric suffix if that address is already taken."""
        local = local or "contact"
        address, n = f"{local}@{domain}", 1
        while address in self.used_emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.used_emails.add(address)
        return address


@dataclass
class Sellers:
    """Internal users: ids, names, languages, zones, leave times (``-1`` while employed)."""

    ids: list[str]
    aad: list[str]
    names: list[str]
    firsts: list[str]
    emails: list[str]
    is_fr: np.ndarray
    tz: list[str]
    offset: np.ndarray
    left_at: np.ndarray
    rows: list[dict[str, Any]]
    bu_rows: list[dict[str, Any]]
    settings_rows: list[dict[str, Any]] = field(default_factory=list)
    """One ``usersettings`` row per seller: the Dataverse time zone matching ``tz`` and the UI language."""

    def active(self) -> np.ndarray:
        """Indices of sellers still employed."""
        return np.flatnonzero(self.left_at < 0)


def phone(rng: np.random.Generator, country: str) -> str:
    """A fictional phone number in the country's usual format."""
    d = rng.integers(0, 10, size=8)
    s = "".join(map(str, d.tolist()))
    if country in ("France", "Belgium", "Switzerland"):
        code = {"France": "+33", "Belgium": "+32", "Switzerland": "+41"}[country]
        return f"{code} {1 + d[0] % 7} {s[0:2]} {s[2:4]} {s[4:6]} {s[6:8]}"
    if country in ("United States", "Canada"):
        return f"+1 {200 + int(s[:3]) % 800}-555-0{s[3:6]}"
    if country == "Germany":
        return f"+49 30 {s[:4]} {s[4:]}"
    return f"+44 20 {s[:4]} {s[4:]}"


def make_sellers(c: Ctx) -> Sellers:
    """About 20 sellers per scale unit, half French-speaking, one in twenty having left the company."""
    # At least eight, so that both languages keep active sellers after the leavers (smallest sizes).
    n = max(8, c.count(20))
    rng, rnd = c.rng, c.rnd
    bu_ids = guids(rng, 3)
    bu_rows = [{"businessunitid": bu_ids[0], "name": "OSI Demo"},
               {"businessunitid": bu_ids[1], "name": "Sales EMEA"},
               {"businessunitid": bu_ids[2], "name": "Sales Americas"}]
    ids, aad = guids(rng, n), guids(rng, n)
    is_fr = np.zeros(n, dtype=bool)
    is_fr[rng.permutation(n)[: n // 2]] = True
    left_at = np.full(n, -1, dtype=np.int64)
    leavers = rng.permutation(n)[: max(1, n // 20)]
    left_at[leavers] = c.now - rng.integers(120, 300, size=len(leavers)) * DAY
    created = c.now - rng.integers(760, 1100, size=n) * DAY
    names, firsts, emails, tz, offset, rows, settings = [], [], [], [], np.zeros(n), [], []
    created_iso = iso_list(created)
    modified_iso = iso_list(np.where(left_at > 0, left_at, created + 30 * DAY))
    for i in range(n):
        lang = "fr" if is_fr[i] else "en"
        first, last = tx.person(rnd, lang)
        email = c.unique_email(f"{tx.ascii_slug(first)}.{tx.ascii_slug(last)}", ORG_DOMAIN)
        zone, off = rnd.choice(FR_ZONES if is_fr[i] else EN_ZONES)
        names.append(f"{first} {last}")
        firsts.append(first)
        emails.append(email)
        tz.append(zone)
        offset[i] = off
        bu = bu_ids[2] if off < -1 else bu_ids[1]
        rows.append({"systemuserid": ids[i], "firstname": first, "lastname": last, "fullname": f"{first} {last}",
                     "internalemailaddress": email, "domainname": email, "azureactivedirectoryobjectid": aad[i],
                     "isdisabled": bool(left_at[i] > 0), "title": rnd.choice(tx.SELLER_TITLES[lang]),
                     "businessunitid": lookup(bu, "businessunit"), "createdon": created_iso[i],
                     "modifiedon": modified_iso[i]})
        # No random draw here: adding the settings leaves every other generated value as it was.
        settings.append({"systemuserid": ids[i], "timezonecode": code_for(zone),
                         "uilanguageid": 1036 if is_fr[i] else 1033, "createdon": created_iso[i],
                         "modifiedon": created_iso[i]})
    return Sellers(ids, aad, names, firsts, emails, is_fr, tz, offset, left_at, rows, bu_rows, settings)


def pick_seller(c: Ctx, s: Sellers, fr: np.ndarray, p_same: float = 0.9) -> np.ndarray:
    """For each item, an active seller who speaks its language with probability ``p_same``."""
    active = s.active()
    act_fr, act_en = active[s.is_fr[active]], active[~s.is_fr[active]]
    same = c.rng.random(len(fr)) < p_same
    want_fr = np.where(same, fr, ~fr)
    pick_fr = act_fr[c.rng.integers(0, len(act_fr), size=len(fr))]
    pick_en = act_en[c.rng.integers(0, len(act_en), size=len(fr))]
    return np.where(want_fr, pick_fr, pick_en)


@dataclass
class Accounts:
    """Accounts: ids, names, domains, countries, languages, sizes, industries, owners, creation times."""

    ids: list[str]
    names: list[str]
    domains: list[str]
    country: list[str]
    is_fr: np.ndarray
    employees: np.ndarray
    industry: np.ndarray
    is_customer: np.ndarray
    owner: np.ndarray
    created: np.ndarray
    rows: list[dict[str, Any]]


def make_accounts(c: Ctx, s: Sellers) -> Accounts:
    """300 accounts per scale unit across seven countries, with parent accounts for a few."""
    n = c.count(300)
    rng, rnd = c.rng, c.rnd
    ci = choice_idx(rng, [x[1] for x in tx.COUNTRIES], n)
    is_fr = rng.random(n) < np.array([x[2] for x in tx.COUNTRIES])[ci]
    codes = np.array(list(INDUSTRY_EFFECT))
    industry = codes[choice_idx(rng, [9, 9, 8, 8, 6, 5, 5, 6, 4, 4, 5, 3], n)]
    employees = np.clip(np.exp(rng.normal(np.log(180), 1.4, n)), 2, 200_000).astype(np.int64)
    revenue = np.round(employees * np.exp(rng.normal(np.log(150_000), 0.5, n)), 2)
    ctype = np.array([3, 8, 5, 9])[choice_idx(rng, [60, 25, 8, 7], n)]
    owner = pick_seller(c, s, is_fr)
    created = business_time(rng, c.now - rng.integers(30, 900, size=n) * DAY, s.offset[owner])
    modified = np.minimum(created + rng.integers(0, 400, size=n) * DAY, c.now - rng.integers(0, 20, size=n) * DAY)
    modified = np.maximum(modified, created)
    state = (rng.random(n) < 0.05).astype(int)
    ids = guids(rng, n)
    ci_iso, mo_iso = iso_list(created), iso_list(modified)
    names: list[str] = []
    domains: list[str] = []
    seen_names: set[str] = set()
    rows = []
    order = np.argsort(created, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    for i in range(n):
        country, _, _, cities, _, forms = tx.COUNTRIES[ci[i]]
        name = tx.company(rnd, forms)
        base, k = name, 1
        while name in seen_names:
            k += 1
            name = f"{base} ({k})"
        seen_names.add(name)
        slug = tx.ascii_slug(name.rsplit(" ", 1)[0])[:24] or "company"
        domain = f"{slug}{k if k > 1 else ''}.example"
        names.append(name)
        domains.append(domain)
        parent = None
        if rank[i] > 10 and rng.random() < 0.07:
            parent = ids[order[rng.integers(0, rank[i])]]
        rows.append({
            "accountid": ids[i], "name": name, "emailaddress1": f"{rnd.choice(('info', 'contact', 'hello'))}@{domain}",
            "websiteurl": f"https://www.{domain}", "telephone1": phone(rng, country),
            "address1_city": rnd.choice(cities), "address1_country": country, "industrycode": int(industry[i]),
            "numberofemployees": int(employees[i]), "revenue": float(revenue[i]),
            "accountcategorycode": 1 if rng.random() < 0.25 else 2, "customertypecode": int(ctype[i]),
            "description": None if rng.random() < 0.5 else f"{name}: {tx.INDUSTRY_LABEL.get(int(industry[i]), '')}",
            "primarycontactid": None, "parentaccountid": lookup(parent, "account"),
            "ownerid": lookup(s.ids[owner[i]], "systemuser"), "statecode": int(state[i]),
            "statuscode": int(state[i]) + 1, "createdon": ci_iso[i], "modifiedon": mo_iso[i]})
    return Accounts(ids, names, domains, [tx.COUNTRIES[i][0] for i in ci], is_fr, employees, industry,
                    ctype == 3, owner, created, rows)


@dataclass
class Contacts:
    """Contacts with their latent relationship (class, engagement, responsiveness, seller weights)."""

    ids: list[str]
    firsts: list[str]
    names: list[str]
    emails: list[str]
    phones: list[str]
    account: np.ndarray
    is_fr: np.ndarray
    seniority: np.ndarray
    created: np.ndarray
    cls: np.ndarray
    engagement: np.ndarray
    responsiveness: np.ndarray
    dead_at: np.ndarray
    sellers: np.ndarray
    weights: np.ndarray
    rows: list[dict[str, Any]]
    by_account: dict[int, list[int]]


def make_contacts(c: Ctx, s: Sellers, a: Accounts) -> Contacts:
    """1,500 contacts per scale unit: every account gets one, the rest go to accounts by size; 8 % have none."""
    n = c.count(1500)
    rng, rnd = c.rng, c.rnd
    na = len(a.ids)
    account = np.full(n, -1, dtype=np.int64)
    account[:na] = rng.permutation(na)
    w = (np.log(a.employees) + 1.0) * rng.gamma(2.0, 1.0, na)
    rest = np.arange(na, n)
    attached = rest[rng.random(len(rest)) < 0.91]
    account[attached] = choice_idx(rng, w, len(attached))
    has_acc = account >= 0
    is_fr = np.where(has_acc, a.is_fr[np.maximum(account, 0)], rng.random(n) < 0.5)
    acc_created = np.where(has_acc, a.created[np.maximum(account, 0)], c.now - 800 * DAY)
    span = np.maximum(c.now - 5 * DAY - acc_created, DAY)
    created = acc_created + (rng.random(n) ** 1.3 * span).astype(np.int64)
    # Each account's first contact comes with it (whoever the account was opened for).
    created[:na] = acc_created[:na] + (rng.random(na) * 3 * DAY).astype(np.int64)
    cls = choice_idx(rng, [35, 20, 20, 25], n)
    engagement = np.exp(rng.normal(np.log(1.2), 0.75, n))
    responsiveness = rng.normal(0, 1, n)
    dead_at = np.full(n, -1, dtype=np.int64)
    dead = cls == 3
    dead_at[dead] = c.now - rng.integers(200, 520, size=int(dead.sum())) * DAY
    dead_at[dead] = np.maximum(dead_at[dead], created[dead] + 60 * DAY)
    dead_at[dead] = np.minimum(dead_at[dead], c.now - 190 * DAY)
    # Relationship owners: the account owner is usually the strongest; one or two colleagues share the rest.
    primary = np.where(has_acc & (rng.random(n) < 0.7), a.owner[np.maximum(account, 0)], pick_seller(c, s, is_fr))
    second, third = pick_seller(c, s, is_fr, 0.7), pick_seller(c, s, is_fr, 0.7)
    w1 = rng.uniform(0.55, 0.85, n)
    w2 = (1 - w1) * rng.uniform(0.5, 1.0, n)
    weights = np.stack([w1, w2, 1 - w1 - w2], axis=1)
    sellers = np.stack([primary, second, third], axis=1)
    same = sellers[:, 1:] == sellers[:, :1]
    weights[:, 1:][same] = 0.0
    weights /= weights.sum(axis=1, keepdims=True)
    state = (dead & (rng.random(n) < 0.35)).astype(int)
    modified = np.where(dead, dead_at + 30 * DAY, c.now - rng.integers(0, 60, size=n) * DAY)
    modified = np.clip(np.maximum(modified, created), None, c.now)
    ids = guids(rng, n)
    cr_iso, mo_iso = iso_list(created), iso_list(modified)
    firsts, names, emails, phones, seniority, rows = [], [], [], [], np.zeros(n, dtype=np.int64), []
    by_account: dict[int, list[int]] = {}
    for i in range(n):
        lang = "fr" if is_fr[i] else "en"
        first, last = tx.person(rnd, lang)
        title, seniority[i] = tx.job(rnd, lang)
        acc = int(account[i])
        if acc >= 0:
            by_account.setdefault(acc, []).append(i)
        domain = a.domains[acc] if acc >= 0 and rng.random() > 0.07 else rnd.choice(tx.FREE_MAIL)
        email = c.unique_email(f"{tx.ascii_slug(first)}.{tx.ascii_slug(last)}", domain)
        country = a.country[acc] if acc >= 0 else ("France" if lang == "fr" else "United States")
        tel = phone(rng, country)
        firsts.append(first)
        names.append(f"{first} {last}")
        emails.append(email)
        phones.append(tel)
        rows.append({
            "contactid": ids[i], "firstname": first, "lastname": last, "fullname": f"{first} {last}",
            "emailaddress1": email, "telephone1": tel,
            "mobilephone": phone(rng, country) if rng.random() < 0.6 else None,
            "jobtitle": title, "description": None, "preferredcontactmethodcode": int(rng.choice([1, 2, 2, 3])),
            "donotemail": bool(rng.random() < 0.04),
            "parentcustomerid": lookup(a.ids[acc], "account") if acc >= 0 else None,
            "ownerid": lookup(s.ids[primary[i]], "systemuser"), "statecode": int(state[i]),
            "statuscode": int(state[i]) + 1, "createdon": cr_iso[i], "modifiedon": mo_iso[i]})
    for acc, members in by_account.items():
        best = max(members, key=lambda j: (cls[j] != 3, engagement[j]))
        a.rows[acc]["primarycontactid"] = lookup(ids[best], "contact")
    return Contacts(ids, firsts, names, emails, phones, account, is_fr, seniority, created, cls, engagement,
                    responsiveness, dead_at, sellers, weights, rows, by_account)
