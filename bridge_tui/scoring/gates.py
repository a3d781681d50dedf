"""Gates: what a move between stages needs, and what an initiative still lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from bridge_tui import method
from bridge_tui.ownership import effective_answers, owner_issue
from bridge_tui.scoring.score import AnswerMap, _value, readiness, scale_verdict, tests

if TYPE_CHECKING:
    from bridge_tui.records import InitiativeFacts


class GateCheck(NamedTuple):
    source: str
    target: str
    allowed: bool
    #: every unmet requirement on the way, in the order of domain.md's tables
    unmet: tuple[str, ...]
    #: stages whose gate the move passes through, in order
    gates: tuple[str, ...] = ()
    backward: bool = False
    #: (requirement, why) for unmet requirements that need a word of explanation: `owned` or
    #: `operational_owner` answered yes while the owner on record does not qualify
    notes: tuple[tuple[str, str], ...] = ()

    def describe(self, key: str) -> str:
        """One unmet requirement in plain words, with its explanation when there is one."""
        text = method.describe_requirement(key)
        note = dict(self.notes).get(key)
        return f"{text} ({note})" if note else text

    def lines(self) -> tuple[str, ...]:
        """Every unmet requirement in plain words, in order: what a refusal lists."""
        return tuple(self.describe(k) for k in self.unmet)

    @property
    def passes_productionize(self) -> bool:
        """The move enters Productionize on its way or ends there (a move back from
        Infrastructure too): that stage's side effects apply, the budget warning and the plan."""
        return method.PRODUCTIONIZE in self.gates or self.target == method.PRODUCTIONIZE


def _gate_unmet(into: str, answers: AnswerMap) -> list[str]:
    """What entering stage `into` from the stage before it still needs."""
    before = method.previous_stage(into)
    assert before is not None
    unmet = [e.id for e in method.exit_conditions_for(before) if _value(answers, e.id) != "yes"]
    if into == method.PRODUCTIONIZE:
        # ready to scale: the four real signals, and no false one marked
        verdict = scale_verdict(answers)
        unmet += list(verdict.missing) + list(verdict.false_signals)
    if into == method.INFRASTRUCTURE:
        unmet += [t for t, ok in tests(answers).items() if ok is not True]
        if not readiness(answers).passing:
            unmet.append(method.READINESS_REQUIREMENT)
    return unmet


def gate_check(source: str, target: str, answers: AnswerMap) -> GateCheck:
    """Can an initiative in `source` move to `target`?

    Forward moves pass every gate on the way. Backward moves and kills have no gate (they need a
    reason instead, which the service asks for). Leaving Killed is a revive: the gates from the
    start of the flow up to the target apply.
    """
    if target not in method.STAGE_IDS or source not in method.STAGE_IDS:
        raise ValueError(f"unknown stage in move {source} -> {target}")
    if target == method.KILLED or source == target:
        return GateCheck(source, target, True, (), (), False)
    start = method.FLOW[0] if source == method.KILLED else source
    si, ti = method.stage_index(start), method.stage_index(target)
    if ti <= si:
        return GateCheck(source, target, True, (), (), source != method.KILLED)
    gates = method.FLOW[si + 1 : ti + 1]
    unmet: list[str] = []
    for g in gates:
        for req in _gate_unmet(g, answers):
            if req not in unmet:
                unmet.append(req)
    return GateCheck(source, target, not unmet, tuple(unmet), tuple(gates), False)


def move_check(
    initiative: InitiativeFacts, target: str, answers: AnswerMap, source: str | None = None
) -> GateCheck:
    """`gate_check` for one initiative: the owner rule applied to its answers (and explained
    in `notes`). `source` defaults to its stage; a new initiative enters from the start of the
    flow, like a revival."""
    issue = owner_issue(initiative)
    check = gate_check(
        initiative.stage if source is None else source,
        target,
        effective_answers(initiative, answers, issue),
    )
    if issue is None or not check.unmet:
        return check
    notes = tuple(
        (k, issue.sentence())
        for k in ("owned", "operational_owner")
        if k in check.unmet and answers.get(k) == "yes"
    )
    return check._replace(notes=notes) if notes else check


def entry_check(initiative: InitiativeFacts, answers: AnswerMap) -> GateCheck:
    """Every gate from the start of the flow up to the initiative's stage: what it takes to be
    there at all (a new initiative added into it, an import, a forced mark)."""
    if initiative.stage not in method.FLOW:
        return GateCheck(initiative.stage, initiative.stage, True, ())
    return move_check(initiative, initiative.stage, answers, source=method.KILLED)


def forced_mark(initiative: InitiativeFacts, answers: AnswerMap) -> str:
    """The reason it was forced past a gate, while the gates into its current stage are still
    unmet (`entry_check`); "" once they are met, or when it was never forced."""
    if not initiative.forced_reason or initiative.stage not in method.FLOW[1:]:
        return ""
    return "" if entry_check(initiative, answers).allowed else initiative.forced_reason


def next_gate(initiative: InitiativeFacts, answers: AnswerMap) -> GateCheck | None:
    nxt = method.next_stage(initiative.stage)
    if nxt is None:
        return None
    return move_check(initiative, nxt, answers)
