"""#17 item 9 (one input, one output): the frames a run computes on are typed as the next run reads them back.

Page frames hold extra lead attributes as objects; read back from the snapshot's Parquet they are ``bool`` or
numbers. Scoring takes an object column for a category and a typed one for a number, so before this a run after
a kill (frames read back) learnt another model than a clean first run (frames as extracted): the chaos suite's
``test_kills_first_run_values_equal_the_clean_run`` saw ``donotemail`` move from the numbers to the categories.
"""

from __future__ import annotations

from pathlib import Path

from connector.sync import transform
from connector.sync.snapshot import Snapshot, load_snapshot, save_snapshot
from connector.sync.state import LocalStateStore
from connector.sync.streams import STREAMS

LEADS = next(s for s in STREAMS if s.name == "leads")


def test_a_first_run_computes_on_the_frames_a_later_run_reads_back(tmp_path: Path) -> None:
    rows = [{"leadid": f"00000000-0000-0000-0000-{i:012d}", "statecode": 0, "modifiedon": "2026-01-01T00:00:00Z",
             "donotemail": i % 3 == 0, "numberofemployees": 10 * i, "budgetamount": 1000.5 * i} for i in range(6)]
    extracted = transform.to_frame(LEADS, rows)
    assert extracted["donotemail"].dtype == object  # as a page gives it
    store = LocalStateStore(tmp_path)
    snap = Snapshot({"leads": extracted})
    save_snapshot(store, snap)
    later = load_snapshot(store).frames["leads"]
    for col in ("donotemail", "numberofemployees", "budgetamount"):
        assert snap.frames["leads"][col].dtype == later[col].dtype != object, col
    assert snap.frames["leads"].equals(later)
