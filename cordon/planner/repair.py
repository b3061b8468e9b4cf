"""Plan again against a previous plan: a sick-out, the next period, or changed demand.

Contract (scenario `previous` + `freeze_before`): every previous assignment before the freeze
date stays and none is added before it. From the freeze date on the plan covers the demand as it
is now, changing as little of `previous` as it can (the `stability` term: one per assignment
added or removed).

The one path serves three uses of the web application:
- a sick-out: people marked unavailable from today; `previous` is the published plan;
- the next period: `previous` holds only the published days before the freeze date (context for
  the rest rules), so from that date on there is nothing yet to keep;
- changed demand or people: a zone's new posts, a headcount grown or shrunk, a zone lifted early,
  other leaders or skills asked, people no longer available.

With one post per person (定人定岗) it works team by team:
1. Read the previous plan (`Baseline`): the frozen part, each person's post, the assignments from
   the freeze date on that still hold (`kept`), those whose person can no longer work them
   (`lost`), and those the demand no longer allows (demand gone, surplus where demand shrank).
2. Solve again only the posts whose team lost someone, whose demand from the freeze date on the
   kept assignments leave short (the next period, more asked, a post without any team yet), that
   have assignments to drop, or a locked assignment to add. Every other team keeps its plan.
3. Everyone keeps their previous post. People with none are the reserve. A stand-in from the
   reserve takes each lost person's remaining shifts (in the warm start); then the allocator
   (allocate.py) tops up, from the reserve, every team whose members cannot cover its demand from
   the freeze date on (given what each worked just before it), and gives new posts their whole
   team, keeping leaders, skills and home units as a plan does.
4. Size: each team checks quickly that a complete cover is within its reach; one proven unable to
   reach it takes a helper from the reserve and checks again (the allocator counts capacity, not
   how the rest rules let a rotation use it).
5. Rotate: a team whose kept plan (with stand-ins) is complete or mostly there starts from it with
   cover soft, so it moves little; a team starting from (almost) nothing, or whose kept plan
   leaves gaps that a cover found in step 4 closes, keeps complete cover as a hard rule, as a plan
   does, and the stability term pulls it back near its previous plan. The frozen days are fixed
   in each model, so the rest rules hold across the freeze date.
6. Improve: teams still short (a team whose cover searches ran out of time on a busy machine)
   get helpers from what is left of the reserve and seek a complete cover first (improve.py).

Without one post per person one model covers the whole staff (solve.plan_whole_staff), seeded
with the frozen and kept assignments.
"""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from .allocate import Allocator
from .construct import construct
from .errors import ScenarioError
from .evaluate import Gap, gaps
from .improve import improve_teams, pick_helpers
from .model import Assignment, Demand, Person, Post, Scenario
from .rotate import find_complete_cover, solve_teams
from .solve import fixed_assignments, plan_whole_staff, retry_unsolved
from .team import Team, TeamResult

HELPERS_PER_LOST_PERSON = 2
FRESH_BELOW = 0.5  # a team whose kept plan covers less than this share of its demand starts anew
FIRST_PASS_SHARE = 0.7  # of the time after allocation; the rest improves short teams
ALLOCATION_SHARE = 0.1
ALLOCATION_SECONDS = 3.0
SIZING_SHARE = 0.3  # of the time after allocation, at most, to find fresh teams' covers
SIZING_ROUNDS = 4
COVER_PROBE_SECONDS = 3.0
CONSTRUCT_SHARE = 0.1
IMPROVE_AT_LEAST = 1.0  # seconds that must be left for an improvement round to be worth it


@dataclass
class Baseline:
    """The previous plan read against the scenario as it is now."""

    frozen: set[Assignment]
    post_of: dict[str, str]
    kept: set[Assignment]
    lost: list[Assignment]
    dropped: set[Assignment]
    members: dict[str, list[Person]] = field(default_factory=dict)
    reserve: list[Person] = field(default_factory=list)


def repair(scenario: Scenario, *, deadline: float, workers: int, log):
    """(assignments, solved team results) of the plan made again against `previous`."""
    baseline = read_previous(scenario)
    log(
        f"re-plan from day {scenario.freeze_before}: {len(baseline.frozen)} frozen, "
        f"{len(baseline.kept)} kept, {len(baseline.lost)} lost, {len(baseline.dropped)} dropped"
    )
    if not scenario.rules.one_post_per_person:
        return _replan_whole_staff(scenario, baseline, deadline=deadline, workers=workers, log=log)
    return repair_teams(scenario, baseline, deadline=deadline, workers=workers, log=log)


