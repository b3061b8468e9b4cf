"""Which weekends each person works, decided before the first plan where weekends are scarce.

On 23 of Curtois' 24 instances the weekends' demand is at least 90% of what the weekend limits
allow at two days each; on 24 the people wanted on the busier day of each weekend add up to
more than all the weekends the staff may work (3,448 against 3,426). A first plan built block
by block, each person against the people placed before them, spends weekends where they were
cheap at the time: on Curtois 24 it left 1,193 weekend person-shifts short and 1,005 in
surplus, which the search then moved one round at a time.

So, first, one small model decides for everyone which weekends they work, both days: a person
may work a weekend when they may work one of its days; each weekend day's people, and each of
its slots' people among those who may work that slot, are counted against the demand (short
ones at the cover's price, surplus at its surplus price); nobody works more weekends than
their limit. The first plan then charges each person for every weekend day they work outside
their weekends, or leave off inside them (`SubModel(weekend_targets=...)`), and holds them to
their weekends' count so far instead of a pro rata share.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.linear_solver import pywraplp

from .staff import StaffProblem

SECONDS = 20.0  # the weekend model's time limit (Curtois 24: its optimum in under 2 s)


def plan_weekends(problem: StaffProblem, *, time_limit: float = SECONDS) -> list[set[int]] | None:
    """For each person the weekends (indices into problem.weekends) they should work, or None
    when the solver has no answer in the time. A weekend with a locked day is one of its
    person's weekends.

    A mixed-integer model (SCIP): its LP relaxation is nearly a transportation problem, and
    on Curtois 22-24 the LP's optimum is already whole (CP-SAT took 16 s for what SCIP proves
    in 2)."""
    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:
        return None
    people = range(len(problem.people))
    works: dict[tuple[int, int], pywraplp.Variable] = {}
    for p in people:
        chosen = []
        for w, days in enumerate(problem.weekends):
            if any(problem.options[p][d] for d in days):
                var = solver.BoolVar(f"weekend[{problem.people[p].id},w{w}]")
                works[(p, w)] = var
                chosen.append(var)
                if any((p, d) in problem.locked for d in days):
                    solver.Add(var == 1)
        limit = problem.rules[p].max_weekends
        if limit is not None and len(chosen) > limit:
            solver.Add(solver.Sum(chosen) <= limit)
    costs = []
    for w, days in enumerate(problem.weekends):
        for d in days:
            on_day, by_option = [], defaultdict(list)
            for p in people:
                if (p, w) in works and problem.options[p][d]:
                    on_day.append(works[(p, w)])
                    for o in problem.options[p][d]:
                        by_option[o].append(works[(p, w)])
            slots = [problem.demand[(d, o)] for o in problem.options_on_day[d]]
            wanted = sum(demand.people for demand in slots)
            under = max((demand.weight_under for demand in slots), default=0)
            over = min((demand.weight_over or 0 for demand in slots), default=0)
            costs += _count_cost(solver, on_day, wanted, under, over)
            for o in problem.options_on_day[d]:
                demand = problem.demand[(d, o)]
                costs += _count_cost(solver, by_option[o], demand.people, demand.weight_under, 0)
    solver.Minimize(solver.Sum(costs))
    solver.SetTimeLimit(int(1000 * time_limit))
    if solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    targets: list[set[int]] = [set() for _p in people]
    for (p, w), var in works.items():
        if var.solution_value() > 0.5:
            targets[p].add(w)
    return targets


def _count_cost(solver: pywraplp.Solver, literals, wanted: int, under: int, over: int):
    """Cost terms: the shortfall of sum(literals) below `wanted` at `under` each, and (with
    `over`) its surplus at `over` each."""
    if wanted <= 0 and not over:
        return []
    short = solver.NumVar(0, max(0, wanted), "")
    total = solver.Sum(literals) if literals else 0
    if not over:
        solver.Add(total + short >= wanted)
        return [under * short]
    surplus = solver.NumVar(0, len(literals), "")
    solver.Add(total + short - surplus == wanted)
    return [under * short, over * surplus]
