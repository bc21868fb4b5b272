"""Demo generator, part 3: *when* activities happen (vectorised), before rows are written for them.

An event is one interaction: an e-mail thread, a phone call, a meeting or a task, with a time, an
owner (seller), what it is regarding and the external person involved. Three processes make them:

- per contact, a weekly Poisson process whose rate is the contact's engagement times the shape of its
  relationship class over the last two years (steady; warming: low, then rising over the last 180 days;
  cooling: high, then falling; dead: nothing after its end date) — so the observed 90/180-day activity
  rates follow the class;
- per lead and per opportunity, a count driven by the record's engagement, spread over its open life,
  with a few follow-ups after the close (equally often for both outcomes);
- scheduled future work (meetings, calls, tasks after ``now``) for living relationships and open records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from emulator.seed_deals import Deals
from emulator.seed_people import Accounts, Contacts, Ctx, Sellers, pick_seller
from emulator.seed_util import DAY, HOUR, business_time

KIND_EMAIL, KIND_CALL, KIND_MEETING, KIND_TASK = 0, 1, 2, 3
REG_NONE, REG_ACCOUNT, REG_CONTACT, REG_LEAD, REG_OPP = 0, 1, 2, 3, 4
EXT_NONE, EXT_CONTACT, EXT_LEAD, EXT_ACCOUNT = -1, 0, 1, 2
WEEKS = 105


@dataclass
class Events:
    """Columns of every activity event, sorted by time (numpy arrays; plain lists inside the row loop)."""

    t: Any
    kind: Any
    owner: Any
    reg_type: Any
    reg_idx: Any
    ext_type: Any
    ext_idx: Any
    resp: Any
    source: Any  # 0 relationship, 1 lead, 2 opportunity

    def __len__(self) -> int:
        return len(self.t)


def _shape(cls: np.ndarray, dead_at: np.ndarray, days_ago: np.ndarray, mid: np.ndarray) -> np.ndarray:
    """Relative activity rate of each contact (rows) at each time (columns)."""
    d = days_ago[None, :]
    ramp = np.clip((180 - d) / 180, 0, 1)
    out = np.ones((len(cls), len(days_ago)))
    out = np.where((cls == 1)[:, None], 0.35 + 1.85 * ramp, out)
    out = np.where((cls == 2)[:, None], 1.6 - 1.45 * ramp, out)
    return np.where((cls == 3)[:, None] & (mid[None, :] >= dead_at[:, None]), 0.0, out)


def _relationship(c: Ctx, ct: Contacts) -> tuple[np.ndarray, ...]:
    rng = c.rng
    b = np.arange(WEEKS)
    start = c.now - (b + 1) * 7 * DAY
    mid = start + 7 * DAY // 2
    days_ago = (b + 0.5) * 7
    rate = ct.engagement[:, None] * (7 / 30) * _shape(ct.cls, ct.dead_at, days_ago, mid)
    rate *= mid[None, :] > ct.created[:, None]
    counts = rng.poisson(rate)
    who, week = np.nonzero(counts)
    reps = counts[who, week]
    who, week = np.repeat(who, reps), np.repeat(week, reps)
    t = start[week] + (rng.random(len(who)) * 7 * DAY).astype(np.int64)
    t = np.clip(t, ct.created[who] + HOUR, c.now - HOUR)
    kind = rng.choice(4, size=len(who), p=[0.55, 0.2, 0.12, 0.13])
    # Future: scheduled work for relationships that are alive, at the current rate.
    now_shape = _shape(ct.cls, ct.dead_at, np.array([0.0]), np.array([c.now]))[:, 0]
    fut_n = rng.poisson(ct.engagement * now_shape * 0.6 * (ct.cls != 3))
    fwho = np.repeat(np.arange(len(fut_n)), fut_n)
    ft = c.now + (rng.uniform(2, 30 * 24, len(fwho)) * HOUR).astype(np.int64)
    fkind = rng.choice([KIND_CALL, KIND_MEETING, KIND_TASK], size=len(fwho), p=[0.35, 0.4, 0.25])
    who, t, kind = np.concatenate([who, fwho]), np.concatenate([t, ft]), np.concatenate([kind, fkind])
    cum = np.cumsum(ct.weights[who], axis=1)
    slot = (rng.random(len(who))[:, None] > cum).sum(axis=1).clip(0, 2)
    owner = ct.sellers[who, slot]
    has_acc = ct.account[who] >= 0
    roll = rng.random(len(who))
    reg_type = np.where(roll < 0.55, REG_CONTACT, np.where(roll < 0.85, REG_ACCOUNT, REG_NONE))
    reg_type = np.where(~has_acc & (reg_type == REG_ACCOUNT), REG_CONTACT, reg_type)
    reg_type = np.where((kind != KIND_EMAIL) & (reg_type == REG_NONE), REG_CONTACT, reg_type)
    reg_idx = np.where(reg_type == REG_ACCOUNT, ct.account[who], np.where(reg_type == REG_CONTACT, who, -1))
    return (t, kind, owner, reg_type, reg_idx, np.full(len(who), EXT_CONTACT), who, ct.responsiveness[who],
            np.zeros(len(who), dtype=np.int64), ct.created[who])


def _deal(c: Ctx, d: Deals, base: float, per_eng: float, typical_days: float, power: float,
          kinds_p: list[float], p_future: float, reg: int, ext_type: np.ndarray, ext_idx: np.ndarray,
          src: int) -> tuple[np.ndarray, ...]:
    rng = c.rng
    n = len(d.ids)
    life = np.maximum(d.end - d.created, HOUR)
    lam = (base + per_eng * np.exp(0.6 * d.engagement)) * (life / (typical_days * DAY)) ** power
    counts = rng.poisson(np.clip(lam, 0.3, 200))
    who = np.repeat(np.arange(n), counts)
    t = d.created[who] + (rng.random(len(who)) ** 1.1 * life[who]).astype(np.int64)
    # After the close: a few follow-ups, as often after a win as after a loss.
    post_n = np.where(d.closed & (rng.random(n) < 0.08), rng.integers(1, 3, n), 0)
    pwho = np.repeat(np.arange(n), post_n)
    pt = np.minimum(d.end[pwho] + (rng.uniform(1, 30, len(pwho)) * DAY).astype(np.int64), c.now - HOUR)
    fut_n = np.where(~d.closed & (rng.random(n) < p_future), rng.integers(1, 3, n), 0)
    fwho = np.repeat(np.arange(n), fut_n)
    ft = c.now + (rng.uniform(2, 21 * 24, len(fwho)) * HOUR).astype(np.int64)
    allw = np.concatenate([who, pwho, fwho])
    t = np.concatenate([t, pt, ft])
    kind = np.concatenate([rng.choice(4, size=len(who) + len(pwho), p=kinds_p),
                           rng.choice([KIND_CALL, KIND_MEETING, KIND_TASK], size=len(fwho), p=[0.35, 0.45, 0.2])])
    return (t, kind, d.owner[allw], np.full(len(allw), reg), allw, ext_type[allw], ext_idx[allw],
            d.responsiveness[allw], np.full(len(allw), src), d.created[allw])


def make_events(c: Ctx, s: Sellers, a: Accounts, ct: Contacts, leads: Deals, opps: Deals) -> Events:
    """Every activity event of the organisation, with owners moved off sellers who had left by then."""
    n_leads = len(leads.ids)
    lead_ext = np.full(n_leads, EXT_LEAD)
    opp_ext = np.where(opps.person >= 0, EXT_CONTACT, EXT_ACCOUNT)
    parts = [
        _relationship(c, ct),
        _deal(c, leads, 2.3, 5.2, 21, 0.5, [0.5, 0.3, 0.08, 0.12], 0.45, REG_LEAD, lead_ext,
              np.arange(n_leads), 1),
        _deal(c, opps, 5.2, 14.0, 55, 0.7, [0.5, 0.2, 0.17, 0.13], 0.7, REG_OPP, opp_ext,
              np.where(opps.person >= 0, opps.person, opps.account), 2),
    ]
    cols = [np.concatenate([p[i] for p in parts]) for i in range(10)]
    t, kind, owner = cols[0].astype(np.int64), cols[1].astype(np.int64), cols[2].astype(np.int64)
    ext_type, ext_idx = cols[5].astype(np.int64), cols[6].astype(np.int64)
    gone = (s.left_at[owner] > 0) & (t > s.left_at[owner])
    if gone.any():
        fr = np.where(ext_type == EXT_LEAD, leads.is_fr[np.clip(ext_idx, 0, n_leads - 1)],
                      np.where(ext_type == EXT_ACCOUNT, a.is_fr[np.clip(ext_idx, 0, len(a.ids) - 1)],
                               ct.is_fr[np.clip(ext_idx, 0, len(ct.ids) - 1)]))
        owner = np.where(gone, pick_seller(c, s, fr), owner)
    future = t >= c.now
    snapped = business_time(c.rng, t, s.offset[owner])
    # An office hour later today than ``now`` moves to the day before, not onto ``now`` itself.
    snapped = np.where(~future & (snapped > c.now - HOUR), snapped - DAY, snapped)
    # Past events stay in the past, future ones in the future, after moving to office hours.
    t = np.where(future, np.maximum(snapped, c.now + HOUR),
                 np.minimum(np.maximum(snapped, cols[9].astype(np.int64) + HOUR), c.now - HOUR))
    order = np.argsort(t, kind="stable")
    return Events(t[order], kind[order], owner[order], cols[3][order].astype(np.int64),
                  cols[4][order].astype(np.int64), ext_type[order], ext_idx[order], cols[7][order],
                  cols[8][order].astype(np.int64))
