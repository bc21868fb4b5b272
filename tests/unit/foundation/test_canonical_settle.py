"""Extra columns typed as the snapshot's Parquet round trip types them (#17 item 9: one input, one output).

A lead frame read from pages holds ``donotemail`` or ``budgetamount`` as objects; the same frame read back from
the snapshot holds them as ``bool`` and ``float64``. Scoring takes an object column for a category and a typed
one for a number, so a run after a kill (some frames read, some read back) learnt another model.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from connector import canonical
from connector.sync import transform
from connector.sync.streams import STREAMS

LEADS = next(s for s in STREAMS if s.name == "leads")


def _round_trip(df: pd.DataFrame) -> pd.DataFrame:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return pd.read_parquet(io.BytesIO(buf.getvalue()))


def _page(n: int, **values: object) -> list[dict[str, object]]:
    return [{"leadid": f"00000000-0000-0000-0000-{i:012d}", "statecode": 0, "modifiedon": "2026-01-01T00:00:00Z",
             "donotemail": i % 3 == 0, "numberofemployees": 10 * i, "budgetamount": 1000.5 * i, **values}
            for i in range(n)]


def test_a_page_frame_has_the_dtypes_of_its_snapshot_copy() -> None:
    page = canonical.settle(transform.to_frame(LEADS, _page(5)), "leads")
    back = _round_trip(page)
    for col in ("donotemail", "numberofemployees", "budgetamount"):
        assert page[col].dtype == back[col].dtype, col
    assert page["donotemail"].dtype == bool and page["numberofemployees"].dtype == "int64"


def test_gaps_type_as_the_round_trip_types_them() -> None:
    df = pd.DataFrame({"lead_id": ["a", "b", "c"],
                       "flag": pd.Series([True, np.nan, False], dtype=object),
                       "count": pd.Series([1, None, 3], dtype=object),
                       "mixed": pd.Series([1, 2.5, None], dtype=object),
                       "text": pd.Series(["x", None, "y"], dtype=object),
                       "odd": pd.Series(["x", 1, None], dtype=object)})
    settled = canonical.settle(df, "leads")
    assert list(settled["flag"]) == [True, None, False] and settled["flag"].dtype == object
    assert settled["count"].dtype == "float64" and settled["mixed"].dtype == "float64"
    assert list(settled["odd"]) == ["x", 1, None]
    back = _round_trip(settled.drop(columns=["odd"]))
    for col in ("flag", "count", "mixed", "text"):
        assert back[col].dtype == settled[col].dtype and back[col].equals(settled[col]), col
    assert canonical.settle(settled, "leads") is settled  # settled once, settled for good


def test_declared_columns_are_left_to_conform() -> None:
    df = canonical.conform(pd.DataFrame({"lead_id": ["a"], "state_code": [1]}), "leads")
    assert canonical.settle(df, "leads") is df
