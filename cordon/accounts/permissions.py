"""Who may see and change what: one place, used alike by pages, the API and the CLI.

| role                          | people           | places (zones, sites, posts) | edits   |
|-------------------------------|------------------|------------------------------|---------|
| administrator, planner        | all              | all                          | all     |
| commander, logistics, medical,| all              | all                          | none    |
| viewer                        |                  |                              |         |
| station chief                 | own station's    | own station's sites, posts   | own     |
| post leader                   | own station's    | all                          | none    |
| field officer                 | own record only  | all                          | none    |

A station chief without a station sees nothing station-scoped. Health detail is the medical
officer's alone (welfare app); nothing in this module grants it to anyone else.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .choices import UserRoleChoices as R


class _System:
    """The actor of the `cordon` command line: an operator with the machine in hand."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None
    station_id = None
    person_id = None
    role = R.ADMINISTRATOR
    username = "cordon-cli"

    def __str__(self) -> str:
        return self.username


SYSTEM = _System()


def history_user(by):
    """The user to record in audit history for actor `by` (None for the command line)."""
    return by if getattr(by, "pk", None) else None


READ_ALL = {R.ADMINISTRATOR, R.PLANNER, R.COMMANDER, R.LOGISTICS, R.MEDICAL, R.VIEWER}
EDIT_ALL = {R.ADMINISTRATOR, R.PLANNER}
STATION_SCOPED = {R.STATION_CHIEF, R.POST_LEADER}


def role(user) -> str | None:
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return R.ADMINISTRATOR
    return user.role


def sees_all_people(user) -> bool:
    return role(user) in READ_ALL


def people_visible(user, people: QuerySet) -> QuerySet:
    """The people `user` may see, from the queryset `people`."""
    r = role(user)
    if r in READ_ALL:
        return people
    if r in STATION_SCOPED:
        return people.filter(home_unit_id=user.station_id) if user.station_id else people.none()
    if r == R.FIELD_OFFICER and user.person_id:
        return people.filter(pk=user.person_id)
    return people.none()


def can_edit_people(user) -> bool:
    """Whether `user` may create or change any person at all (scope checked per person)."""
    return role(user) in EDIT_ALL or (role(user) == R.STATION_CHIEF and bool(user.station_id))


def can_edit_person(user, person) -> bool:
    r = role(user)
    if r in EDIT_ALL:
        return True
    return (
        r == R.STATION_CHIEF
        and user.station_id is not None
        and (person.home_unit_id == user.station_id)
    )


def can_edit_units(user) -> bool:
    return role(user) in EDIT_ALL


def places_visible(user, places: QuerySet, station_field: str = "station_id") -> QuerySet:
    """Zones, sites or posts `user` may see; `station_field` is the lookup to the owning station."""
    r = role(user)
    if r is None:
        return places.none()
    if r == R.STATION_CHIEF:
        return (
            places.filter(**{station_field: user.station_id})
            if user.station_id
            else (places.none())
        )
    return places


def can_edit_places(user) -> bool:
    return role(user) in EDIT_ALL or (role(user) == R.STATION_CHIEF and bool(user.station_id))


def can_edit_place(user, station_id: int | None) -> bool:
    r = role(user)
    if r in EDIT_ALL:
        return True
    return r == R.STATION_CHIEF and station_id is not None and station_id == user.station_id


def can_import_people(user) -> bool:
    return role(user) in EDIT_ALL


def can_plan(user) -> bool:
    """Make, edit and publish deployment plans: the planning cell and the command."""
    return role(user) in {R.ADMINISTRATOR, R.PLANNER, R.COMMANDER}


def sees_all_duties(user) -> bool:
    """Rosters of every post and person (a station chief and a post leader see their station's,
    a field officer only their own)."""
    return role(user) in READ_ALL


def can_see_audit(user) -> bool:
    return role(user) in {R.ADMINISTRATOR, R.PLANNER, R.COMMANDER, R.STATION_CHIEF}


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied (HTTP 403 in pages and API) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))
