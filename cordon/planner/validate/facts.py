"""The scenario read once, in the shapes the checks need; the plan's assignments read safely."""

from datetime import date, timedelta

from .report import Violation, violation

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

MINUTES_PER_DAY = 1440
NIGHT_MARK = 3 * 60  # a shift type without an explicit "night" is a night shift if it covers 03:00
SATURDAY = 5


class Facts:
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
        self.shifts = {s["id"]: ShiftType(s) for s in scenario.get("shift_types", [])}
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


class ShiftType:
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


def read_assignments(facts: Facts, plan: dict, found: list) -> list[tuple]:
    """The plan's assignments as unique (person, post, day, shift), bad ones reported."""
    raw = plan.get("assignments") if isinstance(plan, dict) else None
    if not isinstance(raw, list):
        found.append(violation("unknown_reference", "the plan has no list of assignments"))
        return []
    seen = set()
    assignments = []
    for number, item in enumerate(raw):
        keys = ("person", "post", "date", "shift")
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in keys):
            text = f"assignments[{number}] is not a {{person, post, date, shift}} object"
            found.append(violation("unknown_reference", text))
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
            found.append(violation("unknown_reference", text, **where))
            continue
        key = (person, post, facts.day_of[iso], shift)
        if key in seen:
            text = f"{facts.who(person)} is assigned twice to {post} on {iso} shift {shift}"
            found.append(violation("duplicate_assignment", text, **where))
            continue
        seen.add(key)
        assignments.append(key)
    return assignments


def schedules_by_person(facts: Facts, assignments: list) -> dict:
    """person -> their assignments as (day, shift, post), for every person of the scenario."""
    schedules = {person_id: [] for person_id in facts.people}
    for person, post, day, shift in assignments:
        schedules[person].append((day, shift, post))
    return schedules


class PersonSchedule:
    """One person's effective limits (rules overridden by `limits`) and schedule."""

    OVERRIDABLE = (
        "max_consecutive_days",
        "min_consecutive_days",
        "min_consecutive_days_off",
        "max_minutes_per_7_days",
    )

    def __init__(self, facts: Facts, person_id: str, schedule: list):
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
        return violation(rule, f"{self.who} {text}", person=self.id, **where)


def previous_keys(previous: dict) -> set[tuple]:
    return {
        (a["person"], a["post"], a["date"], a["shift"])
        for a in previous.get("assignments") or []
        if isinstance(a, dict)
    }
