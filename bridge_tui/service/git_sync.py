"""Git as the sharing engine: git moves and versions the file, bridge merges it and shows it.

- `setup` registers bridge for one file of a work tree: a `.gitattributes` line (which the
  user commits, so every clone gets it) and the driver commands in the clone's own git config
  (which git never shares: each teammate runs `bridge git setup` once after cloning).
- `merge_driver` is what git runs when both sides changed the file: the same merge as `bridge
  merge` (`store.merge`), on a copy of our side that replaces git's file in one rename only
  when the merge succeeded; a copy that fails the incoming checks leaves our side untouched
  and git reports a conflict.
- `sync_files` is the app's "Sync with git": commit the file, `git pull --no-rebase` (which
  runs the driver), `git push`. It only runs git, so the app runs it in a worker thread; the
  store is reopened afterwards on the app's thread (`GitOps.reopen_if_replaced`).

Git always runs as a subprocess with no terminal to ask on (`GIT_TERMINAL_PROMPT=0`), never
through a shell, and in the file's own work tree.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bridge_tui.clock import Clock
from bridge_tui.errors import BadFile, BadInput, BridgeError, Busy
from bridge_tui.service.initiatives import InitiativeService
from bridge_tui.store import Store, gitfile

if TYPE_CHECKING:
    from bridge_tui.service.sharing import HistoryEntry, MergeReport

#: a pull or push over a slow network may take a while; a local command is instant
GIT_TIMEOUT_S = 300
#: the driver appends its report (JSON, one line per merge) to this file when it is set
REPORT_ENV = "BRIDGE_MERGE_REPORT"
#: `-text`: git never converts line endings in it (a `* text` line elsewhere would break it)
ATTRIBUTES = "-text merge=bridge diff=bridge"


def bridge_command() -> list[str]:
    """How git should call this very bridge: the interpreter running now, so the driver is
    the installed bridge of this environment whatever PATH says when git runs it."""
    return [sys.executable, "-m", "bridge_tui"]


def driver_config() -> dict[str, str]:
    cmd = shlex.join(bridge_command())
    return {
        "merge.bridge.name": "bridge: merge two versions of a portfolio, field by field",
        "merge.bridge.driver": f"{cmd} git merge-driver %O %A %B %P",
        "diff.bridge.textconv": f"{cmd} git textconv",
    }


def run_git(
    args: list[str], cwd: Path, *, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=full,
            timeout=GIT_TIMEOUT_S,
        )
    except FileNotFoundError:
        raise BadInput("git is not installed (or not on PATH); install git first.") from None
    except subprocess.TimeoutExpired:
        raise Busy(f"git did not finish within {GIT_TIMEOUT_S} seconds; try again.") from None


def git_says(result: subprocess.CompletedProcess[str]) -> str:
    """git's own reason in one line: its first error line, else its last line."""
    lines = [ln.strip() for ln in (result.stderr + "\n" + result.stdout).splitlines()]
    lines = [ln for ln in lines if ln]
    for ln in lines:
        if ln.startswith(("fatal:", "error:")):
            return ln
    return lines[-1] if lines else f"git exited with status {result.returncode}"


def work_tree(path: Path) -> Path | None:
    """The top of the git work tree holding `path`, or None outside one."""
    folder = Path(path).absolute().parent
    if not folder.is_dir():
        return None
    result = run_git(["rev-parse", "--show-toplevel"], folder)
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return Path(result.stdout.strip())


def _relative(path: Path, top: Path) -> str:
    try:
        return Path(path).absolute().resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise BadInput(
            f"{path} is not inside the git work tree {top}; give a path inside it."
        ) from None


def attributes(top: Path, rel: str) -> dict[str, str]:
    """git's `merge` and `diff` attributes for the file, as git itself reads them."""
    result = run_git(["check-attr", "-z", "merge", "diff", "--", rel], top)
    parts = result.stdout.split("\0")
    out: dict[str, str] = {}
    for n in range(0, len(parts) - 2, 3):
        out[parts[n + 1]] = parts[n + 2]
    return out


