"""factory_boy factories: a small operation built per test, no hard-coded primary keys."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory

from cordon.accounts.models import User
from cordon.operations.models import (
    Operation,
    Person,
    ShiftPattern,
    ShiftType,
    Skill,
    Unit,
)
from cordon.sites.models import Post, PostDemand, Site, Zone

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 1, 6, 0, tzinfo=TZ)


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operation

    name = factory.Sequence(lambda n: f"Operation {n}")
    timezone = "Asia/Shanghai"
    started_at = START
    ended_at = START + timedelta(days=23, hours=12)
    status = "active"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    operation = factory.SubFactory(OperationFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.Sequence(lambda n: f"Station {n}")
    kind = "station"


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    operation = factory.SubFactory(OperationFactory)
    code = factory.Sequence(lambda n: f"skill{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    operation = factory.SelfAttribute("home_unit.operation")
    home_unit = factory.SubFactory(UnitFactory)
    staff_number = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"Officer {n}")
    category = "sworn"
    work_phone = "13900000000"


class ShiftPatternFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftPattern

    operation = factory.SubFactory(OperationFactory)
    code = factory.Sequence(lambda n: f"pat{n}")
    name = "3 x 8 h"


class ShiftTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftType

    pattern = factory.SubFactory(ShiftPatternFactory)
    operation = factory.SelfAttribute("pattern.operation")
    code = factory.Sequence(lambda n: f"D{n}")
    name = "Day"
    start = time(8, 0)
    minutes = 480


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    station = factory.SubFactory(UnitFactory)
    operation = factory.SelfAttribute("station.operation")
    code = factory.Sequence(lambda n: f"L{n:02d}")
    name = factory.Sequence(lambda n: f"Compound {n} lockdown zone")
    kind = "lockdown"
    boundary = factory.LazyFunction(
        lambda: {
            "type": "Polygon",
            "coordinates": [
                [
                    [101.77, 36.61],
                    [101.78, 36.61],
                    [101.78, 36.62],
                    [101.77, 36.62],
                    [101.77, 36.61],
                ]
            ],
        }
    )
    activated_at = START
    lifted_at = None


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    station = factory.SubFactory(UnitFactory)
    operation = factory.SelfAttribute("station.operation")
    code = factory.Sequence(lambda n: f"K{n:02d}")
    name = factory.Sequence(lambda n: f"Checkpoint {n}")
    kind = "checkpoint"
    latitude = 36.62
    longitude = 101.78


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    site = factory.SubFactory(SiteFactory)
    operation = factory.SelfAttribute("site.operation")
    shift_pattern = factory.SubFactory(
        ShiftPatternFactory, operation=factory.SelfAttribute("..operation")
    )
    code = factory.Sequence(lambda n: f"POST{n}")
    name = factory.Sequence(lambda n: f"Post {n}")


class PostDemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostDemand

    post = factory.SubFactory(PostFactory)
    shift_type = factory.SubFactory(
        ShiftTypeFactory, pattern=factory.SelfAttribute("..post.shift_pattern")
    )
    headcount = 2
    leaders = 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = "viewer"
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
