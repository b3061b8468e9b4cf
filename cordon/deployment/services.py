"""Writes of the deployment app: request a plan or a repair, run it, edit a draft, publish.

Pages, API and CLI call these; none holds planning logic of its own. Every write is atomic and
attributed; a failed planning run leaves the published roster untouched.
"""

import logging
import time as clock
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cordon.accounts import permissions
from cordon.operations import stamps
from cordon.operations.choices import OperationStatusChoices
from cordon.operations.models import Operation, Person, ShiftType
from cordon.sites.models import Post

from . import checks
from .choices import PlanKindChoices, PlanStatusChoices
from .models import Assignment, Duty, Plan, ShortfallLine
from .scenario import build_scenario, lookahead_end, period_scenario

log = logging.getLogger("cordon.deployment")

MAX_PLAN_DAYS = 62


def _require_planner(by) -> None:
    permissions.require(
        permissions.can_plan(by),
        _("Only planners, commanders and administrators make and publish plans."),
    )


def _require_open(operation: Operation) -> None:
    if operation.status == OperationStatusChoices.CLOSED:
        raise ValidationError(
            _("The operation is closed: it can no longer be planned or repaired.")
        )


def current_published(operation: Operation) -> Plan | None:
    return (
        Plan.objects.filter(operation=operation, status=PlanStatusChoices.PUBLISHED)
        .order_by("-published_at", "-number")
        .first()
    )


def _check_period(operation: Operation, first_day: date, last_day: date) -> None:
    errors = {}
    op_first = operation.first_day()
    op_last = operation.last_day()
    if last_day < first_day:
        errors["last_day"] = _("The last day cannot be before the first day.")
    elif (last_day - first_day).days + 1 > MAX_PLAN_DAYS:
        errors["last_day"] = _("Plan at most %(n)s days at a time.") % {"n": MAX_PLAN_DAYS}
    if first_day < op_first:
        errors["first_day"] = _("The operation starts on %(day)s.") % {"day": op_first}
    if op_last and last_day > op_last:
        errors["last_day"] = _("The operation ends on %(day)s.") % {"day": op_last}
    if errors:
        raise ValidationError(errors)


def _next_number(operation: Operation) -> int:
    Operation.objects.select_for_update().filter(pk=operation.pk).first()
    return (Plan.objects.filter(operation=operation).aggregate(n=Max("number"))["n"] or 0) + 1


def plan_request(
    *,
    operation: Operation,
    first_day: date,
    last_day: date,
    by,
    note: str = "",
    enqueue: bool = True,
) -> Plan:
    """Create a plan for [first_day, last_day] from the data as it is now, and queue the planner.

    The scenario is built here, so the plan answers the question as it was asked.
    """
    _require_planner(by)
    return _create_plan(
        operation=operation,
        first_day=first_day,
        last_day=last_day,
        by=by,
        kind=PlanKindChoices.PLAN,
        note=note,
        enqueue=enqueue,
    )


def repair_request(
    *, operation: Operation, from_day: date, by, note: str = "", enqueue: bool = True
) -> Plan:
    """Re-plan from `from_day` to the end of the published roster, changing as little as may be.

    Everything published before `from_day` stays; the reserve is drawn on first. A station chief
    may ask for a repair (their people fall sick); publishing it is the planners'.
    """
    permissions.require(permissions.can_plan(by) or permissions.role(by) == "station_chief")
    last = Duty.objects.filter(operation=operation).aggregate(d=Max("date"))["d"]
    if last is None or last < from_day:
        raise ValidationError(
            {
                "from_day": _("Nothing is published from %(day)s on: make a plan instead.")
                % {"day": from_day}
            }
        )
    return _create_plan(
        operation=operation,
        first_day=from_day,
        last_day=last,
        by=by,
        kind=PlanKindChoices.REPAIR,
        note=note,
        enqueue=enqueue,
    )


