"""Large-neighbourhood search for the whole staff (scenarios without one post per person).

1. A first plan: the whole model when it is small, else block by block of days and group by
   group of people (cover priced against the people already placed; the horizon's totals pro
   rata until the last block), so a valid plan exists early even with a million choices.
   Where demand grows over the horizon, the blocks go from the last one back (`backward`).
   Where weekends are scarce, the weekends are planned first (weekends.py) and the blocks are
   charged for each weekend day off that plan (without one, for each one-day weekend).
2. Column generation (columns.py) when a round of it is quick enough and its pricing finds
   rosters for nearly everyone in its first rounds: a lower bound, and a dive by cells whose
   roster replaces the first plan when it costs less.
3. Then rounds until the deadline: each frees a neighbourhood (staff_model.SubModel: some people
   on a window of days), keeps everything else fixed, and lets CP-SAT re-optimise it from the
   current roster. A round is kept when the neighbourhood's cost, recomputed from the roster,
   does not grow. On dense rosters short of weekends (dense_weekends) the rounds prefer, at
   equal cost, fewer one-day weekends. Kinds of neighbourhood (neighbourhoods.py) are
   picked by how well they pay.
   After column generation, rounds that stop paying give way to a dive by rosters now and
   then (dives are not deterministic), and while time allows the rounds go on from the dive's
   roster even when it costs more (a restart: the best roster waits aside and comes back
   unless the rounds beat it). Long roots stop when their LP tails off (columns.py).

`workers` threads search side by side, each round on one CP-SAT worker: Python builds one
model while CP-SAT solves another (it releases the GIL). A round frees at most 1/`workers` of
the people (neighbourhoods.py); a thread's round is dropped when another thread changed one of
its people meanwhile.
"""

from __future__ import annotations

import math
import threading
import time

from ortools.sat.python import cp_model

