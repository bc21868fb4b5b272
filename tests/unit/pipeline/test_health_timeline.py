"""Health-change timeline entries: decided from our committed states, idempotent, never for admin changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from connector import schema
from connector.pipeline.producers.health_timeline import current_states, decide, held_states

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
GOOD, FAIR, POOR, NEI = (schema.HEALTH_STATE.value(s) for s in ("Good", "Fair", "Poor", "Not enough info"))
A, B, C, D = (f"00000000-0000-0000-0000-00000000000{i}" for i in "abcd")


def _result(states: list[int | None], scores: list[int | None]) -> dict[str, pd.DataFrame]:
    return {"contact": pd.DataFrame({"contactid": [A, B, C, D], "osi_healthstate": pd.array(states, dtype="Int64"),
                                     "osi_healthscore": pd.array(scores, dtype="Int64")})}


def test_only_graded_to_graded_moves_make_entries_keyed_by_when_the_old_state_began() -> None:
    first = decide(current_states(_result([GOOD, FAIR, NEI, NEI], [70, 50, None, None])),
                   held_states({}), now=NOW, admin_change=False)
    assert first.entries.empty and first.moved == 0
    later = NOW + timedelta(days=3)
    second = decide(current_states(_result([POOR, FAIR, GOOD, NEI], [30, 50, 80, None])), first.state,
                    now=later, admin_change=False)
    assert list(second.entries["osi_key"]) == [f"health|{A}|Good|Poor|20260301T120000"]
    assert second.entries.loc[0, "regardingobjectid_contact_osi_insight@odata.bind"] == f"/contacts({A})"
    assert second.entries.loc[0, "subject"] == "Relationship health: Good → Poor (score 30)"
    since = second.state.set_index("record_id")["since"]
    assert since[A] == pd.Timestamp(later) and since[B] == pd.Timestamp(NOW) and since[C] == pd.Timestamp(later)


def test_a_rerun_after_an_interrupted_load_decides_the_same_entry() -> None:
    committed = decide(current_states(_result([GOOD] * 4, [70] * 4)), held_states({}), now=NOW,
                       admin_change=False).state
    moved = current_states(_result([FAIR, GOOD, GOOD, GOOD], [50, 70, 70, 70]))
    # The killed run and its rerun (a day later) compare with the same committed states.
    killed = decide(moved, committed, now=NOW + timedelta(hours=4), admin_change=False)
    rerun = decide(moved, committed, now=NOW + timedelta(days=1), admin_change=False)
    assert list(killed.entries["osi_key"]) == list(rerun.entries["osi_key"])
    assert list(rerun.entries["osi_key"]) == [f"health|{A}|Good|Fair|20260301T120000"]


def test_an_admin_change_writes_no_entry_but_counts_the_moves() -> None:
    committed = decide(current_states(_result([GOOD] * 4, [70] * 4)), held_states({}), now=NOW,
                       admin_change=False).state
    out = decide(current_states(_result([FAIR, FAIR, GOOD, POOR], [55, 55, 70, 20])), committed, now=NOW,
                 admin_change=True)
    assert out.entries.empty and out.moved == 3


def test_without_saved_states_the_held_ones_are_the_reference() -> None:
    held = {"contacts": pd.DataFrame({"contact_id": [A, B], "osi_healthstate": [GOOD, None]})}
    out = decide(current_states(_result([FAIR, GOOD, GOOD, GOOD], [50, 70, 70, 70])), held_states(held), now=NOW,
                 admin_change=False)
    assert list(out.entries["osi_key"]) == [f"health|{A}|Good|Fair|held"]
