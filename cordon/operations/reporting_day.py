"""The reporting day: 08:00 to 08:00 local time (截至今日8时), the one clock of every statistic.

A reporting day is named by the date on which it starts: reporting day 2026-11-03 runs from
2026-11-03 08:00 to 2026-11-04 08:00 local time, and the bulletin issued at 08:00 on 2026-11-04
covers it. Every page, export and report goes through these functions.
"""

from datetime import date, datetime, time, timedelta, tzinfo

DAY_START = time(8, 0)


def reporting_day(moment: datetime, tz: tzinfo) -> date:
    """The reporting day that the aware `moment` falls in, in timezone `tz`."""
    local = moment.astimezone(tz)
    if local.time() < DAY_START:
        return local.date() - timedelta(days=1)
    return local.date()


def bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of reporting day `day` as aware datetimes."""
    start = datetime.combine(day, DAY_START, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), DAY_START, tzinfo=tz)
    return start, end


def day_number(started_at: datetime, moment: datetime, tz: tzinfo) -> int:
    """Day N of an operation that started at `started_at` (its first reporting day is day 1)."""
    return (reporting_day(moment, tz) - reporting_day(started_at, tz)).days + 1


def shift_in_day(shift_date: date, shift_start: time, day: date) -> bool:
    """Whether a shift occurrence (date, start time) starts within reporting day `day`.

    The night shift starting at 00:00 on 4 November belongs to reporting day 3 November: it is
    "tonight" on the duty sheet of the 3rd.
    """
    if shift_start >= DAY_START:
        return shift_date == day
    return shift_date == day + timedelta(days=1)


def shift_dates_for_day(day: date, shift_start: time) -> date:
    """The calendar date on which a shift starting at `shift_start` falls within reporting day."""
    return day if shift_start >= DAY_START else day + timedelta(days=1)
