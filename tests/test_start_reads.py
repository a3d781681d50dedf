"""The app's first reads without the models (`service.start.Start`, issue 13): what the board's
first paint shows is what the service would have read, field by field; a file the service
refuses or refuses to write is refused the same way; a row only the models can judge is left
to them; and the service built afterwards is the same file, same checks, same clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge_tui import sustain
from bridge_tui.errors import BadFile, BadInput, ReadOnly
from bridge_tui.models import Initiative, initiative_of
from bridge_tui.records import InitiativeRecord
from bridge_tui.service import Service
from bridge_tui.service.start import Start
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY


def same(record: InitiativeRecord, model: Initiative) -> bool:
    return all(getattr(record, f) == getattr(model, f) for f in Initiative.model_fields)


def same_facts(records: sustain.Facts, models: sustain.Facts) -> bool:
    """The same facts, the one holding records where the other holds models."""
    kept = ("latest", "plan_starts", "extended_by")
    return (
        all(getattr(records, f) == getattr(models, f) for f in kept)
        and records.initiatives.keys() == models.initiatives.keys()
        and all(
            same(r, models.initiatives[k])  # type: ignore[arg-type]
            for k, r in records.initiatives.items()
        )
    )


@pytest.fixture
def start(sample_db: Path) -> Iterator[Start]:
    opened = Start.open(sample_db, "tester", FROZEN_TODAY)
    yield opened
    opened.close()


def _linked(service: Service) -> None:
    """An extension building on an Infrastructure initiative, with a reading: the sustain
    rules' facts then hold a link, a reading and a plan start."""
    target = next(i for i in service.initiatives() if i.stage == "infrastructure")
    service.create_initiative(name="Slotting extension", builds_on=target.id)


def test_the_whole_first_board_is_the_services_board(sample_db: Path) -> None:
    with _service(sample_db) as service:
        _linked(service)
        board = service.board()
        facts = service.sustain_facts(board)
    start = Start.open(sample_db, "tester", FROZEN_TODAY)
    try:
        first = start.board()
    finally:
        start.close()
    assert first is not None
    records, their_facts = first
    assert len(records.initiatives) == len(board.initiatives) > 10
    for record, model in zip(records.initiatives, board.initiatives, strict=True):
        assert isinstance(record, InitiativeRecord)
        assert same(record, model)
    assert records.answers == board.answers
    assert records.histories == board.histories
    assert records.complete and records.scores is None
    assert same_facts(their_facts, facts)
    today = FROZEN_TODAY
    for record, model in zip(records.initiatives, board.initiatives, strict=True):
        assert sustain.card_flags(record, records.answers_of(record.id), their_facts, today) == (
            sustain.card_flags(model, board.answers_of(model.id), facts, today)
        )


@pytest.mark.parametrize("per_stage", [1, 2, 5])
def test_a_first_part_is_the_services_first_part(sample_db: Path, per_stage: int) -> None:
    with _service(sample_db) as service:
        _linked(service)
        head = service.board_head(per_stage)
        facts = service.sustain_facts(head)
    start = Start.open(sample_db, "tester", FROZEN_TODAY)
    try:
        first = start.board_head(per_stage)
    finally:
        start.close()
    assert first is not None
    records, their_facts = first
    assert sorted(r.id for r in records.initiatives) == sorted(i.id for i in head.initiatives)
    by_id = {i.id: i for i in head.initiatives}
    assert all(same(r, by_id[r.id]) for r in records.initiatives)
    assert records.head == head.head and records.totals == head.totals
    assert records.answers == head.answers and records.histories == head.histories
    assert same_facts(their_facts, facts)


def test_what_the_app_reads_first_is_what_the_service_reads(sample_db: Path) -> None:
    with _service(sample_db) as service:
        expected = (
            service.initiative_count(),
            service.change_mark(),
            service.file_name,
            service.read_only,
            service.read_only_reason,
            {i.id: service.stage_timeline(i.id) for i in service.initiatives()},
        )
    start = Start.open(sample_db, "tester", FROZEN_TODAY)
    try:
        ids = expected[-1]
        got = (
            start.initiative_count(),
            start.change_mark(),
            start.file_name,
            start.read_only,
            start.read_only_reason,
            {ident: start.stage_timeline(ident) for ident in ids},
        )
        assert start.today() == FROZEN_TODAY
        assert start.session_txs == []
        assert start.stage_timeline("0" * 8) == []
    finally:
        start.close()
    assert got == expected
    assert any(len(stays) > 1 for stays in got[-1].values())