# ---- reading the previous plan ------------------------------------------------------------------


def read_previous(scenario: Scenario) -> Baseline:
    """Split `previous` into frozen, kept, lost and dropped; each person's post; the reserve."""
    freeze = scenario.freeze_before
    frozen = {a for a in scenario.previous if a.day < freeze}
    later = sorted((a for a in scenario.previous if a.day >= freeze), key=lambda a: a.day)
    post_of = _posts_held(scenario, frozen, later)
    one_post = scenario.rules.one_post_per_person
    kept: set[Assignment] = set()
    lost: list[Assignment] = []
    dropped: set[Assignment] = set()
    for a in later:
        person = scenario.person_by_id[a.person]
        demand = scenario.post_by_id[a.post].demand_on(a.day, a.shift)
        if demand is None or (one_post and post_of.get(a.person) != a.post):
            dropped.add(a)
        elif a.day in person.unavailable or person.limits.max_shifts.get(a.shift) == 0:
            lost.append(a)
        else:
            kept.add(a)
    surplus = _surplus(scenario, kept)
    baseline = Baseline(frozen, post_of, kept - surplus, lost, dropped | surplus)
    baseline.members, baseline.reserve = _members_and_reserve(scenario, post_of)
    return baseline


def _posts_held(scenario: Scenario, frozen, later) -> dict[str, str]:
    """person -> the post they keep: where their frozen or locked duties are; else the post of
    their first later assignment that demand still allows (none: they join the reserve)."""
    post_of: dict[str, str] = {}
    for a in sorted(frozen, key=lambda a: a.day):
        post_of.setdefault(a.person, a.post)
    for a in scenario.locked:
        post_of.setdefault(a.person, a.post)
    for a in later:
        if scenario.post_by_id[a.post].demand_on(a.day, a.shift) is not None:
            post_of.setdefault(a.person, a.post)
    return post_of


def _surplus(scenario: Scenario, kept: set[Assignment]) -> set[Assignment]:
    """Kept assignments beyond the demand where surplus is forbidden (the demand shrank).

    Who stays is who best keeps the leaders and skills asked; the rest goes.
    """
    by_slot: dict[tuple[str, int, str], list[Assignment]] = defaultdict(list)
    for a in kept:
        by_slot[(a.post, a.day, a.shift)].append(a)
    surplus = set()
    for (post_id, day, shift), here in by_slot.items():
        demand = scenario.post_by_id[post_id].demand_on(day, shift)
        if demand.weight_over is not None or len(here) <= demand.people:
            continue
        staying = _who_stays(scenario, sorted(here), demand)
        surplus |= set(here) - set(staying)
    return surplus


def _who_stays(scenario: Scenario, here: list[Assignment], demand: Demand) -> list[Assignment]:
    """`demand.people` of the assignments `here`, chosen one by one for the leaders and skills
    still lacking (ties: in the order given)."""
    staying: list[Assignment] = []
    left = list(here)
    while left and len(staying) < demand.people:
        chosen = [scenario.person_by_id[a.person] for a in staying]
        best = max(left, key=lambda a: _fills(scenario.person_by_id[a.person], chosen, demand))
        staying.append(best)
        left.remove(best)
    return staying


def _fills(person: Person, chosen: list[Person], demand: Demand) -> int:
    """How many of the leaders and skills `chosen` still lack the person would bring."""
    leader = person.leader and sum(p.leader for p in chosen) < demand.leaders
    skills = sum(
        1
        for skill, wanted in demand.skills.items()
        if skill in person.skills and sum(skill in p.skills for p in chosen) < wanted
    )
    return int(leader) + skills


def _members_and_reserve(scenario: Scenario, post_of: dict[str, str]):
    """post -> the people who keep it; the reserve (everyone without a post)."""
    members: dict[str, list[Person]] = defaultdict(list)
    reserve = []
    for person in scenario.people:
        if person.id in post_of:
            members[post_of[person.id]].append(person)
        else:
            reserve.append(person)
    return members, reserve


# ---- which teams to solve again -----------------------------------------------------------------