def _pattern(rel: str) -> str:
    """A `.gitattributes` pattern naming exactly this file from the top of the work tree."""
    escaped = "".join("\\" + ch if ch in "*?[\\" else ch for ch in rel)
    pattern = "/" + escaped
    if any(ch in pattern for ch in ' \t"#') or pattern.startswith("!"):
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return pattern


@dataclass
class SetupResult:
    top: Path
    rel: str
    #: the line added to .gitattributes (None: git already merged the file with bridge)
    added_line: str | None = None
    #: the git config keys set or corrected in this clone
    configured: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.added_line is None and not self.configured

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.unchanged:
            out.append(
                f"Already set up: git merges and shows {self.rel} with bridge in {self.top}."
            )
        else:
            out.append(f"Set up git to merge and show {self.rel} with bridge in {self.top}:")
        if self.added_line is not None:
            out.append(
                f"- .gitattributes: added '{self.added_line}'. Commit it so every clone "
                "gets it: git add .gitattributes && git commit -m 'bridge merges the portfolio'"
            )
        if self.configured:
            out.append(
                "- this clone's git config: registered bridge's merge driver and diff text "
                "(git never shares these settings)"
            )
        out.append(
            "Each teammate runs this once after cloning, in the repository's folder: "
            f"bridge git setup {shlex.quote(self.rel)}"
        )
        return out


def register_driver(top: Path) -> list[str]:
    """Set bridge's driver commands in the clone's own config; returns the keys changed."""
    changed: list[str] = []
    for key, value in driver_config().items():
        have = run_git(["config", "--local", "--get", key], top)
        if have.returncode == 0 and have.stdout.rstrip("\n") == value:
            continue
        done = run_git(["config", "--local", key, value], top)
        if done.returncode != 0:
            raise BadInput(f"git would not record {key}: {git_says(done)}.")
        changed.append(key)
    return changed


def setup(path: Path | str) -> SetupResult:
    """`bridge git setup [PATH]`: idempotent; refuses outside a work tree."""
    path = Path(path)
    top = work_tree(path)
    if top is None:
        raise BadInput(
            f"{path.absolute().parent} is not inside a git work tree; run 'git init' there "
            "(or clone your team's repository) first, then 'bridge git setup'."
        )
    rel = _relative(path, top)
    result = SetupResult(top, rel)
    have = attributes(top, rel)
    if have.get("merge") != "bridge" or have.get("diff") != "bridge":
        line = f"{_pattern(rel)} {ATTRIBUTES}"
        target = top / ".gitattributes"
        try:
            old = target.read_text(encoding="utf-8") if target.exists() else ""
            sep = "" if not old or old.endswith("\n") else "\n"
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(f"{sep}{line}\n")
        except OSError as exc:
            raise BadInput(f"{target} cannot be written: {exc.strerror}.") from None
        now = attributes(top, rel)
        if now.get("merge") != "bridge" or now.get("diff") != "bridge":
            raise BadInput(
                f"git does not apply the line written to {target} to {rel} (another line "
                "there overrides it?); check that file."
            )
        result.added_line = line
    result.configured = register_driver(top)
    return result


# the merge driver ------------------------------------------------------------------------------


def merge_driver(
    ours: Path | str,
    theirs: Path | str,
    name: str,
    author: str,
    clock: Clock | date | None = None,
    report_to: Path | str | None = None,
) -> MergeReport:
    """Fold git's `theirs` into git's `ours`; `ours` changes only if the merge succeeds."""
    from bridge_tui.service import Service  # the full service (this module is one of its mixins)

    shown = Path(name).name or "portfolio.db"
    with gitfile.working_copy(Path(ours), shown) as copy:
        incoming = gitfile.incoming_copy(Path(theirs), copy.parent, shown)
        try:
            store = Store.open(copy)
        except BridgeError as exc:
            raise BadFile(f"your version: {exc.message}") from None
        try:
            if store.refusal is not None:
                raise BadFile(f"your version: {store.read_only_message()}")
            report = Service(store, author, clock).merge(incoming)
        finally:
            store.close()
        incoming.unlink()
    if report_to:
        with open(report_to, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"file": name, **report.to_json()}) + "\n")
    return report


# "Sync with git" ------------------------------------------------------------------------------


