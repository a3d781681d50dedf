"""Sustain and extend through the service (issue 11): links and their refusals, the focus
warning on every way into Productionize, the sustain views, the report, the change log,
export/import and merge of the four new fields."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bridge_tui import method
from bridge_tui.clock import Clock
from bridge_tui.errors import BadInput, Refused, StaleRevision
from bridge_tui.models import Initiative
from bridge_tui.report_render import CSV_COLUMNS
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY

#: everything every gate asks for, and no false signal
GATES_MET = [k for k in method.ANSWER_KEYS if k not in {s.id for s in method.FALSE_SIGNALS}]


def on_day(path: Path, day: date, author: str = "tester", minute: int = 0) -> Service:
    """A service whose clock stands on `day` (its own minute, so two copies' stamps differ)."""
    moment = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9, minutes=minute)
    ticks = iter(range(10**6))
    return Service(
        Store.open(path),
        author,
        Clock(lambda: day, lambda: moment + timedelta(seconds=next(ticks))),
    )


def ready(svc: Service, name: str, **fields: object) -> Initiative:
    """A new initiative with every gate's requirement met (owner named), still in Experiment."""
    i = svc.create_initiative(name, owner=f"{name} owner", owner_is_operational=True, **fields)
    for key in GATES_MET:
        svc.answer(i, key, "yes")
    return svc.initiative(i.id)


@pytest.fixture
def empty(empty_db: Path) -> Iterator[Service]:
    svc = on_day(empty_db, FROZEN_TODAY)
    yield svc
    svc.close()


# links -----------------------------------------------------------------------------------------


def test_link_records_builds_on_in_one_logged_change(service: Service) -> None:
    email = service.resolve("Email triage")
    invoice = service.resolve("Invoice processing")
    linked = service.link(invoice, email)
    assert linked.builds_on == email.id
    assert service.initiative(invoice.id).builds_on == email.id
    [entry] = [e for e in service.history(invoice) if e.field == "builds_on"]
    assert (entry.old, entry.new, entry.author) == ("(nothing)", "Email triage", "tester")
    assert [x.id for x in service.extensions(email)] == [invoice.id]
    s = service.sustain_of(email)
    assert [x.name for x in s.extended_by] == ["Invoice processing"]
    assert service.sustain_of(linked).builds_on is not None
    # the same link again changes nothing and logs nothing
    before = len(service.history(invoice))
    assert service.link(linked, email).revision == linked.revision
    assert len(service.history(invoice)) == before
    cleared = service.link(linked, None)
    assert cleared.builds_on is None
    assert service.extensions(email) == []


@pytest.mark.parametrize(
    ("source", "target", "sentence"),
    [
        ("Email triage", "Email triage", "Email triage cannot build on itself."),
        (
            "Invoice processing",
            "Driver safety coaching",
            "Driver safety coaching is killed: new use cases build on live infrastructure only.",
        ),
        (
            "Invoice processing",
            "Dispatch routing",
            "Dispatch routing is in Productionize, not Infrastructure: only infrastructure is "
            "extended.",
        ),
    ],
)
def test_link_refusals_are_one_sentence_and_write_nothing(
    service: Service, source: str, target: str, sentence: str
) -> None:
    s = service.resolve(source)
    before = service.history(None)
    with pytest.raises(Refused) as info:
        service.link(s, service.resolve(target))
    assert info.value.message == sentence
    assert info.value.exit_code == 1
    assert service.history(None) == before


def test_a_circle_of_links_is_refused(service: Service) -> None:
    contract = service.resolve("Contract review")
    email = service.resolve("Email triage")
    service.link(contract, email)
    with pytest.raises(Refused, match="Contract review already builds on Email triage"):
        service.link(service.resolve("Email triage"), contract)


def test_link_checks_the_revision_the_user_saw(service: Service) -> None:
    invoice = service.resolve("Invoice processing")
    service.edit_initiative(invoice, team="Accounts payable")
    with pytest.raises(StaleRevision):
        service.link(invoice, service.resolve("Email triage"))


def test_edit_and_create_check_builds_on_too(service: Service) -> None:
    pilot = service.resolve("Demand forecasting")
    with pytest.raises(Refused, match="only infrastructure is extended"):
        service.edit_initiative(service.resolve("Invoice processing"), builds_on=pilot.id)
    with pytest.raises(Refused, match="only infrastructure is extended"):
        service.create_initiative("Returns desk", builds_on=pilot.id)
    with pytest.raises(BadInput, match="no initiative with id"):
        service.create_initiative("Returns desk", builds_on="6f1c7f0e-0000-4000-8000-000000000000")
    email = service.resolve("Email triage")
    made = service.create_initiative("Returns desk", builds_on=email.id)
    assert made.builds_on == email.id
    with pytest.raises(BadInput, match="no initiative with id not-an-id"):
        service.edit_initiative(made, builds_on="not-an-id")


