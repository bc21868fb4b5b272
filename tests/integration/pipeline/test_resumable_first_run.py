"""A first run cut off again and again while it reads converges to what one uninterrupted run gives.

The host of a function app stops a run at its timeout; here the run is stopped every N pages read (the
process 'dies' inside the read). Each new invocation goes on from the pages already staged. Once a run
gets through, the organisation holds the same insights an uninterrupted run computes from scratch: a
fresh run with no saved state, on the same data as of the same time, finds nothing to write.
"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connector.commands.demo import demo_settings
from connector.pipeline import service
from connector.pipeline.run import RunOptions, run_sync
from connector.provision import provision
from connector.sync.snapshot import load_snapshot
from connector.sync.state import LocalStateStore
from emulator.seed import generate
from emulator.server import Emulator

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PAGES_PER_INVOCATION = 25
OWN_TABLES = ("osi_connections", "osi_talkingpoints", "osi_notesuggestions")


class Killed(BaseException):
    """The host stopped the process."""


class _Budget:
    def __init__(self, pages: int) -> None:
        self.left = pages

    def spend(self) -> None:
        if self.left == 0:
            raise Killed("the host stopped the run")
        self.left -= 1


class _CountedPager:
    def __init__(self, inner: Any, budget: _Budget) -> None:
        self._inner, self._budget = inner, budget

    @property
    def continuation_token(self) -> str | None:
        return self._inner.continuation_token

    def by_page(self, continuation_token: str | None = None) -> Any:
        for page in self._inner.by_page(continuation_token=continuation_token):
            self._budget.spend()
            yield page

    def __iter__(self) -> Any:
        return iter(self._inner)


class KilledAfterPages:
    """The real client, except that the process dies once it has read ``pages`` pages."""

    def __init__(self, inner: Any, pages: int) -> None:
        self._inner, self._budget = inner, _Budget(pages)

    def change_pages(self, *args: Any, **kwargs: Any) -> Any:
        for page in self._inner.change_pages(*args, **kwargs):
            self._budget.spend()
            yield page

    def list_records(self, entity_set: str, **kwargs: Any) -> Any:
        return _CountedPager(self._inner.list_records(entity_set, **kwargs), self._budget)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _keys(client: Any, entity_set: str) -> list[str]:
    return [r["osi_key"] for r in client.list_records(entity_set, select=["osi_key"])]


def test_a_first_run_killed_every_n_pages_converges_without_duplicates(tmp_path) -> None:
    with Emulator(tmp_path / "org.db", token="t", clock=lambda: NOW) as em:
        em.store.load_org(generate("S", seed=11, now=NOW - timedelta(hours=1)))
        settings = demo_settings(em.url, em.token, tmp_path / "state")
        svc = service.services(settings)
        provision(svc.dataverse)
        opts = RunOptions(page_size=2000, batch_size=settings.batch_size)
        killed, summary = 0, None
        for _ in range(40):
            try:
                summary = run_sync(KilledAfterPages(svc.dataverse, PAGES_PER_INVOCATION), svc.state, now=NOW,
                                   graph=svc.graph, options=opts)
                break
            except Killed:
                killed += 1
        assert summary is not None, "the first run never converged"
        assert killed >= 3, f"the run was cut off only {killed} times: the test proves nothing"
        assert summary.status == "Succeeded" and not summary.errors, summary.as_dict()
        assert any("interrupted run" in note for note in summary.notes)

        frames = load_snapshot(svc.state).frames
        for name, key in (("contacts", "contact_id"), ("activities", "activity_id"), ("notes", "note_id")):
            ids = frames[name][key]
            assert ids.is_unique, f"duplicate rows in {name}"
        for entity_set in OWN_TABLES:
            keys = _keys(svc.dataverse, entity_set)
            assert keys, f"{entity_set} is empty"
            assert not [k for k, n in Counter(keys).items() if n > 1], f"duplicates in {entity_set}"

        # What an uninterrupted run computes from no snapshot is already there. The trained scoring models
        # stay (Dataverse's model registry names them; without them the fresh run would train new versions).
        shutil.copytree(svc.state.root / "models", tmp_path / "fresh" / "models")
        fresh = run_sync(svc.dataverse, LocalStateStore(tmp_path / "fresh"), now=NOW, graph=svc.graph,
                         options=opts)
        assert fresh.status == "Succeeded" and not fresh.errors, fresh.as_dict()
        # Timeline entries (assistant cards) are not read back: every run upserts its live ones again by osi_key.
        written = {k: v for k, v in fresh.written.items() if not k.startswith(("osi_syncrun", "osi_insight:upsert"))}
        assert written == {}, written
