"""Leads and opportunities borrow their account's and contact's attributes as features."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from connector import canonical
from connector.pipeline.scoring_data import ENTITIES, open_rows, training_rows

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_account_and_contact_attributes_join_each_record_by_its_lookups() -> None:
    leads = canonical.conform(pd.DataFrame({
        "lead_id": ["L1", "L2", "L3"], "parent_account_id": ["A1", None, "A-gone"],
        "parent_contact_id": [None, "C1", None], "state_code": [0, 0, 1],
        "created_on": pd.to_datetime(["2025-12-01"] * 3, utc=True),
        "modified_on": pd.to_datetime(["2025-12-20"] * 3, utc=True),
        "closed_on": pd.to_datetime([None, None, "2025-12-15"], utc=True),
    }), "leads")
    accounts = canonical.conform(pd.DataFrame({"account_id": ["A1"], "industrycode": ["Retail"],
                                               "numberofemployees": [250]}), "accounts")
    contacts = canonical.conform(pd.DataFrame({"contact_id": ["C1"], "jobtitle": ["CFO"]}), "contacts")
    frames = {"leads": leads, "accounts": accounts, "contacts": contacts,
              "activities": canonical.empty_frame("activities")}
    out = pd.concat([open_rows(frames, ENTITIES[0], NOW), training_rows(frames, ENTITIES[0])]).set_index("lead_id")
    assert out.loc["L1", "account_industrycode"] == "Retail" and out.loc["L1", "account_numberofemployees"] == 250
    assert pd.isna(out.loc["L2", "account_industrycode"]) and out.loc["L2", "contact_jobtitle"] == "CFO"
    assert pd.isna(out.loc["L3", "account_industrycode"])  # an account that is not (or no longer) there
    assert "account_revenue" not in out.columns  # only attributes the extract read


def test_an_attribute_the_record_holds_itself_is_not_borrowed() -> None:
    leads = canonical.conform(pd.DataFrame({"lead_id": ["L1"], "parent_account_id": ["A1"], "state_code": [0],
                                            "industrycode": ["Banking"]}), "leads")
    accounts = canonical.conform(pd.DataFrame({"account_id": ["A1"], "industrycode": ["Retail"],
                                               "customertypecode": ["Customer"]}), "accounts")
    frames = {"leads": leads, "accounts": accounts, "activities": canonical.empty_frame("activities")}
    out = open_rows(frames, ENTITIES[0], NOW)
    assert "account_industrycode" not in out.columns and out["industrycode"].iloc[0] == "Banking"
    assert out["account_customertypecode"].iloc[0] == "Customer"


def test_the_owner_is_named_not_an_id_when_an_admin_includes_it() -> None:
    leads = canonical.conform(pd.DataFrame({"lead_id": ["L1", "L2"], "owner_id": ["U1", "U-unknown"],
                                            "state_code": [0, 0]}), "leads")
    users = canonical.conform(pd.DataFrame({"user_id": ["U1"], "fullname": ["Marie Dupont"]}), "users")
    frames = {"leads": leads, "users": users, "activities": canonical.empty_frame("activities")}
    out = open_rows(frames, ENTITIES[0], NOW)
    assert out["owner_id"].tolist() == ["Marie Dupont", "U-unknown"]


def test_the_owner_is_not_a_factor_unless_the_admin_includes_it() -> None:
    from connector.pipeline.scoring_data import excluded

    assert "owner_id" in excluded(())
    assert "owner_id" not in excluded(("owner_id",))
    # The final stage and the canonical alias of a logical-name column are never offered either.
    assert {"salesstage", "sales_stage", "stepname", "estimated_value", "closeprobability"} <= set(excluded(()))
