"""What the app reads before its board is on screen, without the models.

Importing pydantic, the models and the whole service takes about 200 ms: as long as the rest of
a small board's first paint together. `Start` opens the file with every check `Service.open`
makes, refuses a bad author or a forged stamp as the service does, and reads what the board's
first paint shows as plain records (`store.plain`): the initiatives, their answers, the stage
histories and the sustain rules' facts. The app builds its `Service` over the same open file
once the first paint is on screen (`Start.service`), and every later read and every write goes
through that service. A row the plain read does not take exactly as its model would is left to
the service (`board` answers None), whose read says what is wrong with the file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bridge_tui import sustain
from bridge_tui.clock import Clock
from bridge_tui.records import InitiativeRecord
from bridge_tui.service import board as board_reads
from bridge_tui.service.board import Board
from bridge_tui.store import fs as fsmod
from bridge_tui.store.plain import PlainReader
from bridge_tui.text import checked_author

if TYPE_CHECKING:
    from collections.abc import Callable

    from bridge_tui import flow
    from bridge_tui.service.composed import Service

#: a board read without the models, with the sustain rules' facts read alongside
FirstBoard = tuple[Board[InitiativeRecord], sustain.Facts]


class AppReads(Protocol):
    """What the app and its board read before the first paint: `Start` and `Service` both
    answer them, alike."""

    @property
    def session_txs(self) -> list[str]: ...
    @property
    def read_only(self) -> bool: ...
    @property
    def read_only_reason(self) -> str | None: ...
    @property
    def file_name(self) -> str: ...
    @property
    def path(self) -> Path: ...
    @property
    def author(self) -> str: ...
    def today(self) -> date: ...
    def data_version(self) -> int: ...
    def initiative_count(self) -> int: ...
    def change_mark(self) -> str | None: ...
    def network_drive(self) -> str | None: ...
    def stage_timeline(self, initiative_id: str) -> list[flow.Stay]: ...


class Start:
    """An open bridge file before its `Service` is built: the board's first reads."""

    def __init__(self, reader: PlainReader, author: str, clock: Clock) -> None:
        self.reader = reader
        # refused as `Service` refuses them: a bad name, a stamp far ahead of the clock
        self.author = checked_author(author)
        self.clock = clock
        reader.check_stamps(clock.now())
        #: nothing is written before the service exists (`BridgeScreen.data_key` reads it)
        self.session_txs: list[str] = []
        self._built: Service | None = None

    @classmethod
    def open(
        cls,
        path: Path | str,
        author: str,
        today: Clock | date | Callable[[], date] | None = None,
        *,
        read_only: bool = False,
    ) -> Start:
        """The file at `path`, checked as it opens (`Service.open`'s checks, its errors)."""
        reader = PlainReader.open(Path(path), read_only=read_only)
        try:
            return cls(reader, author, Clock.coerce(today))
        except BaseException:
            reader.close()
            raise

    def service(self) -> Service:
        """The full service over this same open file (its connection, its checks' findings,
        its clock). Imports the models and every use case: once the board is on screen."""
        from bridge_tui.service.composed import Service
        from bridge_tui.store.repo import Store

        store = Store(self.reader.opened)
        if self.reader.refusal is not None and store.refusal is None:
            store.refuse_writes(self.reader.refusal)  # as `Service` itself would find it
        self._built = Service(store, self.author, self.clock)
        return self._built

    def close(self) -> None:
        """Close the file: the service's connection if it was built (git may have put a new
        file under the path, which it reopened), else the one it shares with this."""
        if self._built is not None:
            self._built.close()
        self.reader.close()

    # what the app shows before its service exists ------------------------------------------

    def today(self) -> date:
        return self.clock.today()

    @property
    def read_only(self) -> bool:
        return self.reader.opened.read_only or self.reader.refusal is not None

    @property
    def read_only_reason(self) -> str | None:
        return self.reader.refusal

    @property
    def file_name(self) -> str:
        return self.reader.path.name

    @property
    def path(self) -> Path:
        return self.reader.path

    def data_version(self) -> int:
        return self.reader.data_version()

    def initiative_count(self) -> int:
        return self.reader.initiative_count()

    def change_mark(self) -> str | None:
        return self.reader.newest_stamp()

    def network_drive(self) -> str | None:
        return fsmod.network_fs(self.reader.path)

    def stage_timeline(self, initiative_id: str) -> list[flow.Stay]:
        """`Service.stage_timeline`: one initiative's stays, oldest first."""
        return board_reads.stage_timeline(self.reader, initiative_id, self.today())

    # the board's first read ----------------------------------------------------------------

    def board(self) -> FirstBoard | None:
        """`Service.board()` and its `sustain_facts`, as records: every live initiative, its
        answers, the stage histories pilot purgatory counts over. None when a row is one only
        the models can judge."""
        store = self.reader
        with store.reading():
            records = store.initiative_records("deleted = 0", (), "created_at, id")
            if records is None:
                return None
            board = Board(records, store.answer_values(), board_reads.histories(store))
            facts = board_reads.sustain_facts(store, records)
        return None if facts is None else (board, facts)

    def board_head(self, per_stage: int) -> FirstBoard | None:
        """`Service.board_head(per_stage)` and its `sustain_facts`, as records (`board.head`).
        None when a row is one only the models can judge."""
        store = self.reader

        def read(ids: tuple[str, ...]) -> list[InitiativeRecord] | None:
            records: list[InitiativeRecord] = []
            for n in range(0, len(ids), 500):  # as `Reads.get_many` asks, in rowid order
                part = ids[n : n + 500]
                marks = ", ".join("?" for _ in part)
                found = store.initiative_records(f"id IN ({marks}) AND deleted = 0", part, "rowid")
                if found is None:
                    return None
                records.extend(found)
            return records

        with store.reading():
            board = board_reads.head(store, per_stage, read)
            if board is None:
                return None
            facts = board_reads.sustain_facts(
                store, board.initiatives, tuple(i.id for i in board.initiatives)
            )
        return None if facts is None else (board, facts)


__all__ = ["AppReads", "FirstBoard", "Start"]
