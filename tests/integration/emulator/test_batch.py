"""Fidelity: $batch framing, change sets (atomic, $n references), error handling, limits."""

from __future__ import annotations

import json
import re
import uuid

import pytest

pytestmark = pytest.mark.integration


def _request(method: str, url: str, body: object | None = None, content_id: str | None = None) -> str:
    lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if content_id:
        lines.append(f"Content-ID: {content_id}")
    lines += ["", f"{method} {url} HTTP/1.1"]
    if body is not None:
        lines += ["Content-Type: application/json; type=entry", "", json.dumps(body)]
    else:
        lines += [""]
    return "\r\n".join(lines)


def build(items: list) -> tuple[str, str]:
    """items: request strings or lists of request strings (change sets). Returns (content type, body)."""
    boundary = f"batch_{uuid.uuid4()}"
    chunks = []
    for item in items:
        if isinstance(item, list):
            cs = f"changeset_{uuid.uuid4()}"
            inner = "".join(f"--{cs}\r\n{r}\r\n" for r in item) + f"--{cs}--"
            chunks.append(f"Content-Type: multipart/mixed; boundary=\"{cs}\"\r\n\r\n{inner}")
        else:
            chunks.append(item)
    body = "".join(f"--{boundary}\r\n{c}\r\n" for c in chunks) + f"--{boundary}--\r\n"
    return f'multipart/mixed; boundary="{boundary}"', body


def send(api, items, prefer=None):
    content_type, body = build(items)
    headers = {"Content-Type": content_type}
    if prefer:
        headers["Prefer"] = prefer
    return api.session.post(api.base + "$batch", data=body.encode(), headers=headers, timeout=30)


def parts(response) -> tuple[str, list[str]]:
    boundary = re.fullmatch(r"multipart/mixed; boundary=(batchresponse_[0-9a-f-]{36})",
                            response.headers["Content-Type"]).group(1)
    text = response.text
    assert text.rstrip().endswith(f"--{boundary}--")
    return boundary, [p for p in text.split(f"--{boundary}")[1:-1]]


def test_batch_response_layout_with_change_set_and_references(api):
    items = [
        _request("GET", "/api/data/v9.2/WhoAmI"),
        [_request("POST", "/api/data/v9.2/accounts", {"name": "Parent"}, "1"),
         _request("POST", "/api/data/v9.2/contacts", {"lastname": "Kid", "parentcustomerid_account@odata.bind": "$1"},
                  "2"),
         _request("PATCH", "$1", {"telephone1": "123"}, "3")],
    ]
    r = send(api, items)
    assert r.status_code == 200
    boundary, got = parts(r)
    assert len(got) == 2
    first = got[0]
    assert "Content-Type: application/http" in first and "HTTP/1.1 200 OK" in first and "UserId" in first
    changeset = got[1]
    m = re.search(r"Content-Type: multipart/mixed; boundary=(changesetresponse_[0-9a-f-]{36})", changeset)
    assert m
    inner = changeset.split(f"--{m.group(1)}")[1:-1]
    assert len(inner) == 3
    for cid, part in zip(("1", "2", "3"), inner, strict=True):
        assert f"Content-ID: {cid}" in part
        assert "HTTP/1.1 204 No Content" in part and "OData-EntityId: " + api.base in part
    account = re.search(r"OData-EntityId: \S+accounts\(([0-9a-f-]{36})\)", inner[0]).group(1)
    body = api.get(f"accounts({account})").json()
    assert body["telephone1"] == "123"
    kids = api.get(f"contacts?$filter=_parentcustomerid_value eq {account}").json()["value"]
    assert [k["lastname"] for k in kids] == ["Kid"]
    assert api.em.counters.snapshot()["writes"] == {"accounts": 2, "contacts": 1}


def test_failed_change_set_rolls_back_and_stops_the_batch(api):
    items = [
        [_request("POST", "/api/data/v9.2/accounts", {"name": "Rolled back"}, "1"),
         _request("POST", "/api/data/v9.2/accounts", {"nosuchcolumn": 1}, "2")],
        _request("POST", "/api/data/v9.2/accounts", {"name": "Never reached"}),
    ]
    r = send(api, items)
    assert r.status_code == 400
    _, got = parts(r)
    assert len(got) == 1
    assert "HTTP/1.1 400 Bad Request" in got[0]
    error = json.loads(got[0].strip().split("\r\n\r\n")[-1])
    assert error["error"]["message"].startswith("Could not find a property named 'nosuchcolumn'")
    assert api.get("accounts").json()["value"] == []


