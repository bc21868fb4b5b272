"""``python -m emulator serve|seed``: run the emulator, or generate a demo organisation (emulator.seed)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path


def serve(argv: list[str]) -> int:
    """Serve an organisation on loopback until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m emulator serve", description=serve.__doc__)
    parser.add_argument("--db", required=True, help="SQLite file of the organisation (created when missing)")
    parser.add_argument("--port", type=int, default=0, help="TCP port (0 = any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default loopback)")
    parser.add_argument("--token", default="osi-emulator-token", help="bearer token the emulator accepts")
    parser.add_argument("--change-token-expiry-days", type=float, default=7,
                        help="age after which a delta token forces a full resync")
    parser.add_argument("--faults", metavar="SPEC",
                        help="inject faults per request: 'all', or probabilities such as 'throttle=0.03,errors=0.05,"
                             "drop-before=0.01,drop-after=0.01,delay=0.05' (and delay-max=SECONDS, retry-after="
                             "SECONDS, operation-errors=P); throttle answers 429 with Retry-After, errors "
                             "500/502/503/504, operation-errors fails single operations of a $batch (500/503/429, "
                             "before or after their work), drop-before "
                             "closes the connection unanswered, drop-after does the work and then closes it")
    parser.add_argument("--fault-seed", type=int, default=0, help="seed of the fault draws (default 0)")
    parser.add_argument("--fault-route", default=".*", help="regular expression of the paths faults apply to")
    parser.add_argument("--stats", metavar="FILE",
                        help="on exit (SIGTERM or Ctrl-C), write the request and fault counters to FILE as JSON")
    args = parser.parse_args(argv)
    from emulator.faults import Chaos
    from emulator.server import API_PREFIX, Emulator

    try:
        chaos = Chaos.parse(args.faults) if args.faults else None
    except ValueError as exc:
        parser.error(str(exc))
    em = Emulator(args.db, token=args.token, port=args.port, host=args.host,
                  change_token_expiry_days=args.change_token_expiry_days)
    em.bind()
    if chaos is not None:
        em.faults.chaos(chaos, seed=args.fault_seed, route=args.fault_route)
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"Dataverse Web API: {em.url}{API_PREFIX}", flush=True)
    print(f"Graph API:         {em.url}/v1.0/", flush=True)
    print(f"Bearer token:      {em.token}", flush=True)
    if chaos is not None:
        print(f"Faults:            {args.faults} (seed {args.fault_seed})", flush=True)
    try:
        em.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        em.stop()
        if args.stats:
            Path(args.stats).write_text(json.dumps(em.counters.snapshot(), sort_keys=True), encoding="utf-8")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops serving the way Ctrl-C does (so the counters are written)."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``serve`` here and ``seed`` to :func:`emulator.seed.main`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("serve", "seed"):
        print("usage: python -m emulator {serve,seed} [options]", file=sys.stderr)
        return 2
    if argv[0] == "seed":
        from emulator.seed import main as seed_main

        return int(seed_main(argv[1:]) or 0)
    return serve(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
