"""``demo``: the embedded default. Start the emulator, seed a demo organisation, provision, sync, show.

Everything goes through the production code path: the real HTTP client and transport, the real
MSAL-free static-token credential (allowed only for loopback URLs), the real provisioning and the
real sync. This is the only module of the connector that imports the emulator.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connector import schema
from connector.commands.sync import as_of
from connector.pipeline import service
from connector.progress import reporter
from connector.provision import provision
from connector.settings import Settings

if TYPE_CHECKING:
    from connector.dataverse import DataverseClient
    from emulator.server import Emulator

log = logging.getLogger(__name__)

DEMO_TOKEN = "osi-demo-token"
DEMO_PORT = 8741
"""A fixed port: Dataverse delta links are absolute URLs, so the organisation's address must not
change between two demo runs (as a real organisation's URL does not)."""


def _now(text: str | None) -> datetime:
    return as_of(text) or datetime.now(UTC)


def _seed_if_empty(em: Emulator, db: Path, size: str, seed: int, now: datetime) -> bool:
    store = em.store
    assert store is not None, "the emulator is started"  # the store opens with the emulator, in the with block
    if store.count("contact") > 0:
        return False
    from emulator.seed import generate, write_truth

    print(f"Seeding a demo organisation (size {size}, seed {seed}) ...", file=sys.stderr)
    org = generate(size, seed=seed, now=now)
    store.load_org(org)
    write_truth(org, db)
    return True


def demo_settings(url: str, token: str, state_dir: Path) -> Settings:
    """Settings for the embedded emulator, as an administrator would set them in app settings."""
    return Settings.from_env({
        "OSI_DATAVERSE_URL": url, "OSI_STATIC_TOKEN": token, "OSI_GRAPH_ENABLED": "true", "OSI_GRAPH_URL": url,
        "OSI_STATE_DIR": str(state_dir), "OSI_BATCH_SIZE": "200",
    })


def _label(options: schema.OptionSet, value: Any) -> str:
    try:
        return options.label(int(value))
    except (KeyError, TypeError, ValueError):
        return "-"


def _show(client: DataverseClient) -> None:
    """What a seller sees, read back from Dataverse through the same client."""
    contacts = list(client.list_records(
        "contacts", select=["fullname", "osi_healthscore", "osi_healthstate", "osi_healthtrend", "osi_lastactivityon"],
        filter="osi_healthscore ne null", orderby="osi_healthscore desc", top=5))
    print("\nContacts with the healthiest relationships:")
    for c in contacts:
        print(f"  {str(c.get('fullname'))[:28]:28}  health {c.get('osi_healthscore'):>3}  "
              f"{_label(schema.HEALTH_STATE, c.get('osi_healthstate')):6}  "
              f"{_label(schema.TREND, c.get('osi_healthtrend')):10}  "
              f"last activity {c.get('osi_lastactivityon') or '-'}")
    leads = list(client.list_records(
        "leads", select=["fullname", "osi_score", "osi_grade", "osi_scorereasons"],
        filter="statecode eq 0 and osi_score ne null", orderby="osi_score desc", top=5))
    print("\nOpen leads to work first:")
    for lead in leads:
        reasons = json.loads(lead.get("osi_scorereasons") or "{}")
        top = (reasons.get("positive") or [{}])[0].get("text", "") if isinstance(reasons, dict) else ""
        print(f"  {str(lead.get('fullname'))[:28]:28}  score {lead.get('osi_score'):>3}  "
              f"grade {_label(schema.GRADE, lead.get('osi_grade'))}  {top[:70]}")


def _serve_panel(url: str, token: str, port: int) -> None:
    """Serve the seller panel, list views and admin page over the emulator until Ctrl-C."""
    import threading

    from emulator.panel_host import PanelHost

    with PanelHost(url, token, port=port) as host:
        print(f"\nSee what a seller sees: {host.url}/  (list views, record panels, admin page at {host.url}/admin)")
        print("Press Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print()


def _demo(args: argparse.Namespace) -> int:
    from emulator.server import Emulator  # the demo command is the one place the connector uses the emulator

    home = Path(args.home)
    home.mkdir(parents=True, exist_ok=True)
    db = home / "demo.db"
    now = _now(args.now)
    with Emulator(db, token=DEMO_TOKEN, port=args.port) as em:
        seeded = _seed_if_empty(em, db, args.size, args.seed, now)
        settings = demo_settings(em.url, em.token, home / "state")
        client = service.services(settings).dataverse
        report = provision(client)
        print(f"Provisioning: {report.summary()}", file=sys.stderr)
        summary = service.run(settings, trigger="cli", now=now, progress=reporter())
        out = summary.as_dict()
        print(f"\nSync run {out['status']}: {out['records_read']} records read, {out['records_written']} written, "
              f"{out['records_failed']} failed, in {out['timings'].get('total', 0):.1f} s "
              f"(extract {out['timings'].get('extract', 0):.1f} s, compute {out['timings'].get('compute', 0):.1f} s, "
              f"load {out['timings'].get('load', 0):.1f} s).")
        if out["errors"]:
            print("Insights that failed: " + "; ".join(out["errors"][:5]))
        _show(client)
        print(f"\nThe organisation is in {db} ({'seeded now' if seeded else 'kept from an earlier demo'}); "
              f"run details in the osi_syncruns table and {home / 'state'}.")
        serve = sys.stdin.isatty() if args.serve is None else args.serve
        if serve:
            _serve_panel(em.url, em.token, args.panel_port)
        else:
            print("To see what a seller sees in a browser: python -m connector demo --serve")
    return 0 if summary.status != "Failed" else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo``."""
    p = sub.add_parser("demo", help="run the whole product on the embedded emulator with a demo organisation")
    p.add_argument("--home", default=".osi", help="where the demo organisation and state live (default .osi)")
    p.add_argument("--size", default="S", choices=["S", "M", "L"], help="demo organisation size when seeding")
    p.add_argument("--seed", type=int, default=7, help="random seed of the demo organisation")
    p.add_argument("--now", help="reference time (ISO 8601); default: the wall clock")
    p.add_argument("--port", type=int, default=DEMO_PORT, help=f"loopback port of the emulator (default {DEMO_PORT})")
    p.add_argument("--serve", dest="serve", action="store_true", default=None,
                   help="after the sync, serve the seller panel until Ctrl-C (default when run from a terminal)")
    p.add_argument("--no-serve", dest="serve", action="store_false", help="exit after the sync")
    p.add_argument("--panel-port", type=int, default=8742, help="loopback port of the seller panel (default 8742)")
    p.set_defaults(handler=_demo)
