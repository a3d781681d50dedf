"""The chosen theme is remembered in a per-user settings file; a bad file is ignored."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bridge_tui import settings
from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY


async def test_the_chosen_theme_is_there_next_time(
    sample_db: Path, private_config_dir: Path
) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        app.theme = "bridge-projector"  # what palette → Theme sets
        await pilot.pause()
    saved = json.loads((private_config_dir / "settings.json").read_text())
    assert saved == {"theme": "bridge-projector"}
    again = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "bridge-projector"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2]", b'{"theme": 7}', b'{"theme": "gone"}'],
)
async def test_a_bad_settings_file_is_ignored(
    sample_db: Path, private_config_dir: Path, content: bytes
) -> None:
    (private_config_dir / "settings.json").write_bytes(content)
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        app.theme = "textual-light"
        await pilot.pause()
    assert settings.saved_theme() == "textual-light"  # and a good file replaces it


def test_an_unwritable_folder_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("BRIDGE_CONFIG_DIR", str(blocker / "bridge"))
    assert settings.save(theme="nord") is False
    assert settings.load() == {}


def test_the_platform_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BRIDGE_CONFIG_DIR")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
        assert settings.config_dir() == tmp_path / "bridge"
        monkeypatch.delenv("XDG_CONFIG_HOME")
        assert settings.config_dir() == Path.home() / ".config" / "bridge"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert settings.config_dir() == tmp_path / "Roaming" / "bridge"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert settings.config_dir() == Path.home() / "Library" / "Application Support" / "bridge"
