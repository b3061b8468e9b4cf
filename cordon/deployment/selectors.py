"""Reads of the deployment app: rosters, the duty sheet, person-times, plan differences.

Rosters read either the published roster (Duty) or a plan's own assignments, through the same
functions: `entries` is a queryset of either model.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet
from django.urls import reverse

from cordon.operations import reporting_day
from cordon.operations.models import Operation, Person, ShiftType, Unit
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


# Reports on the published roster: leader on duty, assignment lists, person-times, the map.


def reporting_days_q(first: date | None, last: date | None, prefix: str = "") -> Q:
    """Duties or assignments whose shift starts within reporting days [first, last] (None: open
    on that side). `prefix` is the lookup path to the duty, e.g. "duties__" from a person."""
    late = {f"{prefix}shift_type__start__gte": reporting_day.DAY_START}
    early = {f"{prefix}shift_type__start__lt": reporting_day.DAY_START}
    if first is not None:
        late[f"{prefix}date__gte"] = first
        early[f"{prefix}date__gte"] = first + timedelta(days=1)
    if last is not None:
        late[f"{prefix}date__lte"] = last
        early[f"{prefix}date__lte"] = last + timedelta(days=1)
    return Q(**late) | Q(**early)


def reporting_span(entries) -> tuple[date | None, date | None]:
    """The first and the last reporting day that `entries` (Duty or Assignment) reach."""
    late = Q(shift_type__start__gte=reporting_day.DAY_START)
    span = entries.aggregate(
        late_lo=Min("date", filter=late),
        late_hi=Max("date", filter=late),
        early_lo=Min("date", filter=~late),
        early_hi=Max("date", filter=~late),
    )
    day = timedelta(days=1)
    lows = [d for d in (span["late_lo"], span["early_lo"] and span["early_lo"] - day) if d]
    highs = [d for d in (span["late_hi"], span["early_hi"] and span["early_hi"] - day) if d]
    return (min(lows), max(highs)) if lows else (None, None)


def zones_active_on(zones, *, day: date, tz) -> QuerySet:
    """The zones of `zones` in force at some moment of reporting day `day`."""
    start, end = reporting_day.bounds(day, tz)
    return zones.filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=start), activated_at__lt=end)


def duty_leader_posts(operation: Operation) -> list[Post]:
    """The posts whose demand asks for the duty-leader skill: the 24-hour duty leader's post(s)."""
    from .scenario import DUTY_LEADER_SKILL

    wants = {f"demands__skills__{DUTY_LEADER_SKILL}__gt": 0}
    return list(
        Post.objects.filter(operation=operation, **wants)
        .select_related("site")
        .distinct()
        .order_by("code")
    )


def leader_report(
    *, operation: Operation, first: date, last: date, posts=None, entries=None
) -> dict:
    """The leaders of reporting days [first, last]: `schedule`, the duty leader (带班领导) of every
    shift, and `gaps`, per post the shifts that wanted a shift leader and whether they had one.
    `posts` narrows the gaps (station scope); the schedule is the whole operation's."""
    entries = Duty.objects.filter(operation=operation) if entries is None else entries
    types = shift_types(operation)
    index = demand_index(operation, first, last + timedelta(days=1))
    return {
        "schedule": _duty_leader_schedule(operation, first, last, entries, types, index),
        "gaps": _shift_leader_gaps(operation, first, last, posts, entries, types, index),
    }


def _duty_leader_schedule(operation, first, last, entries, types, index) -> dict:
    """Per reporting day and shift, the people on duty at the duty-leader post(s), against what
    was wanted there."""
    posts = duty_leader_posts(operation)
    patterns = {p.shift_pattern_id for p in posts}
    shifts = [s for s in types if s.pattern_id in patterns]
    cells: dict[tuple, list] = defaultdict(list)
    for e in (
        entries.filter(post__in=[p.pk for p in posts])
        .filter(reporting_days_q(first, last))
        .select_related("person", "post", "shift_type")
        .order_by("-leads", "person__staff_number")
    ):
        cells[(reporting_day_of(e.date, e.shift_type.start), e.shift_type_id)].append(e)
    rows = []
    missing = 0
    day = first
    while day <= last:
        row = []
        for s in shifts:
            when = reporting_day.shift_dates_for_day(day, s.start)
            wanted = sum(index.get((p.pk, when, s.pk), (0, 0))[0] for p in posts)
            duties = cells.get((day, s.pk), [])
            missing += wanted > 0 and not duties
            row.append({"shift": s, "date": when, "duties": duties, "wanted": wanted})
        rows.append({"day": day, "cells": row})
        day += timedelta(days=1)
    return {"posts": posts, "shifts": shifts, "rows": rows, "missing": missing}


