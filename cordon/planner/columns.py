"""Column generation for the whole staff: a strong lower bound, and a dive to a good roster.

A column is one person's whole roster. The master LP (GLOP) takes for each person a convex mix
of their columns and pays for cover (people, leaders, skills) slot by slot. Its duals price
the slots; the pricing problem of a person is their own roster model (staff_model.SubModel
without cover: every hard rule of that person) with those prices, solved by CP-SAT. Rostering
has a far stronger LP in this form than in the compact one (Curtois instance 5: 1140.6 against
835, optimum 1143), and the dive exploits it: fix the cells (what a person works on a day)
that the LP holds (nearly) whole and the likeliest others, generate columns around them with
the new duals, and repeat until every cell is fixed.

Every column keeps its person's hard rules, so any choice of one column per person is a valid
plan, except where a slot forbids surplus (the master LP keeps those exact).

It applies when every cost belongs to one person (requests, affinity) or one slot (cover):
not with the fairness or nights spread, and not in a repair.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections import defaultdict

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .staff import Roster, StaffProblem
from .staff_model import SubModel
from .threads import run_threads

SCALE = 1000  # pricing models see the duals rounded to 1/SCALE
EPSILON = 1e-6  # a column enters when its reduced cost is below -EPSILON
QUICK_PRICING_SECONDS = 0.05  # time limit of one pricing model while columns keep coming
PRICING_SECONDS = 1.0  # time limit of one pricing model to close the LP
COLUMNS_PER_PRICING = 3  # the best few rosters each pricing model found
WHOLE = 0.99  # the dive by cells fixes every cell the LP holds at this value or more
WHOLE_ROSTER = 0.95  # the dive by rosters fixes every roster the LP holds at this value or more
# A root still open after SMOOTH_AFTER_ROUNDS rounds prices at duals smoothed towards those of
# its best bound (weight SMOOTHING; Wentges). On Curtois 18 (84 days) the root runs out of its
# share after 184-190 rounds: runs at 300 s ended at 4,912, 5,196 and 5,203 without it, at
# 4,893, 4,814 and 5,077 with it (4,716 with 0.5 from the first round). Roots of 8 and 9 (22-48
# rounds) gained nothing from it (docs/benchmarks.md), so short roots go without.
SMOOTH_AFTER_ROUNDS = 60
SMOOTHING = 0.9
# A root past TAIL_AFTER_ROUNDS rounds stops when its LP fell by less than TAIL_GAIN (a share)
# over the last TAIL_ROUNDS rounds: the long tail of column generation gains little, and the
# dives (which price on) use the time better. On Curtois 18 (84 days) the LP was 4,469 after 60
# rounds (35 s), 4,457 after 90 and 4,433 when its share ended after 207 rounds (120 s); it now
# stops after 83-109 rounds. Shorter roots close first (8: 35-48 rounds, 9: 22, 17: 39).
TAIL_AFTER_ROUNDS, TAIL_ROUNDS, TAIL_GAIN = 60, 30, 0.005
DIVE_ITERATIONS = 3  # rounds of pricing between two fixing steps of the dive
# A pricing model that finds no roster counts as unpriced (lns.py may then leave column
# generation out) only after this much of CP-SAT's deterministic time, a measure of work that
# does not depend on the machine's speed: on Curtois 20 such models stopped at 0.012-0.034
# after their 0.05 s; with 0.015 s, as on a machine three times slower, those of 13, 15, 18
# and 19 stopped at 0.003-0.008, which says nothing about how hard their rosters are to find.
UNPRICED_WORK = 0.01


def applies(problem: StaffProblem) -> bool:
    return not problem.spread_terms and not problem.scenario.is_repair


class _Pricing:
    """One person's roster model, solved again with each new set of slot prices."""

    def __init__(self, problem: StaffProblem, p: int):
        self.p = p
        self.problem = problem
        self.sub = SubModel(problem, Roster(problem), [p], 0, problem.days - 1, cover=False)
        self.x = list(self.sub.x.items())
        self.work = 0.0  # CP-SAT's deterministic time in the last solve

    def fix(self, d: int, options: tuple) -> None:
        """From now on the person works exactly `options` on day d (the dive fixed it)."""
        self.sub.fix_cell(self.p, d, options)

    def solve(self, duals, time_limit: float, seed: int):
        """(lower bound of the best reduced cost, rows): the best few of the person's rosters
        (options by day) found."""
        problem, sub = self.problem, self.sub
        literals = [lit for lit, _c in sub.costs]
        coefficients = [SCALE * c for _l, c in sub.costs]
        for (_p, d, o), var in self.x:
            price = duals.slot_price(self.p, d, o)
            if price:
                literals.append(var)
                coefficients.append(round(-SCALE * price))
        sub.model.minimize(cp_model.LinearExpr.weighted_sum(literals, coefficients))
        found: list[dict[int, list[int]]] = []
        x = self.x

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                row: dict[int, list[int]] = {}
                for (_p, d, o), var in x:
                    if self.boolean_value(var):
                        row.setdefault(d, []).append(o)
                found.append(row)

        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.linearization_level = 2
        solver.parameters.symmetry_level = 0
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.max_presolve_iterations = 1
        status = solver.solve(sub.model, Collect())
        self.work = solver.deterministic_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, []
        slack = 0.5 * len(literals)  # rounding of the prices, at most half a unit each
        bound = (
            (solver.best_objective_bound - slack) / SCALE + sub.constant - duals.convexity[self.p]
        )
        rows = [
            tuple(tuple(sorted(cells.get(d, ()))) for d in range(problem.days))
            for cells in found[-COLUMNS_PER_PRICING:]
        ]
        return bound, rows


