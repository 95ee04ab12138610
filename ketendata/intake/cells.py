"""A raw cell as text, and whether it is empty: the base every check of an upload reads cells by."""

from __future__ import annotations

import datetime as dt

__all__ = ["cell_text", "is_empty"]


def cell_text(value: object) -> str:
    """A cell as text: Excel numbers without a needless ``.0``, dates as ``YYYY-MM-DD``.

    >>> cell_text(3.0), cell_text(True), cell_text(dt.date(2026, 3, 31))
    ('3', 'ja', '2026-03-31')
    """
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def is_empty(value: object) -> bool:
    """True for a missing cell or one with only spaces.

    >>> is_empty("  "), is_empty(0)
    (True, False)
    """
    return value is None or (isinstance(value, str) and not value.strip())
