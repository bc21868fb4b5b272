"""$batch: multipart encoding, response decoding, change sets, continue-on-error, stop-at-first-error, chunking."""

from __future__ import annotations

import email
import email.policy
import json
import re

import pytest

from connector.dataverse import BatchOperation
from connector.dataverse.multipart import boundary_of, decode_batch
from connector.errors import BatchError, HttpResponseError

from .conftest import API

A = "0f8fad5b-d9cb-469f-a165-70867728950e"
B = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
BATCH = API + "$batch"
OUTER = "batchresponse_3b1d2a"
INNER = "changesetresponse_77aa"


def _ok(entity_id: str | None = None, content_id: str | None = None) -> str:
    cid = f"Content-ID: {content_id}\r\n" if content_id else ""
    location = f"OData-EntityId: {API}accounts({entity_id})\r\n" if entity_id else ""
    return (f"Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n{cid}\r\n"
            f"HTTP/1.1 204 No Content\r\nOData-Version: 4.0\r\n{location}\r\n\r\n")


def _fail(status: int, code: str, message: str, content_id: str | None = None) -> str:
    cid = f"Content-ID: {content_id}\r\n" if content_id else ""
    body = json.dumps({"error": {"code": code, "message": message}})
    return (f"Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n{cid}\r\n"
            f"HTTP/1.1 {status} Bad Request\r\nContent-Type: application/json; odata.metadata=minimal\r\n"
            f"OData-Version: 4.0\r\n\r\n{body}\r\n")


def _multipart(boundary: str, parts: list[str]) -> str:
    return "".join(f"--{boundary}\r\n{p}" for p in parts) + f"--{boundary}--\r\n"


def _reply(mocked, status: int, parts: list[str]) -> None:
    mocked.post(BATCH, status=status, body=_multipart(OUTER, parts).encode(),
                content_type=f"multipart/mixed; boundary={OUTER}")


def _sent_parts(request) -> list[email.message.Message]:
    """Parse what we sent with the standard library, independently of our own decoder."""
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = email.message_from_bytes(head + request.body, policy=email.policy.HTTP)
    return list(message.iter_parts())


def test_request_encoding(mocked, client):
    _reply(mocked, 200, [_ok(A), _ok(), _ok()])
    ops = [
        BatchOperation.upsert("accounts", {"osi_key": "k'1"}, {"name": "Ünïcode"}),
        BatchOperation.update("accounts", A, {"name": "x"}),
        BatchOperation.delete("accounts", B),
    ]
    results = client.submit_batch(ops)
    assert [r.ok for r in results] == [True, True, True] and results[0].entity_id == A
    request = mocked.calls[0].request
    assert request.headers["Prefer"] == "odata.continue-on-error"
    assert boundary_of(request.headers["Content-Type"]).startswith("batch_")
    parts = _sent_parts(request)
    assert len(parts) == 3 and all(p.get_content_type() == "application/http" for p in parts)
    first = parts[0].get_payload(decode=True).decode("utf-8")
    assert first.startswith(f"PATCH {API}accounts(osi_key='k''1') HTTP/1.1\r\n")
    assert json.loads(first.split("\r\n\r\n", 1)[1]) == {"name": "Ünïcode"}
    assert "If-Match: *" in parts[1].get_payload()
    assert parts[2].get_payload().startswith(f"DELETE {API}accounts({B}) HTTP/1.1")


def test_change_set_encoding_has_content_ids(mocked, client):
    _reply(mocked, 200, [f"Content-Type: multipart/mixed; boundary={INNER}\r\n\r\n"
                         + _multipart(INNER, [_ok(B, "2"), _ok(A, "1")])])
    ops = [BatchOperation.create("accounts", {"name": "a"}), BatchOperation.create("accounts", {"name": "b"})]
    results = client.submit_batch(ops, change_set=True, continue_on_error=False)
    # Matched by Content-ID, not by order.
    assert [r.entity_id for r in results] == [A, B]
    request = mocked.calls[0].request
    assert "Prefer" not in request.headers
    (changeset,) = _sent_parts(request)
    assert changeset.get_content_type() == "multipart/mixed"
    inner = list(changeset.iter_parts())
    assert [p["Content-ID"] for p in inner] == ["1", "2"]