@transaction.atomic
def _create_plan(*, operation, first_day, last_day, by, kind, note, enqueue) -> Plan:
    _require_open(operation)
    _check_period(operation, first_day, last_day)
    plan = Plan(
        operation=operation,
        number=_next_number(operation),
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        based_on=current_published(operation),
        note=note[:200],
        created_by=permissions.history_user(by),
    )
    ahead = lookahead_end(operation, last_day) if kind == PlanKindChoices.PLAN else None
    solved = build_scenario(
        operation=operation,
        first_day=first_day,
        last_day=ahead or last_day,
        name=f"plan-{plan.number}",
    )
    plan.scenario = period_scenario(solved, last_day) if ahead else solved
    plan.lookahead = solved if ahead else None
    plan._history_user = permissions.history_user(by)
    plan.save()
    if enqueue:
        from .tasks import run_plan

        transaction.on_commit(lambda: _enqueue(plan, run_plan))
    return plan


def _enqueue(plan: Plan, task) -> None:
    result = task.enqueue(plan.pk)
    Plan.objects.filter(pk=plan.pk).update(task_id=str(result.id))


def plans_requeue_interrupted() -> int:
    """Queue again the plans left "running" by a worker that was stopped mid-run.

    Called when a worker starts. A run that another live worker finishes first is not repeated:
    plan_run only starts plans that are still queued.
    """
    from .tasks import run_plan

    stuck = list(Plan.objects.filter(status=PlanStatusChoices.RUNNING))
    for plan in stuck:
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatusChoices.QUEUED)
        _enqueue(plan, run_plan)
    return len(stuck)


def plan_run(*, plan_id: int) -> Plan:
    """Run the planner on a queued plan (the background task's body); store the draft."""
    from cordon.planner import ScenarioError, solve

    plan = Plan.objects.get(pk=plan_id)
    if plan.status != PlanStatusChoices.QUEUED:
        return plan  # a retry of a task that already ran: never twice
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatusChoices.RUNNING)
    lines: list[str] = []
    last_write = [0.0]

    def progress(line: str) -> None:
        lines.append(line)
        if clock.monotonic() - last_write[0] > 0.5:
            last_write[0] = clock.monotonic()
            Plan.objects.filter(pk=plan.pk).update(log="\n".join(lines[-200:]))

    limit = (
        settings.CORDON_REPAIR_TIME_LIMIT
        if plan.kind == PlanKindChoices.REPAIR
        else settings.CORDON_PLAN_TIME_LIMIT
    )
    started = clock.perf_counter()
    try:
        result = solve(
            plan.lookahead or plan.scenario,
            time_limit=limit,
            workers=settings.CORDON_PLAN_WORKERS,
            log=progress,
        )
        if plan.lookahead:
            result = checks.cut_to_period(result, plan.scenario)
        with transaction.atomic():
            plan_store(plan=plan, result=result)
            plan.status = PlanStatusChoices.DRAFT
    except ScenarioError as exc:
        plan.status = PlanStatusChoices.FAILED
        plan.error = str(exc)
    except Exception as exc:  # the job must end in a state the page can show
        log.exception("planning run %s failed", plan.pk)
        plan.status = PlanStatusChoices.FAILED
        plan.error = f"{type(exc).__name__}: {exc}"
    plan.seconds = round(clock.perf_counter() - started, 2)
    plan.log = "\n".join(lines[-200:])
    plan.save(
        update_fields=[
            "status",
            "error",
            "seconds",
            "log",
            "result",
            "objective",
            "coverage",
            "demand_total",
        ]
    )
    return plan


def plan_store(*, plan: Plan, result: dict) -> None:
    """Store a cordon.plan/1 as the plan's assignments and shortfall (dates of its period)."""
    op = plan.operation
    people = dict(Person.objects.filter(operation=op).values_list("staff_number", "id"))
    leaders = set(
        Person.objects.filter(operation=op, is_post_leader=True).values_list(
            "staff_number", flat=True
        )
    )
    posts = dict(Post.objects.filter(operation=op).values_list("code", "id"))
    shifts = dict(ShiftType.objects.filter(operation=op).values_list("code", "id"))
    first = plan.first_day.isoformat()
    lead_demand = checks.leaders_wanted(plan.scenario)
    rows = []
    counted: dict[tuple, int] = defaultdict(int)
    for a in sorted(result["assignments"], key=lambda a: a["person"]):
        if a["date"] < first:
            continue
        key = (a["post"], a["date"], a["shift"])
        leads = a["person"] in leaders and counted[key] < lead_demand.get(key, 0)
        if leads:
            counted[key] += 1
        rows.append(
            Assignment(
                plan=plan,
                person_id=people[a["person"]],
                post_id=posts[a["post"]],
                date=date.fromisoformat(a["date"]),
                shift_type_id=shifts[a["shift"]],
                leads=leads,
            )
        )
    Assignment.objects.filter(plan=plan).delete()
    Assignment.objects.bulk_create(rows, batch_size=2000)
    _store_shortfall(plan, result.get("shortfall", []), posts, shifts)
    plan.result = result
    plan.objective = result.get("objective", {})
    plan.demand_total = checks.demand_total(plan.scenario, since=plan.first_day)
    missing = sum(s.get("people", 0) for s in result.get("shortfall", []) if s["date"] >= first)
    plan.coverage = (
        round(100 * (1 - missing / plan.demand_total), 2) if plan.demand_total else 100.0
    )


