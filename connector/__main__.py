"""``python -m connector``: see :mod:`connector.cli`."""

from connector.cli import main

raise SystemExit(main())
