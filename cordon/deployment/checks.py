"""Checking stored plans with the planner's independent validator, and naming what breaks.

A stored plan keeps only the assignments of its own period; the frozen days before it come from
the scenario's `previous`. The validator sees both, as the planner did.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Assignment, Plan

CLAIM_RULES = {"shortfall_mismatch", "objective_mismatch", "reserve_mismatch"}
RULE_LABELS = {
    "overlap": gettext_lazy("two shifts overlap"),
    "min_rest": gettext_lazy("minimum rest between shifts"),
    "max_shifts_per_day": gettext_lazy("shifts per day"),
    "unavailable": gettext_lazy("not available that day"),
    "max_consecutive_days": gettext_lazy("too many working days in a row"),
    "min_consecutive_days": gettext_lazy("too short a run of working days"),
    "min_consecutive_days_off": gettext_lazy("too short a run of days off"),
    "max_minutes_per_7_days": gettext_lazy("too many hours in 7 days"),
    "forbidden_succession": gettext_lazy("forbidden shift succession"),
    "max_minutes": gettext_lazy("too many hours in the period"),
    "min_minutes": gettext_lazy("too few hours in the period"),
    "max_shifts": gettext_lazy("too many shifts of one kind"),
    "max_weekends": gettext_lazy("too many weekends"),
    "one_post_per_person": gettext_lazy("one post per person"),
    "bubble": gettext_lazy("closed loop (bubble)"),
    "locked": gettext_lazy("locked assignment"),
    "frozen": gettext_lazy("frozen before the repair date"),
    "no_demand": gettext_lazy("no demand for this shift"),
    "surplus": gettext_lazy("more people than the demand"),
    "unknown_reference": gettext_lazy("unknown person, post or shift"),
    "duplicate_assignment": gettext_lazy("the same assignment twice"),
}


def plan_dict(plan: Plan) -> dict:
    """The plan as a cordon.plan/1 (assignments only): frozen previous days plus its own."""
    first = plan.first_day.isoformat()
    previous = (plan.scenario.get("previous") or {}).get("assignments", [])
    frozen = [a for a in previous if a["date"] < first]
    own = [
        {"person": p, "post": post, "date": d.isoformat(), "shift": s}
        for p, post, d, s in Assignment.objects.filter(plan=plan).values_list(
            "person__staff_number", "post__code", "date", "shift_type__code"
        )
    ]
    return {
        "format": "cordon.plan/1",
        "scenario": plan.scenario.get("name", ""),
        "assignments": frozen + own,
    }


def plan_export(plan: Plan) -> dict:
    """The stored plan as a full cordon.plan/1, with the shortfall, objective and reserve that
    Cordon stored and shows: `cordon plan --check` on it verifies those claims too."""
    data = plan_dict(plan)
    first = plan.first_day.isoformat()
    frozen_gaps = [s for s in (plan.result or {}).get("shortfall", []) if s["date"] < first]
    stored = [
        {
            "post": post,
            "date": d.isoformat(),
            "shift": shift,
            "people": people,
            "leaders": leaders,
            "skills": skills,
            "reason": reason,
        }
        for post, d, shift, people, leaders, skills, reason in plan.shortfall.values_list(
            "post__code", "date", "shift_type__code", "people", "leaders", "skills", "reason"
        )
    ]
    named = {a["person"] for a in data["assignments"]}
    data.update(
        {
            "reserve": [p["id"] for p in plan.scenario.get("people", []) if p["id"] not in named],
            "shortfall": frozen_gaps + stored,
            "objective": plan.objective,
            "solver": (plan.result or {}).get("solver", {}),
        }
    )
    return data


def cut_to_period(result: dict, scenario: dict) -> dict:
    """A plan made over a longer horizon, cut back to `scenario`'s: the assignments of its days,
    with shortfall, objective and reserve recomputed by the validator (the planner's reasons
    kept for each gap)."""
    from cordon.planner.validate import check

    start = date.fromisoformat(scenario["start"])
    last = date.fromordinal(start.toordinal() + scenario["days"] - 1).isoformat()
    kept = [a for a in result["assignments"] if a["date"] <= last]
    report = check(scenario, {"format": "cordon.plan/1", "assignments": kept})
    reasons = {(s["post"], s["date"], s["shift"]): s for s in result.get("shortfall", [])}
    shortfall = [
        {
            **s,
            **{
                k: v
                for k, v in reasons.get((s["post"], s["date"], s["shift"]), {}).items()
                if k in ("reason", "codes")
            },
        }
        for s in report.shortfall
    ]
    return {
        **result,
        "assignments": kept,
        "shortfall": shortfall,
        "objective": report.objective,
        "reserve": report.reserve,
    }


def check_plan(plan: Plan):
    """The validator's report on the stored plan, claims left aside (a stored plan makes none)."""
    from cordon.planner.validate import check

    report = check(plan.scenario, plan_dict(plan))
    report.violations = [v for v in report.violations if v.rule not in CLAIM_RULES]
    return report


