"""The plan validator behind `cordon plan --check`: checks a cordon.plan/1 against its scenario.

It shares no code with the solver on purpose: it reads the raw JSON dicts, uses the standard
library only and imports nothing else from `cordon.planner`, so a bug in the solver's model of a
rule cannot hide itself here. It checks every hard rule of issue 3 and of the planner contract,
recomputes the objective term by term and the shortfall, and reports any difference between
what the plan claims (shortfall, objective, reserve) and what its assignments really give.

`check()` expects a scenario that `load_scenario` has accepted; it still never raises on a bad
plan: unknown references, duplicates and malformed entries are violations like any other.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

# Defaults of the scenario format (issue 3 and the planner contract); a null rule is not enforced.
RULE_DEFAULTS = {
    "min_rest_minutes": None,
    "max_shifts_per_day": 1,
    "max_consecutive_days": None,
    "min_consecutive_days": None,
    "min_consecutive_days_off": None,
    "max_minutes_per_7_days": None,
    "forbidden_successions": [],
    "one_post_per_person": False,
}
WEIGHT_DEFAULTS = {"fairness": 1, "nights": 1, "affinity": 1, "stability": 5}
WEIGHT_UNDER_DEFAULT = 100
REQUEST_WEIGHT_DEFAULT = 1
# Rules about what the plan claims rather than about its assignments.
CLAIM_RULES = ("shortfall_mismatch", "objective_mismatch", "reserve_mismatch")

MINUTES_PER_DAY = 1440
NIGHT_MARK = 3 * 60  # a shift type without an explicit "night" is a night shift if it covers 03:00
SATURDAY = 5


@dataclass(frozen=True)
class Violation:
    """One broken hard rule (or one false claim of the plan), naming who and where."""

    rule: str
    message: str
    person: str | None = None
    post: str | None = None
    date: str | None = None
    shift: str | None = None


@dataclass
class CheckReport:
    """What `check()` found: violations, and the objective and shortfall recomputed."""

    violations: list[Violation] = field(default_factory=list)
    objective: dict = field(default_factory=dict)
    shortfall: list[dict] = field(default_factory=list)
    reserve: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def format(self, *, shortfall_lines: int = 30) -> str:
        """The text `cordon plan --check` prints: violations by rule, objective, shortfall."""
        lines = []
        if self.ok:
            lines.append("Hard rules: no violation.")
        else:
            lines.append(f"Hard rules: {len(self.violations)} violation(s).")
            by_rule = defaultdict(list)
            for violation in self.violations:
                by_rule[violation.rule].append(violation)
            for rule, found in by_rule.items():
                lines.append(f"  {rule} ({len(found)}):")
                lines.extend(f"    {violation.message}" for violation in found)
        lines.append("Objective (recomputed):")
        width = max(len(key) for key in self.objective) if self.objective else 0
        for key, value in self.objective.items():
            lines.append(f"  {key:<{width}}  {_number(value):>10}")
        lines.append(f"Shortfall (recomputed): {_shortfall_summary(self.shortfall)}")
        for entry in self.shortfall[:shortfall_lines]:
            lines.append(f"  {_shortfall_line(entry)}")
        if len(self.shortfall) > shortfall_lines:
            lines.append(f"  ... and {len(self.shortfall) - shortfall_lines} more")
        return "\n".join(lines)


def check(scenario: dict, plan: dict) -> CheckReport:
    """Check `plan` (a cordon.plan/1 dict) against `scenario` (a cordon.scenario/1 dict)."""
    facts = _Facts(scenario)
    report = CheckReport()
    found = report.violations
    assignments = _read_assignments(facts, plan, found)
    schedules = _schedules(facts, assignments)
    for person_id, schedule in schedules.items():
        person = _Person(facts, person_id, schedule)
        found.extend(_check_times(person))
        found.extend(_check_unavailable(person))
        found.extend(_check_runs(person))
        found.extend(_check_seven_day_windows(person))
        found.extend(_check_successions(person))
        found.extend(_check_totals(person))
        found.extend(_check_weekends(person))
        found.extend(_check_posts(person))
    found.extend(_check_locked(facts, assignments))
    found.extend(_check_frozen(facts, assignments))
    teams = _teams(assignments)
    found.extend(_check_no_demand(facts, teams))
    cover, report.shortfall = _cover(facts, teams, found)
    report.objective = _objective(facts, assignments, cover)
    named = _named_people(plan)
    report.reserve = [person_id for person_id in facts.people if person_id not in named]
    found.extend(_check_claims(facts, plan, report))
    return report


# --- the scenario, read once ---------------------------------------------------------------


class _Facts:
    """The scenario's data in the shapes the checks need (day indexes, minutes, sets)."""

    def __init__(self, scenario: dict):
        self.scenario = scenario
        self.start = date.fromisoformat(scenario["start"])
        self.days = int(scenario["days"])
        self.dates = [(self.start + timedelta(days=d)).isoformat() for d in range(self.days)]
        self.day_of = {iso: d for d, iso in enumerate(self.dates)}
        self.weekday = [(self.start.weekday() + d) % 7 for d in range(self.days)]
        self.rules = {**RULE_DEFAULTS, **(scenario.get("rules") or {})}
        self.weights = {**WEIGHT_DEFAULTS, **(scenario.get("weights") or {})}
        self.shifts = {s["id"]: _ShiftType(s) for s in scenario.get("shift_types", [])}
        self.people = {p["id"]: p for p in scenario.get("people", [])}
        self.posts = {p["id"]: p for p in scenario.get("posts", [])}
        self.successions = {tuple(pair) for pair in self.rules["forbidden_successions"] or []}
        self.demand = self._demand()

    def _demand(self) -> dict:
        """(post, day, shift) -> the demand entry that applies there."""
        demand = {}
        for post in self.posts.values():
            for entry in post.get("demand") or []:
                first = self.day_of.get(entry.get("from") or self.dates[0], 0)
                last = self.day_of.get(entry.get("to") or self.dates[-1], self.days - 1)
                if entry.get("from") and entry["from"] > self.dates[-1]:
                    continue
                if entry.get("to") and entry["to"] < self.dates[0]:
                    continue
                days = range(first, last + 1)
                if entry.get("dates") is not None:
                    listed = {self.day_of[iso] for iso in entry["dates"] if iso in self.day_of}
                    days = [d for d in days if d in listed]
                for d in days:
                    demand[(post["id"], d, entry["shift"])] = entry
        return demand

    def who(self, person_id: str) -> str:
        name = (self.people.get(person_id) or {}).get("name")
        return f"{person_id} ({name})" if name else person_id


