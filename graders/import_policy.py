"""Which modules a submission may import: checked statically before it runs, and
again at run time inside the child.

The static check is the authoritative one (it runs in the trusted process on
the parsed source); the run-time guard catches dynamic imports such as
`__import__("tor" + "ch")`. Neither is a security boundary: the sandbox is.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

# Pure, computational standard-library modules: nothing here touches the OS,
# the network, processes or the interpreter's internals.
PURE_STDLIB = frozenset(
    {
        "__future__", "abc", "array", "bisect", "calendar", "cmath", "collections", "contextlib", "copy",
        "dataclasses", "datetime", "decimal", "enum", "fractions", "functools", "heapq", "itertools", "json",
        "math", "numbers", "operator", "pprint", "random", "re", "statistics", "string", "textwrap", "time",
        "types", "typing", "warnings",
    }
)
DEFAULT_ALLOWED = frozenset({"numpy"}) | PURE_STDLIB
# Named so the message can say *why*: these would do the student's work.
AUTODIFF_MODULES = frozenset({"torch", "jax", "jaxlib", "tensorflow", "autograd", "sympy", "numdifftools"})


def expand(names: Iterable[str]) -> frozenset[str]:
    """Expand an allow-list from an assignment file ("stdlib" means PURE_STDLIB)."""
    result: set[str] = set()
    for name in names:
        result |= PURE_STDLIB if name == "stdlib" else {name}
    return frozenset(result)


def forbidden_message(module: str, allowed: Iterable[str]) -> str:
    if module.startswith("."):
        return "relative imports are not allowed: a submission is a single file"
    visible = sorted(set(allowed) - PURE_STDLIB)
    listing = ", ".join(visible) + (" and pure standard-library modules" if PURE_STDLIB & set(allowed) else "")
    why = " (it would compute the derivative for you: derive it by hand)" if module in AUTODIFF_MODULES else ""
    return f"importing `{module}` is not allowed here{why}; you may use {listing}"


@dataclass
class ImportUse:
    """Where a submission imports things (top-level module names)."""

    module_level: dict[str, int] = field(default_factory=dict)  # module -> first line
    bound_names: dict[str, str] = field(default_factory=dict)  # local name -> module, for module-level imports
    inside: dict[str, dict[str, int]] = field(default_factory=dict)  # top-level def/class -> module -> line
    references: dict[str, set[str]] = field(default_factory=dict)  # top-level def/class -> names it uses
    defined: set[str] = field(default_factory=set)  # names bound at module level

    def modules(self) -> set[str]:
        found = set(self.module_level)
        for mods in self.inside.values():
            found |= set(mods)
        return found

    def modules_reached_from(self, name: str) -> dict[str, int]:
        """Modules a top-level function can reach: its own imports, and module-level
        imports it (or a helper it calls) names."""
        reached: dict[str, int] = {}
        seen, stack = set(), [name]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            reached.update(self.inside.get(current, {}))
            for ref in self.references.get(current, set()):
                if ref in self.bound_names:
                    module = self.bound_names[ref]
                    reached.setdefault(module, self.module_level.get(module, 0))
                elif ref in self.inside or ref in self.references:
                    stack.append(ref)
        return reached


def _imported_modules(node: ast.AST) -> list[tuple[str, int, list[str]]]:
    """(top-level module, line, names bound) for import statements and literal dynamic imports."""
    found = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            top = alias.name.split(".")[0]
            found.append((top, node.lineno, [alias.asname or top]))
    elif isinstance(node, ast.ImportFrom):
        top = "." * node.level + (node.module or "").split(".")[0]
        found.append((top, node.lineno, [a.asname or a.name for a in node.names]))
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in ("__import__", "import_module") and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((arg.value.split(".")[0], node.lineno, []))
    return found


def _is_main_guard(stmt: ast.stmt) -> bool:
    """`if __name__ == "__main__":` never runs when the grader imports the file."""
    if not isinstance(stmt, ast.If) or not isinstance(stmt.test, ast.Compare):
        return False
    test = stmt.test
    sides = [test.left, *test.comparators]
    return (len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
            and any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


def analyze(tree: ast.Module) -> ImportUse:
    use = ImportUse()
    for stmt in tree.body:
        if _is_main_guard(stmt):
            continue
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            use.defined.add(stmt.name)
            inside: dict[str, int] = {}
            refs: set[str] = set()
            for node in ast.walk(stmt):
                for module, line, _ in _imported_modules(node):
                    inside.setdefault(module, line)
                if isinstance(node, ast.Name):
                    refs.add(node.id)
            use.inside[stmt.name] = inside
            use.references[stmt.name] = refs
            continue
        for node in ast.walk(stmt):
            for module, line, names in _imported_modules(node):
                use.module_level.setdefault(module, line)
                for bound in names:
                    use.bound_names[bound] = module
                    use.defined.add(bound)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                use.defined.add(node.id)
    return use


def violations(use: ImportUse, function: str, allowed: frozenset[str], allowed_anywhere: frozenset[str]) -> list[tuple[str, int]]:
    """Forbidden imports that stop `function` from being graded.

    A module no problem in this run allows condemns the whole file; a module that
    another problem allows (torch for the custom autograd.Function) only
    condemns the functions that reach it.
    """
    bad: dict[str, int] = {}
    for module in use.modules():
        if module not in allowed_anywhere:
            line = use.module_level.get(module) or min(
                (mods[module] for mods in use.inside.values() if module in mods), default=0
            )
            bad[module] = line
    for module, line in use.modules_reached_from(function).items():
        if module not in allowed:
            bad.setdefault(module, line)
    return sorted(bad.items(), key=lambda item: item[1])
