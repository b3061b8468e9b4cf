"""The plan validator behind `cordon plan --check`: checks a cordon.plan/1 against its scenario.

It shares no code with the solver on purpose: it reads the raw JSON dicts, uses the standard
library only and imports nothing else from `cordon.planner`, so a bug in the solver's model of a
rule cannot hide itself here. It checks every hard rule of issue 3 and of the planner contract,
recomputes the objective term by term and the shortfall, and reports any difference between
what the plan claims (shortfall, objective, reserve) and what its assignments really give.

`check()` expects a scenario that `load_scenario` has accepted; it still never raises on a bad
plan: unknown references, duplicates and malformed entries are violations like any other.

The parts, each importing only the standard library and one another (within this package):
- `facts`: the scenario read once; the plan's assignments read safely; one person's schedule;
- `person_rules`: the hard rules on one person's schedule, one function per rule;
- `plan_rules`: locked and frozen assignments, demand, cover and forbidden surplus;
- `objective`: the objective recomputed term by term;
- `claims`: what the plan claims against what its assignments give;
- `report`: `Violation`, `CheckReport` and the text `cordon plan --check` prints.
"""

from . import claims as _claims
from . import facts as _facts
from . import objective as _objective
from . import person_rules as _person_rules
from . import plan_rules as _plan_rules
from . import report as _report

CLAIM_RULES = _claims.CLAIM_RULES
CheckReport = _report.CheckReport
Violation = _report.Violation

__all__ = ["CLAIM_RULES", "CheckReport", "Violation", "check"]


def check(scenario: dict, plan: dict) -> CheckReport:
    """Check `plan` (a cordon.plan/1 dict) against `scenario` (a cordon.scenario/1 dict)."""
    facts = _facts.Facts(scenario)
    report = CheckReport()
    found = report.violations
    assignments = _facts.read_assignments(facts, plan, found)
    for person_id, schedule in _facts.schedules_by_person(facts, assignments).items():
        person = _facts.PersonSchedule(facts, person_id, schedule)
        found.extend(_person_rules.check_person(person))
    found.extend(_plan_rules.check_locked(facts, assignments))
    found.extend(_plan_rules.check_frozen(facts, assignments))
    by_slot = _plan_rules.people_by_slot(assignments)
    found.extend(_plan_rules.check_no_demand(facts, by_slot))
    cover, report.shortfall = _plan_rules.cover_and_shortfall(facts, by_slot, found)
    report.objective = _objective.objective_terms(facts, assignments, cover)
    named = _claims.named_people(plan)
    report.reserve = [person_id for person_id in facts.people if person_id not in named]
    found.extend(_claims.check_claims(facts, plan, report))
    return report
