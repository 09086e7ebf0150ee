"""The demo rep's working calendar: which days they work and when their office hours fall.

Office hours are local wall-clock time (the system's zone, or a zone given for tests), worked
out per day so that a 09:00 call stays at 09:00 across daylight-saving changes. A rep works
Monday to Friday; a rare weekend email and the quiet days around Christmas and New Year keep
the pattern human rather than mechanical.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

OPEN = (8, 30)  # the first call of the day, local time
CLOSE = (17, 45)  # the last one starts before this
WEEKEND_OPEN, WEEKEND_CLOSE = (9, 0), (12, 0)  # a Saturday-morning email, now and then
WEEKEND_SHARE = 0.006  # a weekend day carries this fraction of a working day's contacts
HOLIDAY_SHARE = 0.08  # 24-26 December, 31 December, 1 January
HOLIDAYS = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}


class OfficeCalendar:
    """Days from `first` up to (not including) `end`, each with a weight and its office hours.

    Day d (a date ordinal) opens at ``opens[d - base]`` (UTC seconds) and its office hours last
    ``spans[d - base]`` seconds. Days after `end` stay available (for due dates and for when
    follow-ups are closed) through ``moment``.
    """

    def __init__(self, first: date, end: date, tz: tzinfo | None = None, margin_days: int = 120):
        self.tz = tz
        self.base = first.toordinal()
        self.end = end.toordinal()
        self.opens: list[int] = []
        self.spans: list[int] = []
        self.weights: list[float] = []
        self.weekend: list[bool] = []
        for ordinal in range(self.base, self.end + margin_days):
            day = date.fromordinal(ordinal)
            off = day.weekday() >= 5
            hours = (WEEKEND_OPEN, WEEKEND_CLOSE) if off else (OPEN, CLOSE)
            opens = self._local(day, *hours[0])
            self.opens.append(opens)
            self.spans.append(self._local(day, *hours[1]) - opens)
            self.weekend.append(off)
            if ordinal >= self.end:
                self.weights.append(0.0)
            elif off:
                self.weights.append(WEEKEND_SHARE)
            elif (day.month, day.day) in HOLIDAYS:
                self.weights.append(HOLIDAY_SHARE)
            else:
                self.weights.append(1.0)

    def _local(self, day: date, hour: int, minute: int) -> int:
        # A naive datetime's timestamp() reads it in the system's zone, DST included.
        return int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz).timestamp())

    @property
    def working_days(self) -> int:
        return sum(1 for w in self.weights if w == 1.0)

    def moment(self, ordinal: int, fraction: float) -> int:
        """UTC seconds at `fraction` (0..1) through day `ordinal`'s office hours."""
        i = ordinal - self.base
        if 0 <= i < len(self.opens):
            return self.opens[i] + int(self.spans[i] * fraction)
        day = date.fromordinal(ordinal)
        opens = self._local(day, *OPEN)
        return opens + int((self._local(day, *CLOSE) - opens) * fraction)



def workday(ordinal: int, forward: bool = True) -> int:
    """The day `ordinal` if it is Monday to Friday, else the Monday after (or Friday before)."""
    weekday = (ordinal - 1) % 7  # date.fromordinal(1) was a Monday
    if weekday >= 5:
        return ordinal + (7 - weekday) if forward else ordinal - (weekday - 4)
    return ordinal
