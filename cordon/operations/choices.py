"""Choices of the operations app, named <Model><Field>Choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OperationKindChoices(models.TextChoices):
    EPIDEMIC = "epidemic", _("Epidemic response")
    FLOOD = "flood", _("Flood evacuation")
    EVENT = "event", _("Large event")
    SEARCH = "search", _("Search and rescue")
    OTHER = "other", _("Other cordon operation")


class OperationStatusChoices(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class UnitKindChoices(models.TextChoices):
    SUB_BUREAU = "sub_bureau", _("Sub-bureau")
    HQ_UNIT = "hq_unit", _("HQ unit")
    STATION = "station", _("Police station")
    ATTACHED = "attached", _("Attached reinforcement unit")
    SHOCK_TEAM = "shock_team", _("Shock team")
    RESERVE = "reserve", _("Reserve")
    VOLUNTEER = "volunteer", _("Volunteer team")
    VANGUARD = "vanguard", _("Vanguard post")
    TEMPORARY_BRANCH = "temporary_branch", _("Temporary branch")

    @classmethod
    def task_teams(cls) -> list[str]:
        """Kinds that are temporary task teams: a person may be on several besides a home unit."""
        return [cls.SHOCK_TEAM, cls.RESERVE, cls.VOLUNTEER, cls.VANGUARD, cls.TEMPORARY_BRANCH]

    @classmethod
    def home_units(cls) -> list[str]:
        return [cls.SUB_BUREAU, cls.HQ_UNIT, cls.STATION, cls.ATTACHED]


class PersonCategoryChoices(models.TextChoices):
    SWORN = "sworn", _("Sworn officer")
    AUXILIARY = "auxiliary", _("Auxiliary officer")


class PersonStatusChoices(models.TextChoices):
    ON_DUTY = "on_duty", _("On duty")
    RECALLED = "recalled", _("Recalled")
    ON_LEAVE = "on_leave", _("On leave")
    SICK = "sick", _("Sick")
    QUARANTINED = "quarantined", _("Quarantined")
    RELEASED = "released", _("Released")

    @classmethod
    def available(cls) -> list[str]:
        """Statuses in which a person can be given duties."""
        return [cls.ON_DUTY, cls.RECALLED]


class UnavailabilityReasonChoices(models.TextChoices):
    LEAVE = "leave", _("Leave")
    TRAINING = "training", _("Training")
    FAMILY = "family", _("Family matter")
    OTHER_DUTY = "other_duty", _("Other duty")
    OTHER = "other", _("Other")
