"""The demo-organisation generator: sizes, determinism, integrity, latent structure and truth."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from emulator import seed_text as tx
from emulator.org import DemoOrg
from emulator.seed import counts, generate, write_truth
from emulator.seed_deals import _ensure_both, make_leads, make_opportunities
from emulator.seed_notes import make_note
from emulator.seed_people import Ctx, make_accounts, make_contacts, make_sellers
from emulator.seed_util import epoch

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
NOW_ISO = "2026-11-01T08:00:00Z"
ACTIVITIES = ("email", "phonecall", "appointment", "task")


@pytest.fixture(scope="module")
def org() -> DemoOrg:
    return generate("S", 0, now=NOW)


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _digest(o: DemoOrg) -> str:
    blob = json.dumps([o.tables, o.graph_users, o.mailboxes, o.truth], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def test_size_s_counts(org: DemoOrg) -> None:
    n = counts(org)
    assert n["systemuser"] == 20 and n["account"] == 300 and n["contact"] == 1500
    assert n["lead"] == 1000 and n["opportunity"] == 600 and n["annotation"] == 2000
    assert 50_000 <= sum(n[t] for t in ACTIVITIES) <= 60_000
    assert n["activityparty"] > n["email"] * 2 and n["graph_messages"] > n["email"]


def test_parts_are_deterministic_and_seed_sensitive() -> None:
    def build(seed: int) -> list:
        c = Ctx(np.random.default_rng([seed, 1]), random.Random(seed), epoch(NOW), 1)
        s = make_sellers(c)
        a = make_accounts(c, s)
        ct = make_contacts(c, s, a)
        leads = make_leads(c, s, a, ct)
        return [s.rows, a.rows, ct.rows, leads.rows, make_opportunities(c, s, a, ct, leads).rows]

    assert build(3) == build(3)
    assert build(3) != build(4)


@pytest.mark.slow
def test_whole_org_is_deterministic(org: DemoOrg) -> None:
    assert _digest(generate("S", 0, now=NOW)) == _digest(org)


def test_no_timestamp_after_now_except_scheduled_work(org: DemoOrg) -> None:
    for table, rows in org.tables.items():
        for row in rows:
            for key in ("createdon", "modifiedon", "senton", "actualend", "actualstart"):
                if row.get(key):
                    assert row[key] <= NOW_ISO, (table, key, row[key])
    future = [r for t in ("phonecall", "appointment", "task") for r in org.tables[t]
              if r["scheduledstart"] and r["scheduledstart"] > NOW_ISO]
    assert len(future) > 200 and all(r["statecode"] in (0, 3) for r in future)
    for r in org.tables["opportunity"]:
        created = _ts(r["createdon"]).date()
        estimated = date.fromisoformat(r["estimatedclosedate"])
        assert created - timedelta(days=2) <= estimated <= created + timedelta(days=900)
        if r["actualclosedate"]:
            assert created - timedelta(days=2) <= date.fromisoformat(r["actualclosedate"]) <= NOW.date()
    oldest = min(r["createdon"] for r in org.tables["email"])
    assert _ts(oldest) < NOW - timedelta(days=690)


def test_outcomes_have_at_least_forty_each(org: DemoOrg) -> None:
    lead_states = Counter(r["statecode"] for r in org.tables["lead"])
    opp_states = Counter(r["statecode"] for r in org.tables["opportunity"])
    assert lead_states[1] >= 40 and lead_states[2] >= 40 and lead_states[0] > 0
    assert opp_states[1] >= 40 and opp_states[2] >= 40 and opp_states[0] > 0


def test_ensure_both_flips_borderline_records() -> None:
    p = np.linspace(0.01, 0.99, 200)
    closed = np.ones(200, dtype=bool)
    won = _ensure_both(p, closed, np.ones(200, dtype=bool))
    assert (~won).sum() == 40 and not won[:40].any()


def _index(org: DemoOrg) -> dict[str, set[str]]:
    keys = {"systemuser": "systemuserid", "account": "accountid", "contact": "contactid", "lead": "leadid",
            "opportunity": "opportunityid", "businessunit": "businessunitid", "processstage": "processstageid"}
    out = {t: {r[k] for r in org.tables[t]} for t, k in keys.items()}
    for t in ACTIVITIES:
        out[t] = {r["activityid"] for r in org.tables[t]}
    return out


def test_every_lookup_points_to_an_existing_record(org: DemoOrg) -> None:
    index = _index(org)
    checked = 0
    for table, rows in org.tables.items():
        for row in rows:
            for key, value in row.items():
                if isinstance(value, dict):
                    assert value["id"] in index[value["logicalname"]], (table, key, value)
                    checked += 1
    assert checked > 200_000


def test_parties_match_their_activity_type(org: DemoOrg) -> None:
    allowed = {"email": {1, 2, 3}, "phonecall": {1, 2}, "appointment": {5, 6, 7}}
    masks: dict[str, Counter] = defaultdict(Counter)
    for p in org.tables["activityparty"]:
        kind = p["activityid"]["logicalname"]
        assert p["participationtypemask"] in allowed[kind]
        assert p["addressused"] or p["partyid"]
        masks[kind][p["participationtypemask"]] += 1
    assert masks["email"][3] > 0 and masks["appointment"][6] > 0 and masks["appointment"][7] > 0
    unresolved = [p for p in org.tables["activityparty"] if p["partyid"] is None]
    assert unresolved and all("@" in p["addressused"] for p in unresolved)


def test_threads_are_consistent(org: DemoOrg) -> None:
    emails = {r["activityid"]: r for r in org.tables["email"]}
    by_msgid = {r["messageid"]: r for r in emails.values() if r["messageid"]}
    replies = [r for r in emails.values() if r["inreplyto"]]
    assert len(replies) > 5000
    directions = Counter()
    for r in replies:
        parent = by_msgid[r["inreplyto"]]
        assert r["parentactivityid"]["id"] == parent["activityid"]
        assert parent["senton"] < r["senton"]
        child, mother = base64.b64decode(r["conversationindex"]), base64.b64decode(parent["conversationindex"])
        assert child[: len(mother)] == mother and len(child) == len(mother) + 5
        directions[(parent["directioncode"], r["directioncode"])] += 1
    assert directions[(True, False)] > 1000 and directions[(False, True)] > 1000
    drafts = [r for r in emails.values() if r["statecode"] == 0]
    assert drafts and all(r["senton"] is None for r in drafts)


def _contact_activity_days(org: DemoOrg) -> dict[str, list[float]]:
    when = {}
    for t in ACTIVITIES:
        for r in org.tables[t]:
            stamp = r.get("actualend") or r.get("senton") or r.get("scheduledstart")
            if stamp and r["statecode"] != 2:
                when[r["activityid"]] = (NOW - _ts(stamp)).total_seconds() / 86_400
    days: dict[str, list[float]] = defaultdict(list)
    for p in org.tables["activityparty"]:
        ref = p["partyid"]
        if ref and ref["logicalname"] == "contact" and p["activityid"]["id"] in when:
            days[ref["id"]].append(when[p["activityid"]["id"]])
    return days


def test_relationship_classes_show_in_activity_rates(org: DemoOrg) -> None:
    days = _contact_activity_days(org)
    ratio: dict[str, list[float]] = defaultdict(list)
    recent: dict[str, list[int]] = defaultdict(list)
    for cid, truth in org.truth["contacts"].items():
        d = np.array(days.get(cid, []))
        last90 = ((d >= 0) & (d < 90)).sum()
        before = ((d >= 180) & (d < 360)).sum() / 2
        ratio[truth["relationship"]].append((last90 + 0.5) / (before + 0.5))
        recent[truth["relationship"]].append(int(((d >= 0) & (d < 180)).sum()))
    med = {k: float(np.median(v)) for k, v in ratio.items()}
    assert med["warming"] > med["steady"] > med["cooling"]
    assert np.mean(recent["dead"]) < 0.1 * np.mean(recent["steady"])


def test_closed_records_have_activity_mostly_before_close(org: DemoOrg) -> None:
    closed = {r["leadid"]: r["modifiedon"] for r in org.tables["lead"] if r["statecode"] != 0}
    closed.update({r["opportunityid"]: r["modifiedon"] for r in org.tables["opportunity"] if r["statecode"] != 0})
    before = after = 0
    for t in ACTIVITIES:
        for r in org.tables[t]:
            reg = r["regardingobjectid"]
            stamp = r.get("actualend") or r.get("senton") or r.get("scheduledend")
            if reg and reg["id"] in closed and stamp:
                if stamp <= closed[reg["id"]]:
                    before += 1
                else:
                    after += 1
    assert before > 10_000 and after / (before + after) < 0.1


def _auc(y: np.ndarray, score: list[float] | np.ndarray) -> float:
    """ROC AUC by the rank-sum (Mann-Whitney) formula, ties averaged."""
    from scipy.stats import rankdata

    y = np.asarray(y, dtype=bool)
    ranks = rankdata(np.asarray(score, dtype=float))
    pos = int(y.sum())
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos)))


def test_outcomes_are_learnable_but_not_leaked(org: DemoOrg) -> None:
    leads = [r for r in org.tables["lead"] if r["statecode"] != 0]
    y = np.array([r["statecode"] == 1 for r in leads])
    truth = org.truth["leads"]
    assert _auc(y, [truth[r["leadid"]]["propensity"] for r in leads]) > 0.75
    feats = np.array([[1.0] + [r["leadsourcecode"] == s for s in (2, 3, 4, 9, 1, 8, 10)]
                      + [r["budgetstatus"] if r["budgetstatus"] is not None else 1.5,
                         r["need"] if r["need"] is not None else 1.5,
                         r["websiteurl"] is None] for r in leads], dtype=float)
    half = len(leads) // 2
    # A linear model on a few observable attributes learns something, but far from everything.
    coef, *_ = np.linalg.lstsq(feats[:half], y[:half].astype(float), rcond=None)
    auc = _auc(y[half:], feats[half:] @ coef)
    assert 0.6 < auc < 0.9
    opps = [r for r in org.tables["opportunity"] if r["statecode"] != 0]
    won = np.array([r["statecode"] == 1 for r in opps])
    assert _auc(won, [r["closeprobability"] for r in opps]) < 0.8
    assert _auc(won, [r["salesstage"] for r in opps]) < 0.8


def _resolve(expr: str, ref: date) -> date | None:
    """An independent resolver for the relative forms whose meaning is fixed."""
    e = expr.lower()
    if e in ("tomorrow", "tmrw", "demain", "by tomorrow", "pour demain", "d'ici demain"):
        return ref + timedelta(days=1)
    if e in ("the day after tomorrow", "après-demain"):
        return ref + timedelta(days=2)
    m = re.fullmatch(r"(?:in|dans|within|sous) (\d+) (?:days|jours)", e)
    if m:
        return ref + timedelta(days=int(m.group(1)))
    m = re.fullmatch(r"(?:on|by) (\d{4}-\d{2}-\d{2})", e)
    return date.fromisoformat(m.group(1)) if m else None


def test_note_intents_match_their_text(org: DemoOrg) -> None:
    notes = {r["annotationid"]: r for r in org.tables["annotation"]}
    resolved = dated = 0
    with_intents = Counter()
    for nid, truth in org.truth["notes"].items():
        text = notes[nid]["notetext"]
        assert truth["reference"] == notes[nid]["createdon"]
        ref = _ts(truth["reference"]).astimezone(ZoneInfo(truth["timezone"]))
        with_intents[bool(truth["intents"])] += 1
        for intent in truth["intents"]:
            if intent["type"] == "contact":
                assert intent["name"] in text
            if "expression" not in intent:
                continue
            dated += 1
            assert intent["expression"] in text
            when = _ts(intent.get("start") or intent["due"]).astimezone(ZoneInfo(truth["timezone"]))
            assert when.date().isoformat() == intent["date"] and when.date() > ref.date()
            if intent["time"]:
                assert when.strftime("%H:%M") == intent["time"]
            expected = _resolve(intent["expression"], ref.date())
            if expected is not None:
                assert expected.isoformat() == intent["date"], intent
                resolved += 1
    assert dated > 500 and resolved > 100
    assert 0.35 < with_intents[True] / sum(with_intents.values()) < 0.6
    langs = Counter(t["language"] for t in org.truth["notes"].values())
    assert 0.35 < langs["fr"] / sum(langs.values()) < 0.65
    fr_zones = {t["timezone"] for t in org.truth["notes"].values() if t["language"] == "fr"}
    assert fr_zones <= {"Europe/Paris", "America/Toronto"}


@pytest.mark.parametrize(("lang", "zone", "pattern"), [
    ("fr", "Europe/Paris", r"le (?:\w+ )?(\d+|1er) (\w+) à (\d+) h (\d\d)"),
    ("en", "America/Chicago", r"on (\w+) (\d+) at (\d+):(\d\d) (AM|PM)"),
])
def test_absolute_meeting_dates_resolve_in_the_owner_zone(lang: str, zone: str, pattern: str) -> None:
    """"Rencontrer le client le 4 mai à 16 h 00" / "Meet the customer on May 4 at 4:00 PM" style intents."""
    from emulator.seed_notes import MONTHS

    ref = datetime(2026, 4, 20, 10, 0, tzinfo=ZoneInfo(zone))
    found = 0
    for seed in range(3000):
        note = make_note(random.Random(seed), lang, ref, "Claire", ("A", "B", "PDG", "a@b.example"), True)
        for intent in note.intents:
            m = re.fullmatch(pattern, intent.get("expression", ""))
            if intent["type"] != "appointment" or not m:
                continue
            if lang == "fr":
                day, month, hour, minute = m.group(1), m.group(2), int(m.group(3)), int(m.group(4))
            else:
                month, day, hour, minute = m.group(1), m.group(2), int(m.group(3)) % 12, int(m.group(4))
                hour += 12 if m.group(5) == "PM" else 0
            if month not in MONTHS[lang]:
                continue
            when = datetime(2026, MONTHS[lang].index(month) + 1, 1 if day == "1er" else int(day), hour, minute,
                            tzinfo=ZoneInfo(zone))
            assert intent["start"] == when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            assert intent["expression"] in note.text
            found += 1
    assert found >= 3


def test_email_topics_and_traps_are_in_the_bodies(org: DemoOrg) -> None:
    emails = {r["activityid"]: r for r in org.tables["email"]}
    topics = org.truth["email_topics"]
    assert len(topics) > 300 and set(tx.TOPICS) == {t for ts in topics.values() for t in ts}
    personal = {t: [s for lang in ("en", "fr") for s in tx.PERSONAL[t][lang]] for t in tx.TOPICS}
    for aid, ts in topics.items():
        body = emails[aid]["description"]
        assert emails[aid]["directioncode"] is False
        for t in ts:
            # A topic is in the body as one of its sentences, or as the second topic of another's.
            also = [s for s, extra in tx.ALSO.items() if t in extra]
            assert any(s in body for s in personal[t] + also), (aid, t)
    every_personal = [s for ss in personal.values() for s in ss]
    traps = [s for lang in ("en", "fr") for s in tx.TRAPS[lang]]
    assert len(org.truth["email_traps"]) > 300
    for aid in org.truth["email_traps"][:500]:
        body = emails[aid]["description"]
        assert any(s in body for s in traps) and not any(s in body for s in every_personal)


def test_graph_mirrors_crm_mail_and_holds_outsiders(org: DemoOrg) -> None:
    sellers = {r["azureactivedirectoryobjectid"]: r for r in org.tables["systemuser"]}
    users = {u["id"]: u for u in org.graph_users}
    assert set(sellers) <= set(users) and len(users) > len(sellers)
    assert all(users[k]["mail"] == v["internalemailaddress"] for k, v in sellers.items())
    crm_ids = {r["messageid"] for r in org.tables["email"] if r["messageid"]}
    crm_addresses = {r["emailaddress1"] for t in ("contact", "lead", "account") for r in org.tables[t]}
    crm_addresses |= {r["internalemailaddress"] for r in org.tables["systemuser"]}
    mirrored = outsiders = newsletters = 0
    seen_ids: set[str] = set()
    for box, messages in org.mailboxes.items():
        assert box in sellers
        for m in messages:
            assert m["id"] not in seen_ids
            seen_ids.add(m["id"])
            mirrored += m["internetMessageId"] in crm_ids
            sender = m["from"]["emailAddress"]["address"]
            outsiders += sender not in crm_addresses
            newsletters += "reply" in sender or sender.startswith("newsletter@")
    assert mirrored >= len(crm_ids) and outsiders > 1000 and newsletters > 100


def test_truth_names_the_strongest_seller(org: DemoOrg) -> None:
    active = {r["systemuserid"] for r in org.tables["systemuser"] if not r["isdisabled"]}
    for truth in org.truth["contacts"].values():
        assert truth["strongest_user"] in truth["user_weights"]
        assert truth["relationship"] in ("steady", "warming", "cooling", "dead")
    assert sum(t["strongest_user"] in active for t in org.truth["contacts"].values()) > 1400
    assert {r["systemuserid"]: r for r in org.tables["systemuser"]}.keys() == org.truth["sellers"].keys()


def test_truth_file_is_written(org: DemoOrg, tmp_path: Path) -> None:
    path = write_truth(org, tmp_path / "org.sqlite")
    assert path.name == "org.sqlite.truth.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["now"] == NOW_ISO and len(data["notes"]) == 2000 and len(data["leads"]) == 1000


def test_unknown_size_and_bad_seed_are_rejected() -> None:
    with pytest.raises(ValueError, match="size"):
        generate("XL", 0, now=NOW)
    with pytest.raises(ValueError, match="seed"):
        generate("S", -1, now=NOW)


def test_cli_rejects_a_bad_now(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from emulator.seed import main

    assert main(["--db", str(tmp_path / "x.sqlite"), "--now", "next tuesday"]) == 2
    assert "--now" in capsys.readouterr().err
    assert not (tmp_path / "x.sqlite").exists()


@pytest.mark.slow
def test_cli_seeds_store_graph_and_truth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from emulator.seed import main

    db = tmp_path / "org.sqlite"
    assert main(["--db", str(db), "--size", "S", "--seed", "2", "--now", NOW_ISO]) == 0
    report = json.loads(capsys.readouterr().out)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM t_contact").fetchone()[0] == 1500
    assert conn.execute("SELECT COUNT(*) FROM t_email").fetchone()[0] == report["counts"]["email"]
    assert conn.execute("SELECT COUNT(*) FROM graph_message").fetchone()[0] == report["counts"]["graph_messages"]
    conn.close()
    truth = json.loads(Path(f"{db}.truth.json").read_text(encoding="utf-8"))
    assert truth["seed"] == 2 and truth["now"] == NOW_ISO
    assert main(["--db", str(db), "--size", "S", "--seed", "2", "--now", NOW_ISO]) == 1
    assert "already holds" in capsys.readouterr().err


def test_strongest_seller_is_usually_the_most_active_one(org: DemoOrg) -> None:
    owner = {r["activityid"]: r["ownerid"]["id"] for t in ACTIVITIES for r in org.tables[t]}
    per_contact: dict[str, Counter] = defaultdict(Counter)
    for p in org.tables["activityparty"]:
        if p["partyid"] and p["partyid"]["logicalname"] == "contact":
            per_contact[p["partyid"]["id"]][owner[p["activityid"]["id"]]] += 1
    agree = total = 0
    for cid, truth in org.truth["contacts"].items():
        seen = per_contact.get(cid)
        if seen and sum(seen.values()) >= 10:
            total += 1
            agree += seen.most_common(1)[0][0] == truth["strongest_user"]
    assert total > 500 and agree / total > 0.75
