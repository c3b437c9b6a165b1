"""Every package the code imports by name is pinned in requirements*.txt, not pulled in by luck."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["app", "bench", "scripts", "tests", "migrations", "deploy"]
SCRIPTS = ["config.py", "celery_utils.py", "celery_worker.py", "wsgi.py", "test_celery.py"]
OWN = {"app", "bench", "config", "scripts", "tests", "celery_utils", "celery_worker", "wsgi"}


def python_files() -> list[Path]:
    files = [ROOT / name for name in SCRIPTS + ["test_email.py"]]
    for folder in SOURCES:
        files.extend((ROOT / folder).rglob("*.py"))
    return [path for path in files if path.exists()]


def imported_top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def canonical(name: str) -> str:
    """PEP 503: Flask_WTF, flask-wtf and flask.wtf are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_projects() -> set[str]:
    pinned = set()
    for requirements in ROOT.glob("requirements*.txt"):
        for line in requirements.read_text().splitlines():
            match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?==\S+", line.strip())
            if match:
                pinned.add(canonical(match.group(1)))
    return pinned


def test_every_imported_package_is_pinned():
    third_party = set()
    for path in python_files():
        third_party |= imported_top_level_names(path)
    third_party -= OWN | set(sys.stdlib_module_names)
    distributions = packages_distributions()
    pinned = pinned_projects()
    unpinned = {}
    for module in sorted(third_party):
        projects = distributions.get(module)
        assert projects, f"`import {module}`: no installed distribution provides it"
        if not any(canonical(project) in pinned for project in projects):
            unpinned[module] = projects
    assert not unpinned, f"imported but not pinned in requirements*.txt: {unpinned}"
