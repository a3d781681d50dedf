"""The one-shot reads people script most: `bridge score` (one initiative's readiness, tests,
scale verdict and next gate) and `bridge list`.

Both read through `service.quick`, which never loads the models (pydantic): a score answers in
about the time click takes to start. Only when a row is one the models must judge do they
open the full `Service`, whose read says what is wrong with the file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import click

from bridge_tui import method
from bridge_tui.cli.common import Ctx, echo, echo_json, pass_ctx
from bridge_tui.cli.options import json_option
from bridge_tui.records import as_json as as_json_of
from bridge_tui.sustain_rules import condition_words

if TYPE_CHECKING:
    from bridge_tui import scoring
    from bridge_tui.records import InitiativeFacts
    from bridge_tui.service.quick import InitiativeScore


STAGE_CHOICE = click.Choice(list(method.STAGE_IDS), case_sensitive=False)
#: what a list shows: records read plainly, or models when a row needed them
Shown = TypeVar("Shown", bound="InitiativeFacts")


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    cli.add_command(score)
    cli.add_command(list_)


@click.command("list")
@click.option("--stage", type=STAGE_CHOICE, default=None, help="Only this stage.")
@json_option()
@pass_ctx
def list_(ctx: Ctx, stage: str | None, as_json: bool) -> None:
    """List initiatives in stage order."""
    stage = stage.lower() if stage else None
    listed = ctx.quick().listing(stage)
    if listed is not None:
        _print_list(listed, as_json_of, stage, as_json=as_json)
    else:  # a row only its model can judge: the full read says what is wrong, or reads it
        models = ctx.service().listing(stage)
        _print_list(models, lambda i: i.model_dump(mode="json"), stage, as_json=as_json)


def _print_list(
    rows: Sequence[tuple[Shown, scoring.Card, tuple[str, ...]]],
    dump: Callable[[Shown], dict[str, object]],
    stage: str | None,
    *,
    as_json: bool,
) -> None:
    """`bridge list`'s lines, or its JSON (`dump` writes an initiative as JSON); `stage`:
    the one stage listed, if any."""
    if as_json:
        echo_json(
            [
                {
                    **dump(i),
                    "score": c.readiness.total,
                    "days_in_stage": c.days_in_stage,
                    "purgatory": c.purgatory,
                    "purgatory_days": c.purgatory_days,
                    "review_overdue": c.review_overdue,
                    "stage_three": c.stage_three,
                    "forced": c.forced,
                    "sustain_flags": list(flags),
                }
                for i, c, flags in rows
            ]
        )
        return
    if not rows:
        echo("No initiatives." if not stage else f"No initiatives in {stage}.")
        return
    for i, c, more in rows:
        flags = []
        if c.purgatory:
            flags.append("purgatory")
        if c.review_overdue:
            flags.append("review overdue")
        if c.forced:
            flags.append("forced")
        flags += more
        echo(
            f"{i.id[:8]}  {method.STAGE_BY_ID[i.stage].label:<14} "
            f"{method.score_text(c.readiness.total):>5}  {i.name}"
            + (f"  [{i.owner}]" if i.owner else "  [no owner]")
            + (f"  ({', '.join(flags)})" if flags else "")
        )


@click.command()
@click.argument("ref")
@json_option()
@pass_ctx
def score(ctx: Ctx, ref: str, as_json: bool) -> None:
    """The readiness score, tests, scale verdict and next gate."""
    scored = ctx.quick().score(ref)
    if scored is not None:
        name, stage, card, result = (
            scored.initiative.name,
            scored.initiative.stage,
            scored.card,
            scored.score,
        )
    else:  # a row only its model can judge: the full read says what is wrong, or reads it
        svc = ctx.service()
        i = svc.resolve(ref)
        name, stage, card, result = i.name, i.stage, svc.card(i), svc.score(i)
    if as_json:
        echo_json(result.as_json())
        return
    echo(f"{name} ({method.STAGE_BY_ID[stage].label})")
    print_score(card, result)


def print_score(card: scoring.Card, score: InitiativeScore) -> None:
    """What `bridge score` and `bridge show` print of a score, after the name."""
    report = score.report
    r = report.readiness
    verdict = "passing" if r.passing else "not passing"
    echo(
        f"  readiness  {r.total}/{r.max} ({verdict}, pass line {r.threshold}; "
        f"{r.unanswered} unanswered)"
    )
    met = {c.id: c for c in r.categories}
    for cat in method.CATEGORIES:
        c = met[cat.id]
        mark = "  <- weak" if cat.id in r.weakest else ""
        echo(f"    {cat.label:<26} {c.met}/{c.max}{mark}")
    marks = {True: "pass", False: "fail", None: "?"}
    echo("  tests      " + ", ".join(f"{t} {marks[v]}" for t, v in report.tests.items()))
    echo(f"  scale      {card.scale.sentence()}")
    ng = card.next_gate
    if ng is None:
        echo("  next gate  none" + (" (real infrastructure)" if report.stage_three else ""))
    elif ng.allowed:
        echo(f"  next gate  {ng.target}: all requirements met")
    else:
        echo(f"  next gate  {ng.target} needs:")
        for line in ng.lines():
            echo(f"    - {line}")
    print_optimize(score.optimize)


def print_optimize(report: object) -> None:
    """The Optimize phase, for an Infrastructure initiative."""
    if not isinstance(report, dict):
        return
    if report["optimising"]:
        echo("  optimise   optimising: an evaluation process, and an improvement shipped")
        return
    needs = ", ".join(condition_words(k) for k in report["missing"])
    echo(f"  optimise   not yet optimising: needs {needs}")