def _store_shortfall(plan: Plan, shortfall: list[dict], posts, shifts) -> None:
    first = plan.first_day.isoformat()
    ShortfallLine.objects.filter(plan=plan).delete()
    ShortfallLine.objects.bulk_create(
        [
            ShortfallLine(
                plan=plan,
                post_id=posts[s["post"]],
                date=date.fromisoformat(s["date"]),
                shift_type_id=shifts[s["shift"]],
                people=s.get("people", 0),
                leaders=s.get("leaders", 0),
                skills=s.get("skills") or {},
                reason=(s.get("reason") or "")[:300],
                codes=s.get("codes") or [],
            )
            for s in shortfall
            if s["date"] >= first
        ],
        batch_size=2000,
    )


@transaction.atomic
def plan_publish(*, plan: Plan, by) -> Plan:
    """Make a draft the published roster for its period.

    Refused, with nothing changed, when the draft breaks a hard rule (named, with the people),
    or when another plan has been published since this draft was made (stale).
    """
    _require_planner(by)
    # One publication at a time per operation: the stale check and the roster write must not
    # interleave with another publication's.
    Operation.objects.select_for_update().filter(pk=plan.operation_id).first()
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_open(plan.operation)
    if plan.status != PlanStatusChoices.DRAFT:
        raise ValidationError(
            _("Only a draft can be published; this plan is %(status)s.")
            % {"status": plan.get_status_display()}
        )
    current = current_published(plan.operation)
    if current is not None and current.pk != plan.based_on_id:
        raise ValidationError(
            _(
                "This draft was made from version %(old)s, but version %(new)s has been published "
                "since: make a new plan (or repair) from the current one."
            )
            % {"old": plan.based_on.number if plan.based_on else "—", "new": current.number}
        )
    report = checks.check_plan(plan)
    if report.violations:
        raise ValidationError(checks.describe(report.violations))
    Duty.objects.filter(
        operation=plan.operation, date__gte=plan.first_day, date__lte=plan.last_day
    ).delete()
    Duty.objects.bulk_create(
        [
            Duty(
                operation=plan.operation,
                plan=plan,
                person_id=a.person_id,
                post_id=a.post_id,
                date=a.date,
                shift_type_id=a.shift_type_id,
                leads=a.leads,
            )
            for a in plan.assignments.all()
        ],
        batch_size=2000,
    )
    Plan.objects.filter(operation=plan.operation, status=PlanStatusChoices.PUBLISHED).update(
        status=PlanStatusChoices.SUPERSEDED
    )
    stamps.bump(plan.operation_id)  # cached rosters and maps show the new one
    plan.status = PlanStatusChoices.PUBLISHED
    plan.published_at = timezone.now()
    plan.published_by = permissions.history_user(by)
    plan._history_user = permissions.history_user(by)
    plan.save()
    return plan


@transaction.atomic
def plan_discard(*, plan: Plan, by) -> Plan:
    _require_planner(by)
    if plan.status not in (
        PlanStatusChoices.DRAFT,
        PlanStatusChoices.FAILED,
        PlanStatusChoices.QUEUED,
    ):
        raise ValidationError(_("Only a draft, a failed or a queued plan can be discarded."))
    plan.status = PlanStatusChoices.DISCARDED
    plan._history_user = permissions.history_user(by)
    plan.save(update_fields=["status"])
    return plan


def _editable(plan: Plan, by) -> Plan:
    _require_planner(by)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatusChoices.DRAFT:
        raise ValidationError(_("Only a draft can be changed by hand."))
    return plan


