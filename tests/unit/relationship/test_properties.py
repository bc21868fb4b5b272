"""Property tests (hypothesis): the monotone constraints hold for every model the fit can produce.

A fitted model is any set of integer points that respects each indicator's sign, so the properties are
checked for random such models, not only the hand-set one.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connector import schema
from connector.insights.relationship import HealthModel, RelationshipSettings, compute_relationships
from connector.insights.relationship.indicators import ALL, indicators
from connector.insights.relationship.logistic import fit_signed, to_points
from connector.insights.relationship.model import applicable, hand_set

from .builders import NOW, Org

DEFAULTS = RelationshipSettings()
SPECS = indicators(DEFAULTS)
CONTACT_SPECS = applicable(SPECS, "contact")
OTHERS = {e: hand_set(e, SPECS, DEFAULTS, "default", "") for e in ALL}

# One exchange: (hours before now, kind, who starts, reply delay in hours or None for no reply)
exchange = st.tuples(st.floats(1, 24 * 150), st.sampled_from(["email", "meeting", "call"]), st.booleans(),
                     st.one_of(st.none(), st.floats(0.1, 24 * 6)))
# Any model the fit could produce: each indicator's points of its own sign (or 0).
models = st.lists(st.integers(0, 12), min_size=len(CONTACT_SPECS), max_size=len(CONTACT_SPECS)).map(
    lambda sizes: HealthModel(entity="contact", kind="fitted", good_min=60, fair_min=40, points={
        spec.name: spec.sign * size for spec, size in zip(CONTACT_SPECS, sizes, strict=True) if size}))


def _org(history: list[tuple[float, str, bool, float | None]]) -> Org:
    org = Org().user("u1").user("u2").contact("c1").contact("c2")
    for i, (hours, kind, ours, delay) in enumerate(history):
        when = NOW - pd.Timedelta(hours=hours)
        us, them = ("u1", "c1") if i % 3 else ("u2", "c2")
        if kind == "meeting":
            org.meeting(f"m{i}", str(when), us if ours else them, [them if ours else us], duration=30)
        elif kind == "call":
            org.call(f"p{i}", str(when), us if ours else them, them if ours else us, outgoing=ours, duration=10)
        else:
            sender, to = (us, them) if ours else (them, us)
            org.email(f"e{i}", str(when), sender, [to], subject=f"topic {i}")
            if delay is not None and when + pd.Timedelta(hours=delay) <= NOW:
                org.email(f"r{i}", str(when + pd.Timedelta(hours=delay)), to, [sender], subject=f"Re: topic {i}")
    return org


def _score(org: Org, model: HealthModel) -> float:
    out = compute_relationships(org.frames(), now=NOW, models={**OTHERS, "contact": model})
    return json.loads(out["contact"].loc["c1", "osi_healthreasons"])["score"]


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(exchange, max_size=12), st.floats(0, 24 * 80), st.booleans(),
       st.floats(0, DEFAULTS.response_target_hours), st.sampled_from(["email", "meeting", "call"]), models)
def test_more_recent_two_way_contact_never_lowers_health(history, hours, ours, delay, kind, model) -> None:
    """Two-way contact in the last 90 days (answered within the target time) never lowers the score."""
    before = _score(_org(history), model)
    org = _org(history)
    when = NOW - pd.Timedelta(hours=hours + delay)
    first, second = ("u1", "c1") if ours else ("c1", "u1")
    if kind == "email":  # a message answered within the target response time
        org.email("new", str(when), first, [second], subject="brand new topic")
        org.email("new-re", str(when + pd.Timedelta(hours=delay)), second, [first], subject="Re: brand new topic")
    elif kind == "meeting":
        org.meeting("new", str(when), first, [second], duration=30)
    else:
        org.call("new", str(when), first, second, outgoing=ours, duration=10)
    assert _score(org, model) >= before


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(exchange, max_size=12), st.floats(0, 24 * 400), models)
def test_an_unanswered_outbound_email_never_raises_health(history, hours, model) -> None:
    before = _score(_org(history), model)
    org = _org(history)
    org.email("lonely", str(NOW - pd.Timedelta(hours=hours)), "u1", ["c1"], subject="nobody answers this")
    assert _score(org, model) <= before


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(20, 200), st.integers(1, 8))
def test_fitted_weights_and_points_keep_their_signs(seed: int, n: int, k: int) -> None:
    """Whatever the data, a "+" step never gets negative weight or points and a "−" step never positive ones.

    The labels are drawn against the signs (a "+" step makes the label *less* likely), so an unconstrained
    fit would give the wrong signs: the bounds are what keeps them.
    """
    rng = np.random.default_rng(seed)
    x = (rng.random((n, k)) < rng.uniform(0.1, 0.9, k)).astype(np.int8)
    signs = [int(v) for v in rng.choice([-1, 1], size=k)]
    logit = -(x * np.array(signs)).sum(axis=1) * rng.uniform(0, 3) + rng.normal(0, 1, n)
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    _b0, w = fit_signed(x, y, signs)
    assert all(wj * sg >= 0 for wj, sg in zip(w.tolist(), signs, strict=True))
    points = to_points(_b0, w)
    if points is not None:
        assert sum(abs(p) for p in points) == 100
        assert all(p * sg >= 0 for p, sg in zip(points, signs, strict=True))


def test_the_fit_keeps_to_the_signs() -> None:
    """What the fit may produce: every indicator is either a "more is better" or a "more is worse" step."""
    for spec in SPECS:
        assert spec.sign in (1, -1)
        bad = spec.name.startswith(("unanswered_", "canceled_", "older_than_won", "slipped"))
        assert (spec.sign == -1) == bad, spec.name


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(1, 7), st.floats(0, 1), st.floats(0.5, 20))
def test_trend_is_steady_when_nothing_changes(period_days, phase, delay) -> None:
    """A relationship that keeps the same rhythm for a year is Steady, and re-running changes nothing."""
    org = Org().user("u1").contact("c1")
    t, i = NOW - pd.Timedelta(days=365 - phase * period_days), 0
    while t <= NOW:
        org.email(f"e{i}", str(t), "u1", ["c1"], subject=f"s{i}")
        if t + pd.Timedelta(hours=delay) <= NOW:
            org.email(f"r{i}", str(t + pd.Timedelta(hours=delay)), "c1", ["u1"], subject=f"Re: s{i}")
        t, i = t + pd.Timedelta(days=period_days), i + 1
    first = compute_relationships(org.frames(), now=NOW)
    assert first["contact"].loc["c1", "osi_healthtrend"] == schema.TREND.value("Steady")
    again = compute_relationships(org.frames(), now=NOW, previous=first)
    pd.testing.assert_frame_equal(again["contact"], first["contact"])
