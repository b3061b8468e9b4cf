"""Benchmark: plan the reference operation, then repair it after five people fall sick.

    python bench/reference.py [--time-limit 60] [--workers 2] [--repair-time-limit 5]

Prints wall time, coverage, hard violations found by the validator, person-times by zone kind and
peak memory; then marks 5 people who have assignments sick from day 9 of the operation (the 9th
date, start + 8 days) to the end, repairs with `previous` and `freeze_before` = that date, and
prints the repair time, the assignments changed, and whether only assignments from the freeze
date on changed. The baseline, in the same run: the same sick-out answered by planning the
whole operation again from scratch (no `previous`), with the plan's time limit: its time and how
many assignments it changes. A benchmark prints figures and exits 0; it is not a test.
"""

from __future__ import annotations

import argparse
import copy
import resource
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cordon.planner import solve
from cordon.reference import generate, to_scenario

SICK = 5
SICK_FROM_DAY = 9  # the 9th day of the operation: start + 8 days


def zone_kind_of_posts(op) -> dict[str, str]:
    """post id -> lockdown / controlled / sampling grid / the site kind for the others."""
    zone_kind = {z.code: z.kind for z in op.zones}
    sites = {s.code: s for s in op.sites}
    kinds = {}
    for post in op.posts:
        site = sites[post.site]
        if site.zone:
            kinds[post.code] = zone_kind[site.zone]
        elif site.kind == "sampling_grid":
            kinds[post.code] = "sampling grid"
        else:
            kinds[post.code] = f"other ({site.kind})"
    return kinds


def validate(scenario: dict, plan: dict) -> str:
    try:
        from cordon.planner import check
    except ImportError:
        return "validator not available (cordon/planner/validate.py missing)"
    report = check(scenario, plan)
    rules = Counter(v.rule for v in report.violations)
    detail = ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items()))
    return f"{len(report.violations)}" + (f" ({detail})" if detail else "")


def coverage(plan: dict, scenario: dict) -> tuple[int, int]:
    start = date.fromisoformat(scenario["start"])
    demanded = 0
    for post in scenario["posts"]:
        for entry in post["demand"]:
            first = date.fromisoformat(entry.get("from") or scenario["start"])
            last = date.fromisoformat(
                entry.get("to") or str(start + timedelta(scenario["days"] - 1))
            )
            demanded += entry["people"] * ((last - first).days + 1)
    missing = sum(item["people"] for item in plan["shortfall"])
    return demanded - missing, demanded


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_plan(title: str, scenario: dict, plan: dict, seconds: float, kinds) -> None:
    covered, demanded = coverage(plan, scenario)
    print(f"== {title}")
    print(f"wall time: {seconds:.1f} s (solver status {plan['solver']['status']})")
    print(
        f"coverage: {covered}/{demanded} person-shifts = {100 * covered / demanded:.2f}%; "
        f"shortfall lines {len(plan['shortfall'])}"
    )
    for reason, n in Counter(item["reason"] for item in plan["shortfall"]).most_common():
        print(f"  shortfall: {n} x {reason}")
    print(f"hard violations (validator): {validate(scenario, plan)}")
    people = {a["person"] for a in plan["assignments"]}
    print(f"people with assignments: {len(people)}, reserve: {len(plan['reserve'])}")
    by_kind = Counter(kinds[a["post"]] for a in plan["assignments"])
    print("person-times by zone kind: " + ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items())))
    print("objective: " + ", ".join(f"{k} {v}" for k, v in plan["objective"].items()))
    print(f"peak memory: {peak_memory_mb():.0f} MB")


def sick_scenario(scenario: dict, plan: dict) -> tuple[dict, list[str], str]:
    """The repair scenario: 5 people with assignments from day 9 on fall sick until the end."""
    start = date.fromisoformat(scenario["start"])
    freeze = (start + timedelta(days=SICK_FROM_DAY - 1)).isoformat()
    last = (start + timedelta(days=scenario["days"] - 1)).isoformat()
    later = Counter(a["person"] for a in plan["assignments"] if a["date"] >= freeze)
    sick = sorted(later)[:: max(1, len(later) // SICK)][:SICK]
    repaired = copy.deepcopy(scenario)
    for person in repaired["people"]:
        if person["id"] in sick:
            person["unavailable"] = [*person.get("unavailable", []), {"from": freeze, "to": last}]
    repaired["previous"] = plan
    repaired["freeze_before"] = freeze
    return repaired, sick, freeze


def print_repair(previous: dict, plan: dict, sick: list[str], freeze: str, seconds: float):
    key = lambda a: (a["person"], a["post"], a["date"], a["shift"])  # noqa: E731
    before = {key(a) for a in previous["assignments"]}
    after = {key(a) for a in plan["assignments"]}
    changed = before ^ after
    lost = [a for a in before if a[0] in sick and a[2] >= freeze]
    still = [a for a in after if a[0] in sick and a[2] >= freeze]
    print(
        f"== repair: {SICK} sick from day {SICK_FROM_DAY} (date {freeze}, index "
        f"{SICK_FROM_DAY - 1}) to the end: {', '.join(sick)}"
    )
    print(f"repair time: {seconds:.2f} s (solver status {plan['solver']['status']})")
    print(
        f"sick people's assignments from {freeze} in the previous plan: {len(lost)}; "
        f"left in the repaired plan: {len(still)}"
    )
    print(
        f"assignments changed (symmetric difference): {len(changed)} = "
        f"{len(changed) / max(1, len(lost)):.2f} x the sick people's lost assignments"
    )
    print(f"only assignments from {freeze} on changed: {all(a[2] >= freeze for a in changed)}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repair-time-limit", type=float, default=5)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--no-baseline", action="store_true", help="skip the re-plan baseline")
    args = parser.parse_args(argv)
    log = print if args.verbose else None

    op = generate()
    scenario = to_scenario(op)
    kinds = zone_kind_of_posts(op)
    print(
        f"reference operation: {len(scenario['people'])} people, {len(scenario['posts'])} "
        f"posts, {scenario['days']} days; time limit {args.time_limit:g} s, "
        f"{args.workers} workers"
    )
    started = time.perf_counter()
    plan = solve(scenario, time_limit=args.time_limit, workers=args.workers, log=log)
    print_plan("plan", scenario, plan, time.perf_counter() - started, kinds)

    repaired_scenario, sick, freeze = sick_scenario(scenario, plan)
    started = time.perf_counter()
    repaired = solve(
        repaired_scenario, time_limit=args.repair_time_limit, workers=args.workers, log=log
    )
    seconds = time.perf_counter() - started
    print_repair(plan, repaired, sick, freeze, seconds)
    print_plan("repaired plan", repaired_scenario, repaired, seconds, kinds)
    if args.no_baseline:
        return 0

    replan_scenario = {
        k: v for k, v in repaired_scenario.items() if k not in ("previous", "freeze_before")
    }
    started = time.perf_counter()
    replanned = solve(replan_scenario, time_limit=args.time_limit, workers=args.workers, log=log)
    seconds = time.perf_counter() - started
    key = lambda a: (a["person"], a["post"], a["date"], a["shift"])  # noqa: E731
    changed = {key(a) for a in plan["assignments"]} ^ {key(a) for a in replanned["assignments"]}
    early = sum(1 for a in changed if a[2] < freeze)
    print_plan(
        "baseline: the sick-out planned again from scratch",
        replan_scenario,
        replanned,
        seconds,
        kinds,
    )
    print(f"assignments changed: {len(changed)}, of which before {freeze}: {early}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