def teams_to_solve(scenario: Scenario, baseline: Baseline) -> list[str]:
    """Posts with demand from the freeze date on whose previous plan does not stand as it is."""
    freeze = scenario.freeze_before
    short = {g.post for g in gaps(scenario, baseline.frozen | baseline.kept) if g.day >= freeze}
    changed = {a.post for a in baseline.lost} | {a.post for a in baseline.dropped}
    locked = {a.post for a in scenario.locked if a.day >= freeze and a not in baseline.kept}
    with_demand = {p.id for p in scenario.posts if any(d >= freeze for d, _s in p.slots())}
    return sorted((short | changed | locked) & with_demand)


# ---- one post per person: team by team ----------------------------------------------------------


def repair_teams(scenario: Scenario, baseline: Baseline, *, deadline: float, workers: int, log):
    _check_locked_posts(scenario, baseline)
    touched = teams_to_solve(scenario, baseline)
    reserve = list(baseline.reserve)
    members = {post_id: list(baseline.members.get(post_id, [])) for post_id in touched}
    stand_ins: dict[str, set[Assignment]] = {}
    for post_id in touched:
        helpers, stand_ins[post_id], reserve = _stand_ins(
            scenario, post_id, members[post_id], baseline.lost, reserve
        )
        members[post_id] += helpers
    members, reserve = _top_up(scenario, baseline, touched, members, reserve, deadline=deadline)
    log(
        f"re-plan: {len(touched)} teams to solve again "
        f"({sum(1 for p in touched if not baseline.members.get(p))} new), "
        f"{len(reserve)} left in the reserve"
    )
    fresh, patched, hints = _teams(scenario, baseline, members, stand_ins, deadline)
    cover_first = {t.key for t in fresh}
    reserve = _size_teams(
        scenario,
        fresh + patched,
        hints,
        reserve,
        cover_first,
        deadline=deadline,
        workers=workers,
        log=log,
    )
    fresh = [t for t in fresh + patched if t.key in cover_first]
    patched = [t for t in patched if t.key not in cover_first]
    first = time.perf_counter() + FIRST_PASS_SHARE * (deadline - time.perf_counter())
    results = _rotate(scenario, fresh, patched, hints, deadline=first, workers=workers, log=log)
    results = retry_unsolved(scenario, results, deadline=deadline, workers=workers, log=log)
    if time.perf_counter() < deadline - IMPROVE_AT_LEAST:
        results = improve_teams(
            scenario, results, reserve, deadline=deadline, workers=workers, log=log
        )
    untouched = {a for a in baseline.kept if a.post not in results}
    solved = set().union(*(r.assignments for r in results.values()))
    return baseline.frozen | untouched | solved, list(results.values())


def _teams(scenario: Scenario, baseline: Baseline, members, stand_ins, deadline: float):
    """The teams to solve, split into fresh and patched ones, and each one's warm start: what
    it keeps of the previous plan and its stand-ins' shifts, completed greedily."""
    fixed = fixed_assignments(scenario)
    fresh, patched, hints = [], [], {}
    for post_id, people in members.items():
        post = scenario.post_by_id[post_id]
        ids = {p.id for p in people}
        team_fixed = {a for a in fixed if a.post == post_id and a.person in ids}
        team = Team(post_id, [frozen_view(scenario, post, team_fixed)], people, team_fixed)
        start = {a for a in baseline.kept if a.post == post_id} | stand_ins[post_id]
        hints[post_id] = _warm_start(scenario, team, start, deadline)
        (fresh if _is_fresh(scenario, post, baseline.kept) else patched).append(team)
    return fresh, patched, hints


def _check_locked_posts(scenario: Scenario, baseline: Baseline) -> None:
    """A person locked to a post other than the one they keep cannot be planned: say so."""
    problems = [
        (
            f"$.locked[{i}]",
            f"{a.person} is locked to {a.post} but keeps post {baseline.post_of[a.person]} "
            "from the previous plan (one post per person)",
        )
        for i, a in enumerate(scenario.locked)
        if baseline.post_of.get(a.person, a.post) != a.post
    ]
    if problems:
        raise ScenarioError(problems)


