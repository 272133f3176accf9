"""The package's layout holds (README "Layout"): imports point down the layers, only the Dagster
layer imports dagster (and never its private modules), only settings.py reads the
environment, SQL lives in sql/ and no module grows past 250 lines. Read from the source with
ast; nothing is imported."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cobranza_pipeline"

# layer -> the layers it may import (besides itself)
ALLOWED = {
    "settings": set(),
    "warehouse": {"settings"},
    "alerting": {"settings"},
    "local": {"warehouse", "settings"},
    "dashboard": {"warehouse", "settings"},
    "quality": {"dashboard", "warehouse", "settings"},
    "serving": {"dashboard", "warehouse", "settings"},
    "orchestration": {"quality", "alerting", "local", "warehouse", "settings"},
    "definitions": {"orchestration", "warehouse", "settings"},
    "bench": {"definitions", "orchestration", "quality", "serving", "dashboard", "local", "warehouse", "settings"},
    "cli": {"definitions", "orchestration", "bench", "serving", "quality", "local", "warehouse", "settings"},
}
DAGSTER_LAYERS = {"orchestration", "definitions"}
# The commands that start Dagster processes (dagster dev, dagster job launch) hand them their environment.
ENVIRONMENT_READERS = {"settings.py", "cli/servers.py", "cli/commands.py"}
# A string that starts like a statement the product would run (lowercase, as sql/ is written).
STATEMENT = re.compile(r"^\s*(select|insert into|update \S+ set|delete from|with \w+ as|create|alter|drop|comment on|"
                       r"refresh materialized|analyze|vacuum|truncate|copy \S+|lock table|explain) ")
MODULES = sorted(path for path in PACKAGE.rglob("*.py"))


# Modules of the settings layer besides settings.py: its typed environment reads.
SETTINGS_HELPERS = {"__init__", "settings_reader"}  # the package's own __init__ imports nothing


def layer_named(name: str) -> str:
    return "settings" if name in SETTINGS_HELPERS else name


def layer_of(path: Path) -> str:
    return layer_named(path.relative_to(PACKAGE).with_suffix("").parts[0])


def imported(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_keeps_to_its_layer(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    layer = layer_of(path)
    names = imported(tree)
    inner = {layer_named(name.split(".")[1]) for name in names if name.startswith("cobranza_pipeline.")}
    assert inner - {layer} <= ALLOWED[layer], f"{layer} imports {sorted(inner - {layer} - ALLOWED[layer])}"
    uses_dagster = any(name == "dagster" or name.startswith("dagster.") for name in names)
    assert layer in DAGSTER_LAYERS or not uses_dagster, f"{layer} imports dagster"
    assert not [name for name in names if name.startswith("dagster._")], "private Dagster API"
    relative = str(path.relative_to(PACKAGE))
    reads_environment = "os.environ" in ast.unparse(tree) or "getenv" in ast.unparse(tree)
    assert relative in ENVIRONMENT_READERS or not reads_environment, "reads the environment"
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    statements = [node.value[:40] for node in ast.walk(tree) if isinstance(node, ast.Constant)
                  and isinstance(node.value, str) and id(node) not in docstrings and STATEMENT.match(node.value)]
    assert not statements, f"SQL in Python strings: {statements}"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 250


def test_no_import_cycles_among_modules():
    """Module-level imports form no cycle (the layers could otherwise still loop inside one)."""
    graph = {}
    for path in MODULES:
        module = ".".join(("cobranza_pipeline", *path.relative_to(PACKAGE).with_suffix("").parts))
        module = module.removesuffix(".__init__")
        graph[module] = {name for name in imported(ast.parse(path.read_text(encoding="utf-8")))
                         if name.startswith("cobranza_pipeline.")}
    graph = {module: {dep for dep in deps if dep in graph and dep != module} for module, deps in graph.items()}
    visiting, done = set(), set()

    def visit(module, trail):
        assert module not in visiting, " -> ".join(trail + [module])
        if module in done:
            return
        visiting.add(module)
        for dep in sorted(graph[module]):
            visit(dep, trail + [module])
        visiting.discard(module)
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
