"""The README's layout tree names every module of the package, and only those: it cannot go
stale as modules are added, moved or split."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bridge_tui

PACKAGE = Path(bridge_tui.__file__).resolve().parent
README = PACKAGE.parent / "README.md"


def tree_modules(text: str) -> set[str]:
    """The module paths the `### The layout` block names, read from its indentation."""
    block = text.split("### The layout", 1)[1].split("```", 2)[1]
    folders: list[str] = []
    found: set[str] = set()
    for line in block.splitlines()[1:]:
        m = re.match(r"( *)(\S+)", line)
        if not m:
            continue
        depth, name = len(m.group(1)) // 2, m.group(2)
        folders = folders[:depth]
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
        elif name.endswith(".py"):
            found.add("/".join([*folders[1:], name]))
    return found


def package_modules() -> set[str]:
    return {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    }


@pytest.mark.skipif(not README.exists(), reason="the package is not run from a checkout")
def test_the_readme_tree_names_every_module() -> None:
    named = tree_modules(README.read_text(encoding="utf-8"))
    assert sorted(package_modules() - named) == [], "modules the README's tree does not name"
    assert sorted(named - package_modules()) == [], "the README's tree names modules that are gone"


def test_the_tree_reader_follows_folders() -> None:
    text = "### The layout\n\n```\nbridge_tui/\n  a.py  x\n  b/  y\n    c.py  z\n  d.py\n```\n"
    assert tree_modules(text) == {"a.py", "b/c.py", "d.py"}
