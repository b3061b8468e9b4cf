"""Pages of deployment: plans and their review, publishing, sick-out and repair, rosters and
each officer's own duties."""

import json
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.accounts import permissions
from cordon.operations.models import Person
from cordon.sites.models import Post

from . import caching, checks, selectors, services
from .choices import PlanStatusChoices
from .forms import AddForm, MoveForm, PlanRequestForm, SickOutForm
from .models import Assignment, CalendarFeed, Duty, Plan


def _operation(request):
    if not request.operation:
        raise Http404(_("There is no operation yet."))
    return request.operation


def _today(request) -> date:
    return _operation(request).reporting_day()


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _day_param(request, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return default


def _visible_people(request):
    op = _operation(request)
    return permissions.people_visible(request.user, Person.objects.filter(operation=op))


def _visible_posts(request):
    op = _operation(request)
    return permissions.places_visible(
        request.user, Post.objects.filter(operation=op), "site__station_id"
    )


@login_required
def home(request):
    """Plans of the operation, the published roster's span, and the form to plan a period."""
    op = _operation(request)
    today = _today(request)
    form = PlanRequestForm(request.POST or None, operation=op, today=today)
    if request.method == "POST":
        permissions.require(permissions.can_plan(request.user))
        if form.is_valid():
            try:
                plan = services.plan_request(
                    operation=op,
                    by=request.user,
                    first_day=form.cleaned_data["first_day"],
                    last_day=form.cleaned_data["last_day"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return HttpResponseRedirect(plan.get_absolute_url())
    first, last = selectors.published_span(op)
    plans = Plan.objects.filter(operation=op).select_related("created_by", "published_by")[:30]
    return render(
        request,
        "deployment/home.html",
        {
            "nav": "deployment",
            "form": form,
            "plans": plans,
            "today": today,
            "published": services.current_published(op),
            "span": (first, last),
            "can_plan": permissions.can_plan(request.user),
        },
    )


def _plan(request, pk) -> Plan:
    plan = get_object_or_404(
        Plan.objects.select_related("based_on", "created_by", "published_by"),
        pk=pk,
        operation=_operation(request),
    )
    if not (
        permissions.can_plan(request.user)
        or permissions.role(request.user) in ("station_chief", "commander", "viewer")
    ):
        raise PermissionDenied
    return plan


@login_required
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    if request.htmx and request.GET.get("part") == "status":
        if plan.is_finished:
            # Reload the whole page once the run ends: the result sections appear.
            response = HttpResponse()
            response["HX-Refresh"] = "true"
            return response
        return render(request, "deployment/_plan_status.html", {"plan": plan})
    context = {"nav": "deployment", "plan": plan, "can_plan": permissions.can_plan(request.user)}
    if plan.status in (
        PlanStatusChoices.DRAFT,
        PlanStatusChoices.PUBLISHED,
        PlanStatusChoices.SUPERSEDED,
    ):
        shortfall = plan.shortfall.select_related("post", "shift_type")
        context.update(
            {
                "shortfall": shortfall[:300],
                "shortfall_count": shortfall.count(),
                "objective": plan.objective,
                "assignment_count": plan.assignments.count(),
                "posts": _posts_of_plan(plan),
                "changes": _changes_against_published(plan) if plan.status == "draft" else None,
                "current": services.current_published(plan.operation),
            }
        )
    return render(request, "deployment/plan_detail.html", context)


def _posts_of_plan(plan: Plan) -> list[dict]:
    """Per post: person-shifts planned, missing, and the team size, for the plan's period."""
    from django.db.models import Count, Sum

    counts = dict(plan.assignments.values_list("post_id").annotate(n=Count("id")).order_by())
    team = dict(
        plan.assignments.values_list("post_id")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    missing = dict(plan.shortfall.values_list("post_id").annotate(n=Sum("people")).order_by())
    posts = Post.objects.filter(operation=plan.operation).select_related("site").order_by("code")
    return [
        {
            "post": p,
            "planned": counts.get(p.pk, 0),
            "team": team.get(p.pk, 0),
            "missing": missing.get(p.pk, 0) or 0,
        }
        for p in posts
        if counts.get(p.pk) or missing.get(p.pk)
    ]


def _changes_against_published(plan: Plan):
    published = Duty.objects.filter(
        operation=plan.operation, date__gte=plan.first_day, date__lte=plan.last_day
    )
    return selectors.plan_changes(old=published, new=plan.assignments.all())


@login_required
@require_POST
def plan_publish(request, pk: int):
    plan = _plan(request, pk)
    try:
        services.plan_publish(plan=plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, _("Not published:"))
        _errors(request, exc)
    else:
        messages.success(request, _("Published: this is now the roster everyone sees."))
    return HttpResponseRedirect(plan.get_absolute_url())


@login_required
@require_POST
def plan_discard(request, pk: int):
    plan = _plan(request, pk)
    try:
        services.plan_discard(plan=plan, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return HttpResponseRedirect(reverse("deployment:home"))


@login_required
def plan_download(request, pk: int, what: str):
    plan = _plan(request, pk)
    if what == "scenario":
        data = plan.scenario
    elif what == "plan" and plan.result is not None:
        data = checks.plan_export(plan)
    else:
        raise Http404
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.number}-{what}.json"'
    return response


@login_required
def plan_compare(request, pk: int, other: int):
    plan = _plan(request, pk)
    older = _plan(request, other)
    first = max(plan.first_day, older.first_day)
    last = min(plan.last_day, older.last_day)
    changes = selectors.plan_changes(
        old=older.assignments.filter(date__gte=first, date__lte=last),
        new=plan.assignments.filter(date__gte=first, date__lte=last),
    )
    return render(
        request,
        "deployment/plan_compare.html",
        {
            "nav": "deployment",
            "plan": plan,
            "older": older,
            "changes": changes,
            "first": first,
            "last": last,
        },
    )


@login_required
def assignment_edit(request, pk: int, assignment: int):
    """Move, swap or remove one assignment of a draft; every change is checked at once."""
    plan = _plan(request, pk)
    permissions.require(permissions.can_plan(request.user))
    item = get_object_or_404(
        Assignment.objects.select_related("person", "post", "shift_type"), pk=assignment, plan=plan
    )
    move = MoveForm(
        request.POST if request.POST.get("action") == "move" else None,
        operation=plan.operation,
        initial={"post": item.post, "date": item.date, "shift_type": item.shift_type},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "move" and move.is_valid():
                services.assignment_move(
                    assignment=item,
                    by=request.user,
                    post=move.cleaned_data["post"],
                    day=move.cleaned_data["date"],
                    shift_type=move.cleaned_data["shift_type"],
                )
            elif action == "swap":
                other = get_object_or_404(Assignment, pk=request.POST.get("other"), plan=plan)
                services.assignment_swap(first=item, second=other, by=request.user)
            elif action == "remove":
                services.assignment_remove(assignment=item, by=request.user)
            else:
                raise ValidationError(_("Choose a change to make."))
        except ValidationError as exc:
            messages.error(request, _("Refused:"))
            _errors(request, exc)
        else:
            messages.success(request, _("Changed; the plan still keeps every hard rule."))
            return HttpResponseRedirect(
                reverse("deployment:roster_post", args=[item.post_id]) + f"?plan={plan.pk}"
                f"&from={item.date.isoformat()}"
            )
    swaps = (
        plan.assignments.filter(date=item.date)
        .exclude(person=item.person)
        .select_related("person", "post", "shift_type")
        .order_by("post__code")[:300]
    )
    return render(
        request,
        "deployment/assignment_edit.html",
        {"nav": "deployment", "plan": plan, "item": item, "move": move, "swaps": swaps},
    )


@login_required
def assignment_add(request, pk: int):
    plan = _plan(request, pk)
    permissions.require(permissions.can_plan(request.user))
    form = AddForm(
        request.POST or None,
        operation=plan.operation,
        initial={
            "date": request.GET.get("date"),
            "post": request.GET.get("post"),
            "shift_type": request.GET.get("shift"),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.assignment_add(
                plan=plan,
                person=d["person"],
                post=d["post"],
                day=d["date"],
                shift_type=d["shift_type"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, _("Refused:"))
            _errors(request, exc)
        else:
            messages.success(request, _("Added."))
            return HttpResponseRedirect(
                reverse("deployment:roster_post", args=[d["post"].pk])
                + f"?plan={plan.pk}&from={d['date'].isoformat()}"
            )
    return render(
        request,
        "sites/form.html",
        {
            "nav": "deployment",
            "form": form,
            "title": _("Add an assignment to %(plan)s") % {"plan": plan},
            "cancel": plan.get_absolute_url(),
        },
    )


def _entries_for(request):
    """The published roster, or a plan's assignments when ?plan=ID is given."""
    op = _operation(request)
    plan_id = request.GET.get("plan", "")
    if plan_id:
        if not plan_id.isdigit():
            raise Http404
        plan = get_object_or_404(Plan, pk=plan_id, operation=op)
        if not permissions.can_plan(request.user) and plan.status != "published":
            raise PermissionDenied
        return plan, plan.assignments.all()
    return None, Duty.objects.filter(operation=op)


@login_required
def roster_day(request):
    """The duty sheet: who is where today (from 08:00) and tonight. The published roster's sheet
    is cached (caching.py): everyone opens it at the change of shift."""
    op = _operation(request)
    day = _day_param(request, _today(request))
    plan, entries = _entries_for(request)

    def sheet_html() -> str:
        nonlocal entries
        posts = None if permissions.sees_all_duties(request.user) else _visible_posts(request)
        if permissions.role(request.user) == "field_officer":
            entries = entries.filter(person_id=request.user.person_id)
        sheet = selectors.duty_sheet(operation=op, day=day, entries=entries, posts=posts)
        context = {
            "day": day,
            "sheet": sheet,
            "plan": plan,
            "people": sum(r["people"] for r in sheet),
            "missing": sum(r["missing"] for r in sheet),
        }
        return render_to_string("deployment/_duty_sheet.html", context)

    if plan is None:
        html = caching.cached(request, "duty-sheet", (day,), sheet_html)
    else:
        html = sheet_html()
    return render(
        request,
        "deployment/roster_day.html",
        {
            "nav": "roster",
            "day": day,
            "sheet_html": mark_safe(html),
            "plan": plan,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
        },
    )


@login_required
def roster_post(request, post: int):
    post_obj = get_object_or_404(
        _visible_posts(request).select_related("site", "shift_pattern"), pk=post
    )
    plan, entries = _entries_for(request)
    start = _day_param(request, _today(request)) if "day" in request.GET else None
    try:
        start = start or date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = _today(request)
    days = min(31, max(1, int(request.GET.get("days", 7) or 7)))
    last = start + timedelta(days=days - 1)
    grid = selectors.roster_grid(post=post_obj, first=start, last=last, entries=entries)
    return render(
        request,
        "deployment/roster_post.html",
        {
            "nav": "roster",
            "post": post_obj,
            "grid": grid,
            "plan": plan,
            "first": start,
            "last": last,
            "days": days,
            "earlier": start - timedelta(days=days),
            "later": start + timedelta(days=days),
            "editable": plan is not None
            and plan.status == "draft"
            and permissions.can_plan(request.user),
        },
    )


@login_required
def roster_person(request, person: int):
    person_obj = get_object_or_404(_visible_people(request).select_related("home_unit"), pk=person)
    plan, entries = _entries_for(request)
    op = _operation(request)
    first = op.first_day()
    last = op.last_day() or (first + timedelta(days=27))
    days = selectors.person_calendar(person=person_obj, first=first, last=last, entries=entries)
    return render(
        request,
        "deployment/roster_person.html",
        {
            "nav": "roster",
            "person": person_obj,
            "days": days,
            "plan": plan,
            "total": sum(len(d["duties"]) for d in days),
            "today": _today(request),
        },
    )


@login_required
def my_duties(request):
    """A field officer's own duties on a phone: what, where, with whom, from today on."""
    person = request.user.person
    if person is None:
        return render(request, "deployment/my_duties.html", {"nav": "mine", "person": None})
    today = _today(request)
    duties = list(selectors.upcoming_duties(person=person, since=today - timedelta(days=1)))
    leaders = selectors.shift_leaders(duties)
    feed = CalendarFeed.objects.filter(person=person).first()
    return render(
        request,
        "deployment/my_duties.html",
        {
            "nav": "mine",
            "person": person,
            "today": today,
            "feed": feed,
            "rows": [(d, leaders.get((d.post_id, d.date, d.shift_type_id))) for d in duties],
            "feed_url": request.build_absolute_uri(
                reverse("deployment:calendar", args=[feed.token])
            )
            if feed
            else None,
        },
    )


@login_required
@require_POST
def my_feed(request):
    """Create the personal calendar link, or replace it (the old link stops working)."""
    person = request.user.person
    if person is None:
        raise PermissionDenied
    feed, created = CalendarFeed.objects.get_or_create(person=person)
    if not created:
        feed.renew()
        messages.success(request, _("A new calendar link was made; the old one no longer works."))
    return HttpResponseRedirect(reverse("deployment:mine"))


def calendar(request, token: str):
    """The personal iCalendar feed (no sign-in: the secret link is the key)."""
    from .ical import duties_calendar

    feed = get_object_or_404(CalendarFeed.objects.select_related("person__operation"), token=token)
    body = duties_calendar(feed.person)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cordon-duties.ics"'
    return response


@login_required
def sickout(request, person: int):
    """Mark a person sick, quarantined, on leave or released from a moment; offer the repair."""
    person_obj = get_object_or_404(_visible_people(request), pk=person)
    permissions.require(permissions.can_edit_person(request.user, person_obj))
    form = SickOutForm(
        request.POST or None,
        initial={"from_moment": timezone.localtime().replace(second=0, microsecond=0)},
    )
    op = _operation(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.mark_unavailable(
                person=person_obj,
                status=d["status"],
                from_moment=d["from_moment"],
                by=request.user,
                note=d["note"],
            )
            from_day = d["from_moment"].astimezone(op.tz).date()
            if d["repair"] and services.affected_duties(person=person_obj, from_day=from_day):
                plan = services.repair_request(
                    operation=op,
                    from_day=from_day,
                    by=request.user,
                    note=_("%(person)s %(status)s from %(day)s")
                    % {"person": person_obj.name, "status": d["status"], "day": from_day},
                )
                return HttpResponseRedirect(plan.get_absolute_url())
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Recorded."))
            return HttpResponseRedirect(person_obj.get_absolute_url())
    duties = services.affected_duties(person=person_obj, from_day=_today(request))
    return render(
        request,
        "deployment/sickout.html",
        {
            "nav": "people",
            "person": person_obj,
            "form": form,
            "duties": duties[:50],
            "count": duties.count(),
        },
    )