from . import columns, weekends
from .neighbourhoods import Neighbourhoods
from .staff import FORBIDDEN, Roster, StaffProblem
from .staff_model import SubModel
from .threads import run_threads

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
WHOLE_MODEL_VARIABLES = 3000  # up to this size the first try is the whole model
WHOLE_MODEL_SHARE = 0.3
WHOLE_MODEL_SECONDS = 3.0
BLOCK_DAYS = 28  # the first plan of a long horizon goes block by block
BACKWARD_RATIO = 1.1  # demand a day in the second half against the first's (see backward)
# Choices in one model of the first plan, and its first time limit (doubled when it finds
# nothing). Models of one person or two: on Curtois 23 models of up to 800 choices (several
# people with few shift types) took 122s to a plan of 103,096, of up to 400 choices 71s to
# 76,512; on 24 (about 530 choices a person) 0.25s instead of 0.5s took 150s instead of 177s.
FIRST_MODEL_SIZE = 400
BLOCK_SECONDS = 0.25
# Where weekends come in stretches (weekends.py), each person's whole horizon is one model of
# the first plan: at most this long each, or so that they take STRETCH_SHARE of the time left.
# On Curtois 22 (50 people, 364 days, 2 s each) the first plan then cost 72,794-74,624
# instead of 88,263-90,645, with 150-155 days off the weekend plan instead of 760-790.
STRETCH_SECONDS, STRETCH_SHARE = 2.0, 0.25
MIN_ROUND_SECONDS = 0.05
ROOT_SHARE = 0.4  # of the time after the first plan, at most, for column generation's LP
# Column generation runs when ROUNDS_NEEDED rounds of pricing, plus one for every
# ROUNDS_PER_DAYS days of the horizon, fit in ROOT_SHARE (its LP closed after 25-66 rounds on
# Curtois 5-19, a round taking about as long as the first). The time of a first round is
# guessed from pricing a few people first: over SAMPLE_MARGIN times the share, it stops there.
ROUNDS_NEEDED = 20
ROUNDS_PER_DAYS = 4
SAMPLE_PER_WORKER = 2
SAMPLE_MARGIN = 2.0
# Nor when, in its first UNPRICED_ROUNDS rounds, more than UNPRICED_SHARE of the people's
# pricing models found no roster in their quick time limit after a real search (see
# columns.UNPRICED_WORK): those people get no new column that round, and the LP does not
# settle in its share. On Curtois 20 (182 days, 50 people) 16 to 31 of 150 pricings found
# none (none on any other instance of 1-21 that prices): its root ran out of time 35-57%
# above the best known value, its dive took 120-140 s, and runs ended at 5,224-5,399;
# without it, at 4,981, 5,069 and 5,319.
UNPRICED_ROUNDS, UNPRICED_SHARE = 3, 0.05
DIVE_SHARE = 0.8  # of the time after the LP, at most, for the first dive
# Rounds that gain nothing for STALL_SHARE of the first dive's time (at least REDIVE_SECONDS;
# at least STALL_SECONDS) give way to a dive by rosters, given that time or half the time left.
STALL_SECONDS, STALL_SHARE, REDIVE_SECONDS = 3.0, 0.4, 5.0
# While RESTART_LEFT times a dive's time is left, the rounds go on from the dive's roster even
# when it costs more than the best so far (kept aside): on Curtois 18 the dives by rosters
# came to 5,171-5,888 and never beat the 4,687-4,981 that the rounds had reached from the first
# dive by cells (7,124-8,250), so the rounds' descent from a dive is what pays.
RESTART_LEFT = 2.0
# Once no further dive fits, a restart's roster that still costs more than the best gets
# 1 - POLISH_SHARE of the time left; then the best comes back for the last rounds (a run of
# Curtois 9 ended at 449 when its last 9.5 s went to a restart at 741, its best unpolished).
POLISH_SHARE = 0.5
PROGRESS_SECONDS = 30.0  # the log shows the objective this often while rounds pay
FINISH_CHOICES = 3000  # the dive by cells leaves this many open choices to one CP-SAT model
FINISH_SECONDS = 2.0  # its time limit when the dive's time is up
# The first plan charges one-day weekends when the weekends' demand reaches TIGHT_WEEKENDS of
# what the weekend limits allow (two days each); SINGLE_WEEKEND_SHARE of a missing person.
TIGHT_WEEKENDS, SINGLE_WEEKEND_SHARE = 0.9, 0.5
# The search's rounds break ties towards fewer one-day weekends where the weekends' demand
# exceeds what the limits allow (two days each) and the people's minimum minutes need on
# average DENSE_DAYS of the days their runs allow (dense_weekends).
DENSE_DAYS = 0.95


class Unsolvable(Exception):
    """A person's hard rules cannot hold (status INFEASIBLE), or no plan within the time."""

    def __init__(self, status: str, person: str | None = None):
        super().__init__(status)
        self.status = status
        self.person = person


