"""Why a (post, date, shift) lacks people: an honest reason for each line of the shortfall.

A person is *free* for a shift when they are available that date, may work that shift type, work
fewer shifts that date than `max_shifts_per_day` allows (that shift not among them), and may join
the post (with one post per person: they belong to its team or have no post yet; with bubbles:
they work in no other bubble). Each reason has a code, for programs (the web UI shows it in the
user's language), and an English text; in the order given:
- `no_skill` "no one with the skill S": nobody in the whole scenario holds skill S;
- `too_few_with_skill` "too few with the skill S": holders exist but none is free;
- `too_few_leaders` "too few leaders": leaders are missing and no leader is free;
- `too_few_in_bubble` "too few people in the bubble" (bubble posts) / `too_few_people` "too few
  people" (others): people are missing and no one is free;
- `rest_rules` "rest rules": someone free with what is missing exists, yet each one, given the
  shift on top of their other shifts as they stand, would break a hard rule (rest, successions,
  the longest and shortest runs of days on and off, 7-day or total limits, shift counts,
  weekends);
- `time_limit` "not reached within the time limit": someone free could take it, their other
  shifts as they stand, without breaking any hard rule;
- `frozen` "frozen before freeze_before": the gap lies before the freeze date of a re-plan, where
  nothing may change.
"""

from __future__ import annotations

from collections import defaultdict

from .construct import _Roster, _run
from .evaluate import Gap
from .model import Person, Post, Scenario
from .rules import weekends
from .team import Team

REASON_TEXT = {
    "no_skill": "no one with the skill {skill}",
    "too_few_with_skill": "too few with the skill {skill}",
    "too_few_leaders": "too few leaders",
    "too_few_in_bubble": "too few people in the bubble",
    "too_few_people": "too few people",
    "rest_rules": "rest rules",
    "time_limit": "not reached within the time limit",
    "frozen": "frozen before freeze_before",
}


def reason_text(codes: list[dict]) -> str:
    """The English text of reason codes, joined by '; '."""
    return "; ".join(REASON_TEXT[c["code"]].format(**c) for c in codes)


class Diagnosis:
    """Knows who works where, to tell why each gap was left open."""

    def __init__(self, scenario: Scenario, assignments):
        self.scenario = scenario
        self.assignments = set(assignments)
        self.posts_of: dict[str, set[str]] = defaultdict(set)
        for a in self.assignments:
            self.posts_of[a.person].add(a.post)
        everyone = Team("all", scenario.posts, scenario.people)
        self.roster = _Roster(scenario, everyone)
        for a in sorted(self.assignments, key=lambda a: a.day):
            self.roster.add(a, scenario.post_by_id[a.post])
        self.skills_held = {s for p in scenario.people for s in p.skills}
        self.weekends = weekends(scenario.start, scenario.days)
        self.weekend_of = {d: days for days in self.weekends for d in days}
        self._weekends_worked: dict[str, int] = {}

    def reason(self, gap: Gap) -> str:
        """The English reason of a gap (several joined by '; ')."""
        return reason_text(self.codes(gap))

    def codes(self, gap: Gap) -> list[dict]:
        """The reasons of a gap as {"code": ..., and "skill" or "bubble" where they apply}."""
        post = self.scenario.post_by_id[gap.post]
        if self.scenario.is_repair and gap.day < self.scenario.freeze_before:
            return [{"code": "frozen"}]
        free = [p for p in self.scenario.people if self._free(p, post, gap.day, gap.shift)]
        codes = []
        for skill in gap.skills:
            holders = [p for p in free if skill in p.skills]
            if skill not in self.skills_held:
                codes.append({"code": "no_skill", "skill": skill})
            elif not holders:
                codes.append({"code": "too_few_with_skill", "skill": skill})
            else:
                codes.append(self._rest_rules(holders, post, gap))
        if gap.leaders:
            leaders = [p for p in free if p.leader]
            codes.append(
                self._rest_rules(leaders, post, gap) if leaders else {"code": "too_few_leaders"}
            )
        if gap.people:
            if free:
                codes.append(self._rest_rules(free, post, gap))
            elif post.bubble:
                codes.append({"code": "too_few_in_bubble", "bubble": post.bubble})
            else:
                codes.append({"code": "too_few_people"})
        unique = {tuple(sorted(c.items())): c for c in codes}
        return list(unique.values())

    def _free(self, person: Person, post: Post, day: int, shift: str) -> bool:
        if day in person.unavailable or person.limits.max_shifts.get(shift) == 0:
            return False
        that_day = self.roster.shifts[person.id].get(day, ())
        if shift in that_day:
            return False  # at that shift elsewhere already
        limit = self.scenario.rules.max_shifts_per_day
        if limit is not None and len(that_day) >= limit:
            return False
        posts = self.posts_of.get(person.id, set())
        if self.scenario.rules.one_post_per_person and posts and posts != {post.id}:
            return False
        bubbles = {self.scenario.post_by_id[p].bubble for p in posts} - {None}
        return not (post.bubble and bubbles and bubbles != {post.bubble})

    def _rest_rules(self, free: list[Person], post: Post, gap: Gap) -> dict:
        """`rest_rules` when every free person breaks a rule; else the search stopped short."""
        if any(self._fits(p, post, gap) for p in free):
            return {"code": "time_limit"}
        return {"code": "rest_rules"}

    def _fits(self, person: Person, post: Post, gap: Gap) -> bool:
        """Whether the person could take the gap's shift, their other shifts as they stand,
        without breaking a hard rule."""
        return (
            self.roster.fits(person, post, gap.day, gap.shift)
            and self._keeps_runs(person, gap.day)
            and self._keeps_weekends(person, gap.day)
        )

    def _keeps_runs(self, person: Person, day: int) -> bool:
        """Working `day` leaves each run of days on and off that touches neither end
        of the horizon at least its minimum: the worked run it joins, and the two parts of
        the off run it splits (the greedy check knows only the longest runs)."""
        rules = self.roster.rules[person.id]
        worked = self.roster.shifts[person.id]
        if worked.get(day):
            return True  # a second shift that day changes no run
        last = self.scenario.days - 1
        least_on = rules.min_consecutive_days or 0
        if least_on > 1:
            first_on, last_on = day - _run(worked, day, -1), day + _run(worked, day, +1)
            if first_on > 0 and last_on < last and last_on - first_on + 1 < least_on:
                return False
        least_off = rules.min_consecutive_days_off or 0
        if least_off > 1:
            before, after = _off_run(worked, day, -1, last), _off_run(worked, day, +1, last)
            if 0 < before < least_off and day - before > 0:
                return False
            if 0 < after < least_off and day + after < last:
                return False
        return True

    def _keeps_weekends(self, person: Person, day: int) -> bool:
        """Working `day` keeps the person within their weekend limit."""
        limit = self.roster.rules[person.id].max_weekends
        weekend = self.weekend_of.get(day)
        if limit is None or weekend is None:
            return True
        worked = self.roster.shifts[person.id]
        if any(worked.get(d) for d in weekend):
            return True  # that weekend is worked already
        if person.id not in self._weekends_worked:
            self._weekends_worked[person.id] = sum(
                any(worked.get(d) for d in days) for days in self.weekends
            )
        return self._weekends_worked[person.id] < limit


def _off_run(worked, day: int, step: int, last: int) -> int:
    """How many days off lie next to `day` in direction `step`, inside the horizon 0..last."""
    length = 0
    while 0 <= day + step * (length + 1) <= last and not worked.get(day + step * (length + 1)):
        length += 1
    return length
