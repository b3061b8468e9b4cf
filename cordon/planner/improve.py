"""Improve across teams: where cover is short, move free people in and re-solve the team.

Free people are the reserve plus team members the rotation left without a shift. For a short
team we pick who helps most with what it lacks (leaders, skills, any hands), preferring the
post's own unit, and solve the team again warm-started from its current plan.
"""

from __future__ import annotations

import time

from .evaluate import gaps
from .model import Person, Scenario
from .rotate import solve_teams
from .team import Team, TeamResult

MAX_ROUNDS = 6


def team_gaps(scenario: Scenario, result: TeamResult):
    """The gaps left at the team's posts by its current assignments."""
    posts = result.team.post_ids
    return [
        g
        for g in gaps(scenario, result.assignments)
        if g.post in posts and not _frozen(scenario, g.day)
    ]


def _frozen(scenario: Scenario, day: int) -> bool:
    return scenario.is_repair and day < scenario.freeze_before


def idle_members(results: dict[str, TeamResult]) -> list[Person]:
    """Members of fully planned teams who got no shift: they are as free as the reserve."""
    idle = []
    for result in results.values():
        if result.status not in ("OPTIMAL", "FEASIBLE"):
            continue
        working = {a.person for a in result.assignments}
        idle += [p for p in result.team.people if p.id not in working]
    return idle


def pick_helpers(scenario: Scenario, team: Team, lacking, pool: list[Person], count: int):
    """Up to `count` people of `pool` who best fill what the team lacks."""
    post = team.posts[0]
    needs_leaders = any(g.leaders for g in lacking)
    needed_skills = {s for g in lacking for s in g.skills}
    lacking_days = {g.day for g in lacking}

    def score(person: Person) -> tuple:
        return (
            -(needs_leaders and person.leader) * 4
            - len(needed_skills & person.skills) * 4
            - (post.unit is not None and person.unit == post.unit),
            len(lacking_days & person.unavailable),
            person.leader and not needs_leaders,  # keep spare leaders for others
            len(person.skills - needed_skills),
            person.id,
        )

    return sorted(pool, key=score)[:count]


def improve_teams(
    scenario: Scenario,
    results: dict[str, TeamResult],
    reserve: list[Person],
    *,
    deadline: float,
    workers: int,
    log=None,
) -> dict[str, TeamResult]:
    """Re-solve short teams with helpers until cover is complete or time is up; once no one is
    free any more, short teams get one last try with the time left, as they are."""
    for round_number in range(MAX_ROUNDS):
        short = {key: team_gaps(scenario, r) for key, r in results.items()}
        short = {key: g for key, g in short.items() if g}
        if not short or time.perf_counter() > deadline - 1:
            break
        pool = list(reserve) + idle_members({k: r for k, r in results.items() if k not in short})
        grown = []
        helped = 0
        for key in sorted(short, key=lambda k: -len(short[k])):
            result = results[key]
            lacking = short[key]
            helpers = pick_helpers(scenario, result.team, lacking, pool, _helper_count(lacking))
            pool = [p for p in pool if p not in helpers]
            _leave_old_team(results, helpers)
            helped += bool(helpers)
            team = Team(
                result.team.key, result.team.posts, result.team.people + helpers, result.team.fixed
            )
            grown.append((team, result.assignments))
        reserve[:] = [p for p in reserve if p in pool]
        if log:
            log(f"improve round {round_number + 1}: {len(grown)} short teams, {helped} get helpers")
        solved = solve_teams(
            scenario,
            [team for team, _ in grown],
            deadline=deadline,
            workers=workers,
            hints={team.key: hint for team, hint in grown},
            # A complete cover first, in a repair too: the optimising step keeps it and its
            # stability term then brings the team back near its previous plan. Cover soft from
            # a short plan may not close a leader's or a skill's gap in the time left.
            cover_first=True,
            log=log,
        )
        for key, result in solved.items():
            if result.status in ("OPTIMAL", "FEASIBLE") and _not_worse(scenario, result, results):
                results[key] = result
        if not helped:
            break
    return results


def _not_worse(scenario: Scenario, result: TeamResult, results: dict[str, TeamResult]) -> bool:
    """Whether a re-solved team leaves no more missing than it did (a short re-solve may not)."""
    before = results[result.team.key]
    return _missing(team_gaps(scenario, result)) <= _missing(team_gaps(scenario, before))


def _missing(lacking) -> int:
    return sum(g.people + g.leaders + sum(g.skills.values()) for g in lacking)


def _helper_count(lacking) -> int:
    """How many helpers to bring for these gaps: one for every 12 missing person-shifts (a
    person works ~18 shifts in 3 weeks), at least one, at most four."""
    return max(1, min(4, -(-_missing(lacking) // 12)))


def _leave_old_team(results: dict[str, TeamResult], helpers: list[Person]) -> None:
    moving = {p.id for p in helpers}
    for result in results.values():
        if moving & result.team.person_ids:
            result.team.people = [p for p in result.team.people if p.id not in moving]
