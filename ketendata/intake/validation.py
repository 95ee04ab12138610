"""Check every cell of an upload against the columns of its kind and return typed rows.

:func:`check_table` returns a :class:`TableCheck`: the rows as far as they could be read plus
**every** :class:`Problem` found in the cells, so that the importer can add the problems only the
database can tell (an unknown region, ...) and refuse the file once, with all of them.
:func:`validate_table` is the same without the database: it returns a :class:`ValidatedTable` or
raises :class:`ValidationError`. Each problem names the row the user sees in Excel, the column
as the user wrote it, the value (masked when it looks like personal data), what is wrong and
what is expected, in Dutch (codes as the Dutch labels of the template's dropdowns).

The small parsers live in :mod:`ketendata.intake.parsers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from analysis import codes
from ketendata import columns
from ketendata.columns import Column
from ketendata.intake.cells import cell_text as _plain_text
from ketendata.intake.cells import is_empty as _is_empty
from ketendata.intake.parsers import choice_list as _choice_list
from ketendata.intake.parsers import (
    parse_bool,
    parse_code,
    parse_codes,
    parse_date,
    parse_int,
    parse_number,
    parse_period,
    period_granularity,
)
from ketendata.intake.privacy import (
    find_name_with_age,
    find_personal,
    has_personal_signs,
    mask,
    shown_value,
)
from ketendata.intake.problems import (
    ECHO_LENGTH,
    CellError,
    Problem,
    ValidationError,
)
from ketendata.settings import MAX_TEXT_LENGTH
from ketendata.wording import plural

__all__ = ["TableCheck", "ValidatedTable", "check_table", "detect_kind", "validate_table"]

_PERIOD_GRANULARITY_LABELS = {"jaar": "jaren", "kwartaal": "kwartalen", "maand": "maanden"}

if TYPE_CHECKING:
    from ketendata.intake.reading import RawTable

# --- Columns and kinds -------------------------------------------------------------------------


def _column_keys(kind: str) -> dict[str, Column]:
    return {codes.normalize_token(column.name): column for column in columns.COLUMNS[kind]}


def _distinguishing(kind: str) -> list[str]:
    """Columns only this kind has."""
    others = {
        column.name for other, cols in columns.COLUMNS.items() if other != kind for column in cols
    }
    return [column.name for column in columns.COLUMNS[kind] if column.name not in others]


def _required(kind: str) -> list[str]:
    return [column.name for column in columns.COLUMNS[kind] if column.required]


def detect_kind(headers: list[str]) -> str:
    """The upload kind from the column headers (``afspraken``, ``overdrachten``, ``stagnatie``).

    A kind is recognised by the columns only it has (``afspraaktypes``/``status`` for
    afspraken, ``fase``/``warm`` for overdrachten, ``respondent``/``ernst``/``domein`` for
    stagnatie). When several kinds match, the one whose required columns are all present wins.

    >>> detect_kind(["Regio", "Organisatie", "Partner", "Partner type", "Afspraaktypes", "Status"])
    'afspraken'
    >>> detect_kind(["regio", "respondent", "periode", "domein", "onderwerp", "ernst"])
    'stagnatie'

    Raises:
        ValidationError: the kind cannot be told from the headers; the message says which
            columns each kind needs.
    """
    present = {codes.normalize_token(header) for header in headers if header}
    scores = {
        kind: sum(codes.normalize_token(name) in present for name in _distinguishing(kind))
        for kind in columns.COLUMNS
    }
    candidates = [kind for kind, score in scores.items() if score > 0]
    if len(candidates) > 1:
        complete = [
            kind
            for kind in candidates
            if all(codes.normalize_token(name) in present for name in _required(kind))
        ]
        if len(complete) == 1:
            return complete[0]
    elif len(candidates) == 1:
        return candidates[0]
    needs = "; ".join(
        f"{kind}: kolommen {', '.join(_required(kind))} (herkenbaar aan "
        f"{', '.join(_distinguishing(kind)[:4])})"
        for kind in columns.COLUMNS
    )
    message = "uit de kolomkoppen is niet op te maken wat voor bestand dit is"
    if candidates:
        message += f" (het kan gaan om {' of '.join(candidates)})"
    raise ValidationError(
        Problem(
            None,
            None,
            None,
            message,
            "kies het soort bestand of gebruik de kolomkoppen van één soort: " + needs,
        )
    )


# --- The validated table -----------------------------------------------------------------------


@dataclass(frozen=True)
class ValidatedTable:
    """The typed rows of a file that passed validation.

    Attributes:
        kind: ``afspraken``, ``overdrachten`` or ``stagnatie``.
        frame: one row per data row, object dtype with plain Python values, the kind's column
            codes as column names (every column of the kind, absent ones filled with the
            default or None) plus ``source_row`` (the Excel row number).
        warnings: Dutch warnings that do not stop the import (unknown columns, ...).
        rows_read: the number of data rows read.
        header_names: column code -> the header as the user wrote it, for columns present.
    """

    kind: str
    frame: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0
    header_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableCheck:
    """What checking the cells of a file found: its rows as far as they could be read, and every
    problem.

    Attributes:
        table: the typed rows of every data row; a cell with a problem holds None (or the
            column default), so later checks still see every cell that could be read.
        problems: every problem found in the cells: row by row (each row's cells column by
            column, then the rules across its cells), the periods compared across rows last.
    """

    table: ValidatedTable
    problems: tuple[Problem, ...] = ()

    def validated(self, more: Iterable[Problem] = ()) -> ValidatedTable:
        """The table, when neither the cells nor ``more`` (problems that later checks found in
        the same rows) have a problem.

        Raises:
            ValidationError: with the cell problems and ``more`` together, in file order.
        """
        more = list(more)
        if more:
            raise ValidationError(in_file_order([*self.problems, *more]))
        if self.problems:
            raise ValidationError(self.problems)
        return self.table


def in_file_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems sorted as the user reads the file: the file as a whole first, then row by row;
    within a row they keep their order (the cells column by column, then the rules across
    cells, then what later checks added).

    >>> found = [Problem(3, "fase", "x", "b", ""), Problem(2, "regio", "y", "c", ""),
    ...          Problem(3, "regio", "z", "a", ""), Problem(None, None, None, "d", "")]
    >>> [(p.row, p.column) for p in in_file_order(found)]
    [(None, None), (2, 'regio'), (3, 'fase'), (3, 'regio')]
    """
    return sorted(problems, key=lambda p: -1 if p.row is None else p.row)


