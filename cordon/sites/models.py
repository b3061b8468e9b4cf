"""Zones, sites, posts and the staffing demand of each post."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cordon.operations.models import (
    CodeUniqueInOperation,
    Operation,
    ShiftPattern,
    ShiftType,
    Unit,
    code_validator,
)

from .choices import SiteKindChoices, ZoneKindChoices, ZoneStateChoices
from .geojson import centroid, validate_zone_geometry


class Zone(CodeUniqueInOperation, models.Model):
    """A lockdown or controlled zone: a polygon on the map, activated and later lifted."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="zones", verbose_name=_("operation")
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ZoneKindChoices)
    station = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="zones", verbose_name=_("owning station")
    )
    boundary = models.JSONField(
        _("boundary (GeoJSON)"),
        validators=[validate_zone_geometry],
        help_text=_("A GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS 84)."),
    )
    activated_at = models.DateTimeField(_("activated"))
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "code"], name="zone_code_unique"),
            models.CheckConstraint(
                condition=models.Q(lifted_at__isnull=True)
                | models.Q(lifted_at__gt=models.F("activated_at")),
                name="zone_lifted_after_activated",
                violation_error_message=_("A zone cannot be lifted before it is activated."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("sites:zone_detail", args=[self.pk])

    def clean(self) -> None:
        if self.lifted_at and self.activated_at and self.lifted_at <= self.activated_at:
            raise ValidationError(
                {"lifted_at": _("A zone cannot be lifted before it is activated.")}
            )
        if self.station_id and self.station.operation_id != self.operation_id:
            raise ValidationError({"station": _("The station belongs to another operation.")})

    def state(self, moment: datetime | None = None) -> str:
        moment = moment or timezone.now()
        if moment < self.activated_at:
            return ZoneStateChoices.PLANNED
        if self.lifted_at and moment >= self.lifted_at:
            return ZoneStateChoices.LIFTED
        return ZoneStateChoices.ACTIVE

    def get_state_display(self, moment: datetime | None = None) -> str:
        return ZoneStateChoices(self.state(moment)).label

    @property
    def centre(self) -> tuple[float, float] | None:
        return centroid(self.boundary)


class Site(CodeUniqueInOperation, models.Model):
    """A place where people stand or that is watched: a gate, checkpoint, hotel, sampling point.

    Sampling points belong to a sampling grid (a site of kind sampling_grid) through `grid`.
    """

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="sites", verbose_name=_("operation")
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKindChoices)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name=_("zone"),
    )
    station = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="sites", verbose_name=_("owning station")
    )
    grid = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points",
        verbose_name=_("sampling grid"),
        limit_choices_to={"kind": SiteKindChoices.SAMPLING_GRID},
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "code"], name="site_code_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="site_location_range",
                violation_error_message=_("Latitude or longitude out of range."),
            ),
        ]
        indexes = [models.Index(fields=["operation", "kind"], name="site_kind_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("sites:site_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Latitude must be between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Longitude must be between -180 and 180.")
        if self.grid_id:
            if self.kind != SiteKindChoices.SAMPLING_POINT:
                errors["grid"] = _("Only a sampling point belongs to a sampling grid.")
            elif self.grid.kind != SiteKindChoices.SAMPLING_GRID:
                errors["grid"] = _("The grid must be a site of kind sampling grid.")
        if self.zone_id and self.zone.operation_id != self.operation_id:
            errors["zone"] = _("The zone belongs to another operation.")
        if self.station_id and self.station.operation_id != self.operation_id:
            errors["station"] = _("The station belongs to another operation.")
        if errors:
            raise ValidationError(errors)


class Post(CodeUniqueInOperation, models.Model):
    """A duty position at a site with a shift pattern: who stands here is what plans decide.

    The post's bubble (closed loop) is its site's zone, or the site itself for an isolation hotel
    or the HQ gate; people of a bubble work only inside it.
    """

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="posts", verbose_name=_("operation")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="posts", verbose_name=_("site")
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    shift_pattern = models.ForeignKey(
        ShiftPattern,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("shift pattern"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "code"], name="post_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("sites:post_detail", args=[self.pk])

    def clean(self) -> None:
        if self.site_id and self.site.operation_id != self.operation_id:
            raise ValidationError({"site": _("The site belongs to another operation.")})
        if self.shift_pattern_id and self.shift_pattern.operation_id != self.operation_id:
            raise ValidationError(
                {"shift_pattern": _("The shift pattern belongs to another operation.")}
            )

    @property
    def bubble(self) -> str | None:
        site = self.site
        if site.zone_id:
            return site.zone.code
        if site.kind in (SiteKindChoices.ISOLATION_HOTEL, SiteKindChoices.HQ_GATE):
            return site.code
        return None

    @property
    def station(self) -> Unit:
        return self.site.station


class PostDemand(models.Model):
    """How many people a post needs on one shift type, on the dates [first_day, last_day].

    `leaders` and `skills` count people among `headcount`, not on top of it. Empty dates mean
    the whole operation. Two entries of a post for the same shift must not share a date.
    """

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="demands", verbose_name=_("post")
    )
    shift_type = models.ForeignKey(
        ShiftType, on_delete=models.PROTECT, related_name="demands", verbose_name=_("shift")
    )
    headcount = models.PositiveSmallIntegerField(_("people"))
    leaders = models.PositiveSmallIntegerField(_("leaders among them"), default=0)
    skills = models.JSONField(
        _("skills among them"),
        default=dict,
        blank=True,
        help_text=_('Skill code to number of people, e.g. {"first_aid": 1}.'),
    )
    first_day = models.DateField(_("from"), null=True, blank=True)
    last_day = models.DateField(_("to"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staffing demand")
        verbose_name_plural = _("staffing demands")
        ordering = ["post", "shift_type__start", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leaders__lte=models.F("headcount")),
                name="demand_leaders_within_headcount",
                violation_error_message=_("More leaders than people."),
            ),
            models.CheckConstraint(
                condition=models.Q(first_day__isnull=True)
                | models.Q(last_day__isnull=True)
                | models.Q(last_day__gte=models.F("first_day")),
                name="demand_dates_in_order",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post.code} {self.shift_type.code}: {self.headcount}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if (
            self.headcount is not None
            and self.leaders is not None
            and (self.leaders > self.headcount)
        ):
            errors.setdefault("leaders", []).append(
                _("More leaders (%(leaders)s) than people (%(people)s).")
                % {"leaders": self.leaders, "people": self.headcount}
            )
        if self.first_day and self.last_day and self.last_day < self.first_day:
            errors.setdefault("last_day", []).append(
                _("The last day cannot be before the first day.")
            )
        errors.update(self._skill_errors())
        if self.post_id and self.shift_type_id:
            if self.shift_type.pattern_id != self.post.shift_pattern_id:
                errors.setdefault("shift_type", []).append(
                    _("This shift is not in the post's shift pattern.")
                )
            clash = self._overlapping()
            if clash is not None:
                errors.setdefault("first_day", []).append(
                    _("Another demand of this post for this shift covers the same dates (%(d)s).")
                    % {"d": clash}
                )
        if errors:
            raise ValidationError(errors)

    def _skill_errors(self) -> dict:
        if not isinstance(self.skills, dict):
            return {"skills": [_("Skills must be an object of skill code to number.")]}
        problems = []
        known = set()
        if self.post_id:
            known = set(self.post.operation.skills.values_list("code", flat=True))
        for code, n in self.skills.items():
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                problems.append(
                    _("%(code)s: the number must be a whole number of 0 or more.") % {"code": code}
                )
            elif self.headcount is not None and n > self.headcount:
                problems.append(
                    _("%(code)s: %(n)s people with the skill, but only %(people)s people.")
                    % {"code": code, "n": n, "people": self.headcount}
                )
            if self.post_id and code not in known:
                problems.append(_("%(code)s is not a skill of this operation.") % {"code": code})
        return {"skills": problems} if problems else {}

    def _overlapping(self) -> str | None:
        others = PostDemand.objects.filter(post_id=self.post_id, shift_type_id=self.shift_type_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        lo = self.first_day or date.min
        hi = self.last_day or date.max
        for other in others:
            if (other.first_day or date.min) <= hi and lo <= (other.last_day or date.max):
                return f"{other.first_day or '…'} – {other.last_day or '…'}"
        return None

    def applies_on(self, day: date) -> bool:
        return (self.first_day is None or self.first_day <= day) and (
            self.last_day is None or day <= self.last_day
        )
