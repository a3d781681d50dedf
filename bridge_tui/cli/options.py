"""Options that several commands share, each declared once (as sqlite-utils' CLI does).

A command takes one with a decorator, `@json_option()`, and gets its value under the same
parameter name everywhere. This module needs nothing but click, so a command's `--help` stays
as fast as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import click

F = TypeVar("F", bound=Callable[..., Any])
#: what `click.option(...)` returns: a decorator that adds one option to a command
Option = Callable[[Callable[..., Any]], Callable[..., Any]]


def options(*each: Option) -> Callable[[F], F]:
    """One decorator for several options, which --help lists in the order given."""

    def decorate(fn: F) -> F:
        for option in reversed(each):
            fn = cast(F, option(fn))
        return fn

    return decorate


def json_option(help: str = "Print JSON.") -> Callable[[F], F]:
    """`--json` (`as_json`): print the command's JSON document instead of text."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def forcing_options(
    force_help: str, reason_help: str = "Why (needed to force)."
) -> Callable[[F], F]:
    """`--force` and `--reason`: go past a gate that is not met, saying why (recorded as
    forced). `force_help` says what is forced for this command."""
    return options(
        click.option("--force", is_flag=True, help=force_help),
        click.option("--reason", default="", help=reason_help),
    )


def output_options(fn: F) -> F:
    """`-o/--output` and `--force`: write the document to a new file instead of stdout, or
    replace an existing one."""
    return options(
        click.option(
            "-o", "--output", default=None, help="Write here (a new file, unless --force)."
        ),
        click.option("--force", is_flag=True, help="Replace the -o file if it exists."),
    )(fn)
