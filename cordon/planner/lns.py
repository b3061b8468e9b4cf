"""Large-neighbourhood search for the whole-staff model (scenarios without one post per person).

CP-SAT with two workers runs hardly any neighbourhood search of its own, and rostering
instances are won there. Starting from the first solution, each round frees one neighbourhood,
keeps every other assignment variable fixed at its current value, and lets CP-SAT re-optimise:
- a window of consecutive days for everyone (moves shifts between people),
- a few people over the whole horizon (rebuilds their rosters against min/max runs and totals),
- a few people over a window (cheap, precise moves).
A round is kept when the objective (recomputed from the assignments) does not get worse.
Neighbourhoods grow when CP-SAT proves them optimal quickly and shrink when it runs out of time.
`workers` threads search side by side, each round on one CP-SAT worker with the full LP
(linearization level 2: these sub-models are small, and the LP proves them optimal fast).
"""

from __future__ import annotations

import random
import threading
import time

from ortools.sat.python import cp_model

from .cpmodel import RotationModel
from .evaluate import objective
from .model import Scenario
from .rotate import FOUND, build_model
from .team import TeamResult

ROUND_SECONDS = 1.0  # time limit of one round
LINEARIZATION = 2
MIN_ROUND_SECONDS = 0.5  # no round starts with less time than this left


class Neighbourhoods:
    """Chooses which assignment variables to free in the next round.

    Each kind keeps its own size (a share of the days or of the people), grown when CP-SAT
    proves a round optimal and shrunk when it runs out of time.
    """

    KINDS = ("days", "people", "people_days")

    def __init__(self, rm: RotationModel, seed: int = 1):
        self.random = random.Random(seed)
        self.people = [p.id for p in rm.team.people]
        self.days = rm.scenario.days
        self.size = {"days": 0.2, "people": 0.15, "people_days": 0.35}

    def pick(self):
        """(kind, predicate telling whether an assignment key is free this round)."""
        kind = self.random.choice(self.KINDS)
        size = self.size[kind]
        if kind == "days":
            first, span = self._window(size)
            return kind, lambda key: first <= key.day < first + span
        chosen = self._people(size)
        if kind == "people":
            return kind, lambda key: key.person in chosen
        first, span = self._window(min(1.0, size * 1.5))
        return kind, lambda key: key.person in chosen and first <= key.day < first + span

    def _window(self, share: float) -> tuple[int, int]:
        span = min(self.days, max(2, round(self.days * share)))
        return self.random.randrange(0, self.days - span + 1), span

    def _people(self, share: float) -> set[str]:
        count = min(len(self.people), max(2, round(len(self.people) * share)))
        return set(self.random.sample(self.people, count))

    def feedback(self, kind: str, solved_optimally: bool) -> None:
        factor = 1.1 if solved_optimally else 0.85
        self.size[kind] = min(1.0, max(0.02, self.size[kind] * factor))


class _Search:
    """The state the search threads share: the incumbent and the neighbourhood sizes."""

    def __init__(self, rm: RotationModel, assignments: set, deadline: float):
        self.rm = rm
        self.deadline = deadline
        self.lock = threading.Lock()
        self.current = set(assignments)
        self.best = _objective_of(rm, self.current)
        self.neighbourhoods = Neighbourhoods(rm)
        self.rounds = self.kept = 0
        self.done = False

    def run(self, thread: int) -> None:
        """Rounds until the deadline, each on one CP-SAT worker (threads run side by side)."""
        while not self.done and time.perf_counter() < self.deadline - MIN_ROUND_SECONDS:
            with self.lock:
                kind, is_free = self.neighbourhoods.pick()
                start, seed = set(self.current), self.rounds * 7 + thread
                self.rounds += 1
            limit = min(ROUND_SECONDS, self.deadline - time.perf_counter())
            found, status, proven = _solve_round(self.rm, start, is_free, limit, 1, seed)
            value = _objective_of(self.rm, found) if found is not None else None
            with self.lock:
                self.neighbourhoods.feedback(kind, status == cp_model.OPTIMAL)
                if value is not None and value <= self.best:
                    self.kept += value < self.best
                    self.current, self.best = found, value
                if (proven and value == self.best) or self.best <= 0:  # nothing left to gain
                    self.done = True


def improve_whole_staff(
    scenario: Scenario, result: TeamResult, *, deadline: float, workers: int, log
) -> TeamResult:
    """Improve a whole-staff result by neighbourhood search until the deadline, with `workers`
    search threads sharing one incumbent (a thread's round starts from the best so far)."""
    if result.status == "OPTIMAL" or result.objective <= 0:  # every term is non-negative
        return result
    if time.perf_counter() > deadline - MIN_ROUND_SECONDS:
        return result
    search = _Search(build_model(scenario, result.team), result.assignments, deadline)
    threads = [threading.Thread(target=search.run, args=(i,)) for i in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log(
        f"neighbourhood search: {search.rounds} rounds, {search.kept} improvements, "
        f"objective {search.best}"
    )
    return TeamResult(
        team=result.team,
        assignments=search.current,
        status="FEASIBLE",
        objective=search.best,
        bound=result.bound,
        seconds=result.seconds,
    )


def _solve_round(rm: RotationModel, current: set, is_free, limit: float, workers: int, seed: int):
    """Re-optimise the free assignments with the others fixed at `current`.

    Returns (assignments or None, CP-SAT status, proven), proven when everything was free and
    the round was solved to optimality.
    """
    model = rm.model.clone()
    variables = model.proto.variables
    everything_free = True
    for key, var in rm.x.items():
        model.add_hint(var, key in current)
        if not is_free(key):
            everything_free = False
            domain = variables[var.index].domain
            if key in current:
                domain[0] = 1
            else:
                domain[1] = 0
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = LINEARIZATION
    status = solver.solve(model)
    if status not in FOUND:
        return None, status, False
    found = {key for key, var in rm.x.items() if solver.boolean_value(var)}
    return found, status, everything_free and status == cp_model.OPTIMAL


def _objective_of(rm: RotationModel, assignments: set) -> int:
    """The plan's objective for a set of assignments, recomputed exactly (not the model's)."""
    return objective(rm.scenario, assignments)["total"]
