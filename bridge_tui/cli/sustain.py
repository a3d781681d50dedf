"""Sustain and extend on the command line: `bridge link`, and what `show`, `score` and `edit`
say and take for the rules after the bridge."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import click

from bridge_tui import method, sustain
from bridge_tui.cli.common import Ctx, echo, echo_json, parse_date, pass_ctx
from bridge_tui.cli.options import Option, json_option
from bridge_tui.errors import BadInput
from bridge_tui.models import Initiative
from bridge_tui.service import Service
from bridge_tui.sustain_report import sustain_json
from bridge_tui.text import parse_amount


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    cli.add_command(link)


def _committed_until(svc: Service, raw: str) -> date | None:
    raw = raw.strip()
    return parse_date(raw, "--committed-until") if raw else None


def _designed_volume(svc: Service, raw: str) -> float | None:
    """As the initiative form reads it (`text.parse_amount`); empty: not recorded."""
    value = parse_amount(raw)
    if isinstance(value, str):
        raise BadInput(f"designed volume must be a number, not '{value}'.")
    if value is not None and (not math.isfinite(value) or value <= 0):
        raise BadInput(f"designed volume must be a number above 0, not '{raw.strip()}'.")
    return value


def _builds_on(svc: Service, raw: str) -> str | None:
    raw = raw.strip()
    return svc.resolve(raw).id if raw else None


#: `bridge edit`'s options for the sustain fields, by field ('' clears each).
EDIT_OPTIONS: dict[str, tuple[Option, ...]] = {
    "maintenance_committed_until": (
        click.option(
            "--committed-until",
            "maintenance_committed_until",
            help="Last day the maintenance budget is committed (YYYY-MM-DD; '' clears).",
        ),
    ),
    "designed_volume": (
        click.option(
            "--designed-volume",
            help="The volume it was designed for, in its volume metric ('' clears).",
        ),
    ),
    "volume_metric": (
        click.option(
            "--volume-metric",
            help="The metric carrying its volume readings "
            f"('' means '{method.DEFAULT_VOLUME_METRIC}').",
        ),
    ),
    "builds_on": (
        click.option(
            "--builds-on",
            help="The Infrastructure initiative it extends (REF; '' clears), as `link`.",
        ),
    ),
}
#: how `bridge edit` reads those options' text (the volume metric is taken as typed)
EDIT_PARSERS: dict[str, Callable[[Service, str], Any]] = {
    "maintenance_committed_until": _committed_until,
    "designed_volume": _designed_volume,
    "builds_on": _builds_on,
}


def print_sustain(s: sustain.Sustain) -> None:
    """`bridge show`: the commitment, the volume, the links and every sustain flag."""
    if s.commitment.until is not None:
        echo(f"  maintained {s.commitment.sentence()}")
    volume = s.volume_text()
    if volume:
        echo(f"  volume     {volume}")
    if s.builds_on is not None:
        echo(f"  builds on  {s.builds_on.label()}")
    if s.extended_by:
        names = ", ".join(x.with_stage() for x in s.extended_by)
        echo(f"  extended   {names}")
    elif s.extendable:
        echo("  extended   by nothing yet: which adjacent workflows could extend it?")
    if s.metrics_stale:
        echo(f"  flag       {s.stale_sentence()}")


def _link_json(svc: Service, i: Initiative) -> dict[str, Any]:
    s = svc.sustain_of(i)
    data = sustain_json(s)
    return {
        "id": i.id,
        "name": i.name,
        "stage": i.stage,
        "builds_on": data["builds_on"],
        "extended_by": data["extended_by"],
    }


@click.command()
@click.argument("ref")
@click.option(
    "--builds-on", "target", default=None, help="The Infrastructure initiative it extends."
)
@click.option("--clear", is_flag=True, help="It builds on nothing (removes the link).")
@json_option()
@pass_ctx
def link(ctx: Ctx, ref: str, target: str | None, clear: bool, as_json: bool) -> None:
    """Record which Infrastructure initiative REF builds on ("new use cases get added as
    extensions of the infrastructure, not as fresh pilots").

    REF and --builds-on take a name (any case), an id or an id prefix of 4+ characters. With
    neither --builds-on nor --clear, shows what REF builds on and what builds on it. Linking
    to itself, to a killed initiative or to one not in Infrastructure is refused (exit 1).
    """
    if target is not None and clear:
        raise BadInput("give --builds-on or --clear, not both.")
    svc = ctx.service()
    i = svc.resolve(ref)
    if target is not None or clear:
        before = i.builds_on
        i = svc.link(i, svc.resolve(target) if target is not None else None)
        changed = before != i.builds_on
    else:
        changed = False
    if as_json:
        echo_json({**_link_json(svc, i), "changed": changed})
        return
    s = svc.sustain_of(i)
    if s.builds_on is not None:
        verb = "now builds on" if changed else "builds on"
        echo(f"{i.name} {verb} {s.builds_on.label()}.")
    else:
        echo(f"{i.name} {'now builds' if changed else 'builds'} on nothing.")
    if s.extended_by:
        names = ", ".join(x.name for x in s.extended_by)
        echo(f"Built on it: {names}.")
    elif s.extendable:
        echo("Nothing builds on it yet: which adjacent workflows could extend it?")
