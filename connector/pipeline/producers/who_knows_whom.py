"""Who knows whom: how strongly each colleague knows each customer person, from mail, meetings and calls
(spec §5)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import Field

from connector import canonical
from connector.feature_settings import FeatureSettings
from connector.insights.wkw import pair_aggregates, refresh_aggregates, strengths_at
from connector.insights.wkw.connections import Person, build_connections
from connector.messages import catalog
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext
from connector.pipeline.interactions import interactions_from


def _template(lang: str, part: str) -> str:
    node: Any = catalog()[lang]["introTemplate"]
    return str(node[part])


class IntroTemplate(FeatureSettings):
    """The "Get introduced" e-mail in one language: ICU-style text with {colleague}, {person}, {me} and
    {strength, select, strong {…} good {…} other {…}} so the wording fits how well the colleague knows them."""

    subject: str = Field(min_length=1, max_length=200, description="Subject of the introduction request.")
    body: str = Field(min_length=1, max_length=4000, description="Body of the introduction request.")


class WhoKnowsWhomSettings(FeatureSettings):
    """Whose mail is never used, how many colleagues are kept per person, from which strength, and the
    introduction e-mail's template in each language."""

    excluded_users: list[str] = Field(default=[], description="E-mail addresses or systemuser ids whose "
                                                              "data is never used.")
    top_n: int = Field(default=5, ge=1, le=20, description="Colleagues kept per customer person.")
    min_strength: int = Field(default=10, ge=0, le=100, description="A colleague whose connection strength is "
                                                                    "below this is not listed.")
    intro_en: IntroTemplate = Field(default_factory=lambda: IntroTemplate(
        subject=_template("en", "subject"), body=_template("en", "body")),
        description="The introduction request in English.")
    intro_fr: IntroTemplate = Field(default_factory=lambda: IntroTemplate(
        subject=_template("fr", "subject"), body=_template("fr", "body")),
        description="The introduction request in French.")


def _people(frames: Frames) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for frame, kind, id_col in (("leads", "lead", "lead_id"), ("contacts", "contact", "contact_id")):
        df = frames.get(frame, canonical.empty_frame(frame))
        for email, pid, acc in zip(df["email"], df[id_col], df["parent_account_id"], strict=True):
            if isinstance(email, str) and email:
                people[email] = Person(str(pid), kind, None if pd.isna(acc) else str(acc))
    return people


def _names(frames: Frames) -> dict[str, str]:
    names: dict[str, str] = {}
    for frame, key in (("users", "user_id"), ("contacts", "contact_id"), ("leads", "lead_id")):
        df = frames.get(frame)
        if df is not None:
            names.update({str(k): str(v) for k, v in zip(df[key], df["fullname"], strict=True) if isinstance(v, str)})
    return names


AGGREGATES = "pair_aggregates"


def _compute(frames: Frames, ctx: RunContext[WhoKnowsWhomSettings]) -> Produced:
    users = frames.get("users", canonical.empty_frame("users"))
    user_by_address = {e: u for e, u in zip(users["email"], users["user_id"], strict=True) if isinstance(e, str)}
    excluded = {x.lower() for x in ctx.settings.excluded_users}
    excluded_addresses = {a for a, u in user_by_address.items() if a in excluded or u in excluded}
    # The per-pair sums hold no clock: they are reused until an interaction changes or a planned one comes due.
    changed = ctx.recompute_all or ctx.changes.touched("activities", "parties", "mail", "users")
    aggregates, recomputed = refresh_aggregates(
        ctx.state.get(AGGREGATES), now=ctx.now, inputs_changed=changed,
        compute=lambda: pair_aggregates(interactions_from(frames), now=ctx.now, internal=set(user_by_address),
                                        excluded_users=excluded_addresses))
    strengths = strengths_at(aggregates, now=ctx.now, timezone=ctx.org_timezone)
    out = build_connections(strengths, people=_people(frames), users=user_by_address, top_n=ctx.settings.top_n,
                            excluded_users=excluded | excluded_addresses)
    # One-off contacts are not introducers: a colleague below the minimum strength is not listed.
    out = out[pd.to_numeric(out["osi_strength"], errors="coerce").fillna(0) >= ctx.settings.min_strength]
    out = out.reset_index(drop=True)
    names = _names(frames)
    out["osi_name"] = [f"{names.get(p, p)} — known by {names.get(u, u)}"[:200]
                       for p, u in zip(out["osi_personid"], out["osi_userid"], strict=True)]
    return Produced(frames={"osi_connection": out}, state={AGGREGATES: aggregates},
                    evaluated=len(strengths) if recomputed else 0)


PRODUCER: Producer[Any] = Producer(
    name="who_knows_whom",
    description="Who knows whom: excluded_users (e-mail addresses or systemuser ids whose data is never used), "
                "top_n colleagues kept per person, min_strength to be listed, and the introduction e-mail "
                "(intro_en, intro_fr: subject and body with {colleague}, {person}, {me}, {strength, select, ...}).",
    settings=WhoKnowsWhomSettings,
    outputs=(Output("osi_connection"),),
    compute=_compute,
    version="2",
)
