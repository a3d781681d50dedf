"""Who owns an initiative: "a named owner, not the pilot builder, not a committee" (seeds 1 and 2).

Pure (no I/O). The `owned` test and the `operational_owner` signal are answers a person gives;
they hold only when the owner on record passes `owner_issue`. `effective_answers` applies that
to an answer map, so every rule downstream (tests, scale verdict, gates) reads the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal, NamedTuple, Protocol

from bridge_tui import method

#: the answers that need a proper owner on record to hold
OWNER_KEYS: tuple[str, ...] = ("owned", "operational_owner")

IssueKind = Literal["no_owner", "pilot_builder", "group"]


class HasOwner(Protocol):
    @property
    def owner(self) -> str: ...
    @property
    def pilot_builder(self) -> str: ...


class OwnerIssue(NamedTuple):
    kind: IssueKind
    #: the owner as recorded ("" for no owner)
    owner: str

    def sentence(self) -> str:
        """Plain words, without a final full stop, to follow "owned does not hold: "."""
        if self.kind == "no_owner":
            return "no named owner is on record"
        if self.kind == "pilot_builder":
            return f"the owner, {self.owner}, built the pilot; the owner must be someone else"
        return f'the owner "{self.owner}" reads as a group; name one person'


_GROUP = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in method.GROUP_WORDS) + r")s?\b", re.IGNORECASE
)
_JOINER = re.compile(
    "|".join(rf"\s{re.escape(j)}\s" if j.isalpha() else re.escape(j) for j in method.NAME_JOINERS),
    re.IGNORECASE,
)


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def reads_as_group(owner: str) -> bool:
    """ "AI committee", "Ops team", "Ana and Ben", "Ana & Ben", "Ana, Ben", "Ana/Ben"."""
    return bool(_GROUP.search(owner) or _JOINER.search(f" {owner} "))


def owner_issue(initiative: HasOwner) -> OwnerIssue | None:
    """Why the owner on record cannot carry `owned` / `operational_owner`; None when they can:
    one named person who is not the pilot builder."""
    owner = initiative.owner.strip()
    if not owner:
        return OwnerIssue("no_owner", "")
    builder = initiative.pilot_builder.strip()
    if builder and _same_person(owner, builder):
        return OwnerIssue("pilot_builder", owner)
    if reads_as_group(owner):
        return OwnerIssue("group", owner)
    return None


def effective_answers(
    initiative: HasOwner, answers: Mapping[str, str], issue: OwnerIssue | None = None
) -> Mapping[str, str]:
    """The answers as the rules read them: `owned` / `operational_owner` answered "yes" count
    as not met when the owner on record fails `owner_issue` (unanswered stays unanswered)."""
    issue = issue if issue is not None else owner_issue(initiative)
    if issue is None or not any(answers.get(k) == "yes" for k in OWNER_KEYS):
        return answers
    out = dict(answers)
    for k in OWNER_KEYS:
        if out.get(k) == "yes":
            out[k] = "no"
    return out
