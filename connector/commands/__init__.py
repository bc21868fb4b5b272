"""Subcommands of ``python -m connector``.

Every module here defines ``register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None``,
which adds its subcommands and sets ``handler`` (a callable taking the parsed ``argparse.Namespace`` and
returning an exit code) with ``parser.set_defaults(handler=...)``. The CLI discovers the modules.
"""
