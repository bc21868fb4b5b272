"""MSCRMCallerID: a read made on behalf of a user gets that user's privileges; at user depth, their rows only."""

from __future__ import annotations

from typing import Any

import requests

SELLER, OTHER = "00000000-0000-4000-8000-0000000000a1", "00000000-0000-4000-8000-0000000000b2"


def _get(em: Any, path: str, caller: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {em.token}", "Accept": "application/json", "OData-MaxVersion": "4.0"}
    if caller:
        headers["MSCRMCallerID"] = caller
    return requests.get(f"{em.url}/api/data/v9.2/{path}", headers=headers, timeout=30)


def test_a_user_level_reader_sees_only_their_own_rows_and_is_refused_without_the_privilege(em: Any) -> None:
    from emulator.org import DemoOrg

    rows = [{"contactid": f"00000000-0000-4000-8000-00000000c00{i}", "lastname": f"C{i}",
             "ownerid": {"id": owner, "logicalname": "systemuser"}} for i, owner in enumerate((SELLER, SELLER, OTHER))]
    em.store.load_org(DemoOrg(now=None, tables={"contact": rows}))  # type: ignore[arg-type]
    em.callers.grant(SELLER, {"prvReadContact": "Basic"})
    mine = _get(em, "contacts?$select=lastname", SELLER)
    assert mine.status_code == 200
    assert sorted(r["lastname"] for r in mine.json()["value"]) == ["C0", "C1"]
    filtered = _get(em, "contacts?$select=lastname&$filter=lastname eq 'C2'", SELLER)
    assert filtered.json()["value"] == []
    assert _get(em, "contacts(00000000-0000-4000-8000-00000000c002)?$select=lastname", SELLER).status_code == 403
    own = _get(em, "contacts(00000000-0000-4000-8000-00000000c000)?$select=lastname", SELLER)
    assert own.json()["lastname"] == "C0"
    refused = _get(em, "accounts?$select=name", SELLER)
    assert refused.status_code == 403 and "prvReadAccount" in refused.json()["error"]["message"]
    assert len(_get(em, "contacts?$select=lastname", OTHER).json()["value"]) == 3  # no grant: System Administrator
    assert _get(em, "contacts?$select=lastname", "not-a-user").status_code == 400
    assert len(_get(em, "contacts?$select=lastname", None).json()["value"]) == 3  # the application user
    em.callers.grant(SELLER, {"prvReadContact": "Global"})
    assert len(_get(em, "contacts?$select=lastname", SELLER).json()["value"]) == 3
