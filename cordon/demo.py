"""Load the reference operation (cordon.reference) into the database as the demo operation.

The operation is shifted in time so that it is under way today: day 10 of 24 by default. Every
row is created with a history record ("demo operation loaded"), so the audit trail starts there.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from cordon import reference
from cordon.accounts.choices import UserRoleChoices
from cordon.operations.choices import PersonStatusChoices
from cordon.operations.models import (
    Operation,
    Person,
    PersonStatusChange,
    ShiftPattern,
    ShiftType,
    Skill,
    Unit,
)
from cordon.operations.reporting_day import reporting_day
from cordon.sites.models import Post, PostDemand, Site, Zone

DEMO_PASSWORD = "cordon-demo"
DEMO_DAY = 10
REASON = gettext_noop("demo operation loaded")

# (username, role, station code, linked to a person of that station)
DEMO_USERS = (
    ("admin", UserRoleChoices.ADMINISTRATOR, None, False),
    ("commander", UserRoleChoices.COMMANDER, None, False),
    ("planner", UserRoleChoices.PLANNER, None, False),
    ("chief", UserRoleChoices.STATION_CHIEF, "S1", False),
    ("leader", UserRoleChoices.POST_LEADER, "S1", True),
    ("officer", UserRoleChoices.FIELD_OFFICER, "S1", True),
    ("logistics", UserRoleChoices.LOGISTICS, None, False),
    ("medical", UserRoleChoices.MEDICAL, None, False),
    ("viewer", UserRoleChoices.VIEWER, None, False),
)


def demo_start(today: date | None = None, tz: str = reference.operation.TIMEZONE) -> date:
    """The detection date that makes today day DEMO_DAY of the demo operation. "Today" is
    the reporting day (08:00 to 08:00 local), as the operation counts its days: at 02:00 it is
    still the day before."""
    today = today or reporting_day(timezone.now(), ZoneInfo(tz))
    return today - timedelta(days=DEMO_DAY - 1)


def database_is_empty() -> bool:
    return not Operation.objects.exists()


@transaction.atomic
def demo_load(*, start: date | None = None, with_users: bool = True) -> Operation:
    """Create the demo operation (and one login per role) and return it."""
    ref = reference.generate(start=start or demo_start())
    tz = ZoneInfo(ref.timezone)

    def aware(moment: datetime | None) -> datetime | None:
        return moment.replace(tzinfo=tz) if moment else None

    op = Operation.objects.create(
        name=ref.name,
        kind=ref.kind,
        timezone=ref.timezone,
        started_at=aware(ref.detected_at),
        ended_at=aware(ref.ended_at),
        status="active",
        min_rest_minutes=ref.rules["min_rest_minutes"],
        max_consecutive_days=ref.rules["max_consecutive_days"],
        max_minutes_per_7_days=ref.rules["max_minutes_per_7_days"],
        max_shifts_per_day=ref.rules["max_shifts_per_day"],
    )
    bulk_create_with_history(
        [Skill(operation=op, code=s.code, name=s.name) for s in ref.skills],
        Skill,
        default_change_reason=REASON,
    )
    skills = {s.code: s for s in Skill.objects.filter(operation=op)}
    shift_types = _shift_patterns(op, ref)
    units = _units(op, ref)
    people = _people(op, ref, units, skills)
    _places(op, ref, units, shift_types, aware)
    if with_users:
        _users(units, people)
    return op


def _shift_patterns(op, ref) -> dict[str, ShiftType]:
    types = {}
    for pattern in ref.shift_patterns:
        sp = ShiftPattern.objects.create(operation=op, code=pattern.code, name=pattern.name)
        for s in pattern.shifts:
            types[s.code] = ShiftType.objects.create(
                operation=op,
                pattern=sp,
                code=s.code,
                name=s.name,
                start=s.start,
                minutes=s.minutes,
            )
    return types


def _units(op, ref) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for u in ref.units:  # parents come first in the generator's order
        units[u.code] = Unit.objects.create(
            operation=op,
            code=u.code,
            name=u.name,
            kind=u.kind,
            parent=units.get(u.parent) if u.parent else None,
        )
    return units


def _people(op, ref, units, skills) -> dict[str, Person]:
    since = op.started_at
    rows = [
        Person(
            operation=op,
            staff_number=p.staff_number,
            name=p.name,
            category=p.category,
            home_unit=units[p.unit],
            rank=p.rank,
            is_post_leader=p.post_leader,
            is_duty_leader=p.duty_leader,
            work_phone=p.work_phone,
            status=PersonStatusChoices.ON_DUTY,
            status_since=since,
        )
        for p in ref.people
    ]
    bulk_create_with_history(rows, Person, default_change_reason=REASON)
    people = {p.staff_number: p for p in Person.objects.filter(operation=op)}
    skill_links, team_links, changes = [], [], []
    for p in ref.people:
        person = people[p.staff_number]
        skill_links += [
            Person.skills.through(person_id=person.pk, skill_id=skills[s].pk) for s in p.skills
        ]
        team_links += [
            Person.teams.through(person_id=person.pk, unit_id=units[t].pk) for t in p.teams
        ]
        # All leave cancelled at detection: everyone recalled to duty (全员停休).
        changes.append(
            PersonStatusChange(
                person=person,
                status=PersonStatusChoices.ON_DUTY,
                effective_from=since,
                note="全员停休，立即到岗",
            )
        )
    Person.skills.through.objects.bulk_create(skill_links)
    Person.teams.through.objects.bulk_create(team_links)
    PersonStatusChange.objects.bulk_create(changes)
    return people


def _places(op, ref, units, shift_types, aware) -> None:
    zones = {}
    for z in ref.zones:
        zones[z.code] = Zone(
            operation=op,
            code=z.code,
            name=z.name,
            kind=z.kind,
            station=units[z.station],
            boundary={"type": "Polygon", "coordinates": [z.polygon]},
            activated_at=aware(z.activated_at),
            lifted_at=aware(z.lifted_at),
        )
    bulk_create_with_history(list(zones.values()), Zone, default_change_reason=REASON)
    zones = {z.code: z for z in Zone.objects.filter(operation=op)}
    grids = [s for s in ref.sites if s.kind == "sampling_grid"]
    others = [s for s in ref.sites if s.kind != "sampling_grid"]

    def site(s, grid_sites=None):
        return Site(
            operation=op,
            code=s.code,
            name=s.name,
            kind=s.kind,
            latitude=s.lat,
            longitude=s.lon,
            station=units[s.station],
            zone=zones[s.zone] if s.zone else None,
            grid=grid_sites[s.grid] if s.grid else None,
        )

    bulk_create_with_history([site(s) for s in grids], Site, default_change_reason=REASON)
    grid_sites = {s.code: s for s in Site.objects.filter(operation=op)}
    bulk_create_with_history(
        [site(s, grid_sites) for s in others], Site, default_change_reason=REASON
    )
    sites = {s.code: s for s in Site.objects.filter(operation=op)}
    patterns = {p.code: p for p in ShiftPattern.objects.filter(operation=op)}
    bulk_create_with_history(
        [
            Post(
                operation=op,
                site=sites[p.site],
                code=p.code,
                name=p.name,
                shift_pattern=patterns[p.pattern],
            )
            for p in ref.posts
        ],
        Post,
        default_change_reason=REASON,
    )
    posts = {p.code: p for p in Post.objects.filter(operation=op)}
    demands = [
        PostDemand(
            post=posts[p.code],
            shift_type=shift_types[d.shift],
            headcount=d.people,
            leaders=d.leaders,
            skills=dict(d.skills),
            first_day=d.first,
            last_day=d.last,
        )
        for p in ref.posts
        for d in p.demand
    ]
    bulk_create_with_history(demands, PostDemand, default_change_reason=REASON)


def _users(units, people) -> None:
    User = get_user_model()
    station_people: dict[str, list[Person]] = {}
    for p in people.values():
        station_people.setdefault(p.home_unit.code, []).append(p)
    for username, role, station, linked in DEMO_USERS:
        person = None
        if linked:
            candidates = station_people[station]
            if role == UserRoleChoices.POST_LEADER:
                person = next(p for p in candidates if p.is_post_leader and not p.is_duty_leader)
            else:
                person = next(p for p in reversed(candidates) if p.category == "auxiliary")
        user = User(
            username=username,
            role=role,
            station=units[station] if station else None,
            person=person,
            is_staff=role == UserRoleChoices.ADMINISTRATOR,
            is_superuser=role == UserRoleChoices.ADMINISTRATOR,
            first_name=person.name if person else "",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()


def demo_queue_plan(operation: Operation):
    """Queue a plan of the whole demo operation, published when the worker has made it, so the
    duty sheet, rosters and maps have something to show a minute after `cordon demo` starts."""
    from cordon.accounts.permissions import SYSTEM
    from cordon.deployment import services
    from cordon.deployment.tasks import run_plan

    plan = services.plan_request(
        operation=operation,
        first_day=operation.first_day(),
        last_day=operation.last_day(),
        by=SYSTEM,
        note=gettext_noop("demo operation loaded"),
        enqueue=False,
    )
    run_plan.enqueue(plan.pk, publish=True)
    return plan


def demo_logins() -> list[tuple[str, str]]:
    """(username, role label) of the demo logins, for `cordon demo` to print."""
    return [(username, role.label) for username, role, _, _ in DEMO_USERS]