def _stand_ins(scenario: Scenario, post_id: str, members, lost, reserve):
    """Helpers from the reserve for the people the team lost, and a warm start that gives each
    lost person's remaining shifts to one who is free on those dates (the reserve first)."""
    post = scenario.post_by_id[post_id]
    hint: set[Assignment] = set()
    helpers: list[Person] = []
    by_person: dict[str, list[Assignment]] = defaultdict(list)
    for a in lost:
        if a.post == post_id:
            by_person[a.person].append(a)
    for _person, shifts in sorted(by_person.items()):
        brought = [_what_they_brought(scenario, a) for a in shifts]
        candidates = pick_helpers(
            scenario, Team(post_id, [post], members), brought, reserve, HELPERS_PER_LOST_PERSON
        )
        free = [p for p in candidates if not any(a.day in p.unavailable for a in shifts)]
        if free:
            hint |= {a._replace(person=free[0].id) for a in shifts}
        helpers += candidates
        reserve = [p for p in reserve if p not in candidates]
    return helpers, hint, reserve


def _what_they_brought(scenario: Scenario, lost: Assignment) -> Gap:
    """A lost shift as a gap: one person, and the leader and skills the demand there asks of
    those the lost person had (a stand-in need not hold a skill the post never asks for)."""
    person = scenario.person_by_id[lost.person]
    asked = scenario.post_by_id[lost.post].demand_on(lost.day, lost.shift)
    leader = int(person.leader and asked.leaders > 0)
    skills = {s: 1 for s in person.skills if s in asked.skills}
    return Gap(lost.post, lost.day, lost.shift, 1, leader, skills)


def _top_up(scenario: Scenario, baseline: Baseline, touched, members, reserve, *, deadline):
    """Members (pinned to their post) plus whom the allocator takes from the reserve so that
    each team to solve can cover its demand from the freeze date on, given what each member
    worked in the days just before it."""
    if not reserve or not touched:
        return members, reserve
    pinned = {p.id: post_id for post_id in touched for p in members[post_id]}
    history: dict[str, set[int]] = defaultdict(set)
    for a in baseline.frozen:
        if a.person in pinned:
            history[a.person].add(a.day)
    people = [p for post_id in touched for p in members[post_id]] + reserve
    allocator = Allocator(
        scenario,
        pinned,
        posts=[scenario.post_by_id[post_id] for post_id in touched],
        people=people,
        first_day=scenario.freeze_before,
        history=history,
    )
    budget = ALLOCATION_SHARE * (deadline - time.perf_counter())
    teams, left = allocator.allocate(time_limit=max(0.2, min(ALLOCATION_SECONDS, budget)))
    for post_id, team in teams.items():
        known = {p.id for p in members[post_id]}
        members[post_id] += [p for p in team if p.id not in known]
    return members, left


def frozen_view(scenario: Scenario, post: Post, frozen: set[Assignment]) -> Post:
    """The post as a team's model sees it: its demand from the freeze date on; before that date
    exactly what the frozen assignments give. Nothing there can change, and a model that seeks a
    complete cover must not fail on a gap the published days left."""
    freeze = scenario.freeze_before
    if not any(day < freeze for day, _shift in post.slots()):
        return post
    demand = [replace(e, days=frozenset(d for d in e.days if d >= freeze)) for e in post.demand]
    demand = [e for e in demand if e.days]
    held: dict[tuple[int, str], list[Person]] = defaultdict(list)
    for a in frozen:
        if a.post == post.id:
            held[(a.day, a.shift)].append(scenario.person_by_id[a.person])
    for (day, shift), people in sorted(held.items()):
        asked = post.demand_on(day, shift)
        demand.append(
            Demand(
                shift=shift,
                people=len(people),
                leaders=min(asked.leaders, sum(p.leader for p in people)),
                skills={
                    s: have
                    for s, n in asked.skills.items()
                    if (have := min(n, sum(s in p.skills for p in people)))
                },
                days=frozenset({day}),
                weight_under=asked.weight_under,
                weight_over=asked.weight_over,
            )
        )
    return Post(post.id, post.name, post.unit, post.bubble, post.kind, demand)


