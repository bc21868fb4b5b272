"""Relationship analytics computed a part of the records at a time (``partition_records``, issue #21) gives every
record exactly the values, ``valid_until`` and activity links of the computation of all records at once."""

from __future__ import annotations

import pandas as pd
import pytest

from connector.insights.relationship import relationship_insights
from connector.insights.relationship.compute import partitions

from .builders import NOW, random_org


@pytest.mark.parametrize(("seed", "size"), [(3, 1), (3, 7), (5, 4), (8, 13)])
def test_parts_of_the_records_give_the_values_of_all_at_once(seed: int, size: int) -> None:
    frames = random_org(seed, contacts=24).frames()
    whole = relationship_insights(frames, now=NOW)
    records = sum(len(t) for t in whole.tables.values())
    assert records > 3 * size  # several parts, not one
    parts = relationship_insights(frames, now=NOW, partition_records=size)
    for rtype, table in whole.tables.items():
        pd.testing.assert_frame_equal(parts.tables[rtype], table, check_exact=True)
        pd.testing.assert_series_equal(parts.valid_until[rtype], whole.valid_until[rtype], check_exact=True)
    pd.testing.assert_frame_equal(parts.links, whole.links, check_exact=True)
    assert {t: m.to_dict() for t, m in parts.models.items()} == {t: m.to_dict() for t, m in whole.models.items()}


def test_parts_of_a_subset_give_the_subsets_values() -> None:
    frames = random_org(4, contacts=24).frames()
    whole = relationship_insights(frames, now=NOW)
    only = {"contact": list(whole.tables["contact"].index[::2]), "account": list(whole.tables["account"].index)}
    parts = relationship_insights(frames, now=NOW, models=whole.models, only=only, partition_records=3)
    for rtype, ids in only.items():
        pd.testing.assert_frame_equal(parts.tables[rtype], whole.tables[rtype].loc[ids], check_exact=True)


def test_partitions_cover_every_record_once_in_order() -> None:
    records = pd.DataFrame({"x": range(10)}, index=pd.Index(range(100, 110)))
    assert [len(p) for p in partitions(records, 4)] == [4, 4, 2]
    assert pd.concat(partitions(records, 4)).equals(records)
    assert partitions(records, 0)[0] is records and partitions(records, 10)[0] is records
