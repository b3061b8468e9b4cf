"""Which part of the whole-staff roster the next search round frees.

A neighbourhood is some people on a window of days. Kinds:
- `people`: a few people (often ones who may work the same shift types, so they can swap) over
  a long window: rebuilds rosters against runs, weekends and total minutes. Where the size
  spans the whole horizon for a few (a short one: Curtois 1-12), as many people as it allows
  over all of it. On Curtois 8 at 60 s, nine runs ended at 1,306-1,508 with it (four within
  1%), seven without at 1,316-1,605 (none). The larger rounds themselves gained next to
  nothing there; the difference lies in the course of the search around them (they take up
  to a second each), and 16 runs do not rule out chance;
- `days`: many people on a short window: moves shifts between people where cover is uneven;
- `costly`: around something that costs (a slot under- or over-covered, an unmet request): the
  people who could change it, on the days around it;
- `shifts`: many people on a window, each keeping their worked and free days and changing only
  which shift they work: the runs, weekends and rest stay as they are, so the model is easy
  even when it frees hundreds of cells, and it moves cover between shift types at once;
- `weekend`: a weekend with a slot short of people and a few days around it: mostly the people
  who could still work it (one of its days only, weekends to spare, or in a slot with someone
  too many). Where the weekend limits are tight (Curtois 23 and 24: the weekends' demand is
  95% of what the limits allow, two days each), the short slots are nearly all on weekends
  and one-day weekends waste the room; these rounds turn them into two-day ones and give up
  a weekday instead;
- `exchange`: a short slot and a day far from it, on two windows: a person who may work the
  slot and the day they could give up for it (a shift in a slot with someone too many, or, at
  their weekend limit, a day of another weekend they work), with a few people like them. Their
  total minutes and worked weekends leave most people no room for one more shift or weekend
  without one less elsewhere, and elsewhere is usually outside a single window;
- `year` (where YEAR_DAYS or more days are open: not frozen by a repair): one person over the
  whole horizon, everyone else as they are, mostly someone who could take a short slot: moves
  their work from months with people to spare to months short of them (and their weekends
  with it), which the windows of the other kinds, a few weeks at most on such horizons,
  cannot. On Curtois 22 the busy first quarter wants more than its share of everyone's year:
  a 300 s search left 40 weekday person-shifts short, all in the first quarter (26 in
  January), with 83-135 weekday person-shifts over cover in every later four weeks;
  re-planning each of the 50 people's year once, from that plan, gained 436 in 90 s.

Each kind but `year` (one person whatever the size, in rounds of up to YEAR_SECONDS) has its
own size (in free choices, about people x days x options), grown when CP-SAT proves a round
has nothing to gain (only by a round that held at least half its size), shrunk a little when
one pays and more when one runs out of time (on Curtois 24, rounds of 500 choices gained twice
what rounds of 3,000 gained in the same time). With several threads a round frees at most
its share of the people (half of them with two), so the other threads' rounds find as many.
Each kind, `year` too, has a rate, what its recent rounds gained per second, so the kinds
that gain most on this scenario (and at this stage of the search) get more of its time: each
kind's share of the time (not of the picks: a people round takes several times as long as a
weekend round) goes with its rate, and is at least LEAST_SHARE of the best kind's, so a kind
that stopped paying is still tried. A kind with nothing to aim at (costly, weekend and
exchange when no slot they look for is among the free people) gives way to another drawn by
the same weights.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .staff import Roster, StaffProblem

KINDS = ("people", "days", "costly", "shifts", "weekend", "exchange", "year")
START_SIZE = 1200  # free choices in a first round of each kind
MIN_SIZE, MAX_SIZE = 150, 60000
ROUND_SECONDS = 1.0
# Sizes settle where about 4 rounds in 5 pay (0.8 ln 0.98 + 0.2 ln 1.08 = 0): on Curtois 24,
# rounds of 300, 800 and 1,500 choices paid 45%, 86% and 98% of the time, and 500-800 gained
# the most per second.
GROW, SHRINK_ON_GAIN = 1.08, 0.98
SHRINK_ON_TIMEOUT = 0.85
COSTLY_REFRESH = 25  # rounds between two scans for what costs
RATE_MEMORY = 0.9  # each round's weight in a kind's rate: 1 - RATE_MEMORY
LEAST_SHARE = 0.1
YEAR_DAYS, YEAR_SECONDS = 182, 3.0
# A round proven to hold nothing grows its kind's size only when it held TESTED_SHARE of it.
# Rounds cut short (before rounds were capped at a share of the people, one thread's round of
# nearly everyone left the other a person or two: 1,205 of 1,830 rounds of the kinds made for
# many, in a 150 s run of Curtois 22) grew every kind to the cap: rounds of 27 people over the
# whole year, or of all 50 over 201 days, that found no solution in their second.
TESTED_SHARE = 0.5


@dataclass
class Hood:
    """One round's neighbourhood: `people` are free on days first..last."""

    kind: str
    people: list[int]
    first: int
    last: int
    seconds: float = ROUND_SECONDS
    lp: int = 2
    everything: bool = False
    keep_days_off: bool = False
    windows: list[tuple[int, int]] | None = None  # free days: these, not first..last
    choices: int | None = None  # the round's free choices, once its model is built


