"""``python -m emulator serve|seed``: run the emulator, or generate a demo organisation (emulator.seed)."""

from __future__ import annotations

import argparse
import sys


def serve(argv: list[str]) -> int:
    """Serve an organisation on loopback until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m emulator serve", description=serve.__doc__)
    parser.add_argument("--db", required=True, help="SQLite file of the organisation (created when missing)")
    parser.add_argument("--port", type=int, default=0, help="TCP port (0 = any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default loopback)")
    parser.add_argument("--token", default="osi-emulator-token", help="bearer token the emulator accepts")
    parser.add_argument("--change-token-expiry-days", type=float, default=7,
                        help="age after which a delta token forces a full resync")
    args = parser.parse_args(argv)
    from emulator.server import API_PREFIX, Emulator

    em = Emulator(args.db, token=args.token, port=args.port, host=args.host,
                  change_token_expiry_days=args.change_token_expiry_days)
    em.bind()
    print(f"Dataverse Web API: {em.url}{API_PREFIX}", flush=True)
    print(f"Graph API:         {em.url}/v1.0/", flush=True)
    print(f"Bearer token:      {em.token}", flush=True)
    try:
        em.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        em.stop()
    return 0


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
