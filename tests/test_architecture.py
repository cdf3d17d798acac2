"""The shape of the code, held by tests: each kind of code in its own kind of module.

What may import what between packages is import-linter's contracts (`.importlinter`, checked
here so a broken one fails with the rest of the suite); the README's architecture table says the
same in words. The rules below are ones import-linter cannot state: they are about the kind of
module, whatever package it is in.
"""

import ast
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

from tests.source import ROOT, source_files


def _modules() -> dict[str, Path]:
    found = {}
    for path in source_files():
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _kind(module: str) -> str:
    last = module.rsplit(".", 1)[-1]
    return last.rsplit("_", 1)[-1]  # "views" for views and child_views, "forms" likewise


def _imports(module: str) -> set[str]:
    """The product modules a module imports, whether as `from a import b` or `import a.b`."""
    tree = ast.parse(MODULES[module].read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in MODULES}


def test_the_import_contracts_hold():
    """.importlinter: the product never imports the demo, notifications know nothing of the
    apps that send them, statutory returns do not lean on reporting, rules sit below services."""
    assert lint_imports(config_filename=str(ROOT / ".importlinter")) == 0


def test_views_never_import_views():
    """A page that needs another page's helper finds it in a queries, permissions or pages
    module: views import downwards only."""
    crossing = {
        module: sorted(name for name in _imports(module) if _kind(name) == "views")
        for module in MODULES
        if _kind(module) == "views"
    }
    assert {module: names for module, names in crossing.items() if names} == {}


def _form_classes(module: str) -> list[str]:
    tree = ast.parse(MODULES[module].read_text())
    names = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(base) for base in node.bases]
            if any(base.split(".")[-1].endswith(("Form", "FormSet")) for base in bases):
                names.append(node.name)
    return names


def test_form_classes_live_in_forms_modules():
    elsewhere = {module: _form_classes(module) for module in MODULES if _kind(module) != "forms"}
    assert {module: names for module, names in elsewhere.items() if names} == {}


@pytest.mark.parametrize("suffix", ["_visible_to", "_not_hidden_from"])
def test_scoping_helpers_live_with_the_queries(suffix):
    """Every permission-scoped query (what a user may see) is in a queries module, where a
    reader looks for it. (rules.audience.is_visible_to is about a copy's recipient, not a user.)"""
    misplaced = []
    for module, path in MODULES.items():
        for node in ast.parse(path.read_text()).body:
            named = isinstance(node, ast.FunctionDef) and node.name.endswith(suffix)
            scoped = named and [arg.arg for arg in node.args.args][:1] == ["user"]
            if scoped and _kind(module) != "queries":
                misplaced.append(f"{module}.{node.name}")
    assert misplaced == []


def test_the_checks_above_see_the_code():
    """The walks above would pass on an empty tree; they must find what they judge."""
    kinds = {_kind(module) for module in MODULES}
    assert {"views", "forms", "queries", "services", "models"} <= kinds
    assert _form_classes("conferences.cases.forms")


def test_every_package_is_under_the_contracts():
    """A new top-level package joins .importlinter's root packages, or no contract sees it."""
    from configparser import ConfigParser

    from tests.source import PACKAGES

    config = ConfigParser()
    config.read(ROOT / ".importlinter")
    assert sorted(config["importlinter"]["root_packages"].split()) == PACKAGES
