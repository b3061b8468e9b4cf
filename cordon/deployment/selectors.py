"""Reads of the deployment app: rosters, the duty sheet, person-times, plan differences.

Rosters read either the published roster (Duty) or a plan's own assignments, through the same
functions: `entries` is a queryset of either model.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Min, Q

from cordon.operations import reporting_day
from cordon.operations.models import Operation, Person, ShiftType
from cordon.sites.models import Post, PostDemand

from .models import Assignment, Duty, Plan


def published_span(operation: Operation) -> tuple[date | None, date | None]:
    span = Duty.objects.filter(operation=operation).aggregate(lo=Min("date"), hi=Max("date"))
    return span["lo"], span["hi"]


def shift_types(operation: Operation) -> list[ShiftType]:
    """Shift types in the order of a reporting day: 08:00 onwards, then the night."""
    types = ShiftType.objects.filter(operation=operation)
    return sorted(types, key=lambda s: (s.start < reporting_day.DAY_START, s.start, s.code))


def in_reporting_day(day: date) -> Q:
    """Duties or assignments whose shift starts within reporting day `day`."""
    return Q(date=day, shift_type__start__gte=reporting_day.DAY_START) | Q(
        date=day + timedelta(days=1), shift_type__start__lt=reporting_day.DAY_START
    )


def reporting_day_of(shift_date: date, shift_start) -> date:
    return shift_date if shift_start >= reporting_day.DAY_START else shift_date - timedelta(days=1)


@dataclass
class SlotPeople:
    """Who stands at one post on one shift, and what was wanted there."""

    shift: ShiftType
    date: date
    people: list = field(default_factory=list)  # (Person, leads)
    wanted: int = 0
    leaders_wanted: int = 0

    @property
    def missing(self) -> int:
        return max(0, self.wanted - len(self.people))

    @property
    def leader(self):
        return next((p for p, leads in self.people if leads), None)


def demand_index(operation: Operation, first: date, last: date) -> dict:
    """{(post_id, date, shift_type_id): (people, leaders)} for every date in [first, last]."""
    index = {}
    qs = PostDemand.objects.filter(post__operation=operation).filter(
        Q(first_day__isnull=True) | Q(first_day__lte=last),
        Q(last_day__isnull=True) | Q(last_day__gte=first),
    )
    for d in qs.values("post_id", "shift_type_id", "headcount", "leaders", "first_day", "last_day"):
        day = max(d["first_day"] or first, first)
        end = min(d["last_day"] or last, last)
        while day <= end:
            index[(d["post_id"], day, d["shift_type_id"])] = (d["headcount"], d["leaders"])
            day += timedelta(days=1)
    return index


def duty_sheet(*, operation: Operation, day: date, entries=None, posts=None) -> list[dict]:
    """The duty sheet of reporting day `day`: per post, its shifts of today and tonight with the
    people on them (leader first), against the demand. `posts` narrows (station scope)."""
    entries = Duty.objects.filter(operation=operation) if entries is None else entries
    entries = (
        entries.filter(in_reporting_day(day))
        .select_related("person", "shift_type")
        .order_by("-leads", "person__staff_number")
    )
    types = shift_types(operation)
    index = demand_index(operation, day, day + timedelta(days=1))
    slots: dict[tuple, SlotPeople] = {}
    for post_id, shift_date, shift_id in index:
        shift = next(s for s in types if s.pk == shift_id)
        if reporting_day.shift_in_day(shift_date, shift.start, day):
            wanted, leaders = index[(post_id, shift_date, shift_id)]
            slots[(post_id, shift_id)] = SlotPeople(shift, shift_date, [], wanted, leaders)
    for e in entries:
        slot = slots.setdefault(
            (e.post_id, e.shift_type_id), SlotPeople(e.shift_type, e.date, [], 0, 0)
        )
        slot.people.append((e.person, e.leads))
    post_qs = (
        Post.objects.filter(pk__in={k[0] for k in slots})
        .select_related("site", "site__zone", "site__station")
        .order_by("code")
    )
    if posts is not None:
        post_qs = post_qs.filter(pk__in=posts)
    order = {s.pk: i for i, s in enumerate(types)}
    sheet = []
    for post in post_qs:
        rows = sorted(
            (slot for (pid, _sid), slot in slots.items() if pid == post.pk),
            key=lambda s: order[s.shift.pk],
        )
        rows = [r for r in rows if r.wanted or r.people]
        if rows:
            sheet.append(
                {
                    "post": post,
                    "slots": rows,
                    "missing": sum(r.missing for r in rows),
                    "people": sum(len(r.people) for r in rows),
                }
            )
    return sheet


def roster_grid(*, post: Post, first: date, last: date, entries) -> dict:
    """Dates x shifts of one post: the people of each cell (leader marked) and the demand."""
    types = [s for s in shift_types(post.operation) if s.pattern_id == post.shift_pattern_id]
    cells: dict[tuple, list] = defaultdict(list)
    for e in (
        entries.filter(post=post, date__gte=first, date__lte=last)
        .select_related("person")
        .order_by("-leads", "person__staff_number")
    ):
        cells[(e.date, e.shift_type_id)].append(e)
    index = demand_index(post.operation, first, last)
    rows = []
    day = first
    while day <= last:
        rows.append(
            {
                "date": day,
                "cells": [
                    {
                        "shift": s,
                        "entries": cells.get((day, s.pk), []),
                        "people": [(e.person, e.leads) for e in cells.get((day, s.pk), [])],
                        "wanted": index.get((post.pk, day, s.pk), (0, 0))[0],
                    }
                    for s in types
                ],
            }
        )
        day += timedelta(days=1)
    return {"shifts": types, "rows": rows}


def person_calendar(*, person: Person, first: date, last: date, entries) -> list[dict]:
    """A person's days in [first, last] with the duties of each."""
    by_day = defaultdict(list)
    for e in (
        entries.filter(person=person, date__gte=first, date__lte=last)
        .select_related("post", "post__site", "shift_type")
        .order_by("shift_type__start")
    ):
        by_day[e.date].append(e)
    days = []
    day = first
    while day <= last:
        days.append({"date": day, "duties": by_day.get(day, [])})
        day += timedelta(days=1)
    return days


