"""Picking a file from the keyboard: a path field that completes (→ accepts) and a tree of the
folder, both showing only folders and the kinds of file asked for, no hidden ones. Used by the
spreadsheet import and by the merge of a teammate's copy."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from pathlib import Path

from textual.suggester import Suggester
from textual.widgets import DirectoryTree


def _wanted(path: Path, suffixes: Collection[str]) -> bool:
    return path.is_dir() or path.suffix.lower() in suffixes


class PathSuggester(Suggester):
    """Completes a typed path with the folders and files of the wanted kinds found there."""

    def __init__(self, base: Path, suffixes: Collection[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.base = base
        self.suffixes = frozenset(s.lower() for s in suffixes)

    def matches(self, value: str) -> list[str]:
        """Every folder and wanted file whose path starts with `value`, as typed further."""
        if not value:
            return []
        typed = Path(os.path.expanduser(value))
        folder_part, _, prefix = value.rpartition("/")
        folder = typed if value.endswith("/") else typed.parent
        if not folder.is_absolute():
            folder = self.base / folder
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name.casefold())
        except OSError:
            return []
        out: list[str] = []
        for entry in entries:
            if entry.name.startswith(".") and not prefix.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if not is_dir and entry.suffix.lower() not in self.suffixes:
                continue
            if entry.name.startswith(prefix) and entry.name != prefix:
                head = folder_part + "/" if "/" in value else ""
                out.append(head + entry.name + ("/" if is_dir else ""))
        return out

    async def get_suggestion(self, value: str) -> str | None:
        found = self.matches(value)
        return found[0] if found else None


class FileTree(DirectoryTree):
    """Folders and files of the wanted kinds only; no hidden files."""

    #: the suffixes shown (lower case, with the dot); a subclass or the constructor sets them
    SUFFIXES: frozenset[str] = frozenset()

    def __init__(
        self,
        path: str | Path,
        *,
        suffixes: Collection[str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(path, id=id)
        if suffixes is not None:
            self.SUFFIXES = frozenset(s.lower() for s in suffixes)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".") and _wanted(p, self.SUFFIXES)]
