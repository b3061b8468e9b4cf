"""One neighbourhood of the whole-staff problem as a small CP-SAT model.

A neighbourhood frees some people on a window of days (`first`..`last`), or on a few windows
(`windows`: a weekend and a day far from it); every other cell keeps its current value and
enters the model as a constant. So the model holds variables for the free
cells only, and each rule only where it can touch them: the runs and 7-day windows around the
window, the totals and weekends with the rest of the person's roster as a constant, cover of
the slots the free people may work with everyone else's count as a constant. The whole problem
is the neighbourhood of everyone over the whole horizon.

Variables (named only with `named=True`, for reading a model while debugging: models are built
by the thousand, and names cost a quarter of the build time of a search round):
- `x[A,2024-01-03,D@WARD]`: person A works shift D on that date at post WARD;
- `work[A,2024-01-03,D]` (only with several posts for one shift), `on[A,2024-01-03]`;
- `under[...]`, `over[...]`, `missing_leaders[...]`, `missing_skill[...]` per slot,
  `weekend[A,w3]`, `single[A,w3]`, `bubble[A,Z1]`, `most[...]`, `fewest[...]`, `away[A]`.

The objective is the neighbourhood's part of the plan's objective (StaffProblem.local_cost),
so the change of the whole objective is the change of the model's; except with
`single_weekend_cost` (the first plan only, lns.py), which adds that charge for each weekend
a person works on one day only; and with `fewer_single_weekends` (the search's rounds on dense
rosters, lns.dense_weekends), which breaks ties between rosters of the same cost towards fewer
one-day weekends: the model's objective is then the cost times `scale` plus their count, and
`solve` returns the cost.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model
from ortools.util.python.sorted_interval_list import Domain

from .cpmodel import add_one_group_only
from .staff import Roster, StaffProblem

Literal = cp_model.IntVar
BOOLEAN = Domain(0, 1)


def _new_bool(model: cp_model.CpModel) -> Literal:
    """An unnamed 0-1 variable (model.new_bool_var without the name: 4 times faster)."""
    return cp_model.IntVar(model.proto).with_domain(BOOLEAN)


def _new_int(model: cp_model.CpModel, low: int, high: int) -> Literal:
    return cp_model.IntVar(model.proto).with_domain(Domain(low, high))


def _set_objective(model: cp_model.CpModel, costs, constant: int) -> None:
    """Minimise constant + the sum of weight x literal over `costs` [(literal, weight)],
    written straight into the model (model.minimize on a weighted sum takes 5ms a round): a
    term on a negated literal becomes weight - weight x literal, repeated ones are merged."""
    merged: dict[int, int] = {}
    for literal, weight in costs:
        index = literal.index
        if index < 0:
            index = -index - 1
            constant += weight
            weight = -weight
        merged[index] = merged.get(index, 0) + weight
    objective = model.proto.objective
    objective.vars.extend(list(merged))
    objective.coeffs.extend(list(merged.values()))
    objective.offset = constant


def _clause(model: cp_model.CpModel, literals) -> None:
    """At least one of `literals` (model literals, or True/False for fixed cells)."""
    kept = []
    for literal in literals:
        if literal is True:
            return
        if literal is not False:
            kept.append(literal)
    model.add_bool_or(kept)  # an empty clause makes the model infeasible, as it should


def _sum(literals):
    """The sum of model literals (LinearExpr.sum: much faster than Python's sum)."""
    return cp_model.LinearExpr.sum(literals)


def _not(literal):
    return (not literal) if isinstance(literal, bool) else literal.Not()


def _at_most_one(model: cp_model.CpModel, literals) -> None:
    kept = [lit for lit in literals if lit is not False]
    fixed = sum(1 for lit in kept if lit is True)
    free = [lit for lit in kept if lit is not True]
    if fixed > 1:
        model.add_bool_or([])
    elif fixed == 1:
        for literal in free:
            model.add(literal == 0)
    elif len(free) > 1:
        model.add_at_most_one(free)


class SubModel:
    """The CP-SAT model of `people` (indices) re-planned on days `first`..`last`.

    With `prorate` (a first plan built window by window, the days after `last` still empty),
    the horizon's totals hold pro rata up to `last`, with a little slack (`loose`: the maxima
    only); the window that reaches the last day holds them exactly. With `backward` as well,
    the plan goes from the last day back: the days before `first` are the empty ones, and the
    window that reaches the first day holds the totals exactly. Without `cover` the model
    leaves cover out (column generation prices it instead). With `keep_days_off` the free
    people keep their worked and free days and only change which shifts (and posts) they work:
    the runs are constants then, and the model stays small for many people.
    """

    def __init__(
        self,
        problem: StaffProblem,
        roster: Roster,
        people,
        first: int,
        last: int,
        *,
        prorate: bool = False,
        backward: bool = False,
        loose: bool = False,
        cover: bool = True,
        keep_days_off: bool = False,
        single_weekend_cost: int = 0,
        fewer_single_weekends: bool = False,
        weekend_plan=None,
        windows=None,
        named: bool = False,
    ):
        self.problem = problem
        self.named = named
        self.single_weekend_cost = single_weekend_cost
        self.fewer_single_weekends = fewer_single_weekends
        self._ties: list[tuple[Literal, int]] = []  # the tie-break's terms, see _add_tie_break
        self._tie_count = 0
        self.scale = 1  # the objective's unit of cost (see _add_tie_break)
        self.weekend_plan = weekend_plan
        self.keep_days_off = keep_days_off
        self.backward = backward
        self.prorate = prorate and (first > 0 if backward else last < problem.days - 1)
        self.loose = loose
        self.roster = roster
        self.people = sorted(people)
        self.free = set(self.people)
        self.first = max(first, problem.freeze)
        self.last = min(last, problem.days - 1)
        self.windows = _merged(windows or [(first, last)], problem.freeze, problem.days - 1)
        if self.windows:
            self.first, self.last = self.windows[0][0], self.windows[-1][1]
        self.free_days = [d for start, end in self.windows for d in range(start, end + 1)]
        self._gaps = set(self.free_days) if len(self.windows) > 1 else None
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int, int], Literal] = {}
        self.slot_literals: dict[tuple[int, int], list[tuple[int, Literal]]] = defaultdict(list)
        self._work: dict[tuple[int, int, int], Literal] = {}
        self._on: dict[tuple[int, int], Literal] = {}
        self._day_shifts: dict[tuple[int, int], list[tuple[int, Literal]]] = {}
        self.costs: list[tuple[Literal, int]] = []
        self.constant = 0
        if self.first <= self.last:
            for p in self.people:
                self._add_person(p)
        self.slots = self._touched_slots() if cover else []
        self.posts = problem.spread_posts(self.people, self.free_days)
        self._add_cover()
        for p in self.people:
            self._add_cell_costs(p)
        if self.posts:
            self._add_spreads()
        if problem.weight["affinity"]:
            self._add_affinity()
        if named:
            self._name_variables()
        if self._tie_count:
            self._add_tie_break()
        _set_objective(self.model, self.costs, self.constant)

    # ---- literals, fixed outside the neighbourhood ---------------------------------------------

    def _is_free(self, p: int, d: int) -> bool:
        return (
            p in self.free
            and self.first <= d <= self.last
            and (self._gaps is None or d in self._gaps)
        )

    def _around(self, before: int, after: int, low: int, high: int):
        """The days from `before` days ahead of each window to `after` days past it, within
        low..high: where a rule over several days can touch a free cell."""
        if self._gaps is None:
            return range(max(low, self.first - before), min(high, self.last + after) + 1)
        days = set()
        for first, last in self.windows:
            days.update(range(max(low, first - before), min(high, last + after) + 1))
        return sorted(days)

    def work(self, p: int, d: int, s: int):
        """'p works shift s on day d': a literal inside the neighbourhood, else True/False."""
        if self._is_free(p, d):
            return self._work.get((p, d, s), False)
        return s in self.roster.shifts_on(p, d)

    def on(self, p: int, d: int):
        """'p works on day d': a literal inside the neighbourhood, else True/False."""
        if self._is_free(p, d):
            return self._on.get((p, d), False)
        return bool(self.roster.cells[p][d])

    def _day_minutes(self, p: int, d: int) -> tuple[list[tuple[Literal, int]], int]:
        """(free literals with their minutes, fixed minutes) of person p on day d."""
        minutes = self.problem.minutes
        if self._is_free(p, d):
            return [(lit, minutes[s]) for s, lit in self._day_shifts.get((p, d), ())], 0
        return [], sum(minutes[self.problem.option_shift[o]] for o in self.roster.cells[p][d])

    # ---- variables -----------------------------------------------------------------------------

    def _variable(self, low: int, high: int, name_of, *key) -> Literal:
        """A new variable; `name_of(*key)` gives its name when the model is named."""
        var = _new_bool(self.model) if (low, high) == (0, 1) else _new_int(self.model, low, high)
        if self.named:
            var.with_name(name_of(*key))
        return var

    def _person_name(self, kind: str, p: int, weekend: int) -> str:
        return f"{kind}[{self.problem.people[p].id},w{weekend}]"

    def _slot_variable_name(self, kind: str, d: int, o: int, skill: str | None = None) -> str:
        suffix = f",{skill}" if skill else ""
        return f"{kind}[{self._slot_name(d, o)}{suffix}]"

    def _name_variables(self) -> None:
        """Readable names of the cell variables (as in OR-Tools' shift_scheduling_sat.py):
        `x[A,2024-01-03,D@WARD]`, `work[A,2024-01-03,D]`, `on[A,2024-01-03]`."""
        problem = self.problem
        named: set[int] = set()

        def name(var, text: str) -> None:
            if not isinstance(var, bool) and var.index not in named:
                named.add(var.index)
                var.with_name(text)

        for (p, d, o), var in self.x.items():
            name(var, f"x[{problem.people[p].id},{problem.dates[d]},{problem.option_label[o]}]")
        for (p, d, s), var in self._work.items():
            shift = problem.shift_types[s].id
            name(var, f"work[{problem.people[p].id},{problem.dates[d]},{shift}]")
        for (p, d), var in self._on.items():
            name(var, f"on[{problem.people[p].id},{problem.dates[d]}]")

    def _add_person(self, p: int) -> None:
        problem, model, proto = self.problem, self.model, self.model.proto
        allowed = self._allowed_bubbles(p)
        option_shift, option_bubble = problem.option_shift, problem.option_bubble
        x, slot_literals, cells = self.x, self.slot_literals, self.roster.cells[p]
        for d in self.free_days:
            if self.keep_days_off and not cells[d]:
                continue
            locked = problem.locked.get((p, d), ())
            by_shift: dict[int, list[Literal]] = {}
            for o in problem.options[p][d]:
                if allowed is not None and option_bubble[o] not in allowed and o not in locked:
                    continue
                var = cp_model.IntVar(proto).with_domain(BOOLEAN)  # _new_bool, inlined
                if locked and o in locked:
                    model.add(var == 1)
                x[(p, d, o)] = var
                slot_literals[(d, o)].append((p, var))
                s = option_shift[o]
                if s in by_shift:
                    by_shift[s].append(var)
                else:
                    by_shift[s] = [var]
            if not by_shift:
                continue
            shifts = []
            for s, literals in by_shift.items():
                if len(literals) == 1:
                    work = literals[0]
                else:
                    work = _new_bool(model)
                    model.add(_sum(literals) == work)
                self._work[(p, d, s)] = work
                shifts.append((s, work))
            self._day_shifts[(p, d)] = shifts
            self._on[(p, d)] = self._worked_day(p, d, [w for _s, w in shifts])
        self._add_bubbles(p, allowed)
        self._add_rules(p)

    def _worked_day(self, p: int, d: int, works: list[Literal]) -> Literal | bool:
        """'p works on day d', tied to the day's shift literals `works` and their cap; True
        where the neighbourhood keeps days off (one of them is worked)."""
        problem, model = self.problem, self.model
        limit = problem.scenario.rules.max_shifts_per_day
        if self.keep_days_off:
            model.add_bool_or(works)
            if limit is not None and len(works) > limit:
                model.add(_sum(works) <= limit)
            return True
        if len(works) == 1:
            return works[0]
        on = _new_bool(model)
        if problem.one_a_day:
            model.add(_sum(works) == on)
            return on
        for work in works:
            model.add_implication(work, on)
        model.add_bool_or([*works, on.Not()])
        if limit is not None and len(works) > limit:
            model.add(_sum(works) <= limit)
        return on

    def _allowed_bubbles(self, p: int):
        """The bubbles p may work in: None for any; p's bubble when fixed cells pin it."""
        problem = self.problem
        if not problem.has_bubbles:
            return None
        pinned = {
            problem.option_bubble[o]
            for d, options in enumerate(self.roster.cells[p])
            if not self._is_free(p, d)
            for o in options
        } | {
            problem.option_bubble[o]
            for (q, _d), opts in problem.locked.items()
            if q == p
            for o in opts
        }
        pinned.discard(None)
        return None if not pinned else {None, *pinned}

    def _add_bubbles(self, p: int, allowed) -> None:
        """A person works at posts of one bubble only (posts without a bubble are free)."""
        if allowed is not None or not self.problem.has_bubbles:
            return  # pinned to one already, or no post has a bubble
        by_bubble: dict[str, list[Literal]] = defaultdict(list)
        for (q, _d, o), var in self.x.items():
            bubble = self.problem.option_bubble[o]
            if q == p and bubble is not None:
                by_bubble[bubble].append(var)
        person = self.problem.people[p].id
        add_one_group_only(self.model, by_bubble, lambda bubble: f"bubble[{person},{bubble}]")

    # ---- hard rules around the neighbourhood ---------------------------------------------------

    def _add_rules(self, p: int) -> None:
        rules = self.problem.rules[p]
        self._add_rest(p)
        # The run rules look at most this many days past the free ones.
        reach = 1 + max(
            (rules.max_consecutive_days or 0) + (rules.min_consecutive_days_off or 1),
            rules.min_consecutive_days or 0,
        )
        on, off = self._days_on(p, reach)
        if rules.max_consecutive_days is not None:
            self._add_max_run(p, rules.max_consecutive_days, on, off)
        if rules.min_consecutive_days and rules.min_consecutive_days > 1:
            self._add_min_run(p, rules.min_consecutive_days, on, off, worked=True)
        if rules.min_consecutive_days_off and rules.min_consecutive_days_off > 1:
            self._add_min_run(p, rules.min_consecutive_days_off, on, off, worked=False)
        if rules.max_minutes_per_7_days is not None:
            self._add_seven_days(p, rules.max_minutes_per_7_days)
        self._add_totals(p)
        if rules.max_weekends is not None:
            self._add_weekends(p, rules.max_weekends)

    def _add_rest(self, p: int) -> None:
        """Forbidden successions (one clique per group of shifts and day) and rest conflicts."""
        problem, model = self.problem, self.model
        days = problem.days
        if problem.succession_groups:
            previous, tomorrow = None, {}
            for d in self._around(1, 0, 0, days - 2):
                today = tomorrow if previous == d - 1 else self._shifts_of(p, d)
                previous, tomorrow = d, self._shifts_of(p, d + 1)
                if not today or not tomorrow:
                    continue
                for before, after in problem.succession_groups:
                    literals = [today[s] for s in before if s in today]
                    if literals:
                        literals += [tomorrow[t] for t in after if t in tomorrow]
                        _at_most_one(model, literals)
        for s, t, k in problem.conflicts:
            for d in self._around(k, 0, 0, days - 1 - k):
                a, b = self.work(p, d, s), self.work(p, d + k, t)
                if a is not False and b is not False:
                    _clause(model, [_not(a), _not(b)])

    def _shifts_of(self, p: int, d: int) -> dict[int, Literal | bool]:
        """The shifts p may work on day d: {shift: literal} inside the neighbourhood, else
        {shift: True} for those worked."""
        if self._is_free(p, d):
            return dict(self._day_shifts.get((p, d), ()))
        option_shift = self.problem.option_shift
        return {option_shift[o]: True for o in self.roster.cells[p][d]}

    def _days_on(self, p: int, reach: int) -> tuple[dict, dict]:
        """'p works on day d' (self.on) and its negation, for every day within `reach` of the
        free days: the run rules read each day many times."""
        on = {d: self.on(p, d) for d in self._around(reach, reach, 0, self.problem.days - 1)}
        return on, {d: _not(value) for d, value in on.items()}

    def _add_max_run(self, p: int, limit: int, on: dict, off: dict) -> None:
        """Every limit + 1 consecutive days hold a day off; and, with a minimum run of days
        off m > 1, every limit + m consecutive days hold at most `limit` worked days (a sixth
        worked day in 5 + 2 days would need a run of 6 or a break of 1 day). The second is
        implied by the rules but not by their clauses' LP relaxation: with it CP-SAT finds a
        year-long roster of Curtois instance 22 in a second instead of none in five.
        `on` and `off` come from _days_on."""
        days, model = self.problem.days, self.model
        for start in self._around(limit, 0, 0, days - limit - 1):
            _clause(model, [off[d] for d in range(start, start + limit + 1)])
        rest = self.problem.rules[p].min_consecutive_days_off or 1
        if rest < 2:
            return
        span = limit + rest
        for start in self._around(span - 1, 0, 0, days - span):
            days_on = [on[d] for d in range(start, start + span)]
            free = [day for day in days_on if day is not True and day is not False]
            fixed = sum(day is True for day in days_on)
            if len(free) + fixed > limit:
                model.add(_sum(free) <= limit - fixed)

    def _add_min_run(self, p: int, length: int, on: dict, off: dict, *, worked: bool) -> None:
        """A run of worked (or off) days that touches neither end of the horizon lasts at
        least `length` days: a run starting on `day` goes on through day + length - 1.
        `on` and `off` come from _days_on."""
        days, model = self.problem.days, self.model
        for day in self._around(length - 1, 1, 1, days - 1):
            for later in range(day + 1, min(day + length, days)):
                if worked:  # on today after a day off: on `later` too
                    _clause(model, [off[day], on[day - 1], on[later]])
                else:  # off today after a worked day: off on `later` too
                    _clause(model, [off[day - 1], on[day], off[later]])

    def _add_seven_days(self, p: int, limit: int) -> None:
        days = self.problem.days
        for start in self._around(6, 0, 0, days - 7):
            terms, fixed = [], 0
            for d in range(start, start + 7):
                free, minutes = self._day_minutes(p, d)
                terms += free
                fixed += minutes
            if terms and sum(m for _l, m in terms) + fixed > limit:
                self.model.add(
                    cp_model.LinearExpr.weighted_sum([v for v, _m in terms], [m for _v, m in terms])
                    <= limit - fixed
                )

    def _add_totals(self, p: int) -> None:
        """Total minutes and shifts of each type over the horizon, the rest fixed."""
        problem, rules = self.problem, self.problem.rules[p]
        limits = {problem.shift_index[s]: n for s, n in rules.max_shifts.items()}
        if rules.max_minutes is None and not rules.min_minutes and not limits:
            return
        minutes = []
        by_type: dict[int, list[Literal]] = defaultdict(list)
        fixed_minutes = self.roster.minutes[p]  # the roster's, less what the window replaces
        fixed_type = list(self.roster.type_count[p])
        cells, day_shifts = self.roster.cells[p], self._day_shifts
        option_shift, shift_minutes = problem.option_shift, problem.minutes
        for d in self.free_days:
            for o in cells[d]:
                s = option_shift[o]
                fixed_minutes -= shift_minutes[s]
                fixed_type[s] -= 1
            for s, lit in day_shifts.get((p, d), ()):
                minutes.append((lit, shift_minutes[s]))
                by_type[s].append(lit)
        least, most = rules.min_minutes or 0, rules.max_minutes
        if self.prorate:
            low, high = self._shares(p)
            slack = 2 * max(problem.minutes)
            least = 0 if self.loose else int(least * low) - slack
            most = None if most is None else min(most, int(most * high) + slack)
            limits = {s: min(n, int(n * high) + 1) for s, n in limits.items()}
        total = cp_model.LinearExpr.weighted_sum([v for v, _m in minutes], [m for _v, m in minutes])
        if most is not None:
            self.model.add(total <= most - fixed_minutes)
        if least > 0:
            self.model.add(total >= least - fixed_minutes)
        for s, limit in limits.items():
            if len(by_type[s]) + fixed_type[s] > limit:
                self.model.add(_sum(by_type[s]) <= limit - fixed_type[s])

    def _shares(self, p: int) -> tuple[float, float]:
        """The shares of p's totals that the days planned so far should hold, least and most:
        the share of p's workable days among them; planning backward, from the busy end,
        up to the share of the demand's minutes on those days (so a person may work where
        the demand is, and the first months keep fewer minutes to spend over cover)."""
        row, demand = self.problem.options[p], self.problem.demand_minutes
        workable = [d for d in range(self.problem.days) if row[d]]
        if not workable:
            return 1.0, 1.0
        share = sum(1 for d in workable if self._planned(d)) / len(workable)
        wanted = sum(demand[d] for d in workable)
        if not self.backward or not wanted:
            return share, share
        busy = sum(demand[d] for d in workable if self._planned(d)) / wanted
        return min(share, busy), max(share, busy)

    def _planned(self, d: int) -> bool:
        """Whether day d is planned once this window is (a first plan's pro rata totals)."""
        return d >= self.first if self.backward else d <= self.last

    def _free_weekends(self) -> list[int]:
        """The weekends with a free day (their indices, in order)."""
        weekend_of = self.problem.weekend_of
        return sorted({weekend_of[d] for d in self.free_days} - {None})

    def _add_weekends(self, p: int, limit: int) -> None:
        """At most `limit` worked weekends (worked when its Saturday or Sunday is)."""
        problem = self.problem
        worked, fixed = [], self.roster.weekends[p]
        for index in self._free_weekends():
            weekend = problem.weekends[index]
            fixed -= self.roster.weekend_days[p][index] > 0  # counted below instead
            days = [self.on(p, d) for d in weekend]
            if self.weekend_plan is not None:  # the plan's weekends are two-day ones
                self._add_weekend_plan(p, index, days)
            elif self.single_weekend_cost and len(days) == 2 and all(d is not False for d in days):
                self._add_single_weekend(p, index, days)
            elif self.fewer_single_weekends and len(days) == 2:
                self._add_single_weekend_tie(p, index, days)
            if any(day is True for day in days):
                fixed += 1
                continue
            days = [day for day in days if day is not False]
            if len(days) == 1:
                worked.append(days[0])
            elif days:
                literal = self._variable(0, 1, self._person_name, "weekend", p, index)
                for day in days:
                    self.model.add_implication(day, literal)
                self.model.add_bool_or([*days, literal.Not()])
                worked.append(literal)
        if self.prorate and self.weekend_plan is not None:
            planned = self.weekend_plan.weekends[p]
            reached = sum(1 for w in planned if any(map(self._planned, problem.weekends[w])))
            limit = min(limit, reached + 1)
        elif self.prorate:
            weekends = self.problem.weekends
            reached = sum(1 for weekend in weekends if any(map(self._planned, weekend)))
            limit = min(limit, int(limit * reached / max(1, len(weekends))) + 1)
        if len(worked) + fixed > limit:
            self.model.add(_sum(worked) <= limit - fixed)

    def _add_weekend_plan(self, p: int, index: int, days) -> None:
        """The first plan's charge for each day of weekend `index` that p works off the
        weekend plan (weekends.py): a day not worked at the shift planned, or worked when the
        plan has p off."""
        plan, weekend = self.weekend_plan, self.problem.weekends[index]
        for d, day in zip(weekend, days, strict=True):
            planned = plan.cells.get((p, d)) if index in plan.weekends[p] else None
            if planned is not None:
                if self._is_free(p, d):
                    var = self.x.get((p, d, planned))
                    self.constant += plan.cost
                    if var is not None:
                        self.costs.append((var, -plan.cost))
                elif planned not in self.roster.cells[p][d]:
                    self.constant += plan.cost
            elif day is True:
                self.constant += plan.cost
            elif day is not False:
                self.costs.append((day, plan.cost))

    def _add_single_weekend(self, p: int, index: int, days) -> None:
        """Cost when p works one day of a weekend only (both were open to them)."""
        self.costs.extend(self._one_day_only(p, index, days, self.single_weekend_cost))

    def _add_single_weekend_tie(self, p: int, index: int, days) -> None:
        """Count p's weekend `index` in the tie-break when p works one day of it only."""
        terms = self._one_day_only(p, index, days, 1)
        self._tie_count += bool(terms)
        self._ties.extend(terms)

    def _one_day_only(self, p: int, index: int, days, weight: int) -> list[tuple[Literal, int]]:
        """Objective terms costing `weight` when p works one of weekend `index`'s `days` only
        (none when both days are fixed: nothing to choose)."""
        saturday, sunday = days
        fixed = [day for day in days if isinstance(day, bool)]
        if len(fixed) == 2:
            return []
        if fixed:  # one-day unless the open day matches the fixed one
            other = sunday if isinstance(saturday, bool) else saturday
            return [(other.Not() if fixed[0] else other, weight)]
        single = self._variable(0, 1, self._person_name, "single", p, index)
        self.model.add(single >= saturday - sunday)
        self.model.add(single >= sunday - saturday)
        return [(single, weight)]

    def _add_tie_break(self) -> None:
        """Among rosters of the least cost, prefer the fewest one-day weekends: every cost is
        scaled by one more than the most one-day weekends the model can hold, so one unit of
        cost outweighs them all and the objective's order is the plan's, ties broken."""
        scale = self._tie_count + 1
        self.costs = [(literal, weight * scale) for literal, weight in self.costs]
        self.costs.extend(self._ties)
        self.constant *= scale
        self.scale = scale

    # ---- costs ---------------------------------------------------------------------------------

    def _touched_slots(self) -> list[tuple[int, int]]:
        """The slots the free people may work in the window (their cover can change)."""
        problem = self.problem
        found = set()
        for p in self.people:
            row = problem.options[p]
            for d in self.free_days:
                found.update((d, o) for o in row[d])
        return sorted(found)

    def _add_cover(self) -> None:
        problem = self.problem
        people = problem.people
        for d, o in self.slots:
            demand = problem.demand[(d, o)]
            fixed = [p for p in self.roster.assigned.get((d, o), ()) if p not in self.free]
            pairs = self.slot_literals.get((d, o), [])
            if not pairs:
                self.constant += problem.slot_cost(d, o, fixed)
                continue
            self._add_count_cost(
                d, o, [lit for _p, lit in pairs], demand.people - len(fixed), demand
            )
            if demand.leaders:
                have = sum(people[p].leader for p in fixed)
                free = [lit for p, lit in pairs if people[p].leader]
                key = ("missing_leaders", d, o)
                self._at_least(free, demand.leaders - have, demand, key)
            for skill, count_wanted in demand.skills.items():
                have = sum(skill in people[p].skills for p in fixed)
                free = [lit for p, lit in pairs if skill in people[p].skills]
                key = ("missing_skill", d, o, skill)
                self._at_least(free, count_wanted - have, demand, key)

    def _slot_name(self, d: int, o: int) -> str:
        problem = self.problem
        shift = problem.shift_types[problem.option_shift[o]].id
        return f"{problem.dates[d]},{shift}@{problem.posts[problem.option_post[o]].id}"

    def _add_count_cost(self, d: int, o: int, literals, wanted: int, demand) -> None:
        """Cover cost of the people count: under and over only where the free people can
        land on either side of `wanted`; elsewhere the cost is linear in the literals."""
        under, over = demand.weight_under, demand.weight_over
        if wanted >= len(literals):  # every free person fills a gap
            self.constant += under * wanted
            self.costs += [(lit, -under) for lit in literals]
            return
        if over is None:
            self.model.add(_sum(literals) <= max(0, wanted))  # infeasible below 0, as it should
        if wanted <= 0:  # every free person is surplus
            if over:
                self.constant += over * -wanted
                self.costs += [(lit, over) for lit in literals]
            return
        short = self._variable(0, wanted, self._slot_variable_name, "under", d, o)
        if over is None:
            self.model.add(_sum(literals) + short == wanted)
        else:
            surplus = self._variable(
                0, len(literals) - wanted, self._slot_variable_name, "over", d, o
            )
            self.model.add(_sum(literals) + short - surplus == wanted)
            if over:
                self.costs.append((surplus, over))
        self.costs.append((short, under))

    def _at_least(self, literals, wanted: int, demand, key: tuple) -> None:
        if wanted <= 0:
            return
        if len(literals) <= wanted:  # each holder fills a gap
            self.constant += wanted * demand.weight_under
            self.costs += [(lit, -demand.weight_under) for lit in literals]
            return
        missing = self._variable(0, wanted, self._slot_variable_name, *key)
        self.model.add(_sum(literals) + missing >= wanted)
        self.costs.append((missing, demand.weight_under))

    def _add_cell_costs(self, p: int) -> None:
        """Requests and, in a repair, stability of the free cells."""
        problem = self.problem
        for d in self.free_days:
            for s, if_worked, if_not in problem.requests[p].get(d, ()):
                literal = self.work(p, d, s)
                self.constant += if_not
                if literal is not False and if_worked != if_not:
                    self.costs.append((literal, if_worked - if_not))
            if problem.stability and d >= problem.freeze:
                before = problem.previous.get((p, d), ())
                for o in before:
                    var = self.x.get((p, d, o))
                    self.constant += problem.stability
                    if var is not None:
                        self.costs.append((var, -problem.stability))
                for o in problem.options[p][d]:
                    var = self.x.get((p, d, o))
                    if var is not None and o not in before:
                        self.costs.append((var, problem.stability))

    def _post_counts(self, q: int):
        """person -> (free shift literals at post q, fixed shifts, fixed nights, fixed active)."""
        problem = self.problem
        counts: dict[int, list] = {}
        for p, row in enumerate(self.roster.cells):
            for d, options in enumerate(row):
                if self._is_free(p, d):
                    continue
                for o in options:
                    if problem.option_post[o] == q:
                        entry = counts.setdefault(p, [[], 0, 0])
                        entry[1] += 1
                        entry[2] += problem.night[problem.option_shift[o]]
        for (p, _d, o), var in self.x.items():
            if problem.option_post[o] == q:
                counts.setdefault(p, [[], 0, 0])[0].append(
                    (var, problem.night[problem.option_shift[o]])
                )
        return counts

    def _add_spreads(self) -> None:
        """Fairness and nights: (most - fewest) shifts at a post over the people working there."""
        problem, model = self.problem, self.model
        for q in sorted(self.posts):
            counts = self._post_counts(q)
            if not counts:
                continue
            post = problem.posts[q].id
            active = {}
            for p, (free, fixed, _n) in counts.items():
                if fixed:
                    active[p] = True
                else:
                    flag = model.new_bool_var(f"active[{problem.people[p].id},{post}]")
                    lits = [v for v, _n in free]
                    model.add(sum(lits) >= flag)
                    model.add(sum(lits) <= len(lits) * flag)
                    active[p] = flag
            for term, nights in (("fairness", False), ("nights", True)):
                weight = problem.weight[term]
                if not weight:
                    continue
                top = max(len(f) + (n if nights else c) for f, c, n in counts.values())
                most = model.new_int_var(0, top, f"{term}_most[{post}]")
                fewest = model.new_int_var(0, top, f"{term}_fewest[{post}]")
                for p, (free, fixed, fixed_nights) in counts.items():
                    lits = [v for v, night in free if night or not nights]
                    amount = sum(lits) + (fixed_nights if nights else fixed)
                    model.add(most >= amount)
                    flag = active[p]
                    if flag is True:
                        model.add(fewest <= amount)
                    else:
                        model.add(fewest <= amount + top * (1 - flag))
                model.add(fewest <= most)
                self.costs.append((most, weight))
                self.costs.append((fewest, -weight))

    def _add_affinity(self) -> None:
        """One for each free person who works at a post of another unit than their own."""
        problem, model = self.problem, self.model
        weight = problem.weight["affinity"]
        for p in self.people:
            unit = problem.people[p].unit
            if not unit:
                continue
            fixed = any(
                problem.posts[problem.option_post[o]].unit not in (None, unit)
                for d, options in enumerate(self.roster.cells[p])
                if not self._is_free(p, d)
                for o in options
            )
            if fixed:
                self.constant += weight
                continue
            away = [
                var
                for (q, _d, o), var in self.x.items()
                if q == p and problem.posts[problem.option_post[o]].unit not in (None, unit)
            ]
            if away:
                flag = model.new_bool_var(f"away[{problem.people[p].id}]")
                for var in away:
                    model.add_implication(var, flag)
                self.costs.append((flag, weight))

    # ---- solving -------------------------------------------------------------------------------

    def fix_cell(self, p: int, d: int, options: tuple[int, ...]) -> None:
        """Person p (free here) works exactly `options` on day d."""
        for o in self.problem.options[p][d]:
            self.model.add(self.x[(p, d, o)] == int(o in options))

    def add_hint(self) -> None:
        """The current roster as the solution hint (it is a solution of this model)."""
        cells = self.roster.cells
        hint = self.model.proto.solution_hint  # in one go: add_hint() per variable is slow
        hint.vars.extend(var.index for var in self.x.values())
        hint.values.extend(int(o in cells[p][d]) for p, d, o in self.x)

    def solve(self, *, time_limit: float, workers: int = 1, seed: int = 0, lp: int = 2):
        """(CP-SAT status, new cells {(p, d): options} or None, objective, bound).

        The full LP relaxation (`lp` 2) pays on these models: cover and total minutes are
        linear, and it proves small neighbourhoods optimal several times faster. Presolve is
        kept short: these models are small and solved by the thousand.
        """
        solver = cp_model.CpSolver()
        parameters = solver.parameters
        parameters.max_time_in_seconds = max(0.01, time_limit)
        parameters.num_workers = workers
        parameters.random_seed = seed
        parameters.linearization_level = lp
        parameters.symmetry_level = 0
        parameters.cp_model_probing_level = 0
        parameters.max_presolve_iterations = 1
        status = solver.solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, None, None, None
        cells: dict[tuple[int, int], list[int]] = {
            (p, d): [] for p in self.people for d in self.free_days
        }
        for (p, d, o), var in self.x.items():
            if solver.boolean_value(var):
                cells[(p, d)].append(o)
        found = {key: tuple(sorted(options)) for key, options in cells.items()}
        value, bound = round(solver.objective_value), solver.best_objective_bound
        if self.scale > 1:  # the tie-break's part is below one unit of cost
            value, bound = value // self.scale, math.floor(bound / self.scale)
        return status, found, value, bound


def _merged(windows, first: int, last: int) -> list[tuple[int, int]]:
    """Windows of days cut to first..last, in order, overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(a, first), min(b, last)) for a, b in windows):
        if start > end:
            continue
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
