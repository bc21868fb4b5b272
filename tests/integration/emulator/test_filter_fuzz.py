"""Property test: any $filter text either compiles to valid SQL with every literal bound, or is a 400 ApiError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.errors import ApiError
from emulator.odata_filter import compile_filter
from emulator.store import Store

pytestmark = pytest.mark.integration

_WORDS = ["name", "numberofemployees", "revenue", "createdon", "_ownerid_value", "accountid", "eq", "ne", "gt", "and",
          "or", "not", "null", "true", "'x'", "'O''B'", "1", "2.5", "2024-01-01", "(", ")", ",", "contains",
          "startswith", "Microsoft.Dynamics.CRM.In", "PropertyName", "=", "PropertyValues", "[", "]", "';--",
          "00000000-0000-0000-0000-000000000001", "Name", "/", "'"]


@pytest.fixture(scope="module")
def store():
    s = Store(None)
    yield s
    s.close()


def _check(store: Store, text: str) -> None:
    try:
        sql, params = compile_filter(store.tables["account"], text)
    except ApiError as err:
        assert err.status == 400
        return
    assert "'" not in sql  # every literal is a bound parameter
    with store.read() as conn:
        conn.execute(f'SELECT COUNT(*) FROM "t_account" WHERE {sql}', params).fetchone()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_WORDS), max_size=14).map(" ".join))
def test_token_soup_never_escapes(store, text):
    _check(store, text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_arbitrary_text_never_escapes(store, text):
    _check(store, text)