class Search:
    """The incumbent roster and the threads that improve it."""

    def __init__(self, problem: StaffProblem, roster: Roster, *, deadline: float, workers: int):
        self.problem = problem
        self.roster = roster
        self.deadline = deadline
        self.workers = max(1, workers)
        self.lock = threading.Lock()
        self.rounds = self.kept = self.improved = self.dropped = 0
        self.optimal = False
        self.bound = 0.0
        self.failure: Unsolvable | None = None
        self.stopped = False  # a thread failed: the others end too
        self.value = 0  # the roster's objective, kept up to date by the search
        self.busy: set[int] = set()  # people in a round of some thread
        self.neighbourhoods = Neighbourhoods(problem, roster, workers=self.workers)
        self.fewer_single_weekends = dense_weekends(problem)
        self.log = lambda _line: None
        self.generation: columns.ColumnGeneration | None = None  # kept for more dives
        self.dive_seconds = 0.0  # what the first dive took
        self.last_dive = 0.0  # what the last one took
        self.stall: float | None = None
        self.until = deadline  # the current rounds' end (_search)
        self.best: tuple[list, int] | None = None  # (cells, value) while a restart is worse
        self.last_gain = 0.0
        self.started = time.perf_counter()
        self.progress = self.started  # when the log last showed the objective

    def total(self) -> int:
        """The roster's whole objective (as evaluate.py counts it)."""
        problem = self.problem
        everyone = range(len(problem.people))
        posts = range(len(problem.posts)) if problem.spread_terms else ()
        return problem.local_cost(
            self.roster, everyone, range(problem.days), list(problem.demand), posts
        )

    # ---- the first plan ------------------------------------------------------------------------

    def first_plan(self) -> None:
        """A valid roster: the whole model when small, else window by window."""
        problem = self.problem
        if problem.variable_count() <= WHOLE_MODEL_VARIABLES:
            left = self.deadline - time.perf_counter()
            sub = SubModel(problem, self.roster, range(len(problem.people)), 0, problem.days - 1)
            sub.add_hint()
            limit = min(WHOLE_MODEL_SECONDS, WHOLE_MODEL_SHARE * left)
            status, cells, _value, bound = sub.solve(time_limit=limit, workers=self.workers, lp=2)
            if status == cp_model.INFEASIBLE:
                raise Unsolvable("INFEASIBLE")
            if cells is not None:
                self._apply(cells)
                self.optimal = status == cp_model.OPTIMAL
                self.bound = bound
                return
        self._rolling_plan()

    def _apply(self, cells) -> None:
        for (p, d), options in cells.items():
            self.roster.set_cell(p, d, options)

    def _rolling_plan(self) -> None:
        """Blocks of days in time order (from the last back where demand grows); in each,
        groups of people one model at a time, cover priced against the people placed so far.
        Totals hold pro rata until the last block planned."""
        # Where demand grows over the horizon, the busy end is planned first (see backward).
        self._backward = backward(self.problem)
        self._blocks = _blocks(self.problem.days)
        if self._backward:
            self._blocks = _saturday_blocks(self._blocks, self.problem.weekends)[::-1]
        self._single_weekend_cost = single_weekend_cost(self.problem)
        # Where weekends are scarce, who works which weekend is decided first (weekends.py).
        self._weekend_plan = None
        if self._single_weekend_cost:
            seconds = weekends.SHARE * (self.deadline - time.perf_counter())
            self._weekend_plan = weekends.plan(self.problem, seconds=seconds, workers=self.workers)
        # Totals pro rata do not fit people whose weekends come in stretches: each switch
        # costs them a day, and a block cannot tell where the rest of the year leaves room.
        # So each person's whole horizon at once (in groups of about as many choices as a
        # block's), with more time per model.
        stretches = self._weekend_plan is not None and self._weekend_plan.stretches
        if stretches:
            self._blocks = [(0, self.problem.days - 1)]
        groups = self._groups(*self._blocks[0])
        limit = BLOCK_SECONDS
        if stretches:
            left = self.deadline - time.perf_counter()
            limit = min(STRETCH_SECONDS, STRETCH_SHARE * left * self.workers / len(groups))
        self._queue = [(0, group, limit, False, 0) for group in groups]
        self._busy = 0
        run_threads(self._place, self.workers, stop=self._stop)
        if self.failure:
            raise self.failure

    def _groups(self, first: int, last: int) -> list[tuple[int, ...]]:
        """People in groups of about FIRST_MODEL_SIZE choices on days first..last, those with
        the fewest choices first (specialists take what only they can do)."""
        options = self.problem.options
        size = {
            p: sum(len(options[p][d]) for d in range(first, last + 1)) for p in range(len(options))
        }
        groups, group, total = [], [], 0
        for p in sorted(size, key=lambda p: (size[p], p)):
            if group and total + size[p] > FIRST_MODEL_SIZE:
                groups.append(tuple(group))
                group, total = [], 0
            group.append(p)
            total += size[p]
        if group:
            groups.append(tuple(group))
        return groups

    def _place(self, thread: int) -> None:
        while True:
            with self.lock:
                if self.failure or self.stopped or (not self._queue and not self._busy):
                    return
                item = min(self._queue, default=None, key=lambda i: i[0])
                if item is not None:
                    self._queue.remove(item)
                    self._busy += 1
                    block, people, limit, loose, since = item
                    first = min(self._blocks[since][0], self._blocks[block][0])
                    last = max(self._blocks[since][1], self._blocks[block][1])
                    sub = SubModel(
                        self.problem,
                        self.roster,
                        people,
                        first,
                        last,
                        prorate=True,
                        backward=self._backward,
                        loose=loose,
                        single_weekend_cost=self._single_weekend_cost,
                        weekend_plan=self._weekend_plan,
                    )
                    if since < block:
                        sub.add_hint()
            if item is None:
                time.sleep(0.01)
                continue
            limit = min(limit, self.deadline - time.perf_counter())
            status, cells, _value, _bound = sub.solve(time_limit=limit, seed=thread)
            with self.lock:
                self._busy -= 1
                self._placed(item, status, cells, block == len(self._blocks) - 1)

    def _placed(self, item, status, cells, final: bool) -> None:
        """Take a first-plan model's answer, and queue what comes next. A person who cannot
        go on from their earlier blocks re-plans them too: twice as many blocks each time."""
        block, people, limit, loose, since = item
        if cells is not None:
            self._apply(cells)
            if not final:
                self._queue.append((block + 1, people, BLOCK_SECONDS, False, block + 1))
        elif status == cp_model.INFEASIBLE:
            if len(people) > 1:  # one of them cannot: try them one by one
                self._queue += [(block, (p,), limit, loose, since) for p in people]
            elif not final and not loose:
                self._queue.append((block, people, limit, True, since))
            elif since > 0:
                back = max(0, since - (block - since + 1))
                self._queue.append((block, people, limit, loose, back))
            else:
                self.failure = Unsolvable("INFEASIBLE", self.problem.people[people[0]].id)
        elif time.perf_counter() < self.deadline - MIN_ROUND_SECONDS:
            self._queue.append((block, people, 2 * limit, loose, since))
        else:
            self.failure = Unsolvable("UNKNOWN", self.problem.people[people[0]].id)

    # ---- column generation ---------------------------------------------------------------------

    def columns(self, log) -> None:
        """Column generation (columns.py): a lower bound, and a dive that may beat the roster.
        Skipped when one round of pricing everyone would take too much of the time left, or
        when its first rounds found no roster for too many people."""
        self.log = log
        if self.optimal or not columns.applies(self.problem):
            return
        started = time.perf_counter()
        left = self.deadline - started
        generation = columns.ColumnGeneration(
            self.problem, self.roster, workers=self.workers, log=log
        )
        root_end = started + ROOT_SHARE * left
        rounds = ROUNDS_NEEDED + self.problem.days / ROUNDS_PER_DAYS
        people = len(self.problem.people)
        sample = range(min(people, SAMPLE_PER_WORKER * self.workers))
        generation.iterate(sample, root_end)  # a clearly hopeless case stops here
        guess = (time.perf_counter() - started) * people / len(sample)
        if rounds * guess > SAMPLE_MARGIN * ROOT_SHARE * left:
            log(f"column generation skipped: one round would take about {guess:.1f}s")
            return
        round_started, built = time.perf_counter(), generation.build_seconds
        added = generation.iterate(range(people), root_end)
        # Building the pricing models happens once; the rounds after the first only price.
        # (Building holds the GIL, so the threads' build times add up to wall time.)
        first_round = time.perf_counter() - round_started - (generation.build_seconds - built)
        if rounds * first_round > ROOT_SHARE * left:
            log(f"column generation skipped: one round took {first_round:.1f}s")
            return
        # How often pricing finds no roster, counted in the first rounds (the root carries on
        # from them; once no column enters, it prices exactly).
        priced, unpriced = generation.priced, generation.unpriced
        for _ in range(UNPRICED_ROUNDS - 1):
            if not added:
                break
            added = generation.iterate(range(people), root_end)
            priced += generation.priced
            unpriced += generation.unpriced
        if unpriced > UNPRICED_SHARE * priced:
            log(
                f"column generation skipped: in {priced} pricings of {people} people "
                f"{unpriced} found no roster in their time"
            )
            return
        log(f"column generation: one round took {first_round:.1f}s")
        generation.root(root_end)
        self.bound = max(self.bound, generation.bound or 0.0)
        if self._proven():
            return
        self._dive(
            generation, "cells", time.perf_counter() + DIVE_SHARE * (self.deadline - root_end)
        )
        self.generation = generation
        self._proven()

    def _dive(self, generation, by: str, end: float, restart: bool = False) -> None:
        started = time.perf_counter()
        rows = generation.dive(end, by=by, finish=FINISH_CHOICES)
        if rows is not None:
            self._take_dive(generation, rows, end, time.perf_counter() - started, restart)
        generation.undo_dive()
        seconds = time.perf_counter() - started
        self.dive_seconds = self.dive_seconds or seconds  # the first: later ones get as much
        self.last_dive = seconds
        best = f" (best {self.best[1]})" if self.best else ""
        self.log(f"dive by {by}: objective {self.value}{best} after {seconds:.1f}s")

    def _take_dive(self, generation, rows, end: float, dived: float, restart: bool) -> None:
        """Make the dive's rosters (finished by CP-SAT) the roster if they cost less, or, with
        `restart`, in any case: the rounds then start from them, and the best roster so far is
        kept aside (self.best) until the rounds beat it."""
        saved = [list(row) for row in self.roster.cells]
        self._set_cells(rows)
        self._finish_dive(generation, end, dived)
        value = self.total()
        best_cells, best_value = self.best or (saved, self.value)
        if value < best_value:
            self.value, self.best = value, None
        elif restart:
            self.value, self.best = value, (best_cells, best_value)
        elif value < self.value:
            self.value = value
        else:
            self._set_cells(saved)

    def _set_cells(self, cells) -> None:
        """Every person's whole row of cells (rows by person, as the dive gives them)."""
        for p, row in enumerate(cells):
            for d, options in enumerate(row):
                self.roster.set_cell(p, d, options)

    def _keep_best(self) -> None:
        """The best roster so far becomes the roster again if the rounds did not beat it."""
        if self.best is not None:
            cells, value = self.best
            self.best = None
            if value <= self.value:
                self._set_cells(cells)
                self.value = value

    def _finish_dive(self, generation, dive_end: float, dived: float) -> None:
        """CP-SAT decides the cells the dive left open, everyone's fixed cells held, for at
        most as long as the dive took (`dived` seconds). Not when the dive ran out of time with
        more open (its rosters stand as they are)."""
        problem = self.problem
        open_people = [p for p, fixed in enumerate(generation.fixed) if len(fixed) < problem.days]
        choices = generation.open_choices()
        if not open_people or choices > FINISH_CHOICES:
            return
        sub = SubModel(problem, self.roster, open_people, 0, problem.days - 1)
        for p in open_people:
            for d, options in generation.fixed[p].items():
                sub.fix_cell(p, d, options)
        sub.add_hint()
        limit = max(FINISH_SECONDS, min(dived, dive_end - time.perf_counter()))
        limit = min(limit, self.deadline - time.perf_counter())
        status, cells, _value, _bound = sub.solve(time_limit=limit, workers=self.workers)
        if cells is not None:
            self._apply(cells)
        self.log(
            f"dive finished by CP-SAT: {choices} open choices, "
            f"{cp_model.CpSolver().status_name(status)}"
        )

    def _proven(self) -> bool:
        """Whether the roster meets the lower bound (its value is an integer)."""
        if self.bound and self.value <= math.ceil(self.bound - 1e-6):
            self.optimal = True
        return self.optimal

    # ---- neighbourhood search ------------------------------------------------------------------

    def improve(self) -> None:
        """Rounds until the deadline. After column generation, rounds that have stopped
        paying give way to another dive by rosters while one fits in the time left (the dive is
        not deterministic: on Curtois 8 the same LP gave 1,303 to 1,608, and rounds did not get
        out of the worse ones). While RESTART_LEFT times a dive's time is left, the rounds
        then start from the dive's roster whatever it costs, and the best comes back when they
        stall above it, or for the last POLISH_SHARE of the time when they are still above it
        once no dive fits."""
        seconds = max(REDIVE_SECONDS, self.dive_seconds)
        while not self.optimal and self.deadline - time.perf_counter() > MIN_ROUND_SECONDS:
            stall = None
            if self.generation is not None:
                stall = max(STALL_SECONDS, STALL_SHARE * seconds)
                if self.deadline - time.perf_counter() < stall + seconds:
                    stall = None  # no time for another dive: rounds until the deadline
            if stall is None and self.best is not None:
                # The last rounds: the restart's roster gets part of the time; unless it beats
                # the best meanwhile, the best comes back for the rest.
                left = self.deadline - time.perf_counter()
                self._search(None, until=time.perf_counter() + (1 - POLISH_SHARE) * left)
                if self.best is not None and self.value >= self.best[1]:
                    self.log(f"rounds from the best ({self.best[1]}) again, not {self.value}")
                    self._keep_best()
            self._search(stall)
            if self.best is not None and self.value < self.best[1]:
                self.best = None  # the rounds beat the best from the restart's roster
            if stall is None or self.optimal:
                break
            left = self.deadline - time.perf_counter()
            if left < seconds:
                continue  # rounds paid past the time a dive needs: rounds to the deadline
            restart = left >= RESTART_LEFT * max(seconds, self.last_dive)
            if restart:
                self._keep_best()
            self._dive(
                self.generation, "rosters", time.perf_counter() + max(seconds, left / 2), restart
            )
            self._proven()
        self._keep_best()

    def _search(self, stall: float | None, until: float | None = None) -> None:
        """Rounds in `workers` threads until the deadline (or `until`), or `stall` seconds
        without gain."""
        self.last_gain = time.perf_counter()
        self.stall = stall
        self.until = self.deadline if until is None else min(until, self.deadline)
        run_threads(self._rounds, self.workers, stop=self._stop)

    def _stop(self) -> None:
        self.stopped = True

    def _rounds(self, thread: int) -> None:
        while not self.optimal and not self.stopped:
            now = time.perf_counter()
            if self.until - now < MIN_ROUND_SECONDS:
                return
            if self.stall is not None and now - self.last_gain > self.stall:
                return
            with self.lock:
                hood = self.neighbourhoods.pick(self.busy)
                if hood is not None:
                    self.busy.update(hood.people)
                    seen = [self.roster.version[p] for p in hood.people]
                    sub = SubModel(
                        self.problem,
                        self.roster,
                        hood.people,
                        hood.first,
                        hood.last,
                        keep_days_off=hood.keep_days_off,
                        fewer_single_weekends=self.fewer_single_weekends,
                        windows=hood.windows,
                    )
                    sub.add_hint()
                    hood.choices = len(sub.x)
                    self.rounds += 1
                    seed = self.rounds
            if hood is None:
                time.sleep(0.01)
                continue
            limit = min(hood.seconds, self.until - time.perf_counter())
            started = time.perf_counter()
            status, cells, _value, _bound = sub.solve(time_limit=limit, seed=seed, lp=hood.lp)
            with self.lock:
                self.busy.difference_update(hood.people)
                gain = self._commit(sub, hood, seen, cells)
                seconds = time.perf_counter() - started
                self.neighbourhoods.feedback(hood, status, gain, seconds)
                if status == cp_model.OPTIMAL and hood.everything:
                    self.optimal = True
                if gain:
                    self.value -= gain
                    self.last_gain = time.perf_counter()
                    self._proven()
                    if self.last_gain - self.progress >= PROGRESS_SECONDS:
                        self.progress = self.last_gain
                        best = f" (best {self.best[1]})" if self.best else ""
                        self.log(
                            f"objective {self.value}{best} after "
                            f"{self.last_gain - self.started:.0f}s ({self.rounds} rounds)"
                        )

    def _commit(self, sub: SubModel, hood, seen: list[int], cells) -> int | None:
        """Apply the round's cells if they cost no more than the current ones; the gain."""
        if cells is None:
            return None
        roster, problem = self.roster, self.problem
        if any(roster.version[p] != v for p, v in zip(hood.people, seen, strict=True)):
            self.dropped += 1
            return None
        args = (sub.people, sub.free_days, sub.slots, sub.posts)
        before = problem.local_cost(roster, *args)
        old = {key: roster.cells[key[0]][key[1]] for key in cells}
        for (p, d), options in cells.items():
            roster.set_cell(p, d, options)
        after = problem.local_cost(roster, *args)
        if after > before or after >= FORBIDDEN:
            for (p, d), options in old.items():
                roster.set_cell(p, d, options)
            for p, v in zip(hood.people, seen, strict=True):
                roster.version[p] = v  # nothing changed after all
            return None
        self.kept += 1
        self.improved += after < before
        return before - after


