"""The baseline the planner is measured against: a straightforward CP-SAT model of a scenario.

One boolean per person, day and shift; every rule posted directly as linear constraints or
clauses; the objective is cover plus requests; CP-SAT with the caller's time limit and workers,
no hints, no decomposition. It reads the same `cordon.scenario/1` dict as the planner, so the
two are compared on equal terms, and writes a `cordon.plan/1`.

It covers what the benchmark scenarios use: a single post (one_post_per_person and bubbles are
then moot), no `previous`, and the soft terms fairness, nights, affinity and stability at weight
0. Anything else is refused with ValueError rather than modelled half-way.
"""

import time
from collections import defaultdict
from datetime import date, timedelta

from ortools.sat.python import cp_model

WEIGHT_UNDER_DEFAULT = 100
SOFT_TERMS = ("fairness", "nights", "affinity", "stability")
SOFT_DEFAULTS = {"fairness": 1, "nights": 1, "affinity": 1, "stability": 5}
OVERRIDABLE = (
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_minutes_per_7_days",
)


def solve_baseline(scenario: dict, *, time_limit: float = 60, workers: int = 2) -> dict:
    """Model `scenario` directly, solve it with CP-SAT and return a cordon.plan/1 dict."""
    _refuse_what_is_not_modelled(scenario)
    started = time.perf_counter()
    roster = _Roster(scenario)
    model = cp_model.CpModel()
    x = roster.variables(model)
    work = _worked_days(model, roster, x)
    _rest_and_overlap(model, roster, x)
    _forbidden_successions(model, roster, x)
    mine = defaultdict(list)  # person -> [(day, shift, var)]
    for (person, day, shift), var in x.items():
        mine[person].append((day, shift, var))
    for person in roster.people:
        _totals(model, roster, mine[person], person)
        _consecutive_days(model, roster, work, person)
        _seven_day_windows(model, roster, mine[person], person)
        _weekends(model, roster, work, person)
    cover_terms = _cover(model, roster, x)
    request_terms = _requests(roster, x)
    model.minimize(sum(cover_terms) + sum(request_terms))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(workers)
    status = solver.solve(model)
    seconds = time.perf_counter() - started
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen = [key for key, var in x.items() if found and solver.boolean_value(var)]
    return _plan(
        scenario,
        roster,
        chosen,
        {
            "status": solver.status_name(status),
            "seconds": round(seconds, 3),
            "bound": solver.best_objective_bound if found else None,
        },
    )


def _refuse_what_is_not_modelled(scenario: dict) -> None:
    if len(scenario["posts"]) != 1:
        raise ValueError("the baseline models scenarios with exactly one post")
    if scenario.get("previous"):
        raise ValueError("the baseline does not model repairs (previous)")
    weights = {**SOFT_DEFAULTS, **(scenario.get("weights") or {})}
    if any(weights[term] for term in SOFT_TERMS):
        raise ValueError(
            "the baseline needs the weights fairness, nights, affinity, stability at 0"
        )


class _Roster:
    """The scenario as day indexes, shift minutes and effective per-person limits."""

    def __init__(self, scenario: dict):
        self.scenario = scenario
        self.start = date.fromisoformat(scenario["start"])
        self.days = scenario["days"]
        self.dates = [(self.start + timedelta(days=d)).isoformat() for d in range(self.days)]
        self.day_of = {iso: d for d, iso in enumerate(self.dates)}
        self.rules = scenario.get("rules") or {}
        self.shifts = {
            s["id"]: (_minutes_of(s["start"]), s["minutes"]) for s in scenario["shift_types"]
        }
        self.people = [p["id"] for p in scenario["people"]]
        self.person = {p["id"]: p for p in scenario["people"]}
        self.post = scenario["posts"][0]
        self.demand = self._demand()

    def _demand(self) -> dict:
        demand = {}
        for entry in self.post["demand"]:
            first = self.day_of.get(entry.get("from") or "", 0)
            last = self.day_of.get(entry.get("to") or "", self.days - 1)
            listed = entry.get("dates")
            for d in range(first, last + 1):
                if listed is None or self.dates[d] in listed:
                    demand[(d, entry["shift"])] = entry
        return demand

    def limit(self, person: str, rule: str):
        """The person's own limit if set, else (for the rules it overrides) the rule."""
        limits = self.person[person].get("limits") or {}
        if rule in limits:
            return limits[rule]
        return self.rules.get(rule) if rule in OVERRIDABLE else None

    def unavailable(self, person: str) -> set[int]:
        days = set()
        for span in self.person[person].get("unavailable") or []:
            first = (date.fromisoformat(span["from"]) - self.start).days
            last = (date.fromisoformat(span["to"]) - self.start).days
            days.update(range(max(first, 0), min(last, self.days - 1) + 1))
        return days

    def variables(self, model: cp_model.CpModel) -> dict:
        """x[person, day, shift] for every combination a person may work at all."""
        x = {}
        for person in self.people:
            off = self.unavailable(person)
            max_shifts = (self.person[person].get("limits") or {}).get("max_shifts") or {}
            for (day, shift), _entry in sorted(self.demand.items()):
                if day in off or max_shifts.get(shift) == 0:
                    continue
                x[(person, day, shift)] = model.new_bool_var(f"x[{person},{day},{shift}]")
        for item in self.scenario.get("locked") or []:
            key = (item["person"], self.day_of[item["date"]], item["shift"])
            if key not in x:
                raise ValueError(f"locked assignment {item} cannot be worked")
            model.add(x[key] == 1)
        return x


