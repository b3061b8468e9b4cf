"""Deployment plans, their assignments and shortfall, and the published duty roster.

A Plan is one planner run over a period: queued, running, then a draft (or failed). A draft can
be edited by hand and published. Publishing copies its assignments into Duty, the one published
roster that every page, export and count reads; earlier plans stay as versions to compare.
"""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cordon.operations.models import Operation, Person, ShiftType
from cordon.sites.models import Post

from .choices import PlanKindChoices, PlanStatusChoices


class Plan(models.Model):
    """One version of the deployment plan over [first_day, last_day] (local dates).

    `scenario` is the cordon.scenario/1 sent to the planner (its horizon may start before
    first_day: earlier published duties are frozen context for the rest rules); `result` is the
    cordon.plan/1 it answered, kept as it came. `based_on` is the plan that was published when
    this one was made: publishing is refused when another plan has been published since.
    `lookahead` is the scenario the planner solved when it looked past the period (see
    deployment.scenario.LOOKAHEAD_DAYS); `scenario` is always the period's own.
    """

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="plans", verbose_name=_("operation")
    )
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=PlanKindChoices, default=PlanKindChoices.PLAN
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatusChoices, default=PlanStatusChoices.QUEUED
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    scenario = models.JSONField(_("scenario"), default=dict)
    result = models.JSONField(_("planner result"), null=True, blank=True)
    lookahead = models.JSONField(_("scenario with the days ahead"), null=True, blank=True)
    objective = models.JSONField(_("objective"), default=dict, blank=True)
    coverage = models.FloatField(_("coverage (%)"), null=True, blank=True)
    demand_total = models.PositiveIntegerField(_("person-shifts wanted"), default=0)
    log = models.TextField(_("progress"), blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    seconds = models.FloatField(_("planning seconds"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["scenario", "result", "lookahead", "log"])

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "number"], name="plan_number_unique"),
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="plan_days_in_order"
            ),
        ]

    def __str__(self) -> str:
        return _("Plan %(n)s (%(first)s – %(last)s)") % {
            "n": self.number,
            "first": self.first_day,
            "last": self.last_day,
        }

    def get_absolute_url(self) -> str:
        return reverse("deployment:plan_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in PlanStatusChoices.finished()

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


class Assignment(models.Model):
    """One person on one shift at one post on one date, in one plan."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("plan")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="+", verbose_name=_("post")
    )
    date = models.DateField(_("date"))
    shift_type = models.ForeignKey(
        ShiftType, on_delete=models.CASCADE, related_name="+", verbose_name=_("shift")
    )
    leads = models.BooleanField(_("leads the shift"), default=False)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "person", "date", "shift_type"], name="assignment_once_per_shift"
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "date"], name="assignment_plan_date_idx"),
            models.Index(fields=["plan", "person"], name="assignment_plan_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.post_id} {self.date} {self.shift_type_id}"


class ShortfallLine(models.Model):
    """A (post, date, shift) of a plan that lacks people, leaders or skills, and why."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="shortfall", verbose_name=_("plan")
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="+", verbose_name=_("post")
    )
    date = models.DateField(_("date"))
    shift_type = models.ForeignKey(
        ShiftType, on_delete=models.CASCADE, related_name="+", verbose_name=_("shift")
    )
    people = models.PositiveIntegerField(_("people missing"), default=0)
    leaders = models.PositiveIntegerField(_("leaders missing"), default=0)
    skills = models.JSONField(_("skills missing"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    codes = models.JSONField(_("reason codes"), default=list, blank=True)

    class Meta:
        verbose_name = _("shortfall")
        verbose_name_plural = _("shortfall")
        ordering = ["date", "post__code"]

    def __str__(self) -> str:
        return f"{self.post_id} {self.date} {self.shift_type_id}: -{self.people}"

    def reason_display(self) -> str:
        """The reason in the reader's language (from the planner's codes), else its text."""
        if not self.codes:
            return self.reason
        return "; ".join(dict.fromkeys(_reason_text(c) for c in self.codes))


REASON_TEXTS = {
    "no_skill": _("no one has the skill %(skill)s"),
    "too_few_with_skill": _("too few free people with the skill %(skill)s"),
    "too_few_leaders": _("too few leaders"),
    "too_few_people": _("too few people"),
    "too_few_in_bubble": _("too few people in the closed loop"),
    "rest_rules": _("the rest rules leave no one free"),
    "time_limit": _("not reached within the time limit"),
    "frozen": _("before the repair date: kept as published"),
    "by_hand": _("changed by hand"),
}


def _reason_text(code: dict) -> str:
    text = REASON_TEXTS.get(code.get("code"))
    if text is None:
        return str(code.get("code", ""))
    return str(text) % {"skill": code.get("skill", "")}


class Duty(models.Model):
    """The published roster: who stands where on which shift, as the last publication left it.

    Exactly the assignments of the published plans, each date taken from the plan published last
    that covers it. Person-times (人次) are counts of these rows.
    """

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="duties", verbose_name=_("operation")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="duties", verbose_name=_("plan")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="duties", verbose_name=_("person")
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="duties", verbose_name=_("post")
    )
    date = models.DateField(_("date"))
    shift_type = models.ForeignKey(
        ShiftType, on_delete=models.CASCADE, related_name="+", verbose_name=_("shift")
    )
    leads = models.BooleanField(_("leads the shift"), default=False)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "date", "shift_type"], name="duty_once_per_shift"
            ),
        ]
        indexes = [
            models.Index(fields=["operation", "date"], name="duty_op_date_idx"),
            models.Index(fields=["person", "date"], name="duty_person_date_idx"),
            models.Index(fields=["post", "date"], name="duty_post_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.post.code} {self.date} {self.shift_type.code}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's secret iCalendar link. Revoking it replaces the token; old links stop working."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.person} feed"

    def renew(self) -> None:
        self.token = _token()
        self.save(update_fields=["token"])
