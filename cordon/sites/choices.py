"""Choices of the sites app, named <Model><Field>Choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ZoneKindChoices(models.TextChoices):
    LOCKDOWN = "lockdown", _("Lockdown zone")
    CONTROLLED = "controlled", _("Controlled zone")


class ZoneStateChoices(models.TextChoices):
    PLANNED = "planned", _("Not yet active")
    ACTIVE = "active", _("Active")
    LIFTED = "lifted", _("Lifted")


class SiteKindChoices(models.TextChoices):
    CHECKPOINT = "checkpoint", _("Checkpoint")
    CORDON_GATE = "cordon_gate", _("Cordon gate")
    SAMPLING_POINT = "sampling_point", _("Sampling point")
    SAMPLING_GRID = "sampling_grid", _("Sampling grid")
    ISOLATION_HOTEL = "isolation_hotel", _("Isolation hotel")
    CAMERA_POINT = "camera_point", _("Camera point")
    HQ_GATE = "hq_gate", _("HQ gate")
    COMMAND_POST = "command_post", _("Command post")
