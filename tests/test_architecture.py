"""Feature boundaries (issue 17): the core imports no feature, a feature reaches a sibling only
through its models or what the sibling declares public, and neither imports a composition root.

Read from the source with `ast`, so no app is built and no import runs. Each feature declares
its public surface once, as `PUBLIC` in its `__init__.py`: "module" (the whole module) or
"module.name" (one function, class or constant). The test and a reader use that one list."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# The composition roots build the app from its features, so they may import anything; no
# feature and nothing in the core may import them (the import would run the other way).
COMPOSITION_ROOTS = ("app", "app.model_registry", "app.demo", "app.cli", "app.tasks")
# Roots too (they import anything), but also what everything is bound to: the extension
# instances (db, the limiter, Celery), the schedule as data and the task catalog (each task's
# fixed name, queue and urgency). Any module may import them.
SHARED_MODULES = ("app.extensions", "app.schedule", "app.task_catalog")
NOT_FEATURES = ("core", "tasks")


@dataclass(frozen=True)
class Use:
    """One thing a module takes from another: `item` is the name it reads from the module
    `target` ("membership" of app.projects.service), or "" when it uses the module whole."""

    source: str  # the importing module, dotted
    path: Path
    line: int
    target: str  # the imported module, dotted ("app.projects.service")
    item: str
    type_only: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def features() -> list[str]:
    return sorted(
        child.name
        for child in APP.iterdir()
        if (child / "__init__.py").exists() and child.name not in NOT_FEATURES
    )


def is_module(dotted: str) -> bool:
    relative = Path(*dotted.split("."))
    return (APP.parent / relative).with_suffix(".py").exists() or (
        APP.parent / relative / "__init__.py"
    ).exists()


def type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines of the imports under `if TYPE_CHECKING:`: names for the type checker only."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                for sub in ast.walk(inner):
                    if isinstance(sub, ast.Import | ast.ImportFrom):
                        lines.add(sub.lineno)
    return lines


def attributes_used(tree: ast.Module, alias: str) -> set[str] | None:
    """The attributes read from the name `alias`, or None if the name is used bare."""
    attributes: set[str] = set()
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == alias:
            parent = parents.get(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                attributes.add(parent.attr)
            else:
                return None
    return attributes


def uses_in(path: Path) -> Iterator[Use]:
    return uses_in_source(path.read_text(), path)


def uses_in_source(text: str, path: Path) -> Iterator[Use]:
    """What the module at `path` (under app/), whose source is `text`, imports from app."""
    tree = ast.parse(text, str(path))
    source = module_name(path)
    typing_only = type_checking_lines(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                if name.name.startswith("app."):
                    yield Use(source, path, node.lineno, name.name, "", False)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module != "app" and not node.module.startswith("app."):
                continue
            for name in node.names:
                yield from _uses_of_name(tree, source, path, node, name, typing_only)


def _uses_of_name(
    tree: ast.Module,
    source: str,
    path: Path,
    node: ast.ImportFrom,
    name: ast.alias,
    typing_only: set[int],
) -> Iterator[Use]:
    assert node.module is not None
    type_only = node.lineno in typing_only
    submodule = f"{node.module}.{name.name}"
    if not is_module(submodule):
        yield Use(source, path, node.lineno, node.module, name.name, type_only)
        return
    # `from app.projects import service`: what counts is what the module reads from it.
    attributes = attributes_used(tree, name.asname or name.name)
    if attributes is None:
        yield Use(source, path, node.lineno, submodule, "", type_only)
        return
    for attribute in sorted(attributes):
        yield Use(source, path, node.lineno, submodule, attribute, type_only)


def all_uses() -> list[Use]:
    return [use for path in sorted(APP.rglob("*.py")) for use in uses_in(path)]


def package_of(dotted: str) -> str | None:
    """The top package under app/ a dotted module belongs to ("projects"), or None for app/*.py."""
    parts = dotted.split(".")
    if len(parts) < 2:
        return None
    package = parts[1]
    return package if (APP / package).is_dir() else None


@cache
def public_surface(feature: str) -> tuple[str, ...]:
    """The feature's `PUBLIC` tuple, read from its __init__.py without importing it."""
    tree = ast.parse((APP / feature / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "PUBLIC" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, tuple), f"app/{feature}/__init__.py: PUBLIC is not a tuple"
            return value
    return ()


def is_models_module(module: str) -> bool:
    """The shared data model: `models` and `<thing>_models` modules."""
    last = module.rsplit(".", 1)[-1]
    return last == "models" or last.endswith("_models")


def item_key(use: Use) -> str:
    """The use as PUBLIC names it: "service.membership" for app.projects.service's membership."""
    relative = use.target.split(".")[2:]
    if use.item:
        relative.append(use.item)
    return ".".join(relative)


def allowed_in_sibling(use: Use, feature: str) -> bool:
    key = item_key(use)
    if is_models_module(use.target):
        return True
    public = public_surface(feature)
    # "service" makes the whole module public; "service.membership" one name of it.
    return key in public or any(key.startswith(entry + ".") for entry in public)


def is_composition_root(module: str) -> bool:
    """`app` itself (create_app), or a module under one of the other roots."""
    return module in COMPOSITION_ROOTS or any(
        module.startswith(root + ".") for root in COMPOSITION_ROOTS if root != "app"
    )


def problem(use: Use) -> str | None:
    """Why this import crosses a boundary, or None if it may."""
    source_package = package_of(use.source)
    if source_package is None or source_package == "tasks":
        return None  # a composition root: it wires the features together
    if use.target in SHARED_MODULES or any(use.target.startswith(m + ".") for m in SHARED_MODULES):
        return None
    target_package = package_of(use.target)
    if is_composition_root(use.target):
        return "imports a composition root, which imports the features"
    if target_package in (source_package, "core"):
        return None
    assert target_package is not None
    if source_package == "core":
        # The ledger's foreign key to users names User for the type checker only; the mapper
        # finds the class by name at run time.
        if use.type_only and is_models_module(use.target):
            return None
        return "the core imports a feature"
    if allowed_in_sibling(use, target_package):
        return None
    return f"not public: add it to PUBLIC in app/{target_package}/__init__.py, or use an event"


def describe(use: Use, reason: str) -> str:
    what = f"{use.target}.{use.item}" if use.item else use.target
    return f"{use.path.relative_to(APP.parent)}:{use.line}: {use.source} imports {what}: {reason}"


def violations() -> list[str]:
    found = []
    for use in all_uses():
        reason = problem(use)
        if reason is not None:
            found.append(describe(use, reason))
    return found


def test_core_imports_no_feature() -> None:
    found = [line for line in violations() if "the core imports a feature" in line]
    if found:
        pytest.fail("The core imports features:\n" + "\n".join(found), pytrace=False)


def test_features_import_siblings_only_through_models_and_public_surfaces() -> None:
    found = [line for line in violations() if "the core imports a feature" not in line]
    if found:
        pytest.fail("Imports across feature boundaries:\n" + "\n".join(found), pytrace=False)


def problems_of(text: str, module_path: str) -> list[str | None]:
    return [problem(use) for use in uses_in_source(text, APP.parent / module_path)]


def test_the_check_tells_a_public_import_from_an_internal_one() -> None:
    """The rules themselves, on made-up modules: what passes and what is caught."""
    in_tasklist = "app/tasklist/example.py"
    assert problems_of("from app.projects.access import load_project\n", in_tasklist) == [None]
    assert problems_of("from app.projects.models import Project\n", in_tasklist) == [None]
    assert problems_of("from app.core.database import utcnow\n", in_tasklist) == [None]
    assert problems_of("from app.tasklist.service import change_status\n", in_tasklist) == [None]
    [views] = problems_of("from app.projects.views import index\n", in_tasklist)
    assert views is not None and views.startswith("not public")
    # A module imported whole is judged by the names read from it.
    used = "from app.projects import service\nservice.membership()\nservice.remove_member()\n"
    assert problems_of(used, in_tasklist)[0] is None
    assert problems_of(used, in_tasklist)[1] is not None
    [root] = problems_of("from app.tasks.task_management import send_task_reminders\n", in_tasklist)
    assert root is not None and "composition root" in root
    in_core = "app/core/example.py"
    [core] = problems_of("from app.tasklist.deadlines import is_overdue\n", in_core)
    assert core == "the core imports a feature"
    type_only = "if TYPE_CHECKING:\n    from app.accounts.models import User\n"
    assert problems_of(type_only, in_core) == [None]
    assert problems_of("from app.tasklist.views import index\n", "app/cli.py") == [None]


def test_every_feature_declares_a_public_surface_that_exists() -> None:
    """PUBLIC names only modules and names that exist, so the list stays true."""
    wrong = []
    for feature in features():
        init = (APP / feature / "__init__.py").read_text()
        if "PUBLIC" not in init:
            wrong.append(f"app/{feature}/__init__.py declares no PUBLIC")
        for entry in public_surface(feature):
            module, _, name = entry.partition(".")
            dotted = f"app.{feature}.{module}"
            if not is_module(dotted):
                wrong.append(f"app/{feature}: PUBLIC names {entry}, but {dotted} is no module")
            elif name and not _defines(APP / feature / f"{module}.py", name):
                wrong.append(f"app/{feature}: PUBLIC names {entry}, but {dotted} has no {name}")
    if wrong:
        pytest.fail("\n".join(wrong), pytrace=False)


def _defines(path: Path, name: str) -> bool:
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == name:
                return True
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return True
        elif isinstance(node, ast.ImportFrom):
            if any((alias.asname or alias.name) == name for alias in node.names):
                return True
    return False
