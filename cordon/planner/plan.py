"""The `cordon.plan/1` document: assignments, reserve, shortfall with reasons, objective, solver."""

from __future__ import annotations

from .evaluate import Gap, gaps, objective
from .model import Assignment, Scenario
from .reasons import Diagnosis, reason_text

PLAN_FORMAT = "cordon.plan/1"


def make_plan(scenario: Scenario, assignments: set[Assignment], solver: dict) -> dict:
    """The plan for `assignments`; figures are recomputed from them, never taken from a model."""
    shift_start = {s.id: s.start for s in scenario.shift_types}
    ordered = sorted(assignments, key=lambda a: (a.day, shift_start[a.shift], a.post, a.person))
    working = {a.person for a in assignments}
    diagnosis = Diagnosis(scenario, assignments)
    return {
        "format": PLAN_FORMAT,
        "scenario": scenario.name,
        "assignments": [_assignment(scenario, a) for a in ordered],
        "reserve": [p.id for p in scenario.people if p.id not in working],
        "shortfall": [_shortfall(scenario, diagnosis, gap) for gap in gaps(scenario, assignments)],
        "objective": objective(scenario, assignments),
        "solver": solver,
    }


def _shortfall(scenario: Scenario, diagnosis: Diagnosis, gap: Gap) -> dict:
    """One line of the shortfall: what is missing, why in English, and why as codes."""
    codes = diagnosis.codes(gap)
    return {
        "post": gap.post,
        "date": scenario.date_of(gap.day).isoformat(),
        "shift": gap.shift,
        "people": gap.people,
        "leaders": gap.leaders,
        "skills": dict(gap.skills),
        "reason": reason_text(codes),
        "codes": codes,
    }


def _assignment(scenario: Scenario, a: Assignment) -> dict:
    return {
        "person": a.person,
        "post": a.post,
        "date": scenario.date_of(a.day).isoformat(),
        "shift": a.shift,
    }


def coverage(scenario: Scenario, plan: dict) -> tuple[int, int]:
    """(person-shifts covered, person-shifts demanded) of a plan, counting people only."""
    demanded = sum(post.demand_on(d, s).people for post in scenario.posts for d, s in post.slots())
    missing = sum(item["people"] for item in plan["shortfall"])
    return demanded - missing, demanded