class _ShiftType:
    def __init__(self, raw: dict):
        hours, minutes = raw["start"].split(":")[:2]
        self.id = raw["id"]
        self.start = int(hours) * 60 + int(minutes)
        self.minutes = int(raw["minutes"])
        night = raw.get("night")
        self.night = bool(night) if night is not None else self._covers_night_mark()

    def _covers_night_mark(self) -> bool:
        # The first 03:00 at or after the start; the shift covers it if it has not ended by then.
        mark = NIGHT_MARK + MINUTES_PER_DAY * -(-(self.start - NIGHT_MARK) // MINUTES_PER_DAY)
        return mark < self.start + self.minutes


def _read_assignments(facts: _Facts, plan: dict, found: list) -> list[tuple]:
    """The plan's assignments as unique (person, post, day, shift), bad ones reported."""
    raw = plan.get("assignments") if isinstance(plan, dict) else None
    if not isinstance(raw, list):
        found.append(_violation("unknown_reference", "the plan has no list of assignments"))
        return []
    seen = set()
    assignments = []
    for number, item in enumerate(raw):
        keys = ("person", "post", "date", "shift")
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in keys):
            text = f"assignments[{number}] is not a {{person, post, date, shift}} object"
            found.append(_violation("unknown_reference", text))
            continue
        person, post, iso, shift = (item[k] for k in keys)
        where = {"person": person, "post": post, "date": iso, "shift": shift}
        unknown = [
            f"{kind} {value!r}"
            for kind, value, known in (
                ("person", person, facts.people),
                ("post", post, facts.posts),
                ("shift", shift, facts.shifts),
                ("date", iso, facts.day_of),
            )
            if value not in known
        ]
        if unknown:
            text = f"assignments[{number}] names unknown {', '.join(unknown)}"
            if iso not in facts.day_of:
                text += f" (the horizon is {facts.dates[0]} to {facts.dates[-1]})"
            found.append(_violation("unknown_reference", text, **where))
            continue
        key = (person, post, facts.day_of[iso], shift)
        if key in seen:
            text = f"{facts.who(person)} is assigned twice to {post} on {iso} shift {shift}"
            found.append(_violation("duplicate_assignment", text, **where))
            continue
        seen.add(key)
        assignments.append(key)
    return assignments


