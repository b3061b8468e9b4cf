"""Pages of the operation: overview, people, units, import and export.

Plain function views: each reads through selectors, writes through services, and asks
cordon.accounts.permissions what the user may see and do.
"""

import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.accounts import permissions
from cordon.sites import selectors as site_selectors

from . import exports, importers, selectors, services
from .audit import history_rows
from .choices import PersonStatusChoices, UnitKindChoices
from .forms import (
    ImportForm,
    PeopleFilterForm,
    PersonForm,
    StatusChangeForm,
    UnavailabilityForm,
)
from .models import Person, Unavailability, Unit


def _operation(request):
    op = request.operation
    if not op:
        raise Http404(_("There is no operation yet. Load the demo or create one in the admin."))
    return op


def _form_errors_to(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def overview(request):
    op = _operation(request)
    now = timezone.now()
    day = op.reporting_day(now)
    visible = permissions.people_visible(request.user, Person.objects.filter(operation=op))
    total_days = (op.last_day() - op.first_day()).days + 1 if op.ended_at else None
    demand = site_selectors.demand_for_day(operation=op, day=day)
    available = selectors.available_people(operation=op, day=day)
    context = {
        "nav": "overview",
        "day": day,
        "day_number": op.day_number(now),
        "total_days": total_days,
        "people_total": visible.count(),
        "by_status": [
            (PersonStatusChoices(s).label, s, n)
            for s, n in selectors.people_by_status(visible).items()
        ],
        "units": [
            r
            for r in selectors.units_with_counts(operation=op, people=visible)
            if r["unit"].kind in UnitKindChoices.home_units() and r["people"]
        ],
        "zones": site_selectors.zone_counts(operation=op, moment=now),
        "sites": site_selectors.site_counts(operation=op),
        "posts": site_selectors.post_counts(operation=op),
        "demand": demand,
        "available": available.count(),
        "available_leaders": available.filter(is_post_leader=True).count(),
        "on_duty_today": _published_today(op, day),
    }
    return render(request, "operations/overview.html", context)


def _published_today(op, day) -> int | None:
    """Person-shifts the published roster has in reporting day `day` (None: none published)."""
    from cordon.deployment.models import Duty
    from cordon.deployment.selectors import in_reporting_day

    duties = Duty.objects.filter(operation=op)
    if not duties.exists():
        return None
    return duties.filter(in_reporting_day(day)).count()


@login_required
def people(request):
    op = _operation(request)
    form = PeopleFilterForm(request.GET or None, operation=op)
    base = permissions.people_visible(request.user, Person.objects.filter(operation=op))
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {
            "search": d["q"],
            "unit": d["unit"].pk if d["unit"] else None,
            "team": d["team"].pk if d["team"] else None,
            "category": d["category"],
            "status": d["status"],
            "leader": d["leader"],
            "skill": d["skill"],
        }
    qs = selectors.people_list(operation=op, people=base, **filters).prefetch_related("skills")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"nav": "people", "form": form, "page": page, "query": query.urlencode()}
    template = "operations/_people_table.html" if request.htmx else "operations/people.html"
    return render(request, template, context)


def _visible_person(request, pk) -> Person:
    op = _operation(request)
    qs = permissions.people_visible(request.user, Person.objects.filter(operation=op))
    return get_object_or_404(qs.select_related("home_unit"), pk=pk)


@login_required
def person_detail(request, pk: int):
    person = _visible_person(request, pk)
    context = {
        "nav": "people",
        "person": person,
        "skills": person.skills.all(),
        "teams": person.teams.all(),
        "status_changes": person.status_changes.select_related("recorded_by")[:50],
        "unavailabilities": person.unavailabilities.all(),
        "can_edit": permissions.can_edit_person(request.user, person),
        "history": history_rows(person) if permissions.can_see_audit(request.user) else None,
        "status_form": StatusChangeForm(initial={"effective_from": timezone.localtime()}),
        "unavailability_form": UnavailabilityForm(),
    }
    return render(request, "operations/person_detail.html", context)


@login_required
def person_edit(request, pk: int | None = None):
    op = _operation(request)
    person = _visible_person(request, pk) if pk else None
    if person is not None:
        permissions.require(permissions.can_edit_person(request.user, person))
    else:
        permissions.require(permissions.can_edit_people(request.user))
    station = request.user.station_id if request.user.role == "station_chief" else None
    form = PersonForm(request.POST or None, instance=person, operation=op, station=station)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in services.PERSON_FIELDS}
        try:
            if person is None:
                person = services.person_create(
                    operation=op, by=request.user, skills=d["skills"], teams=d["teams"], **fields
                )
            else:
                person = services.person_update(
                    person=person, by=request.user, skills=d["skills"], teams=d["teams"], **fields
                )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(person.get_absolute_url())
    return render(
        request, "operations/person_form.html", {"nav": "people", "form": form, "person": person}
    )


