"""Build a published roster straight from the `world` fixture's demand (no solver)."""

from datetime import date, timedelta

from cordon.deployment.models import Duty, Plan


def duty(plan: Plan, person, post, day: date, shift, leads: bool = False) -> Duty:
    return Duty(
        operation_id=plan.operation_id,
        plan=plan,
        person=person,
        post=post,
        date=day,
        shift_type=shift,
        leads=leads,
    )


def publish_roster(world, *, first: date = date(2026, 11, 2), days: int = 3) -> Plan:
    """A published plan whose duties fill each demand of world.post1 and world.post2 with the
    post's station people (leader first), rotating so nobody works twice on one date."""
    plan = Plan.objects.create(
        operation=world.op,
        number=1,
        status="published",
        first_day=first,
        last_day=first + timedelta(days=days - 1),
        scenario={},
        result={"assignments": []},
    )
    duties = []
    teams = {world.post1: list(world.people_s1), world.post2: list(world.people_s2)}
    for offset in range(days):
        day = first + timedelta(days=offset)
        for post, team in teams.items():
            free = list(team)
            for shift in (world.night, world.day, world.evening):
                for i in range(min(2, len(free))):
                    person = free.pop(0)
                    leads = i == 0 and person.is_post_leader
                    duties.append(duty(plan, person, post, day, shift, leads))
    Duty.objects.bulk_create(duties)
    return plan
