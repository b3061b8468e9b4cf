"""Build the planner's `cordon.scenario/1` from the operation's own data.

People (with their unavailable dates, from recorded unavailability and from statuses such as sick
or quarantined), posts and their demand, shift types, the operation's rest rules, and the
published roster as `previous`. The scenario's horizon starts up to CONTEXT_DAYS before the
period planned: those days' published duties are frozen (`freeze_before`), so rest rules across
the boundary hold, and nothing before the period changes.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Q

from cordon.operations.choices import PersonStatusChoices
from cordon.operations.models import (
    Operation,
    Person,
    PersonStatusChange,
    ShiftType,
    Unavailability,
)
from cordon.sites.models import Post, PostDemand

from .models import Duty

CONTEXT_DAYS = 7
# A period is planned with up to LOOKAHEAD_DAYS of the demand after it (where nothing is
# published yet), then cut back to the period: the rotations it leaves can carry on, instead of
# working everyone to the limit on its last days and leaving the next period short.
LOOKAHEAD_DAYS = 7
UNAVAILABLE_STATUSES = {
    PersonStatusChoices.ON_LEAVE,
    PersonStatusChoices.SICK,
    PersonStatusChoices.QUARANTINED,
    PersonStatusChoices.RELEASED,
}
DUTY_LEADER_SKILL = "duty_leader"


def lookahead_end(operation: Operation, last_day: date) -> date | None:
    """The last date to plan ahead to, or None when there is nothing (more) to look at."""
    op_last = operation.last_day()
    end = last_day + timedelta(days=LOOKAHEAD_DAYS)
    if op_last is not None:
        end = min(end, op_last)
    if end <= last_day:
        return None
    if Duty.objects.filter(operation=operation, date__gt=last_day, date__lte=end).exists():
        return None  # published days follow the period: they stay as they are
    return end


def period_scenario(scenario: dict, last_day: date) -> dict:
    """`scenario` cut back to end on `last_day`: what a plan of the period is checked against."""
    start = date.fromisoformat(scenario["start"])
    last = last_day.isoformat()
    cut = {**scenario, "days": (last_day - start).days + 1}
    cut["posts"] = [
        {
            **post,
            "demand": [
                {**d, "to": min(d.get("to") or last, last)}
                for d in post["demand"]
                if (d.get("from") or "") <= last
            ],
        }
        for post in scenario["posts"]
    ]
    cut["people"] = [
        {
            **p,
            **(
                {"requests": [r for r in p["requests"] if r["date"] <= last]}
                if "requests" in p
                else {}
            ),
        }
        for p in scenario["people"]
    ]
    if scenario.get("previous"):
        cut["previous"] = {
            **scenario["previous"],
            "assignments": [a for a in scenario["previous"]["assignments"] if a["date"] <= last],
        }
    return cut


def horizon_start(operation: Operation, first_day: date) -> date:
    """The scenario's first date: CONTEXT_DAYS of published context, within the operation."""
    return max(operation.first_day(), first_day - timedelta(days=CONTEXT_DAYS))


def build_scenario(
    *, operation: Operation, first_day: date, last_day: date, name: str = ""
) -> dict:
    """The scenario to plan [first_day, last_day], with earlier published duties frozen.

    Without published duties in the days before, the horizon is the period itself.
    """
    start = horizon_start(operation, first_day)
    previous = published_assignments(operation, start, last_day)
    if not any(a["date"] < first_day.isoformat() for a in previous):
        start = first_day
    days = (last_day - start).days + 1
    shift_types = list(ShiftType.objects.filter(operation=operation).order_by("start", "code"))
    scenario = {
        "format": "cordon.scenario/1",
        "name": name or f"{operation.name} {first_day}–{last_day}",
        "timezone": operation.timezone,
        "start": start.isoformat(),
        "days": days,
        "shift_types": [
            {"id": s.code, "start": s.start.strftime("%H:%M"), "minutes": s.minutes}
            for s in shift_types
        ],
        "rules": rules_of(operation),
        "people": people_of(operation, start, last_day),
        "posts": posts_of(operation, start, last_day),
    }
    if previous:
        scenario["previous"] = {
            "format": "cordon.plan/1",
            "scenario": scenario["name"],
            "assignments": previous,
        }
        scenario["freeze_before"] = first_day.isoformat()
    return scenario


def rules_of(operation: Operation) -> dict:
    return {
        "min_rest_minutes": operation.min_rest_minutes,
        "max_shifts_per_day": operation.max_shifts_per_day,
        "max_consecutive_days": operation.max_consecutive_days,
        "min_consecutive_days": None,
        "min_consecutive_days_off": None,
        "max_minutes_per_7_days": operation.max_minutes_per_7_days,
        "forbidden_successions": [],
        "one_post_per_person": True,
    }