@login_required
@require_POST
def person_status(request, pk: int):
    person = _visible_person(request, pk)
    permissions.require(permissions.can_edit_person(request.user, person))
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        services.person_set_status(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, _("Status recorded."))
    else:
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}",
            )
    return HttpResponseRedirect(person.get_absolute_url())


@login_required
@require_POST
def person_unavailability(request, pk: int):
    person = _visible_person(request, pk)
    permissions.require(permissions.can_edit_person(request.user, person))
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        services.unavailability_add(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, _("Unavailability recorded."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return HttpResponseRedirect(person.get_absolute_url())


@login_required
@require_POST
def unavailability_remove(request, pk: int):
    item = get_object_or_404(Unavailability, pk=pk)
    person = _visible_person(request, item.person_id)
    services.unavailability_remove(unavailability=item, by=request.user)
    messages.success(request, _("Removed."))
    return HttpResponseRedirect(person.get_absolute_url())


@login_required
def units(request):
    op = _operation(request)
    visible = permissions.people_visible(request.user, Person.objects.filter(operation=op))
    rows = selectors.units_with_counts(operation=op, people=visible)
    return render(request, "operations/units.html", {"nav": "units", "rows": rows})


@login_required
def unit_detail(request, pk: int):
    op = _operation(request)
    unit = get_object_or_404(Unit.objects.filter(operation=op), pk=pk)
    visible = permissions.people_visible(request.user, Person.objects.filter(operation=op))
    members = visible.filter(teams=unit) if unit.is_task_team else visible.filter(home_unit=unit)
    members = members.select_related("home_unit").order_by("staff_number")
    page = Paginator(members, 100).get_page(request.GET.get("page"))
    children = unit.children.annotate(n=Count("members"))
    return render(
        request,
        "operations/unit_detail.html",
        {
            "nav": "units",
            "unit": unit,
            "page": page,
            "children": children,
            "history": history_rows(unit) if permissions.can_see_audit(request.user) else None,
        },
    )


UPLOAD_DIR = "uploads"


UPLOAD_KEEP_SECONDS = 24 * 3600


def _upload_path(digest: str, suffix: str) -> Path:
    """Where an uploaded file waits for its confirmation; files older than a day are removed."""
    folder = Path(settings.DATA_DIR) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - UPLOAD_KEEP_SECONDS
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return folder / f"{digest}{suffix}"


@login_required
def people_import(request):
    """Upload a file, see every row checked (a dry run), then confirm to write all of it."""
    op = _operation(request)
    permissions.require(permissions.can_import_people(request.user))
    form = ImportForm()
    result = None
    token = None
    if request.method == "POST" and "confirm" in request.POST:
        token = request.POST.get("token", "")
        matches = (
            list((Path(settings.DATA_DIR) / UPLOAD_DIR).glob(f"{token}.*"))
            if (len(token) == 64 and token.isalnum())
            else []
        )
        if not matches:
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return HttpResponseRedirect(reverse("operations:people_import"))
        path = matches[0]
        result = importers.parse_people(path.read_bytes(), path.name, operation=op)
        if result.ok:
            counts = importers.import_people(result, operation=op, by=request.user)
            path.unlink(missing_ok=True)
            messages.success(
                request,
                _("Imported: %(create)s new, %(update)s updated, %(unchanged)s unchanged.")
                % counts,
            )
            return HttpResponseRedirect(reverse("operations:people"))
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            token = hashlib.sha256(content).hexdigest()
            suffix = Path(upload.name).suffix.lower()
            _upload_path(token, suffix).write_bytes(content)
            result = importers.parse_people(content, upload.name, operation=op)
    return render(
        request,
        "operations/people_import.html",
        {
            "nav": "people",
            "form": form,
            "result": result,
            "token": token,
            "counts": result.counts() if result else None,
            "field_labels": importers.FIELD_LABELS,
        },
    )


@login_required
def people_export(request):
    op = _operation(request)
    if not permissions.sees_all_people(request.user) and request.user.role != "station_chief":
        raise PermissionDenied
    people_qs = permissions.people_visible(request.user, Person.objects.filter(operation=op))
    data = exports.people_xlsx(operation=op, people=people_qs)
    name = f"people-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        data,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