@dataclass
class SyncOutcome:
    """What a sync did, in sentences; `ok` is False when it stopped (nothing half-done)."""

    ok: bool
    message: str
    steps: list[str] = field(default_factory=list)
    #: the merge driver's reports (JSON, see `MergeReport.to_json`), one per merge it ran
    merges: list[dict[str, Any]] = field(default_factory=list)

    def text(self, came_in: list[HistoryEntry], shown: int = 40) -> str:
        """The sync in words: what git did, what came in, what conflicted, or why it stopped."""
        lines = list(self.steps)
        if not self.ok:
            lines.append(("Not synced: " if not lines else "Stopped: ") + self.message)
            return "\n".join(lines)
        lines.insert(0, self.message)
        if came_in:
            lines.append(f"Came in ({len(came_in)}):")
            lines.extend(f"  {e.author}: {e.description}" for e in came_in[:shown])
            if len(came_in) > shown:
                lines.append(f"  ... and {len(came_in) - shown} more (the history shows them)")
        else:
            lines.append("Came in: nothing new for the portfolio.")
        conflicts = self.conflict_lines()
        if conflicts:
            lines.append(
                f"Conflicts ({len(conflicts)}: you both changed these; the newer change is "
                "kept, the other stays in the history):"
            )
            lines.extend(f"  ! {c}" for c in conflicts)
        return "\n".join(lines)

    def conflict_lines(self) -> list[str]:
        out: list[str] = []
        for report in self.merges:
            for c in report.get("conflicts", []):
                if c.get("minor"):
                    continue
                kept, lost = (
                    (c["ours"], c["theirs"]) if c["kept"] == "ours" else (c["theirs"], c["ours"])
                )
                where = f"{c['initiative']}: " if c.get("initiative") else ""
                out.append(
                    f"{where}{c['what']}: kept '{kept['value']}' ({kept['author']}) over "
                    f"'{lost['value']}' ({lost['author']})"
                )
        return out


def _head(top: Path) -> str:
    result = run_git(["rev-parse", "-q", "--verify", "HEAD"], top)
    return result.stdout.strip()


def _stop(message: str, steps: list[str]) -> SyncOutcome:
    return SyncOutcome(False, message, steps)


