"""What the plan claims (shortfall, objective, reserve) against what its assignments give."""

from collections import Counter

from .facts import Facts
from .report import (
    CheckReport,
    Violation,
    describe_amounts,
    format_number,
    shortfall_amounts,
    violation,
)

# Rules about what the plan claims rather than about its assignments.
CLAIM_RULES = ("shortfall_mismatch", "objective_mismatch", "reserve_mismatch")


def named_people(plan: dict) -> set[str]:
    assignments = plan.get("assignments") if isinstance(plan, dict) else None
    return {a["person"] for a in assignments or [] if isinstance(a, dict) and "person" in a}


def check_claims(facts: Facts, plan: dict, report: CheckReport) -> list[Violation]:
    if not isinstance(plan, dict):
        return []
    return [
        *_check_shortfall_claim(plan.get("shortfall"), report.shortfall),
        *_check_objective_claim(plan.get("objective"), report.objective),
        *_check_reserve_claim(facts, plan.get("reserve"), report.reserve),
    ]


def _shortfall_key(entry: dict) -> tuple:
    return (entry.get("post"), entry.get("date"), entry.get("shift"))


def _check_shortfall_claim(claimed, real: list[dict]) -> list[Violation]:
    if not isinstance(claimed, list):
        return [violation("shortfall_mismatch", "the plan has no list of shortfall")]
    found = []
    real_by_key = {_shortfall_key(entry): entry for entry in real}
    seen = set()
    for entry in claimed:
        if not isinstance(entry, dict):
            found.append(violation("shortfall_mismatch", f"shortfall entry {entry!r} is no object"))
            continue
        key = _shortfall_key(entry)
        where = dict(zip(("post", "date", "shift"), key, strict=True))
        label = f"{key[0]} on {key[1]} shift {key[2]}"
        if key in seen:
            text = f"the plan lists {label} twice in its shortfall"
            found.append(violation("shortfall_mismatch", text, **where))
            continue
        seen.add(key)
        if key not in real_by_key:
            text = f"the plan claims a shortfall at {label}, which its assignments cover"
            found.append(violation("shortfall_mismatch", text, **where))
        elif shortfall_amounts(entry) != shortfall_amounts(real_by_key[key]):
            text = (
                f"the plan claims {describe_amounts(entry)} missing at {label}; "
                f"its assignments leave {describe_amounts(real_by_key[key])} missing"
            )
            found.append(violation("shortfall_mismatch", text, **where))
    for key, entry in real_by_key.items():
        if key not in seen:
            label = f"{key[0]} on {key[1]} shift {key[2]}"
            text = f"the plan hides a shortfall of {describe_amounts(entry)} at {label}"
            where = dict(zip(("post", "date", "shift"), key, strict=True))
            found.append(violation("shortfall_mismatch", text, **where))
    return found


def _check_objective_claim(claimed, real: dict) -> list[Violation]:
    if not isinstance(claimed, dict):
        return [violation("objective_mismatch", "the plan has no objective object")]
    found = []
    for key in sorted(set(real) | set(claimed), key=lambda k: (k == "total", k)):
        value, recomputed = claimed.get(key), real.get(key, 0)
        if value is None and recomputed == 0:
            continue
        if not isinstance(value, int | float) or abs(value - recomputed) > 1e-6 * max(
            1, abs(recomputed)
        ):
            text = (
                f"the plan claims {key} = {value}; recomputed {key} = {format_number(recomputed)}"
            )
            found.append(violation("objective_mismatch", text))
    return found


def _check_reserve_claim(facts: Facts, claimed, real: list[str]) -> list[Violation]:
    if not isinstance(claimed, list):
        return [violation("reserve_mismatch", "the plan has no list of reserve")]
    found = []
    for person, count in Counter(claimed).items():
        if count > 1:
            text = f"the plan lists {facts.who(person)} {count} times in its reserve"
            found.append(violation("reserve_mismatch", text, person=person))
    claimed_set, real_set = set(claimed), set(real)
    for person in sorted(claimed_set - real_set, key=str):
        if person in facts.people:
            text = f"the plan lists {facts.who(person)} in reserve but assigns them"
        else:
            text = f"the plan lists unknown person {person!r} in reserve"
        found.append(violation("reserve_mismatch", text, person=person))
    for person in real:
        if person not in claimed_set:
            text = f"the plan leaves {facts.who(person)} without assignment but not in reserve"
            found.append(violation("reserve_mismatch", text, person=person))
    return found