def validate_table(table: RawTable, kind: str) -> ValidatedTable:
    """Check every cell and row of ``table`` as an upload of ``kind`` (see :func:`check_table`).

    Raises:
        ValidationError: with every problem of the file's cells.
    """
    return check_table(table, kind).validated()


def check_table(table: RawTable, kind: str) -> TableCheck:
    """Check every cell and row of ``table`` as an upload of ``kind``; return the rows that
    could be read and every problem, without raising for problems in cells.

    Works column by column: each distinct value of a column is parsed once and the outcome
    (typed value or problem) is shared by every row holding it. Only the rows that have a
    problem, or may break a rule across cells, are then gone through row by row.

    Raises:
        ValidationError: ``kind`` is not an upload kind (there are no columns to check).
    """
    if kind not in columns.COLUMNS:
        raise ValidationError(
            Problem(None, None, kind, "onbekend soort bestand", ", ".join(columns.COLUMNS))
        )
    problems: list[Problem] = []
    warnings: list[str] = []
    positions, header_names = _match_headers(table, kind, problems, warnings)
    cache = _CellCache()
    by_column = table.cells_by_column()
    values: dict[str, list[object]] = {}
    flagged: set[int] = set()
    for column in columns.COLUMNS[kind]:
        index = positions.get(column.name)
        raws = None if index is None else by_column[index]
        column_values, failed_rows = cache.column(column, raws, len(table.row_numbers))
        values[column.name] = column_values
        flagged.update(failed_rows)
    flagged.update(_rule_rows(kind, values))
    for position in sorted(flagged):
        row_number, cells = table.row_numbers[position], table.row_cells(position)
        _validate_row(kind, row_number, cells, positions, header_names, problems, cache.outcome)
    row_numbers = table.row_numbers
    if kind in ("overdrachten", "stagnatie"):
        _check_period_granularity(
            values["regio"], values["periode"], row_numbers, header_names, problems
        )
    if not table.row_numbers and not problems:
        problems.append(
            Problem(
                table.header_row,
                None,
                None,
                "onder de kolomkoppen staan geen gegevens",
                "een rij per gegeven onder de kolomkoppen",
            )
        )
    warnings.extend(_age_warnings(values, row_numbers, positions, header_names, kind))
    data = {column.name: values[column.name] for column in columns.COLUMNS[kind]}
    data["source_row"] = row_numbers
    frame = pd.DataFrame(data, dtype=object)
    validated = ValidatedTable(
        kind=kind,
        frame=frame,
        warnings=warnings,
        rows_read=len(table.row_numbers),
        header_names=header_names,
    )
    return TableCheck(validated, tuple(problems))


