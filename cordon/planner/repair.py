"""Repair a previous plan after a disruption (people fall sick, demand moves).

Contract (scenario `previous` + `freeze_before`): every previous assignment before the freeze
date stays and none is added before it. From the freeze date on, changes are kept small by the
`stability` term (one per assignment added or removed against previous).

With one post per person each person keeps the post they held in `previous`. Only the teams that
lost someone (a previous assignment from the freeze date on that is no longer possible: the person
is unavailable, may not work that shift type, or the demand is gone) are solved again; they draw
helpers from the reserve first (people without any previous assignment), chosen to replace what
each lost person brought (leader, skills, home unit). All other teams keep their previous plan.
"""

from __future__ import annotations

import time
from collections import defaultdict

from .improve import improve_teams, pick_helpers
from .model import Assignment, Person, Scenario
from .rotate import solve_teams
from .solve import check_found, fixed_assignments, plan_whole_staff
from .team import Team

HELPERS_PER_LOST_PERSON = 2


def repair(scenario: Scenario, *, deadline: float, workers: int, log):
    """(assignments, solved team results) of the repaired plan."""
    if not scenario.rules.one_post_per_person:
        hint = set(scenario.previous) - set(lost_assignments(scenario))
        return plan_whole_staff(scenario, deadline=deadline, workers=workers, log=log, hint=hint)
    return repair_teams(scenario, deadline=deadline, workers=workers, log=log)


def lost_assignments(scenario: Scenario) -> list[Assignment]:
    """Previous assignments from the freeze date on that the scenario no longer allows."""
    lost = []
    for a in scenario.previous:
        if a.day < scenario.freeze_before:
            continue
        person = scenario.person_by_id[a.person]
        post = scenario.post_by_id[a.post]
        if (
            a.day in person.unavailable
            or person.limits.max_shifts.get(a.shift) == 0
            or post.demand_on(a.day, a.shift) is None
        ):
            lost.append(a)
    return lost


def previous_teams(scenario: Scenario) -> tuple[dict[str, list[Person]], list[Person]]:
    """post -> people who held it in `previous`; and the reserve (no previous assignment)."""
    post_of: dict[str, str] = {}
    for a in sorted(scenario.previous, key=lambda a: a.day):
        post_of.setdefault(a.person, a.post)
    for a in scenario.locked:
        post_of[a.person] = a.post
    teams: dict[str, list[Person]] = defaultdict(list)
    reserve = []
    for person in scenario.people:
        if person.id in post_of:
            teams[post_of[person.id]].append(person)
        else:
            reserve.append(person)
    return teams, reserve


def repair_teams(scenario: Scenario, *, deadline: float, workers: int, log):
    members, reserve = previous_teams(scenario)
    lost = lost_assignments(scenario)
    touched = sorted({a.post for a in lost} | {a.post for a in scenario.locked})
    previous = set(scenario.previous)
    untouched = {a for a in previous if a.post not in touched}
    log(f"repair: {len(lost)} assignments lost, {len(touched)} teams to solve again")
    fixed = fixed_assignments(scenario)
    teams = []
    for post_id in touched:
        team, reserve = _team_with_stand_ins(scenario, post_id, members[post_id], lost, reserve)
        team.fixed = {a for a in fixed if a.post == post_id}
        team.hint |= {a for a in previous if a.post == post_id} - set(lost)
        teams.append(team)
    results = solve_teams(
        scenario,
        teams,
        deadline=deadline,
        workers=workers,
        hints={t.key: t.hint for t in teams},
        cover_first=False,  # start from the previous plan: few changes, not a fresh rotation
        log=log,
    )
    check_found(list(results.values()))
    if time.perf_counter() < deadline - 1:
        results = improve_teams(
            scenario, results, reserve, deadline=deadline, workers=workers, log=log
        )
    assignments = untouched.union(*(r.assignments for r in results.values()))
    return assignments, list(results.values())


def _team_with_stand_ins(scenario, post_id, members, lost, reserve):
    """The post's team plus helpers from the reserve; the hint gives each lost person's
    remaining shifts to a stand-in who is free on those dates (the reserve first, by design)."""
    post = scenario.post_by_id[post_id]
    hint: set[Assignment] = set()
    helpers: list[Person] = []
    by_person: dict[str, list[Assignment]] = defaultdict(list)
    for a in lost:
        if a.post == post_id:
            by_person[a.person].append(a)
    for person_id, shifts in sorted(by_person.items()):
        brought = _what_they_brought(scenario, {person_id}, post_id)
        brought[0].day = -1
        candidates = pick_helpers(
            scenario, Team(post_id, [post], members), brought, reserve, HELPERS_PER_LOST_PERSON
        )
        free = [p for p in candidates if not any(a.day in p.unavailable for a in shifts)]
        if free:
            hint |= {a._replace(person=free[0].id) for a in shifts}
        helpers += candidates
        reserve = [p for p in reserve if p not in candidates]
    return Team(post_id, [post], members + helpers, hint=hint), reserve


def _what_they_brought(scenario: Scenario, gone: set[str], post_id: str) -> list:
    """Stand-in gaps that describe what the lost people gave the team (for choosing helpers)."""
    from .evaluate import Gap

    brought = []
    for person_id in gone:
        person = scenario.person_by_id[person_id]
        brought.append(Gap(post_id, -1, "", 1, int(person.leader), {s: 1 for s in person.skills}))
    return brought
