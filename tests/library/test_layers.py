"""The library's layers run one way, and its modules import no circle (`docs/architecture.md`).

Every import counts, those inside functions included: an import deferred to
call time is still a dependency, and deferring one is how a circle hides.
"""

import ast

import pytest

from tests.paths import PROJECT

LIBRARY = PROJECT / "library"

#: Bottom to top. A module may import its own layer and any layer below it; the layers
#: that share a rank (access and assets; the surfaces) may not import each other.
LAYERS = [
    (0, "core", ["library.core"]),
    (1, "media", ["library.assets.media"]),
    (2, "models", ["library.models"]),
    (3, "access", ["library.access"]),
    (3, "assets", ["library.assets"]),
    (4, "representation", ["library.representation"]),
    (5, "listing", ["library.listing"]),
    (6, "api", ["library.api"]),
    (6, "admin", ["library.admin"]),
    (6, "embed", ["library.embed"]),
    (6, "importer", ["library.importer"]),
    (6, "demo", ["library.demo"]),
    (6, "management", ["library.management"]),
    (6, "serving", ["library.serving"]),
    (7, "wiring", ["library.receivers", "library.apps", "library.wagtail_hooks", "library.wagtail_patches"]),
    (-1, "package", ["library"]),
]

#: Surfaces that build on another surface's module, each for a reason.
SURFACE_EXCEPTIONS = {
    # The demo loader creates partners, tokens and tracks the way editors do in the admin.
    ("demo", "admin"),
    # Management commands run the importer and the demo loader.
    ("management", "importer"),
    ("management", "demo"),
}


def library_modules():
    modules = {}
    for path in LIBRARY.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(LIBRARY.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def imports_of(name, path, modules):
    """The library modules `name` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith("library") and target != name:
                found.add(target)
    return found


def import_graph(modules):
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def layer_of(module):
    best = None
    for rank, layer, prefixes in LAYERS:
        for prefix in prefixes:
            inside = module == prefix or module.startswith(prefix + ".")
            if inside and (best is None or len(prefix) > best[2]):
                best = (rank, layer, len(prefix))
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best[0], best[1]


def layer_violations(graph):
    """`(importer, imported, why)` for every import that goes up or sideways."""
    violations = []
    for source, targets in sorted(graph.items()):
        source_rank, source_layer = layer_of(source)
        for target in sorted(targets):
            target_rank, target_layer = layer_of(target)
            if target_layer in {source_layer, "package"}:
                continue
            if target_rank > source_rank:
                violations.append((source, target, f"{source_layer} imports {target_layer}, a layer above it"))
            elif target_rank == source_rank and (source_layer, target_layer) not in SURFACE_EXCEPTIONS:
                violations.append((source, target, f"{source_layer} imports {target_layer}, a layer beside it"))
    return violations


def circles(graph):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph.get(node, ()):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
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
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph():
    return import_graph(library_modules())


def test_every_module_has_a_layer(graph):
    for module in graph:
        layer_of(module)


def test_imports_run_down_the_layers(graph):
    assert layer_violations(graph) == []


def test_no_import_circle(graph):
    assert circles(graph) == []


def test_only_the_wiring_connects_receivers():
    """Receivers are connected in `library.receivers`, so a model never pulls in the work done on its save."""
    connecting = []
    for name, path in library_modules().items():
        if name == "library.receivers":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            decorated = isinstance(node, ast.FunctionDef) and any(
                "receiver" in ast.unparse(decorator) for decorator in node.decorator_list
            )
            connects = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect"
                and bool(node.args)  # a signal's connect(receiver, ...), not `receivers.connect()`
            )
            if decorated or connects:
                connecting.append(f"{name}:{node.lineno}")
    assert connecting == []


def test_the_checks_see_an_upward_import_and_a_circle():
    """The rules above are not vacuous: a model importing the API, and two modules importing each other, are found."""
    graph = {
        "library.models.films": {"library.api.films"},
        "library.api.films": {"library.models.films"},
    }
    assert layer_violations(graph) == [
        ("library.models.films", "library.api.films", "models imports api, a layer above it")
    ]
    assert circles(graph) == [["library.api.films", "library.models.films"]]