def upcoming_duties(*, person: Person, since: date, limit: int = 30):
    return (
        Duty.objects.filter(person=person, date__gte=since)
        .select_related("post", "post__site", "post__site__zone", "shift_type")
        .order_by("date", "shift_type__start")[:limit]
    )


def shift_leaders(duties) -> dict[tuple, Person]:
    """{(post_id, date, shift_type_id): the person leading that shift} for the given duties."""
    duties = list(duties)
    if not duties:
        return {}
    leads = Duty.objects.filter(
        post_id__in={d.post_id for d in duties}, date__in={d.date for d in duties}, leads=True
    ).select_related("person")
    return {(d.post_id, d.date, d.shift_type_id): d.person for d in leads}


def place_kind(post: Post) -> str:
    """What a post's person-times count towards: its zone's kind, else its site's kind."""
    return post.site.zone.kind if post.site.zone_id else post.site.kind


def person_times(*, operation: Operation, today: date) -> dict:
    """Person-times (人次) of the published roster by reporting day, place kind, unit and person:
    today's and cumulative up to and including `today`. Each duty counts once."""
    rows = (
        Duty.objects.filter(operation=operation)
        .values(
            "date",
            "shift_type__start",
            "post__site__zone__kind",
            "post__site__kind",
            "person__home_unit__name",
            "person_id",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    by_day: Counter = Counter()
    kind_today: Counter = Counter()
    kind_total: Counter = Counter()
    unit_today: Counter = Counter()
    unit_total: Counter = Counter()
    person_total: Counter = Counter()
    for r in rows:
        rday = reporting_day_of(r["date"], r["shift_type__start"])
        by_day[rday] += r["n"]
        if rday > today:
            continue
        kind = r["post__site__zone__kind"] or r["post__site__kind"]
        kind_total[kind] += r["n"]
        unit_total[r["person__home_unit__name"]] += r["n"]
        person_total[r["person_id"]] += r["n"]
        if rday == today:
            kind_today[kind] += r["n"]
            unit_today[r["person__home_unit__name"]] += r["n"]
    return {
        "by_day": sorted(by_day.items()),
        "kind_today": kind_today,
        "kind_total": kind_total,
        "unit_today": unit_today,
        "unit_total": unit_total,
        "person_total": person_total,
        "today": sum(n for d, n in by_day.items() if d == today),
        "total": sum(n for d, n in by_day.items() if d <= today),
        "planned": sum(by_day.values()),
    }


def plan_changes(*, old, new) -> list[dict]:
    """What differs between two sets of assignments (querysets of Duty or Assignment), per
    person: the duties removed and the duties added."""
    fields = ("person_id", "post_id", "date", "shift_type_id")
    old_set = set(old.values_list(*fields))
    new_set = set(new.values_list(*fields))
    removed = old_set - new_set
    added = new_set - old_set
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in={r[0] for r in removed | added}).select_related(
            "home_unit"
        )
    }
    posts = {p.pk: p for p in Post.objects.filter(pk__in={r[1] for r in removed | added})}
    shifts = {s.pk: s for s in ShiftType.objects.filter(pk__in={r[3] for r in removed | added})}
    by_person: dict[int, dict] = defaultdict(lambda: {"removed": [], "added": []})
    for key, bucket in ((removed, "removed"), (added, "added")):
        for pid, post_id, day, shift_id in sorted(key, key=lambda r: (r[2], r[0])):
            by_person[pid][bucket].append((day, shifts[shift_id], posts[post_id]))
    return [
        {"person": people[pid], **changes}
        for pid, changes in sorted(by_person.items(), key=lambda kv: people[kv[0]].staff_number)
    ]


def plan_entries(plan: Plan):
    return Assignment.objects.filter(plan=plan)


def published_entries(operation: Operation, first: date | None = None, last: date | None = None):
    qs = Duty.objects.filter(operation=operation)
    if first:
        qs = qs.filter(date__gte=first)
    if last:
        qs = qs.filter(date__lte=last)
    return qs