def plan_staff(scenario, *, fixed, hint, deadline: float, workers: int, log) -> Search:
    """The searched roster of a whole-staff scenario (raises Unsolvable)."""
    started = time.perf_counter()
    problem = StaffProblem(scenario, fixed)
    roster = Roster.start(problem, hint)
    search = Search(problem, roster, deadline=deadline, workers=workers)
    log(
        f"whole staff: {len(problem.people)} people, {problem.days} days, "
        f"{problem.variable_count()} choices; indexed in {time.perf_counter() - started:.1f}s"
    )
    search.first_plan()
    search.value = search.total()
    log(f"first plan after {time.perf_counter() - started:.1f}s: objective {search.value}")
    search.columns(log)
    search.improve()
    log(
        f"neighbourhood search: {search.rounds} rounds, {search.kept} kept, "
        f"{search.improved} better, {search.dropped} dropped; objective {search.total()}"
    )
    log(f"by kind: {search.neighbourhoods.summary()}")
    return search


def backward(problem: StaffProblem) -> bool:
    """Whether the first plan goes from the last block back to the first: where the second
    half of the horizon wants BACKWARD_RATIO times the first half's minutes a day or more.

    Blocks are planned in turn against the people placed so far, each person's totals pro
    rata; the block planned last must meet the totals exactly with whatever minutes the
    others left, and is covered worst. On Curtois 24 demand grows over the year (its last 28
    days want 1.7 times the average day's minutes, more than the people's runs allow there):
    planned forward, those days were left 1,308 person-shifts short (185 and 258 in the two
    blocks before, 4 to 24 in each other), while people spent their minutes over cover in
    the first months."""
    if problem.freeze or problem.days < 2 * BLOCK_DAYS:
        return False
    minutes = problem.demand_minutes
    half = problem.days // 2
    early, late = sum(minutes[:half]) / half, sum(minutes[half:]) / (problem.days - half)
    return late > 0 and late >= BACKWARD_RATIO * early


