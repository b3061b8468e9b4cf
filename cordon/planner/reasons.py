"""Why a (post, date, shift) lacks people: an honest reason for each line of the shortfall.

A person is *free* for a shift when they are available that date, may work that shift type, work
no other shift that date, and may join the post (with one post per person: they belong to its team
or have no post yet; with bubbles: they work in no other bubble). Each reason has a code, for
programs (the web UI shows it in the user's language), and an English text; in the order given:
- `no_skill` "no one with the skill S": nobody in the whole scenario holds skill S;
- `too_few_with_skill` "too few with the skill S": holders exist but none is free;
- `too_few_leaders` "too few leaders": leaders are missing and no leader is free;
- `too_few_in_bubble` "too few people in the bubble" (bubble posts) / `too_few_people` "too few
  people" (others): people are missing and no one is free;
- `rest_rules` "rest rules": someone free with what is missing exists, yet each one would break a
  hard rule (rest, runs, 7-day or total limits, shift counts, weekends) or a frozen or locked
  assignment;
- `time_limit` "not reached within the time limit": someone free could take it without breaking a
  rule this check knows;
- `frozen` "frozen before freeze_before": the gap lies before the freeze date of a re-plan, where
  nothing may change.
"""

from __future__ import annotations

from collections import defaultdict

from .construct import _Roster
from .evaluate import Gap
from .model import Person, Post, Scenario
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
        if self.by_person_day[(person.id, day)]:
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
        rules = self.roster.rules[person.id]
        # The greedy check ignores minimum run lengths and weekends: count those as rules
        # (and ask no more: the check would not change the answer).
        if rules.min_consecutive_days or rules.min_consecutive_days_off or rules.max_weekends:
            return False
        return self.roster.fits(person, post, gap.day, gap.shift)
