"""Dutch wording shared by the messages of upload, import and undo: a count with the right
singular or plural, so no message says "probleem/problemen" or "versie(s)"."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, singular: str, plural_form: str) -> str:
    """``count`` followed by the singular for exactly 1, else the plural (also for 0).

    >>> plural(1, "probleem", "problemen"), plural(3, "probleem", "problemen")
    ('1 probleem', '3 problemen')
    >>> plural(0, "nieuwe versie", "nieuwe versies")
    '0 nieuwe versies'
    """
    return f"{count} {singular if count == 1 else plural_form}"
