"""From e-mail frames to osi_talkingpoint rows: latest per topic, opt-out, keys, filters."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from connector import schema
from connector.errors import InsightError
from connector.insights.talking_points import OUTPUT_COLUMNS, find_talking_points

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def emails(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "activity_id": [r[0] for r in rows], "contact_id": [r[1] for r in rows],
        "description": [r[2] for r in rows], "occurred_on": pd.to_datetime([r[3] for r in rows], utc=True),
        "activity_type": "email", "direction": "incoming",
    })


def test_most_recent_mention_per_contact_and_topic_wins() -> None:
    frame = emails(
        ("e1", "c1", "What a game, my son's baseball team won the final!", "2025-01-10"),
        ("e2", "c1", "Did you watch the football match? I was at the stadium with my brother.", "2025-03-10"),
        ("e3", "c2", "I played golf with my father on Sunday.", "2025-02-01"),
    )
    out = find_talking_points(frame, now=NOW)
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    sports = out[out["osi_topic"] == schema.TOPIC.value("Sports")].set_index("osi_contactid")
    assert sports.loc["c1", "osi_sourceemailid"] == "e2"
    assert "football" in sports.loc["c1", "osi_snippet"]
    assert sports.loc["c2", "osi_sourceemailid"] == "e3"
    assert out["osi_key"].is_unique
    assert set(out["osi_key"]) >= {"c1|sports", "c2|sports", "c1|family"}


def test_rerun_gives_identical_rows() -> None:
    frame = emails(("e1", "c1", "My daughter graduated!", "2025-01-10"))
    pd.testing.assert_frame_equal(find_talking_points(frame, now=NOW), find_talking_points(frame, now=NOW))


def test_opted_out_contacts_get_no_rows() -> None:
    frame = emails(("e1", "c1", "My daughter graduated!", "2025-01-10"),
                   ("e2", "c2", "My son graduated!", "2025-01-10"))
    out = find_talking_points(frame, now=NOW, opted_out_contacts={"c1"})
    assert set(out["osi_contactid"]) == {"c2"}


def test_outgoing_future_and_non_email_rows_are_ignored() -> None:
    frame = emails(("e1", "c1", "My daughter graduated!", "2025-01-10"),
                   ("e2", "c2", "My son graduated!", "2025-12-10"),
                   ("e3", "c3", "My wife's birthday party!", "2025-01-10"))
    frame.loc[0, "direction"] = "outgoing"
    frame.loc[2, "activity_type"] = "phonecall"
    assert find_talking_points(frame, now=NOW).empty


def test_topic_and_language_settings() -> None:
    frame = emails(("e1", "c1", "My daughter's birthday party was lovely.", "2025-01-10"),
                   ("e2", "c2", "Ma fille a fêté son anniversaire samedi.", "2025-01-10"))
    only_family = find_talking_points(frame, now=NOW, topics=["family"])
    assert set(only_family["osi_topic"]) == {schema.TOPIC.value("Family")}
    english = find_talking_points(frame, now=NOW, languages=["en"])
    assert set(english["osi_contactid"]) == {"c1"}


def test_bad_rows_are_skipped_not_fatal() -> None:
    frame = emails(("e1", "c1", "My daughter graduated!", "2025-01-10"),
                   ("e2", "c2", "My son graduated!", "2025-01-10"))
    frame["description"] = frame["description"].astype(object)
    frame.loc[1, "description"] = None
    frame.loc[0, "contact_id"] = None
    frame = pd.concat([frame, emails(("e3", "c3", "My son graduated!", "2025-01-10"))], ignore_index=True)
    frame.loc[2, "occurred_on"] = pd.NaT
    assert find_talking_points(frame, now=NOW).empty


def test_snippet_and_name_hold_no_more_than_allowed() -> None:
    frame = emails(("e1", "c1", "My daughter " + "really " * 60 + "loved it.", "2025-01-10"))
    out = find_talking_points(frame, now=NOW)
    assert out["osi_snippet"].str.len().max() <= 200
    assert out.loc[0, "osi_name"] == "Family (2025-01-10)"


def test_missing_column_and_unknown_topic_raise() -> None:
    with pytest.raises(InsightError, match="contact_id"):
        find_talking_points(pd.DataFrame({"activity_id": ["e1"]}), now=NOW)
    frame = emails(("e1", "c1", "x", "2025-01-10"))
    with pytest.raises(InsightError, match="politics"):
        find_talking_points(frame, now=NOW, topics=["politics"])


def test_empty_input_gives_typed_empty_frame() -> None:
    out = find_talking_points(emails(), now=NOW)
    assert out.empty and list(out.columns) == list(OUTPUT_COLUMNS)