def _match_headers(
    table: RawTable, kind: str, problems: list[Problem], warnings: list[str]
) -> tuple[dict[str, int], dict[str, str]]:
    """Map column code -> cell position; report duplicates, missing and unknown columns."""
    keys = _column_keys(kind)
    positions: dict[str, int] = {}
    header_names: dict[str, str] = {}
    by_column = table.cells_by_column()
    for index, header in enumerate(table.headers):
        if not header:
            first = next(
                (
                    n
                    for n, cell in zip(table.row_numbers, by_column[index], strict=True)
                    if cell is not None
                ),
                None,
            )
            warnings.append(
                f"Een kolom zonder kolomkop heeft waarden (vanaf rij {first}); "
                "die kolom is niet ingelezen."
            )
            continue
        column = keys.get(codes.normalize_token(header))
        if column is None:
            warnings.append(_unknown_column_warning(header))
            continue
        if column.name in positions:
            problems.append(
                Problem(
                    table.header_row,
                    header,
                    None,
                    f"de kolom komt twee keer voor (ook als '{header_names[column.name]}')",
                    f"één kolom '{column.name}'",
                )
            )
            continue
        positions[column.name] = index
        header_names[column.name] = header
    for column in columns.COLUMNS[kind]:
        if column.required and column.name not in positions:
            problems.append(
                Problem(
                    table.header_row,
                    column.name,
                    None,
                    "deze verplichte kolom ontbreekt",
                    f"een kolom '{column.name}' in de rij met kolomkoppen ({column.description})",
                )
            )
    return positions, header_names


def _unknown_column_warning(header: str) -> str:
    """The warning for a column Ketenkaart does not know; a header that looks like personal
    data is masked (the warning is stored with the import).

    >>> _unknown_column_warning("Opmerking")
    "Onbekende kolom 'Opmerking' is niet ingelezen."
    >>> warning = _unknown_column_warning("BSN 111222333")
    >>> warning.startswith("Onbekende kolom '1112*****' is niet"), "111222333" in warning
    (True, False)
    """
    found = find_personal(header)
    if found is not None:
        return (
            f"Onbekende kolom '{mask(found[1])}' is niet ingelezen "
            f"(de kolomkop lijkt op persoonsgegevens: {found[0]})."
        )
    age = find_name_with_age(header)
    if age is not None:
        return (
            f"Onbekende kolom '{mask(age)}' is niet ingelezen "
            "(de kolomkop lijkt op een naam met een leeftijd)."
        )
    return f"Onbekende kolom '{shown_value(header)}' is niet ingelezen."


#: A warning about names with an age names at most this many rows; a file gets at most
#: :data:`_AGE_WARNINGS` such warnings, then one that counts the rest.
_ROWS_NAMED = 5
_AGE_WARNINGS = 20


_ASCII_DIGIT = re.compile("[0-9]")


def _has_digit(text: str) -> bool:
    """Whether ``text`` has a character ``str.isdigit`` calls a digit; ASCII text with one search.

    >>> _has_digit("Team 3"), _has_digit("Team \u00b3"), _has_digit("Team")
    (True, True, False)
    """
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(char.isdigit() for char in text)


