"""The layout of docs/architecture.md, kept: every package of outreach/ stands on a floor and
imports only from its own floor or the ones below, and no module import circle exists.

Read from the source with ``ast`` (imports inside functions count: a lazy import running up a
floor is still a dependency running up it). A new package fails here until it is given a floor.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "outreach"

# Lowest first. A unit is a subpackage of outreach/ or a module directly in it.
FLOORS: tuple[frozenset[str], ...] = (
    # 0: foundations, knowing nothing of the domain
    frozenset({"config", "errors", "metrics", "extensions", "models_base", "db_events",
               "bulk_insert", "prepared", "crypto", "schema_fields", "http_json", "i18n", "audit",
               "ratelimit"}),
    # 1: form definitions, their validation and serial numbers
    frozenset({"forms"}),
    # 2: people and organisation (a Principal names teams; a team has users as members)
    frozenset({"auth", "teams"}),
    # 3: what teams hold: their keys and their numbered paper forms
    frozenset({"keys", "paper"}),
    # 4: the sync protocol
    frozenset({"sync"}),
    # 5: what is read out of synced records
    frozenset({"reports", "recovery", "admin"}),
    # 6: whole-database jobs
    frozenset({"demo", "backup"}),
    # 7: the doors: app factory, CLI, web shell, the models' aggregate for Alembic
    frozenset({"outreach", "__main__", "cli", "web", "models", "openapi"}),
)
# Known exceptions, each with its reason. The API extension serves the OpenAPI document that
# outreach.openapi corrects from the whole app (guard, locales): a lazy import at request time.
CROSSINGS = frozenset({("outreach.extensions", "outreach.openapi")})
# Units that import nothing else of outreach: the one door to cryptography, and settings.
LEAVES = frozenset({"crypto", "config"})


def floor_of(unit: str) -> int:
    for level, units in enumerate(FLOORS):
        if unit in units:
            return level
    raise AssertionError(f"outreach/{unit} stands on no floor: add it to FLOORS and "
                         "docs/architecture.md")


def module_name(path: Path) -> str:
    parts = ("outreach", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "outreach"


def _imported(module: str, name: str) -> str:
    """``from m import x``: the module m.x when x is a module, else m."""
    parts = Path(*module.split(".")[1:], name)
    is_module = (PACKAGE / parts).is_dir() or (PACKAGE / parts).with_suffix(".py").exists()
    return f"{module}.{name}" if is_module else module


def imports(tree: ast.AST, *, top_level_only: bool = False) -> list[tuple[int, str]]:
    """(line, module) for every import of outreach; ``top_level_only`` leaves out imports
    inside functions and under ``if TYPE_CHECKING`` (they run late or never)."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = True
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                inner = True
            if not (top_level_only and inner):
                if isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                    if child.module == "outreach" or child.module.startswith("outreach."):
                        found.extend((child.lineno, _imported(child.module, a.name))
                                     for a in child.names)
                elif isinstance(child, ast.Import):
                    found.extend((child.lineno, a.name) for a in child.names
                                 if a.name == "outreach" or a.name.startswith("outreach."))
            visit(child, inner)

    visit(tree, False)
    return found


SOURCES = {module_name(path): ast.parse(path.read_text(), str(path))
           for path in sorted(PACKAGE.rglob("*.py"))}


def test_every_package_stands_on_one_floor():
    units = {unit_of(module) for module in SOURCES}
    placed = [unit for floor in FLOORS for unit in floor]
    assert len(placed) == len(set(placed)), "a unit is on two floors"
    for unit in sorted(units):
        floor_of(unit)


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_import_runs_up_a_floor(module):
    unit = unit_of(module)
    upward = []
    for line, target in imports(SOURCES[module]):
        other = unit_of(target)
        if other == unit or (module, target) in CROSSINGS:
            continue
        if unit in LEAVES:
            upward.append(f"line {line}: {target} (outreach/{unit} imports nothing of outreach)")
        elif floor_of(other) > floor_of(unit):
            upward.append(f"line {line}: {target} is on floor {floor_of(other)}, "
                          f"{module} on {floor_of(unit)}")
    assert upward == []


def circles_in(graph: dict[str, set[str]]) -> list[str]:
    """Every import circle a depth-first walk of `graph` meets, as "a -> b -> a"."""
    circles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)
    return circles


def test_no_module_import_circle():
    graph: dict[str, set[str]] = {}
    for module, tree in SOURCES.items():
        targets = set()
        for _, target in imports(tree, top_level_only=True):
            targets.add(target)
        graph[module] = {t for t in targets if t in SOURCES and t != module}
    assert circles_in(graph) == []


PWA_SRC = PACKAGE.parent / "static" / "pwa" / "src"
# Static imports and re-exports (`import … from "./x.js"`, `export … from "./x.js"`, a bare
# `import "./x.js"`); a dynamic import() loads a screen lazily and is not a circle of modules.
STATIC_IMPORT = re.compile(r'^\s*(?:import|export)\b[^;]*?["\'](\.{1,2}/[^"\']+)["\']', re.M | re.S)


def pwa_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(PWA_SRC.rglob("*.js")):
        if "apidocs" in path.parts:
            continue
        source = re.sub(r"^\s*//.*$", "", path.read_text(), flags=re.M)
        targets = {(path.parent / spec).resolve() for spec in STATIC_IMPORT.findall(source)}
        graph[str(path.relative_to(PWA_SRC))] = {
            str(t.relative_to(PWA_SRC)) for t in targets if t.is_file() and t != path}
    return graph


def test_the_pwa_has_no_module_import_circle():
    graph = pwa_graph()
    assert "ui/nav.js" in graph.get("views/household.js", set())  # the parse finds imports
    assert circles_in(graph) == []
