"""Reads behind the reports on the published roster: the leader-on-duty schedule, ICS 204
assignment lists, person-times and the deployment map. Built on `selectors`."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet
from django.urls import reverse

from cordon.operations import reporting_day
from cordon.operations.models import Operation, Unit
from cordon.sites.models import Post

from .models import Duty
from .selectors import (
    demand_index,
    duty_sheet,
    person_times,
    reporting_day_of,
    shift_types,
)


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
