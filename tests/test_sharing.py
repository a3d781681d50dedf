"""History in words, and undo as a new change that respects teammates' later edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge_tui.errors import ReadOnly, Refused
from bridge_tui.models import Answer, Plan, answer_id
from bridge_tui.service import Service
from bridge_tui.store import Store, fs
from tests.conftest import FROZEN_TODAY


def test_history_is_newest_first_in_words_and_filters(service: Service) -> None:
    i = service.ordered()[0]
    service.edit_initiative(i, owner="Dana Ortiz")
    service.answer(service.initiative(i.id), "D1", "no")
    entries = service.history(i)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    first = entries[1]  # the edit; the answer came after it
    assert (first.author, first.what, first.new) == ("tester", "Owner", "Dana Ortiz")
    assert first.description == f"Changed owner of {i.name} from {first.old} to Dana Ortiz."
    assert entries[0].what.startswith("D1 ") and entries[0].new == "no"
    assert {e.initiative for e in entries} == {i.name}
    created = [e for e in entries if e.description.startswith("Created ")]
    assert len(created) == 1  # a new row is one entry, not one per field
    everyone = service.history()
    assert len(everyone) > len(entries)
    mine = service.history(author="TESTER")
    assert {e.author for e in mine} == {"tester"} and len(mine) == 2
    assert service.history(author="nobody") == []
    # bookkeeping that follows a move is not listed on its own
    assert not [e for e in everyone if e.field in ("stage_entered_at", "updated_at")]


def test_history_limit_counts_only_the_entries_shown(service: Service) -> None:
    # moves log bookkeeping (stage_entered_at, updated_at) that history leaves out: the limit
    # must count the entries listed, not the log rows read
    i = next(x for x in service.ordered() if x.stage == "experiment")
    service.move(i, "killed", reason="No data")
    everyone = service.history()
    assert service.history(limit=3) == everyone[:3]
    assert service.history(i, limit=2) == service.history(i)[:2]


def test_history_describes_moves(service: Service) -> None:
    i = next(x for x in service.ordered() if x.stage == "experiment")
    service.move(i, "killed", reason="No data")
    [move] = [e for e in service.history(i) if e.field == "stage"][:1]
    assert move.description == f"Moved {i.name} from Experiment to Killed."


def test_undo_reverts_the_last_own_change_as_a_new_change(service: Service) -> None:
    i = service.ordered()[0]
    old_owner = i.owner
    service.edit_initiative(i, owner="Dana Ortiz")
    before = len(service.store.changes(expand=False))
    message = service.undo_last()
    assert message.startswith("Undid: Changed owner of ") and message.endswith(".")
    assert service.initiative(i.id).owner == old_owner
    log = service.store.changes(expand=False)
    assert len(log) == before + 1  # the undo is a change of its own; history stays true
    assert (log[0].field, log[0].old, log[0].new) == ("owner", "Dana Ortiz", old_owner)
    with pytest.raises(Refused, match="Nothing to undo"):
        service.undo_last()


def test_undo_goes_back_step_by_step(service: Service) -> None:
    i = service.ordered()[0]
    service.edit_initiative(i, team="One")
    service.edit_initiative(service.initiative(i.id), team="Two")
    service.undo_last()
    assert service.initiative(i.id).team == "One"
    service.undo_last()
    assert service.initiative(i.id).team == i.team


def test_undo_of_a_new_row_deletes_it(service: Service) -> None:
    created = service.create_initiative(
        "Undo me", stage="productionize", force=True, reason="undo test"
    )
    assert service.store.get(Plan, created.id) is not None
    service.undo_last()
    assert service.store.get(type(created), created.id) is None
    assert service.store.get(Plan, created.id) is None  # its plan went with it
    assert created.name not in {i.name for i in service.initiatives()}


def test_undo_is_refused_when_someone_changed_the_field_since(
    service: Service, sample_db: Path
) -> None:
    i = service.ordered()[0]
    service.edit_initiative(i, owner="Dana Ortiz")
    other = Service(Store.open(sample_db), "bob", FROZEN_TODAY)
    other.edit_initiative(other.initiative(i.id), owner="Bob's choice")
    with pytest.raises(Refused) as err:
        service.undo_last()
    message = err.value.message
    assert message.startswith("Not undone: bob changed owner of ") and " at " in message
    assert message.endswith(".") and "\n" not in message
    assert service.initiative(i.id).owner == "Bob's choice"  # nothing was written
    # a change by someone else to another field does not block the undo
    service.edit_initiative(service.initiative(i.id), team="Mine")
    other.edit_initiative(other.initiative(i.id), summary="Bob's summary")
    service.session_txs[:] = service.session_txs[-1:]
    service.undo_last()
    assert service.initiative(i.id).team == i.team
    assert service.initiative(i.id).summary == "Bob's summary"
    other.store.close()


def test_undo_of_an_answer_restores_the_previous_value(service: Service) -> None:
    i = service.ordered()[0]
    aid = answer_id(i.id, "D1")
    before = service.store.get(Answer, aid)
    service.answer(i, "D1", "no" if before is None or before.value != "no" else "yes")
    service.undo_last()
    after = service.store.get(Answer, aid)
    if before is None:
        assert after is None
    else:
        assert after is not None and after.value == before.value


def test_undo_in_a_read_only_file(sample_db: Path) -> None:
    svc = Service(Store.open(sample_db, read_only=True), "tester", FROZEN_TODAY)
    with pytest.raises(ReadOnly):
        svc.undo_last()
    svc.store.close()


MOUNTINFO = r"""22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
40 27 0:50 / /mnt/team rw,relatime - nfs4 server:/export rw,vers=4.2
41 27 0:51 / /mnt/team/local rw - ext4 /dev/vdb rw
42 27 0:52 / /home/me/My\040Drive rw - fuse.rclone gdrive: rw
43 27 0:53 / /media/usb rw - fuseblk /dev/sdb1 rw
44 27 0:54 / /srv/share rw - cifs //nas/share rw
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/team/portfolio.db", "nfs4"),
        ("/mnt/team/local/portfolio.db", None),
        ("/mnt/teamwork/portfolio.db", None),
        ("/home/me/My Drive/bridge.db", "fuse.rclone"),
        ("/media/usb/bridge.db", None),
        ("/srv/share/bridge.db", "cifs"),
        ("/home/me/bridge.db", None),
    ],
)
def test_network_drives_are_recognised_from_mountinfo(path: str, expected: str | None) -> None:
    fstype = fs.mount_type(path, MOUNTINFO)
    assert (fstype if fstype and fs.is_network_type(fstype) else None) == expected


def test_a_local_file_is_not_a_network_drive(service: Service) -> None:
    assert service.network_drive() is None
