"""Which modules a submission may import: checked statically before it runs, and
again at run time inside the child.

The static check is the authoritative one (it runs in the trusted process on
the parsed source); the run-time guard catches dynamic imports such as
`__import__("tor" + "ch")`. Neither is a security boundary: the sandbox is.
"""

from __future__ import annotations

import ast
import sys
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
# Testing, timing and logging tools students leave in their files (a unittest.TestCase under a
# main guard, a timeit at the bottom): they compute nothing for the student, and whatever
# they touch (a log file) is the sandbox's to refuse.
STUDENT_TOOLS = frozenset({"doctest", "logging", "timeit", "unittest"})
PURE_STDLIB = PURE_STDLIB | STUDENT_TOOLS
DEFAULT_ALLOWED = frozenset({"numpy"}) | PURE_STDLIB
# Named so the message can say *why*: these would do the student's work.
AUTODIFF_MODULES = frozenset({"torch", "jax", "jaxlib", "tensorflow", "autograd", "sympy", "numdifftools"})


def expand(names: Iterable[str]) -> frozenset[str]:
    """Expand an allow-list from an assignment file ("stdlib" means PURE_STDLIB)."""
    result: set[str] = set()
    for name in names:
        result |= PURE_STDLIB if name == "stdlib" else {name}
    return frozenset(result)


NAME_CHARS = 60  # of a module or helper name quoted from the file


def _name(name: str) -> str:
    """A name from the file, cut short: the message is repeated in every check, and a
    name may be as long as the file."""
    return name if len(name) <= NAME_CHARS else name[:NAME_CHARS] + "..."


def forbidden_message(module: str, allowed: Iterable[str], where: str = "", action: str = "importing") -> str:
    """Why `module` is refused; `where` (": `f` uses it on line 7") goes before the list of what is allowed."""
    if module.startswith("."):
        return "relative imports are not allowed: a submission is a single file" + where
    visible = sorted(set(allowed) - PURE_STDLIB)
    listing = ", ".join(visible) + (" and pure standard-library modules" if PURE_STDLIB & set(allowed) else "")
    return f"{action} `{_name(module)}` is not allowed here{where}.{_why(module)} You may use {listing}."


def _why(module: str) -> str:
    """Why a module is refused, when the student may not guess it."""
    if module in AUTODIFF_MODULES:
        return " It would compute the derivative for you: derive it by hand."
    if module in sys.stdlib_module_names:
        return " It is in the standard library, but it reaches the system (files, processes, the interpreter)."
    return ""


@dataclass(frozen=True)
class Violation:
    """A forbidden module, and where the code that stops a function being graded is."""

    module: str
    line: int  # 0 when unknown
    function: str = ""  # the graded function; "" when the module condemns the whole file
    via: str = ""  # the helper (a top-level def or class) the use sits in, if not the function itself
    imported: bool = True  # True: an import of the module; False: a use of a name bound to it


def describe(violation: Violation, allowed: Iterable[str]) -> str:
    """The student's message: which module, why, and the line to look at."""
    line = f" on line {violation.line}" if violation.line else ""
    verb = "imports" if violation.imported else "uses"
    if not violation.function:
        where = f": your file imports it on line {violation.line}" if violation.line else ""
    elif violation.via:
        where = f": `{violation.function}` calls `{_name(violation.via)}`, which {verb} it{line}"
    else:
        where = f": `{violation.function}` {verb} it{line}"
    return forbidden_message(violation.module, allowed, where, "importing" if violation.imported else "using")


@dataclass
class ImportUse:
    """Where a submission imports things (top-level module names) and which
    module-level names each top-level definition uses, resolved by scope."""

    module_level: dict[str, int] = field(default_factory=dict)  # module -> first line imported at module level
    bound_names: dict[str, dict[str, int]] = field(default_factory=dict)  # module-level name -> {module: line}
    inside: dict[str, dict[str, int]] = field(default_factory=dict)  # top-level def/class -> module -> line
    references: dict[str, dict[str, int]] = field(default_factory=dict)  # top-level def/class -> global name -> line
    defined: set[str] = field(default_factory=set)  # names bound at module level

    def modules(self) -> set[str]:
        found = set(self.module_level)
        for mods in self.inside.values():
            found |= set(mods)
        return found

    def reached_from(self, name: str) -> dict[str, tuple[int, str, bool]]:
        """Modules a top-level function can reach while it runs: its own imports, and
        module-level names bound to a module that it (or a helper it calls) uses.
        module -> (line of the import or use, the helper it is in or "", imported?)."""
        reached: dict[str, tuple[int, str, bool]] = {}
        seen, stack = set(), [name]
        while stack:
            current = stack.pop(0)
            if current in seen:
                continue
            seen.add(current)
            via = "" if current == name else current
            for module, line in self.inside.get(current, {}).items():
                reached.setdefault(module, (line, via, True))
            for ref, line in sorted(self.references.get(current, {}).items(), key=lambda item: item[1]):
                for module in self.bound_names.get(ref, {}):
                    reached.setdefault(module, (line, via, False))
                if ref in self.inside or ref in self.references:
                    stack.append(ref)
        return reached

    def modules_reached_from(self, name: str) -> dict[str, int]:
        return {module: line for module, (line, _, _) in self.reached_from(name).items()}


