"""The shape DESIGN.md §8 promises: model modules that build on each other in one direction,
services that take keyword-only arguments, modules a newcomer can read."""

import ast
import inspect
from pathlib import Path

import pytest

from tracker import services

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
MODELS = TRACKER / "models"


def model_imports():
    """{module: set of sibling modules it imports}, read from the source of tracker/models/."""
    graph = {}
    for path in MODELS.glob("*.py"):
        if path.stem == "__init__":
            continue
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1 and node.module:
                    imported.add(node.module.split(".")[0])
                elif node.level == 1:
                    imported.update(alias.name for alias in node.names)
                elif (node.module or "").startswith("tracker.models."):
                    imported.add(node.module.split(".")[2])
        graph[path.stem] = imported
    return graph


def cycle_in(graph):
    """One import cycle as a list of modules, or None."""
    state = {}

    def visit(module, trail):
        state[module] = "visiting"
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == "visiting":
                return trail[trail.index(imported) :] + [imported]
            if imported not in state:
                found = visit(imported, trail + [imported])
                if found:
                    return found
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module, [module])
            if found:
                return found
    return None


def test_the_model_modules_import_each_other_without_a_cycle():
    graph = model_imports()
    assert {"framework", "indicators", "periods", "values"} <= set(graph)
    assert cycle_in(graph) is None, " → ".join(cycle_in(graph))


def test_the_cycle_finder_finds_a_cycle():
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) is None


def test_no_model_module_imports_lazily_inside_a_function():
    # A function-level import is how a cycle hides; none is left in the models.
    for path in MODELS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                inner = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
                assert not inner, f"{path.name}: {node.name} imports inside the function"


WRITES = [
    name
    for name in services.__all__
    if inspect.isfunction(getattr(services, name))
    and getattr(services, name).__module__.startswith("tracker.services.")
]


@pytest.mark.parametrize("name", WRITES)
def test_every_service_takes_keyword_only_arguments(name):
    parameters = inspect.signature(getattr(services, name)).parameters.values()
    assert parameters and all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)


def test_the_services_are_the_ones_the_readme_names():
    assert set(WRITES) >= {"save_value", "validate", "close_period", "generate_periods"}


@pytest.mark.parametrize(
    "path",
    sorted(path for path in TRACKER.rglob("*.py") if "migrations" not in path.parts),
    ids=lambda path: str(path.relative_to(TRACKER)),
)
def test_no_module_is_too_long_to_read(path):
    assert len(path.read_text().splitlines()) <= 420