def describe(violations, limit: int = 12) -> list[str]:
    """One readable line per violation: the rule, who, where."""
    lines = []
    for v in violations[:limit]:
        label = RULE_LABELS.get(v.rule, v.rule)
        where = " ".join(x for x in (v.person, v.post, v.date, v.shift) if x)
        lines.append(f"{label}: {where} — {v.message}" if where else f"{label}: {v.message}")
    if len(violations) > limit:
        lines.append(_("… and %(n)s more.") % {"n": len(violations) - limit})
    return lines


def refuse_if_worse(plan: Plan, before) -> None:
    """Raise ValidationError (rolling the edit back) if the edited plan breaks a hard rule, or
    leaves a shift without a leader or skill that it had before the edit."""
    after = check_plan(plan)
    known = {(v.rule, v.person, v.date, v.shift) for v in before.violations}
    new = [v for v in after.violations if (v.rule, v.person, v.date, v.shift) not in known]
    if new:
        raise ValidationError(describe(new))
    old = {(s["post"], s["date"], s["shift"]): s for s in before.shortfall}
    worse = []
    for s in after.shortfall:
        was = old.get((s["post"], s["date"], s["shift"]), {})
        if s.get("leaders", 0) > was.get("leaders", 0):
            worse.append(_("%(post)s %(date)s %(shift)s would lack a leader.") % s)
        for skill, n in (s.get("skills") or {}).items():
            if n > (was.get("skills") or {}).get(skill, 0):
                worse.append(
                    _("%(post)s %(date)s %(shift)s would lack the skill %(skill)s.")
                    % {**s, "skill": skill}
                )
    if worse:
        raise ValidationError(worse)


def with_reasons(shortfall: list[dict], plan: Plan) -> list[dict]:
    """Shortfall recomputed after an edit, keeping the planner's reason where the gap was its."""
    planner = {
        (s["post"], s["date"], s["shift"]): s for s in (plan.result or {}).get("shortfall", [])
    }
    by_hand = {"reason": "changed by hand", "codes": [{"code": "by_hand"}]}
    return [
        {
            **s,
            **{
                k: planner.get((s["post"], s["date"], s["shift"]), by_hand).get(k, v)
                for k, v in by_hand.items()
            },
        }
        for s in shortfall
    ]


def _demand_entries(scenario: dict):
    """(post, date, shift, entry) for every demand entry and date of the scenario's horizon."""
    start = date.fromisoformat(scenario["start"])
    end = start.toordinal() + scenario["days"] - 1
    for post in scenario["posts"]:
        for entry in post.get("demand", []):
            lo = (
                date.fromisoformat(entry["from"]).toordinal()
                if entry.get("from")
                else (start.toordinal())
            )
            hi = date.fromisoformat(entry["to"]).toordinal() if entry.get("to") else end
            only = set(entry.get("dates") or [])
            for n in range(max(lo, start.toordinal()), min(hi, end) + 1):
                day = date.fromordinal(n).isoformat()
                if not only or day in only:
                    yield post["id"], day, entry["shift"], entry


def leaders_wanted(scenario: dict) -> dict[tuple, int]:
    wanted: dict[tuple, int] = defaultdict(int)
    for post, day, shift, entry in _demand_entries(scenario):
        wanted[(post, day, shift)] = entry.get("leaders", 0)
    return wanted


def demand_total(scenario: dict, *, since: date) -> int:
    """Person-shifts the scenario wants on or after `since`."""
    first = since.isoformat()
    return sum(
        entry.get("people", 0) for _p, day, _s, entry in _demand_entries(scenario) if day >= first
    )
