"""The protocols the pipeline types against match the clients that implement them, method by method."""

from __future__ import annotations

import inspect

import pytest

from connector.dataverse import DataverseClient
from connector.dataverse.protocol import DataverseService
from connector.graph import GraphClient
from connector.graph.protocol import GraphService


def _methods(protocol: type) -> list[str]:
    return [name for name, value in vars(protocol).items()
            if not name.startswith("_") and (callable(value) or isinstance(value, property))]


@pytest.mark.parametrize(("protocol", "client"), [(DataverseService, DataverseClient), (GraphService, GraphClient)])
def test_client_implements_its_protocol(protocol, client):
    names = _methods(protocol)
    assert names, "a protocol without methods checks nothing"
    for name in names:
        declared, actual = getattr(protocol, name), getattr(client, name, None)
        assert actual is not None, f"{client.__name__} has no {name}"
        if isinstance(declared, property):
            assert isinstance(actual, property), name
            continue
        want = [(p.name, p.kind) for p in inspect.signature(declared).parameters.values()]
        got = [(p.name, p.kind) for p in inspect.signature(actual).parameters.values()]
        assert got == want, f"{client.__name__}.{name}: {got} != {want}"


def test_no_import_cycle_between_auth_and_transport():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "connector" / "http"
    for module in root.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert "connector.auth" not in imported, f"{module.name} imports connector.auth"
