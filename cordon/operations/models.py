"""The operation, its units, its people, their skills, statuses and availability."""

import uuid
import zoneinfo
from datetime import datetime, time

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import reporting_day
from .choices import (
    OperationKindChoices,
    OperationStatusChoices,
    PersonCategoryChoices,
    PersonStatusChoices,
    UnavailabilityReasonChoices,
    UnitKindChoices,
)

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
    _("Use 1-40 letters, digits, dots, dashes or underscores, starting with a letter or digit."),
)
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 -]{4,19}$",
    _("Enter a phone number of 5-20 digits (spaces and dashes allowed)."),
)


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not a known timezone (e.g. Asia/Shanghai)."), params={"value": value}
        ) from exc


class CodeUniqueInOperation:
    """Reports a clash of the operation-unique code on the code field itself, not as a general
    error, so forms, the API (422) and imports name the field."""

    code_field = "code"

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            for error in general:
                if getattr(error, "code", None) in ("unique", "unique_together"):
                    errors.setdefault(self.code_field, []).append(
                        ValidationError(
                            _("%(code)s is already used in this operation."),
                            code="unique",
                            params={"code": getattr(self, self.code_field)},
                        )
                    )
                else:
                    errors.setdefault(NON_FIELD_ERRORS, []).append(error)
            raise ValidationError(errors) from exc


def new_stamp() -> str:
    return uuid.uuid4().hex


