"""House rules checked on the source of ``connector/``: functions ≤ 60 lines, no import cycle; and of ``connector/``,
``emulator/`` and ``functions/``: modules ≤ 400 lines.

Both checks read the code with :mod:`ast` (nothing is imported). A function's length counts from its ``def`` line
to the last line of its body, so a nested function counts inside its parent too. The allow-lists below are
explicit and can only shrink: a listed function that is now within the limit, or no longer exists, fails the test
until it is taken off the list.
"""

from __future__ import annotations

import ast
import functools
import graphlib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "connector"
MAX_FUNCTION_LINES = 60

DECLARED_TABLES: dict[str, str] = {}
"""Functions whose body is a declared table (data written as code), by qualified name → why they are one."""

OVER_LIMIT_ELSEWHERE: dict[str, str] = {
}
"""Functions still over the limit in an area another engineer is changing this round: qualified name → owner.
Each is split by its owner; this list only shrinks."""

MAX_MODULE_LINES = 400
MODULE_ROOTS = ("connector", "emulator", "functions")
OVER_LIMIT_MODULES: dict[str, str] = {
}
"""Modules still over the limit in an area another engineer is changing this round: path → owner. This list
only shrinks."""


@functools.cache
def _modules() -> dict[str, tuple[Path, ast.Module]]:
    """Dotted module name → file and its syntax tree, for every module of the package (``__init__`` stands for
    its package). Parsed once per test session; callers do not change the trees."""
    modules: dict[str, tuple[Path, ast.Module]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return modules


def _functions(tree: ast.AST, outer: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method under ``tree`` with its qualified name inside the module (``Class.method.inner``)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{outer}.{node.name}" if outer else node.name
            if not isinstance(node, ast.ClassDef):
                yield name, node
            yield from _functions(node, name)
        else:
            yield from _functions(node, outer)


def function_lengths() -> dict[str, int]:
    """Qualified name → lines from ``def`` to the end of the body, for every function in the package."""
    lengths: dict[str, int] = {}
    for module, (_path, tree) in _modules().items():
        for name, node in _functions(tree, ""):
            assert node.end_lineno is not None  # set by ast.parse on every statement
            lengths[f"{module}:{name}"] = node.end_lineno - node.lineno + 1
    return lengths


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The package's modules an import statement loads (``from a import b`` is ``a.b`` when that is a module)."""
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    else:
        if node.level:
            anchor = module.split(".")
            anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
            base = ".".join([*anchor, *([node.module] if node.module else [])])
        else:
            base = node.module or ""
        names = {f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names}
    return {name for name in names if name in known}


def import_graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports anywhere in its body (module level, functions, ``TYPE_CHECKING``)."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for module, (path, tree) in modules.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                targets |= _imported(node, module, is_package, known)
        graph[module] = targets - {module}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Distinct import cycles, each as ``[a, b, ..., a]`` (a imports b ...); one edge of each cycle found is set
    aside to find the next."""
    remaining = {module: set(targets) for module, targets in graph.items()}
    cycles: list[list[str]] = []
    for _ in range(sum(len(targets) for targets in graph.values()) + 1):  # each round removes an edge
        try:
            graphlib.TopologicalSorter(remaining).prepare()
        except graphlib.CycleError as error:
            cycle: list[str] = error.args[1]  # each node is imported by the next one
            cycles.append(cycle[::-1])
            remaining[cycle[1]].discard(cycle[0])
            continue
        return cycles
    raise AssertionError("cycle search did not end")  # unreachable: every round removes one edge


def test_no_function_over_60_lines() -> None:
    lengths = function_lengths()
    allowed = DECLARED_TABLES.keys() | OVER_LIMIT_ELSEWHERE.keys()
    over = sorted(f"{name} ({lines} lines)" for name, lines in lengths.items()
                  if lines > MAX_FUNCTION_LINES and name not in allowed)
    assert not over, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(over)


def test_allow_list_only_shrinks() -> None:
    lengths = function_lengths()
    stale = sorted(f"{name} ({'gone' if name not in lengths else f'{lengths[name]} lines'})"
                   for name in OVER_LIMIT_ELSEWHERE
                   if lengths.get(name, 0) <= MAX_FUNCTION_LINES)
    assert not stale, "take these off OVER_LIMIT_ELSEWHERE, they are within the limit now:\n" + "\n".join(stale)
    missing = sorted(name for name in DECLARED_TABLES if name not in lengths)
    assert not missing, "DECLARED_TABLES names functions that no longer exist:\n" + "\n".join(missing)


def module_lengths() -> dict[str, int]:
    """Path relative to the repository → lines, for every Python module under :data:`MODULE_ROOTS`."""
    return {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
            for root in MODULE_ROOTS for path in sorted((ROOT / root).rglob("*.py"))}


def test_no_module_over_400_lines() -> None:
    over = sorted(f"{path} ({lines} lines)" for path, lines in module_lengths().items()
                  if lines > MAX_MODULE_LINES and path not in OVER_LIMIT_MODULES)
    assert not over, f"modules over {MAX_MODULE_LINES} lines (split them by what they hold):\n" + "\n".join(over)


def test_module_allow_list_only_shrinks() -> None:
    lengths = module_lengths()
    stale = sorted(path for path in OVER_LIMIT_MODULES if lengths.get(path, 0) <= MAX_MODULE_LINES)
    assert not stale, "take these off OVER_LIMIT_MODULES, they are within the limit now:\n" + "\n".join(stale)


def test_no_import_cycle() -> None:
    cycles = import_cycles(import_graph())
    assert not cycles, "import cycles in connector/:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_checks_see_what_they_look_for() -> None:
    """The graph and the function list find known facts, so an empty result means something."""
    graph = import_graph()
    assert "connector.errors" in graph["connector.settings"]
    assert module_lengths()["connector/schema.py"] > 100
    assert "connector.cli" in graph and graph["connector.cli"]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) in (
        [["a", "b", "c", "a"]], [["b", "c", "a", "b"]], [["c", "a", "b", "c"]])
    assert len(import_cycles({"a": {"b", "c"}, "b": {"a"}, "c": {"a"}})) == 2
    lengths = function_lengths()
    assert lengths["connector.settings:Settings.from_env"] > 10
