"""Reports on the published roster: the leader-on-duty schedule (24小时领导带班), the ICS 204
assignment lists, person-times (人次) and their workbook, the roster workbook, and the deployment
map (警力部署图).

Who sees what follows the roster pages in views.py: planners and the command see every post and
person; a station chief his station's posts (permissions.places_visible); a field officer only his
own name. Counts (wanted, staffed, short, person-times) name no one and stay whole for everyone.
"""

import json
from collections.abc import Callable
from contextlib import suppress
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cordon.accounts import permissions
from cordon.accounts.choices import UserRoleChoices
from cordon.operations import reporting_day
from cordon.operations.models import Person
from cordon.sites.models import Post, Site, Zone
from cordon.sites.selectors import map_features

from . import caching, exports, report_selectors, selectors
from .choices import PlanStatusChoices
from .models import Duty, Plan

MAX_DAYS = 62  # the longest period one page or workbook covers
PEOPLE_PER_PAGE = 50


def _operation(request):
    if not request.operation:
        raise Http404(_("There is no operation yet."))
    return request.operation


def _today(request) -> date:
    return _operation(request).reporting_day()


def _day_param(request, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return default


def _period(request, *, first: date, days: int) -> tuple[date, date]:
    """[from, from + days - 1] from ?from=&days=, else the defaults given; at most MAX_DAYS."""
    with suppress(ValueError):
        first = date.fromisoformat(request.GET.get("from", ""))
    with suppress(ValueError):
        days = int(request.GET.get("days", ""))
    days = min(MAX_DAYS, max(1, days))
    return first, first + timedelta(days=days - 1)


def _published_week(operation, today: date) -> tuple[date, int]:
    """The default period: a week from today, moved into the published span and cut at its
    end, so days not yet published do not read as gaps."""
    lo, hi = selectors.published_span(operation)
    if lo is None:
        return today, 7
    first = max(lo, today if today <= hi else hi - timedelta(days=6))
    return first, min(7, (hi - first).days + 1)


def _posts_scope(request):
    """The posts whose rosters the user may read, or None for all (as roster_day does)."""
    if permissions.sees_all_duties(request.user):
        return None
    posts = Post.objects.filter(operation=_operation(request))
    return permissions.places_visible(request.user, posts, "site__station_id")


def _shows(request) -> Callable[[Person], bool] | None:
    """Whose names the user may read on the posts he sees; None: everyone's. A field officer
    reads only his own."""
    if permissions.role(request.user) != UserRoleChoices.FIELD_OFFICER:
        return None
    own = request.user.person_id
    return lambda person: own is not None and person.pk == own


def _visible_people(request):
    people = Person.objects.filter(operation=_operation(request))
    return permissions.people_visible(request.user, people)


def _entries(request):
    """The published roster, or a plan's assignments with ?plan=ID (drafts: planners only), as
    far as the user may read it."""
    op = _operation(request)
    plan = None
    entries = Duty.objects.filter(operation=op)
    if "plan" in request.GET:
        if not request.GET["plan"].isdigit():
            raise Http404
        plan = get_object_or_404(Plan, pk=request.GET["plan"], operation=op)
        if not permissions.can_plan(request.user) and plan.status != PlanStatusChoices.PUBLISHED:
            raise PermissionDenied
        entries = plan.assignments.all()
    posts = _posts_scope(request)
    if posts is not None:
        entries = entries.filter(post__in=posts)
    if permissions.role(request.user) == UserRoleChoices.FIELD_OFFICER:
        entries = entries.filter(person_id=request.user.person_id)
    return plan, entries


def _xlsx(data, name: str) -> FileResponse:
    return FileResponse(data, as_attachment=True, filename=name, content_type=exports.XLSX)


@login_required
def leaders(request):
    """The duty leader of every shift (24小时领导带班) over a period, and per post the shifts that
    wanted a shift leader and had none."""
    op = _operation(request)
    today = _today(request)
    default_first, default_days = _published_week(op, today)
    first, last = _period(request, first=default_first, days=default_days)
    days = (last - first).days + 1
    report = report_selectors.leader_report(
        operation=op, first=first, last=last, posts=_posts_scope(request)
    )
    schedule, gaps = report["schedule"], report["gaps"]
    shows = _shows(request)
    if shows is not None:
        for row in gaps:
            row["leaders"] = [(p, n) for p, n in row["leaders"] if shows(p)]
    return render(
        request,
        "deployment/leaders.html",
        {
            "nav": "roster",
            "schedule": schedule,
            "gaps": gaps,
            "gap_total": sum(len(r["missing"]) for r in gaps),
            "first": first,
            "last": last,
            "days": days,
            "today": today,
            "earlier": first - timedelta(days=days),
            "later": first + timedelta(days=days),
        },
    )


@login_required
def ics204(request):
    """ICS 204 assignment lists of one reporting day, one printed page per zone (?zone=CODE for
    one), and a last page for the posts outside any zone."""
    op = _operation(request)
    day = _day_param(request, _today(request))
    zones = permissions.places_visible(request.user, Zone.objects.filter(operation=op))
    code = request.GET.get("zone", "").strip()
    outside = None
    if code:
        zones = zones.filter(code=code)
        if not zones.exists():
            raise Http404(_("No such zone."))
    else:
        outside = _posts_scope(request)
        if outside is None:
            outside = Post.objects.filter(operation=op)
    pages = report_selectors.zone_assignment_lists(
        operation=op, day=day, zones=zones, outside=outside
    )
    shows = _shows(request)
    for page in pages:
        for row in page["posts"]:
            for slot in row["slots"]:
                slot.shown = [(p, lead) for p, lead in slot.people if shows is None or shows(p)]
                slot.hidden = len(slot.people) - len(slot.shown)
    start, end = reporting_day.bounds(day, op.tz)
    return render(
        request,
        "deployment/ics204.html",
        {
            "nav": "roster",
            "day": day,
            "zone_code": code,
            "pages": pages,
            "period_start": start,
            "period_end": end,
            "prepared_by": request.user.get_full_name() or request.user.get_username(),
            "prepared_role": request.user.get_role_display(),
            "prepared_at": timezone.now(),
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
        },
    )


def _person_times_day(request) -> date:
    """The reporting day the figures run to (?day=, default today)."""
    return _day_param(request, _today(request))


@login_required
def person_times(request):
    """Person-times (人次) of the published roster: per reporting day, place kind and unit, today
    and cumulative; then per person, searchable (only the people the user may see)."""
    op = _operation(request)
    today = _person_times_day(request)
    report = report_selectors.person_times_report(operation=op, today=today)
    q = request.GET.get("q", "").strip()
    people = _visible_people(request).select_related("home_unit")
    if q:
        people = people.filter(Q(name__icontains=q) | Q(staff_number__icontains=q))
    ranked = report_selectors.person_times_by_person(people=people, today=today)
    page = Paginator(ranked, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deployment/person_times.html",
        {
            "nav": "roster",
            "report": report,
            "day": today,
            "q": q,
            "page": page,
            "query": query.urlencode(),
            "previous": today - timedelta(days=1),
            "next": today + timedelta(days=1),
        },
    )


@login_required
def person_times_xlsx(request):
    """The person-time accounting as a workbook: one sheet per breakdown."""
    op = _operation(request)
    today = _person_times_day(request)
    report = report_selectors.person_times_report(operation=op, today=today)
    people = report_selectors.person_times_by_person(
        people=_visible_people(request).select_related("home_unit"), today=today
    )
    data = exports.person_times_xlsx(operation=op, report=report, people=people)
    return _xlsx(data, f"person-times-{today:%Y%m%d}.xlsx")


@login_required
def roster_xlsx(request):
    """The published roster (or ?plan=ID) over reporting days ?from=&days= as a workbook: by
    post, by person, and every duty as a flat table. Default: every day the roster reaches."""
    plan, entries = _entries(request)
    first, last = report_selectors.reporting_span(entries)
    if first is None:
        first = last = _today(request)
    first, last = _period(request, first=first, days=(last - first).days + 1)
    data = exports.roster_xlsx(
        operation=_operation(request), entries=entries, first=first, last=last
    )
    name = f"roster-{first:%Y%m%d}-{last:%Y%m%d}"
    if plan is not None:
        name += f"-v{plan.number}"
    return _xlsx(data, f"{name}.xlsx")


def _map_moment(operation, day: date, today: date):
    """The moment zones are drawn as of: now for today, else the end of the reporting day."""
    if day == today:
        return timezone.now()
    return reporting_day.bounds(day, operation.tz)[1] - timedelta(microseconds=1)


@login_required
def deployment_map(request):
    """The deployment map (警力部署图) of one reporting day, with the posts not fully staffed
    listed below it for a phone or a printout."""
    op = _operation(request)
    today = _today(request)
    day = _day_param(request, today)
    features = report_selectors.post_features(
        operation=op, day=day, posts=_posts_scope(request), shows=_shows(request)
    )
    states = {"ok": 0, "part": 0, "none": 0, "idle": 0}
    for f in features:
        states[f["properties"]["coverage"]] += 1
    short = [f["properties"] for f in features if f["properties"]["coverage"] in ("part", "none")]
    labels = {
        "ok": _("fully staffed"),
        "part": _("partly staffed"),
        "none": _("nobody on duty"),
        "idle": _("nothing wanted"),
        "no_leader": _("no leader"),
        "roster": _("roster"),
    }
    return render(
        request,
        "deployment/map.html",
        {
            "nav": "map",
            "day": day,
            "today": today,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "states": states,
            "short": short,
            "map_labels": labels,
        },
    )


@login_required
def deployment_map_data(request):
    """GeoJSON of the deployment map of ?day= (default today): zones as on the zone map, and the
    posts at their sites with the day's demand, people, leaders and coverage state. Cached
    (caching.py); today's zones are drawn as of the current minute."""
    op = _operation(request)
    today = _today(request)
    day = _day_param(request, today)
    moment = _map_moment(op, day, today)
    if day == today:
        moment = moment.replace(second=0, microsecond=0)

    def build() -> bytes:
        zones = permissions.places_visible(request.user, Zone.objects.filter(operation=op))
        data = map_features(zones=zones, sites=Site.objects.none(), moment=moment)
        data["features"] += report_selectors.post_features(
            operation=op, day=day, posts=_posts_scope(request), shows=_shows(request)
        )
        data["day"] = day.isoformat()
        return json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).encode()

    body = caching.cached(request, "deployment-map", (day, moment), build)
    return HttpResponse(body, content_type="application/json")
