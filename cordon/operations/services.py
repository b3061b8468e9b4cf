"""Writes of the operations app. Pages, API and CLI all change data through these functions.

Each function validates the whole object (model `full_clean`), writes in one transaction, and
records `by` as the author of the change in the audit history.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cordon.accounts import permissions

from . import stamps
from .choices import UnitKindChoices
from .models import Operation, Person, PersonStatusChange, Skill, Unavailability, Unit

PERSON_FIELDS = (
    "staff_number",
    "name",
    "category",
    "home_unit",
    "rank",
    "is_post_leader",
    "is_duty_leader",
    "work_phone",
)
UNIT_FIELDS = ("code", "name", "kind", "parent")


def _save(instance, by, *, exclude=None):
    instance._history_user = permissions.history_user(by)
    instance.full_clean(exclude=exclude)
    instance.save()
    return instance


def _check_teams(operation: Operation, teams) -> None:
    for team in teams:
        if team.operation_id != operation.pk or team.kind not in UnitKindChoices.task_teams():
            raise ValidationError(
                {"teams": _("%(team)s is not a task team of this operation.") % {"team": team}}
            )


def _check_skills(operation: Operation, skills) -> None:
    for skill in skills:
        if skill.operation_id != operation.pk:
            raise ValidationError(
                {"skills": _("%(skill)s is not a skill of this operation.") % {"skill": skill}}
            )


@transaction.atomic
def person_create(*, operation: Operation, by, skills=(), teams=(), **fields) -> Person:
    """Create a person. A station chief may create people of their own station only."""
    person = Person(operation=operation, **{k: fields[k] for k in PERSON_FIELDS if k in fields})
    if person.home_unit_id:
        permissions.require(permissions.can_edit_person(by, person))
    else:
        permissions.require(permissions.can_edit_people(by))
    _check_skills(operation, skills)
    _check_teams(operation, teams)
    _save(person, by)
    person.skills.set(skills)
    person.teams.set(teams)
    return person


@transaction.atomic
def person_update(*, person: Person, by, skills=None, teams=None, **fields) -> Person:
    """Change a person's record. A station chief may neither edit another station's person nor
    move a person of theirs into another station."""
    permissions.require(permissions.can_edit_person(by, person))
    person = Person.objects.select_for_update().get(pk=person.pk)
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    permissions.require(
        permissions.can_edit_person(by, person),
        _("You may not move a person to another station."),
    )
    if skills is not None:
        _check_skills(person.operation, skills)
    if teams is not None:
        _check_teams(person.operation, teams)
    _save(person, by)
    if skills is not None:
        person.skills.set(skills)
    if teams is not None:
        person.teams.set(teams)
    return person


@transaction.atomic
def person_set_status(
    *, person: Person, status: str, by, effective_from: datetime | None = None, note: str = ""
) -> PersonStatusChange:
    """Record a dated status change (sick, quarantined, released ...) and make it current when
    it is not in the future."""
    permissions.require(permissions.can_edit_person(by, person))
    effective_from = effective_from or timezone.now()
    change = PersonStatusChange(
        person=person,
        status=status,
        effective_from=effective_from,
        note=note,
        recorded_by=permissions.history_user(by),
    )
    change.full_clean(exclude=["person", "recorded_by"])
    change.save()
    latest = person.status_changes.filter(effective_from__lte=timezone.now()).first()
    if latest and (person.status != latest.status or person.status_since != latest.effective_from):
        person.status = latest.status
        person.status_since = latest.effective_from
        person._history_user = permissions.history_user(by)
        person.save(update_fields=["status", "status_since"])
    return change


@transaction.atomic
def unavailability_add(*, person: Person, by, first_day, last_day, reason: str) -> Unavailability:
    permissions.require(permissions.can_edit_person(by, person))
    return _save(
        Unavailability(person=person, first_day=first_day, last_day=last_day, reason=reason), by
    )


@transaction.atomic
def unavailability_remove(*, unavailability: Unavailability, by) -> None:
    permissions.require(permissions.can_edit_person(by, unavailability.person))
    unavailability._history_user = permissions.history_user(by)
    unavailability.delete()


@transaction.atomic
def unit_create(*, operation: Operation, by, **fields) -> Unit:
    permissions.require(permissions.can_edit_units(by))
    return _save(
        Unit(operation=operation, **{k: fields[k] for k in UNIT_FIELDS if k in fields}), by
    )


@transaction.atomic
def unit_update(*, unit: Unit, by, **fields) -> Unit:
    permissions.require(permissions.can_edit_units(by))
    for name in UNIT_FIELDS:
        if name in fields:
            setattr(unit, name, fields[name])
    if unit.kind in UnitKindChoices.task_teams() and unit.members.exists():
        raise ValidationError(
            {"kind": _("People have this unit as their home unit; it cannot become a task team.")}
        )
    return _save(unit, by)


@transaction.atomic
def operation_update(*, operation: Operation, by, **fields) -> Operation:
    if not permissions.can_edit_units(by):
        raise PermissionDenied(_("Only planners and administrators change the operation."))
    for name, value in fields.items():
        setattr(operation, name, value)
    return _save(operation, by)


@transaction.atomic
def skill_create(*, operation: Operation, by, code: str, name: str) -> Skill:
    permissions.require(permissions.can_edit_units(by))
    return _save(Skill(operation=operation, code=code, name=name), by)


def purge_due(operation: Operation, now=None) -> bool:
    """Whether the operation is closed and its retention period has run out."""
    now = now or timezone.now()
    if operation.status != "closed" or operation.ended_at is None:
        return False
    return operation.ended_at + timedelta(days=operation.retention_days) <= now


@transaction.atomic
def operation_purge_personal_data(*, operation: Operation, by, now=None) -> int:
    """Anonymise the staff of a closed operation whose retention period has run out.

    Names, phones and staff numbers are replaced, dated notes, unavailability and the audit
    history of people (which holds the old values) are deleted, logins are unlinked; counts such
    as person-times stay, attached to the anonymous records. Returns the number of people.
    """
    permissions.require(permissions.can_edit_units(by))
    if not purge_due(operation, now):
        raise ValidationError(
            _("The operation is not closed, or its retention period has not run out yet.")
        )
    people = Person.objects.filter(operation=operation)
    ids = list(people.values_list("pk", flat=True))
    Person.history.filter(id__in=ids).delete()
    Unavailability.history.filter(person_id__in=ids).delete()
    Unavailability.objects.filter(person_id__in=ids).delete()
    PersonStatusChange.objects.filter(person_id__in=ids).update(note="", recorded_by=None)
    from cordon.accounts.models import User

    User.objects.filter(person_id__in=ids).update(person=None)
    for person in people.only("pk"):
        Person.objects.filter(pk=person.pk).update(
            name=_("anonymised"), staff_number=f"ANON-{person.pk}", work_phone="", rank=""
        )
    stamps.bump(operation.pk)  # no cached roster may show the old names
    return len(ids)
