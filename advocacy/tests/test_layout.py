"""The app's shape (DESIGN.md, STYLE.md): imports run one way, function-level ones included."""

import ast
from pathlib import Path

import advocacy

APP = Path(advocacy.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every advocacy module (tests and migrations aside) -> the advocacy modules it imports, anywhere in it."""
    graph = {}
    for path in APP.rglob("*.py"):
        name = _module_name(path)
        if ".tests" in name or ".migrations" in name:
            continue
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
        graph[name] = {module for module in found if module.startswith("advocacy")}
    return {name: {module for module in found if module in graph and module != name} for name, found in graph.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
            if nxt not in state and (found := visit(nxt, [*trail, nxt])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_no_module_imports_one_that_imports_it_back():
    assert _cycle(_imports()) is None


def _layer_imports(importer: str, imported: str) -> dict[str, set[str]]:
    return {
        name: {module for module in modules if module.startswith(imported)}
        for name, modules in _imports().items()
        if name.startswith(importer) and any(module.startswith(imported) for module in modules)
    }


def test_tasks_import_services_and_services_never_import_tasks():
    assert _layer_imports("advocacy.services", "advocacy.tasks") == {}


def test_selectors_only_read_they_import_no_service_and_raise_no_http404():
    assert _layer_imports("advocacy.selectors", "advocacy.services") == {}
    for path in (APP / "selectors").glob("*.py"):
        assert "Http404" not in path.read_text(), f"{path.name}: raise a domain 'not found' instead"
