"""A team: the people and posts that one rotation model plans together."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Assignment, Person, Post


@dataclass
class Team:
    """People who share posts. With one post per person a team is the roster of one post.

    `fixed` assignments must hold (locked, or frozen by a repair); `hint` is a starting plan.
    """

    key: str
    posts: list[Post]
    people: list[Person]
    fixed: set[Assignment] = field(default_factory=set)
    hint: set[Assignment] = field(default_factory=set)

    @property
    def post_ids(self) -> set[str]:
        return {post.id for post in self.posts}

    @property
    def person_ids(self) -> set[str]:
        return {person.id for person in self.people}


@dataclass
class TeamResult:
    """What the rotation model returned for one team."""

    team: Team
    assignments: set[Assignment]
    status: str
    objective: float
    bound: float
    seconds: float
    terms: dict[str, int] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return max(0.0, self.objective - self.bound)
