"""The rules version must change whenever code that decides clean text changes."""

from __future__ import annotations

import ast

from cleaners.version import rule_module_files

# Imported by rule modules without deciding any text: the record type and the
# rejection exception.
_NOT_RULES = {"record", "errors"}


def _cleaners_imports(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cleaners."):
            names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("cleaners."))
    return names


def test_every_cleaners_module_a_rule_module_imports_is_hashed_too() -> None:
    hashed = {entry.name.removesuffix(".py"): entry.read_text(encoding="utf-8") for entry in rule_module_files()}
    missing = {
        f"{name} imports {dep}"
        for name, source in hashed.items()
        for dep in _cleaners_imports(source) - _NOT_RULES
        if dep not in hashed
    }
    assert not missing, f"add these to cleaners/version.py _RULE_MODULES: {sorted(missing)}"


def test_the_repair_modules_are_hashed() -> None:
    names = {entry.name for entry in rule_module_files()}
    assert {"repair.py", "redecode.py", "mojibake_gate.py", "html_prepare.py"} <= names