class Operation(models.Model):
    """One cordon operation, from detection to the last zone lifted; all other data hangs off it.

    The rest rules here are the operation's defaults for planning (DOMAIN.md, "Rest rules").
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=OperationKindChoices,
        default=OperationKindChoices.EPIDEMIC,
    )
    timezone = models.CharField(
        _("timezone"), max_length=64, default="Asia/Shanghai", validators=[validate_timezone]
    )
    started_at = models.DateTimeField(_("started (detection)"))
    ended_at = models.DateTimeField(_("ended (last zone lifted)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OperationStatusChoices,
        default=OperationStatusChoices.ACTIVE,
    )
    retention_days = models.PositiveIntegerField(
        _("retention of staff personal data after closing (days)"), default=180
    )
    min_rest_minutes = models.PositiveIntegerField(
        _("minimum rest between shifts (minutes)"), default=660
    )
    max_shift_minutes = models.PositiveIntegerField(
        _("maximum continuous duty (minutes)"), default=720
    )
    max_consecutive_days = models.PositiveIntegerField(
        _("maximum consecutive working days"), default=6
    )
    max_minutes_per_7_days = models.PositiveIntegerField(
        _("maximum minutes in any 7 days"), default=2880
    )
    max_shifts_per_day = models.PositiveIntegerField(
        _("maximum shifts starting on one day"), default=1
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Changes whenever the operation's people, places, demand or published roster change
    # (stamps.py): the key of cached rosters and map data, so they are never stale.
    data_stamp = models.CharField(max_length=32, default=new_stamp, editable=False)

    history = HistoricalRecords(excluded_fields=["data_stamp"])

    class Meta:
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="operation_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("operations:overview")

    def clean(self) -> None:
        if self.ended_at and self.started_at and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": _("The end cannot be before the start.")})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def reporting_day(self, moment: datetime | None = None):
        """The reporting day (08:00 to 08:00 local) that `moment` (default: now) falls in."""
        return reporting_day.reporting_day(moment or timezone.now(), self.tz)

    def day_number(self, moment: datetime | None = None) -> int:
        """Day N of the operation (the detection's reporting day is day 1)."""
        return reporting_day.day_number(self.started_at, moment or timezone.now(), self.tz)

    def first_day(self):
        return reporting_day.reporting_day(self.started_at, self.tz)

    def last_day(self):
        return reporting_day.reporting_day(self.ended_at, self.tz) if self.ended_at else None

    def local(self, day, at: time) -> datetime:
        """An aware datetime at local wall time `at` on `day` in the operation's timezone."""
        return datetime.combine(day, at, tzinfo=self.tz)


class Skill(CodeUniqueInOperation, models.Model):
    """A skill that posts may ask for on a shift (first aid, driver, interpreter ...)."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="skills", verbose_name=_("operation")
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "code"], name="skill_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(CodeUniqueInOperation, models.Model):
    """The sub-bureau, its HQ units and stations, attached reinforcements, and task teams."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="units", verbose_name=_("operation")
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKindChoices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "code"], name="unit_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("operations:unit_detail", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id and self.parent.operation_id != self.operation_id:
            raise ValidationError({"parent": _("The parent unit belongs to another operation.")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A unit cannot be its own parent.")})

    @property
    def is_task_team(self) -> bool:
        return self.kind in UnitKindChoices.task_teams()

    @property
    def is_station(self) -> bool:
        return self.kind == UnitKindChoices.STATION


class Person(CodeUniqueInOperation, models.Model):
    """A member of staff of the operation: sworn or auxiliary, with one home unit.

    `status` is the current status; its dated history is in PersonStatusChange.
    """

    code_field = "staff_number"

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="people", verbose_name=_("operation")
    )
    staff_number = models.CharField(_("staff number"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=PersonCategoryChoices)
    home_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="members", verbose_name=_("home unit")
    )
    teams = models.ManyToManyField(
        Unit, blank=True, related_name="team_members", verbose_name=_("task teams")
    )
    rank = models.CharField(_("rank or title"), max_length=60, blank=True)
    is_post_leader = models.BooleanField(_("may lead a shift"), default=False)
    is_duty_leader = models.BooleanField(_("may be duty leader"), default=False)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="people", verbose_name=_("skills")
    )
    work_phone = models.CharField(
        _("work phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PersonStatusChoices, default=PersonStatusChoices.ON_DUTY
    )
    status_since = models.DateTimeField(_("status since"), default=timezone.now)

    history = HistoricalRecords(m2m_fields=[teams, skills])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["staff_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "staff_number"], name="person_staff_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["operation", "status"], name="person_status_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_number})"

    def get_absolute_url(self) -> str:
        return reverse("operations:person_detail", args=[self.pk])

    def clean(self) -> None:
        if self.home_unit_id and self.home_unit.kind in UnitKindChoices.task_teams():
            raise ValidationError(
                {"home_unit": _("A home unit must be a station, HQ unit or attached unit.")}
            )
        if self.home_unit_id and self.home_unit.operation_id != self.operation_id:
            raise ValidationError({"home_unit": _("The unit belongs to another operation.")})


class PersonStatusChange(models.Model):
    """A dated change of a person's status: recalled, sick, quarantined, released ..."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=20, choices=PersonStatusChoices)
    effective_from = models.DateTimeField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()} {self.effective_from:%Y-%m-%d %H:%M}"


class Unavailability(models.Model):
    """Dates (inclusive) on which a person cannot be given duties, for a non-medical reason."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("person")
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=20, choices=UnavailabilityReasonChoices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="unavailability_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.first_day} - {self.last_day}"

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot be before the first day.")})


class ShiftPattern(CodeUniqueInOperation, models.Model):
    """A named set of shift types that a post runs: 3 x 8 h, 2 x 12 h, 24 h on ..."""

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="shift_patterns",
        verbose_name=_("operation"),
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "code"], name="shift_pattern_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ShiftType(CodeUniqueInOperation, models.Model):
    """One shift of a pattern: starts at a local wall time and lasts `minutes`.

    A shift belongs to the date it starts on (a 20:00 shift of 720 minutes ends at 08:00 next
    day). Codes are unique across the operation, as the planner's scenario needs.
    """

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="shift_types", verbose_name=_("operation")
    )
    pattern = models.ForeignKey(
        ShiftPattern,
        on_delete=models.CASCADE,
        related_name="shift_types",
        verbose_name=_("shift pattern"),
    )
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=60)
    start = models.TimeField(_("starts at"))
    minutes = models.PositiveIntegerField(_("length (minutes)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift type")
        verbose_name_plural = _("shift types")
        ordering = ["pattern", "start"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "code"], name="shift_type_code_unique"),
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0, minutes__lte=1440),
                name="shift_type_minutes_range",
                violation_error_message=_("A shift lasts from 1 minute to 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%H:%M}+{self.minutes // 60}h"

    def clean(self) -> None:
        if self.minutes is not None and not 0 < self.minutes <= 1440:
            raise ValidationError({"minutes": _("A shift lasts from 1 minute to 24 hours.")})
        if self.pattern_id and self.pattern.operation_id != self.operation_id:
            raise ValidationError({"pattern": _("The pattern belongs to another operation.")})

    @property
    def hours(self) -> float:
        return self.minutes / 60