def _age_warnings(
    values: dict[str, list[object]],
    row_numbers: list[int],
    positions: dict[str, int],
    header_names: dict[str, str],
    kind: str,
) -> list[str]:
    """A warning per text column and value that reads as a person's name with an age
    (``Sanne (7)``): not refused, since the words alone cannot tell, but the uploader can."""
    found: list[str] = []
    for column in columns.COLUMNS[kind]:
        if column.type != columns.TEXT or column.name not in positions:
            continue
        column_values = values[column.name]
        fragments = {
            value: find_name_with_age(value)
            for value in set(column_values)
            if isinstance(value, str) and _has_digit(value)
        }
        fragments = {value: fragment for value, fragment in fragments.items() if fragment}
        if not fragments:
            continue
        rows: dict[str, list[int]] = {}
        for row_number, value in zip(row_numbers, column_values, strict=True):
            if value in fragments:
                rows.setdefault(value, []).append(row_number)
        for value, value_rows in rows.items():  # in file order
            found.append(
                f"{_rows_text(value_rows)}, kolom '{header_names[column.name]}': dit lijkt op "
                f"een naam met een leeftijd (waarde '{mask(fragments[value])}'). Ketenkaart "
                "bevat geen gegevens over cliënten of kinderen: gaat het om een cliënt of een "
                "kind, haal het dan weg en upload het bestand opnieuw."
            )
    if len(found) > _AGE_WARNINGS:
        more = len(found) - _AGE_WARNINGS
        found = found[:_AGE_WARNINGS] + [
            f"Nog {plural(more, 'tekst', 'teksten')} lijk{'t' if more == 1 else 'en'} op een "
            "naam met een leeftijd."
        ]
    return found


def _rows_text(rows: list[int]) -> str:
    """``Rij 4`` or ``Rijen 4, 7 en 9`` (at most a few, then how many more).

    >>> _rows_text([4]), _rows_text([4, 7, 9]), _rows_text(list(range(2, 10)))
    ('Rij 4', 'Rijen 4, 7 en 9', 'Rijen 2, 3, 4, 5, 6 en nog 3')
    """
    if len(rows) == 1:
        return f"Rij {rows[0]}"
    shown = [str(row) for row in rows[:_ROWS_NAMED]]
    hidden = len(rows) - len(shown)
    if hidden:
        return f"Rijen {', '.join(shown)} en nog {hidden}"
    return f"Rijen {', '.join(shown[:-1])} en {shown[-1]}"


_WHAT = {
    "organisatietype": "organisatietype",
    "partnertype": "partnertype",
    "afspraaktypes": "afspraaktype",
    "niveau": "niveau",
    "status": "status",
    "fase": "fase",
    "domein": "domein",
    "onderwerp": "onderwerp",
}


def _parse_cell(column: Column, value: object) -> object:
    """The typed value of one cell, or None when empty; raises CellError."""
    if column.type == columns.TEXT:
        return _parse_text(value)
    if column.type == columns.CODE:
        return parse_code(value, column.codes or {}, _WHAT.get(column.name, column.name))
    if column.type == columns.CODES:
        return parse_codes(value, column.codes or {}, _WHAT.get(column.name, column.name))
    if column.type == columns.BOOL:
        return parse_bool(value)
    if column.type == columns.DATE:
        return parse_date(value)
    if column.type == columns.INT:
        return parse_int(value)
    if column.type == columns.DECIMAL:
        return parse_number(value)
    if column.type == columns.PERIOD:
        return parse_period(value)
    raise AssertionError(f"unknown column type {column.type}")  # a bug in columns.py


def _parse_text(value: object) -> str | None:
    if type(value) is str:  # the common case, as _is_empty and _plain_text would treat it
        text = value.strip()
        if not text:
            return None
    elif _is_empty(value):
        return None
    else:
        text = _plain_text(value)
    found = find_personal(text)
    if found is not None:
        raise _PersonalData(found[0], mask(found[1]))
    if len(text) > MAX_TEXT_LENGTH:
        raise _TooLong(text)
    return text


class _PersonalData(CellError):
    def __init__(self, what: str, masked: str):
        super().__init__(
            f"dit lijkt op persoonsgegevens ({what})",
            "Ketenkaart bevat geen gegevens over cliënten; laat persoonsgegevens weg",
        )
        self.masked = masked


class _TooLong(CellError):
    def __init__(self, text: str):
        super().__init__(
            f"de tekst is te lang ({len(text)} tekens)",
            f"hoogstens {MAX_TEXT_LENGTH} tekens",
        )
        self.start = text[:ECHO_LENGTH] + "…"


#: What checking one cell gives: (typed value or default, whether the cell failed, the problem as
#: (value shown, what is wrong, what is expected) or None).
_Outcome = tuple[object, bool, "tuple[str | None, str, str] | None"]