# one use case at a time ------------------------------------------------------------------------


def test_a_second_initiative_into_productionize_warns_and_moves(service: Service) -> None:
    # the sample has Dispatch routing in Productionize already
    invoice = service.resolve("Invoice processing")
    for key in GATES_MET:
        service.answer(invoice, key, "yes")
    invoice = service.initiative(invoice.id)
    assert service.focus_warning(invoice, "productionize") == (
        "One use case at a time: Dispatch routing is already in Productionize; take one all the "
        "way through before starting Invoice processing."
    )
    assert service.focus_warning(invoice, "infrastructure") is None
    result = service.move(invoice, "productionize")
    assert result.initiative.stage == "productionize"  # a warning, not a block
    assert any(w.startswith("One use case at a time") for w in result.warnings)
    assert len([w for w in result.warnings if w.startswith("One use case")]) == 1
    ov = service.sustain_overview()
    assert ov.crowded and len(ov.productionize) == 2


def test_the_first_initiative_in_productionize_gets_no_focus_warning(empty: Service) -> None:
    first = ready(empty, "Dispatch routing")
    result = empty.move(first, "productionize")
    assert not any("One use case" in w for w in result.warnings)
    second = ready(empty, "Invoice processing")
    assert any("One use case" in w for w in empty.move(second, "productionize").warnings)
    # moving on to Infrastructure, or back, warns about nothing
    back = empty.move(empty.initiative(second.id), "validate", reason="not yet")
    assert not any("One use case" in w for w in back.warnings)


def test_revive_and_review_promotion_into_productionize_warn_too(empty: Service) -> None:
    ready(empty, "Dispatch routing")
    empty.move(empty.resolve("Dispatch routing"), "productionize")
    killed = ready(empty, "Invoice processing")
    killed = empty.kill(killed, "parked").initiative
    revived = empty.revive(killed, "productionize")
    assert any("One use case" in w for w in revived.warnings)
    third = ready(empty, "Route optimisation")
    third = empty.move(third, "validate").initiative
    session = empty.start_review([third.id])
    decided = empty.record_decision(session, third, "promote", "ready")
    assert decided.move is not None
    assert any("One use case" in w for w in decided.move.warnings)
    assert "Dispatch routing and Invoice processing are already" in " ".join(decided.move.warnings)


# sustain views ---------------------------------------------------------------------------------


def test_the_sample_shows_two_infrastructures_not_yet_optimising(service: Service) -> None:
    ov = service.sustain_overview()
    names = {service.initiative(i).name for i in ov.ids_where("not_optimising")}
    assert names == {"Contract review", "Email triage"}
    assert ov.ids_where("metrics_stale") == ()  # the sample's monitoring read yesterday
    assert not ov.crowded
    contract = service.sustain_of(service.resolve("Contract review"))
    assert contract.optimise_missing == ("improvement_shipped",)
    assert service.score(service.resolve("Contract review")).as_json()["optimize"] == {
        "optimising": False,
        "missing": ["improvement_shipped"],
    }
    assert service.score(service.resolve("Dispatch routing")).optimize is None


def test_stale_metrics_follow_the_clock(empty_db: Path) -> None:
    svc = on_day(empty_db, date(2026, 10, 24))
    i = svc.create_initiative("Dispatch routing")
    svc.add_metric(i, "Throughput", 120)
    svc.close()
    for day, stale in ((date(2026, 11, 22), False), (date(2026, 11, 23), True)):
        later = on_day(empty_db, day)
        s = later.sustain_of(later.initiative(i.id))
        assert s.metrics_stale is stale, day
        assert later.sustain_overview().ids_where("metrics_stale") == ((i.id,) if stale else ())
        later.close()


def test_volume_is_counted_from_the_plan_start(empty_db: Path) -> None:
    svc = on_day(empty_db, date(2025, 11, 22))
    i = ready(svc, "Contract review", designed_volume=1000, volume_metric="Contracts")
    svc.move(i, "infrastructure")  # passes Productionize: its plan starts today
    svc.add_metric(svc.initiative(i.id), "Contracts", 699)
    svc.close()
    for day, flagged in (
        (date(2026, 11, 21), False),
        (date(2026, 11, 22), False),
        (date(2026, 11, 23), True),
    ):
        later = on_day(empty_db, day)
        s = later.sustain_of(later.initiative(i.id))
        assert s.entered_productionize == date(2025, 11, 22)
        assert s.volume is not None and s.volume.percent == pytest.approx(69.9)
        assert s.volume_flagged is flagged, day
        later.close()


# the report ------------------------------------------------------------------------------------


