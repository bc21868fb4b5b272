"""Note suggestions expire when their time has passed; a seller's Accepted or Dismissed always wins."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from connector import canonical, schema
from connector.pipeline.contract import RunContext
from connector.pipeline.producers import notes
from connector.pipeline.registry import REGISTRY
from connector.sync.diff import plan_writes

WRITTEN = datetime(2026, 8, 1, 9, 0, tzinfo=UTC)
OWNER = "00000000-0000-0000-0000-0000000000a1"
TEXTS = {
    "n-call": "Call Ashley on August 4 at 4 pm about the renewal.",
    "n-task": "I'll prepare the contract by August 10.",
    "n-contact": "Let me introduce you to John Smith, our new buyer.",
}


def _frames() -> dict[str, pd.DataFrame]:
    rows = [{"note_id": nid, "object_id": "c1", "object_type": "contact", "subject": None, "text": text,
             "owner_id": OWNER, "created_on": WRITTEN, "modified_on": WRITTEN} for nid, text in TEXTS.items()]
    users = pd.DataFrame([{"user_id": OWNER, "fullname": "Seller", "timezone": "America/New_York"}])
    return {"notes": canonical.conform(pd.DataFrame(rows), "notes"), "users": canonical.conform(users, "users")}


def _statuses(now: datetime, **settings: object) -> dict[tuple[str, str], str]:
    ctx = RunContext(now=now, settings=notes.NotesSettings(**settings))  # type: ignore[arg-type]
    rows = notes.PRODUCER.compute(_frames(), ctx).frames["osi_notesuggestion"]
    return {(str(r.osi_noteid), schema.SUGGESTION_TYPE.label(int(r.osi_suggestiontype))):
            schema.SUGGESTION_STATUS.label(int(r.osi_suggestionstatus)) for r in rows.itertuples()}


def test_a_call_is_offered_until_its_time_then_expires() -> None:
    before = _statuses(datetime(2026, 8, 4, 19, 59, tzinfo=UTC))  # 3:59 pm in New York
    after = _statuses(datetime(2026, 8, 4, 20, 1, tzinfo=UTC))
    assert before[("n-call", "Phone call")] == "New"
    assert after[("n-call", "Phone call")] == "Expired"


def test_a_task_expires_the_configured_days_after_it_is_due() -> None:
    due_plus_6 = datetime(2026, 8, 16, 12, tzinfo=UTC)
    due_plus_8 = datetime(2026, 8, 18, 12, tzinfo=UTC)
    assert _statuses(due_plus_6)[("n-task", "Task")] == "New"
    assert _statuses(due_plus_8)[("n-task", "Task")] == "Expired"
    assert _statuses(due_plus_8, expire_tasks_after_days=10)[("n-task", "Task")] == "New"


def test_an_undated_suggestion_expires_after_its_note_ages() -> None:
    assert _statuses(datetime(2026, 8, 20, tzinfo=UTC))[("n-contact", "New contact")] == "New"
    assert _statuses(datetime(2026, 9, 1, tzinfo=UTC))[("n-contact", "New contact")] == "Expired"
    kept = _statuses(datetime(2027, 9, 1, tzinfo=UTC), expire_undated_after_days=None)
    assert kept[("n-contact", "New contact")] == "New"


def test_expiry_is_decided_at_assembly_not_cached_with_the_note() -> None:
    ctx = RunContext(now=datetime(2026, 8, 2, tzinfo=UTC), settings=notes.NotesSettings())
    first = notes.PRODUCER.compute(_frames(), ctx)
    later = RunContext(now=datetime(2026, 8, 5, tzinfo=UTC), settings=notes.NotesSettings(), state=first.state,
                       recompute_all=False)
    second = notes.PRODUCER.compute(_frames(), later)
    assert second.evaluated == 0  # nothing re-analysed ...
    calls = second.frames["osi_notesuggestion"]
    call = calls[calls["osi_noteid"] == "n-call"]
    assert call["osi_suggestionstatus"].tolist() == [notes.EXPIRED]  # ... yet the call expired


def test_a_sellers_choice_is_never_overwritten_but_new_becomes_expired() -> None:
    ctx = RunContext(now=datetime(2026, 8, 20, tzinfo=UTC), settings=notes.NotesSettings())
    rows = notes.PRODUCER.compute(_frames(), ctx).frames["osi_notesuggestion"]
    held = rows.copy()
    held["osi_notesuggestionid"] = [f"id-{i}" for i in range(len(held))]
    status = {"n-call": "Accepted", "n-task": "New", "n-contact": "Dismissed"}
    held["osi_suggestionstatus"] = [schema.SUGGESTION_STATUS.value(status[n]) for n in held["osi_noteid"]]
    writes = plan_writes(REGISTRY.targets()["osi_notesuggestion"], rows, held, primary_id="osi_notesuggestionid",
                         now=ctx.now)
    changed = {w.key: dict(w.body) for w in writes}
    task_key = rows.loc[rows["osi_noteid"] == "n-task", "osi_key"].iloc[0]
    assert changed == {task_key: {"osi_suggestionstatus": notes.EXPIRED}}
