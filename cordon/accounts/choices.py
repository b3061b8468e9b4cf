"""Choices of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UserRoleChoices(models.TextChoices):
    COMMANDER = "commander", _("Commander")
    PLANNER = "planner", _("Planner (duty officer)")
    STATION_CHIEF = "station_chief", _("Station chief")
    POST_LEADER = "post_leader", _("Post leader")
    FIELD_OFFICER = "field_officer", _("Field officer")
    LOGISTICS = "logistics", _("Logistics officer")
    MEDICAL = "medical", _("Medical officer")
    VIEWER = "viewer", _("Viewer")
    ADMINISTRATOR = "administrator", _("Administrator")


class UserLanguageChoices(models.TextChoices):
    BROWSER = "", _("As the browser says")
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"