def test_continue_on_error_maps_each_result(mocked, client):
    _reply(mocked, 200, [_ok(A), _fail(400, "0x80044331", "The length of the 'name' attribute is too long"), _ok()])
    ops = [BatchOperation.upsert("accounts", A, {"name": "a"}), BatchOperation.upsert("accounts", B, {"name": "x" * 9}),
           BatchOperation.delete("accounts", A)]
    results = client.submit_batch(ops)
    assert [(r.index, r.status_code, r.ok) for r in results] == [(0, 204, True), (1, 400, False), (2, 204, True)]
    error = results[1].error
    assert isinstance(error, HttpResponseError) and error.service_error_code == "0x80044331"
    assert error.request_id == mocked.calls[0].request.headers["x-ms-client-request-id"]
    with pytest.raises(BatchError) as info:
        results[1].raise_for_error()
    assert info.value.index == 1 and info.value.error is error
    results[0].raise_for_error()


def test_stop_at_first_error_reports_the_rest_as_not_executed(mocked, client):
    _reply(mocked, 200, [_ok(), _fail(404, "0x80040217", "account With Id = x Does Not Exist")])
    ops = [BatchOperation.update("accounts", A, {"name": str(i)}) for i in range(5)]
    results = client.submit_batch(ops, continue_on_error=False, max_ops=3)
    assert [r.status_code for r in results] == [204, 404, 424, 424, 424]
    assert "stopped at operation 1" in str(results[2].error)
    assert "earlier batch stopped" in str(results[4].error)
    assert len(mocked.calls) == 1  # the second chunk was never sent


def test_unattributed_stop_fails_the_whole_chunk(mocked, client):
    _reply(mocked, 400, [_fail(400, "0x0", "bad")])
    ops = [BatchOperation.update("accounts", A, {"name": "1"}), BatchOperation.update("accounts", B, {"name": "2"})]
    results = client.submit_batch(ops, continue_on_error=False)
    assert all(not r.ok for r in results) and all("did not attribute" in str(r.error) for r in results)


def test_change_set_failure_rolls_back_everything(mocked, client):
    _reply(mocked, 400, [_fail(400, "0x80040237", "duplicate", content_id="2")])
    ops = [BatchOperation.create("accounts", {"name": n}) for n in "abc"]
    results = client.submit_batch(ops, change_set=True, continue_on_error=False)
    assert [r.status_code for r in results] == [424, 400, 424]
    assert results[1].error.service_error_code == "0x80040237"
    assert "rolled back because of operation 1" in str(results[0].error)


def test_unnamed_change_set_failure_still_reports_the_cause(mocked, client):
    _reply(mocked, 400, [_fail(400, "0x80040237", "duplicate key")])
    results = client.submit_batch([BatchOperation.create("accounts", {"name": n}) for n in "ab"], change_set=True)
    assert [r.status_code for r in results] == [424, 424]
    assert all("did not name" in str(r.error) and "duplicate key" in str(r.error) for r in results)


def test_chunking_keeps_input_indexes(mocked, client):
    def answer(request):
        count = len(re.findall(rb"^--batch_", request.body, re.M)) - 1  # parts, minus the close delimiter
        body = _multipart(OUTER, [_ok() for _ in range(count)])
        return 200, {"Content-Type": f"multipart/mixed; boundary={OUTER}"}, body

    mocked.add_callback("POST", BATCH, callback=answer)
    ops = [BatchOperation.upsert("accounts", {"osi_key": str(i)}, {"name": str(i)}) for i in range(2500)]
    results = client.submit_batch(ops)
    assert len(mocked.calls) == 3 and [r.index for r in results] == list(range(2500)) and all(r.ok for r in results)


def test_batch_of_upserts_is_retried_but_creates_are_not(mocked, client):
    mocked.post(BATCH, status=502)
    _reply(mocked, 200, [_ok()])
    assert client.submit_batch([BatchOperation.upsert("accounts", A, {"name": "a"})])[0].ok
    assert len(mocked.calls) == 2
    mocked.replace("POST", BATCH, status=502)
    with pytest.raises(HttpResponseError) as info:
        client.submit_batch([BatchOperation.create("accounts", {"name": "a"})])
    assert info.value.status_code == 502 and len(mocked.calls) == 3


def test_whole_batch_errors_raise(mocked, client):
    mocked.post(BATCH, status=400, json={"error": {"code": "0x0", "message": "malformed batch"}})
    with pytest.raises(HttpResponseError, match="malformed batch"):
        client.submit_batch([BatchOperation.delete("accounts", A)])


def test_argument_checks(client):
    with pytest.raises(ValueError):
        client.submit_batch([BatchOperation("GET", "accounts")], change_set=True)
    with pytest.raises(ValueError):
        client.submit_batch([], max_ops=1001)
    assert client.submit_batch([]) == []


