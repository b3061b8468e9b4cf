"""Which weekends each person works, decided before the first plan where weekends are scarce.

On 23 of Curtois' 24 instances the weekends' demand is at least 90% of what the weekend limits
allow at two days each; on 24 the people wanted on the busier day of each weekend add up to
more than all the weekends the staff may work (3,448 against 3,426). A first plan built block
by block, each person against the people placed before them, spends weekends where they were
cheap at the time: on Curtois 24 it left 1,193 weekend person-shifts short and 1,005 in
surplus, which the search then moved one round at a time.

So the weekends are planned first, in three steps:
1. One model (`plan_weekends`) decides for everyone which weekends they work, both days: a
   person may work a weekend when they may work one of its days; each weekend day's people,
   and each of its slots' people among those who may work that slot, are counted against the
   demand (short ones at the cover's price, surplus at its surplus price); nobody works more
   weekends than their limit, nor switches between worked weekends and weekends off more
   often than their runs, days off and minimum minutes allow (`switch_budget`).
2. One model a weekend (`plan_weekend_shifts`) gives each of its people a shift on each day:
   successions from Saturday to Sunday keep some pairs apart (on Curtois 24 a late shift is
   never followed by an early one), so where the first step's counts leave 58 weekend
   person-shifts short, this one leaves about 250; but a first plan charged only for the
   weekends left 740 short, charged for the shifts too, 290.
3. An exchange (`exchange`) moves people from weekends where they add little to weekends
   where they fill a short slot, one person at a time, the best move first, within each
   person's switches: on Curtois 23 it brings the shift step's 156 short to 141, on 24
   261-317 to 215-235, in one to six seconds.
The first plan's blocks then charge each person for every weekend day off that plan
(`SubModel(weekend_plan=...)`), and hold them to their planned weekends so far instead of a
pro rata share of their limit. After the first plan the search owes the plan nothing.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .staff import FORBIDDEN, StaffProblem, most_days

SECONDS = 20.0  # the weekend model's time limit (Curtois 24: its optimum in under 2 s)
SHIFT_SECONDS = 1.0  # each weekend's shift model (Curtois 24: most are optimal in 0.2-0.9 s)
SHARE = 0.2  # of the time the plan may take, at most, for the weekend plan
STRETCH_WEEKENDS = 16  # switches between weekends worked and off are planned from this many on
EXCHANGE_SECONDS = 10.0  # at most, for moving people between weekends (24: 4-6 s)
# What the first plan charges for each weekend day off the plan: ten missing people, so its
# blocks keep the plan unless their rules cannot. On Curtois 24, charged 100 a day, the first
# plan left 461 weekend person-shifts short, charged 1,000, 292 to 348; it cost more on
# weekdays, but the search after it gains little on weekends and much on weekdays.
PLAN_COST = 1000


@dataclass
class WeekendPlan:
    """Who works which weekends (`weekends[p]`: indices into problem.weekends) and at which
    shift on each of their days (`cells[(p, d)]`: an option)."""

    weekends: list[set[int]]
    cells: dict[tuple[int, int], int]
    cost: int = PLAN_COST
    stretches: bool = False  # most people's weekends must come in stretches (switch_budget)


def plan(problem: StaffProblem, *, seconds: float, workers: int = 2) -> WeekendPlan | None:
    """The weekend plan within about `seconds`, or None when the weekend model has no answer
    in its share of them."""
    started = time.perf_counter()
    budgets = switch_budgets(problem)
    weekends = plan_weekends(
        problem, time_limit=min(SECONDS, seconds / 2), workers=workers, budgets=budgets
    )
    if weekends is None:
        return None
    left = seconds - (time.perf_counter() - started)
    each = min(SHIFT_SECONDS, max(0.05, left / max(1, len(problem.weekends))))
    cells = plan_weekend_shifts(
        problem, weekends, day_off_cost=PLAN_COST, seconds=each, workers=workers
    )
    left = seconds - (time.perf_counter() - started)
    exchange(
        problem,
        weekends,
        cells,
        deadline=time.perf_counter() + min(EXCHANGE_SECONDS, max(0.5, left)),
        budgets=budgets,
    )
    return WeekendPlan(weekends, cells, stretches=any(b is not None for b in budgets))


def plan_weekends(
    problem: StaffProblem, *, time_limit: float = SECONDS, workers: int = 2, budgets=None
) -> list[set[int]] | None:
    """For each person the weekends (indices into problem.weekends) they should work, or None
    when the solver has no answer in the time. A weekend with a locked day is one of its
    person's weekends.

    A mixed-integer model (SCIP): its LP relaxation is nearly a transportation problem, and
    on Curtois 23 and 24 the LP's optimum is already whole (CP-SAT took 16 s for what SCIP
    proves in 2). Where people's weekends must come in stretches (`switch_budget`), the
    switches make the LP weak (half a weekend everywhere has no switch at all) and SCIP found
    no answer on Curtois 22 in 60 s; CP-SAT solves that model instead (22: 242 weekend people
    short by count in 20 s, 228 without the switches)."""
    budgets = budgets if budgets is not None else switch_budgets(problem)
    switching = any(b is not None and b < len(problem.weekends) - 1 for b in budgets)
    solver = pywraplp.Solver.CreateSolver("CP_SAT" if switching else "SCIP")
    if solver is None:
        return None
    if switching:
        solver.SetNumThreads(max(1, workers))
    number = solver.IntVar if switching else solver.NumVar  # CP-SAT: integers only
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
        if budgets[p] is not None:
            _add_switches(
                solver,
                number,
                budgets[p],
                [works.get((p, w)) for w in range(len(problem.weekends))],
            )
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
            costs += _count_cost(solver, number, on_day, wanted, under, over)
            for o in problem.options_on_day[d]:
                demand = problem.demand[(d, o)]
                costs += _count_cost(
                    solver, number, by_option[o], demand.people, demand.weight_under, 0
                )
    solver.Minimize(solver.Sum(costs))
    solver.SetTimeLimit(int(1000 * time_limit))
    if solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    targets: list[set[int]] = [set() for _p in people]
    for (p, w), var in works.items():
        if var.solution_value() > 0.5:
            targets[p].add(w)
    return targets


def _add_switches(solver: pywraplp.Solver, number, budget: int, works) -> None:
    """At most `budget` switches between a worked weekend and one off, from one weekend to the
    next, among `works` (p's variables by weekend, None where p cannot work it)."""
    if budget >= len(works) - 1:
        return
    switches = []
    for before, after in itertools.pairwise(works):
        if before is None and after is None:
            continue
        first = before if before is not None else 0
        second = after if after is not None else 0
        switch = number(0, 1, "")
        solver.Add(switch >= first - second)
        solver.Add(switch >= second - first)
        switches.append(switch)
    solver.Add(solver.Sum(switches) <= budget)


def switch_count(problem: StaffProblem, mine: set[int]) -> int:
    """Switches between worked and off weekends from one weekend to the next in `mine`."""
    return sum((w in mine) != (w + 1 in mine) for w in range(len(problem.weekends) - 1))


def switch_budgets(problem: StaffProblem) -> list[int | None]:
    """`switch_budget` of everyone where the horizon is long and the budget binds most
    people (their weekends come in stretches: Curtois 20 and 22), else None for everyone. A
    few such people (6 of 100 on Curtois 21) are left to the search, and the weekend model
    stays SCIP's. So are short horizons (16-18: 8-12 weekends), where the first plan is a few
    blocks and column generation prices whole rosters, switches and all: on 18, with the
    budgets, two runs ended at 4,966 and 5,082, three without at 4,566-4,681."""
    losses: dict = {}  # people with the same runs and rests lose the same per switch
    budgets = [switch_budget(problem, p, losses) for p in range(len(problem.people))]
    binding = sum(b is not None and b < len(problem.weekends) - 1 for b in budgets)
    long = len(problem.weekends) >= STRETCH_WEEKENDS
    return budgets if long and 2 * binding >= len(problem.people) else [None] * len(budgets)


def switch_budget(problem: StaffProblem, p: int, losses: dict | None = None) -> int | None:
    """How often p's weekends may switch between worked and off, from one weekend to the next,
    and p still reach their minimum minutes; None for no such limit.

    Runs at most `max_consecutive_days` long and days off at least `min_consecutive_days_off`
    long cost a day at each switch: a run that takes in a worked weekend ends days before the
    next weekend off begins, or starts days after the last one. On Curtois 22 (at most 5 days
    in a row, at least 2 off) a person may work 260 days with every weekend worked or every one
    off, 208 alternating; 40 of its 50 people must work 232 of the 237-242 days their days off
    leave them, so they can afford 5-10 switches in the year: their 26 weekends come in a few
    long stretches. A weekend plan blind to it gave them patterns no roster could follow, and
    the first plan left 441 of the plan's weekend days unworked."""
    rules = problem.rules[p]
    if not rules.min_minutes or not problem.weekends:
        return None
    allowed = {problem.option_shift[o] for row in problem.options[p] for o in row}
    longest = max((problem.minutes[s] for s in allowed), default=0)
    if not longest:
        return None
    needed = -(-rules.min_minutes // longest)
    spare = most_days(rules, [bool(row) for row in problem.options[p]]) - needed
    key = (rules.max_consecutive_days, rules.min_consecutive_days, rules.min_consecutive_days_off)
    losses = {} if losses is None else losses
    if key not in losses:
        losses[key] = _switch_loss(problem, rules)
    loss = losses[key]
    if loss <= 0:
        return None
    return max(0, int(spare / loss))


def _switch_loss(problem: StaffProblem, rules) -> float:
    """The days a switch between weekends worked and off costs someone with `rules`: every
    weekend off against every other one off, on the plain horizon."""
    anywhere = [True] * problem.days
    off, on = set(), set()
    for index, days in enumerate(problem.weekends):
        (on if index % 2 else off).update(days)
    steady = most_days(rules, anywhere, off=set().union(*problem.weekends))
    alternating = most_days(rules, anywhere, off=off, on=on)
    switches = len(problem.weekends) - 1
    return (steady - alternating) / switches if switches else 0.0


def _count_cost(solver: pywraplp.Solver, number, literals, wanted: int, under: int, over: int):
    """Cost terms: the shortfall of sum(literals) below `wanted` at `under` each, and (with
    `over`) its surplus at `over` each (variables made by `number`)."""
    if wanted <= 0 and not over:
        return []
    short = number(0, max(0, wanted), "")
    total = solver.Sum(literals) if literals else 0
    if not over:
        solver.Add(total + short >= wanted)
        return [under * short]
    surplus = number(0, len(literals), "")
    solver.Add(total + short - surplus == wanted)
    return [under * short, over * surplus]


def plan_weekend_shifts(
    problem: StaffProblem,
    weekends: list[set[int]],
    *,
    day_off_cost: int,
    seconds: float = SHIFT_SECONDS,
    workers: int = 2,
) -> dict[tuple[int, int], int]:
    """{(person, day): option}: which shift each person works on the days of their weekends,
    one model per weekend (everyone on it, each of its days one shift or a day off at
    `day_off_cost`; successions from Saturday to Sunday kept; cover, surplus and requests
    priced), weekends in order, each person's count of a shift type held to its share of their
    limit so far. (Solved one after the other with two CP-SAT workers each: with one worker
    each, in two threads, a second of CP-SAT found no answer for some of Curtois 24's late
    weekends, and 841 weekend person-shifts were left short instead of 242.)"""
    cells: dict[tuple[int, int], int] = {}
    used: dict[tuple[int, int], int] = defaultdict(int)  # (person, shift type): weekend days
    share = _weekend_share(problem)
    for w in range(len(problem.weekends)):
        people = [p for p in range(len(problem.people)) if w in weekends[p]]
        model = _WeekendShifts(problem, w, people, used, share, day_off_cost)
        for (p, d), o in model.solve(seconds, workers).items():
            cells[(p, d)] = o
            used[(p, problem.option_shift[o])] += 1
    return cells


def _weekend_share(problem: StaffProblem) -> float:
    """The share of the horizon's days that are weekend days."""
    return sum(len(days) for days in problem.weekends) / max(1, problem.days)


class _WeekendShifts:
    """The shift model of one weekend: who works which shift on each of its days."""

    def __init__(self, problem, w: int, people, used, share: float, day_off_cost: int):
        self.problem = problem
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.costs: list[tuple[cp_model.IntVar, int]] = []
        self.days = problem.weekends[w]
        self.reached = (w + 1) / max(1, len(problem.weekends))  # share of the weekends so far
        for p in people:
            self._add_person(p, used, share, day_off_cost)
        for d in self.days:
            for o in problem.options_on_day[d]:
                self._add_cover(d, o, people)
        self.model.minimize(sum(weight * var for var, weight in self.costs))

    def _add_person(self, p: int, used, share: float, day_off_cost: int) -> None:
        problem, model, x = self.problem, self.model, self.x
        by_type: dict[int, list] = defaultdict(list)
        for d in self.days:
            options = problem.options[p][d]
            if not options:
                continue
            for o in options:
                x[(p, d, o)] = model.new_bool_var("")
                by_type[problem.option_shift[o]].append(x[(p, d, o)])
            off = model.new_bool_var("")
            model.add_exactly_one([*(x[(p, d, o)] for o in options), off])
            self.costs.append((off, day_off_cost))
            for s, if_worked, if_not in problem.requests[p].get(d, ()):
                self.costs += [
                    (x[(p, d, o)], if_worked - if_not)
                    for o in options
                    if problem.option_shift[o] == s
                ]
        for s, n in problem.rules[p].max_shifts.items():
            literals = by_type.get(problem.shift_index[s], [])
            cap = max(
                0, int(n * share * self.reached) + 1 - used.get((p, problem.shift_index[s]), 0)
            )
            if len(literals) > cap:
                model.add(sum(literals) <= cap)
        if len(self.days) == 2:  # successions from Saturday to Sunday, one clique per group
            saturday, sunday = self.days
            for before, after in problem.succession_groups:
                first = [
                    x[(p, saturday, o)]
                    for o in problem.options[p][saturday]
                    if problem.option_shift[o] in before
                ]
                second = [
                    x[(p, sunday, o)]
                    for o in problem.options[p][sunday]
                    if problem.option_shift[o] in after
                ]
                if first and second:
                    model.add_at_most_one(first + second)
            for s, t, k in problem.conflicts:  # rest between the two days (several a day)
                if k == 1:
                    for o in problem.options[p][saturday]:
                        for u in problem.options[p][sunday]:
                            if (problem.option_shift[o], problem.option_shift[u]) == (s, t):
                                model.add_bool_or(
                                    [x[(p, saturday, o)].Not(), x[(p, sunday, u)].Not()]
                                )

    def _add_cover(self, d: int, o: int, people) -> None:
        demand = self.problem.demand[(d, o)]
        literals = [self.x[(p, d, o)] for p in people if (p, d, o) in self.x]
        short = self.model.new_int_var(0, demand.people, "")
        surplus = self.model.new_int_var(0, len(literals), "")
        self.model.add(sum(literals) + short - surplus == demand.people)
        self.costs.append((short, demand.weight_under))
        if demand.weight_over is None:
            self.model.add(surplus == 0)
        else:
            self.costs.append((surplus, demand.weight_over))

    def solve(self, seconds: float, workers: int) -> dict[tuple[int, int], int]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = workers
        if solver.solve(self.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return {}
        return {(p, d): o for (p, d, o), var in self.x.items() if solver.boolean_value(var)}


def exchange(
    problem: StaffProblem, weekends: list[set[int]], cells, *, deadline: float, budgets=None
) -> int:
    """Move people from one weekend to another while that lowers the weekends' cost (cover,
    surplus, leaders and skills, requests on weekend days), the best move first, until none
    pays or the deadline; `weekends` and `cells` change in place. The number of moves.

    The shift step plans each weekend with the people the first step gave it; where those
    cannot match its slots (shift types they may not work, successions from Saturday to
    Sunday), a slot stays short while another weekend has someone to spare who could fill it.
    On Curtois 23 the shift step leaves 156 weekend person-shifts short; moves like these
    bring it to 141 in about a second."""
    moves = _Exchange(problem, weekends, cells, budgets)
    count = 0
    while time.perf_counter() < deadline:
        move = moves.best()
        if move is None:
            break
        moves.apply(*move)
        count += 1
    return count


class _Exchange:
    """The weekend plan's counts, and the value of moving one person to another weekend."""

    def __init__(self, problem: StaffProblem, weekends: list[set[int]], cells, budgets=None):
        self.problem, self.weekends, self.cells = problem, weekends, cells
        self.assigned: dict[tuple[int, int], list[int]] = defaultdict(list)  # slot: people
        self.used: dict[tuple[int, int], int] = defaultdict(int)  # (person, shift type)
        for (p, d), o in cells.items():
            self.assigned[(d, o)].append(p)
            self.used[(p, problem.option_shift[o])] += 1
        share = _weekend_share(problem)  # each shift type's cap as the shift step's at the end
        self.cap = [
            {problem.shift_index[s]: int(n * share) + 1 for s, n in rules.max_shifts.items()}
            for rules in problem.rules
        ]
        self.locked: list[set[int]] = [set() for _p in problem.people]  # weekends not to leave
        for q, d in problem.locked:
            if problem.weekend_of[d] is not None:
                self.locked[q].add(problem.weekend_of[d])
        self._add: dict[tuple[int, int], tuple[int, dict[int, int] | None]] = {}
        self._remove: dict[tuple[int, int], int] = {}
        # Each person's switches between worked and off weekends, and how many they may have
        # (switch_budget): a move may not take them past it, or past what they had.
        self.switches = [switch_count(problem, mine) for mine in weekends]
        self.budget = [
            None if b is None else max(b, have)
            for b, have in zip(
                budgets if budgets is not None else switch_budgets(problem),
                self.switches,
                strict=True,
            )
        ]

    def _change(self, p: int, d: int, o: int, joins: bool) -> int:
        """The cost change of p joining (or leaving) slot (d, o): its cover, p's requests."""
        problem, workers = self.problem, self.assigned[(d, o)]
        after = [*workers, p] if joins else [q for q in workers if q != p]
        cover = problem.slot_cost(d, o, after) - problem.slot_cost(d, o, workers)
        worked, off = problem.cell_cost(p, d, (o,)), problem.cell_cost(p, d, ())
        return cover + (worked - off if joins else off - worked)

    def add_value(self, p: int, w: int) -> tuple[int, dict[int, int] | None]:
        """(cost change, {day: option}) of p working weekend w at the best shifts."""
        key = (p, w)
        if key not in self._add:
            self._add[key] = self._best_days(p, w)
        return self._add[key]

    def _best_days(self, p: int, w: int) -> tuple[int, dict[int, int] | None]:
        problem = self.problem
        shift, cap, used = problem.option_shift, self.cap[p], self.used
        room = {s: cap[s] - used[(p, s)] for s in cap}
        days = problem.weekends[w]
        choices = [
            [
                (self._change(p, d, o, True), o)
                for o in problem.options[p][d]
                if room.get(shift[o], 1) > 0
            ]
            for d in days
        ]
        if not all(choices):
            return FORBIDDEN, None
        if len(days) == 1:
            value, o = min(choices[0])
            return value, {days[0]: o}
        best: tuple[int, dict[int, int] | None] = (FORBIDDEN, None)
        saturday, sunday = days
        for first, o in choices[0]:
            after = problem.successors.get(shift[o], ())
            for second, u in choices[1]:
                s, t = shift[o], shift[u]
                if t in after or (s, t, 1) in problem.conflicts:
                    continue
                if s == t and room.get(s, 2) < 2:
                    continue
                if first + second < best[0]:
                    best = (first + second, {saturday: o, sunday: u})
        return best

    def remove_value(self, p: int, w: int) -> int:
        """The cost change of p no longer working weekend w."""
        key = (p, w)
        if key not in self._remove:
            value = 0
            for d in self.problem.weekends[w]:
                o = self.cells.get((p, d))
                if o is not None:
                    value += self._change(p, d, o, False)
            self._remove[key] = value
        return self._remove[key]

    def best(self) -> tuple[int, int | None, int, dict[int, int]] | None:
        """(person, weekend they leave or None, weekend they join, its shifts) that lowers the
        cost most, or None."""
        problem, found, gain = self.problem, None, 0
        for p in range(len(problem.people)):
            mine = self.weekends[p]
            limit = problem.rules[p].max_weekends
            leave = [(self.remove_value(p, w), w) for w in mine if w not in self.locked[p]]
            if limit is None or len(mine) < limit:
                leave.append((0, None))
            if not leave:
                continue
            leave.sort(key=lambda item: item[0])
            budget = self.budget[p]
            for w in range(len(problem.weekends)):
                if w in mine:
                    continue
                joined, days = self.add_value(p, w)
                if days is None:
                    continue
                for value, left in leave:  # the cheapest weekend to leave within p's switches
                    if value + joined >= gain:
                        break
                    if budget is None or self._switches_after(p, left, w) <= budget:
                        gain, found = value + joined, (p, left, w, days)
                        break
        return found

    def _switches_after(self, p: int, left: int | None, joined: int) -> int:
        """p's switches between worked and off weekends if p left `left` for `joined`."""
        mine = self.weekends[p]
        after = (mine - {left}) | {joined}
        count = self.switches[p]
        pairs = {(w + i, w + i + 1) for w in (left, joined) if w is not None for i in (-1, 0)}
        for a, b in pairs:
            if a >= 0 and b < len(self.problem.weekends):
                count += ((a in after) != (b in after)) - ((a in mine) != (b in mine))
        return count

    def apply(self, p: int, left: int | None, joined: int, days: dict[int, int]) -> None:
        """Move p from weekend `left` (None: a weekend to spare) to `joined`, at `days`."""
        shift = self.problem.option_shift
        for d in self.problem.weekends[left] if left is not None else ():
            o = self.cells.pop((p, d), None)
            if o is not None:
                self.assigned[(d, o)].remove(p)
                self.used[(p, shift[o])] -= 1
        for d, o in days.items():
            self.cells[(p, d)] = o
            self.assigned[(d, o)].append(p)
            self.used[(p, shift[o])] += 1
        self.switches[p] = self._switches_after(p, left, joined)
        if left is not None:
            self.weekends[p].discard(left)
        self.weekends[p].add(joined)
        changed = {left, joined}  # their counts changed; p's room for each shift type too
        self._add = {
            key: v for key, v in self._add.items() if key[0] != p and key[1] not in changed
        }
        self._remove = {key: v for key, v in self._remove.items() if key[1] not in changed}