class _Duals:
    """Duals of the master LP, as prices of a person working a slot."""

    def __init__(self, master: ColumnGeneration):
        self.problem = master.problem
        self.cover = {key: row.dual_value() for key, row in master.cover_rows.items()}
        self.leaders = {key: row.dual_value() for key, row in master.leader_rows.items()}
        self.skills = {key: row.dual_value() for key, row in master.skill_rows.items()}
        self.convexity = [row.dual_value() for row in master.convexity]
        self.wanted = master.wanted

    def mixed(self, center: _Duals, alpha: float) -> _Duals:
        """alpha x `center` + (1 - alpha) x these duals: still feasible for the dual LP (a
        convex mix of feasible points), so its pricing bounds still give a Lagrangian bound."""
        mix = copy.copy(self)
        for name in ("cover", "leaders", "skills"):
            mine, theirs = getattr(self, name), getattr(center, name)
            mixed = {k: alpha * theirs.get(k, 0.0) + (1 - alpha) * v for k, v in mine.items()}
            setattr(mix, name, mixed)
        pairs = zip(center.convexity, self.convexity, strict=True)
        mix.convexity = [alpha * c + (1 - alpha) * v for c, v in pairs]
        return mix

    def value(self) -> float:
        """The rows' right-hand sides priced: the LP's value (plus the pricing bounds: a
        Lagrangian bound)."""
        total = sum(self.convexity)
        for name in ("cover", "leaders", "skills"):
            prices, wanted = getattr(self, name), self.wanted[name]
            total += sum(price * wanted[key] for key, price in prices.items())
        return total

    def slot_price(self, p: int, d: int, o: int) -> float:
        price = self.cover.get((d, o), 0.0)
        person = self.problem.people[p]
        if person.leader:
            price += self.leaders.get((d, o), 0.0)
        for skill in person.skills:
            price += self.skills.get((d, o, skill), 0.0)
        return price

    def reduced_cost(self, p: int, row, cost: int) -> float:
        paid = sum(self.slot_price(p, d, o) for d, options in enumerate(row) for o in options)
        return cost - paid - self.convexity[p]