def test_continue_on_error_reports_each_part(api):
    items = [
        _request("POST", "/api/data/v9.2/accounts", {"name": "One"}),
        _request("POST", "/api/data/v9.2/accounts", {"name": 5}),
        _request("POST", "/api/data/v9.2/Accounts", {"name": "Three"}),
        _request("POST", "/api/data/v9.2/accounts", {"name": "Four"}),
    ]
    r = send(api, items, prefer="odata.continue-on-error")
    assert r.status_code == 200
    assert r.headers["Preference-Applied"] == "odata.continue-on-error"
    _, got = parts(r)
    statuses = [int(re.search(r"HTTP/1.1 (\d{3})", p).group(1)) for p in got]
    assert statuses == [204, 400, 404, 204]
    assert sorted(v["name"] for v in api.get("accounts").json()["value"]) == ["Four", "One"]


def test_reference_to_undeclared_content_id(api):
    items = [[_request("PATCH", "$9", {"name": "x"}, "1")]]
    r = send(api, items)
    assert r.status_code == 400
    assert "Content-ID Reference: '$9' does not exist in the batch context." in r.text


def test_get_in_change_set_and_too_many_operations_are_rejected(api):
    r = send(api, [[_request("GET", "/api/data/v9.2/accounts", None, "1")]])
    assert r.status_code == 400 and r.json()["error"]["message"] == "A GET request cannot be part of a change set."
    many = [_request("POST", "/api/data/v9.2/accounts", {"name": f"A{i}"}) for i in range(1001)]
    r = send(api, many)
    assert r.status_code == 400 and "exceeded the limit of 1000" in r.json()["error"]["message"]
    assert api.get("accounts/$count").text == "0"


def test_batch_of_upserts_by_absolute_url(api):
    ids = [str(uuid.uuid4()) for _ in range(3)]
    items = [_request("PATCH", f"{api.base}accounts({i})", {"name": f"U{n}"}) for n, i in enumerate(ids)]
    r = send(api, items, prefer="odata.continue-on-error")
    assert r.status_code == 200
    assert sorted(v["accountid"] for v in api.get("accounts").json()["value"]) == sorted(ids)


def test_percent_escaped_alternate_key_in_batch_and_top_level(api):
    body = {"@odata.type": "Microsoft.Dynamics.CRM.EntityMetadata", "SchemaName": "osi_thing", "OwnershipType":
            "UserOwned", "Attributes": [{"@odata.type": "Microsoft.Dynamics.CRM.StringAttributeMetadata",
                                         "SchemaName": "osi_Name", "MaxLength": 100, "IsPrimaryName": True}]}
    assert api.post("EntityDefinitions", body).status_code == 204
    key_col = {"@odata.type": "Microsoft.Dynamics.CRM.StringAttributeMetadata", "SchemaName": "osi_Key",
               "MaxLength": 200}
    assert api.post("EntityDefinitions(LogicalName='osi_thing')/Attributes", key_col).status_code == 204
    assert api.post("EntityDefinitions(LogicalName='osi_thing')/Keys",
                    {"SchemaName": "osi_thing_key", "KeyAttributes": ["osi_key"]}).status_code == 204
    r = send(api, [_request("PATCH", "/api/data/v9.2/osi_things(osi_key='run%27%271%20co%C3%A9')",
                            {"osi_name": "batch"})])
    assert r.status_code == 200, r.text
    r = api.get("osi_things(osi_key='run%27%271%20co%C3%A9')")
    assert r.status_code == 200 and r.json()["osi_key"] == "run'1 coé"
    # Documented: / < > * % & : \ ? + (and # in a URL) cannot address a record by key.
    for bad in ("run%26co", "run%25", "a%2Fb", "a%3Ab", "a%2Bb"):
        assert api.patch(f"osi_things(osi_key='{bad}')", {"osi_name": "x"}).status_code in (400, 404), bad
