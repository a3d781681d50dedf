"""Commands on initiatives: init, add, list, show, edit, answer, score, move, kill, revive."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import click

from bridge_tui import method
from bridge_tui.cli.common import Ctx, create_portfolio, echo, echo_json, parse_date, pass_ctx
from bridge_tui.cli.options import Option, forcing_options, json_option, options
from bridge_tui.cli.reads import print_score
from bridge_tui.cli.sustain import EDIT_OPTIONS as SUSTAIN_EDIT_OPTIONS
from bridge_tui.cli.sustain import EDIT_PARSERS as SUSTAIN_EDIT_PARSERS
from bridge_tui.cli.sustain import print_sustain
from bridge_tui.errors import BadInput
from bridge_tui.models import ANSWER_VALUES, Initiative
from bridge_tui.service import EDITABLE_FIELDS, Service
from bridge_tui.sustain_report import sustain_json
from bridge_tui.text import number_text, parse_money

STAGE_CHOICE = click.Choice(list(method.STAGE_IDS), case_sensitive=False)
#: the budgets `bridge edit` sets, each read as the edit form reads it (`text.parse_money`)
BUDGET_FIELDS = ("pilot_budget", "integration_budget", "maintenance_budget")


def initiative_json(i: Initiative) -> dict[str, Any]:
    return i.model_dump(mode="json")


def _wrap(ids: list[str], indent: int, width: int = 76) -> str:
    lines: list[str] = []
    line = ""
    for n, i in enumerate(ids):
        word = i + ("," if n < len(ids) - 1 else "")
        if line and len(line) + 1 + len(word) > width - indent:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


def _items_by_category() -> str:
    return ", ".join(
        f"{items[0].id}-{items[-1].id}"
        for items in (method.items_in(c.id) for c in method.CATEGORIES)
    )


_ANSWER_HELP = (
    "Answer a checklist item, test, signal or exit condition by its id.\n\n"
    "REF is the initiative's name (any case), its id, or an id prefix of 4+ characters.\n\n"
    "\b\nKEY is one of:\n"
    f"  readiness items   {_items_by_category()}\n"
    f"  tests             {_wrap([t.id for t in method.TESTS], 20)}\n"
    f"  real signals      {_wrap([x.id for x in method.REAL_SIGNALS], 20)}\n"
    f"  false signals     {_wrap([x.id for x in method.FALSE_SIGNALS], 20)}\n"
    f"  exit conditions   {_wrap([e.id for e in method.EXIT_CONDITIONS], 20)}\n"
)
_EDIT_HELP = (
    "Edit fields of an initiative (REF: its name, id, or an id prefix of 4+ characters).\n\n"
    f"Blocker ids: {', '.join(method.BLOCKER_IDS)}. To change the stage, use 'bridge move'."
)


def _line(label: str, text: object, *, when: object = True) -> None:
    """One line of `show`: its label in a column of ten; nothing when `when` is empty."""
    if when:
        echo(f"  {label:<10} {text}")


def register(cli: click.Group) -> None:
    for cmd in (init, add, show, edit, answer, move, kill, revive):
        cli.add_command(cmd)


@click.command()
@click.option("--sample", is_flag=True, help="Fill it with the sample logistics portfolio.")
@pass_ctx
def init(ctx: Ctx, sample: bool) -> None:
    """Create a new bridge file (never overwrites one)."""
    create_portfolio(ctx.path, sample=sample)
    echo(f"Created {ctx.path}" + (" with the sample portfolio." if sample else "."))


@click.command()
@click.argument("name")
@click.option(
    "--stage",
    type=STAGE_CHOICE,
    default="experiment",
    show_default=True,
    help="Past Experiment the gates apply, as for a move (refused, or --force --reason).",
)
@click.option("--owner", default="", help="The named owner.")
@click.option("--pilot-builder", default="", help="Who built the pilot.")
@click.option("--summary", default="", help="One or two sentences on what it does.")
@click.option("--team", default="", help="The team running it.")
@forcing_options("Add it past gates that are not met.")
@pass_ctx
def add(
    ctx: Ctx,
    name: str,
    stage: str,
    owner: str,
    pilot_builder: str,
    summary: str,
    team: str,
    force: bool,
    reason: str,
) -> None:
    """Add an initiative; prints its id.

    Adding straight into a later stage goes through every gate from Experiment, like a move:
    refused with the list of what is missing (exit 1), or forced with --force --reason.
    """
    svc = ctx.service()
    result = svc.add_initiative(
        name,
        stage=stage.lower(),
        force=force,
        reason=reason,
        owner=owner,
        pilot_builder=pilot_builder,
        summary=summary,
        team=team,
    )
    echo(result.initiative.id)
    if result.forced:
        label = method.STAGE_BY_ID[result.initiative.stage].label
        echo(f"Added straight into {label} (forced).", err=True)
    _report_effects(result, err=True)  # stdout holds only the id, for scripts
    warning = svc.focus_warning(result.initiative)
    if warning:
        echo(f"Warning: {warning}", err=True)


@click.command()
@click.argument("ref")
@json_option()
@pass_ctx
def show(ctx: Ctx, ref: str, as_json: bool) -> None:
    """Show one initiative: fields, answers and score.

    REF is the initiative's name (any case), its id, or the first 4+ characters of its id.
    """
    svc = ctx.service()
    i = svc.resolve(ref)
    answers = svc.answers(i.id)
    report = svc.score(i)
    card = svc.card(i)
    if as_json:
        echo_json(
            {
                **initiative_json(i),
                "forced": card.forced,
                "owner_issue": card.owner_issue.sentence() if card.owner_issue else None,
                "purgatory_days": card.purgatory_days,
                "answers": {
                    a.key: {
                        "value": a.value,
                        "note": a.note,
                        "by": a.by,
                        "at": a.model_dump(mode="json")["at"],
                    }
                    for a in answers
                },
                "score": report.as_json(),
                "sustain": sustain_json(svc.sustain_of(i)),
            }
        )
        return
    echo(f"{i.name}  ({i.id})")
    _line("stage", f"{method.STAGE_BY_ID[i.stage].label}, {card.days_in_stage} days")
    _line(
        "purgatory",
        f"{card.purgatory_days} days in Pilot and Validate together "
        f"(more than {method.PURGATORY_DAYS})",
        when=card.purgatory,
    )
    _line("owner", (i.owner or "no owner") + (" (operations)" if i.owner_is_operational else ""))
    if card.owner_issue is not None and i.owner:
        _line("", f"does not count as owned: {card.owner_issue.sentence()}")
    _line("built by", f"{i.pilot_builder} (the pilot)", when=i.pilot_builder)
    _line("team", i.team, when=i.team)
    _line("summary", i.summary, when=i.summary)
    _line(
        "budgets",
        f"pilot {number_text(i.pilot_budget)}, integration {number_text(i.integration_budget)},"
        f" maintenance {number_text(i.maintenance_budget)}",
    )
    _line("blockers", ", ".join(i.blockers), when=i.blockers)
    _line("killed", i.kill_reason, when=i.kill_reason)
    _line(
        "forced",
        f"{card.forced_reason} (the gates into this stage are not met)",
        when=card.forced,
    )
    print_sustain(svc.sustain_of(i))
    print_score(card, report)


def _parse_blockers(raw: str) -> tuple[str, ...]:
    items = tuple(b.strip() for b in raw.split(",") if b.strip())
    unknown = [b for b in items if b not in method.BLOCKER_BY_ID]
    if unknown:
        raise BadInput(f"unknown blocker '{unknown[0]}' (use: {', '.join(method.BLOCKER_IDS)}).")
    return items


def _last_review(svc: Service, raw: str) -> date:
    return parse_date(raw, "last review")


#: `bridge edit`'s options for each field a person may edit (the service's `EDITABLE_FIELDS`;
#: a test checks none is missing), in the order --help lists them. A field's option gives its
#: value under the field's name; `--add-blocker` and `--remove-blocker` change `blockers` too.
EDIT_OPTIONS: dict[str, tuple[Option, ...]] = {
    "name": (click.option("--name", help="New name (1 to 120 characters)."),),
    "summary": (click.option("--summary", help="One or two sentences on what it does."),),
    "owner": (click.option("--owner", help="The named owner ('' clears it)."),),
    "pilot_builder": (click.option("--pilot-builder", help="Who built the pilot ('' clears it)."),),
    "owner_is_operational": (
        click.option(
            "--operational/--not-operational",
            "owner_is_operational",
            default=None,
            help="Whether the owner sits on the operational side.",
        ),
    ),
    "team": (click.option("--team"),),
    **{
        field: (
            click.option(
                f"--{field.replace('_', '-')}",
                help="An amount as people write it: 40000, 40,000 or $1,250.50 ('' is 0).",
            ),
        )
        for field in BUDGET_FIELDS
    },
    "blockers": (
        click.option(
            "--blockers", help="Comma-separated blocker ids (replaces the list; '' clears)."
        ),
        click.option("--add-blocker", multiple=True, help="Add one blocker id."),
        click.option("--remove-blocker", multiple=True, help="Remove one blocker id."),
    ),
    "last_review_at": (
        click.option(
            "--last-review", "last_review_at", help="Date of the last review (YYYY-MM-DD)."
        ),
    ),
    **SUSTAIN_EDIT_OPTIONS,
}
#: how `bridge edit` reads an option's text, for the fields not taken as typed
EDIT_PARSERS: dict[str, Callable[[Service, str], Any]] = {
    "last_review_at": _last_review,
    # as the edit form reads them: what `bridge show` prints can be typed back
    **dict.fromkeys(BUDGET_FIELDS, lambda svc, raw: parse_money(raw)),
    **SUSTAIN_EDIT_PARSERS,
}


def _edited_blockers(before: tuple[str, ...], opts: dict[str, Any]) -> tuple[str, ...]:
    """`--blockers` replaces the list, then `--add-blocker` and `--remove-blocker` change it."""
    blockers = list(before)
    if opts["blockers"] is not None:
        blockers = list(_parse_blockers(opts["blockers"]))
    for b in _parse_blockers(",".join(opts["add_blocker"])):
        if b not in blockers:
            blockers.append(b)
    for b in _parse_blockers(",".join(opts["remove_blocker"])):
        if b in blockers:
            blockers.remove(b)
    return tuple(blockers)


@click.command(help=_EDIT_HELP)
@click.argument("ref")
@options(*(option for each in EDIT_OPTIONS.values() for option in each))
@pass_ctx
def edit(ctx: Ctx, ref: str, **opts: Any) -> None:
    # The help text (blocker ids) is built from the method in _EDIT_HELP.
    svc = ctx.service()
    i = svc.resolve(ref)
    fields: dict[str, Any] = {}
    for field in EDITABLE_FIELDS:
        if field == "blockers":
            blockers = _edited_blockers(i.blockers, opts)
            if blockers != i.blockers:
                fields[field] = blockers
        elif opts[field] is not None:
            parse = EDIT_PARSERS.get(field)
            fields[field] = parse(svc, opts[field]) if parse else opts[field]
    if not fields:
        raise BadInput("nothing to change: give at least one field option (see --help).")
    updated = svc.edit_initiative(i, **fields)
    echo(f"Saved {updated.name}.")


@click.command(help=_ANSWER_HELP)
@click.argument("ref")
@click.argument("key")
@click.argument("value", type=click.Choice(ANSWER_VALUES, case_sensitive=False))
@click.option("--note", default=None, help="Evidence for the answer.")
@pass_ctx
def answer(ctx: Ctx, ref: str, key: str, value: str, note: str | None) -> None:
    # The help text (KEY ids) is built from the method in _ANSWER_HELP.
    svc = ctx.service()
    i = svc.resolve(ref)
    if key not in method.ANSWER_KEY_SET:
        # d1 / D1, On_Call / on_call: ids are matched without regard to case.
        for candidate in (key.upper(), key.lower()):
            if candidate in method.ANSWER_KEY_SET:
                key = candidate
    svc.answer(i, key, value.lower(), note)
    total = svc.card(i).readiness.total  # readiness reads only the answers, just saved
    echo(f"{i.name}: {key} = {value.lower()} (readiness {method.score_text(total)})")


@click.command()
@click.argument("ref")
@click.argument("stage", type=STAGE_CHOICE, metavar="STAGE")
@forcing_options("Move even though the gate is not met.", "Why (needed to force or to move back).")
@pass_ctx
def move(ctx: Ctx, ref: str, stage: str, force: bool, reason: str) -> None:
    """Move an initiative to STAGE through the method's gates.

    STAGE is experiment, pilot, validate, productionize, infrastructure or killed. A refused
    move lists what is missing; --force with --reason moves anyway and is recorded as forced.
    Moving back needs --reason too.
    """
    svc = ctx.service()
    i = svc.resolve(ref)
    result = svc.move(i, stage.lower(), force=force, reason=reason)
    _report_move(result)


def _report_move(result: Any) -> None:
    label = method.STAGE_BY_ID[result.initiative.stage].label
    how = " (forced)" if result.forced else ""
    echo(f"Moved {result.initiative.name} to {label}{how}.")
    _report_effects(result)


def _report_effects(result: Any, *, err: bool = False) -> None:
    """What entering the stages on the way did: the plan, and the warnings."""
    if result.plan_created:
        echo(f"Created its {method.PLAN_NAME} from the template.", err=err)
    for w in result.warnings:
        echo(f"Warning: {w}", err=True)


@click.command()
@click.argument("ref")
@click.option("--reason", required=True, help="Why it is stopped.")
@pass_ctx
def kill(ctx: Ctx, ref: str, reason: str) -> None:
    """Kill an initiative (a reason is required)."""
    svc = ctx.service()
    result = svc.kill(svc.resolve(ref), reason)
    echo(f"Killed {result.initiative.name}.")


@click.command()
@click.argument("ref")
@click.option("--stage", type=STAGE_CHOICE, default=None, help="Stage to revive into.")
@forcing_options("Revive past an unmet gate.")
@pass_ctx
def revive(ctx: Ctx, ref: str, stage: str | None, force: bool, reason: str) -> None:
    """Bring a killed initiative back (into Experiment unless --stage)."""
    svc = ctx.service()
    result = svc.revive(
        svc.resolve(ref), stage.lower() if stage else None, force=force, reason=reason
    )
    _report_move(result)
