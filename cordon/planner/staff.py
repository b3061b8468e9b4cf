"""The whole-staff planning problem in compact form, and the roster the search improves.

Scenarios without one post per person (for instance the Curtois & Qu benchmark: one ward, all
staff) are planned as one problem over everyone. Large ones hold a million (person, day, shift)
choices, so this module keeps them as indices, not `Assignment` objects:

- people `p` and days `d` are indices into `scenario.people` and the horizon;
- an *option* `o` is a (shift type, post) pair that has demand on some day;
- a *cell* (p, d) holds the options the person works that day (usually none or one);
- a *slot* (d, o) is a (post, day, shift) with demand.

Every hard rule is per person except the cap on a slot whose surplus is forbidden, and every cost
is a slot's cover, a cell's requests and stability, or a post's spread (fairness, nights) and a
person's affinity; so a neighbourhood's cost can be recomputed from the cells and slots it
touches (`StaffProblem.local_cost`), exactly as evaluate.py would count it.
"""

from __future__ import annotations

from collections import defaultdict

from .model import Assignment, Demand, Scenario
from .rules import person_rules, rest_conflicts, weekends

FORBIDDEN = 10**12  # the cost of a surplus where the demand forbids one: never accepted


class StaffProblem:
    """What the search needs to know about a whole-staff scenario, indexed for speed."""

    def __init__(self, scenario: Scenario, fixed: set[Assignment]):
        self.scenario = scenario
        self.days = scenario.days
        self.people = scenario.people
        self.person_index = {p.id: i for i, p in enumerate(self.people)}
        self.shift_types = scenario.shift_types
        self.shift_index = {s.id: i for i, s in enumerate(self.shift_types)}
        self.minutes = [s.minutes for s in self.shift_types]
        self.night = [s.night for s in self.shift_types]
        self.posts = scenario.posts
        self.rules = [person_rules(scenario.rules, p) for p in self.people]
        self.freeze = scenario.freeze_before if scenario.is_repair else 0
        self.dates = [scenario.date_of(d).isoformat() for d in range(self.days)]
        self._add_options_and_slots()
        self._add_fixed(fixed)
        self._add_cell_options()
        self._add_rest_rules()
        self._add_requests_and_previous()
        self.weekends = weekends(scenario.start, self.days)
        self.weekend_of = [None] * self.days
        for index, weekend in enumerate(self.weekends):
            for d in weekend:
                self.weekend_of[d] = index
        self.has_bubbles = any(self.option_bubble)
        self.weight = {term: scenario.weight(term) for term in ("fairness", "nights", "affinity")}
        self.spread_terms = bool(self.weight["fairness"] or self.weight["nights"])
        self.stability = scenario.weight("stability") if scenario.is_repair else 0

    # ---- construction --------------------------------------------------------------------------

    def _add_options_and_slots(self) -> None:
        self.option_shift: list[int] = []
        self.option_post: list[int] = []
        self.option_of: dict[tuple[str, str], int] = {}
        self.demand: dict[tuple[int, int], Demand] = {}
        by_day: dict[int, list[int]] = defaultdict(list)
        for q, post in enumerate(self.posts):
            for day, shift in post.slots():
                key = (shift, post.id)
                if key not in self.option_of:
                    self.option_of[key] = len(self.option_shift)
                    self.option_shift.append(self.shift_index[shift])
                    self.option_post.append(q)
                o = self.option_of[key]
                self.demand[(day, o)] = post.demand_on(day, shift)
                by_day[day].append(o)
        self.options_on_day = [tuple(sorted(by_day.get(d, ()))) for d in range(self.days)]
        self.demand_minutes = [0] * self.days  # the people wanted on a day, times minutes
        for (d, o), demand in self.demand.items():
            self.demand_minutes[d] += demand.people * self.minutes[self.option_shift[o]]
        self.option_bubble = [self.posts[q].bubble for q in self.option_post]
        self.option_label = [  # "D@WARD", in variable names
            f"{self.shift_types[s].id}@{self.posts[q].id}"
            for s, q in zip(self.option_shift, self.option_post, strict=True)
        ]

    def _add_fixed(self, fixed: set[Assignment]) -> None:
        """Locked assignments (and a repair's frozen part) as options forced on in their cells."""
        self.locked: dict[tuple[int, int], set[int]] = defaultdict(set)
        for a in fixed:
            o = self.option_of.get((a.shift, a.post))
            if o is None or (a.day, o) not in self.demand:
                raise KeyError(f"fixed assignment {a} has no demand")
            self.locked[(self.person_index[a.person], a.day)].add(o)

    def _add_cell_options(self) -> None:
        """options[p][d]: what person p may work on day d (available, shift type allowed)."""
        interned: dict[tuple[int, ...], tuple[int, ...]] = {}
        self.options: list[list[tuple[int, ...]]] = []
        for p, person in enumerate(self.people):
            banned = {self.shift_index[s] for s, n in self.rules[p].max_shifts.items() if n == 0}
            row = []
            for d in range(self.days):
                locked = self.locked.get((p, d), set())
                if d < self.freeze:
                    allowed = tuple(sorted(locked))  # before the freeze only the frozen part
                elif d in person.unavailable:
                    allowed = tuple(sorted(locked))
                else:
                    on_day = self.options_on_day[d]
                    allowed = tuple(
                        o for o in on_day if self.option_shift[o] not in banned or o in locked
                    )
                row.append(interned.setdefault(allowed, allowed))
            self.options.append(row)

    def _add_rest_rules(self) -> None:
        """Forbidden successions (shift on day d, shift on d + 1) and rest conflicts."""
        index = self.shift_index
        self.one_a_day = self.scenario.rules.max_shifts_per_day == 1
        self.successors: dict[int, set[int]] = defaultdict(set)
        self.conflicts: set[tuple[int, int, int]] = set()  # (s, t, k): s on d, t on d + k
        for first, second in self.scenario.rules.forbidden_successions:
            self.successors[index[first]].add(index[second])
        for first, second, k in rest_conflicts(
            self.shift_types, self.scenario.rules.min_rest_minutes
        ):
            s, t = index[first], index[second]
            if k == 1 and self.one_a_day:
                self.successors[s].add(t)
            elif k == 0 and self.one_a_day:
                continue  # one shift a day already keeps them apart
            else:
                self.conflicts.add((s, t, k))
                if k == 0:
                    self.conflicts.add((t, s, 0))
        if not self.one_a_day:
            for s, followers in self.successors.items():
                self.conflicts.update((s, t, 1) for t in followers)
            self.successors = defaultdict(set)
        # Shifts with the same forbidden followers form one clique with them (one shift a day):
        # at most one of "one of G on d" and "one of T on d + 1".
        groups: dict[frozenset[int], list[int]] = defaultdict(list)
        for s, followers in self.successors.items():
            if followers:
                groups[frozenset(followers)].append(s)
        self.succession_groups = [
            (tuple(sorted(before)), tuple(sorted(after))) for after, before in groups.items()
        ]

    def _add_requests_and_previous(self) -> None:
        """requests[p][d]: [(shift, cost if worked, cost if not worked)]; previous[p][d]."""
        self.requests: list[dict[int, list[tuple[int, int, int]]]] = []
        for person in self.people:
            by_day: dict[int, dict[int, list[int]]] = defaultdict(
                lambda: defaultdict(lambda: [0, 0])
            )
            for r in person.requests:
                costs = by_day[r.day][self.shift_index[r.shift]]
                costs[0 if not r.want else 1] += r.weight
            self.requests.append(
                {d: [(s, c[0], c[1]) for s, c in shifts.items()] for d, shifts in by_day.items()}
            )
        self.previous: dict[tuple[int, int], tuple[int, ...]] = {}
        if self.scenario.is_repair:
            cells: dict[tuple[int, int], list[int]] = defaultdict(list)
            for a in self.scenario.previous:
                if a.day >= self.freeze:
                    o = self.option_of.get((a.shift, a.post), -1 - len(cells))  # gone: unique
                    cells[(self.person_index[a.person], a.day)].append(o)
            self.previous = {key: tuple(sorted(v)) for key, v in cells.items()}

    # ---- helpers -------------------------------------------------------------------------------

    def assignment(self, p: int, d: int, o: int) -> Assignment:
        post = self.posts[self.option_post[o]].id
        return Assignment(self.people[p].id, post, d, self.shift_types[self.option_shift[o]].id)

    def variable_count(self) -> int:
        return sum(len(opts) for row in self.options for opts in row)

    def slot_cost(self, d: int, o: int, workers) -> int:
        """Cover cost of slot (d, o) with `workers` (person indices) assigned."""
        demand = self.demand[(d, o)]
        count = len(workers)
        cost = demand.weight_under * max(0, demand.people - count)
        if count > demand.people:
            if demand.weight_over is None:
                return FORBIDDEN
            cost += demand.weight_over * (count - demand.people)
        if demand.leaders:
            leaders = sum(self.people[p].leader for p in workers)
            cost += demand.weight_under * max(0, demand.leaders - leaders)
        for skill, wanted in demand.skills.items():
            holders = sum(skill in self.people[p].skills for p in workers)
            cost += demand.weight_under * max(0, wanted - holders)
        return cost

    def cell_cost(self, p: int, d: int, options: tuple[int, ...]) -> int:
        """Requests and stability of one cell."""
        cost = 0
        requests = self.requests[p].get(d)
        if requests:
            shifts = {self.option_shift[o] for o in options}
            for s, if_worked, if_not in requests:
                cost += if_worked if s in shifts else if_not
        if self.stability and d >= self.freeze:
            before = self.previous.get((p, d), ())
            if before or options:
                cost += self.stability * len(set(before) ^ set(options))
        return cost

    def spread_posts(self, people, days) -> set[int]:
        """Posts whose spread (fairness, nights) a neighbourhood (`people` on `days`) can
        change."""
        if not self.spread_terms:
            return set()
        return {self.option_post[o] for p in people for d in days for o in self.options[p][d]}

    def local_cost(self, roster: Roster, people, days, slots, posts) -> int:
        """Cost of what a neighbourhood (`people` on `days`) can change: its slots' cover, its
        cells, the spread of `posts`, and the affinity of its people."""
        cost = sum(self.slot_cost(d, o, roster.assigned.get((d, o), ())) for d, o in slots)
        for p in people:
            row = roster.cells[p]
            for d in days:
                cost += self.cell_cost(p, d, row[d])
        if posts:
            cost += sum(self.post_spread(roster, q) for q in posts)
        if self.weight["affinity"]:
            cost += self.weight["affinity"] * sum(self.away(roster, p) for p in people)
        return cost

    def person_cost(self, p: int, row) -> int:
        """What person p's roster `row` (options by day) costs alone: requests, stability,
        affinity (the terms that belong to one person)."""
        cost = sum(self.cell_cost(p, d, options) for d, options in enumerate(row))
        unit = self.people[p].unit
        if self.weight["affinity"] and unit:
            units = {self.posts[self.option_post[o]].unit for options in row for o in options}
            cost += self.weight["affinity"] * bool(units - {None, unit})
        return cost

    def post_spread(self, roster: Roster, q: int) -> int:
        """Weighted fairness and nights of post q: (most - fewest) over who works there."""
        shifts: dict[int, int] = defaultdict(int)
        nights: dict[int, int] = defaultdict(int)
        for p, row in enumerate(roster.cells):
            for options in row:
                for o in options:
                    if self.option_post[o] == q:
                        shifts[p] += 1
                        nights[p] += self.night[self.option_shift[o]]
        if not shifts:
            return 0
        fair = max(shifts.values()) - min(shifts.values())
        night = max(nights.values()) - min(nights.values())
        return self.weight["fairness"] * fair + self.weight["nights"] * night

    def away(self, roster: Roster, p: int) -> bool:
        """Whether person p works at a post of another unit than their own."""
        unit = self.people[p].unit
        if not unit:
            return False
        for options in roster.cells[p]:
            for o in options:
                post_unit = self.posts[self.option_post[o]].unit
                if post_unit and post_unit != unit:
                    return True
        return False


