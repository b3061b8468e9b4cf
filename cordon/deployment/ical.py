"""A person's published duties as an iCalendar (RFC 5545) feed for their phone's calendar."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from .models import Duty

PRODID = "-//Cordon//Duties//ZH"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 character."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > 74:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def duties_calendar(person) -> str:
    op = person.operation
    tz = op.tz
    since = timezone.now().astimezone(tz).date() - timedelta(days=7)
    duties = (
        Duty.objects.filter(person=person, date__gte=since)
        .select_related("post", "post__site", "shift_type")
        .order_by("date")
    )
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(op.name)}",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for d in duties:
        start = datetime.combine(d.date, d.shift_type.start, tzinfo=tz)
        end = start + timedelta(minutes=d.shift_type.minutes)
        summary = f"{d.shift_type.name} · {d.post.name}"
        if d.leads:
            summary += " ★"
        lines += [
            "BEGIN:VEVENT",
            f"UID:duty-{d.pk}@cordon",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(start)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape(summary)}",
            f"LOCATION:{_escape(d.post.site.name)}",
            f"GEO:{d.post.site.latitude:.6f};{d.post.site.longitude:.6f}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