def _schedules(facts: _Facts, assignments: list) -> dict:
    """person -> their assignments as (day, shift, post), for every person of the scenario."""
    schedules = {person_id: [] for person_id in facts.people}
    for person, post, day, shift in assignments:
        schedules[person].append((day, shift, post))
    return schedules


class _Person:
    """One person's effective limits (rules overridden by `limits`) and schedule."""

    OVERRIDABLE = (
        "max_consecutive_days",
        "min_consecutive_days",
        "min_consecutive_days_off",
        "max_minutes_per_7_days",
    )

    def __init__(self, facts: _Facts, person_id: str, schedule: list):
        self.facts = facts
        self.id = person_id
        self.who = facts.who(person_id)
        raw = facts.people[person_id]
        limits = raw.get("limits") or {}
        self.limits = {rule: facts.rules.get(rule) for rule in self.OVERRIDABLE}
        self.limits.update({k: v for k, v in limits.items() if k in self.OVERRIDABLE})
        for key in ("max_minutes", "min_minutes", "max_weekends"):
            self.limits[key] = limits.get(key)
        self.limits["max_shifts"] = limits.get("max_shifts") or {}
        self.schedule = sorted(schedule, key=lambda a: (a[0], facts.shifts[a[1]].start, a[2]))
        self.worked = [False] * facts.days
        self.minutes_on = [0] * facts.days
        for day, shift, _post in self.schedule:
            self.worked[day] = True
            self.minutes_on[day] += facts.shifts[shift].minutes

    def violation(self, rule: str, text: str, **where) -> Violation:
        return _violation(rule, f"{self.who} {text}", person=self.id, **where)


# --- person rules --------------------------------------------------------------------------


def _check_times(person: _Person) -> list[Violation]:
    """At most max_shifts_per_day shifts starting on a date; no overlap; min rest between."""
    facts = person.facts
    found = []
    per_day = facts.rules["max_shifts_per_day"]
    if per_day is not None:
        for day, count in sorted(Counter(day for day, _s, _p in person.schedule).items()):
            if count > per_day:
                text = f"works {count} shifts starting on {facts.dates[day]} (at most {per_day})"
                found.append(person.violation("max_shifts_per_day", text, date=facts.dates[day]))
    min_rest = facts.rules["min_rest_minutes"]
    latest = None  # the shift that ends last among those started so far: (end, day, shift, post)
    for day, shift, post in person.schedule:
        kind = facts.shifts[shift]
        start = day * MINUTES_PER_DAY + kind.start
        if latest is not None:
            end, prev_day, prev_shift, prev_post = latest
            gap = start - end
            earlier = f"{prev_shift} on {facts.dates[prev_day]} at {prev_post}"
            later = f"{shift} on {facts.dates[day]} at {post}"
            where = {"date": facts.dates[day], "shift": shift, "post": post}
            if gap < 0:
                text = f"works {earlier} overlapping {later} by {-gap} min"
                found.append(person.violation("overlap", text, **where))
            elif min_rest is not None and gap < min_rest:
                text = f"rests {gap} min between {earlier} and {later} (at least {min_rest})"
                found.append(person.violation("min_rest", text, **where))
        end = start + kind.minutes
        if latest is None or end > latest[0]:
            latest = (end, day, shift, post)
    return found