class Roster:
    """Who works what: cells[p][d] (options worked) and assigned[(d, o)] (people in a slot)."""

    def __init__(self, problem: StaffProblem):
        self.problem = problem
        self.cells: list[list[tuple[int, ...]]] = [[()] * problem.days for _ in problem.people]
        self.assigned: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.version = [0] * len(problem.people)  # bumped on every change of a person's cells
        # Per person: minutes, shifts of each type, worked days of each weekend, worked weekends.
        people, shifts = len(problem.people), len(problem.shift_types)
        self.minutes = [0] * people
        self.type_count = [[0] * shifts for _ in range(people)]
        self.weekend_days = [[0] * len(problem.weekends) for _ in range(people)]
        self.weekends = [0] * people

    @classmethod
    def start(cls, problem: StaffProblem, hint) -> Roster:
        """The fixed assignments, plus those of `hint` that are possible at all."""
        roster = cls(problem)
        cells: dict[tuple[int, int], set[int]] = defaultdict(set)
        for (p, d), options in problem.locked.items():
            cells[(p, d)].update(options)
        for a in hint or ():
            p = problem.person_index.get(a.person)
            o = problem.option_of.get((a.shift, a.post))
            if p is not None and o is not None and o in problem.options[p][a.day]:
                cells[(p, a.day)].add(o)
        for (p, d), options in cells.items():
            roster.set_cell(p, d, tuple(sorted(options)))
        return roster

    def set_cell(self, p: int, d: int, options: tuple[int, ...]) -> None:
        old = self.cells[p][d]
        if old == options:
            return
        problem = self.problem
        for sign, cell in ((-1, old), (1, options)):
            for o in cell:
                if sign < 0:
                    self.assigned[(d, o)].discard(p)
                else:
                    self.assigned[(d, o)].add(p)
                s = problem.option_shift[o]
                self.minutes[p] += sign * problem.minutes[s]
                self.type_count[p][s] += sign
        w = problem.weekend_of[d]
        if w is not None and bool(old) != bool(options):
            days = self.weekend_days[p]
            before = days[w] > 0
            days[w] += 1 if options else -1
            self.weekends[p] += (days[w] > 0) - before
        self.cells[p][d] = options
        self.version[p] += 1

    def shifts_on(self, p: int, d: int) -> set[int]:
        return {self.problem.option_shift[o] for o in self.cells[p][d]}

    def assignments(self) -> set[Assignment]:
        problem = self.problem
        return {
            problem.assignment(p, d, o)
            for p, row in enumerate(self.cells)
            for d, options in enumerate(row)
            for o in options
        }


