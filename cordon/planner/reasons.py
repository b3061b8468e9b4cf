"""Why a (post, date, shift) lacks people: an honest reason for each line of the shortfall.

A person is *free* for a shift when they are available that date, may work that shift type, work
no other shift that date, and may join the post (with one post per person: they belong to its team
or have no post yet; with bubbles: they work in no other bubble). The reasons, in the order given:
- "no one with the skill S": nobody in the whole scenario holds skill S;
- "too few with the skill S": holders exist but none is free;
- "too few leaders": leaders are missing and no leader is free;
- "too few people in the bubble" (bubble posts) / "too few people" (others): people are missing
  and no one is free;
- "rest rules": someone free with what is missing exists, yet each one would break a hard rule
  (rest, runs, 7-day or total limits, shift counts, weekends) or a frozen or locked assignment.
"""

from __future__ import annotations

from collections import defaultdict

from .construct import _Roster
from .evaluate import Gap
from .model import Person, Post, Scenario
from .team import Team


class Diagnosis:
    """Knows who works where, to tell why each gap was left open."""

    def __init__(self, scenario: Scenario, assignments):
        self.scenario = scenario
        self.assignments = set(assignments)
        self.by_person_day: dict[tuple[str, int], int] = defaultdict(int)
        self.posts_of: dict[str, set[str]] = defaultdict(set)
        for a in self.assignments:
            self.by_person_day[(a.person, a.day)] += 1
            self.posts_of[a.person].add(a.post)
        everyone = Team("all", scenario.posts, scenario.people)
        self.roster = _Roster(scenario, everyone)
        for a in sorted(self.assignments, key=lambda a: a.day):
            self.roster.add(a, scenario.post_by_id[a.post])
        self.skills_held = {s for p in scenario.people for s in p.skills}

    def reason(self, gap: Gap) -> str:
        post = self.scenario.post_by_id[gap.post]
        free = [p for p in self.scenario.people if self._free(p, post, gap.day, gap.shift)]
        reasons = []
        for skill in gap.skills:
            holders = [p for p in free if skill in p.skills]
            if skill not in self.skills_held:
                reasons.append(f"no one with the skill {skill}")
            elif not holders:
                reasons.append(f"too few with the skill {skill}")
            else:
                reasons.append(self._rest_rules(holders, post, gap))
        if gap.leaders:
            leaders = [p for p in free if p.leader]
            reasons.append(self._rest_rules(leaders, post, gap) if leaders else "too few leaders")
        if gap.people:
            if not free:
                reasons.append("too few people in the bubble" if post.bubble else "too few people")
            else:
                reasons.append(self._rest_rules(free, post, gap))
        return "; ".join(dict.fromkeys(reasons))

    def _free(self, person: Person, post: Post, day: int, shift: str) -> bool:
        if day in person.unavailable or person.limits.max_shifts.get(shift) == 0:
            return False
        if self.by_person_day[(person.id, day)]:
            return False
        posts = self.posts_of.get(person.id, set())
        if self.scenario.rules.one_post_per_person and posts and posts != {post.id}:
            return False
        bubbles = {self.scenario.post_by_id[p].bubble for p in posts} - {None}
        return not (post.bubble and bubbles and bubbles != {post.bubble})

    def _rest_rules(self, free: list[Person], post: Post, gap: Gap) -> str:
        """'rest rules' when every free person breaks a rule; else the search stopped short."""
        frozen = self.scenario.is_repair and gap.day < self.scenario.freeze_before
        if frozen:
            return "frozen before freeze_before"
        if any(self._fits(p, post, gap) for p in free):
            return "not reached within the time limit"
        return "rest rules"

    def _fits(self, person: Person, post: Post, gap: Gap) -> bool:
        if not self.roster.fits(person, post, gap.day, gap.shift):
            return False
        rules = self.roster.rules[person.id]
        # The greedy check ignores minimum run lengths and weekends: count those as rules.
        return not (
            rules.min_consecutive_days or rules.min_consecutive_days_off or rules.max_weekends
        )
