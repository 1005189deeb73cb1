"""The cleaning-rules version recorded with every document.

Derived from the source of the modules that decide what a document's clean
text is, so it changes whenever a rule changes and `sift reclean` can find
the documents cleaned by older rules. No one has to remember to bump it.
"""

from __future__ import annotations

import hashlib
from importlib import resources

# Modules whose code decides the clean text (decode/repair/extract/rules).
_RULE_MODULES = (
    "decode",
    "repair",
    "mojibake_gate",
    "redecode",
    "html_extract",
    "html_prepare",
    "lines",
    "reasons",
    "rules",
    "learned_chrome",
    "title",
    "dates",
)


def rule_module_files() -> list:
    """The files hashed into the version, by name."""
    root = resources.files("cleaners")
    return [
        entry
        for entry in sorted(root.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".py") and entry.name.removesuffix(".py").startswith(_RULE_MODULES)
    ]


def _rules_version() -> str:
    h = hashlib.sha256()
    for entry in rule_module_files():
        h.update(entry.name.encode())
        h.update(entry.read_bytes())
    return "r-" + h.hexdigest()[:12]


RULES_VERSION = _rules_version()