def _imported_modules(node: ast.AST) -> list[tuple[str, int, list[str]]]:
    """(top-level module, line, names bound) for import statements and literal dynamic imports."""
    found = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            top = alias.name.split(".")[0]
            found.append((top, node.lineno, [alias.asname or top]))
    elif isinstance(node, ast.ImportFrom):
        top = "." * node.level + (node.module or "").split(".")[0]
        found.append((top, node.lineno, [a.asname or a.name for a in node.names if a.name != "*"]))
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in ("__import__", "import_module") and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((arg.value.split(".")[0], node.lineno, []))
    return found


def _is_main_guard(stmt: ast.stmt) -> bool:
    """`if __name__ == "__main__":` never runs when the grader imports the file, and
    neither does `if TYPE_CHECKING:` (imports for annotations only; typing.TYPE_CHECKING
    is False at run time). Whatever such a block does run anyway (a TYPE_CHECKING the
    file set to True itself) meets the run-time guard."""
    if _is_type_checking_block(stmt):
        return True
    if not isinstance(stmt, ast.If) or not isinstance(stmt.test, ast.Compare):
        return False
    test = stmt.test
    sides = [test.left, *test.comparators]
    return (len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
            and any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


def _is_type_checking_block(stmt: ast.stmt) -> bool:
    if not isinstance(stmt, ast.If) or stmt.orelse:
        return False
    test = stmt.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        and isinstance(test.value, ast.Name) and test.value.id == "typing")


# ---------------------------------------------------------------- scopes

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass
class _Scope:
    """One Python scope: the module, a function (lambdas and comprehensions too) or a class body."""

    kind: str  # "module", "function", "comprehension" or "class"
    parent: _Scope | None
    bound: set[str] = field(default_factory=set)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    children: list[_Scope] = field(default_factory=list)
    loads: list[tuple[str, int]] = field(default_factory=list)  # names read here, with their line
    # Bindings of module-level names made here: (name, names the value reads, modules it imports, line).
    bindings: list[tuple[str, set[str], set[str], int]] = field(default_factory=list)

    def resolves_globally(self, name: str) -> bool:
        """Whether `name` read in this scope means the module-level name (Python's rules:
        local, then enclosing functions but never a class body, then the module)."""
        scope: _Scope | None = self
        first = True
        while scope is not None:
            if scope.kind == "module":
                return True
            if name in scope.globals:
                return True
            if name in scope.nonlocals:
                return False
            if name in scope.bound and (first or scope.kind != "class"):
                return False
            first = False
            scope = scope.parent
            while scope is not None and scope.kind == "class":  # enclosed scopes skip class bodies
                scope = scope.parent
        return True

    def binds_globally(self, name: str) -> bool:
        return self.kind == "module" or name in self.globals


def _target_names(target: ast.AST) -> list[str]:
    return [node.id for node in ast.walk(target) if isinstance(node, ast.Name)]


def _reads(node: ast.AST | None) -> tuple[set[str], set[str]]:
    """Names an expression reads, and modules it imports literally (__import__("x"))."""
    if node is None:
        return set(), set()
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    modules = {module for n in ast.walk(node) for module, _, _ in _imported_modules(n)}
    return names, modules


