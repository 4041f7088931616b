"""Every app's shape (DESIGN.md, STYLE.md): imports run one way, function-level ones included.

Modules: no cycles; services never import tasks; selectors import no service and raise no Http404.
Apps: each imports only the apps below it ("Between apps").
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "accounts", "insights", "advocacy", "intranet", "councils", "dashboard"]
# Who may import whom. core is the shared plumbing every app uses and that uses none.
MAY_IMPORT = {
    "core": set(),
    "accounts": {"core"},
    "insights": {"core", "accounts"},
    "intranet": {"core", "accounts"},
    "advocacy": {"core", "accounts", "insights"},
    "councils": {"core", "accounts", "insights", "advocacy", "intranet"},
    "dashboard": {"core", "accounts", "insights", "advocacy", "intranet", "councils"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _raw_imports() -> dict[str, set[str]]:
    """Every module of our apps (tests and migrations aside) -> what it imports, anywhere in it."""
    graph = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            name = _module_name(path)
            if ".tests" in name or ".migrations" in name:
                continue
            found = set()
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
                elif isinstance(node, ast.Import):
                    found |= {alias.name for alias in node.names}
            graph[name] = found
    return graph


def _imports() -> dict[str, set[str]]:
    """Every module of our apps -> the modules of our apps it imports."""
    graph = _raw_imports()
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
    own = {
        name: {module for module in modules if module.split(".")[0] == name.split(".")[0]}
        for name, modules in _imports().items()
    }
    return {
        name: {module for module in modules if module.startswith(imported)}
        for name, modules in own.items()
        if name.startswith(importer) and any(module.startswith(imported) for module in modules)
    }


@pytest.mark.parametrize("app", APPS)
def test_tasks_import_services_and_services_never_import_tasks(app):
    assert _layer_imports(f"{app}.services", f"{app}.tasks") == {}


@pytest.mark.parametrize("app", APPS)
def test_selectors_only_read_they_import_no_service_and_raise_no_http404(app):
    assert _layer_imports(f"{app}.selectors", f"{app}.services") == {}
    for path in [*(ROOT / app).glob("selectors.py"), *(ROOT / app).glob("selectors/*.py")]:
        assert "Http404" not in path.read_text(), f"{path}: raise a domain 'not found' instead"


def test_apps_import_only_the_apps_below_them():
    wrong = {
        name: sorted(
            module
            for module in modules
            if module.split(".")[0] not in {name.split(".")[0], *MAY_IMPORT[name.split(".")[0]]}
        )
        for name, modules in _imports().items()
    }
    assert {name: modules for name, modules in wrong.items() if modules} == {}