def test_decoder_handles_lf_only_and_bodies():
    body = (f"--{OUTER}\nContent-Type: application/http\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n"
            f'{{"value": 1}}\n--{OUTER}--\n').encode()
    (part,) = decode_batch(body, f'multipart/mixed; boundary="{OUTER}"')
    assert part.status_code == 200 and json.loads(part.body) == {"value": 1}
    with pytest.raises(ValueError):
        decode_batch(b"x", "application/json")


# --- transient failures of single operations (#17 item 6) ------------------------------------------------------

def _urls(request) -> list[str]:
    return [p.get_payload().split(" ", 2)[1] for p in _sent_parts(request)]


def test_transient_operation_failures_are_sent_again_alone(mocked, client, clock):
    ops = [BatchOperation.upsert("accounts", A, {"name": "a"}), BatchOperation.update("accounts", B, {"name": "b"}),
           BatchOperation.delete("accounts", {"osi_key": "k"}), BatchOperation.upsert("accounts", {"osi_key": "j"}, {})]
    _reply(mocked, 200, [_ok(), _fail(500, "0x80040216", "An unexpected error occurred."),
                         _fail(503, "0x0", "Service unavailable"), _fail(500, "", "Internal error")])
    _reply(mocked, 200, [_ok(), _fail(502, "0x0", "Bad gateway"), _ok()])
    _reply(mocked, 200, [_ok()])
    results = client.submit_batch(ops)
    assert [(r.index, r.status_code) for r in results] == [(0, 204), (1, 204), (2, 204), (3, 204)]
    assert [_urls(c.request) for c in mocked.calls] == [
        [f"{API}accounts({A})", f"{API}accounts({B})", f"{API}accounts(osi_key='k')", f"{API}accounts(osi_key='j')"],
        [f"{API}accounts({B})", f"{API}accounts(osi_key='k')", f"{API}accounts(osi_key='j')"],
        [f"{API}accounts(osi_key='k')"]]
    assert clock.sleeps == [1.0 * 0.75, 2.0 * 0.75]  # the one policy's backoff (rng 0.5 → 75 % of the ceiling)


def test_a_throttled_operation_waits_its_retry_after(mocked, client, clock):
    throttled = _fail(429, "0x80072322", "Number of requests exceeded the limit").replace(
        "OData-Version: 4.0\r\n", "OData-Version: 4.0\r\nRetry-After: 7\r\n")
    _reply(mocked, 200, [throttled, _ok()])
    _reply(mocked, 200, [_ok()])
    results = client.submit_batch([BatchOperation.upsert("accounts", A, {}), BatchOperation.upsert("accounts", B, {})])
    assert all(r.ok for r in results) and clock.sleeps == [7.0] and len(mocked.calls) == 2


def test_creates_and_permanent_failures_are_not_sent_again(mocked, client, clock):
    _reply(mocked, 200, [_fail(500, "0x80040216", "An unexpected error occurred."),
                         _fail(400, "0x80044331", "The length of the 'name' attribute is too long"),
                         _fail(404, "0x80040217", "account Does Not Exist")])
    ops = [BatchOperation.create("accounts", {"name": "a"}), BatchOperation.upsert("accounts", A, {"name": "x" * 9}),
           BatchOperation.update("accounts", B, {"name": "b"})]
    results = client.submit_batch(ops)
    assert [r.status_code for r in results] == [500, 400, 404] and len(mocked.calls) == 1 and clock.sleeps == []


def test_an_operation_failing_until_the_policy_gives_up_is_reported_alone(mocked, client, clock, caplog):
    _reply(mocked, 200, [_ok(), _fail(500, "0x80040216", "An unexpected error occurred.")])
    _reply(mocked, 200, [_fail(500, "0x80040216", "An unexpected error occurred.")])
    results = client.submit_batch([BatchOperation.upsert("accounts", A, {}), BatchOperation.upsert("accounts", B, {})])
    assert [(r.index, r.status_code) for r in results] == [(0, 204), (1, 500)]
    assert results[1].error.service_error_code == "0x80040216"
    assert len(mocked.calls) == 10  # the policy's max_attempts
    assert "1 operation(s) still failing" in caplog.text


def test_without_continue_on_error_nothing_is_sent_again(mocked, client):
    _reply(mocked, 200, [_fail(500, "0x80040216", "An unexpected error occurred.")])
    results = client.submit_batch([BatchOperation.upsert("accounts", A, {})], continue_on_error=False)
    assert results[0].status_code == 500 and len(mocked.calls) == 1