class Neighbourhoods:
    def __init__(self, problem: StaffProblem, roster: Roster, seed: int = 1, workers: int = 1):
        self.problem = problem
        self.roster = roster
        self.random = random.Random(seed)
        self.count = len(problem.people)
        # A round frees at most this many people, so that each other thread's next round
        # finds as many free.
        self.most = self.count if workers <= 1 else max(2, math.ceil(self.count / workers))
        self.days = problem.days
        choices = max(1, problem.variable_count())
        self.per_cell = max(1.0, choices / max(1, self.count * self.days))
        whole = choices
        # A person's whole horizon is a kind of its own where the horizon is long.
        open_days = self.days - max(0, problem.freeze)
        self.kinds = [k for k in KINDS if k != "year" or open_days >= YEAR_DAYS]
        self.size = {kind: min(START_SIZE, whole) for kind in self.kinds}
        self.gained = {kind: 0.0 for kind in self.kinds}  # moving averages of gain and seconds
        self.spent = {kind: 0.0 for kind in self.kinds}
        self.stats = {kind: [0, 0, 0, 0.0] for kind in self.kinds}  # rounds, better, gain, seconds
        self.whole = whole
        self._targets: list[tuple] = []
        self._short_weekends: dict[int, list[tuple[int, int]]] = {}  # weekend: short slots
        self._short: list[tuple[int, int]] = []  # short slots someone may work
        self._free: list[int] = list(range(self.count))
        self._room = self.count  # how many people the next round may free
        self._picks = 0
        self._scanned = -1  # the pick that last scanned for targets
        self._allowed = [
            frozenset(problem.option_shift[o] for row_d in row for o in row_d)
            for row in problem.options
        ]

    # ---- picking -------------------------------------------------------------------------------

    def pick(self, busy=frozenset()) -> Hood | None:
        """The next neighbourhood, among the people not `busy` in another thread's round."""
        self._picks += 1
        self._free = [p for p in range(self.count) if p not in busy]
        if not self._free:
            return None
        self._room = min(len(self._free), self.most)
        # A kind with nothing to aim at now (no short slot among the free people, say) gives
        # way to another by the same weights: not to one fixed kind, whose rounds would then
        # be counted against it (on Curtois 22 "people" took a third of the search's time at
        # a fifth of the others' gain a second, most of its rounds in place of such kinds).
        kinds, weights = list(self.kinds), self.weights()
        hood = None
        while hood is None:  # people, days, shifts and year always give one
            i = self.random.choices(range(len(kinds)), weights)[0]
            kind = kinds.pop(i)
            weights.pop(i)
            hood = getattr(self, f"_{kind}")(self.size[kind])
        hood.everything = (
            len(hood.people) == self.count
            and hood.first <= self.problem.freeze
            and hood.last >= self.days - 1
            and not hood.keep_days_off
            and hood.windows is None
        )
        return hood

    def _cells(self, size: float) -> float:
        return max(1.0, size / self.per_cell)

    def _people(self, size: float) -> Hood:
        cells = self._cells(size)
        count = min(self._room, max(2, self.random.choice((2, 2, 3, 4, 6))))
        while count > 2 and cells / count < min(self.days, 7):
            count -= 1
        length = int(min(self.days, max(2, cells / count)))
        if length == self.days:  # a short horizon: more people instead of more days
            count = int(min(self._room, max(count, cells / self.days)))
        first = self.random.randrange(0, self.days - length + 1)
        return Hood("people", self._similar(count), first, first + length - 1)

    def _year(self, size: float) -> Hood:
        """One person over the whole horizon (everyone else as they are): moves their work
        between months, where the windows of the other kinds cannot reach. Four times in five
        someone who could take one of a few short slots drawn at random, when there is such
        a person; else anyone free."""
        self._refresh_targets()
        ready = self._takers(self.random.sample(self._short, min(len(self._short), 5)))
        p = self.random.choice(ready) if ready and self.random.random() < 0.8 else None
        if p is None:
            p = self.random.choice(self._free)
        return Hood("year", [p], 0, self.days - 1, seconds=YEAR_SECONDS)

    def _similar(self, count: int) -> list[int]:
        """`count` people: one at random, then mostly people sharing shift types with them."""
        first = self.random.choice(self._free)
        chosen = {first}
        mine = self._allowed[first]
        others = [p for p in self._free if p != first]
        self.random.shuffle(others)
        if self.random.random() < 0.7:
            others.sort(key=lambda p: -len(mine & self._allowed[p]))
        for p in others:
            if len(chosen) >= count:
                break
            chosen.add(p)
        return sorted(chosen)

    def _days(self, size: float) -> Hood:
        cells = self._cells(size)
        length = self.random.choice((2, 3, 4, 5, 7, 7, 10, 14))
        length = min(self.days, length)
        free = self._free
        count = int(min(self._room, max(2, cells / length)))
        if count == self._room:
            length = int(min(self.days, max(length, cells / count)))
        first = self.random.randrange(0, self.days - length + 1)
        people = sorted(self.random.sample(free, count))
        return Hood("days", people, first, first + length - 1)

    def _shifts(self, size: float) -> Hood:
        hood = self._days(size)
        hood.kind, hood.keep_days_off = "shifts", True
        return hood

    def _refresh_targets(self) -> None:
        """Scan for what costs every COSTLY_REFRESH picks, or while nothing was found; at most
        once a pick, whichever kinds with targets it draws."""
        if self._scanned == self._picks:
            return
        if not self._targets or self._picks % COSTLY_REFRESH == 0:
            self._scanned = self._picks
            self._targets = self._costly_items()

    def _costly(self, size: float) -> Hood | None:
        self._refresh_targets()
        if not self._targets:
            return None
        day, involved = self.random.choice(self._targets)
        free = set(self._free)
        involved = [p for p in involved if p in free]
        if not involved:
            return None
        # Those who could take one more shift that day first: for a short slot the few who
        # can fill it (checked here, on the roster as it is now, not at each scan); a surplus
        # slot's workers all qualify; else everyone involved (a request's person).
        involved = [p for p in involved if self._could_take(p, day)] or involved
        cells = self._cells(size)
        length = min(self.days, self.random.choice((3, 5, 7, 9, 14)))
        count = int(min(self._room, max(2, cells / length)))
        first = min(max(0, day - self.random.randrange(length)), self.days - length)
        chosen = set(self.random.sample(involved, min(len(involved), max(1, count // 2))))
        candidates = [
            p
            for p in self._free
            if p not in chosen
            and any(self.problem.options[p][d] for d in range(first, first + length))
        ]
        self.random.shuffle(candidates)
        chosen.update(candidates[: max(0, count - len(chosen))])
        return Hood("costly", sorted(chosen), first, first + length - 1)

    def _weekend(self, size: float) -> Hood | None:
        """A weekend with a short slot, and the days around it: mostly people who may work
        such a slot and could still take it (they work the weekend's other day only, have
        weekends to spare, or stand in a slot with someone too many), so they can work both
        days and give up a weekday instead; the rest at random."""
        self._refresh_targets()
        if not self._short_weekends:
            return None
        problem = self.problem
        w = self.random.choice(sorted(self._short_weekends))
        short = self._short_weekends[w]
        weekend = problem.weekends[w]
        around = self.random.choice((1, 2, 3, 4, 5))
        first = max(0, weekend[0] - around)
        last = min(self.days - 1, weekend[-1] + around)
        count = int(min(self._room, max(2, self._cells(size) / (last - first + 1))))
        ready = self._takers(short)
        chosen = set(self.random.sample(ready, min(len(ready), max(1, 2 * count // 3))))
        others = [p for p in self._free if p not in chosen]
        self.random.shuffle(others)
        chosen.update(others[: max(0, count - len(chosen))])
        return Hood("weekend", sorted(chosen), first, last)

    def _costly_items(self) -> list[tuple[int, list[int]]]:
        """(day, people who could change it) of each slot off its demand and unmet request."""
        problem, roster = self.problem, self.roster
        items = []
        short_weekends: dict[int, list[tuple[int, int]]] = defaultdict(list)
        short: list[tuple[int, int]] = []
        by_option: dict[tuple[int, int], list[int]] = {}
        for (d, o), demand in problem.demand.items():
            workers = roster.assigned.get((d, o), ())
            if problem.slot_cost(d, o, workers) <= 0:
                continue
            if len(workers) > demand.people:
                items.append((d, sorted(workers)))
                continue
            able = by_option.get((d, o))
            if able is None:
                able = [p for p in range(self.count) if o in problem.options[p][d]]
                by_option[(d, o)] = able
            if not able:
                continue
            if d >= problem.freeze:
                short.append((d, o))
                w = problem.weekend_of[d]
                if w is not None:
                    short_weekends[w].append((d, o))
            items.append((d, able))
        for p in range(self.count):
            for d, requests in problem.requests[p].items():
                if problem.cell_cost(p, d, roster.cells[p][d]) > 0 and requests:
                    items.append((d, [p]))
        self._short_weekends = dict(short_weekends)
        self._short = short
        return items

    def _takers(self, slots) -> list[int]:
        """The free people who may work one of `slots` (day, option) and could take it."""
        options = self.problem.options
        return [
            p
            for p in self._free
            if any(o in options[p][d] and self._could_take(p, d) for d, o in slots)
        ]

    def _could_take(self, p: int, d: int) -> bool:
        """Whether p could work one more shift on day d without giving up one elsewhere that
        day: free then, or in a slot that has someone too many; and, on a weekend, working its
        other day already or below their weekend limit. (On Curtois 24 nearly everyone
        reaches their weekends and most short slots are on weekends: the few people who can
        fill one are the ones worth freeing around it.)"""
        problem, roster = self.problem, self.roster
        if roster.cells[p][d]:
            return self._spare(p, d)
        w = problem.weekend_of[d]
        limit = problem.rules[p].max_weekends
        return (
            w is None
            or limit is None
            or roster.weekend_days[p][w] > 0
            or roster.weekends[p] < limit
        )

    def _spare(self, p: int, d: int) -> bool:
        """Whether every slot p works on day d has someone too many (true on a day off)."""
        problem, roster = self.problem, self.roster
        return all(
            len(roster.assigned[(d, o)]) > problem.demand[(d, o)].people for o in roster.cells[p][d]
        )

    def _exchange(self, size: float) -> Hood | None:
        """A short slot and a day far from it (see the module's docstring)."""
        self._refresh_targets()
        if not self._short:
            return None
        problem = self.problem
        d, o = self.random.choice(self._short)
        able = [p for p in self._free if o in problem.options[p][d] and self._spare(p, d)]
        if not able:
            return None
        p = self.random.choice(able)
        far = self._given_up(p, d)
        if far is None:
            return None
        windows = []
        for day in (d, far):
            reach = self.random.choice((1, 2, 3))
            windows.append((max(0, day - reach), min(self.days - 1, day + reach)))
        length = sum(last - first + 1 for first, last in windows)
        count = int(max(1, min(self._room, self._cells(size) / length)))
        mine = self._allowed[p]
        others = [q for q in self._free if q != p]
        self.random.shuffle(others)
        others.sort(key=lambda q: -len(mine & self._allowed[q]))
        people = sorted({p, *others[: count - 1]})
        first, last = min(w[0] for w in windows), max(w[1] for w in windows)
        return Hood("exchange", people, first, last, windows=windows)

    def _given_up(self, p: int, d: int) -> int | None:
        """A day more than a week from d that p could give up to work on d: at their weekend
        limit and off on d's weekend, a day they work of another weekend (one worked on one
        day only first); else a day they work in a slot with someone too many (any day they
        work if there is none)."""
        problem, roster = self.problem, self.roster
        row = roster.cells[p]
        w = problem.weekend_of[d]
        limit = problem.rules[p].max_weekends
        if (
            w is not None
            and limit is not None
            and not roster.weekend_days[p][w]
            and roster.weekends[p] >= limit
        ):
            counts = roster.weekend_days[p]
            worked = [v for v, n in enumerate(counts) if n and abs(v - w) > 1]
            if not worked:
                return None
            v = self.random.choice([v for v in worked if counts[v] == 1] or worked)
            return self.random.choice([x for x in problem.weekends[v] if row[x]])
        far = [x for x in range(max(0, problem.freeze), self.days) if row[x] and abs(x - d) > 7]
        pool = [x for x in far if self._spare(p, x)] or far
        return self.random.choice(pool) if pool else None

    def summary(self) -> str:
        return "; ".join(
            f"{kind}: {n} rounds, {better} better, gain {gain}, {seconds:.0f}s"
            + ("" if kind == "year" else f", size {self.size[kind]:.0f}")
            for kind, (n, better, gain, seconds) in self.stats.items()
        )

    # ---- learning ------------------------------------------------------------------------------

    def weights(self) -> list[float]:
        """How likely each kind is to be picked: so that its share of the search's time goes
        with its rate (gain a second), at least LEAST_SHARE of the best one's; all alike until
        every kind has had a round. A kind whose rounds take four times as long is picked a
        quarter as often for the same rate."""
        kinds = self.kinds
        if not all(self.spent.values()):
            return [1.0] * len(kinds)
        rates = [self.gained[k] / self.spent[k] for k in kinds]
        top = max(rates)
        if top <= 0:
            return [1.0] * len(kinds)
        return [
            max(rate, LEAST_SHARE * top) / self.spent[k]
            for k, rate in zip(kinds, rates, strict=True)
        ]

    def feedback(self, hood: Hood, status, gain: int | None, seconds: float) -> None:
        kind = hood.kind
        stats = self.stats[kind]
        stats[0] += 1
        stats[1] += bool(gain)
        stats[2] += gain or 0
        stats[3] += seconds
        size = self.size[kind]
        # A round cut below its size (by the people free, a short window, few options)
        # says nothing about a larger one: it does not grow the size; out of time, the size
        # shrinks from what the round held.
        held = size if hood.choices is None else min(size, hood.choices)
        if status != cp_model.OPTIMAL:
            self.size[kind] = max(MIN_SIZE, held * SHRINK_ON_TIMEOUT)
        elif not gain:
            if held >= TESTED_SHARE * size:
                self.size[kind] = min(MAX_SIZE, self.whole, size * GROW)
        else:
            self.size[kind] = max(MIN_SIZE, size * SHRINK_ON_GAIN)
        if not self.spent[kind]:  # the first round sets the rate
            self.gained[kind], self.spent[kind] = float(gain or 0), max(seconds, 1e-3)
        else:
            keep = RATE_MEMORY
            self.gained[kind] = keep * self.gained[kind] + (1 - keep) * (gain or 0)
            self.spent[kind] = keep * self.spent[kind] + (1 - keep) * max(seconds, 1e-3)
