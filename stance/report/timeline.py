"""Bucket hourly label counts into a readable timeline (hour, day, week, month or year)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stance.report.records import SENTIMENT, STANCE
from stance.report.schema import TimeBucket, Timeline

#: Hourly counters hold [comments, *sentiment counts, *stance counts].
WIDTH = 1 + len(SENTIMENT) + len(STANCE)
MAX_BUCKETS = 400


def hour_of(timestamp: float) -> int:
    return int(timestamp // 3600)


def _granularity(span_hours: int) -> str:
    if span_hours <= 72:
        return "hour"
    if span_hours <= 24 * 120:
        return "day"
    if span_hours <= 24 * 7 * 160:
        return "week"
    if span_hours <= 24 * 31 * 240:
        return "month"
    return "year"


def _floor(moment: datetime, granularity: str) -> datetime:
    if granularity == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if granularity == "day":
        return day
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _next(start: datetime, granularity: str) -> datetime:
    if granularity == "hour":
        return start + timedelta(hours=1)
    if granularity == "day":
        return start + timedelta(days=1)
    if granularity == "week":
        return start + timedelta(days=7)
    if granularity == "month":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)


def _label(start: datetime, granularity: str) -> str:
    if granularity == "hour":
        return start.strftime("%Y-%m-%dT%H:00")
    if granularity in ("day", "week"):
        return start.strftime("%Y-%m-%d")
    if granularity == "month":
        return start.strftime("%Y-%m")
    return start.strftime("%Y")


def build_timeline(hours: dict[int, list[int]], undated: int) -> Timeline | None:
    """Turn {hour since epoch: counters} into contiguous buckets; None when nothing is dated."""
    if not hours:
        return None
    first, last = min(hours), max(hours)
    granularity = _granularity(last - first)
    merged: dict[datetime, list[int]] = {}
    for hour, counts in hours.items():
        start = _floor(datetime.fromtimestamp(hour * 3600, tz=UTC), granularity)
        slot = merged.setdefault(start, [0] * WIDTH)
        for i, value in enumerate(counts):
            slot[i] += value
    starts = sorted(merged)
    cursor, end = starts[0], starts[-1]
    filled: list[datetime] = []
    while cursor <= end and len(filled) < MAX_BUCKETS:
        filled.append(cursor)
        cursor = _next(cursor, granularity)
    if cursor <= end:  # too many empty buckets to draw: keep only the ones with comments
        filled = starts
    buckets = []
    for start in filled:
        counts = merged.get(start, [0] * WIDTH)
        sentiment = dict(zip(SENTIMENT, counts[1:1 + len(SENTIMENT)], strict=True))
        stance = dict(zip(STANCE, counts[1 + len(SENTIMENT):], strict=True))
        buckets.append(TimeBucket(start=_label(start, granularity), comments=counts[0],
                                  sentiment=sentiment, stance=stance))
    dated = sum(c[0] for c in hours.values())
    return Timeline(granularity=granularity, buckets=tuple(buckets), dated=dated,
                    undated=undated)
