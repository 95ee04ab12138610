"""The one error type of an upload: every problem of a file, each with row, column, value and
what is expected, in Dutch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ketendata.wording import plural

__all__ = [
    "CellError",
    "ECHO_LENGTH",
    "MAX_NUMBER",
    "MAX_PROBLEMS_SHOWN",
    "Problem",
    "ValidationError",
    "format_problems",
]

#: ``str(ValidationError)`` lists at most this many problems (``.problems`` holds them all).
MAX_PROBLEMS_SHOWN = 200

#: Numbers beyond this are refused: no count or waiting time in Ketenkaart comes near it.
MAX_NUMBER = 10**12

#: How many characters of a long value an error message repeats.
ECHO_LENGTH = 40


# --- Problems ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem in an uploaded file, in Dutch.

    Attributes:
        row: the row number the user sees in Excel, or None for the file as a whole.
        column: the column as the user wrote it (or its spec name when it is missing), or None.
        value: the offending value as shown to the user (shortened, masked when personal).
        message: what is wrong.
        expected: what is expected instead.

    >>> str(Problem(4, "Partner type", "poltie", "onbekend partnertype", "bijvoorbeeld politie"))
    "rij 4, kolom 'Partner type': onbekend partnertype (waarde 'poltie'); bijvoorbeeld politie"
    >>> str(Problem(None, None, None, "het bestand is leeg", ""))
    'het bestand is leeg'
    """

    row: int | None
    column: str | None
    value: str | None
    message: str
    expected: str

    def __str__(self) -> str:
        place = []
        if self.row is not None:
            place.append(f"rij {self.row}")
        if self.column is not None:
            place.append(f"kolom '{self.column}'")
        text = f"{', '.join(place)}: {self.message}" if place else self.message
        if self.value is not None:
            text += f" (waarde '{self.value}')"
        if self.expected:
            text += f"; {self.expected}"
        return text


class ValidationError(Exception):
    """A file that cannot be imported, with every problem found in it.

    Attributes:
        problems: all problems, in file order.
    """

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems: list[Problem] = (
            [problems] if isinstance(problems, Problem) else list(problems)
        )
        super().__init__(format_problems(self.problems))

    def __str__(self) -> str:
        return format_problems(self.problems)


def format_problems(problems: Sequence[Problem], limit: int = MAX_PROBLEMS_SHOWN) -> str:
    """One problem per line; beyond ``limit`` a last line says how many more there are.

    >>> format_problems([Problem(2, "a", None, "x", "y")] * 3, limit=2).splitlines()[-1]
    '... en nog 1 probleem'
    """
    lines = [str(problem) for problem in problems[:limit]]
    hidden = len(problems) - limit
    if hidden > 0:
        lines.append(f"... en nog {plural(hidden, 'probleem', 'problemen')}")
    return "\n".join(lines)


class CellError(ValueError):
    """A cell value a parser cannot read: what is wrong and what is expected, in Dutch."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message = message
        self.expected = expected