def _shift_leader_gaps(operation, first, last, posts, entries, types, index) -> list[dict]:
    """Per post: the shifts that want a leader, how many had one, which had none, and who led.
    Posts with gaps first."""
    types = {s.pk: s for s in types}
    wanted: dict[int, list] = defaultdict(list)
    for (post_id, when, shift_id), (_people, leaders) in index.items():
        if leaders and first <= reporting_day_of(when, types[shift_id].start) <= last:
            wanted[post_id].append((when, shift_id))
    led: dict[tuple, list] = defaultdict(list)
    leaders: dict[int, Counter] = defaultdict(Counter)
    for e in (
        entries.filter(leads=True)
        .filter(reporting_days_q(first, last))
        .select_related("person")
        .order_by("person__staff_number")
    ):
        led[(e.post_id, e.date, e.shift_type_id)].append(e.person)
        leaders[e.post_id][e.person] += 1
    post_qs = (
        Post.objects.filter(operation=operation, pk__in=set(wanted) | set(leaders))
        .select_related("site", "site__zone")
        .order_by("code")
    )
    if posts is not None:
        post_qs = post_qs.filter(pk__in=posts)
    rows = []
    for post in post_qs:
        slots = sorted(wanted.get(post.pk, []), key=lambda k: (k[0], types[k[1]].start))
        gaps = [
            {"day": reporting_day_of(when, types[sid].start), "date": when, "shift": types[sid]}
            for when, sid in slots
            if (post.pk, when, sid) not in led
        ]
        rows.append(
            {
                "post": post,
                "wanted": len(slots),
                "led": len(slots) - len(gaps),
                "missing": gaps,
                "leaders": leaders[post.pk].most_common(),
            }
        )
    rows.sort(key=lambda r: (-len(r["missing"]), r["post"].code))
    return rows


def zone_assignment_lists(
    *, operation: Operation, day: date, zones, outside=None, entries=None
) -> list[dict]:
    """The ICS 204 assignment lists of reporting day `day`: one per zone of `zones` in force that
    day, each with its posts' shifts and people (from duty_sheet), then one for the posts of
    `outside` (posts outside any zone) when given."""
    zones = list(
        zones_active_on(zones, day=day, tz=operation.tz)
        .select_related("station")
        .order_by("kind", "code")
    )
    posts = Post.objects.filter(operation=operation, site__zone__in=[z.pk for z in zones])
    if outside is not None:
        posts = posts | outside.filter(site__zone__isnull=True)
    sheet = duty_sheet(operation=operation, day=day, entries=entries, posts=posts.values("pk"))
    by_zone: dict[int | None, list] = defaultdict(list)
    for row in sheet:
        by_zone[row["post"].site.zone_id].append(row)
    pages = [{"zone": z, "posts": by_zone.get(z.pk, [])} for z in zones]
    if outside is not None and by_zone.get(None):
        pages.append({"zone": None, "posts": by_zone[None]})
    return pages


def coverage_state(slots) -> str:
    """How a post's shifts of a day are staffed: ok (every wanted place filled), part, none (no
    wanted place filled), idle (nothing wanted)."""
    wanted = sum(s.wanted for s in slots)
    if not wanted:
        return "idle"
    filled = sum(min(len(s.people), s.wanted) for s in slots)
    if filled == 0:
        return "none"
    return "ok" if filled == wanted else "part"


