"""A small per-user settings file (the chosen theme, the user's own keys), in the platform's
config folder.

`BRIDGE_CONFIG_DIR` overrides the folder (tests point it at a temporary one). The file is a
convenience: one that is missing, unreadable or corrupt is ignored (defaults apply) and a
failed write is ignored too; bridge never stops because of it."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

FILE_NAME = "settings.json"


def config_dir() -> Path:
    """`$BRIDGE_CONFIG_DIR`, else the platform's place for a user's settings."""
    override = os.environ.get("BRIDGE_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "bridge"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "bridge"
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg) if xdg else Path.home() / ".config") / "bridge"


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def load() -> dict[str, Any]:
    """The saved settings, or {} when there is no usable file."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(**values: Any) -> bool:
    """Merge `values` into the file (written beside it, then renamed into place). False when
    it could not be written (a read-only home, say): the setting then lasts this session."""
    data = load()
    data.update(values)
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=2, sort_keys=True)
                out.write("\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def saved_theme() -> str | None:
    theme = load().get("theme")
    return theme if isinstance(theme, str) else None


def saved_keymap() -> dict[str, str]:
    """The user's own keys: {binding id: keys}, e.g. {"board.new": "a", "app.quit": "ctrl+q"}
    (several keys separated by commas). Anything but an object is ignored, and so is an entry
    whose keys are not a non-empty string; an id bridge does not have does nothing."""
    keymap = load().get("keymap")
    if not isinstance(keymap, dict):
        return {}
    return {
        binding_id: keys.strip()
        for binding_id, keys in keymap.items()
        if isinstance(binding_id, str) and isinstance(keys, str) and keys.strip()
    }
