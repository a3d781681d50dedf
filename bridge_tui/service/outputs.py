"""Files the service writes for a person: every one goes through `store.outputs`.

So a report, an export, review minutes or a shared copy can never land on the open bridge
file, never replaces an existing file unless asked (`force`; the app asks first), is written
whole or not at all, and gets the user's usual permissions.
"""

from __future__ import annotations

from pathlib import Path

from bridge_tui.service.moves import MoveOps
from bridge_tui.store import outputs


class OutputOps(MoveOps):
    def write_output(self, path: Path | str, text: str, *, force: bool = False) -> Path:
        """Write `text` to `path` by the output rules; raises `OutputExists` (a `BadFile`)
        when the file is there and `force` is not set."""
        return outputs.write_output(path, text, force=force, database=self.store.path)

    def beside_file(self, kind: str, suffix: str) -> Path:
        """The default name of an output next to the bridge file, e.g. `ops-report-<date>.md`
        (whether or not it exists: the caller decides what to do then)."""
        folder = self.store.path.resolve().parent
        return folder / f"{self.store.path.stem}-{kind}-{self.today().isoformat()}.{suffix}"

    @staticmethod
    def free_name(path: Path | str) -> Path:
        """`path` or, if taken, the first free `name-2.ext`, `name-3.ext`... ("keep both")."""
        return outputs.free_name(path)
