"""`bridge score`: one initiative's readiness, tests, scale verdict and next gate.

The most run command reads through `service.quick`, which never loads the models (pydantic):
it answers in about the time click takes to start. Only when a row is one the models must
judge does it open the full `Service`, whose read says what is wrong with the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from bridge_tui import method
from bridge_tui.cli.common import Ctx, echo, echo_json, pass_ctx
from bridge_tui.cli.options import json_option
from bridge_tui.sustain_rules import condition_words

if TYPE_CHECKING:
    from bridge_tui import scoring
    from bridge_tui.service.quick import InitiativeScore


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    cli.add_command(score)


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
