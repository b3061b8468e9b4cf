"""What a set of assignments costs and leaves uncovered, recomputed from the assignments alone.

The plan reports these figures, not the solver's internal values, so they hold whatever the
solver's status: the objective by term exactly as docs/scenario-format.md defines it, and the
shortfall of every (post, date, shift) that lacks anyone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import Scenario

SOFT_TERMS = ("fairness", "nights", "affinity", "stability")


@dataclass
class Gap:
    """What one (post, day, shift) lacks."""

    post: str
    day: int
    shift: str
    people: int
    leaders: int
    skills: dict[str, int] = field(default_factory=dict)


def slot_counts(scenario: Scenario, assignments) -> dict[tuple[str, int, str], list[str]]:
    """(post, day, shift) -> the people assigned there."""
    slots: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for a in assignments:
        slots[(a.post, a.day, a.shift)].append(a.person)
    return slots


def gaps(scenario: Scenario, assignments) -> list[Gap]:
    """Every (post, day, shift) with demand that lacks people, leaders or skills, in time order."""
    slots = slot_counts(scenario, assignments)
    found = []
    for post in scenario.posts:
        for day, shift in post.slots():
            demand = post.demand_on(day, shift)
            people = [scenario.person_by_id[p] for p in slots.get((post.id, day, shift), [])]
            missing_people = max(0, demand.people - len(people))
            missing_leaders = max(0, demand.leaders - sum(p.leader for p in people))
            missing_skills = {
                skill: wanted - have
                for skill, wanted in sorted(demand.skills.items())
                if (have := sum(skill in p.skills for p in people)) < wanted
            }
            if missing_people or missing_leaders or missing_skills:
                found.append(
                    Gap(post.id, day, shift, missing_people, missing_leaders, missing_skills)
                )
    return sorted(found, key=lambda g: (g.day, scenario.shift_by_id[g.shift].start, g.post))


def cover_cost(scenario: Scenario, assignments) -> int:
    slots = slot_counts(scenario, assignments)
    cost = 0
    for gap in gaps(scenario, assignments):
        demand = scenario.post_by_id[gap.post].demand_on(gap.day, gap.shift)
        cost += demand.weight_under * (gap.people + gap.leaders + sum(gap.skills.values()))
    for post in scenario.posts:
        for day, shift in post.slots():
            demand = post.demand_on(day, shift)
            surplus = len(slots.get((post.id, day, shift), [])) - demand.people
            if surplus > 0 and demand.weight_over:
                cost += demand.weight_over * surplus
    return cost


def request_cost(scenario: Scenario, assignments) -> int:
    worked = {(a.person, a.day, a.shift) for a in assignments}
    cost = 0
    for person in scenario.people:
        for r in person.requests:
            if r.want != ((person.id, r.day, r.shift) in worked):
                cost += r.weight
    return cost


def _spread(scenario: Scenario, assignments, counted) -> int:
    """Sum over posts of (max - min) of counted shifts over the people who work there."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in assignments:
        counts[a.post][a.person] += 1 if counted(a.shift) else 0
    return sum(max(c.values()) - min(c.values()) for c in counts.values())


def affinity_count(scenario: Scenario, assignments) -> int:
    away = set()
    for a in assignments:
        post_unit = scenario.post_by_id[a.post].unit
        unit = scenario.person_by_id[a.person].unit
        if post_unit and unit and post_unit != unit:
            away.add(a.person)
    return len(away)


def stability_count(scenario: Scenario, assignments) -> int:
    if not scenario.is_repair:
        return 0
    freeze = scenario.freeze_before
    before = {a for a in scenario.previous if a.day >= freeze}
    after = {a for a in assignments if a.day >= freeze}
    return len(before ^ after)


def objective(scenario: Scenario, assignments) -> dict[str, int]:
    """The plan's objective by term, each weighted; `total` is the plain sum of the others."""
    assignments = set(assignments)
    nights = {s.id for s in scenario.shift_types if s.night}
    raw = {
        "fairness": _spread(scenario, assignments, lambda _shift: True),
        "nights": _spread(scenario, assignments, lambda shift: shift in nights),
        "affinity": affinity_count(scenario, assignments),
        "stability": stability_count(scenario, assignments),
    }
    terms = {
        "cover": cover_cost(scenario, assignments),
        "requests": request_cost(scenario, assignments),
    }
    terms.update({term: scenario.weight(term) * raw[term] for term in SOFT_TERMS})
    return {"total": sum(terms.values()), **terms}