def most_days(
    rules, available: list[bool], *, off=frozenset(), on=frozenset(), rested: bool = False
) -> int:
    """The most days a person with `rules` (runs and days off) may work on the days
    `available`, working every day in `on` and none in `off`: a dynamic programme over the
    days. Runs touching the first or last day may be short, unless `rested` (the days before
    the first were off: a run from the first day is held to its minimum length). -1 when no
    roster can. (rules.worked_day_limit, which sizes post teams, counts the 7-day minute
    limit instead and no minimum runs or rests.)"""
    longest = rules.max_consecutive_days
    shortest_run = rules.min_consecutive_days or 1
    shortest_rest = rules.min_consecutive_days_off or 1
    cap = max(longest or 1, shortest_run, shortest_rest)
    # (working, length of the run so far capped at cap, the run began on the first day)
    states: dict[tuple[bool, int, bool], int] = {}
    for d, free in enumerate(available):
        can_work, can_rest = free and d not in off, d not in on
        moves: list[tuple[tuple[bool, int, bool], int]] = []
        if d == 0:
            if can_work:
                moves.append(((True, 1, not rested), 1))
            if can_rest:
                moves.append(((False, cap, False) if rested else (False, 1, True), 0))
        for (working, run, first), value in states.items():
            if working:
                if can_work and (longest is None or run < longest):
                    moves.append(((True, min(run + 1, cap), first), value + 1))
                if can_rest and (first or run >= shortest_run):
                    moves.append(((False, 1, False), value))
            else:
                if can_rest:
                    moves.append(((False, min(run + 1, cap), first), value))
                if can_work and (first or run >= shortest_rest):
                    moves.append(((True, 1, False), value + 1))
        states = {}
        for state, value in moves:
            if states.get(state, -1) < value:
                states[state] = value
    return max(states.values(), default=-1)