def _size_teams(scenario: Scenario, teams, hints, reserve, cover_first, *, deadline, workers, log):
    """Each team checks that a complete cover is within its reach. A team proven unable to
    reach one (the allocator counts capacity, not how the rest rules let a rotation use it)
    takes a helper from the reserve for what its warm start leaves short, and tries again.

    A cover found becomes the warm start of a team in `cover_first` (fresh teams), and of a
    team whose previous plan, completed greedily, still leaves gaps: that team joins
    `cover_first` (complete cover stays, stability brings it back near its previous plan). A
    team whose warm start is complete keeps it. Returns what is left of the reserve."""
    until = time.perf_counter() + SIZING_SHARE * (deadline - time.perf_counter())
    pending = list(teams)
    for round_number in range(SIZING_ROUNDS):
        left = until - time.perf_counter()
        if not pending or left <= 0:
            break
        limit = min(COVER_PROBE_SECONDS, left * workers / len(pending))

        def probe(team: Team, limit=limit):
            return find_complete_cover(scenario, team, hints[team.key], time_limit=limit)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            probed = list(zip(pending, pool.map(probe, pending), strict=True))
        pending = []
        for team, (status, cover) in probed:
            if cover is not None:
                if team.key in cover_first or _has_gaps(scenario, team, hints[team.key]):
                    cover_first.add(team.key)
                    hints[team.key] = cover
            elif status == "INFEASIBLE" and reserve:
                lacking = _what_is_lacking(scenario, team, hints[team.key])
                helpers = pick_helpers(scenario, team, lacking, reserve, 1)
                team.people = team.people + helpers
                reserve = [p for p in reserve if p not in helpers]
                hints[team.key] = _warm_start(scenario, team, hints[team.key], deadline)
                pending.append(team)
        log(f"sizing round {round_number + 1}: {len(pending)} teams short of a cover get a helper")
    return reserve


def _team_gaps(scenario: Scenario, team: Team, assignments) -> list[Gap]:
    """The gaps `assignments` leave at the team's post from the freeze date on."""
    freeze = scenario.freeze_before
    return [g for g in gaps(scenario, assignments) if g.post == team.key and g.day >= freeze]


def _what_is_lacking(scenario: Scenario, team: Team, assignments) -> list[Gap]:
    """The gaps the warm start leaves, each asking a leader too where its slot asks a leader
    besides a missing skill: one person who is both frees the rotation most (the gaps alone
    cannot show that the leader and the skill must often be the same person)."""
    lacking = []
    for g in _team_gaps(scenario, team, assignments):
        asked = scenario.post_by_id[g.post].demand_on(g.day, g.shift)
        leaders = max(g.leaders, int(bool(g.skills) and asked.leaders > 0))
        lacking.append(replace(g, leaders=leaders))
    return lacking


def _has_gaps(scenario: Scenario, team: Team, assignments) -> bool:
    return bool(_team_gaps(scenario, team, assignments))


def _is_fresh(scenario: Scenario, post: Post, kept: set[Assignment]) -> bool:
    """Whether the kept plan covers so little of the post's demand that it starts anew."""
    freeze = scenario.freeze_before
    asked = sum(post.demand_on(d, s).people for d, s in post.slots() if d >= freeze)
    held = sum(1 for a in kept if a.post == post.id)
    return held < FRESH_BELOW * asked


def _warm_start(scenario: Scenario, team: Team, start: set[Assignment], deadline: float):
    """The kept plan (and stand-ins) completed greedily: the rotation's first solution."""
    seed = Team(team.key, team.posts, team.people, team.fixed | start)
    seconds = CONSTRUCT_SHARE * max(0.0, deadline - time.perf_counter())
    return construct(scenario, seed, seconds=seconds)


def _rotate(scenario, fresh, patched, hints, *, deadline, workers, log):
    """Fresh teams seek a complete cover first; patched ones start from their previous plan
    (cover soft, so the stability term keeps them close). The time is shared by model size."""
    results: dict[str, TeamResult] = {}
    sizes = {id(t): len(t.people) * len(t.posts[0].slots()) for t in fresh + patched}
    total = sum(sizes.values()) or 1
    for teams, cover_first in ((fresh, True), (patched, False)):
        if not teams:
            continue
        now = time.perf_counter()
        share = sum(sizes[id(t)] for t in teams) / total
        total -= sum(sizes[id(t)] for t in teams)
        until = now + share * (deadline - now) if total else deadline
        results |= solve_teams(
            scenario,
            teams,
            deadline=until,
            workers=workers,
            hints={t.key: hints[t.key] for t in teams},
            cover_first=cover_first,
            log=log,
        )
    return results


# ---- without one post per person: the whole staff -----------------------------------------------


def _replan_whole_staff(scenario: Scenario, baseline: Baseline, *, deadline, workers, log):
    """One model over everyone, seeded with what still holds of the previous plan."""
    hint = baseline.frozen | baseline.kept | set(scenario.locked)
    return plan_whole_staff(scenario, deadline=deadline, workers=workers, log=log, hint=hint)