def _saturday_blocks(blocks, weekends) -> list[tuple[int, int]]:
    """`blocks` with each one after the first starting on the Saturday before it (within a
    week), for a first plan that goes backward: a weekend is then planned with the days
    after it, before the days that lead up to it, as going forward it is planned with the
    days before it. Cut between a Sunday and a Monday, going backward, each block's Monday
    was planned before its weekend and without its weekend plan in view: on Curtois 24, 494
    of the weekend plan's 6,724 shifts were then not worked (57 going forward)."""
    saturdays = [days[0] for days in weekends if len(days) == 2]
    starts = [blocks[0][0]]
    for start, _end in blocks[1:]:
        before = [d for d in saturdays if start - 7 < d <= start and d > starts[-1]]
        starts.append(before[-1] if before else start)
    ends = [*(start - 1 for start in starts[1:]), blocks[-1][1]]
    return list(zip(starts, ends, strict=True))


def _blocks(days: int) -> list[tuple[int, int]]:
    """Windows of about BLOCK_DAYS days covering the horizon (the last one a bit longer)."""
    starts = list(range(0, days, BLOCK_DAYS))
    if len(starts) > 1 and days - starts[-1] < BLOCK_DAYS // 2:
        starts.pop()
    ends = [*(start - 1 for start in starts[1:]), days - 1]
    return list(zip(starts, ends, strict=True))


