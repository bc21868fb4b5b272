"""Same input, same output: row order, repeated messages and equal timestamps change nothing; a subset of
people computed from only their interactions equals the full computation for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from connector.insights.wkw import build_connections, canonical_interactions, connection_strengths

NOW = datetime(2025, 6, 2, 9, tzinfo=UTC)
US = [f"u{i}@us.example" for i in range(5)]
THEM = [f"p{i}@them.example" for i in range(30)]
PEOPLE = {a: (f"c{i}", "contact" if i % 3 else "lead", f"a{i % 4}") for i, a in enumerate(THEM)}
USERS = {a: f"id-{i}" for i, a in enumerate(US)}


def messy(seed: int = 11, n: int = 600) -> pd.DataFrame:
    """Mail with threads and conversations, many messages at the same minute, and repeated message ids."""
    rng = np.random.default_rng(seed)
    base = pd.Timestamp(NOW) - pd.Timedelta(days=200)
    rows = []
    for k in range(n):
        ours, theirs = US[rng.integers(len(US))], THEM[rng.integers(len(THEM))]
        out = bool(rng.integers(2))
        others = [THEM[j] for j in rng.integers(len(THEM), size=rng.integers(0, 3))]
        rows.append({
            # Minutes from a small set, so many messages share a timestamp.
            "timestamp": base + pd.Timedelta(minutes=int(rng.integers(0, 400)) * 720),
            "sender": ours if out else theirs, "recipients": [theirs if out else ours, *others],
            "cc": [US[rng.integers(len(US))]] if rng.random() < 0.3 else [],
            "channel": ["email", "email", "meeting", "call"][rng.integers(4)],
            "subject": ["Re: offer", "offer", "RE: RE: visit", "visit"][rng.integers(4)],
            "message_id": f"m{k}", "in_reply_to": f"m{rng.integers(max(k, 1))}" if rng.random() < 0.3 else None,
            "conversation_id": f"c{rng.integers(60)}" if rng.random() < 0.5 else None,
        })
    frame = pd.DataFrame(rows)
    # The same e-mail tracked twice (same id, same content) and an id reused with other content.
    repeats = frame.sample(60, random_state=seed)
    reused = frame.sample(20, random_state=seed + 1).assign(sender=US[0], recipients=[[THEM[0]]] * 20)
    return pd.concat([frame, repeats, reused], ignore_index=True)


def shuffled(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def rows(frame: pd.DataFrame, **kw: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    strengths = connection_strengths(frame, now=NOW, internal=set(US), **kw)
    return strengths, build_connections(strengths, people=PEOPLE, users=USERS, top_n=3)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_row_order_gives_identical_output(seed: int) -> None:
    frame = messy()
    strengths, connections = rows(frame)
    again_strengths, again_connections = rows(shuffled(frame, seed))
    pd.testing.assert_frame_equal(strengths, again_strengths)
    pd.testing.assert_frame_equal(connections, again_connections)
    assert (connections.groupby("osi_personid")["osi_rank"].apply(list)
            .map(lambda r: r == list(range(1, len(r) + 1)))).all()


def test_a_repeated_message_counts_once() -> None:
    frame = messy()
    once = frame.drop_duplicates("message_id", keep="first")
    ids = canonical_interactions(frame)["message_id"]
    assert ids.is_unique and len(ids) == once["message_id"].nunique()
    twice = pd.concat([frame, frame], ignore_index=True)
    pd.testing.assert_frame_equal(rows(frame)[0], rows(shuffled(twice, 4))[0])


def test_ties_in_strength_end_on_the_colleague_id() -> None:
    same = [{"timestamp": pd.Timestamp(NOW - timedelta(days=2)), "sender": u, "recipients": [THEM[0]], "cc": [],
             "message_id": f"x{u}"} for u in reversed(US)]
    connections = rows(pd.DataFrame(same))[1]
    assert list(connections["osi_userid"]) == sorted(USERS.values())[:3]
    assert list(connections["osi_rank"]) == [1, 2, 3]


@pytest.mark.parametrize("chosen", [[THEM[3]], [THEM[5], THEM[7], US[2]], [US[0], US[4]]])
def test_a_subset_of_people_from_only_their_interactions_equals_the_full_computation(chosen: list[str]) -> None:
    everything = canonical_interactions(messy())
    full = connection_strengths(everything, now=NOW, internal=set(US))
    involved = [chosen_set_meets(r, set(chosen)) for r in everything.itertuples(index=False)]
    theirs = shuffled(everything[involved], 5)
    assert len(theirs) < len(everything)
    subset = connection_strengths(theirs, now=NOW, internal=set(US), people=chosen)
    expected = full[full["internal"].isin(chosen) | full["external"].isin(chosen)].reset_index(drop=True)
    pd.testing.assert_frame_equal(subset, expected)


def chosen_set_meets(row: object, chosen: set[str]) -> bool:
    """Whether one of the chosen people sent or received the interaction."""
    return bool(({row.sender} | set(row.recipients) | set(row.cc)) & chosen)  # type: ignore[attr-defined]
