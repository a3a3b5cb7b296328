"""The import graph, read from the source: no cycle between modules or between the
packages, the engine imports nothing of the service, and the app never imports the worker.

Every import counts, deferred ones inside functions included (a deferred import is how a
cycle usually hides); only `if TYPE_CHECKING:` blocks are left out, since they never run."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "worker", "graders", "assignments")
# Which package may import which: the layers, from the engine up.
ALLOWED = {
    "graders": set(),
    "assignments": {"graders"},
    "app": {"graders"},
    "worker": {"app", "graders"},
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            found[module_name(path, root)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_modules(tree: ast.Module, module: str, is_package: bool, modules: set[str]) -> set[str]:
    """The modules of `modules` that the import statements in `tree` name, relative imports
    resolved: `from a import b` is a.b when b is a module, else a (b is a name in a/__init__)."""
    found: set[str] = set()

    def longest_module(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(m for alias in node.names if (m := longest_module(alias.name)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else longest_module(base)
                if target:
                    found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


def import_graph(root: Path, packages: Iterable[str]) -> dict[str, set[str]]:
    """module -> the modules of `packages` it imports."""
    modules = modules_of(root, packages)
    return {module: imported_modules(ast.parse(path.read_text(), str(path)), module, path.name == "__init__.py",
                                     set(modules))
            for module, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    packages: dict[str, set[str]] = {}
    for module, targets in graph.items():
        top = module.split(".")[0]
        packages.setdefault(top, set()).update(t.split(".")[0] for t in targets if t.split(".")[0] != top)
    return packages


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(ROOT, PACKAGES)


def test_no_module_imports_its_way_back_to_itself(graph):
    assert len(graph) > 60  # the whole tree was read
    assert cycles(graph) == []


def test_the_packages_import_each_other_in_layers_only(graph):
    packages = package_graph(graph)
    assert cycles(packages) == []
    for package, imported in packages.items():
        assert imported <= ALLOWED[package], f"{package} imports {sorted(imported - ALLOWED[package])}"


def test_the_engine_imports_none_of_the_others(graph):
    offenders = {m: sorted(t for t in targets if not t.startswith("graders"))
                 for m, targets in graph.items() if m.startswith("graders")}
    assert {m: t for m, t in offenders.items() if t} == {}


def test_the_app_never_imports_the_worker(graph):
    offenders = {m: sorted(t for t in targets if t.startswith("worker"))
                 for m, targets in graph.items() if m.split(".")[0] == "app"}
    assert {m: t for m, t in offenders.items() if t} == {}


def test_the_checker_finds_a_planted_cycle_deferred_imports_included(tmp_path):
    # The checker itself must be able to fail: a cycle hidden in a function, and one through
    # a package's __init__, are both found; a TYPE_CHECKING import is not an edge.
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("def f():\n    from pkg import b\n")
    (tmp_path / "pkg" / "b.py").write_text("from pkg.a import f\n")
    # The blueprint idiom: the package defines `bp` and imports its routes, which import `bp` back.
    (tmp_path / "pkg" / "sub" / "__init__.py").write_text("bp = object()\nfrom pkg.sub import routes\n")
    (tmp_path / "pkg" / "sub" / "routes.py").write_text("from . import helper\nfrom pkg.sub import bp\n")
    (tmp_path / "pkg" / "sub" / "helper.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.sub import routes\n")
    (tmp_path / "pkg" / "e.py").write_text("import pkg.sub.helper\nfrom pkg import sub\n")
    planted = import_graph(tmp_path, ["pkg"])
    assert planted["pkg.sub.routes"] == {"pkg.sub.helper", "pkg.sub"}
    assert planted["pkg.sub.helper"] == set()
    assert planted["pkg.e"] == {"pkg.sub.helper", "pkg.sub"}
    assert cycles(planted) == [["pkg.a", "pkg.b"], ["pkg.sub", "pkg.sub.routes"]]
