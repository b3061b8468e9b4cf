"""JSON API of the operations app: operations, units, people and their status."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from cordon.accounts import permissions
from cordon.api.common import by_code, by_codes, operation_for

from . import selectors, services
from .choices import (
    OperationKindChoices,
    OperationStatusChoices,
    PersonCategoryChoices,
    PersonStatusChoices,
    UnitKindChoices,
)
from .models import Operation, Person, Skill, Unit

router = Router(tags=["operation"])


class OperationOut(Schema):
    id: int
    name: str
    kind: OperationKindChoices
    timezone: str
    started_at: datetime
    ended_at: datetime | None
    status: OperationStatusChoices
    day_number: int

    @staticmethod
    def resolve_day_number(obj: Operation) -> int:
        return obj.day_number()


class OperationPatch(Schema):
    name: str | None = None
    status: OperationStatusChoices | None = None
    ended_at: datetime | None = None


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: UnitKindChoices
    parent: str | None = Field(None, alias="parent.code")


class UnitIn(Schema):
    code: str
    name: str
    kind: UnitKindChoices
    parent: str | None = None


class UnitPatch(Schema):
    code: str | None = None
    name: str | None = None
    kind: UnitKindChoices | None = None
    parent: str | None = None


class PersonOut(Schema):
    id: int
    staff_number: str
    name: str
    category: PersonCategoryChoices
    home_unit: str = Field(alias="home_unit.code")
    teams: list[str]
    rank: str
    is_post_leader: bool
    is_duty_leader: bool
    skills: list[str]
    work_phone: str
    status: PersonStatusChoices
    status_since: datetime

    @staticmethod
    def resolve_teams(obj: Person) -> list[str]:
        return [t.code for t in obj.teams.all()]

    @staticmethod
    def resolve_skills(obj: Person) -> list[str]:
        return [s.code for s in obj.skills.all()]


class PersonIn(Schema):
    staff_number: str
    name: str
    category: PersonCategoryChoices
    home_unit: str
    rank: str = ""
    is_post_leader: bool = False
    is_duty_leader: bool = False
    skills: list[str] = []
    teams: list[str] = []
    work_phone: str = ""


class PersonPatch(Schema):
    staff_number: str | None = None
    name: str | None = None
    category: PersonCategoryChoices | None = None
    home_unit: str | None = None
    rank: str | None = None
    is_post_leader: bool | None = None
    is_duty_leader: bool | None = None
    skills: list[str] | None = None
    teams: list[str] | None = None
    work_phone: str | None = None


class StatusIn(Schema):
    status: PersonStatusChoices
    effective_from: datetime | None = None
    note: str = ""


class StatusOut(Schema):
    status: PersonStatusChoices
    effective_from: datetime
    note: str


class PeopleFilter(FilterSchema):
    search: str = ""
    unit: str | None = None
    category: PersonCategoryChoices | None = None
    status: PersonStatusChoices | None = None
    leader: str = Field("", description="post or duty")
    skill: str = ""


def _people(request, op):
    return permissions.people_visible(request.user, Person.objects.filter(operation=op))


def _person(request, op, pk) -> Person:
    return get_object_or_404(_people(request, op).select_related("home_unit"), pk=pk)


@router.get("/operations", response=list[OperationOut])
def list_operations(request):
    return list(Operation.objects.order_by("-started_at"))


@router.get("/operations/{int:pk}", response=OperationOut)
def get_operation(request, pk: int):
    return get_object_or_404(Operation, pk=pk)


@router.patch("/operations/{int:pk}", response=OperationOut)
def patch_operation(request, pk: int, payload: OperationPatch):
    op = get_object_or_404(Operation, pk=pk)
    return services.operation_update(
        operation=op, by=request.user, **payload.dict(exclude_unset=True)
    )


@router.get("/units", response=list[UnitOut])
def list_units(request, operation: int | None = None):
    op = operation_for(request, operation)
    return list(Unit.objects.filter(operation=op).select_related("parent"))


@router.post("/units", response={201: UnitOut})
def create_unit(request, payload: UnitIn, operation: int | None = None):
    op = operation_for(request, operation)
    data = payload.dict()
    data["parent"] = by_code(Unit, op, "parent", data["parent"])
    return Status(201, services.unit_create(operation=op, by=request.user, **data))


@router.get("/units/{int:pk}", response=UnitOut)
def get_unit(request, pk: int):
    return get_object_or_404(Unit.objects.select_related("parent"), pk=pk)


@router.patch("/units/{int:pk}", response=UnitOut)
def patch_unit(request, pk: int, payload: UnitPatch):
    unit = get_object_or_404(Unit, pk=pk)
    data = payload.dict(exclude_unset=True)
    if "parent" in data:
        data["parent"] = by_code(Unit, unit.operation, "parent", data["parent"])
    return services.unit_update(unit=unit, by=request.user, **data)


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def list_people(request, filters: Query[PeopleFilter], operation: int | None = None):
    op = operation_for(request, operation)
    unit = None
    if filters.unit:
        unit = Unit.objects.filter(operation=op, code=filters.unit).values_list("pk", flat=True)
        unit = unit.first() or -1
    return selectors.people_list(
        operation=op,
        people=_people(request, op),
        search=filters.search,
        unit=unit,
        category=filters.category or "",
        status=filters.status or "",
        leader=filters.leader,
        skill=filters.skill,
    ).prefetch_related("skills", "teams")


def _resolve_person_refs(op, data: dict) -> tuple[dict, list | None, list | None]:
    if data.get("home_unit") is not None:
        data["home_unit"] = by_code(
            Unit, op, "home_unit", data["home_unit"], kind__in=UnitKindChoices.home_units()
        )
    skills = data.pop("skills", None)
    teams = data.pop("teams", None)
    if skills is not None:
        skills = by_codes(Skill, op, "skills", skills)
    if teams is not None:
        teams = by_codes(Unit, op, "teams", teams, kind__in=UnitKindChoices.task_teams())
    return data, skills, teams


@router.post("/people", response={201: PersonOut})
def create_person(request, payload: PersonIn, operation: int | None = None):
    op = operation_for(request, operation)
    permissions.require(permissions.can_edit_people(request.user))
    data, skills, teams = _resolve_person_refs(op, payload.dict())
    person = services.person_create(
        operation=op, by=request.user, skills=skills or (), teams=teams or (), **data
    )
    return Status(201, person)


@router.get("/people/{int:pk}", response=PersonOut)
def get_person(request, pk: int, operation: int | None = None):
    return _person(request, operation_for(request, operation), pk)


@router.patch("/people/{int:pk}", response=PersonOut)
def patch_person(request, pk: int, payload: PersonPatch, operation: int | None = None):
    op = operation_for(request, operation)
    person = _person(request, op, pk)
    data, skills, teams = _resolve_person_refs(op, payload.dict(exclude_unset=True))
    return services.person_update(
        person=person, by=request.user, skills=skills, teams=teams, **data
    )


@router.get("/people/{int:pk}/status", response=list[StatusOut])
def person_status_history(request, pk: int, operation: int | None = None):
    person = _person(request, operation_for(request, operation), pk)
    return list(person.status_changes.all())


@router.post("/people/{int:pk}/status", response={201: StatusOut})
def set_person_status(request, pk: int, payload: StatusIn, operation: int | None = None):
    person = _person(request, operation_for(request, operation), pk)
    change = services.person_set_status(person=person, by=request.user, **payload.dict())
    return Status(201, change)