class ColumnGeneration:
    """The master LP over the columns found so far, pricing, and the dive."""

    def __init__(self, problem: StaffProblem, roster: Roster, *, workers: int, log):
        self.problem = problem
        self.workers = max(1, workers)
        self.log = log
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.objective = self.lp.Objective()
        self.objective.SetMinimization()
        self.columns: list[list[tuple]] = [[] for _ in problem.people]  # (row, cost, variable)
        self.seen: set[tuple[int, tuple]] = set()
        self.pricing: dict[int, _Pricing] = {}
        self.build_seconds = 0.0  # spent building pricing models (once per person)
        self.bound: float | None = None
        self.center: _Duals | None = None  # the duals of the best bound: smoothing's centre
        self.iterations = 0
        self.lp_values: list[float] = []  # the root's LP, round by round
        # In the last round: people priced, and those of them whose pricing found no roster
        # after UNPRICED_WORK or more.
        self.priced = self.unpriced = 0
        self.fixed: list[dict[int, tuple]] = [{} for _ in problem.people]  # the dive's cells
        self._add_rows()
        for p, row in enumerate(roster.cells):
            self.add_column(p, tuple(row))

    def _add_rows(self) -> None:
        lp, problem = self.lp, self.problem
        infinity = lp.infinity()
        self.convexity = [lp.Constraint(1, 1) for _ in problem.people]
        self.cover_rows, self.leader_rows, self.skill_rows = {}, {}, {}
        self.wanted = {"cover": {}, "leaders": {}, "skills": {}}
        for (d, o), demand in problem.demand.items():
            row = self.cover_rows[(d, o)] = lp.Constraint(demand.people, demand.people)
            self.wanted["cover"][(d, o)] = demand.people
            under = lp.NumVar(0, infinity, "")
            row.SetCoefficient(under, 1)
            self.objective.SetCoefficient(under, demand.weight_under)
            if demand.weight_over is not None:
                over = lp.NumVar(0, infinity, "")
                row.SetCoefficient(over, -1)
                self.objective.SetCoefficient(over, demand.weight_over)
            wanted = [((d, o), demand.leaders, "leaders")] if demand.leaders else []
            wanted += [((d, o, s), n, "skills") for s, n in demand.skills.items()]
            for key, count, name in wanted:
                rows = self.leader_rows if name == "leaders" else self.skill_rows
                rows[key] = lp.Constraint(count, infinity)
                self.wanted[name][key] = count
                missing = lp.NumVar(0, infinity, "")
                rows[key].SetCoefficient(missing, 1)
                self.objective.SetCoefficient(missing, demand.weight_under)

    def add_column(self, p: int, row: tuple) -> bool:
        """Add person p's roster `row` (options by day) unless it is known already."""
        if (p, row) in self.seen:
            return False
        self.seen.add((p, row))
        problem = self.problem
        person = problem.people[p]
        cost = problem.person_cost(p, row)
        variable = self.lp.NumVar(0, self.lp.infinity(), "")
        self.convexity[p].SetCoefficient(variable, 1)
        self.objective.SetCoefficient(variable, cost)
        for d, options in enumerate(row):
            for o in options:
                self.cover_rows[(d, o)].SetCoefficient(variable, 1)
                if person.leader and (d, o) in self.leader_rows:
                    self.leader_rows[(d, o)].SetCoefficient(variable, 1)
                for skill in person.skills:
                    if (d, o, skill) in self.skill_rows:
                        self.skill_rows[(d, o, skill)].SetCoefficient(variable, 1)
        if not _agrees(row, self.fixed[p]):
            variable.SetBounds(0, 0)
        self.columns[p].append((row, cost, variable))
        return True

    # ---- generation ----------------------------------------------------------------------------

    def solve_lp(self) -> bool:
        return self.lp.Solve() == pywraplp.Solver.OPTIMAL

    def iterate(
        self, people, deadline: float, limit: float = QUICK_PRICING_SECONDS, smooth: float = 0.0
    ) -> int | None:
        """One round: solve the LP, price `people`; the number of columns added (None when
        the LP fails). Pricing everyone, it updates the Lagrangian lower bound.

        With `smooth` > 0 the pricing sees the LP's duals mixed with those of the best bound so
        far (Wentges' smoothing: the LP's duals swing from round to round, and rosters priced
        at them are often of no use a round later); a column enters only when its reduced cost
        at the LP's own duals is negative."""
        self.priced = self.unpriced = 0
        if not self.solve_lp():
            return None
        self.iterations += 1
        if not any(self.fixed):
            self.lp_values.append(self.objective.Value())
        duals = _Duals(self)
        priced = duals.mixed(self.center, smooth) if smooth and self.center else duals
        results = self._price(people, priced, deadline, limit)
        added = 0
        for p, _bound, rows in results:
            for row in rows:
                reduced = duals.reduced_cost(p, row, self.problem.person_cost(p, row))
                if reduced < -EPSILON:
                    added += self.add_column(p, row)
        bounds = [bound for _p, bound, _r in results if bound is not None]
        unpriced = [
            p for p, bound, _r in results if bound is None and self.pricing[p].work >= UNPRICED_WORK
        ]
        self.priced, self.unpriced = len(results), len(unpriced)
        if len(bounds) < len(self.problem.people):
            self.center = priced  # no bound this round: smooth over the rounds instead
        elif not any(self.fixed):
            lagrange = priced.value() + sum(min(0.0, bound) for bound in bounds)
            if self.bound is None or lagrange > self.bound:
                self.bound, self.center = lagrange, priced
        return added

    def _price(self, people, duals: _Duals, deadline: float, limit: float) -> list[tuple]:
        """[(person, bound of their best reduced cost, rows)], `workers` models at a time."""
        queue = list(people)
        results: list[tuple] = []
        lock = threading.Lock()

        def work(seed: int) -> None:
            while time.perf_counter() < deadline:
                with lock:
                    if not queue:
                        return
                    p = queue.pop(0)
                pricing = self.pricing.get(p)
                if pricing is None:
                    built = time.perf_counter()
                    pricing = self.pricing[p] = _Pricing(self.problem, p)
                    for d, options in self.fixed[p].items():
                        pricing.fix(d, options)
                    with lock:
                        self.build_seconds += time.perf_counter() - built
                bound, rows = pricing.solve(duals, min(limit, deadline - time.perf_counter()), seed)
                with lock:
                    results.append((p, bound, rows))

        run_threads(work, self.workers, stop=queue.clear)
        return results

    def root(self, deadline: float) -> None:
        """Price everyone until no column enters (the LP optimum over all rosters), its LP
        tails off (_tailing_off) or the deadline. After SMOOTH_AFTER_ROUNDS rounds pricing sees
        smoothed duals while columns come; a round that finds none at them is priced again at
        the LP's own duals, and only that closes the root."""
        everyone = range(len(self.problem.people))
        limit, smooth = QUICK_PRICING_SECONDS, 0.0
        while time.perf_counter() < deadline and not self._tailing_off():
            added = self.iterate(everyone, deadline, limit, smooth)
            if added is None:
                break
            if added:
                limit = QUICK_PRICING_SECONDS
                smooth = SMOOTHING if self.iterations >= SMOOTH_AFTER_ROUNDS else 0.0
            elif smooth and self.center is not None:
                smooth = 0.0  # nothing at the smoothed duals: price at the LP's own
            elif limit == PRICING_SECONDS:
                break
            else:
                limit = PRICING_SECONDS  # closing: price exactly
        self.solve_lp()
        self.log(
            f"column generation: {self.iterations} rounds, "
            f"{sum(len(c) for c in self.columns)} columns, LP {self.objective.Value():.1f}, "
            f"lower bound {self.bound if self.bound is not None else 'n/a'}"
        )

    def _tailing_off(self) -> bool:
        """Whether the root's LP fell by less than TAIL_GAIN over its last TAIL_ROUNDS rounds
        (it is not closed: the dives carry on pricing from here)."""
        values = self.lp_values
        if len(values) <= max(TAIL_AFTER_ROUNDS, TAIL_ROUNDS):
            return False
        before, now = values[-1 - TAIL_ROUNDS], values[-1]
        return before - now < TAIL_GAIN * abs(before)

    # ---- the dive ------------------------------------------------------------------------------

    def open_choices(self) -> int:
        """The choices (person, day, option) left open by the dive's fixed cells."""
        options = self.problem.options
        return sum(
            len(options[p][d])
            for p, fixed in enumerate(self.fixed)
            for d in range(self.problem.days)
            if d not in fixed
        )

    def dive(self, deadline: float, *, by: str, finish: int = 0) -> list[tuple] | None:
        """One roster per person: each step fixes part of the plan, a share that ends the dive
        by the deadline, and pricing then finds the best rosters around what is fixed.

        - `by="rosters"`: whole rosters, those of the people whose largest LP roster is
          (nearly) whole first, else the largest.
        - `by="cells"` (what a person works on a day): every cell the LP holds (nearly) whole
          and the likeliest of the others. A person's other days stay free to adapt. It stops
          early when `finish` choices or fewer are left open (the caller finishes those with
          CP-SAT).

        Neither wins everywhere (Curtois at 60 s, dive alone: on 12 cells 4,146 against rosters
        5,189, LP 4,040; on 8 rosters 1,303-1,608 against cells 1,607, LP 1,297): the search
        dives by cells first, and by rosters when its rounds stop paying. Returns the rosters
        by person (the largest in the LP that agree with the fixed cells), or None when the LP
        fails on the way.
        """
        people, days = len(self.problem.people), self.problem.days
        started, steps = time.perf_counter(), 0
        while time.perf_counter() < deadline:
            free = [p for p in range(people) if len(self.fixed[p]) < days]
            if not free:
                break
            for _ in range(DIVE_ITERATIONS if steps else 0):
                added = self.iterate(free, deadline)
                if added is None:
                    return None
                if not added:
                    break
            if not self.solve_lp():
                return None
            if by == "cells" and steps and self.open_choices() <= finish:
                break
            steps += 1
            step = (time.perf_counter() - started) / steps
            steps_left = max(1.0, (deadline - time.perf_counter()) / step)
            if by == "cells":
                cells = [cell for p in free for cell in self._likeliest_cells(p)]
                open_cells = sum(days - len(self.fixed[p]) for p in free)
                self._fix_cells(cells, math.ceil(open_cells / steps_left))
            else:
                self._fix_rosters(free, math.ceil(len(free) / steps_left))
        if not self.solve_lp():
            return None
        return [self.columns[p][self._largest(p)][0] for p in range(people)]

    def undo_dive(self) -> None:
        """Free every fixed cell again (pricing models are built anew when needed)."""
        if any(self.fixed):
            self.fixed = [{} for _ in self.problem.people]
            self.pricing.clear()
            for columns in self.columns:
                for _row, _cost, variable in columns:
                    variable.SetBounds(0, self.lp.infinity())

    def _fix_rosters(self, free: list[int], count: int) -> None:
        """Fix the largest LP roster of the free people whose one is (nearly) whole, and of at
        least `count` people (the largest first)."""
        largest = {p: self.columns[p][self._largest(p)] for p in free}
        ranked = sorted(free, key=lambda p: -largest[p][2].solution_value())
        whole = [p for p in ranked if largest[p][2].solution_value() >= WHOLE_ROSTER]
        chosen = whole if len(whole) >= count else ranked[: max(1, count)]
        cells = [
            (1.0, p, d, largest[p][0][d])
            for p in chosen
            for d in range(self.problem.days)
            if d not in self.fixed[p]
        ]
        self._fix_cells(cells, len(cells))

    def _likeliest_cells(self, p: int) -> list[tuple[float, int, int, tuple]]:
        """(LP value, p, day, options) of each open day of p: what p most likely works then."""
        fixed = self.fixed[p]
        values: dict[tuple[int, tuple], float] = defaultdict(float)
        for row, _cost, variable in self.columns[p]:
            value = variable.solution_value()
            if value > EPSILON:
                for d, options in enumerate(row):
                    if d not in fixed:
                        values[(d, options)] += value
        best: dict[int, tuple[float, tuple]] = {}
        for (d, options), value in values.items():
            if d not in best or value > best[d][0]:
                best[d] = (value, options)
        return [(value, p, d, options) for d, (value, options) in best.items()]

    def _fix_cells(self, cells, count: int) -> None:
        """Fix the cells the LP holds whole, and more by value until `count`; a cell is skipped
        when no known roster of its person agrees with it and the cells fixed before (so the
        LP keeps a roster for everyone)."""
        touched = set()
        taken = 0
        for value, p, d, options in sorted(cells, key=lambda cell: -cell[0]):
            if taken >= count and value < WHOLE:
                break
            trial = {**self.fixed[p], d: options}
            if not any(_agrees(row, trial) for row, _c, _v in self.columns[p]):
                continue
            self.fixed[p][d] = options
            touched.add(p)
            taken += 1
            if p in self.pricing:
                self.pricing[p].fix(d, options)
        for p in touched:
            for row, _cost, variable in self.columns[p]:
                if not _agrees(row, self.fixed[p]):
                    variable.SetBounds(0, 0)

    def _largest(self, p: int) -> int:
        """p's roster with the largest LP value among those that agree with the fixed cells."""
        fitting = [
            (variable.solution_value(), -cost, i)
            for i, (row, cost, variable) in enumerate(self.columns[p])
            if _agrees(row, self.fixed[p])
        ]
        return max(fitting)[2]


def _agrees(row, fixed: dict[int, tuple]) -> bool:
    return all(row[d] == options for d, options in fixed.items())
