"""Reads of the operations app."""

from collections import Counter
from datetime import date

from django.db.models import Count, Q, QuerySet

from .choices import PersonStatusChoices, UnitKindChoices
from .models import Operation, Person, Unit


def current_operation(request=None) -> Operation | None:
    """The operation a request works on: the one chosen in the session, else the most recent
    one that is not closed, else the most recent one."""
    chosen = request.session.get("operation_id") if request is not None else None
    ops = Operation.objects.all()
    if chosen:
        op = ops.filter(pk=chosen).first()
        if op:
            return op
    return ops.exclude(status="closed").order_by("-started_at").first() or ops.first()


def people_list(
    *,
    operation: Operation,
    people: QuerySet | None = None,
    search: str = "",
    unit: int | None = None,
    category: str = "",
    status: str = "",
    leader: str = "",
    skill: str = "",
    team: int | None = None,
) -> QuerySet:
    """People of the operation filtered as the people list offers; `people` narrows the base."""
    qs = people if people is not None else Person.objects.filter(operation=operation)
    qs = qs.select_related("home_unit")
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(staff_number__icontains=search)
            | Q(work_phone__icontains=search)
        )
    if unit:
        qs = qs.filter(home_unit_id=unit)
    if team:
        qs = qs.filter(teams__id=team)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if leader == "post":
        qs = qs.filter(is_post_leader=True)
    elif leader == "duty":
        qs = qs.filter(is_duty_leader=True)
    if skill:
        qs = qs.filter(skills__code=skill)
    return qs.order_by("staff_number").distinct()


def people_by_status(people: QuerySet) -> dict[str, int]:
    counts = dict(people.values_list("status").annotate(n=Count("id")).order_by())
    return {s.value: counts.get(s.value, 0) for s in PersonStatusChoices}


def units_with_counts(*, operation: Operation, people: QuerySet) -> list[dict]:
    """Home units with their people by status, in the order of the unit tree."""
    units = list(Unit.objects.filter(operation=operation).order_by("code"))
    home = Counter()
    by_status: dict[int, Counter] = {}
    for unit_id, status, n in (
        people.values_list("home_unit_id", "status").annotate(n=Count("id")).order_by()
    ):
        home[unit_id] += n
        by_status.setdefault(unit_id, Counter())[status] += n
    team = dict(
        people.filter(teams__isnull=False).values_list("teams").annotate(n=Count("id")).order_by()
    )
    rows = []
    for u in units:
        count = team.get(u.pk, 0) if u.kind in UnitKindChoices.task_teams() else home.get(u.pk, 0)
        statuses = by_status.get(u.pk, Counter())
        rows.append(
            {
                "unit": u,
                "people": count,
                "by_status": statuses,
                "available": sum(statuses[s] for s in PersonStatusChoices.available()),
            }
        )
    return rows


def available_people(*, operation: Operation, day: date) -> QuerySet:
    """People whose status allows duties and who are not marked unavailable on `day`."""
    return Person.objects.filter(
        operation=operation, status__in=PersonStatusChoices.available()
    ).exclude(unavailabilities__first_day__lte=day, unavailabilities__last_day__gte=day)