def post_features(*, operation: Operation, day: date, posts=None, entries=None, shows=None) -> list:
    """GeoJSON point features of the posts of `posts` (default: all) on reporting day `day`, at
    their site's location: demand, people, leaders and coverage state. Names of people for whom
    `shows(person)` is false are left out (the counts stay whole)."""
    sheet = duty_sheet(operation=operation, day=day, entries=entries, posts=posts)
    slots_of = {row["post"].pk: row["slots"] for row in sheet}
    post_qs = Post.objects.filter(operation=operation).select_related("site", "site__zone")
    if posts is not None:
        post_qs = post_qs.filter(pk__in=posts)
    features = []
    for post in post_qs.order_by("code"):
        slots = slots_of.get(post.pk, [])
        shifts = []
        names: list[str] = []
        leaders: list[str] = []
        for s in slots:
            people = [(p, lead) for p, lead in s.people if shows is None or shows(p)]
            lead = s.leader if s.leader is not None and (shows is None or shows(s.leader)) else None
            shifts.append(
                {
                    "code": s.shift.code,
                    "name": s.shift.name,
                    "start": s.shift.start.strftime("%H:%M"),
                    "wanted": s.wanted,
                    "staffed": len(s.people),
                    "leaders_wanted": s.leaders_wanted,
                    "led": s.leader is not None,
                    "leader": lead.name if lead else None,
                    "people": [p.name for p, _lead in people],
                }
            )
            names += [p.name for p, _lead in people if p.name not in names]
            if lead and lead.name not in leaders:
                leaders.append(lead.name)
        zone = post.site.zone
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(post.site.longitude, 6), round(post.site.latitude, 6)],
                },
                "properties": {
                    "layer": "post",
                    "code": post.code,
                    "name": post.name,
                    "site": post.site.name,
                    "zone": zone.code if zone else None,
                    "wanted": sum(s.wanted for s in slots),
                    "staffed": sum(len(s.people) for s in slots),
                    "missing": sum(s.missing for s in slots),
                    "leaders_missing": sum(
                        1 for s in slots if s.leaders_wanted and s.leader is None
                    ),
                    "leader": ", ".join(leaders),
                    "people": names,
                    "shifts": shifts,
                    "coverage": coverage_state(slots),
                    "url": reverse("deployment:roster_post", args=[post.pk])
                    + f"?from={day.isoformat()}",
                },
            }
        )
    return features


def person_times_report(*, operation: Operation, today: date) -> dict:
    """selectors.person_times shaped for the page and the workbook: every reporting day with its
    running total, place kinds and units in a fixed order with labels, today's and cumulative
    figures up to and including reporting day `today`."""
    from cordon.sites.choices import SiteKindChoices, ZoneKindChoices

    pt = person_times(operation=operation, today=today)
    by_day = dict(pt["by_day"])
    days = []
    if by_day:
        running = 0
        day, end = min(by_day), max(by_day)
        while day <= end:
            running += by_day.get(day, 0)
            days.append(
                {"day": day, "today": by_day.get(day, 0), "total": running, "planned": day > today}
            )
            day += timedelta(days=1)
    kinds = [
        {
            "kind": k.value,
            "label": k.label,
            "today": pt["kind_today"][k.value],
            "total": pt["kind_total"][k.value],
        }
        for k in (*ZoneKindChoices, *SiteKindChoices)
        if pt["kind_total"][k.value]
    ]
    units = {u.name: u for u in Unit.objects.filter(operation=operation)}
    unit_rows = sorted(
        (
            {"unit": units.get(name), "name": name, "today": pt["unit_today"][name], "total": total}
            for name, total in pt["unit_total"].items()
        ),
        key=lambda r: (r["unit"].code if r["unit"] else "", r["name"]),
    )
    return {
        "today": today,
        "days": days,
        "kinds": kinds,
        "units": unit_rows,
        "today_total": pt["today"],
        "total": pt["total"],
        "planned": pt["planned"],
    }


def person_times_by_person(*, people, today: date):
    """`people` with their person-times on reporting day `today` (`pt_today`) and up to and
    including it (`pt_total`), most first."""
    return people.annotate(
        pt_today=Count("duties", filter=reporting_days_q(today, today, "duties__")),
        pt_total=Count("duties", filter=reporting_days_q(None, today, "duties__")),
    ).order_by("-pt_total", "staff_number")
