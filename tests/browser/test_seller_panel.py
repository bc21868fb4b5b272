"""The shipped seller panel in headless Chromium, against the emulator through the demo's Xrm shim.

Rows are written through the real client (not by running the sync) so the test depends only on the
schema, the panel and the host. Requires Debian's ``chromium`` and ``chromium-driver``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connector import schema
from connector.auth import StaticTokenCredential
from connector.dataverse.client import DataverseClient
from connector.provision import provision
from tests.browser.panel_page import open_panel

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# The panel words times against the browser's clock ("2 days ago", live suggestions), so the organisation
# is dated from the wall clock.
NOW = datetime.now(UTC).replace(microsecond=0)
START_AT = (NOW + timedelta(days=19)).replace(hour=14)
START = START_AT.strftime("%Y-%m-%dT%H:%M:%SZ")
SUBJECT = f"Meet the customer on {START_AT:%b} {START_AT.day} at 2 PM"
END = (START_AT + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

HUMAN_SHOTS = Path(__file__).resolve().parents[2] / ".osi" / "screenshots"


def _driver() -> Any:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("headless Chromium is missing: install it with `apt-get install -y chromium chromium-driver`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=620,1600"):
        options.add_argument(arg)
    # An explicit driver path: Selenium Manager never downloads anything.
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


TODAY = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
"""The panel words stored facts relative to the moment it is read: the test data is dated from today."""


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).strftime("%Y-%m-%d")


def _components() -> list[dict[str, Any]]:
    """``osi_healthreasons`` components as the connector writes them: points, stable facts and steps."""
    # Exactly two days before the wall clock: two calendar days ago in every user's zone, whatever the hour the
    # test runs (noon UTC two days back was "yesterday" for a user west of UTC just after midnight UTC).
    last = (NOW - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        {"name": "recency", "points": 20, "max": 20, "value": 1.0, "weight": 0.2, "contribution": 20,
         "reason": f"last two-way contact on {last[:10]} (expected every 7 days)",
         "facts": {"last_two_way_on": last, "last_contact_on": last, "frequency_days": 7}, "steps": []},
        {"name": "frequency", "points": 31, "max": 50, "value": 0.62, "weight": 0.5, "contribution": 31,
         "reason": "9 to 12 two-way touchpoints in the last 90 days",
         "facts": {"frequency_days": 7, "expected_90": 13}, "steps": [{"what": "touch90", "lo": 9.0, "hi": 13.0}]},
        {"name": "responsiveness", "points": 9, "max": 10, "value": 0.9, "weight": 0.1, "contribution": 9,
         "reason": "the customer answered 75 % or more of our messages", "facts": {},
         "steps": [{"what": "customer_answers", "lo": 0.75, "hi": None}]},
        {"name": "reciprocity", "points": 7, "max": 10, "value": 0.7, "weight": 0.1, "contribution": 7,
         "reason": "the customer took part in 50 % to 75 % of interactions", "facts": {},
         "steps": [{"what": "active_share", "lo": 0.5, "hi": 0.75}]},
        {"name": "breadth", "points": 5, "max": 10, "value": 0.5, "weight": 0.1, "contribution": 5,
         "reason": "2 people engaged on both sides", "facts": {}, "steps": [{"what": "people", "lo": 2.0, "hi": 3.0}]},
    ]


SHOWN_EN = ["last two-way contact 2 days ago (expected every 7 days)",
            "9 to 12 two-way touchpoints in the last 90 days", "the customer answered 75 % or more of our messages",
            "the customer took part in 50 % to 75 % of interactions", "2 people engaged on both sides"]
DAILY = {_day(60): {"emails_sent": 2, "emails_received": 1}, _day(47): {"meetings_sent": 1},
         _day(42): {"calls_made": 1, "calls_received": 2}, _day(32): {"emails_received": 3}}
BARS = sum(len(series) for series in DAILY.values())


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from emulator.seed import generate
    from emulator.server import Emulator

    tmp = tmp_path_factory.mktemp("panel")
    with Emulator(db_path=tmp / "org.db", token="t") as em:
        em.store.load_org(generate("S", seed=1, now=NOW))
        client = DataverseClient(em.url, StaticTokenCredential("t"))
        provision(client, sleep=lambda _seconds: None)
        contact = next(iter(client.list_records("contacts", select=["fullname"], top=1)))
        lead = next(iter(client.list_records("leads", select=["fullname"], filter="statecode eq 0", top=1)))
        user = next(iter(client.list_records("systemusers", select=["fullname"], top=1)))
        cid, lid = contact["contactid"], lead["leadid"]
        health = {
            "osi_healthscore": 72, "osi_healthstate": schema.HEALTH_STATE.value("Good"),
            "osi_healthtrend": schema.TREND.value("Improving"),
            "osi_healthreasons": json.dumps({"score": 72, "state": "Good", "components": _components()}),
            "osi_analytics": json.dumps({"timezone": "UTC", "daily": DAILY,
                                         "kpis": {"current": None, "previous": None},
                                         "most_contacted": {"team": [], "customer": []}}),
            "osi_emailssent": 17, "osi_emailsreceived": 11, "osi_meetingssent": 3, "osi_meetingsreceived": 1,
            "osi_callsmade": 4, "osi_callsreceived": 2, "osi_responsehoursteam": 5.5,
            "osi_responsehourscustomer": 30, "osi_responserateteam": 0.9, "osi_responseratecustomer": 0.6,
            "osi_timespentteam": 240, "osi_timespentcustomer": 90, "osi_insightscomputedon": NOW.isoformat(),
        }
        client.update_record("contacts", cid, health)
        reasons = {"positive": [{"feature": "leadsourcecode", "value": "Web", "impact": 12.3,
                                 "text": "Lead source is Web (most common: Event)",
                                 "evidence": "64 % of leads with Lead source = Web were qualified, vs 38 % overall",
                                 "facts": {"kind": "category", "label": "Lead source", "value": "Web",
                                           "neutral": "Event", "rate": 0.64, "count": 120, "overall": 0.38}}],
                   "negative": [{"feature": "budgetamount", "value": None, "impact": -4.1,
                                 "text": "Budget is empty (typical: 20,000)",
                                 "evidence": "leads with no Budget were qualified at 21 %, vs 38 % overall",
                                 "facts": {"kind": "number", "label": "Budget", "value": None, "neutral": 20000.0,
                                           "rate": 0.21, "count": 40, "overall": 0.38,
                                           "range": {"op": "missing"}}},
                                {"feature": "act_days_since_incoming", "value": None, "impact": -3.2,
                                 "text": "Since the customer last wrote or called: never",
                                 "evidence": "18 % of leads with Since the customer last wrote or called = never "
                                             "were qualified, vs 38 % overall (55 leads)",
                                 "facts": {"kind": "number", "label": "Since the customer last wrote or called",
                                           "value": None, "unit": "days", "missing": "never",
                                           "shown": "never", "rate": 0.18, "count": 55, "overall": 0.38,
                                           "range": {"op": "missing"}, "compare": "overall"}},
                                {"feature": "act_customer_reply_hours", "value": 8.2, "impact": -1.1,
                                 "text": "Customer's usual reply time: 8 hours",
                                 "evidence": "",
                                 "facts": {"kind": "number", "label": "Customer's usual reply time", "value": 8.2,
                                           "unit": "hours", "missing": "never_answered", "shown": "8 hours",
                                           "rate": 0.45, "count": 60, "overall": 0.38,
                                           "range": {"op": "below", "hi": 12.0}, "compare": None}}],
                   "low_confidence": True, "readiness": "Not ready",
                   "confidence": {"reasons": ["few_test_records"], "n_test": 8, "min_test": 50}}
        client.update_record("leads", lid, {**health, "osi_score": 81, "osi_grade": schema.GRADE.value("A"),
                                            "osi_scoretrend": schema.TREND.value("Improving"),
                                            "osi_scorereasons": json.dumps(reasons)})
        for day, score in ((_day(12), 55), (_day(7), 70), (_day(0), 81)):
            client.create_record("osi_scorehistories", {"osi_key": f"{lid}|{day}", "osi_name": day,
                                                        "osi_recordid": lid, "osi_entityname": "lead",
                                                        "osi_day": day, "osi_score": score})
        client.create_record("osi_connections", {
            "osi_key": f"{user['systemuserid']}|{cid}", "osi_userid": user["systemuserid"], "osi_personid": cid,
            "osi_persontype": "contact", "osi_strength": 85, "osi_rank": 1, "osi_emailcount": 14,
            "osi_meetingcount": 2, "osi_callcount": 1, "osi_lastinteractionon": _day(2) + "T10:00:00Z"})
        client.create_record("osi_talkingpoints", {
            "osi_key": f"{cid}|family", "osi_contactid": cid, "osi_topic": schema.TOPIC.value("Family"),
            "osi_snippet": "My daughter starts university next week.", "osi_mentionedon": _day(20) + "T08:00:00Z"})
        payload = {"type": "appointment", "subject": SUBJECT, "start": START, "end": END, "all_day": False,
                   "participants": ["Anna Smith"], "regarding": {"id": cid, "type": "contact"}}
        suggestion = client.create_record("osi_notesuggestions", {
            "osi_key": f"note|{cid}|0", "osi_name": "Call notes", "osi_regardingid": cid,
            "osi_regardingtype": "contact", "osi_suggestiontype": schema.SUGGESTION_TYPE.value("Appointment"),
            "osi_suggestionstatus": schema.SUGGESTION_STATUS.value("New"), "osi_confidence": 0.85,
            "osi_start": START, "osi_payload": json.dumps(payload)})
        yield {"em": em, "client": client, "contact": cid, "lead": lid, "user": user, "suggestion": suggestion}


@pytest.fixture(scope="module")
def browser(org: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    from emulator.panel_host import PanelHost

    driver = _driver()
    try:
        with PanelHost(org["em"].url, org["em"].token) as host:
            yield driver, host.url
    finally:
        driver.quit()


def _open(driver: Any, url: str) -> Any:
    return open_panel(driver, url)


def _shot(driver: Any, tmp_path: Path, name: str) -> Path:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.switch_to.default_content()
    driver.set_window_size(620, min(int(height) + 160, 6000))
    frame = driver.find_element(By.ID, "osi-panel-frame")
    WebDriverWait(driver, 10).until(lambda d: frame.size["height"] >= int(height) - 2)
    path = tmp_path / f"{name}.png"
    frame.screenshot(str(path))
    HUMAN_SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, HUMAN_SHOTS / path.name)
    print(f"screenshot: {path} (copy in {HUMAN_SHOTS})")
    driver.switch_to.frame(frame)
    return path


def test_contact_panel_shows_emulator_values_and_creates_the_suggested_appointment(
        org: dict[str, Any], browser: tuple[Any, str], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver, url = browser
    cid = org["contact"]
    panel = _open(driver, f"{url}/record/contact/{cid}")
    assert panel.find_element(By.CSS_SELECTOR, "#health-tile .gauge-number").text == "72"
    assert panel.find_element(By.ID, "health-state").text == "Good"
    assert "Improving" in panel.find_element(By.ID, "health-tile").text
    reasons = panel.find_element(By.ID, "health-reasons").text
    for text in SHOWN_EN:  # worded by the panel from the facts, at display time
        assert text in reasons
    emails = panel.find_element(By.CSS_SELECTOR, '#kpis tr[data-kpi="emails"]')
    assert emails.find_element(By.CSS_SELECTOR, '[data-side="team"]').text == "17"
    assert emails.find_element(By.CSS_SELECTOR, '[data-side="customer"]').text == "11"
    rate = panel.find_element(By.CSS_SELECTOR, '#kpis tr[data-kpi="responseRate"]')
    assert rate.find_element(By.CSS_SELECTOR, '[data-side="team"]').text == "90%"
    bars = panel.find_elements(By.CSS_SELECTOR, "#activity svg.activity-chart rect.bar")
    assert len(bars) == BARS
    assert {b.get_attribute("data-series") for b in bars} == {
        "emails_sent", "emails_received", "meetings_sent", "calls_made", "calls_received"}
    chart_label = panel.find_element(By.CSS_SELECTOR, "#activity svg.activity-chart").get_attribute("aria-label")
    assert "E-mails received 4" in chart_label
    colleague = panel.find_element(By.ID, "wkw").text
    assert org["user"]["fullname"] in colleague and "Strong" in colleague
    assert "My daughter starts university next week." in panel.find_element(By.ID, "talking-points").text
    _shot(driver, tmp_path, "contact-panel")

    item = panel.find_element(By.CSS_SELECTOR, f'[data-suggestion="{org["suggestion"]}"]')
    item.find_element(By.CSS_SELECTOR, 'button[data-action="create"]').click()
    WebDriverWait(driver, 20).until(lambda d: "created" in item.find_element(By.CLASS_NAME, "action-status").text)

    client = org["client"]
    made = list(client.list_records("appointments", select=["subject", "scheduledstart", "scheduledend"],
                                    filter=f"_regardingobjectid_value eq {cid} and "
                                           f"subject eq '{SUBJECT}'"))
    assert len(made) == 1
    assert made[0]["scheduledstart"] == START
    assert made[0]["scheduledend"] == END
    status = client.get_record("osi_notesuggestions", org["suggestion"], select=["osi_suggestionstatus"])
    assert status["osi_suggestionstatus"] == schema.SUGGESTION_STATUS.value("Accepted")
    _shot(driver, tmp_path, "contact-panel-after-create")


def test_lead_panel_shows_score_reasons_and_history(org: dict[str, Any], browser: tuple[Any, str],
                                                    tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver, url = browser
    panel = _open(driver, f"{url}/record/lead/{org['lead']}")
    assert panel.find_element(By.ID, "score-value").text == "81"
    assert panel.find_element(By.CSS_SELECTOR, "#score-tile .grade").text == "A"
    reasons = panel.find_element(By.ID, "score-reasons").text
    assert "Lead source is Web (most common: Event)" in reasons
    assert "64 % of leads with Lead source = Web were qualified, vs 38 % overall" in reasons
    assert "Budget is empty (typical: 20,000)" in reasons
    assert "Since the customer last wrote or called: never" in reasons
    assert "Not ready, low confidence: the model was tested on only 8 closed records" in reasons
    assert len(panel.find_elements(By.CSS_SELECTOR, "#score-reasons svg.score-line circle.dot")) == 3
    assert "No colleague has been in touch" in panel.find_element(By.ID, "wkw").text
    assert "No open suggestions." in panel.find_element(By.ID, "suggestions").text
    _shot(driver, tmp_path, "lead-panel")


def test_french_user_sees_french_labels(org: dict[str, Any], browser: tuple[Any, str], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver, url = browser
    panel = _open(driver, f"{url}/record/contact/{org['contact']}?lang=fr")
    assert panel.find_element(By.ID, "health-state").text == "Bonne"
    assert "Santé de la relation" in panel.text
    why = panel.find_element(By.ID, "health-reasons").text
    assert "dernier contact dans les deux sens avant-hier (attendu tous les 7 jours)" in why
    assert "entre 9 et 12 échanges dans les deux sens ces 90 derniers jours" in why
    assert "le client a répondu à 75 % ou plus de nos messages" in why
    assert "le client a participé à entre 50 % et 75 % des interactions" in why
    assert "2 personnes impliquées des deux côtés" in why
    assert "two-way" not in why
    assert "Aucune suggestion en attente." in panel.find_element(By.ID, "suggestions").text
    _shot(driver, tmp_path, "contact-panel-fr")


def test_french_user_reads_score_reasons_in_french(org: dict[str, Any], browser: tuple[Any, str]) -> None:
    from selenium.webdriver.common.by import By

    driver, url = browser
    panel = _open(driver, f"{url}/record/lead/{org['lead']}?lang=fr")
    # French percentages take a narrow no-break space before the sign (the catalogue's format).
    reasons = panel.find_element(By.ID, "score-reasons").text.replace("\u202f", " ")
    assert "Origine de la piste : Web (le plus fréquent : Event)" in reasons
    assert "64 % des pistes avec Origine de la piste = Web ont été qualifiées, contre 38 % en tout" in reasons
    assert "Budget vide" in reasons and "21 % qualifiées" in reasons
    assert "Depuis le dernier message ou appel du client : jamais" in reasons
    assert ("18 % des pistes avec Depuis le dernier message ou appel du client = jamais ont été qualifiées, "
            "contre 38 % en tout (55 pistes)") in reasons
    assert "Délai de réponse habituel du client : 8 heures" in reasons
    assert "Pas prêt, confiance faible : le modèle n'a été testé que sur 8 fiches clôturées" in reasons
    assert "Lead source is Web" not in reasons


def test_home_lists_the_views_with_links_to_records(org: dict[str, Any], browser: tuple[Any, str]) -> None:
    from selenium.webdriver.common.by import By

    driver, url = browser
    driver.switch_to.default_content()
    driver.get(url + "/")
    lead_view = driver.find_element(By.ID, "view-open-leads-by-score")
    link = lead_view.find_element(By.CSS_SELECTOR, "tbody a")
    assert link.get_attribute("href").endswith(f"/record/lead/{org['lead']}")
    contacts = driver.find_element(By.ID, "view-contacts-by-last-activity").text
    assert "Contacts by last activity" in contacts


def test_admin_page_saves_a_setting_and_lists_models(org: dict[str, Any], browser: tuple[Any, str],
                                                     tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    client = org["client"]
    setting = client.create_record("osi_settings", {"osi_key": "health.frequency_days", "osi_name": "Frequency",
                                                    "osi_value": "7", "osi_description": "Expected days between"})
    client.create_record("osi_scoringmodels", {
        "osi_key": "lead|all|1", "osi_name": "Lead model", "osi_entityname": "lead", "osi_version": 1,
        "osi_modelkind": "HistGradientBoosting", "osi_readiness": schema.MODEL_READINESS.value("Ready"),
        "osi_modelstatus": schema.MODEL_STATUS.value("Published"),
        "osi_metrics": json.dumps({"auc": 0.871, "accuracy": 0.8, "precision": 0.7, "recall": 0.6})})
    trained = client.create_record("osi_scoringmodels", {
        "osi_key": "lead|all|2", "osi_name": "Lead model v2", "osi_entityname": "lead", "osi_version": 2,
        "osi_modelkind": "boosted-blend", "osi_readiness": schema.MODEL_READINESS.value("OK"),
        "osi_modelstatus": schema.MODEL_STATUS.value("Trained"), "osi_metrics": json.dumps({"auc": 0.702})})
    existing = list(client.list_records("osi_settings", select=["osi_settingid"], filter="osi_key eq 'scoring'"))
    scoring = existing[0]["osi_settingid"] if existing else client.create_record("osi_settings", {
        "osi_key": "scoring", "osi_name": "scoring", "osi_value": json.dumps({"lead": {"segments": []}})})
    driver, url = browser
    driver.switch_to.default_content()
    driver.get(url + "/admin")
    driver.switch_to.frame(driver.find_element(By.ID, "osi-admin-frame"))
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "osi-admin").get_attribute("data-state") == "ready")
    assert "0.871" in driver.find_element(By.CSS_SELECTOR, '[data-model="lead|all|1"]').text
    assert "Published" in driver.find_element(By.CSS_SELECTOR, '[data-model="lead|all|1"]').text
    row = driver.find_element(By.CSS_SELECTOR, '[data-key="health.frequency_days"]')
    area = row.find_element(By.TAG_NAME, "textarea")
    area.clear()
    area.send_keys("{oops")
    row.find_element(By.TAG_NAME, "button").click()
    assert "Not valid JSON" in row.find_element(By.CLASS_NAME, "action-status").text
    area.clear()
    area.send_keys("10")
    row.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(driver, 20).until(lambda d: row.find_element(By.CLASS_NAME, "action-status").text == "Saved.")
    assert client.get_record("osi_settings", setting, select=["osi_value"])["osi_value"] == "10"

    # "Retrain lead models" stamps the request in the scoring setting, keeping what the admin had there.
    models = driver.find_element(By.ID, "models")
    models.find_element(By.CSS_SELECTOR, '[data-retrain="lead"]').click()
    WebDriverWait(driver, 20).until(lambda d: "Retrain requested" in models.find_element(
        By.CLASS_NAME, "action-status").text)
    value = json.loads(client.get_record("osi_settings", scoring, select=["osi_value"])["osi_value"])
    assert value["lead"]["retrain_requested_on"] and "segments" in value["lead"]
    # "Publish" appears only on the model that is not live, and makes it Published.
    assert not driver.find_element(By.CSS_SELECTOR, '[data-model="lead|all|1"]').find_elements(By.TAG_NAME, "button")
    driver.find_element(By.CSS_SELECTOR, '[data-model="lead|all|2"]').find_element(By.TAG_NAME, "button").click()
    WebDriverWait(driver, 20).until(lambda d: "Published:" in models.find_element(By.CLASS_NAME, "action-status").text)
    row2 = client.get_record("osi_scoringmodels", trained, select=["osi_modelstatus", "osi_publishedon"])
    assert row2["osi_modelstatus"] == schema.MODEL_STATUS.value("Published") and row2["osi_publishedon"]
    driver.switch_to.default_content()
    path = tmp_path / "admin.png"
    driver.find_element(By.ID, "osi-admin-frame").screenshot(str(path))
    print(f"screenshot: {path}")


def _health_rows() -> list[dict[str, Any]]:
    """One registry row of each kind, built by the producer's own row function: fitted, default, administrator's."""
    from connector.insights.relationship import HealthModel, RelationshipSettings
    from connector.insights.relationship.indicators import indicators
    from connector.insights.relationship.model import applicable, hand_set
    from connector.insights.relationship.registry import registry_row

    s = RelationshipSettings()
    held_out = {"examples": 412, "positives": 130, "auc": 0.8123, "default_auc": 0.7511, "activities_90d_auc": 0.7402,
                "recency_auc": 0.7633}
    fitted = HealthModel(entity="contact", kind="fitted", points={"touch_under_28d": 40, "touch90_2": 35,
                                                                  "unanswered_2": -25},
                         good_min=57, fair_min=31, logit_at_0=-3.1, logit_per_point=0.07, good_probability=0.7,
                         fair_probability=0.4, fitted_on="2026-11-01", note="fitted on 2412 examples",
                         metrics={"examples": 2412, "positives": 800, "held_out": held_out})
    specs = indicators(s)
    default = replace(hand_set("opportunity", applicable(specs, "opportunity"), s, "default",
                               "hand-set weights: 120 examples (40 positive)"),
                      metrics={"fallback": "too_little_history", "examples": 120, "positives": 40,
                               "min_examples": 300, "min_per_class": 30})
    fixed = hand_set("lead", applicable(specs, "lead"), s, "fixed", "weights set by an administrator")
    period = 20_758  # 2026-11-01
    return [registry_row(m, period=period, s=s) for m in (fitted, fixed, default)]


def test_admin_page_shows_the_health_models(org: dict[str, Any], browser: tuple[Any, str], tmp_path: Path) -> None:
    """Per record type: fitted or not and why, the points per component, the cut-offs, what Good means, the
    held-out evaluation against the default and the baselines, and the next fit."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    client = org["client"]
    for row in _health_rows():
        client.upsert_record("osi_healthmodels", {"osi_key": row["osi_key"]},
                             {k: v for k, v in row.items() if k != "osi_key" and v is not None})
    driver, url = browser
    driver.switch_to.default_content()
    driver.get(url + "/admin")
    driver.switch_to.frame(driver.find_element(By.ID, "osi-admin-frame"))
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "osi-admin").get_attribute("data-state") == "ready")
    section = driver.find_element(By.ID, "health-models")
    rows = section.find_elements(By.CSS_SELECTOR, "[data-health-model]")
    assert [r.get_attribute("data-health-model") for r in rows] == ["contact", "lead", "opportunity"]
    contact = section.find_element(By.CSS_SELECTOR, '[data-health-model="contact"]')
    assert contact.get_attribute("data-kind") == "Fitted"
    assert contact.find_element(By.TAG_NAME, "h3").get_attribute("textContent") == "Contacts · Fitted"
    assert "Fitted on 2,412 examples of the organisation's history (800 reached the target)." in contact.text
    assert contact.find_element(By.CSS_SELECTOR, '[data-cell="good"]').text == "57"
    assert contact.find_element(By.CSS_SELECTOR, '[data-cell="fair"]').text == "31"
    assert contact.find_element(By.CSS_SELECTOR, '[data-cell="means"]').text == \
        "at least 70% chance: still in two-way contact in the next 90 days"
    assert contact.find_element(By.CSS_SELECTOR, '[data-cell="evaluation"]').text == \
        "0.812: default 0.751, 90-day activity count 0.740, recency 0.763 (412 held-out examples)"
    weights = contact.find_element(By.CSS_SELECTOR, '[data-cell="weights"]').text
    assert weights.split("\n") == ["Recency 40", "Frequency 35", "Responsiveness 25"]  # in the panel's order
    assert contact.find_element(By.CSS_SELECTOR, '[data-cell="next"]').text == "Dec 1, 2026"
    opportunity = section.find_element(By.CSS_SELECTOR, '[data-health-model="opportunity"]')
    assert opportunity.get_attribute("data-kind") == "Default"
    assert ("Default weights: 120 examples in the history, fewer than the 300 needed (or fewer than 30 of either "
            "outcome).") in opportunity.text
    assert opportunity.find_element(By.CSS_SELECTOR, '[data-cell="means"]').text == "–"
    lead = section.find_element(By.CSS_SELECTOR, '[data-health-model="lead"]')
    assert "Weights and cut-offs set by an administrator (health_fit is off)." in lead.text
    assert lead.find_element(By.CSS_SELECTOR, '[data-cell="next"]').text == "–"
    driver.execute_script("arguments[0].scrollIntoView()", section)
    section.screenshot(str(tmp_path / "admin-health.png"))
    print(f"screenshot: {tmp_path / 'admin-health.png'}")
