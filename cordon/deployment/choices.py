"""Choices of the deployment app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKindChoices(models.TextChoices):
    PLAN = "plan", _("Plan")
    REPAIR = "repair", _("Repair")


class PlanStatusChoices(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Planning")
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")

    @classmethod
    def finished(cls) -> list[str]:
        return [cls.DRAFT, cls.PUBLISHED, cls.SUPERSEDED, cls.FAILED, cls.DISCARDED]