def _cell_outcome(column: Column, raw: object, present: bool) -> _Outcome:
    """Check one cell of ``column``; ``present`` tells whether the file has the column.

    Depends on nothing but its arguments, so one outcome serves every cell with the same value.
    """
    try:
        value = _parse_cell(column, raw)
    except _PersonalData as error:
        return None, True, (error.masked, error.message, error.expected)
    except _TooLong as error:
        return None, True, (shown_value(error.start), error.message, error.expected)
    except CellError as error:
        return None, True, (shown_value(raw), error.message, error.expected)
    if value is None:
        if column.required and present:
            missing = (None, "deze verplichte waarde ontbreekt", column.description)
            return column.default, True, missing
        value = column.default
    if value is not None:
        if column.minimum is not None and value < column.minimum:
            return value, True, (shown_value(raw), _below(column), _range(column))
        if column.maximum is not None and value > column.maximum:
            return value, True, (shown_value(raw), "dit getal is te groot", _range(column))
    return value, False, None


def _text_outcome(column: Column, raw: object, present: bool) -> _Outcome:
    """:func:`_cell_outcome` for a text column without limits, with a shortcut for the usual
    cell: text that is not empty, not too long and cannot be personal data."""
    if type(raw) is str:
        text = raw.strip()
        if text and len(text) <= MAX_TEXT_LENGTH and not has_personal_signs(text):
            return text, False, None
    return _cell_outcome(column, raw, present)


def _memo_key(raw: object) -> object:
    """A key under which equal cells share one outcome.

    Text is its own key. Other values are keyed by type and ``repr``: ``True``, ``1`` and
    ``1.0`` are equal in Python but are different cells (``1`` is no text ``'ja'``), and so are
    ``0.0`` and ``-0.0``.

    >>> [_memo_key(v) for v in ("1", None, True, 1)]
    ['1', None, (<class 'bool'>, 'True'), (<class 'int'>, '1')]
    """
    if raw is None or type(raw) is str:
        return raw
    return type(raw), repr(raw)


