"""JSON API of deployment: planning jobs, plans, publishing, repair, rosters.

The same services and permissions as the pages: a job is a Plan in status queued or running;
poll GET /plans/{id} until its status is draft (or failed).
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from cordon.accounts import permissions
from cordon.api.common import operation_for
from cordon.operations.models import Person
from cordon.sites.models import Post

from . import checks, selectors, services
from .choices import PlanKindChoices, PlanStatusChoices
from .models import Duty, Plan

router = Router(tags=["deployment"])


class PlanIn(Schema):
    first_day: date
    last_day: date
    note: str = ""


class RepairIn(Schema):
    from_day: date
    note: str = ""


class PlanOut(Schema):
    id: int
    number: int
    kind: PlanKindChoices
    status: PlanStatusChoices
    first_day: date
    last_day: date
    based_on: int | None
    coverage: float | None
    objective: dict[str, Any]
    shortfall: int
    error: str
    log: str
    seconds: float | None
    created_at: datetime
    published_at: datetime | None

    @staticmethod
    def resolve_based_on(obj: Plan) -> int | None:
        return obj.based_on_id

    @staticmethod
    def resolve_shortfall(obj: Plan) -> int:
        return obj.shortfall.count()


class DutyOut(Schema):
    person: str
    name: str
    post: str
    date: date
    shift: str
    starts: datetime
    minutes: int
    leads: bool


def _duty_rows(entries, tz) -> list[dict]:
    rows = []
    for e in entries.select_related("person", "post", "shift_type").order_by(
        "date", "shift_type__start", "post__code", "person__staff_number"
    ):
        rows.append(
            {
                "person": e.person.staff_number,
                "name": e.person.name,
                "post": e.post.code,
                "date": e.date,
                "shift": e.shift_type.code,
                "starts": datetime.combine(e.date, e.shift_type.start, tzinfo=tz),
                "minutes": e.shift_type.minutes,
                "leads": e.leads,
            }
        )
    return rows


def _plan(request, op, pk) -> Plan:
    if not (
        permissions.can_plan(request.user)
        or permissions.role(request.user) in ("station_chief", "viewer")
    ):
        raise PermissionDenied
    return get_object_or_404(Plan, pk=pk, operation=op)


@router.post("/plans", response={202: PlanOut})
def create_plan(request, payload: PlanIn, operation: int | None = None):
    """Queue a planning job for [first_day, last_day]; poll the plan until it is a draft."""
    op = operation_for(request, operation)
    plan = services.plan_request(
        operation=op,
        first_day=payload.first_day,
        last_day=payload.last_day,
        note=payload.note,
        by=request.user,
    )
    return Status(202, plan)


@router.post("/repairs", response={202: PlanOut})
def create_repair(request, payload: RepairIn, operation: int | None = None):
    """Queue a repair from `from_day` to the end of the published roster."""
    op = operation_for(request, operation)
    plan = services.repair_request(
        operation=op, from_day=payload.from_day, note=payload.note, by=request.user
    )
    return Status(202, plan)


@router.get("/plans", response=list[PlanOut])
@paginate(LimitOffsetPagination)
def list_plans(request, operation: int | None = None, status: PlanStatusChoices | None = None):
    op = operation_for(request, operation)
    if not (
        permissions.can_plan(request.user)
        or permissions.role(request.user) in ("station_chief", "viewer")
    ):
        raise PermissionDenied
    qs = Plan.objects.filter(operation=op).order_by("-number")
    return qs.filter(status=status) if status else qs


@router.get("/plans/{int:pk}", response=PlanOut)
def get_plan(request, pk: int, operation: int | None = None):
    return _plan(request, operation_for(request, operation), pk)


@router.get("/plans/{int:pk}/result", response=dict[str, Any])
def get_plan_result(request, pk: int, operation: int | None = None):
    """The plan as a cordon.plan/1 (frozen days included), as `cordon plan --check` reads it."""
    plan = _plan(request, operation_for(request, operation), pk)
    if plan.result is None:
        return {"format": "cordon.plan/1", "assignments": [], "status": plan.status}
    return checks.plan_export(plan)


@router.get("/plans/{int:pk}/scenario", response=dict[str, Any])
def get_plan_scenario(request, pk: int, operation: int | None = None):
    return _plan(request, operation_for(request, operation), pk).scenario


@router.post("/plans/{int:pk}/publish", response=PlanOut)
def publish_plan(request, pk: int, operation: int | None = None):
    plan = _plan(request, operation_for(request, operation), pk)
    return services.plan_publish(plan=plan, by=request.user)


def _roster_entries(request, op, plan_id: int | None):
    if plan_id is not None:
        plan = _plan(request, op, plan_id)
        if not permissions.can_plan(request.user) and plan.status != "published":
            raise PermissionDenied
        return plan.assignments.all()
    return Duty.objects.filter(operation=op)


@router.get("/roster/day/{day}", response=list[DutyOut])
def roster_day(request, day: date, operation: int | None = None, plan: int | None = None):
    """Duties of reporting day `day` (shifts starting from 08:00 that day to 08:00 the next)."""
    op = operation_for(request, operation)
    entries = _roster_entries(request, op, plan).filter(selectors.in_reporting_day(day))
    if not permissions.sees_all_duties(request.user):
        if permissions.role(request.user) == "field_officer":
            entries = entries.filter(person_id=request.user.person_id)
        else:
            entries = entries.filter(
                post__in=permissions.places_visible(
                    request.user, Post.objects.filter(operation=op), "site__station_id"
                )
            )
    return _duty_rows(entries, op.tz)


@router.get("/roster/post/{int:pk}", response=list[DutyOut])
def roster_post(
    request,
    pk: int,
    first_day: date,
    days: int = 7,
    operation: int | None = None,
    plan: int | None = None,
):
    op = operation_for(request, operation)
    post = get_object_or_404(
        permissions.places_visible(
            request.user, Post.objects.filter(operation=op), "site__station_id"
        ),
        pk=pk,
    )
    last = first_day + timedelta(days=max(1, min(days, 62)) - 1)
    entries = _roster_entries(request, op, plan).filter(
        post=post, date__gte=first_day, date__lte=last
    )
    return _duty_rows(entries, op.tz)


@router.get("/roster/person/{int:pk}", response=list[DutyOut])
def roster_person(request, pk: int, operation: int | None = None, plan: int | None = None):
    """A person's duties: a field officer may ask only for their own (else 403)."""
    op = operation_for(request, operation)
    person = get_object_or_404(Person, pk=pk, operation=op)
    if not permissions.people_visible(request.user, Person.objects.filter(pk=pk)).exists():
        raise PermissionDenied
    return _duty_rows(_roster_entries(request, op, plan).filter(person=person), op.tz)