def _weekend_room(problem: StaffProblem) -> tuple[int, int] | None:
    """(people the weekends' demand wants, two days for each weekend the limits allow), or
    None without weekends, demand or a weekend limit for everyone."""
    limits = [problem.rules[p].max_weekends for p in range(len(problem.people))]
    if not problem.weekends or not problem.demand or any(limit is None for limit in limits):
        return None
    room = 2 * sum(min(limit, len(problem.weekends)) for limit in limits)
    wanted = sum(
        demand.people
        for (d, _o), demand in problem.demand.items()
        if problem.weekend_of[d] is not None
    )
    return wanted, room


def dense_weekends(problem: StaffProblem) -> bool:
    """Whether the search's rounds should prefer, among rosters of equal cost, the one with
    fewer one-day weekends: where the weekends' demand exceeds what the weekend limits allow
    and the people are dense, their minimum minutes asking nearly every day that their runs
    allow (the longest run over it plus the shortest rest, of the days they are available).
    Such a roster has nothing to spare: a weekend worked on one day is a shift lost for good.
    On Curtois 22 (364 days, 50 people at 99% of their days) five runs ended at 35,180-36,651
    with it (median 35,802), those without at 36,019-37,619; on 21 (people at 65%) the same
    tie-break ended 1% worse, the models being harder to solve with it; on 16-18 (96-97%) no
    difference showed."""
    found = _weekend_room(problem)
    if found is None or found[0] <= found[1]:
        return False
    longest = max(problem.minutes)
    shortest = min(problem.minutes)
    shares = []
    for p in range(len(problem.people)):
        rules = problem.rules[p]
        run, rest = rules.max_consecutive_days, rules.min_consecutive_days_off
        if not rules.min_minutes or run is None or rest is None:
            return False
        available = sum(1 for cell in problem.options[p] if cell)
        most = available * run / (run + rest)
        if rules.max_minutes is not None:
            most = min(most, rules.max_minutes / shortest)
        shares.append(rules.min_minutes / longest / most if most else 1.0)
    return sum(shares) / len(shares) >= DENSE_DAYS


def single_weekend_cost(problem: StaffProblem) -> int:
    """Nonzero when weekends are scarce, and then what the first plan charges for working one
    day of a weekend only if it has no weekend plan (weekends.py), when the weekend
    limits leave little more room than the weekends' demand needs (on 23 of Curtois' 24
    instances): such a weekend uses up one of the person's worked weekends for one shift
    where it could give two, and later blocks find the weekends' slots short. Half the usual
    price of a missing person: on Curtois 23 and 24 it cut one-day weekends from 554 to 154
    and 834 to 150, and the first plan's objective by 6% and 3%."""
    found = _weekend_room(problem)
    if found is None:
        return 0
    wanted, room = found
    if wanted < TIGHT_WEEKENDS * room:
        return 0
    weights = sorted(demand.weight_under for demand in problem.demand.values() if demand.people)
    return round(SINGLE_WEEKEND_SHARE * weights[len(weights) // 2]) if weights else 0
