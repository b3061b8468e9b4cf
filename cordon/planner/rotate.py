"""Stage 2: rotate shifts inside each team with CP-SAT; independent teams run in parallel."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from ortools.sat.python import cp_model

from .construct import construct
from .cpmodel import RotationModel
from .evaluate import objective
from .hard_rules import add_hard_rules
from .model import Assignment, Scenario
from .soft_terms import add_complete_cover, add_soft_terms
from .team import Team, TeamResult

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
COVER_FIRST_SHARE = 0.5
MAX_COVER_SECONDS = 10.0
CONSTRUCT_SHARE = 0.1  # at most this share of a solve goes to the greedy warm start


def build_model(scenario: Scenario, team: Team, *, cover_is_hard: bool = False) -> RotationModel:
    """The rotation model of one team with every hard rule and soft term.

    With `cover_is_hard`, complete cover is a hard rule and the objective holds the other terms.
    """
    rm = RotationModel(scenario, team, cover_is_hard=cover_is_hard)
    add_hard_rules(rm)
    if cover_is_hard:
        add_complete_cover(rm)
    add_soft_terms(rm)
    rm.set_objective()
    return rm


def _solver(
    time_limit: float, workers: int, seed: int, *, quick_start: bool = False
) -> cp_model.CpSolver:
    """A CP-SAT solver; `quick_start` drops the LP relaxation, which on these small rostering
    models delays the first solution (and the warm start) several times over."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if quick_start:
        solver.parameters.linearization_level = 0
    return solver


def find_complete_cover(
    scenario: Scenario,
    team: Team,
    hint: set[Assignment],
    *,
    time_limit: float,
    workers: int = 1,
    seed: int = 0,
) -> tuple[str, set[Assignment] | None]:
    """(status, assignments) of a plan covering every slot of the team, found as a pure
    feasibility problem (CP-SAT finds tight rotations far faster without an objective)."""
    rm = RotationModel(scenario, team, cover_is_hard=True)
    add_hard_rules(rm)
    add_complete_cover(rm)
    rm.add_hints(hint)
    solver = _solver(time_limit, workers, seed, quick_start=True)
    status = solver.solve(rm.model)
    if status in FOUND:
        return solver.status_name(status), rm.assignments(solver)
    return solver.status_name(status), None


def optimise_team(
    scenario: Scenario,
    team: Team,
    *,
    time_limit: float,
    workers: int = 1,
    hint: set[Assignment] | None = None,
    complete: set[Assignment] | None = None,
    seed: int = 0,
) -> TeamResult:
    """Optimise one team's rotation, warm-started from `complete` (a complete cover) or `hint`.

    Given a complete cover, complete cover stays a hard rule and the objective holds the other
    terms; otherwise cover is a soft term. The status is CP-SAT's; with no solution found (and
    no complete cover to keep) `assignments` is empty: INFEASIBLE means the hard rules cannot
    all hold, UNKNOWN that time ran out.
    """
    started = time.perf_counter()
    if hint is None and complete is None:
        hint = construct(scenario, team)
    rm = build_model(scenario, team, cover_is_hard=complete is not None)
    if complete is not None or hint:
        rm.add_hints(complete if complete is not None else hint)
    left = time_limit - (time.perf_counter() - started)
    # A post's team without a complete cover must above all get its warm start fast; larger
    # models (the whole staff) need the LP to prove anything.
    quick_start = complete is None and scenario.rules.one_post_per_person
    solver = _solver(left, workers, seed, quick_start=quick_start)
    status = solver.solve(rm.model)
    seconds = time.perf_counter() - started
    if status not in FOUND:
        if complete is not None:  # the cover found first is a plan; keep it
            return _result_of(scenario, team, complete, "FEASIBLE", None, seconds)
        return TeamResult(team, set(), solver.status_name(status), 0, 0, seconds)
    return TeamResult(
        team=team,
        assignments=rm.assignments(solver),
        status=solver.status_name(status),
        objective=solver.objective_value,
        bound=solver.best_objective_bound,
        seconds=seconds,
        terms=rm.term_values(solver),
    )


