"""E-mail threads, turns and first-response times.

Which messages belong together, in order of preference:

1. ``parent_activity_id`` (Dataverse's own threading) and ``in_reply_to`` ↔ ``message_id``;
2. ``conversation_id`` (Graph's conversation, or one the extract derived);
3. last resort, for messages linked by neither: the normalised subject. A reply-prefixed message
   ("Re: X", "AW: X", "RE[2]: X") from either side joins the latest earlier thread with subject X with the
   same customer party (the ``counterpart``); a message without a reply prefix starts a new thread, so a
   weekly "Status" mail is not a reply to last week's. Data without In-Reply-To headers (the Enron
   corpus, mail stores that drop them) threads this way.

A thread is a time-ordered sequence of *turns*: runs of consecutive messages from one side (our team
or the customer). A turn is answered by the next turn in its thread, which is from the other side;
its first-response time runs from the turn's first message to that answer. A customer who writes
twice before we answer is answered once, measured from the first of the two, which is what a
first-response time means; a message nobody answered has no response time (it never counts as zero).
An unanswered turn counts as a miss only when it opened its thread: a reply nobody answers usually
closes the exchange ("thanks"), and counting it would make every thread end in a miss.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Patterns on lowercased text, as plain strings, so pandas runs them in Arrow's vectorised regex engine.
_PREFIX = r"^\s*(?:(?:re|aw|sv|antw|réf|ref|rif|vs|fw|fwd|tr|wg|rv|enc)\s*(?:\[\d+\])?\s*:\s*)+"
_REPLY = r"^\s*(?:re|aw|sv|antw|réf|ref|rif|vs)\s*(?:\[\d+\])?\s*:"


def normalise_subject(subject: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(normalised, is_reply)``: the subject without reply/forward prefixes, lowercased, spaces collapsed."""
    # Subjects repeat a lot ("Re: Offer" in every thread about the offer): work on the distinct ones.
    codes, uniques = pd.factorize(subject.astype("string").fillna("").str.lower())
    text = pd.Series(uniques, dtype="string")
    norm = text.str.replace(_PREFIX, "", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    reply = text.str.contains(_REPLY, regex=True).fillna(False).to_numpy(dtype=bool)
    return (pd.Series(norm.to_numpy(dtype=object)[codes], index=subject.index, dtype="string"),
            pd.Series(reply[codes], index=subject.index))


def _components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Connected-component label (smallest member position) of each of ``n`` nodes given edges u–v."""
    lab = np.arange(n)
    if len(u) == 0:
        return lab
    while True:
        new = lab.copy()
        np.minimum.at(new, u, lab[v])
        np.minimum.at(new, v, lab[u])
        new = new[new]
        if np.array_equal(new, lab):
            return lab
        lab = new


def _positions(keys: pd.Series, refs: pd.Series) -> np.ndarray:
    """Row position of the first row whose ``keys`` equals each ``refs`` value (−1 when none)."""
    codes, _ = pd.factorize(pd.concat([keys, refs], ignore_index=True).astype("string"))
    key_codes, ref_codes = codes[:len(keys)], codes[len(keys):]
    first = np.full(codes.max(initial=-1) + 2, -1, dtype=np.int64)
    valid = np.flatnonzero(key_codes >= 0)[::-1]  # reversed: the first occurrence is written last
    first[key_codes[valid]] = valid
    return np.where(ref_codes >= 0, first[ref_codes], -1)


def assign_threads(msgs: pd.DataFrame) -> pd.DataFrame:
    """Thread, turn and answer of every message.

    Args:
        msgs: one row per message with ``activity_id`` (unique), ``when`` (UTC), ``side`` (two values,
            e.g. team/customer), ``parent_activity_id``, ``message_id``, ``in_reply_to``,
            ``conversation_id``, ``subject`` and ``counterpart`` (group key of the subject rule).

    Returns:
        ``msgs`` sorted by time with ``thread`` and ``turn`` (int ids), ``thread_start`` (first message of
        its thread), ``turn_start`` (first message of its turn), ``turn_time`` (time of the turn's first
        message), ``answered_at`` (first message of the next turn, NaT if none), ``thread_side`` and
        ``thread_time`` (side and time of the thread's first message) and ``first_other_at`` (first
        message in the thread from the side that did not start it, NaT if none) and ``opener`` (the
        message is in its thread's first turn).
    """
    m = msgs.sort_values(["when", "activity_id"], kind="stable").reset_index(drop=True)
    return _with_turns(m, _thread_ids(m))


def _thread_ids(m: pd.DataFrame) -> np.ndarray:
    """The thread of each time-sorted message: explicit parents and replies, conversations, then subjects
    (a message linked by none of them starts a thread of its own)."""
    n = len(m)
    us, vs = [], []
    explicit = (_positions(m["activity_id"], m["parent_activity_id"]), _positions(m["message_id"], m["in_reply_to"]))
    for parent in explicit:
        child = np.flatnonzero(parent >= 0)
        par = parent[child]
        ok = par < child  # a parent is earlier; this also rules out cycles
        us.append(child[ok])
        vs.append(par[ok])
    conv = m["conversation_id"]
    has_conv = conv.notna().to_numpy()
    first_in_conv = pd.Series(np.arange(n))[has_conv].groupby(conv[has_conv].to_numpy()).transform("min")
    us.append(first_in_conv.index.to_numpy())
    vs.append(first_in_conv.to_numpy())
    u, v = np.concatenate(us), np.concatenate(vs)
    lab = _components(n, u, v)
    linked = np.zeros(n, dtype=bool)
    linked[u[u != v]] = True
    linked[v[u != v]] = True
    linked |= has_conv

    norm, is_reply = normalise_subject(m["subject"])
    norm_code = pd.factorize(norm)[0].astype(np.int64)
    cp_code = pd.factorize(m["counterpart"])[0].astype(np.int64)
    key = norm_code * (cp_code.max(initial=0) + 2) + cp_code + 1
    by_subject = ~linked & norm.ne("").to_numpy()
    sub = pd.Series(key[by_subject])
    seg_start = ~is_reply.to_numpy()[by_subject] | ~sub.duplicated().to_numpy()
    seg = pd.Series(seg_start.astype(np.int64)).groupby(sub.to_numpy()).cumsum().to_numpy()
    raw = np.where(linked, lab, n + np.arange(n)).astype(np.int64)
    raw[by_subject] = 2 * n + pd.factorize(sub.to_numpy() * (n + 1) + seg)[0]
    return np.asarray(pd.factorize(raw)[0], dtype=np.int64)



def _with_turns(m: pd.DataFrame, thread: np.ndarray) -> pd.DataFrame:
    """``m`` (time-sorted) with its threads, turns and answers (the columns :func:`assign_threads` names)."""
    # Walk every thread in time order: a turn starts at a thread's first message or a change of side.
    n = len(m)
    order = np.lexsort((np.arange(n), thread))
    th, team = thread[order], m["side"].to_numpy(dtype=object)[order] == "team"
    when = m["when"].to_numpy(dtype="datetime64[ns]")[order]
    new_thread = np.ones(n, dtype=bool)
    new_thread[1:] = th[1:] != th[:-1]
    turn_start = new_thread.copy()
    turn_start[1:] |= team[1:] != team[:-1]
    turn = np.cumsum(turn_start) - 1
    first_of_turn = np.flatnonzero(turn_start)
    turn_when = when[first_of_turn]
    next_same = np.zeros(len(first_of_turn), dtype=bool)
    next_same[:-1] = th[first_of_turn[1:]] == th[first_of_turn[:-1]]
    answer = np.full(len(first_of_turn), np.datetime64("NaT"), dtype="datetime64[ns]")
    answer[:-1] = np.where(next_same[:-1], turn_when[1:], np.datetime64("NaT"))
    first_of_thread = np.maximum.accumulate(np.where(new_thread, np.arange(n), 0))
    first_turn_of_thread = turn[first_of_thread]

    out = np.empty(n, dtype=np.int64)
    out[order] = np.arange(n)  # position in the walk of each time-sorted row
    m["thread"] = th[out]
    m["turn"] = turn[out]
    m["thread_start"] = new_thread[out]
    m["turn_start"] = turn_start[out]
    m["turn_time"] = pd.to_datetime(turn_when[turn][out], utc=True)
    m["answered_at"] = pd.to_datetime(answer[turn][out], utc=True)
    m["thread_side"] = pd.Categorical(np.where(team[first_of_thread], "team", "customer")[out],
                                      categories=["team", "customer"])
    m["thread_time"] = pd.to_datetime(when[first_of_thread][out], utc=True)
    # The second turn of a thread is the first message from the side that did not start it.
    m["first_other_at"] = pd.to_datetime(answer[first_turn_of_thread][out], utc=True)
    m["opener"] = (turn == first_turn_of_thread)[out]
    return m
