"""The shape of the code: no import cycles in the core or the interface, counting imports
made inside functions and under ``TYPE_CHECKING`` too."""

from __future__ import annotations

import grimp
import pytest


def import_cycles(package: str) -> list[list[str]]:
    """Every group of modules of ``package`` that import each other round in a circle."""
    graph = grimp.build_graph(package)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in graph.modules:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


@pytest.mark.parametrize("package", ["coder", "ui"])
def test_no_module_imports_itself_round_a_circle(package: str) -> None:
    assert import_cycles(package) == []


def test_the_cycle_finder_sees_a_cycle(tmp_path, monkeypatch) -> None:
    pkg = tmp_path / "loop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from loop import b\n")
    (pkg / "b.py").write_text("def f():\n    from loop import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("loop") == [["loop.a", "loop.b"]]