def solve_team(
    scenario: Scenario,
    team: Team,
    *,
    time_limit: float,
    workers: int = 1,
    hint: set[Assignment] | None = None,
    cover_first: bool = True,
    seed: int = 0,
) -> TeamResult:
    """One team, both steps: seek a complete cover first (if asked), then optimise.
    Without `hint` the team starts from a constructive plan."""
    started = time.perf_counter()
    if hint is None:
        hint = construct(scenario, team, seconds=CONSTRUCT_SHARE * time_limit)
    complete = None
    if cover_first:
        _status, complete = find_complete_cover(
            scenario,
            team,
            hint,
            time_limit=COVER_FIRST_SHARE * time_limit,
            workers=workers,
            seed=seed,
        )
    left = time_limit - (time.perf_counter() - started)
    return optimise_team(
        scenario,
        team,
        time_limit=left,
        workers=workers,
        hint=hint,
        complete=complete,
        seed=seed,
    )


def _result_of(scenario, team, assignments, status, bound, seconds) -> TeamResult:
    """A result for a complete cover kept without the optimising model's values."""
    terms = objective(scenario, assignments)
    people = team.person_ids
    worked = {(a.person, a.day, a.shift) for a in assignments}
    requests = sum(
        r.weight
        for p in scenario.people
        if p.id in people
        for r in p.requests
        if r.want != ((p.id, r.day, r.shift) in worked)
    )
    value = terms["total"] - terms["cover"] - terms["requests"] + requests
    return TeamResult(team, set(assignments), status, value, 0 if bound is None else bound, seconds)


def _in_parallel(teams: list[Team], work, *, deadline: float, workers: int) -> list:
    """`work(team, time_limit)` for each team on `workers` threads (CP-SAT releases the GIL
    while it searches); each call gets a fair share of the time left before `deadline`."""
    pending = sorted(teams, key=lambda t: -len(t.people) * len(t.posts))
    done = [0]

    def run(team: Team):
        left = deadline - time.perf_counter()
        share = left * workers / max(1, len(pending) - done[0])
        try:
            return work(team, max(0.2, min(left, share)))
        finally:
            done[0] += 1

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(run, pending))


def solve_teams(
    scenario: Scenario,
    teams: list[Team],
    *,
    deadline: float,
    workers: int,
    hints: dict[str, set[Assignment]] | None = None,
    cover_first: bool = True,
    log=None,
) -> dict[str, TeamResult]:
    """Solve independent teams in two sweeps: complete covers for all teams first (so cover is
    secured early), then each team's objective with the time left before `deadline`."""
    hints = dict(hints or {})
    for team in teams:
        if team.key not in hints:
            hints[team.key] = construct(scenario, team)
    covers: dict[str, set[Assignment] | None] = {}
    if cover_first:
        cover_deadline = time.perf_counter() + COVER_FIRST_SHARE * (deadline - time.perf_counter())

        def cover(team: Team, limit: float):
            _status, found = find_complete_cover(
                scenario, team, hints[team.key], time_limit=min(limit, MAX_COVER_SECONDS)
            )
            return team.key, found

        covers = dict(_in_parallel(teams, cover, deadline=cover_deadline, workers=workers))

    def optimise(team: Team, limit: float) -> TeamResult:
        return optimise_team(
            scenario, team, time_limit=limit, hint=hints[team.key], complete=covers.get(team.key)
        )

    results = {}
    for result in _in_parallel(teams, optimise, deadline=deadline, workers=workers):
        results[result.team.key] = result
        if log:
            log(
                f"team {result.team.key}: {len(result.team.people)} people, "
                f"{'complete cover, ' if covers.get(result.team.key) else ''}"
                f"{result.status}, objective {result.objective:g}, {result.seconds:.1f}s"
            )
    return results