def sync_files(path: Path | str, author: str) -> SyncOutcome:
    """Commit the file, pull (merging through the driver), push. Runs git only (no store), so
    it may run in a worker thread; every refusal says what to do."""
    path = Path(path)
    steps: list[str] = []
    top = work_tree(path)
    if top is None:
        return _stop(
            f"{path.name} is not in a git work tree. To share it through git: put it in your "
            "team's repository (git init, or a clone), run 'bridge git setup' there in a "
            "terminal, commit, and add the team's remote.",
            steps,
        )
    rel = _relative(path, top)
    have = attributes(top, rel)
    if have.get("merge") != "bridge":
        return _stop(
            f"git does not merge {rel} with bridge yet: run 'bridge git setup {rel}' in a "
            f"terminal in {top}, commit .gitattributes, then sync again.",
            steps,
        )
    if register_driver(top):
        steps.append("Registered bridge's merge driver in this clone (it was missing).")
    if not run_git(["remote"], top).stdout.strip():
        return _stop(
            "This repository has no remote to sync with: add your team's with "
            "'git remote add origin URL', push once with 'git push -u origin HEAD', then sync "
            "again.",
            steps,
        )
    upstream = run_git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"], top)
    if upstream.returncode != 0:
        return _stop(
            "This branch has no upstream to sync with: push it once with "
            f"'git push -u origin HEAD' in {top}, then sync again.",
            steps,
        )
    remote = upstream.stdout.strip()
    if run_git(["rev-parse", "-q", "--verify", "MERGE_HEAD"], top).returncode == 0:
        return _stop(
            f"git is in the middle of a merge in {top}: finish it, or undo it with "
            "'git merge --abort', then sync again.",
            steps,
        )
    status = run_git(["status", "--porcelain", "-z", "--", rel], top)
    if status.stdout.strip("\0"):
        added = run_git(["add", "--", rel], top)
        if added.returncode != 0:
            return _stop(f"git could not add your changes: {git_says(added)}.", steps)
        commit = run_git(
            ["commit", "-q", "-m", f"bridge: changes to {path.name} by {author}", "--", rel], top
        )
        if commit.returncode != 0:
            return _stop(f"git could not commit your changes: {git_says(commit)}.", steps)
        steps.append(f"Committed your changes to {rel}.")
    before = _head(top)
    with tempfile.TemporaryDirectory(prefix="bridge-sync-") as tmp:
        report_file = Path(tmp) / "merges.jsonl"
        pull = run_git(
            # --ff: a merge when the sides diverged, whatever pull.ff or pull.rebase say
            ["pull", "--no-rebase", "--ff", "--no-edit"],
            top,
            env={REPORT_ENV: str(report_file)},
        )
        merges = _reports(report_file)
    if pull.returncode != 0:
        if run_git(["rev-parse", "-q", "--verify", "MERGE_HEAD"], top).returncode == 0:
            run_git(["merge", "--abort"], top)
            refused = [
                ln.removeprefix("bridge: ").strip()
                for ln in pull.stderr.splitlines() + pull.stdout.splitlines()
                if ln.startswith("bridge: ")
            ]
            why = refused[0] if refused else git_says(pull)
            return _stop(
                f"The incoming version of {rel} was refused, so nothing was merged and your "
                f"file is as it was (the pull was undone): {why}",
                steps,
            )
        return _stop(f"git pull from {remote} failed: {git_says(pull)}.", steps)
    after = _head(top)
    if after != before:
        steps.append(f"Pulled from {remote}.")
    else:
        steps.append(f"Nothing new on {remote}.")
    ahead = run_git(["rev-list", "--count", "@{u}..HEAD"], top).stdout.strip()
    if ahead and ahead != "0":
        push = run_git(["push", "-q"], top)
        if push.returncode != 0:
            outcome = _stop(
                f"Pulled, but the push to {remote} failed: {git_says(push)}; sync again.", steps
            )
            outcome.merges = merges
            return outcome
        steps.append(f"Pushed to {remote}.")
    return SyncOutcome(True, f"Synced {rel} with {remote}.", steps, merges)


def _reports(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    out: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


class GitOps(InitiativeService):
    """Mixed into `Service`: what the app needs around git replacing its file."""

    #: consecutive failed attempts to open the new file under the path, and why the last failed
    reopen_failures = 0
    reopen_problem: str | None = None

    def reopen_if_replaced(self) -> bool:
        """When the path names another file than the one open (git pulled, checked out or
        merged), open the new one in its place. A new file still being written (it fails the
        open checks) is left for the next call. True when the store was reopened."""
        store = self.store
        if not store.replaced():
            self.reopen_failures, self.reopen_problem = 0, None
            return False
        asked_read_only = store.read_only and store.refusal is None
        try:
            if not store.path.exists():
                raise BadFile(f"{store.path.name} is gone")
            fresh = Store.open(store.path, read_only=asked_read_only)
        except BridgeError as exc:
            # git may be writing it right now: the next call tries again; the caller tells
            # the user once it keeps failing (`reopen_failures`)
            self.reopen_failures += 1
            self.reopen_problem = exc.message
            return False
        self.reopen_failures, self.reopen_problem = 0, None
        fresh.clock = self.clock.now
        self.store = fresh
        fresh.check_stamps()
        store.close()
        return True

    def change_ids(self) -> set[str]:
        """Every change-log id: after a sync, what is new came in."""
        return gitfile.change_ids(self.store)

    def came_in(self, before: set[str]) -> list[HistoryEntry]:
        """The history entries the file holds now that it did not hold at `before`."""
        history: Callable[..., list[HistoryEntry]] = getattr(self, "history")  # noqa: B009 (a sibling mixin)
        return [e for e in history() if e.change_id not in before]

    def sync_with_git(self) -> tuple[SyncOutcome, list[HistoryEntry]]:
        """The whole sync on this thread (the CLI): git, then reopen and what came in."""
        before = self.change_ids()
        outcome = sync_files(self.path, self.author)
        self.reopen_if_replaced()
        return outcome, self.came_in(before)