class _CellCache:
    """The outcome of :func:`_cell_outcome` per column and distinct cell value of one file."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, bool], dict[object, _Outcome]] = {}

    def _table(self, column: Column, present: bool) -> dict[object, _Outcome]:
        return self._memo.setdefault((column.name, present), {})

    def outcome(self, column: Column, raw: object, present: bool) -> _Outcome:
        """The outcome of one cell."""
        memo = self._table(column, present)
        key = _memo_key(raw)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _cell_outcome(column, raw, present)
        return found

    def column(
        self, column: Column, raws: Sequence[object] | None, row_count: int
    ) -> tuple[list[object], list[int]]:
        """The values of one column from its cells (``raws``, None when the file lacks the
        column) and the positions of the rows whose cell failed."""
        if raws is None:
            value, failed, _ = self.outcome(column, None, False)
            return [value] * row_count, list(range(row_count)) if failed else []
        distinct = set(raws)
        if all(raw is None or type(raw) is str for raw in distinct):
            keys = raws  # text is its own key (see _memo_key)
            pairs = ((raw, raw) for raw in distinct)
        else:
            keys = [_memo_key(raw) for raw in raws]
            pairs = dict(zip(keys, raws, strict=True)).items()
        memo = self._table(column, True)
        plain = column.type == columns.TEXT and column.minimum is None and column.maximum is None
        check = _text_outcome if plain else _cell_outcome
        for key, raw in pairs:
            if key not in memo:
                memo[key] = check(column, raw, True)
        value_of = {key: outcome[0] for key, outcome in memo.items()}
        failed_keys = {key for key, outcome in memo.items() if outcome[1]}
        values = list(map(value_of.__getitem__, keys))
        failed_rows = [i for i, key in enumerate(keys) if key in failed_keys] if failed_keys else []
        return values, failed_rows


def _rule_rows(kind: str, values: dict[str, list[object]]) -> set[int]:
    """Positions of the rows where a rule of :func:`_row_rules` may apply.

    A cheap column-wise filter: it may name rows where no rule applies in the end (the row pass
    decides), but never misses one.
    """
    rows: set[int] = set()
    if kind == "afspraken":
        # each distinct pair judged once; the rows only gone through for a pair that breaks
        starts, ends = values["ingangsdatum"], values["einddatum"]
        early = {
            pair
            for pair in set(zip(starts, ends, strict=True))
            if pair[0] is not None and pair[1] is not None and pair[1] < pair[0]
        }
        if early:
            rows.update(i for i, pair in enumerate(zip(starts, ends, strict=True)) if pair in early)
        partners, organisations = values["partner"], values["organisatie"]
        names = (set(partners) | set(organisations)) - {None}
        key = {name: codes.normalize_name(name) for name in names}
        same = {
            pair
            for pair in set(zip(partners, organisations, strict=True))
            if pair[0] is not None and pair[1] is not None and key[pair[0]] == key[pair[1]]
        }
        if same:
            pairs = zip(partners, organisations, strict=True)
            rows.update(i for i, pair in enumerate(pairs) if pair in same)
    elif kind == "overdrachten":
        families = values["gezinnen"]
        for name in _AT_MOST_FAMILIES:
            rows.update(
                i
                for i, (count, total) in enumerate(zip(values[name], families, strict=True))
                if count is not None and total is not None and count > total
            )
        rows.update(i for i, value in enumerate(values["kind_overgedragen"]) if value is not None)
        rows.update(
            i for i, value in enumerate(values["regisseur_nieuwe_gemeente"]) if value is not None
        )
    elif kind == "stagnatie":
        rows.update(
            i
            for i, (domain, topic) in enumerate(
                zip(values["domein"], values["onderwerp"], strict=True)
            )
            if domain is not None
            and topic is not None
            and codes.DOMAIN_OF_TOPIC.get(topic) != domain
        )
    return rows


def _validate_row(
    kind: str,
    row_number: int,
    cells: list[object],
    positions: dict[str, int],
    header_names: dict[str, str],
    problems: list[Problem],
    outcome: Callable[[Column, object, bool], _Outcome] = _cell_outcome,
) -> dict[str, object]:
    """Check one row: every cell (through ``outcome``), then the rules across its cells."""
    record: dict[str, object] = {"source_row": row_number}
    failed: set[str] = set()

    def report(name: str, value: object, message: str, expected: str) -> None:
        problems.append(Problem(row_number, header_names.get(name, name), value, message, expected))

    for column in columns.COLUMNS[kind]:
        index = positions.get(column.name)
        raw = cells[index] if index is not None and index < len(cells) else None
        value, bad, problem = outcome(column, raw, index is not None)
        if problem is not None:
            report(column.name, *problem)
        if bad:
            failed.add(column.name)
        record[column.name] = value
    for name, message, expected in _row_rules(kind, record, failed):
        report(name, shown_value(record.get(name)), message, expected)
    return record


def _below(column: Column) -> str:
    return "dit getal mag niet negatief zijn" if column.minimum == 0 else "dit getal is te klein"


def _range(column: Column) -> str:
    low = f"{column.minimum:g}" if column.minimum is not None else None
    high = f"{column.maximum:g}" if column.maximum is not None else None
    if low is not None and high is not None:
        return f"een geheel getal van {low} tot en met {high}"
    return f"een getal van {low} of meer" if low is not None else f"hoogstens {high}"


_AT_MOST_FAMILIES = (
    "warm",
    "met_informatieoverdracht",
    "met_persoonlijk_contact",
    "met_ketenafspraken",
    "regisseur_belegd",
    "veiligheidsplan_gedeeld",
    "nazorg_zes_maanden",
    "naar_andere_regio",
    "signaalpartners_geinformeerd",
)


def _row_rules(
    kind: str, record: dict[str, object], failed: set[str]
) -> list[tuple[str, str, str]]:
    """Rules that compare cells of one row: (column, what is wrong, what is expected)."""

    def ok(*names: str) -> bool:
        return all(record.get(name) is not None and name not in failed for name in names)

    found: list[tuple[str, str, str]] = []
    if kind == "afspraken":
        if ok("ingangsdatum", "einddatum") and record["einddatum"] < record["ingangsdatum"]:
            found.append(
                (
                    "einddatum",
                    f"de einddatum ligt vóór de ingangsdatum ({record['ingangsdatum']})",
                    "een einddatum op of na de ingangsdatum",
                )
            )
        if ok("partner", "organisatie") and codes.normalize_name(
            record["partner"]
        ) == codes.normalize_name(record["organisatie"]):
            found.append(
                (
                    "partner",
                    "de partner is dezelfde als de organisatie",
                    "een andere organisatie dan de organisatie die de afspraak heeft",
                )
            )
    elif kind == "overdrachten":
        for name in _AT_MOST_FAMILIES:
            if ok(name, "gezinnen") and record[name] > record["gezinnen"]:
                found.append(
                    (
                        name,
                        f"meer dan het aantal gezinnen ({record['gezinnen']})",
                        "hoogstens het aantal gezinnen op dezelfde rij",
                    )
                )
        if ok("kind_overgedragen"):
            if record.get("kinderen") is None and "kinderen" not in failed:
                found.append(
                    (
                        "kind_overgedragen",
                        "kind_overgedragen is ingevuld maar kinderen niet",
                        "ook het aantal kinderen op dezelfde rij",
                    )
                )
            elif ok("kinderen") and record["kind_overgedragen"] > record["kinderen"]:
                found.append(
                    (
                        "kind_overgedragen",
                        f"meer dan het aantal kinderen ({record['kinderen']})",
                        "hoogstens het aantal kinderen op dezelfde rij",
                    )
                )
        # regisseur_nieuwe_gemeente counts families among those of naar_andere_regio
        if ok("regisseur_nieuwe_gemeente"):
            if record.get("naar_andere_regio") is None and "naar_andere_regio" not in failed:
                found.append(
                    (
                        "regisseur_nieuwe_gemeente",
                        "regisseur_nieuwe_gemeente is ingevuld maar naar_andere_regio niet",
                        "ook het aantal gezinnen dat naar een andere regio verhuisde, op "
                        "dezelfde rij",
                    )
                )
            elif (
                ok("naar_andere_regio")
                and record["regisseur_nieuwe_gemeente"] > record["naar_andere_regio"]
            ):
                found.append(
                    (
                        "regisseur_nieuwe_gemeente",
                        "meer dan het aantal gezinnen dat naar een andere regio verhuisde "
                        f"({record['naar_andere_regio']})",
                        "hoogstens naar_andere_regio op dezelfde rij",
                    )
                )
    elif kind == "stagnatie" and ok("domein", "onderwerp"):
        domain = record["domein"]
        topic_domain = codes.DOMAIN_OF_TOPIC.get(record["onderwerp"])
        if topic_domain != domain:
            topics = _choice_list(codes.TOPICS_BY_DOMAIN[domain])
            belongs = f" (het hoort bij '{codes.DOMAINS[topic_domain]}')" if topic_domain else ""
            found.append(
                (
                    "onderwerp",
                    f"dit onderwerp hoort niet bij domein '{codes.DOMAINS[domain]}'{belongs}",
                    f"een onderwerp van dat domein: {topics}",
                )
            )
    return found


def _check_period_granularity(
    regions: list[object],
    periods: list[object],
    row_numbers: list[int],
    header_names: dict[str, str],
    problems: list[Problem],
) -> None:
    """All periods of one regio in a file use one form (years, quarters or months).

    Takes the columns ``regio`` and ``periode`` (None where empty or wrong) and the row numbers.
    """
    first_seen: dict[str, tuple[str, int]] = {}
    keys = {regio: codes.normalize_name(regio) for regio in set(regions) - {None}}
    granularities = {period: period_granularity(period) for period in set(periods) - {None}}
    for regio, period, row_number in zip(regions, periods, row_numbers, strict=True):
        if regio is None or period is None:
            continue
        key = keys[regio]
        granularity = granularities[period]
        if key not in first_seen:
            first_seen[key] = (granularity, row_number)
            continue
        expected, first_row = first_seen[key]
        if granularity != expected:
            problems.append(
                Problem(
                    row_number,
                    header_names.get("periode", "periode"),
                    period,
                    f"regio '{regio}' gebruikt in dit bestand al "
                    f"{_PERIOD_GRANULARITY_LABELS[expected]} (vanaf rij {first_row}), "
                    f"deze periode is een {granularity}",
                    "binnen een regio één soort periode: alleen JJJJ, alleen JJJJ-Qn "
                    "of alleen JJJJ-MM",
                )
            )