def _unavailable_days(facts: _Facts, raw_person: dict) -> set[int]:
    days = set()
    for span in raw_person.get("unavailable") or []:
        first = date.fromisoformat(span["from"])
        last = date.fromisoformat(span.get("to") or span["from"])
        for offset in range((last - first).days + 1):
            day = facts.day_of.get((first + timedelta(days=offset)).isoformat())
            if day is not None:
                days.add(day)
    return days


def _check_unavailable(person: _Person) -> list[Violation]:
    facts = person.facts
    off = _unavailable_days(facts, facts.people[person.id])
    return [
        person.violation(
            "unavailable",
            f"works {shift} on {facts.dates[day]} at {post} but is unavailable that day",
            date=facts.dates[day],
            shift=shift,
            post=post,
        )
        for day, shift, post in person.schedule
        if day in off
    ]


def _runs(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs of `value` in flags, as (first day, last day)."""
    runs = []
    first = None
    for day, flag in enumerate([*flags, not value]):
        if flag == value and first is None:
            first = day
        elif flag != value and first is not None:
            runs.append((first, day - 1))
            first = None
    return runs


def _check_runs(person: _Person) -> list[Violation]:
    """Max consecutive worked days; min worked and off runs (not touching the horizon's ends)."""
    facts = person.facts
    found = []
    last_day = facts.days - 1
    maximum = person.limits["max_consecutive_days"]
    for first, last in _runs(person.worked, True):
        length = last - first + 1
        span = f"{facts.dates[first]} to {facts.dates[last]}"
        if maximum is not None and length > maximum:
            text = f"works {length} days in a row, {span} (at most {maximum})"
            found.append(person.violation("max_consecutive_days", text, date=facts.dates[first]))
    for rule, value, what in (
        ("min_consecutive_days", True, "worked"),
        ("min_consecutive_days_off", False, "off"),
    ):
        minimum = person.limits[rule]
        if minimum is None:
            continue
        for first, last in _runs(person.worked, value):
            length = last - first + 1
            if first == 0 or last == last_day or length >= minimum:
                continue
            span = f"{facts.dates[first]} to {facts.dates[last]}"
            text = f"has a {what} run of {length} day(s), {span} (at least {minimum})"
            found.append(person.violation(rule, text, date=facts.dates[first]))
    return found


def _check_seven_day_windows(person: _Person) -> list[Violation]:
    facts = person.facts
    maximum = person.limits["max_minutes_per_7_days"]
    if maximum is None or not person.schedule:
        return []
    found = []
    window = sum(person.minutes_on[:7])
    for first in range(facts.days - 6):
        if first:
            window += person.minutes_on[first + 6] - person.minutes_on[first - 1]
        if window > maximum:
            span = f"{facts.dates[first]} to {facts.dates[first + 6]}"
            text = f"works {window} min in the 7 days {span} (at most {maximum})"
            found.append(person.violation("max_minutes_per_7_days", text, date=facts.dates[first]))
    return found


def _check_successions(person: _Person) -> list[Violation]:
    facts = person.facts
    if not facts.successions:
        return []
    on_day = defaultdict(set)
    for day, shift, _post in person.schedule:
        on_day[day].add(shift)
    found = []
    for day, shift, post in person.schedule:
        for before in sorted(on_day.get(day - 1, ())):
            if (before, shift) in facts.successions:
                text = (
                    f"works {before} on {facts.dates[day - 1]} then {shift} on "
                    f"{facts.dates[day]} (forbidden succession {before} -> {shift})"
                )
                where = {"date": facts.dates[day], "shift": shift, "post": post}
                found.append(person.violation("forbidden_succession", text, **where))
    return found


def _check_totals(person: _Person) -> list[Violation]:
    """Total minutes over the horizon within [min_minutes, max_minutes]; max shifts per type."""
    found = []
    total = sum(person.minutes_on)
    maximum, minimum = person.limits["max_minutes"], person.limits["min_minutes"]
    if maximum is not None and total > maximum:
        text = f"works {total} min in the horizon (at most {maximum})"
        found.append(person.violation("max_minutes", text))
    if minimum is not None and total < minimum:
        text = f"works {total} min in the horizon (at least {minimum})"
        found.append(person.violation("min_minutes", text))
    counts = Counter(shift for _d, shift, _p in person.schedule)
    for shift, limit in person.limits["max_shifts"].items():
        if limit is not None and counts[shift] > limit:
            text = f"works {counts[shift]} {shift} shifts (at most {limit})"
            found.append(person.violation("max_shifts", text, shift=shift))
    return found


def _check_weekends(person: _Person) -> list[Violation]:
    """A weekend (Saturday and Sunday, even partly inside the horizon) is worked if a day is."""
    maximum = person.limits["max_weekends"]
    if maximum is None:
        return []
    facts = person.facts
    saturdays = {
        day - (facts.weekday[day] - SATURDAY)
        for day, worked in enumerate(person.worked)
        if worked and facts.weekday[day] >= SATURDAY
    }
    if len(saturdays) <= maximum:
        return []
    listed = ", ".join(
        (facts.start + timedelta(days=saturday)).isoformat() for saturday in sorted(saturdays)
    )
    text = f"works {len(saturdays)} weekends (at most {maximum}): those of {listed}"
    return [person.violation("max_weekends", text)]


def _check_posts(person: _Person) -> list[Violation]:
    """One post per person (when the rule says so); posts of one bubble only."""
    facts = person.facts
    found = []
    posts = sorted({post for _d, _s, post in person.schedule})
    if facts.rules["one_post_per_person"] and len(posts) > 1:
        text = f"works at {len(posts)} posts: {', '.join(posts)}"
        found.append(person.violation("one_post_per_person", text))
    bubbles = defaultdict(list)
    for post in posts:
        bubble = facts.posts[post].get("bubble")
        if bubble is not None:
            bubbles[bubble].append(post)
    if len(bubbles) > 1:
        listed = "; ".join(f"{b}: {', '.join(p)}" for b, p in sorted(bubbles.items()))
        text = f"works in {len(bubbles)} bubbles ({listed})"
        found.append(person.violation("bubble", text))
    return found


# --- rules on the plan as a whole ----------------------------------------------------------


def _check_locked(facts: _Facts, assignments: list) -> list[Violation]:
    held = set(assignments)
    found = []
    for item in facts.scenario.get("locked") or []:
        key = (item["person"], item["post"], facts.day_of.get(item["date"]), item["shift"])
        if key not in held:
            text = (
                f"{facts.who(item['person'])} is locked to {item['post']} on {item['date']} "
                f"shift {item['shift']} but the plan does not assign it"
            )
            found.append(_violation("locked", text, **_where(item)))
    return found


def _check_frozen(facts: _Facts, assignments: list) -> list[Violation]:
    """Before freeze_before the plan is exactly `previous`: nothing dropped, nothing added."""
    previous, freeze = facts.scenario.get("previous"), facts.scenario.get("freeze_before")
    if not previous or not freeze:
        return []
    before = {key for key in _previous_keys(previous) if key[2] < freeze}
    planned = {(p, post, facts.dates[d], s) for p, post, d, s in assignments}
    planned_before = {key for key in planned if key[2] < freeze}
    found = []
    for person, post, iso, shift in sorted(before - planned, key=lambda k: (k[2], k[0])):
        text = (
            f"{facts.who(person)} loses the frozen assignment {post} on {iso} shift {shift} "
            f"(before {freeze})"
        )
        found.append(_violation("frozen", text, person=person, post=post, date=iso, shift=shift))
    for person, post, iso, shift in sorted(planned_before - before, key=lambda k: (k[2], k[0])):
        text = (
            f"{facts.who(person)} gets {post} on {iso} shift {shift}, added before the freeze "
            f"date {freeze}"
        )
        found.append(_violation("frozen", text, person=person, post=post, date=iso, shift=shift))
    return found


def _previous_keys(previous: dict) -> set[tuple]:
    return {
        (a["person"], a["post"], a["date"], a["shift"])
        for a in previous.get("assignments") or []
        if isinstance(a, dict)
    }


def _teams(assignments: list) -> dict:
    """(post, day, shift) -> the people assigned there."""
    teams = defaultdict(list)
    for person, post, day, shift in assignments:
        teams[(post, day, shift)].append(person)
    return teams


def _check_no_demand(facts: _Facts, teams: dict) -> list[Violation]:
    found = []
    for (post, day, shift), team in sorted(teams.items(), key=lambda kv: (kv[0][1], kv[0])):
        if (post, day, shift) in facts.demand:
            continue
        iso = facts.dates[day]
        for person in team:
            text = f"{facts.who(person)} is assigned to {post} on {iso} shift {shift}, "
            text += "where no demand applies"
            where = {"person": person, "post": post, "date": iso, "shift": shift}
            found.append(_violation("no_demand", text, **where))
    return found


def _missing(entry: dict, people: list[dict]) -> tuple[int, int, dict]:
    """Missing people, missing leaders and missing holders of each skill for a demand entry."""
    missing_people = max(0, entry["people"] - len(people))
    leaders = sum(bool(person.get("leader")) for person in people)
    missing_leaders = max(0, (entry.get("leaders") or 0) - leaders)
    missing_skills = {}
    for skill, needed in sorted((entry.get("skills") or {}).items()):
        have = sum(skill in (person.get("skills") or ()) for person in people)
        if needed > have:
            missing_skills[skill] = needed - have
    return missing_people, missing_leaders, missing_skills


def _cover(facts: _Facts, teams: dict, found: list) -> tuple[int, list[dict]]:
    """Cover cost and shortfall of every (post, date, shift) with demand; forbidden surplus."""
    cost = 0
    shortfall = []
    for (post, day, shift), entry in sorted(facts.demand.items(), key=lambda kv: (kv[0][1], kv[0])):
        team = teams.get((post, day, shift), [])
        people, leaders, skills = _missing(entry, [facts.people[person] for person in team])
        weight_under = entry.get("weight_under")
        weight_under = WEIGHT_UNDER_DEFAULT if weight_under is None else weight_under
        cost += weight_under * (people + leaders + sum(skills.values()))
        iso = facts.dates[day]
        surplus = max(0, len(team) - entry["people"])
        if surplus and entry.get("weight_over") is None:
            names = ", ".join(facts.who(person) for person in team)
            text = (
                f"{post} on {iso} shift {shift} has {len(team)} people for {entry['people']} "
                f"and surplus is forbidden there: {names}"
            )
            found.append(_violation("surplus", text, post=post, date=iso, shift=shift))
        elif surplus:
            cost += entry["weight_over"] * surplus
        if people or leaders or skills:
            shortfall.append(
                {"post": post, "date": iso, "shift": shift, "people": people, "leaders": leaders,
                 "skills": skills}
            )  # fmt: skip
    return cost, shortfall


def _objective(facts: _Facts, assignments: list, cover: int) -> dict:
    """Every objective term, weighted, and their total (the planner contract's definitions)."""
    weights = facts.weights
    objective = {
        "cover": cover,
        "requests": _request_cost(facts, assignments),
        "fairness": weights["fairness"] * _spread(facts, assignments, nights_only=False),
        "nights": weights["nights"] * _spread(facts, assignments, nights_only=True),
        "affinity": weights["affinity"] * _people_away_from_home(facts, assignments),
        "stability": weights["stability"] * _changes(facts, assignments),
    }
    objective["total"] = sum(objective.values())
    return objective


def _request_cost(facts: _Facts, assignments: list) -> int:
    """Weights of requests not honoured: wanted and not worked (at any post), or the reverse."""
    worked = {(person, day, shift) for person, _post, day, shift in assignments}
    cost = 0
    for person_id, person in facts.people.items():
        for request in person.get("requests") or []:
            works = (person_id, facts.day_of.get(request["date"]), request["shift"]) in worked
            if works != bool(request.get("want", True)):
                weight = request.get("weight")
                cost += REQUEST_WEIGHT_DEFAULT if weight is None else weight
    return cost


def _spread(facts: _Facts, assignments: list, *, nights_only: bool) -> int:
    """Sum over posts of max - min shifts (or night shifts) among the people working there."""
    counts = defaultdict(Counter)  # post -> person -> shifts counted
    for person, post, _day, shift in assignments:
        counts[post][person] += 1 if not nights_only or facts.shifts[shift].night else 0
    return sum(max(c.values()) - min(c.values()) for c in counts.values())


def _people_away_from_home(facts: _Facts, assignments: list) -> int:
    """People who work at a post of a unit other than their own (no unit: never counted)."""
    away = set()
    for person, post, _day, _shift in assignments:
        home, unit = facts.people[person].get("unit"), facts.posts[post].get("unit")
        if home and unit and home != unit:
            away.add(person)
    return len(away)


def _changes(facts: _Facts, assignments: list) -> int:
    """Assignments on or after freeze_before that differ from `previous` (both directions)."""
    previous, freeze = facts.scenario.get("previous"), facts.scenario.get("freeze_before")
    if not previous or not freeze:
        return 0
    before = {key for key in _previous_keys(previous) if key[2] >= freeze}
    planned = {(p, post, facts.dates[d], s) for p, post, d, s in assignments}
    planned = {key for key in planned if key[2] >= freeze}
    return len(before ^ planned)


# --- what the plan claims ------------------------------------------------------------------


def _named_people(plan: dict) -> set[str]:
    assignments = plan.get("assignments") if isinstance(plan, dict) else None
    return {a["person"] for a in assignments or [] if isinstance(a, dict) and "person" in a}


def _check_claims(facts: _Facts, plan: dict, report: CheckReport) -> list[Violation]:
    if not isinstance(plan, dict):
        return []
    return [
        *_check_shortfall_claim(plan.get("shortfall"), report.shortfall),
        *_check_objective_claim(plan.get("objective"), report.objective),
        *_check_reserve_claim(facts, plan.get("reserve"), report.reserve),
    ]


def _shortfall_key(entry: dict) -> tuple:
    return (entry.get("post"), entry.get("date"), entry.get("shift"))


def _shortfall_amounts(entry: dict) -> tuple:
    skills = {k: v for k, v in (entry.get("skills") or {}).items() if v}
    return (entry.get("people") or 0, entry.get("leaders") or 0, skills)


def _check_shortfall_claim(claimed, real: list[dict]) -> list[Violation]:
    if not isinstance(claimed, list):
        return [_violation("shortfall_mismatch", "the plan has no list of shortfall")]
    found = []
    real_by_key = {_shortfall_key(entry): entry for entry in real}
    seen = set()
    for entry in claimed:
        if not isinstance(entry, dict):
            found.append(
                _violation("shortfall_mismatch", f"shortfall entry {entry!r} is no object")
            )
            continue
        key = _shortfall_key(entry)
        where = dict(zip(("post", "date", "shift"), key, strict=True))
        label = f"{key[0]} on {key[1]} shift {key[2]}"
        if key in seen:
            text = f"the plan lists {label} twice in its shortfall"
            found.append(_violation("shortfall_mismatch", text, **where))
            continue
        seen.add(key)
        if key not in real_by_key:
            text = f"the plan claims a shortfall at {label}, which its assignments cover"
            found.append(_violation("shortfall_mismatch", text, **where))
        elif _shortfall_amounts(entry) != _shortfall_amounts(real_by_key[key]):
            text = (
                f"the plan claims {_amounts(entry)} missing at {label}; "
                f"its assignments leave {_amounts(real_by_key[key])} missing"
            )
            found.append(_violation("shortfall_mismatch", text, **where))
    for key, entry in real_by_key.items():
        if key not in seen:
            label = f"{key[0]} on {key[1]} shift {key[2]}"
            text = f"the plan hides a shortfall of {_amounts(entry)} at {label}"
            where = dict(zip(("post", "date", "shift"), key, strict=True))
            found.append(_violation("shortfall_mismatch", text, **where))
    return found


def _check_objective_claim(claimed, real: dict) -> list[Violation]:
    if not isinstance(claimed, dict):
        return [_violation("objective_mismatch", "the plan has no objective object")]
    found = []
    for key in sorted(set(real) | set(claimed), key=lambda k: (k == "total", k)):
        value, recomputed = claimed.get(key), real.get(key, 0)
        if value is None and recomputed == 0:
            continue
        if not isinstance(value, int | float) or abs(value - recomputed) > 1e-6 * max(
            1, abs(recomputed)
        ):
            text = f"the plan claims {key} = {value}; recomputed {key} = {_number(recomputed)}"
            found.append(_violation("objective_mismatch", text))
    return found


def _check_reserve_claim(facts: _Facts, claimed, real: list[str]) -> list[Violation]:
    if not isinstance(claimed, list):
        return [_violation("reserve_mismatch", "the plan has no list of reserve")]
    found = []
    for person, count in Counter(claimed).items():
        if count > 1:
            text = f"the plan lists {facts.who(person)} {count} times in its reserve"
            found.append(_violation("reserve_mismatch", text, person=person))
    claimed_set, real_set = set(claimed), set(real)
    for person in sorted(claimed_set - real_set, key=str):
        if person in facts.people:
            text = f"the plan lists {facts.who(person)} in reserve but assigns them"
        else:
            text = f"the plan lists unknown person {person!r} in reserve"
        found.append(_violation("reserve_mismatch", text, person=person))
    for person in real:
        if person not in claimed_set:
            text = f"the plan leaves {facts.who(person)} without assignment but not in reserve"
            found.append(_violation("reserve_mismatch", text, person=person))
    return found


# --- small helpers -------------------------------------------------------------------------


def _violation(rule: str, text: str, **where) -> Violation:
    return Violation(rule=rule, message=f"{rule}: {text}", **where)


def _where(item: dict) -> dict:
    return {key: item.get(key) for key in ("person", "post", "date", "shift")}


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _amounts(entry: dict) -> str:
    people, leaders, skills = _shortfall_amounts(entry)
    parts = [_count(people, "person", "people"), _count(leaders, "leader", "leaders")]
    parts += [f"{need} {skill}" for skill, need in sorted(skills.items())]
    return ", ".join(part for part in parts if part) or "nothing"


def _count(number: int, one: str, many: str) -> str:
    return "" if not number else f"{number} {one if number == 1 else many}"


def _shortfall_line(entry: dict) -> str:
    return f"{entry['date']} {entry['post']} {entry['shift']}: {_amounts(entry)}"


def _shortfall_summary(shortfall: list[dict]) -> str:
    if not shortfall:
        return "none; every demand is covered."
    people = sum(entry["people"] for entry in shortfall)
    leaders = sum(entry["leaders"] for entry in shortfall)
    skills = Counter()
    for entry in shortfall:
        skills.update(entry["skills"])
    missing = _amounts({"people": people, "leaders": leaders, "skills": skills})
    return f"{len(shortfall)} post-shift(s) short of {missing}"
