"""Publication dates to ISO 8601, or None: scrapers give many formats."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from cleaners.record import Document

_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


def to_utc_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def parse_date(text: str | None) -> str | None:
    """ISO 8601 (UTC, seconds) for ISO, RFC 2822 and a few common forms."""
    if not text or not text.strip():
        return None
    text = text.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            for fmt in _FORMATS:
                try:
                    parsed = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
    if parsed is None:
        return None
    return to_utc_naive(parsed).isoformat(timespec="seconds")


def normalize_dates(doc: Document) -> Document:
    """Keep only parseable dates, in one format (the survivor policy compares them)."""
    return dataclasses.replace(doc, published_at=parse_date(doc.published_at))
