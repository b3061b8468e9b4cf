"""`solve()`: from a scenario to a `cordon.plan/1`, choosing the stages the scenario needs.

- With `previous` and `freeze_before`: a repair (repair.py).
- With `one_post_per_person`: allocate people to post teams (allocate.py), rotate each team
  (rotate.py, in parallel), then improve short teams from the reserve (improve.py).
- Otherwise: one problem over the whole staff and every post: a first plan, then
  neighbourhood search (lns.py) with all workers.
"""

from __future__ import annotations

import time

from .allocate import Allocator
from .errors import ScenarioError
from .evaluate import objective
from .improve import improve_teams
from .model import Assignment, Scenario
from .plan import make_plan
from .rotate import solve_teams
from .scenario import load_scenario
from .team import Team, TeamResult

ALLOCATION_SHARE = 0.1
FIRST_PASS_SHARE = 0.7
# Time kept to write the plan (shortfall with reasons, objective): a base, and more per
# (person, day, shift type) of the scenario. Curtois 24 (150 people, a year, 32 shift types)
# takes about 1.6 s to write; the reference operation 0.1 s (0.3 s with 800 gaps).
PLAN_WRITING_SECONDS = 0.5
PLAN_WRITING_PER_CHOICE = 1e-6


def solve(scenario, *, time_limit: float = 60, workers: int = 2, log=None) -> dict:
    """A `cordon.plan/1` dict for `scenario` (a Scenario or anything load_scenario accepts).

    Raises ScenarioError for bad input, and for scenarios whose hard rules cannot all hold
    (locked or frozen assignments that break a rule, unreachable minimum minutes).
    """
    from .repair import repair  # repair builds on the functions here

    started = time.perf_counter()
    scenario = load_scenario(scenario)
    log = log or (lambda _line: None)
    # The limit covers the whole call: keep a little time to write the plan itself.
    choices = len(scenario.people) * scenario.days * len(scenario.shift_types)
    writing = PLAN_WRITING_SECONDS + PLAN_WRITING_PER_CHOICE * choices
    deadline = started + max(1.0, float(time_limit) - writing)
    workers = max(1, int(workers))
    if scenario.is_repair:
        assignments, results = repair(scenario, deadline=deadline, workers=workers, log=log)
    elif scenario.rules.one_post_per_person:
        assignments, results = plan_by_teams(scenario, deadline=deadline, workers=workers, log=log)
    else:
        assignments, results = plan_whole_staff(
            scenario, deadline=deadline, workers=workers, log=log
        )
    plan = make_plan(scenario, assignments, {})
    plan["solver"] = solver_summary(plan, results, time.perf_counter() - started)
    return plan


def solver_summary(plan: dict, results: list[TeamResult], seconds: float) -> dict:
    """Status, seconds and a lower bound of the objective (given the teams that were solved)."""
    statuses = {r.status for r in results}
    status = "OPTIMAL" if statuses <= {"OPTIMAL"} else "FEASIBLE"
    gap = sum(r.gap for r in results)
    return {
        "status": status,
        "seconds": round(seconds, 3),
        "bound": round(max(0.0, plan["objective"]["total"] - gap), 3),
        "models": len(results),
    }


def check_found(results: list[TeamResult]) -> None:
    """Raise when a model has no solution: the hard rules cannot hold, or time ran out first."""
    for result in results:
        if result.status == "INFEASIBLE":
            raise ScenarioError(
                [
                    (
                        "$",
                        f"the hard rules cannot all hold for {result.team.key} (locked or frozen "
                        "assignments, minimum minutes or shift counts that no plan can meet)",
                    )
                ]
            )
        if result.status not in ("OPTIMAL", "FEASIBLE"):
            raise ScenarioError(
                [
                    (
                        "$",
                        f"no plan found for {result.team.key} within the time limit "
                        f"({result.status}); allow more time",
                    )
                ]
            )


def retry_unsolved(scenario: Scenario, results: dict[str, TeamResult], *, deadline, workers, log):
    """Teams with no solution yet get a second, longer try; then unsolvable ones are errors."""
    unsolved = [r.team for r in results.values() if r.status not in ("OPTIMAL", "FEASIBLE")]
    if unsolved:
        log(f"{len(unsolved)} teams without a plan yet: trying again with more time")
        share = time.perf_counter() + 0.5 * (deadline - time.perf_counter())
        results.update(solve_teams(scenario, unsolved, deadline=share, workers=workers, log=log))
    check_found(list(results.values()))
    return results


def plan_whole_staff(scenario: Scenario, *, deadline: float, workers: int, log, hint=None):
    """One problem over everyone and every post (lns.py): a first plan, then neighbourhood
    search with the rest of the time. `hint` (a repair's previous plan) seeds the roster."""
    from .lns import Unsolvable, plan_staff

    started = time.perf_counter()
    team = Team("all", scenario.posts, scenario.people, fixed=fixed_assignments(scenario))
    try:
        search = plan_staff(
            scenario, fixed=team.fixed, hint=hint, deadline=deadline, workers=workers, log=log
        )
    except Unsolvable as failure:
        check_found([TeamResult(team, set(), failure.status, 0, 0, 0.0)])
        raise
    assignments = search.roster.assignments()
    value = objective(scenario, assignments)["total"]
    status = "OPTIMAL" if search.optimal else "FEASIBLE"
    bound = value if search.optimal else min(value, max(0.0, search.bound or 0.0))
    seconds = time.perf_counter() - started
    return assignments, [TeamResult(team, assignments, status, value, bound, seconds)]


def fixed_assignments(scenario: Scenario) -> set[Assignment]:
    """Locked assignments, and in a repair every previous assignment before freeze_before."""
    fixed = set(scenario.locked)
    if scenario.is_repair:
        fixed |= {a for a in scenario.previous if a.day < scenario.freeze_before}
    return fixed


def plan_by_teams(scenario: Scenario, *, deadline: float, workers: int, log):
    """Allocate post teams, rotate each team, then move free people into short teams."""
    started = time.perf_counter()
    pinned = {a.person: a.post for a in scenario.locked}
    budget = deadline - started
    teams, reserve = Allocator(scenario, pinned).allocate(
        time_limit=max(1.0, ALLOCATION_SHARE * budget)
    )
    log(
        f"allocated {sum(len(t) for t in teams.values())} people to {len(teams)} teams "
        f"in {time.perf_counter() - started:.1f}s; reserve {len(reserve)}"
    )
    locked = fixed_assignments(scenario)
    team_list = [
        Team(
            post_id,
            [scenario.post_by_id[post_id]],
            people,
            {a for a in locked if a.post == post_id},
        )
        for post_id, people in teams.items()
    ]
    first_pass = time.perf_counter() + FIRST_PASS_SHARE * (deadline - time.perf_counter())
    results = solve_teams(scenario, team_list, deadline=first_pass, workers=workers, log=log)
    results = retry_unsolved(scenario, results, deadline=deadline, workers=workers, log=log)
    results = improve_teams(scenario, results, reserve, deadline=deadline, workers=workers, log=log)
    assignments = set().union(*(r.assignments for r in results.values()))
    return assignments, list(results.values())