@transaction.atomic
def assignment_move(
    *,
    assignment: Assignment,
    by,
    post: Post | None = None,
    day: date | None = None,
    shift_type: ShiftType | None = None,
) -> Assignment:
    """Move one assignment to another post, date or shift; refused, naming the rule, if that
    breaks a hard rule or leaves a shift short of a leader or skill it had."""
    plan = _editable(assignment.plan, by)
    before = checks.check_plan(plan)
    assignment.post = post or assignment.post
    assignment.date = day or assignment.date
    assignment.shift_type = shift_type or assignment.shift_type
    if assignment.date < plan.first_day or assignment.date > plan.last_day:
        raise ValidationError({"date": _("The date is outside the plan's period.")})
    assignment.save()
    checks.refuse_if_worse(plan, before)
    _refresh_after_edit(plan)
    return assignment


@transaction.atomic
def assignment_swap(*, first: Assignment, second: Assignment, by) -> None:
    """Swap the people of two assignments of the same draft."""
    plan = _editable(first.plan, by)
    if second.plan_id != plan.pk:
        raise ValidationError(_("Both assignments must belong to the same plan."))
    before = checks.check_plan(plan)
    first.person_id, second.person_id = second.person_id, first.person_id
    # Two-step write: the unique (plan, person, date, shift) would clash mid-swap otherwise.
    Assignment.objects.filter(pk__in=[first.pk, second.pk]).delete()
    first.pk = second.pk = None
    Assignment.objects.bulk_create([first, second])
    checks.refuse_if_worse(plan, before)
    _refresh_after_edit(plan)


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by) -> None:
    plan = _editable(assignment.plan, by)
    assignment.delete()
    _refresh_after_edit(plan)


@transaction.atomic
def assignment_add(
    *, plan: Plan, person: Person, post: Post, day: date, shift_type: ShiftType, by
) -> Assignment:
    plan = _editable(plan, by)
    before = checks.check_plan(plan)
    if day < plan.first_day or day > plan.last_day:
        raise ValidationError({"date": _("The date is outside the plan's period.")})
    if Assignment.objects.filter(
        plan=plan, person=person, date=day, shift_type=shift_type
    ).exists():
        raise ValidationError(_("%(person)s already works this shift.") % {"person": person})
    assignment = Assignment.objects.create(
        plan=plan,
        person=person,
        post=post,
        date=day,
        shift_type=shift_type,
        leads=person.is_post_leader,
    )
    checks.refuse_if_worse(plan, before)
    _refresh_after_edit(plan)
    return assignment


def _refresh_after_edit(plan: Plan) -> None:
    """Recompute the draft's shortfall, coverage and objective after a change by hand."""
    report = checks.check_plan(plan)
    posts = dict(Post.objects.filter(operation=plan.operation).values_list("code", "id"))
    shifts = dict(ShiftType.objects.filter(operation=plan.operation).values_list("code", "id"))
    _store_shortfall(plan, checks.with_reasons(report.shortfall, plan), posts, shifts)
    first = plan.first_day.isoformat()
    missing = sum(s["people"] for s in report.shortfall if s["date"] >= first)
    plan.coverage = (
        round(100 * (1 - missing / plan.demand_total), 2) if plan.demand_total else 100.0
    )
    plan.objective = report.objective
    plan.save(update_fields=["coverage", "objective"])


def mark_unavailable(*, person: Person, status: str, from_moment, by, note: str = ""):
    """Record a sick-out (or leave, quarantine, release) from a moment; return the status change.

    The caller then offers a repair from that date (repair_request).
    """
    from cordon.operations.services import person_set_status

    if status not in ("sick", "quarantined", "on_leave", "released"):
        raise ValidationError({"status": _("Choose sick, quarantined, on leave or released.")})
    _require_open(person.operation)
    return person_set_status(
        person=person, status=status, by=by, effective_from=from_moment, note=note
    )


def affected_duties(*, person: Person, from_day: date):
    """The person's published duties from `from_day` on: what a repair must re-staff."""
    return (
        Duty.objects.filter(person=person, date__gte=from_day)
        .select_related("post", "shift_type")
        .order_by("date", "shift_type__start")
    )