def test_the_report_carries_the_sustain_keys(service: Service) -> None:
    service.link(service.resolve("Invoice processing"), service.resolve("Email triage"))
    service.edit_initiative(
        service.resolve("Contract review"), maintenance_committed_until=date(2027, 3, 31)
    )
    data = json.loads(service.report("json"))
    s = data["summary"]
    names = {i["id"]: i["name"] for i in data["initiatives"]}
    assert {names[i] for i in s["not_optimising"]} == {"Contract review", "Email triage"}
    assert [names[i] for i in s["maintenance_commitment"]] == ["Contract review"]
    assert s["metrics_stale"] == [] and s["volume_under"] == []
    assert [names[i] for i in s["productionize_now"]] == ["Dispatch routing"]
    assert s["focus_warning"] is False
    email = next(e for e in s["extensions"] if e["name"] == "Email triage")
    assert [names[i] for i in email["extended_by"]] == ["Invoice processing"]
    contract = next(i for i in data["initiatives"] if i["name"] == "Contract review")
    assert contract["flags"]["not_optimising"] is True
    assert contract["flags"]["maintenance_commitment"] is True
    assert contract["sustain"]["commitment"] == "short"
    assert contract["sustain"]["maintenance_committed_until"] == "2027-03-31"
    invoice = next(i for i in data["initiatives"] if i["name"] == "Invoice processing")
    assert invoice["sustain"]["builds_on"]["name"] == "Email triage"
    md = service.report("md")
    assert "## Sustain and extend" in md
    assert "- **Email triage**: Invoice processing (Validate)" in md
    assert "- **Builds on:** Email triage" in md
    assert "maintenance committed only until 2027-03-31 (under 12 months)" in md
    rows = list(csv.DictReader(io.StringIO(service.report("csv"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    by_name = {r["name"]: r for r in rows}
    assert by_name["Contract review"]["commitment"] == "short"
    assert by_name["Contract review"]["not_optimising"] == "yes"
    assert by_name["Invoice processing"]["builds_on"] == invoice["sustain"]["builds_on"]["id"]


def test_the_report_warns_when_two_are_in_productionize(empty: Service) -> None:
    for name in ("Dispatch routing", "Invoice processing"):
        empty.move(ready(empty, name), "productionize")
    md = empty.report("md")
    assert (
        "**Warning:** 2 initiatives are in Productionize at once (Dispatch routing and Invoice "
        "processing): take one use case all the way through before touching the next." in md
    )
    assert json.loads(empty.report("json"))["summary"]["focus_warning"] is True


# export, import and merge ----------------------------------------------------------------------


def test_export_and_import_keep_the_new_fields(service: Service, tmp_path: Path) -> None:
    email = service.resolve("Email triage")
    service.edit_initiative(
        email,
        maintenance_committed_until=date(2028, 1, 31),
        designed_volume=5000,
        volume_metric="E-mails per week",
    )
    service.link(service.resolve("Invoice processing"), service.initiative(email.id))
    export = tmp_path / "out.json"
    export.write_text(service.export_json(), encoding="utf-8")
    target = tmp_path / "copy.db"
    service.import_all(export, target)
    copy = Service(Store.open(target), "tester", FROZEN_TODAY)
    try:
        e = copy.initiative(email.id)
        assert e.maintenance_committed_until == date(2028, 1, 31)
        assert e.designed_volume == 5000 and e.volume_metric == "E-mails per week"
        assert copy.resolve("Invoice processing").builds_on == email.id
        assert copy.export_json() == service.export_json()
    finally:
        copy.close()


def test_merge_brings_each_new_field_and_reports_a_conflict(tmp_path: Path) -> None:
    ours_path = tmp_path / "ours.db"
    Store.create(ours_path).close()
    ours = on_day(ours_path, FROZEN_TODAY, "alice")
    infra = ours.move(ready(ours, "Email triage"), "infrastructure").initiative
    other = ours.create_initiative("Returns desk")
    theirs_path = tmp_path / "theirs.db"
    ours.share(theirs_path)
    theirs = on_day(theirs_path, FROZEN_TODAY, "bob", minute=5)
    try:
        theirs.link(theirs.initiative(other.id), theirs.initiative(infra.id))
        theirs.edit_initiative(
            theirs.initiative(infra.id), designed_volume=900, volume_metric="Mails"
        )
        theirs.edit_initiative(
            theirs.initiative(infra.id), maintenance_committed_until=date(2028, 6, 30)
        )
        ours.edit_initiative(
            ours.initiative(infra.id), maintenance_committed_until=date(2027, 6, 30)
        )
        report = ours.merge(theirs_path)
        merged = ours.initiative(infra.id)
        assert ours.initiative(other.id).builds_on == infra.id
        assert merged.designed_volume == 900 and merged.volume_metric == "Mails"
        # both changed the commitment: the newer (bob's, 09:05) wins and it is reported
        assert merged.maintenance_committed_until == date(2028, 6, 30)
        [conflict] = report.conflicts
        assert (conflict.what, conflict.ours, conflict.theirs) == (
            "Maintenance committed until",
            "2027-06-30",
            "2028-06-30",
        )
    finally:
        ours.close()
        theirs.close()