def people_of(operation: Operation, first: date, last: date) -> list[dict]:
    people = (
        Person.objects.filter(operation=operation)
        .select_related("home_unit")
        .prefetch_related("skills")
        .order_by("staff_number")
    )
    away = unavailable_days(operation, first, last)
    rows = []
    for p in people:
        skills = sorted(
            {s.code for s in p.skills.all()} | ({DUTY_LEADER_SKILL} if p.is_duty_leader else set())
        )
        row = {
            "id": p.staff_number,
            "name": p.name,
            "unit": p.home_unit.code,
            "leader": p.is_post_leader,
            "skills": skills,
        }
        if away.get(p.pk):
            row["unavailable"] = _ranges(sorted(away[p.pk]))
        rows.append(row)
    return rows


def unavailable_days(operation: Operation, first: date, last: date) -> dict[int, set[date]]:
    """Per person id, the dates in [first, last] on which they cannot be given duties.

    A date is unavailable when recorded as such, or when the person's status at any moment of
    that date (local time) is one of UNAVAILABLE_STATUSES.
    """
    tz = operation.tz
    away: dict[int, set[date]] = defaultdict(set)
    for pid, lo, hi in Unavailability.objects.filter(
        person__operation=operation, first_day__lte=last, last_day__gte=first
    ).values_list("person_id", "first_day", "last_day"):
        day = max(lo, first)
        while day <= min(hi, last):
            away[pid].add(day)
            day += timedelta(days=1)
    changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for pid, moment, status in (
        PersonStatusChange.objects.filter(person__operation=operation)
        .order_by("effective_from", "id")
        .values_list("person_id", "effective_from", "status")
    ):
        changes[pid].append((moment, status))
    current = dict(Person.objects.filter(operation=operation).values_list("id", "status"))
    for pid, status in current.items():
        timeline = changes.get(pid)
        if not timeline:
            if status in UNAVAILABLE_STATUSES:
                away[pid].update(_dates(first, last))
            continue
        for day in _dates(first, last):
            begin = datetime.combine(day, time(0), tzinfo=tz)
            end = begin + timedelta(days=1)
            at_start = PersonStatusChoices.ON_DUTY
            during = set()
            for moment, s in timeline:
                if moment <= begin:
                    at_start = s
                elif moment < end:
                    during.add(s)
                else:
                    break
            if at_start in UNAVAILABLE_STATUSES or during & UNAVAILABLE_STATUSES:
                away[pid].add(day)
    return away


def posts_of(operation: Operation, first: date, last: date) -> list[dict]:
    posts = (
        Post.objects.filter(operation=operation)
        .select_related("site__zone", "site__station")
        .order_by("code")
    )
    demands = defaultdict(list)
    for d in (
        PostDemand.objects.filter(post__operation=operation)
        .filter(
            Q(first_day__isnull=True) | Q(first_day__lte=last),
            Q(last_day__isnull=True) | Q(last_day__gte=first),
        )
        .select_related("shift_type")
        .order_by("shift_type__start", "first_day")
    ):
        lo = max(d.first_day or first, first)
        hi = min(d.last_day or last, last)
        demands[d.post_id].append(
            {
                "shift": d.shift_type.code,
                "people": d.headcount,
                "leaders": d.leaders,
                "skills": {k: v for k, v in (d.skills or {}).items() if v},
                "from": lo.isoformat(),
                "to": hi.isoformat(),
            }
        )
    return [
        {
            "id": p.code,
            "name": p.name,
            "unit": p.site.station.code,
            "bubble": p.bubble,
            "demand": demands[p.pk],
        }
        for p in posts
    ]


def published_assignments(operation: Operation, first: date, last: date) -> list[dict]:
    rows = (
        Duty.objects.filter(operation=operation, date__gte=first, date__lte=last)
        .values_list("person__staff_number", "post__code", "date", "shift_type__code")
        .order_by("date", "shift_type__start", "post__code", "person__staff_number")
    )
    return [
        {"person": p, "post": post, "date": d.isoformat(), "shift": s} for p, post, d, s in rows
    ]


def _dates(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _ranges(days: list[date]) -> list[dict]:
    """Consecutive dates folded into inclusive {"from", "to"} ranges."""
    ranges = []
    for day in days:
        if ranges and (day - ranges[-1][1]).days == 1:
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [{"from": a.isoformat(), "to": b.isoformat()} for a, b in ranges]