def test_the_service_it_builds_shares_the_file_and_the_clock(start: Start) -> None:
    version = start.data_version()
    service = start.service()
    assert service.store.conn is start.reader.conn
    assert service.clock is start.clock
    assert service.author == "tester"
    assert service.data_version() == version
    assert not service.read_only


def test_a_bad_file_or_author_is_refused_as_the_service_refuses_it(
    sample_db: Path, tmp_path: Path
) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some notes\n" * 50)
    with pytest.raises(BadFile) as by_service:
        Service.open(text, "tester", FROZEN_TODAY)
    with pytest.raises(BadFile) as by_start:
        Start.open(text, "tester", FROZEN_TODAY)
    assert by_start.value.message == by_service.value.message
    with pytest.raises(BadInput) as bad_author:
        Start.open(sample_db, "a\x1b[2Jb", FROZEN_TODAY)
    with pytest.raises(BadInput) as bad_author_too:
        Service.open(sample_db, "a\x1b[2Jb", FROZEN_TODAY)
    assert bad_author.value.message == bad_author_too.value.message


def test_a_forged_stamp_refuses_writes_from_the_start(sample_db: Path) -> None:
    """A change stamped far ahead of the clock: the board's banner says so from its first
    paint, and the service built afterwards refuses every write with the same reason."""
    conn = sqlite3.connect(sample_db)
    with conn:
        conn.execute(
            "UPDATE changes SET hlc = '2099-01-01T00:00:00.000Z-0000-ffffffff'"
            " WHERE change_id = (SELECT change_id FROM changes ORDER BY hlc DESC LIMIT 1)"
        )
    conn.close()
    with _service(sample_db) as service:
        reason = service.read_only_reason
    assert reason
    start = Start.open(sample_db, "tester", FROZEN_TODAY)
    try:
        assert start.read_only and start.read_only_reason == reason
        service = start.service()
        assert service.read_only and service.read_only_reason == reason
        with pytest.raises(ReadOnly) as refused:
            service.create_initiative(name="Refused")
        assert reason.rstrip(".") in refused.value.message
    finally:
        start.close()


def test_a_row_only_the_models_can_judge_is_left_to_them(sample_db: Path) -> None:
    """A name with spaces around it (the model strips them): the first read answers None and
    the board reads through the service, which takes the row as the model does."""
    conn = sqlite3.connect(sample_db)
    with conn:
        conn.execute(
            "UPDATE initiatives SET name = ' ' || name"
            " WHERE id = (SELECT id FROM initiatives ORDER BY id LIMIT 1)"
        )
    conn.close()
    start = Start.open(sample_db, "tester", FROZEN_TODAY)
    try:
        assert start.board() is None
        assert start.board_head(50) is None
        assert start.service().board().initiatives
    finally:
        start.close()


def test_a_plan_row_only_its_model_can_judge_is_left_to_it(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan start the plain read does not take (`PlainReads.plan_starts` answers None: a
    file too large for the full check on open may hold one): the service reads the board."""
    monkeypatch.setattr(start.reader, "plan_starts", lambda ids=None: None)
    assert start.board() is None
    assert start.board_head(2) is None


def test_a_record_becomes_the_model_it_was_read_from(sample_db: Path, start: Start) -> None:
    first = start.board()
    assert first is not None
    with _service(sample_db) as service:
        models = {i.id: i for i in service.initiatives()}
    for record in first[0].initiatives:
        model = initiative_of(record)
        assert isinstance(model, Initiative)
        assert model == models[record.id]
        assert initiative_of(model) is model
        assert record.short_id == model.short_id and record.forced == model.forced


class _service:
    """A `Service` over `path` for the length of a `with` block."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Service:
        self.store = Store.open(self.path)
        return Service(self.store, "tester", FROZEN_TODAY)

    def __exit__(self, *exc: object) -> None:
        self.store.close()