def _minutes_of(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _worked_days(model, roster: _Roster, x: dict) -> dict:
    """work[person, day]: a literal true iff the person works a shift starting that day."""
    per_day = roster.rules.get("max_shifts_per_day", 1)
    on_day = defaultdict(list)
    for (person, day, _shift), var in x.items():
        on_day[(person, day)].append(var)
    work = {}
    for person in roster.people:
        for day in range(roster.days):
            shifts = on_day.get((person, day), [])
            worked = work[(person, day)] = model.new_bool_var(f"work[{person},{day}]")
            if per_day == 1:
                model.add(worked == sum(shifts))
                continue
            if per_day is not None:
                model.add(sum(shifts) <= per_day)
            model.add(sum(shifts) >= 1).only_enforce_if(worked)
            model.add(sum(shifts) == 0).only_enforce_if(~worked)
    return work


def _rest_and_overlap(model, roster: _Roster, x: dict) -> None:
    """Shifts of a person that overlap or leave less than min rest between exclude each other."""
    min_rest = roster.rules.get("min_rest_minutes") or 0
    longest = max(minutes for _start, minutes in roster.shifts.values())
    reach = (longest + min_rest) // 1440 + 1
    first_offset = 1 if roster.rules.get("max_shifts_per_day", 1) == 1 else 0
    clashes = []  # (shift, shift on a day `offset` later) pairs that cannot both be worked
    for offset in range(first_offset, reach + 1):
        for one, (start, minutes) in roster.shifts.items():
            for other, (later_start, _m) in roster.shifts.items():
                gap = offset * 1440 + later_start - (start + minutes)
                later = offset * 1440 + later_start
                if (later, other) > (start, one) and gap < min_rest:
                    clashes.append((one, offset, other))
    for person, day, shift in x:
        for one, offset, other in clashes:
            if one == shift and (person, day + offset, other) in x:
                a, b = x[(person, day, shift)], x[(person, day + offset, other)]
                model.add_bool_or([~a, ~b])


def _forbidden_successions(model, roster: _Roster, x: dict) -> None:
    """No [X, Y] on consecutive days; with one shift a day, one constraint per X and day."""
    followers = defaultdict(list)
    for before, after in roster.rules.get("forbidden_successions") or []:
        followers[before].append(after)
    one_a_day = roster.rules.get("max_shifts_per_day", 1) == 1
    for (person, day, shift), var in x.items():
        later = [x[key] for y in followers[shift] if (key := (person, day + 1, y)) in x]
        if not later:
            continue
        if one_a_day:
            model.add(var + sum(later) <= 1)
        else:
            for other in later:
                model.add_bool_or([~var, ~other])


def _totals(model, roster: _Roster, mine: list, person: str) -> None:
    """Min and max minutes over the horizon; max shifts of each type."""
    total = sum(roster.shifts[shift][1] * var for _day, shift, var in mine)
    maximum, minimum = roster.limit(person, "max_minutes"), roster.limit(person, "min_minutes")
    if maximum is not None:
        model.add(total <= maximum)
    if minimum is not None:
        model.add(total >= minimum)
    max_shifts = (roster.person[person].get("limits") or {}).get("max_shifts") or {}
    for shift, limit in max_shifts.items():
        model.add(sum(var for _day, s, var in mine if s == shift) <= limit)


def _consecutive_days(model, roster: _Roster, work: dict, person: str) -> None:
    """Max worked days in a row; min worked and off runs (not those touching the horizon's ends)."""
    days = roster.days
    worked = [work[(person, day)] for day in range(days)]
    maximum = roster.limit(person, "max_consecutive_days")
    if maximum is not None:
        for first in range(days - maximum):
            model.add(sum(worked[first : first + maximum + 1]) <= maximum)
    for rule, inside in (("min_consecutive_days", True), ("min_consecutive_days_off", False)):
        minimum = roster.limit(person, rule)
        if not minimum:
            continue
        for length in range(1, minimum):
            # Forbid a run of `length` days from `first`, bounded on both sides inside the horizon.
            for first in range(1, days - length):
                run = worked[first : first + length]
                edges = [worked[first - 1], worked[first + length]]
                if inside:
                    model.add_bool_or([*edges, *(~v for v in run)])
                else:
                    model.add_bool_or([*(~v for v in edges), *run])


def _seven_day_windows(model, roster: _Roster, mine: list, person: str) -> None:
    maximum = roster.limit(person, "max_minutes_per_7_days")
    if maximum is None:
        return
    minutes_on = defaultdict(list)
    for day, shift, var in mine:
        minutes_on[day].append(roster.shifts[shift][1] * var)
    for first in range(roster.days - 6):
        model.add(sum(term for d in range(first, first + 7) for term in minutes_on[d]) <= maximum)


def _weekends(model, roster: _Roster, work: dict, person: str) -> None:
    maximum = roster.limit(person, "max_weekends")
    if maximum is None:
        return
    saturdays = defaultdict(list)
    for day in range(roster.days):
        weekday = (roster.start + timedelta(days=day)).weekday()
        if weekday >= 5:
            saturdays[day - (weekday - 5)].append(work[(person, day)])
    worked_weekends = []
    for saturday, days in saturdays.items():
        weekend = model.new_bool_var(f"weekend[{person},{saturday}]")
        for day in days:
            model.add_implication(day, weekend)
        worked_weekends.append(weekend)
    model.add(sum(worked_weekends) <= maximum)


def _cover(model, roster: _Roster, x: dict) -> list:
    """Cost terms for missing people, leaders, skills and (where allowed) surplus people."""
    team = defaultdict(list)
    for (person, day, shift), var in x.items():
        team[(day, shift)].append((roster.person[person], var))
    terms = []
    for (day, shift), entry in sorted(roster.demand.items()):
        here = team[(day, shift)]
        weight = entry.get("weight_under")
        weight = WEIGHT_UNDER_DEFAULT if weight is None else weight
        needs = [(entry["people"], [var for _p, var in here], "people")]
        needs.append(
            (entry.get("leaders") or 0, [v for p, v in here if p.get("leader")], "leaders")
        )
        for skill, count in (entry.get("skills") or {}).items():
            holders = [v for p, v in here if skill in (p.get("skills") or ())]
            needs.append((count, holders, skill))
        for needed, vars_, what in needs:
            if needed:
                missing = model.new_int_var(0, needed, f"missing[{day},{shift},{what}]")
                model.add(sum(vars_) + missing >= needed)
                terms.append(weight * missing)
        over = entry.get("weight_over")
        if over is None:
            model.add(sum(var for _p, var in here) <= entry["people"])
        elif over:
            surplus = model.new_int_var(0, len(here), f"surplus[{day},{shift}]")
            model.add(surplus >= sum(var for _p, var in here) - entry["people"])
            terms.append(over * surplus)
    return terms


def _requests(roster: _Roster, x: dict) -> list:
    terms = []
    for person in roster.people:
        for request in roster.person[person].get("requests") or []:
            var = x.get((person, roster.day_of[request["date"]], request["shift"]))
            weight = request.get("weight", 1)
            if request["want"]:
                terms.append(weight * (1 - var) if var is not None else weight)
            elif var is not None:
                terms.append(weight * var)
    return terms


def _plan(scenario: dict, roster: _Roster, chosen: list, solver: dict) -> dict:
    """The cordon.plan/1 of the chosen (person, day, shift), its shortfall and objective."""
    post = roster.post["id"]
    rank = {person: number for number, person in enumerate(roster.people)}
    chosen = sorted(chosen, key=lambda key: (key[1], key[2], rank[key[0]]))
    working = {person for person, _d, _s in chosen}
    team = defaultdict(list)
    for person, day, shift in chosen:
        team[(day, shift)].append(roster.person[person])
    shortfall, cover = [], 0
    for (day, shift), entry in sorted(roster.demand.items()):
        here = team[(day, shift)]
        people = max(0, entry["people"] - len(here))
        leaders = max(0, (entry.get("leaders") or 0) - sum(bool(p.get("leader")) for p in here))
        skills = {}
        for skill, count in (entry.get("skills") or {}).items():
            have = sum(skill in (p.get("skills") or ()) for p in here)
            if count > have:
                skills[skill] = count - have
        weight = entry.get("weight_under")
        cover += (WEIGHT_UNDER_DEFAULT if weight is None else weight) * (
            people + leaders + sum(skills.values())
        )
        cover += (entry.get("weight_over") or 0) * max(0, len(here) - entry["people"])
        if people or leaders or skills:
            reason = "the baseline found no one to add within its rules and time"
            shortfall.append(
                {"post": post, "date": roster.dates[day], "shift": shift, "people": people,
                 "leaders": leaders, "skills": skills, "reason": reason}
            )  # fmt: skip
    on = {(person, roster.dates[day], shift) for person, day, shift in chosen}
    requests = sum(
        request.get("weight", 1)
        for person in roster.people
        for request in roster.person[person].get("requests") or []
        if ((person, request["date"], request["shift"]) in on) != request["want"]
    )
    objective = {"cover": cover, "requests": requests, **dict.fromkeys(SOFT_TERMS, 0)}
    objective["total"] = cover + requests
    return {
        "format": "cordon.plan/1",
        "scenario": scenario["name"],
        "assignments": [
            {"person": person, "post": post, "date": roster.dates[day], "shift": shift}
            for person, day, shift in chosen
        ],
        "reserve": [person for person in roster.people if person not in working],
        "shortfall": shortfall,
        "objective": objective,
        "solver": solver,
    }
