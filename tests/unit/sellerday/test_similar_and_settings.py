"""Similar won deals; the settings of this area parsed forgivingly; plurals in both languages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from connector import canonical
from connector.feature_settings import parse_settings
from connector.messages import message, percent, plural_category
from connector.pipeline.contract import RunContext
from connector.pipeline.producers import assistant, similar_deals, who_knows_whom

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def _opp(oid: str, state: int, value: float, account: str, **more: object) -> dict[str, object]:
    return {"opportunity_id": oid, "name": oid.upper(), "state_code": state, "estimated_value": value,
            "account_id": account, "sales_stage": 1, "created_on": NOW - timedelta(days=120), **more}


def test_the_closest_won_deals_with_what_they_had_at_the_same_age() -> None:
    opps = [_opp("open", 0, 50_000, "a1", created_on=NOW - timedelta(days=30)),
            _opp("won-near", 1, 60_000, "a2", actual_close_date=NOW - timedelta(days=10)),
            _opp("won-far", 1, 900, "a3", actual_close_date=NOW - timedelta(days=10)),
            _opp("lost", 2, 50_000, "a2", actual_close_date=NOW - timedelta(days=5))]
    accounts = [{"account_id": "a1", "industrycode": "Retail", "numberofemployees": 200},
                {"account_id": "a2", "industrycode": "Retail", "numberofemployees": 250},
                {"account_id": "a3", "industrycode": "Mining", "numberofemployees": 5}]
    acts = [{"activity_id": f"x{i}", "activity_type": "email", "state_code": 1, "regarding_id": "won-near",
             "occurred_on": NOW - timedelta(days=120 - 5 * i)} for i in range(10)]
    frames = {"opportunities": canonical.conform(pd.DataFrame(opps), "opportunities"),
              "accounts": canonical.conform(pd.DataFrame(accounts), "accounts"),
              "activities": canonical.conform(pd.DataFrame(acts), "activities")}
    out = similar_deals.PRODUCER.compute(frames, RunContext(now=NOW, settings=similar_deals.SimilarDealsSettings()))
    rows = out.frames["osi_similardeal"]
    assert rows["osi_similarid"].tolist() == ["won-near"]  # the far one is below min_similarity; lost never counts
    facts = json.loads(rows["osi_details"].iloc[0])
    assert facts["same_industry"] and facts["days_to_close"] == 110
    assert facts["activity_days"] == [0, 5, 10, 15, 20, 25, 30, 35, 40, 45] and facts["activities_total"] == 10
    assert facts["this_created_on"] == "2026-11-07T00:00:00Z" and facts["this_activities"] == 0
    later = similar_deals.PRODUCER.compute(frames, RunContext(now=NOW + timedelta(days=3),
                                                              settings=similar_deals.SimilarDealsSettings()))
    assert later.frames["osi_similardeal"].equals(rows)  # a clock move alone changes nothing stored
    kept = similar_deals.PRODUCER.compute(frames, RunContext(now=NOW + timedelta(hours=4), state=out.state,
                                                             recompute_all=False,
                                                             settings=similar_deals.SimilarDealsSettings()))
    assert kept.evaluated == 0 and kept.frames["osi_similardeal"].equals(rows)  # nothing changed: reused
    gone = similar_deals.PRODUCER.compute(frames, RunContext(now=NOW + timedelta(days=800), state=out.state,
                                                             recompute_all=False,
                                                             settings=similar_deals.SimilarDealsSettings()))
    assert gone.evaluated == 1 and gone.frames["osi_similardeal"].empty  # the won deal left the window
    loose = similar_deals.SimilarDealsSettings(min_similarity=0)
    assert out.frames["osi_similardeal"]["osi_rank"].tolist() == [1]
    both = similar_deals.PRODUCER.compute(frames, RunContext(now=NOW, settings=loose)).frames["osi_similardeal"]
    assert both["osi_similarid"].tolist() == ["won-near", "won-far"]


def test_many_deals_ranked_at_once_match_ranking_each_open_deal_on_its_own() -> None:
    """The block-wise ranking (ties by id, blocks of open deals) equals each open deal's closeness computed
    alone, sorted by closeness then id."""
    rng = np.random.default_rng(3)
    industries = ["Retail", "Mining", None]
    accounts = [{"account_id": f"a{i}", "industrycode": industries[i % 3],
                 "numberofemployees": [10, 200, None][(i // 3) % 3]} for i in range(12)]
    opps = [_opp(f"o{i:03d}", int(rng.integers(0, 2)), float(rng.choice([900, 5_000, 50_000, np.nan])),
                 f"a{int(rng.integers(0, 12))}", actual_close_date=NOW - timedelta(days=int(rng.integers(1, 60))))
            for i in range(1_300)]
    frames = {"opportunities": canonical.conform(pd.DataFrame(opps), "opportunities"),
              "accounts": canonical.conform(pd.DataFrame(accounts), "accounts")}
    settings = similar_deals.SimilarDealsSettings(min_similarity=0.3, top_n=4)
    rows = similar_deals.PRODUCER.compute(frames, RunContext(now=NOW, settings=settings)).frames["osi_similardeal"]
    merged = similar_deals._with_account(frames["opportunities"], frames["accounts"])
    won = merged[merged["state_code"].eq(1)].sort_values("opportunity_id").reset_index(drop=True)
    expected = []
    for o in merged[merged["state_code"].eq(0)].sort_values("opportunity_id").to_dict("records"):
        scores = similar_deals.closeness(pd.DataFrame([o]), won)[0][0]
        order = np.lexsort((won["opportunity_id"].astype(str).to_numpy(), -scores))
        chosen = [i for i in order if scores[i] >= settings.min_similarity][: settings.top_n]
        expected += [(o["opportunity_id"], won["opportunity_id"][i], rank, round(float(scores[i]), 4))
                     for rank, i in enumerate(chosen, start=1)]
    got = list(zip(rows["osi_opportunityid"], rows["osi_similarid"], rows["osi_rank"], rows["osi_similarity"],
                   strict=True))
    assert len(expected) > 1_000 and got == expected


@pytest.mark.parametrize(("model", "name", "raw", "field", "kept"), [
    (assistant.AssistantSettings, "assistant", {"email_unanswered_hours": "soon", "meeting_today": False},
     "email_unanswered_hours", {"meeting_today": False}),
    (who_knows_whom.WhoKnowsWhomSettings, "who_knows_whom", {"min_strength": 500, "top_n": 3}, "min_strength",
     {"top_n": 3}),
    (similar_deals.SimilarDealsSettings, "similar_deals", {"min_similarity": "high", "top_n": 2}, "min_similarity",
     {"top_n": 2}),
])
def test_a_bad_field_keeps_its_default_is_named_and_the_rest_applies(
        model: type, name: str, raw: dict[str, object], field: str, kept: dict[str, object]) -> None:
    settings, problems = parse_settings(model, raw, name=name)
    assert getattr(settings, field) == model.model_fields[field].default
    assert len(problems) == 1 and problems[0].startswith(f"{name}.{field}:")
    for key, value in kept.items():
        assert getattr(settings, key) == value


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("en", 0, "0 interactions"), ("en", 1, "1 interaction"), ("en", 2, "2 interactions"),
    ("fr", 0, "0 interaction"), ("fr", 1, "1 interaction"), ("fr", 1.5, "1,5 interaction"),
    ("fr", 2, "2 interactions"),
])
def test_plurals_follow_each_languages_rules(lang: str, n: float, expected: str) -> None:
    assert message(lang, "interactions", n=n) == expected


def test_plural_branches_numbers_and_percentages() -> None:
    assert message("en", "counts", e=1, m=2, c=0) == "1 e-mail · 2 meetings · 0 calls"
    assert message("fr", "counts", e=1, m=2, c=0) == "1 e-mail · 2 rendez-vous · 0 appel"
    assert plural_category("fr", 0) == "one" and plural_category("en", 0) == "other"
    assert message("fr", "cards.no_activity.title", days=1) == "Aucune activité depuis 1 jour"
    # The same share reads the same number in both languages (half away from zero).
    assert percent("en", 0.505) == "51%" and percent("fr", 0.505) == "51\u202f%"
    assert percent("en", 0.125) == "13%" and percent("fr", 0.125) == "13\u202f%"


def test_the_panel_formats_plurals_like_python() -> None:
    """messages.js (generated) formatted by the panel's i18n.js in Node matches the Python formatter."""
    import shutil
    import subprocess

    from connector.panel_assets import MESSAGES_JS, messages_js
    from tests.browser.panel_options import OPTIONS_JS

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    folder = OPTIONS_JS.parent.parent.parent
    generated = (folder / MESSAGES_JS).read_text(encoding="utf-8")
    assert generated == messages_js(), "run: python -m connector solution generate"
    cases = [("en", "interactions", {"n": n}) for n in (0, 1, 2)]
    cases += [("fr", "interactions", {"n": n}) for n in (0, 1.5, 2)]
    cases += [("fr", "counts", {"e": 1, "m": 2, "c": 0}), ("en", "cards.score_change.title",
                                                           {"direction": "up", "points": 1})]
    script = (f"global.window={{}};require({json.dumps(str(folder / MESSAGES_JS))});"
              f"require({json.dumps(str(folder / 'osi_/sellerpanel/i18n.js'))});"
              f"const cases={json.dumps(cases)};"
              "console.log(JSON.stringify(cases.map(c=>window.OSI.i18n.translator(c[0])(c[1],c[2]))));")
    out = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True,
                                    timeout=60).stdout)
    assert out == [message(lang, key, **values) for lang, key, values in cases]
