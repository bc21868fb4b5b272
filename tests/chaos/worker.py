"""One sync run for the chaos suite: ``python -m tests.chaos.worker --now ISO --log FILE``.

Settings come from the ``OSI_*`` environment exactly as in production (``Settings.from_env``); the run goes
through :func:`connector.pipeline.service.run`, the composition root the Functions triggers use, with a
fixed ``now`` so that runs can be compared. Everything is logged at DEBUG to ``--log`` (the secrets scan
reads it). The last line printed is the run summary as JSON; the exit code is 0 for Succeeded, 1 for any
other status, 2 when the run raised.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from datetime import datetime


def main(argv: list[str] | None = None) -> int:
    """Run one sync and print its summary."""
    parser = argparse.ArgumentParser(prog="python -m tests.chaos.worker")
    parser.add_argument("--now", required=True, help="the run's reference time, ISO 8601")
    parser.add_argument("--log", required=True, help="file for the DEBUG log")
    args = parser.parse_args(argv)
    logging.basicConfig(filename=args.log, level=logging.DEBUG,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from connector.pipeline import service
    from connector.settings import Settings

    now = datetime.fromisoformat(args.now.replace("Z", "+00:00"))
    try:
        summary = service.run(Settings.from_env(os.environ), trigger="chaos", now=now).as_dict()
    except Exception as exc:  # the run's own failure: reported, with its traceback in the log
        logging.getLogger("chaos.worker").error("run raised %s", type(exc).__name__, exc_info=True)
        print(json.dumps({"status": "raised", "error": f"{type(exc).__name__}: {exc}",
                          "trace": traceback.format_exc(limit=3)[-1500:]}))
        return 2
    print(json.dumps(summary, sort_keys=True, default=str))
    return 0 if summary.get("status") == "Succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