class _ScopeWalker(ast.NodeVisitor):
    """Builds the scope tree of a module: what each scope binds, declares and reads."""

    def __init__(self) -> None:
        self.module = _Scope("module", None)
        self.scope = self.module
        self.scopes: list[_Scope] = [self.module]
        self.owner: dict[int, _Scope] = {}  # id(def/class/lambda/comprehension node) -> its scope

    def _enter(self, kind: str, node: ast.AST) -> _Scope:
        scope = _Scope(kind, self.scope)
        self.scope.children.append(scope)
        self.scopes.append(scope)
        self.owner[id(node)] = scope
        return scope

    def _bind(self, name: str, value: ast.AST | None, line: int, modules: set[str] = frozenset()) -> None:
        self.scope.bound.add(name)
        reads, imported = _reads(value)
        self.scope.bindings.append((name, reads, imported | set(modules), line))

    def _in(self, scope: _Scope, nodes: list[ast.AST]) -> None:
        outer, self.scope = self.scope, scope
        for node in nodes:
            self.visit(node)
        self.scope = outer

    # -- definitions

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = node.args
        # Decorators, defaults and annotations are evaluated where the def stands.
        outer_parts: list[ast.AST] = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
        if not isinstance(node, ast.Lambda):
            outer_parts += node.decorator_list
            self._bind(node.name, None, node.lineno)
        for part in outer_parts:
            self.visit(part)
        scope = self._enter("function", node)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None:
                scope.bound.add(arg.arg)
        self._in(scope, node.body if isinstance(node.body, list) else [node.body])

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for part in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(part)
        self._bind(node.name, None, node.lineno)
        self._in(self._enter("class", node), node.body)

    def _comprehension(self, node: ast.AST) -> None:
        generators = node.generators
        self.visit(generators[0].iter)  # the first iterable is evaluated outside
        scope = self._enter("comprehension", node)
        outer, self.scope = self.scope, scope
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter)
            for name in _target_names(generator.target):
                scope.bound.add(name)
            for condition in generator.ifs:
                self.visit(condition)
        for part in ("elt", "key", "value"):
            if hasattr(node, part):
                self.visit(getattr(node, part))
        self.scope = outer

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    # -- declarations and bindings

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.globals.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.nonlocals.update(node.names)

    def visit_Import(self, node: ast.Import) -> None:
        for module, line, names in _imported_modules(node):
            for name in names:
                self._bind(name, None, line, {module})

    visit_ImportFrom = visit_Import

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._store(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self._store(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.scope.loads.append((node.target.id, node.lineno))
        self._store(node.target, node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        scope = self.scope  # := in a comprehension binds in the scope around it
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        outer, self.scope = self.scope, scope
        self._store(node.target, node.value)
        self.scope = outer

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self._store(node.target, node.iter)
        for stmt in [*node.body, *node.orelse]:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._store(item.optional_vars, item.context_expr)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self._bind(node.name, node.type, node.lineno)
        for stmt in node.body:
            self.visit(stmt)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            for name in _target_names(target):
                self.scope.bound.add(name)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self._bind(node.name, None, node.lineno)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self._bind(node.name, None, node.lineno)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self._bind(node.rest, None, node.lineno)
        self.generic_visit(node)

    def _store(self, target: ast.AST, value: ast.AST | None) -> None:
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self._bind(node.id, value, node.lineno)
            elif isinstance(node, (ast.Attribute, ast.Subscript)):
                self.visit(node.value)  # obj.attr = ... reads obj
                if isinstance(node, ast.Subscript):
                    self.visit(node.slice)

    # -- reads

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.scope.loads.append((node.id, node.lineno))
        elif isinstance(node.ctx, (ast.Store, ast.Del)):
            self.scope.bound.add(node.id)


def _scope_tree(tree: ast.Module) -> tuple[_ScopeWalker, dict[int, _Scope]]:
    walker = _ScopeWalker()
    for stmt in tree.body:
        if not _is_main_guard(stmt):
            walker.visit(stmt)
    return walker, walker.owner


def _spelling_tree(tree: ast.Module) -> tuple[_ScopeWalker, dict[int, _Scope]]:
    """One flat scope per top-level definition that reads every name it mentions, and
    module-level bindings found by spelling alone: no recursion, whatever the nesting."""
    walker = _ScopeWalker()
    for stmt in tree.body:
        if _is_main_guard(stmt):
            continue
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            walker.module.bound.add(stmt.name)
            scope = walker._enter("function", stmt)
            scope.loads = [(n.id, n.lineno) for n in ast.walk(stmt) if isinstance(n, ast.Name)]
            continue
        names = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        imported = {module for n in ast.walk(stmt) for module, _, _ in _imported_modules(n)}
        for node in ast.walk(stmt):
            for module, line, bound in _imported_modules(node):
                walker.module.bindings += [(name, set(), {module}, line) for name in bound]
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                walker.module.bindings.append((node.id, names, imported, node.lineno))
    return walker, walker.owner


def _descendants(scope: _Scope) -> list[_Scope]:
    found, stack = [], [scope]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found


def analyze(tree: ast.Module) -> ImportUse:
    """See _analyze; a file nested too deeply to walk by scope is read by spelling
    (every name a definition mentions counts as a use): stricter, never looser."""
    try:
        return _analyze(tree, by_scope=True)
    except RecursionError:
        return _analyze(tree, by_scope=False)


def _analyze(tree: ast.Module, by_scope: bool) -> ImportUse:
    """Which modules the file imports, which module-level names are bound to a module
    (directly, or through an alias such as `t = torch`), and which module-level
    names each top-level def or class reads, each name resolved by Python's scoping
    rules (a local, a parameter or a comprehension variable that happens to be
    spelled like an import is not the import)."""
    use = ImportUse()
    walker, owner = _scope_tree(tree) if by_scope else _spelling_tree(tree)
    # Module-level bindings: from the module's own statements and from `global` declarations anywhere.
    bindings: list[tuple[str, set[str], set[str], int]] = []
    for scope in walker.scopes:
        for name, reads, imported, line in scope.bindings:
            if scope.binds_globally(name):
                reads = {read for read in reads if scope.resolves_globally(read)}
                bindings.append((name, reads, imported, line))
                if scope.kind == "module":
                    use.defined.add(name)
    for stmt in tree.body:
        if _is_main_guard(stmt):
            continue
        is_definition = isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for node in ast.walk(stmt):
            if is_definition:
                break
            for module, line, _ in _imported_modules(node):
                use.module_level.setdefault(module, line)
    # A name is bound to a module when an import binds it, or when its value reads a
    # name bound to one (t = torch; grad = torch.autograd.grad): to a fixed point.
    for name, _, imported, line in bindings:
        for module in imported:
            use.bound_names.setdefault(name, {}).setdefault(module, line)
    changed = True
    while changed:
        changed = False
        for name, reads, _, line in bindings:
            for read in reads:
                for module in list(use.bound_names.get(read, {})):
                    if module not in use.bound_names.setdefault(name, {}):
                        use.bound_names[name][module] = line
                        changed = True
    use.bound_names = {name: mods for name, mods in use.bound_names.items() if mods}
    for stmt in tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        use.defined.add(stmt.name)
        inside: dict[str, int] = {}
        for node in ast.walk(stmt):
            for module, line, _ in _imported_modules(node):
                inside.setdefault(module, line)
        references: dict[str, int] = {}
        # What the definition line itself reads (decorators, defaults, base classes) counts too.
        header = [*stmt.decorator_list]
        if isinstance(stmt, ast.ClassDef):
            header += [*stmt.bases, *(k.value for k in stmt.keywords)]
        else:
            header += [*stmt.args.defaults, *(d for d in stmt.args.kw_defaults if d is not None)]
        for part in header:
            for node in ast.walk(part):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    references.setdefault(node.id, node.lineno)
        for scope in _descendants(owner[id(stmt)]):
            for name, line in scope.loads:
                if scope.resolves_globally(name) and (name not in references or line < references[name]):
                    references[name] = line
        use.inside[stmt.name] = inside
        use.references[stmt.name] = references
    return use


def violations(use: ImportUse, function: str, allowed: frozenset[str], allowed_anywhere: frozenset[str]) -> list[Violation]:
    """Forbidden imports that stop `function` from being graded, first line first.

    A module no problem in this run allows condemns the whole file when the file
    imports it at module level, since loading the file runs that import. Imported
    only inside a function (a check against autograd that the main block calls), it
    condemns, like any module the problem forbids, only the functions that reach it:
    the others never run that import while graded, and the run-time guard refuses it
    wherever static analysis cannot follow the call (code at module level that calls
    the helper, a helper looked up by name).
    """
    bad: dict[str, Violation] = {}
    for module, line in use.module_level.items():
        if module not in allowed_anywhere:
            bad[module] = Violation(module, line)
    for module, (line, via, imported) in use.reached_from(function).items():
        if module not in allowed and module not in bad:
            bad[module] = Violation(module, line, function, via, imported)
    return sorted(bad.values(), key=lambda item: (item.line or 10**9, item.module))
