"""Reads of the sites app: counts for the overview, today's demand, map data."""

from collections import Counter
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse

from cordon.operations import reporting_day
from cordon.operations.models import Operation, ShiftType

from .choices import SiteKindChoices, ZoneKindChoices, ZoneStateChoices
from .models import Post, PostDemand, Site, Zone


def zone_counts(*, operation: Operation, moment: datetime) -> list[dict]:
    rows = []
    for kind in ZoneKindChoices:
        zones = Zone.objects.filter(operation=operation, kind=kind)
        total = zones.count()
        lifted = zones.filter(lifted_at__lte=moment).count()
        planned = zones.filter(activated_at__gt=moment).count()
        rows.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "total": total,
                "active": total - lifted - planned,
                "lifted": lifted,
                "planned": planned,
            }
        )
    return rows


def site_counts(*, operation: Operation) -> list[dict]:
    sites = dict(
        Site.objects.filter(operation=operation)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    posts = dict(
        Post.objects.filter(operation=operation)
        .values_list("site__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {
            "kind": k.value,
            "label": k.label,
            "sites": sites.get(k.value, 0),
            "posts": posts.get(k.value, 0),
        }
        for k in SiteKindChoices
        if sites.get(k.value)
    ]


def post_counts(*, operation: Operation) -> int:
    return Post.objects.filter(operation=operation).count()


def demands_on(*, operation: Operation, first: date, last: date):
    """Demand entries of the operation that apply on some date in [first, last]."""
    return PostDemand.objects.filter(post__operation=operation).filter(
        Q(first_day__isnull=True) | Q(first_day__lte=last),
        Q(last_day__isnull=True) | Q(last_day__gte=first),
    )


def demand_for_day(*, operation: Operation, day: date) -> dict:
    """Demand of the shifts that start within reporting day `day` (today and tonight)."""
    shift_types = {s.pk: s for s in ShiftType.objects.filter(operation=operation)}
    per_shift: Counter = Counter()
    leaders_per_shift: Counter = Counter()
    posts = set()
    people = leaders = 0
    entries = demands_on(operation=operation, first=day, last=day + timedelta(days=1))
    for d in entries.values(
        "post_id", "shift_type_id", "headcount", "leaders", "first_day", "last_day"
    ):
        shift = shift_types[d["shift_type_id"]]
        when = reporting_day.shift_dates_for_day(day, shift.start)
        if (d["first_day"] and when < d["first_day"]) or (d["last_day"] and when > d["last_day"]):
            continue
        people += d["headcount"]
        leaders += d["leaders"]
        per_shift[shift.pk] += d["headcount"]
        leaders_per_shift[shift.pk] += d["leaders"]
        posts.add(d["post_id"])
    shifts = [
        {
            "name": s.name,
            "code": s.code,
            "start": s.start,
            "people": per_shift[s.pk],
            "leaders": leaders_per_shift[s.pk],
        }
        for s in sorted(
            shift_types.values(), key=lambda s: (s.start < reporting_day.DAY_START, s.start)
        )
        if per_shift[s.pk]
    ]
    return {"posts": len(posts), "people": people, "leaders": leaders, "shifts": shifts}


def zone_state_filter(state: str, moment: datetime) -> Q:
    if state == ZoneStateChoices.PLANNED:
        return Q(activated_at__gt=moment)
    if state == ZoneStateChoices.LIFTED:
        return Q(lifted_at__lte=moment)
    return Q(activated_at__lte=moment) & (Q(lifted_at__isnull=True) | Q(lifted_at__gt=moment))


def map_features(*, zones, sites, moment: datetime) -> dict:
    """A GeoJSON FeatureCollection: zones as polygons, sites as points, with what a popup shows."""
    features = []
    # Controlled zones first, so the lockdown zones inside them are drawn (and clicked) on top.
    for z in zones.select_related("station").order_by("kind", "code"):
        state = z.state(moment)
        features.append(
            {
                "type": "Feature",
                "geometry": z.boundary.get("geometry", z.boundary),
                "properties": {
                    "layer": "zone",
                    "code": z.code,
                    "name": z.name,
                    "kind": z.kind,
                    "kind_label": str(ZoneKindChoices(z.kind).label),
                    "state": state,
                    "state_label": str(ZoneStateChoices(state).label),
                    "station": z.station.name,
                    "url": z.get_absolute_url(),
                },
            }
        )
    kind_labels = {k.value: str(k.label) for k in SiteKindChoices}
    site_base = reverse("sites:sites")
    posts = dict(
        Post.objects.filter(site__in=sites)
        .values_list("site_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for s in sites.values("id", "code", "name", "kind", "latitude", "longitude"):
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(s["longitude"], 6), round(s["latitude"], 6)],
                },
                "properties": {
                    "layer": "site",
                    "code": s["code"],
                    "name": s["name"],
                    "kind": s["kind"],
                    "kind_label": kind_labels[s["kind"]],
                    "posts": posts.get(s["id"], 0),
                    "url": f"{site_base}{s['id']}/",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
