"""The partner register of a region (partners.md): one partner, one node.

Three shelters write "Veilig Thuis Kennemerland", "VT Kennemerland" and "Veilig Thuis
Kennemerland (VTK)". Ketenkaart suggests such pairs (:func:`suggest_pairs`, pure, on the names
of the region's frames) and the region confirms them as aliases (:func:`merge`), undoes them
(:func:`unmerge`) or says a pair is not the same (:func:`dismiss`). Storage lives in
:mod:`ketendata.store.partners`; every reader of a region's data sees the aliases applied
(:func:`ketendata.store.queries.region_frames`).

Similarity is judged with rapidfuzz on a canonical form of each name: text in brackets left
out, case, accents and punctuation folded, and the phrases of the partner-type labels written
as their abbreviation ("Veilig Thuis" as "vt", "Jeugdgezondheidszorg" as "ggd"), so that an
abbreviation and its phrase are the same word. Two names that each have a word the other lacks
("noord" and "zuid", "obs" and "cbs") are different organisations unless those words are
near-identical (a typo); two names that both carry numbers must carry the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache

import duckdb
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from analysis import codes
from analysis.codes import normalize_name
from ketendata.access import AccessDenied, Principal
from ketendata.intake import suggest as near_miss
from ketendata.store import partners as stored
from ketendata.store import queries

__all__ = [
    "SUGGEST_THRESHOLD",
    "TYPO_RATIO",
    "LOCAL_USER",
    "MergeRefused",
    "NameFacts",
    "Suggestion",
    "UnknownRegionError",
    "abbreviations",
    "canonical_tokens",
    "collect_names",
    "dismiss",
    "list_aliases",
    "merge",
    "suggest_pairs",
    "suggestions",
    "unmerge",
    "upload_hints",
]

#: The lowest score (0-1) a pair needs to be suggested. Chosen on realistic spellings: a typo
#: ("Kenemerland") scores about 0.97, a shorter form ("Politie" / "Politie Kennemerland") 0.76,
#: while two names with different distinguishing words are never suggested at all.
SUGGEST_THRESHOLD = 0.75

#: Two differing words count as one word mistyped at this rapidfuzz ratio (0-100) or more:
#: 'noord'/'nord' 89, 'kennemerland'/'kenemerland' 96; 'obs'/'cbs' 67, 'noord'/'zuid' 22.
TYPO_RATIO = 85.0

#: A user name for changes made without one (the local mode of access.md).
LOCAL_USER = "lokaal"

_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOT_A_LETTER_OR_DIGIT = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"\d")

#: Words an abbreviation writes in lower case ("RvdK" for "Raad voor de Kinderbescherming").
_SMALL_WORDS = frozenset({"de", "den", "der", "een", "en", "het", "in", "op", "van", "voor"})


class UnknownRegionError(LookupError):
    """The region is not in the database."""


class MergeRefused(ValueError):
    """A merge, unmerge or dismissal the register's rules refuse; nothing was stored."""


def _fold(text: str) -> str:
    """Case, accents and punctuation folded to lower-case words separated by one space.

    >>> _fold("Wijkteam Haarlem-Noord"), _fold("Financiën / Werk")
    ('wijkteam haarlem noord', 'financien werk')
    """
    text = str(text)
    plain = (text if text.isascii() else codes.strip_diacritics(text)).casefold()
    return " ".join(_NOT_A_LETTER_OR_DIGIT.sub(" ", plain).split())


def _without_brackets(text: str) -> str:
    """Text in round or square brackets left out (nested brackets from the inside out)."""
    previous = None
    while previous != text:
        previous, text = text, _BRACKETS.sub(" ", text)
    return text


@cache
def _spelled() -> dict[tuple[str, ...], str]:
    """Each phrase of :func:`abbreviations` as a reason writes it: "VT = Veilig Thuis"."""
    return dict(_derive_abbreviations()[1])


@cache
def abbreviations() -> dict[tuple[str, ...], str]:
    """Phrases of the partner-type labels (as folded words) and the abbreviation they stand for.

    A label of several words gives its initials ("Veilig Thuis": "vt", "Raad voor de
    Kinderbescherming": "rvdk"); a label of two parts of which one is written in capitals gives
    that word for the other part ("Jeugdgezondheidszorg / GGD": "ggd", "Wijkteam / CJG": "cjg").

    >>> abbreviations()[("veilig", "thuis")], abbreviations()[("jeugdgezondheidszorg",)]
    ('vt', 'ggd')
    """
    return dict(_derive_abbreviations()[0])


@cache
def _derive_abbreviations() -> tuple[tuple, tuple]:
    found: dict[tuple[str, ...], str] = {}
    spelled: dict[tuple[str, ...], str] = {}
    for label in codes.PARTNER_TYPES.values():
        parts = [part.strip() for part in _without_brackets(label).split("/") if part.strip()]
        capitals = [part for part in parts if part.isupper() and " " not in part]
        for part in parts:
            if part in capitals:
                continue
            words = tuple(_fold(part).split())
            if len(parts) == 2 and len(capitals) == 1:
                short = capitals[0]
            elif len(words) >= 2 and not any(w.isupper() for w in part.replace("-", " ").split()):
                short = "".join(w[0] if w in _SMALL_WORDS else w[0].upper() for w in part.split())
            else:
                continue
            if words not in found:
                found[words] = _fold(short)
                spelled[words] = f"{short} = {part}"
    return tuple(found.items()), tuple(spelled.items())


def canonical_tokens(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words a name is compared on, and the abbreviations used for it (as "vt = veilig
    thuis"): brackets left out, folded, each label phrase as its abbreviation.

    >>> canonical_tokens("Veilig Thuis Kennemerland (VTK)")
    (('vt', 'kennemerland'), ('VT = Veilig Thuis',))
    >>> canonical_tokens("VT Kennemerland")[0]
    ('vt', 'kennemerland')
    """
    words = _fold(_without_brackets(name)).split()
    phrases = abbreviations()
    longest = max((len(phrase) for phrase in phrases), default=0)
    tokens: list[str] = []
    used: list[str] = []
    index = 0
    while index < len(words):
        for size in range(min(longest, len(words) - index), 0, -1):
            phrase = tuple(words[index : index + size])
            short = phrases.get(phrase)
            if short is not None and short != " ".join(phrase):
                tokens.append(short)
                used.append(_spelled()[phrase])
                index += size
                break
        else:
            tokens.append(words[index])
            index += 1
    return tuple(tokens), tuple(used)


@dataclass(frozen=True)
class NameFacts:
    """What the suggestions need to know about one organisation name of a region.

    ``listed_by`` are the name keys of the holders whose inventories list it as a partner;
    ``partner_types`` its types in the inventories (as partner, or as holder); ``has_aliases``
    says that other names are aliases of it.
    """

    name: str
    key: str
    partner_types: frozenset[str] = frozenset()
    is_holder: bool = False
    is_partner: bool = False
    listed_by: frozenset[str] = frozenset()
    has_aliases: bool = False

    @property
    def holder_count(self) -> int:
        """In how many holders' inventories the name occurs (its own included)."""
        return len(self.listed_by | ({self.key} if self.is_holder else set()))


@dataclass(frozen=True)
class Suggestion:
    """A pair that probably names one partner: ``name`` would become an alias of ``into``."""

    name: str
    into: str
    score: float
    partner_type: str | None
    reason: str

    def as_json(self) -> dict[str, object]:
        """The form of ``partners suggest --format json`` (partners.md)."""
        return {
            "name": self.name,
            "into": self.into,
            "score": self.score,
            "partner_type": self.partner_type,
            "reason": self.reason,
        }


@dataclass
class _Gathered:
    name: str
    types: set[str] = field(default_factory=set)
    holder: bool = False
    partner: bool = False
    listed_by: set[str] = field(default_factory=set)


def collect_names(
    agreements: pd.DataFrame,
    handovers: pd.DataFrame,
    stagnation: pd.DataFrame,
    *,
    with_aliases: Iterable[str] = (),
) -> list[NameFacts]:
    """Every organisation name in a region's frames (any row, whatever its status), with the
    facts the suggestions need; names are one name when equal after ``normalize_name``, shown
    with the first spelling met. ``with_aliases``: names that other names are aliases of.

    >>> agreements = pd.DataFrame({"organisation": ["Opvang A", "Opvang A"],
    ...     "organisation_type": ["vrouwenopvang"] * 2, "partner": ["VT Noord", "vt  noord"],
    ...     "partner_type": ["veilig_thuis"] * 2})
    >>> none = pd.DataFrame({"organisation": [], "respondent": [], "partner": []})
    >>> [(f.name, f.is_holder, sorted(f.listed_by)) for f in collect_names(agreements, none, none)]
    [('Opvang A', True, []), ('VT Noord', False, ['opvang a'])]
    """
    gathered: dict[str, _Gathered] = {}
    by_spelling: dict[str, tuple[str, _Gathered]] = {}

    def note(name: object) -> tuple[str, _Gathered] | None:
        found = by_spelling.get(name) if isinstance(name, str) else None
        if found is not None:
            return found
        if not isinstance(name, str) or not name.strip():
            return None
        key = normalize_name(name)
        entry = gathered.get(key)
        if entry is None:
            entry = gathered[key] = _Gathered(name)
        by_spelling[name] = (key, entry)
        return key, entry

    for holder, holder_type, partner, partner_type in zip(
        agreements["organisation"],
        agreements["organisation_type"],
        agreements["partner"],
        agreements["partner_type"],
        strict=True,
    ):
        held = note(holder)
        listed = note(partner)
        if held is not None:
            held[1].holder = True
            if holder_type:
                held[1].types.add(holder_type)
        if listed is not None:
            listed[1].partner = True
            if partner_type:
                listed[1].types.add(partner_type)
            if held is not None:
                listed[1].listed_by.add(held[0])
    for frame, subject in ((handovers, "organisation"), (stagnation, "respondent")):
        for name in frame[subject]:
            note(name)
        for name in frame["partner"]:
            found = note(name)
            if found is not None:
                found[1].partner = True
    targets = {normalize_name(name) for name in with_aliases}
    return [
        NameFacts(
            name=g.name,
            key=key,
            partner_types=frozenset(g.types),
            is_holder=g.holder,
            is_partner=g.partner,
            listed_by=frozenset(g.listed_by),
            has_aliases=key in targets,
        )
        for key, g in sorted(gathered.items())
    ]


def _shared_type(a: NameFacts, b: NameFacts) -> tuple[bool, str | None]:
    """Whether the partner types allow the pair, and the type to report (None when unknown)."""
    if a.partner_types and b.partner_types:
        shared = a.partner_types & b.partner_types
        return bool(shared), min(shared) if shared else None
    known = a.partner_types or b.partner_types
    return True, min(known) if known else None


def _direction(a: NameFacts, b: NameFacts) -> tuple[NameFacts, NameFacts] | None:
    """(alias, into) of a pair, or None when the register could not merge it either way.

    A holder, or a name with aliases, can only be the target; otherwise the target is the name
    in more holders' inventories, on a tie the alphabetically first after case folding.
    """
    fixed_a, fixed_b = a.is_holder or a.has_aliases, b.is_holder or b.has_aliases
    if fixed_a and fixed_b:
        return None
    if fixed_a:
        return b, a
    if fixed_b:
        return a, b
    order = sorted((a, b), key=lambda f: (-f.holder_count, f.name.casefold(), f.key))
    return order[1], order[0]


def _kept_apart(a: NameFacts, b: NameFacts) -> bool:
    """A holder knows them as two: it lists both as partners, or has an agreement with the other."""
    return bool(a.listed_by & b.listed_by) or a.key in b.listed_by or b.key in a.listed_by


@dataclass(frozen=True)
class _Form:
    facts: NameFacts
    tokens: tuple[str, ...]
    used: tuple[str, ...]
    bracketed: bool
    text: str
    joined: str
    words: frozenset[str]
    numbers: str
    ordered: str


def _form(facts: NameFacts) -> _Form:
    tokens, used = canonical_tokens(facts.name)
    return _Form(
        facts,
        tokens,
        used,
        _without_brackets(facts.name) != facts.name,
        " ".join(tokens),
        "".join(tokens),
        frozenset(tokens),
        " ".join(sorted(t for t in set(tokens) if _DIGITS.search(t))),
        " ".join(sorted(tokens)),
    )


def _own_words(x: _Form, y: _Form) -> tuple[frozenset[str], frozenset[str], bool]:
    """The words only ``x`` has, only ``y`` has, and whether they make two organisations: each
    has a word of its own that is not a typo of the other's, or both have numbers and they
    differ."""
    only_x, only_y = x.words - y.words, y.words - x.words
    if x.numbers and y.numbers and x.numbers != y.numbers:
        return only_x, only_y, True
    if not (only_x and only_y) or x.joined == y.joined:
        return only_x, only_y, False
    left, right = " ".join(sorted(only_x)), " ".join(sorted(only_y))
    apart = bool(_DIGITS.search(left + right)) or fuzz.ratio(left, right) < TYPO_RATIO
    return only_x, only_y, apart


def _judge(x: _Form, y: _Form) -> tuple[float, list[str]] | None:
    """The score of two names that look alike and the reasons, or None when they do not."""
    if not x.joined or not y.joined:
        return None
    reasons: list[str] = []
    for short in sorted(set(x.used) ^ set(y.used)):
        reasons.append(f"afkorting {short}")  # e.g. 'afkorting VT = Veilig Thuis'
    if x.bracketed or y.bracketed:
        reasons.append("tekst tussen haakjes niet meegeteld")
    if x.joined == y.joined:
        if not reasons:
            reasons.append("zelfde naam op hoofdletters, accenten, spaties en leestekens na")
        return 1.0, reasons
    only_x, only_y, apart = _own_words(x, y)
    if apart:
        return None  # each has a word of its own: two organisations
    if only_x and only_y:
        left, right = " ".join(sorted(only_x)), " ".join(sorted(only_y))
        reasons.append(f"bijna gelijk: '{left}' en '{right}'")
    else:
        shorter, longer = (x, y) if not only_x else (y, x)
        extra = " ".join(t for t in longer.tokens if t not in shorter.tokens)
        reasons.append(f"'{shorter.facts.name}' is '{longer.facts.name}' zonder '{extra}'")
    score = (fuzz.token_sort_ratio(x.text, y.text) + fuzz.token_set_ratio(x.text, y.text)) / 200
    return score, reasons


def _similar(
    forms: Sequence[_Form],
    numbers: np.ndarray,
    left: list[int],
    right: list[int],
    threshold: float,
) -> Iterable[tuple[int, int]]:
    """The index pairs (i < j) of ``left`` x ``right`` that may reach ``threshold`` and whose
    numbers (:func:`_number_ids`) allow them to be one organisation: one C-speed pass of
    rapidfuzz, then numpy. The score is the mean of the token-sort and token-set ratios and the
    latter is at most 100, so the token-sort ratio (the plain ratio of the sorted words) must
    reach ``2 * threshold - 1``: a necessary condition twenty times cheaper to test."""
    if not left or not right:
        return []
    targets = [forms[j].ordered for j in right]
    right_ids = np.asarray(right)
    out: list[tuple[int, int]] = []
    # a block of rows at a time: memory stays O(block x right), whatever the upload's size
    step = max(1, _SIMILAR_CELLS // max(len(right), 1))
    for start in range(0, len(left), step):
        block = left[start : start + step]
        matrix = process.cdist(
            [forms[i].ordered for i in block],
            targets,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=max(0.0, (2 * threshold - 1) * 100),
            dtype=np.uint8,
            # threads pay off only for a large block (starting them costs more than a small one)
            workers=-1 if len(block) * len(right) > 200_000 else 1,
        )
        rows, cols = np.nonzero(matrix)
        one, other = np.asarray(block)[rows], right_ids[cols]
        first, second = np.minimum(one, other), np.maximum(one, other)
        # names that both carry numbers are one organisation only with the same numbers
        keep = (first != second) & (
            (numbers[first] == numbers[second]) | (numbers[first] < 0) | (numbers[second] < 0)
        )
        out.extend(zip(first[keep].tolist(), second[keep].tolist(), strict=True))
    return out


#: Cells of one block of the similarity matrix (bytes, as uint8): about 16 MB.
_SIMILAR_CELLS = 16_000_000


def _number_ids(forms: Sequence[_Form]) -> np.ndarray:
    """Per form an id of its numbers (equal numbers, equal id), -1 for a name without any."""
    ids: dict[str, int] = {}
    return np.fromiter(
        (ids.setdefault(f.numbers, len(ids)) if f.numbers else -1 for f in forms),
        dtype=np.int64,
        count=len(forms),
    )


def _candidate_pairs(forms: Sequence[_Form], threshold: float) -> Iterable[tuple[int, int]]:
    """Index pairs (i < j) that may be suggested: of one partner type (a name without a type
    against every name), similar enough (:func:`_similar`) or equal without spaces."""
    by_type: dict[str, list[int]] = {}
    untyped: list[int] = []
    for index, form in enumerate(forms):
        for code in form.facts.partner_types:
            by_type.setdefault(code, []).append(index)
        if not form.facts.partner_types:
            untyped.append(index)
    pairs: set[tuple[int, int]] = set()
    numbers = _number_ids(forms)
    for indices in by_type.values():
        pairs.update(_similar(forms, numbers, indices, indices, threshold))
    pairs.update(_similar(forms, numbers, untyped, list(range(len(forms))), threshold))
    by_joined: dict[str, list[int]] = {}
    for index, form in enumerate(forms):
        by_joined.setdefault(form.joined, []).append(index)
    for indices in by_joined.values():
        pairs.update((i, j) for n, i in enumerate(indices) for j in indices[n + 1 :])
    return sorted(pairs)


def suggest_pairs(
    names: Sequence[NameFacts],
    dismissed: Iterable[frozenset[str]] = (),
    *,
    threshold: float = SUGGEST_THRESHOLD,
) -> list[Suggestion]:
    """The pairs of names that probably mean one partner (partners.md), highest score first.

    A pair is suggested when at least one name occurs as a partner, the partner types agree
    where both have one, no holder knows them as two, it was not dismissed, the register could
    merge it (not two holders) and the names look alike (score at least ``threshold``).

    >>> vt = NameFacts("Veilig Thuis Kennemerland", "veilig thuis kennemerland",
    ...                frozenset({"veilig_thuis"}), is_partner=True, listed_by=frozenset({"a"}))
    >>> short = NameFacts("VT Kennemerland", "vt kennemerland",
    ...                   frozenset({"veilig_thuis"}), is_partner=True, listed_by=frozenset({"b"}))
    >>> [(s.name, s.into, s.score) for s in suggest_pairs([vt, short])]
    [('VT Kennemerland', 'Veilig Thuis Kennemerland', 1.0)]
    """
    skip = {frozenset(pair) for pair in dismissed}
    forms = [_form(facts) for facts in names]
    found: list[Suggestion] = []
    for i, j in _candidate_pairs(forms, threshold):
        a, b = forms[i].facts, forms[j].facts
        if not (a.is_partner or b.is_partner) or frozenset((a.key, b.key)) in skip:
            continue
        allowed, partner_type = _shared_type(a, b)
        if not allowed or _kept_apart(a, b) or _own_words(forms[i], forms[j])[2]:
            continue
        direction = _direction(a, b)
        if direction is None:
            continue
        alias, into = direction
        pair = (forms[i], forms[j]) if alias is a else (forms[j], forms[i])
        judged = _judge(*pair)
        if judged is None or judged[0] < threshold:
            continue
        score, reasons = judged
        if partner_type is None:
            reasons.append("partnertype onbekend")
        elif a.partner_types and b.partner_types:
            reasons.append(f"zelfde partnertype ({codes.label(partner_type)})")
        else:
            reasons.append(f"partnertype alleen bij één naam bekend ({codes.label(partner_type)})")
        found.append(Suggestion(alias.name, into.name, score, partner_type, "; ".join(reasons)))
    return sorted(found, key=lambda s: (-s.score, s.into.casefold(), s.name.casefold()))


# --- With the database ------------------------------------------------------------------------


def _region(con: duckdb.DuckDBPyConnection, region: str) -> tuple[int, str]:
    found = queries.find_region_row(con, region)
    if found is None:
        raise UnknownRegionError(f"Onbekende regio '{region}'.")
    return found


def _raw_names(con: duckdb.DuckDBPyConnection, region: str) -> dict[str, NameFacts]:
    """The names as stored in the region's current data (no aliases applied), by name key."""
    facts = collect_names(
        queries.current_agreements(con, region),
        queries.current_handovers(con, region),
        queries.current_stagnation(con, region),
    )
    return {f.key: f for f in facts}


def suggestions(con: duckdb.DuckDBPyConnection, region: str) -> list[Suggestion]:
    """The suggestions of a region's current data, with its aliases applied (a merged pair is
    one name) and its dismissed pairs left out."""
    region_id, name = _region(con, region)
    frames = queries.region_frames(con, name)
    targets = {a.into for a in stored.current_aliases(con, region_id)}
    names = collect_names(
        frames.agreements, frames.handovers, frames.stagnation, with_aliases=targets
    )
    return suggest_pairs(names, stored.dismissed_pairs(con, region_id))


def list_aliases(con: duckdb.DuckDBPyConnection, region: str) -> list[dict[str, str]]:
    """The region's current aliases as ``partners list --format json`` prints them."""
    region_id, _ = _region(con, region)
    return [
        {"alias": a.alias, "into": a.into, "since": a.since.strftime("%Y-%m-%dT%H:%M:%S")}
        for a in stored.current_aliases(con, region_id)
    ]


def _known(names: Mapping[str, NameFacts], name: str, region: str) -> NameFacts:
    found = names.get(normalize_name(name))
    if found is not None:
        return found
    guess = near_miss.suggest(name, [f.name for f in names.values()])
    hint = f" Bedoelt u '{guess}'?" if guess else ""
    raise MergeRefused(f"'{name}' komt niet voor in de huidige gegevens van {region}.{hint}")


def _acting(principal: Principal | None, region: str, by: str) -> str:
    """The user to record: the principal's name once its right to change the region's register
    is checked (access.md: a region-wide right), else ``by``."""
    if principal is None:
        return by
    if not principal.may_change(region):
        raise AccessDenied(f"U mag het partnerregister van {region} niet wijzigen.")
    return principal.user


def merge(
    con: duckdb.DuckDBPyConnection,
    region: str,
    alias: str,
    into: str,
    *,
    by: str = LOCAL_USER,
    now: datetime | None = None,
    principal: Principal | None = None,
) -> str:
    """Make ``alias`` an alias of ``into`` in the region; returns a Dutch line saying so.

    Raises:
        UnknownRegionError: no such region.
        MergeRefused: an unknown name, the same name, a chain either way or a holder as alias
            (partners.md); nothing is stored.
    """
    region_id, region_name = _region(con, region)
    by = _acting(principal, region_name, by)
    names = _raw_names(con, region_name)
    source, target = _known(names, alias, region_name), _known(names, into, region_name)
    if source.key == target.key:
        raise MergeRefused(f"'{source.name}' kan geen alias van zichzelf zijn.")
    current = stored.current_aliases(con, region_id)
    alias_of = {normalize_name(a.alias): a.into for a in current}
    if source.key in alias_of:
        raise MergeRefused(
            f"'{source.name}' is al samengevoegd met '{alias_of[source.key]}'. Maak dat eerst "
            "ongedaan."
        )
    if target.key in alias_of:
        raise MergeRefused(
            f"'{target.name}' is zelf een alias van '{alias_of[target.key]}'; voeg "
            f"'{source.name}' samen met '{alias_of[target.key]}' (geen ketens van aliassen)."
        )
    pointing = sorted(a.alias for a in current if normalize_name(a.into) == source.key)
    if pointing:
        raise MergeRefused(
            f"'{source.name}' heeft zelf aliassen ({', '.join(pointing)}) en kan daarom geen "
            f"alias worden (geen ketens van aliassen); voeg '{target.name}' samen met "
            f"'{source.name}'."
        )
    if source.is_holder:
        raise MergeRefused(
            f"'{source.name}' heeft een eigen inventarisatie van afspraken in {region_name}; "
            "die blijft van deze organisatie zelf, dus zij kan geen alias worden. Voeg "
            f"andersom samen: '{target.name}' als alias van '{source.name}'."
        )
    ids = stored.organisation_names(con, [source.name, target.name])
    stored.record_event(
        con,
        region_id,
        "merge",
        ids[source.key][0],
        ids[target.key][0],
        by=by,
        now=now or datetime.now(),
    )
    return f"'{source.name}' is nu in {region_name} dezelfde organisatie als '{target.name}'."


def unmerge(
    con: duckdb.DuckDBPyConnection,
    region: str,
    alias: str,
    *,
    by: str = LOCAL_USER,
    now: datetime | None = None,
    principal: Principal | None = None,
) -> str:
    """End the alias ``alias`` in the region; returns a Dutch line. Raises UnknownRegionError,
    or MergeRefused when the name is not an alias there (nothing stored)."""
    region_id, region_name = _region(con, region)
    by = _acting(principal, region_name, by)
    current = {normalize_name(a.alias): a for a in stored.current_aliases(con, region_id)}
    found = current.get(normalize_name(alias))
    if found is None:
        raise MergeRefused(f"'{alias}' is geen alias in {region_name}.")
    stored.record_event(
        con, region_id, "unmerge", found.alias_id, None, by=by, now=now or datetime.now()
    )
    return f"'{found.alias}' is in {region_name} weer een eigen organisatie (niet '{found.into}')."


def dismiss(
    con: duckdb.DuckDBPyConnection,
    region: str,
    name: str,
    into: str,
    *,
    by: str = LOCAL_USER,
    now: datetime | None = None,
    principal: Principal | None = None,
) -> str:
    """Record that ``name`` and ``into`` are not the same partner (never suggested again, in
    either order); returns a Dutch line. Raises UnknownRegionError, or MergeRefused for an
    unknown name or a name paired with itself (nothing stored)."""
    region_id, region_name = _region(con, region)
    by = _acting(principal, region_name, by)
    names = _raw_names(con, region_name)
    first, second = _known(names, name, region_name), _known(names, into, region_name)
    if first.key == second.key:
        raise MergeRefused(f"'{first.name}' en '{second.name}' zijn dezelfde naam.")
    ids = stored.organisation_names(con, [first.name, second.name])
    stored.record_event(
        con,
        region_id,
        "dismiss",
        ids[first.key][0],
        ids[second.key][0],
        by=by,
        now=now or datetime.now(),
    )
    return (
        f"'{first.name}' en '{second.name}' zijn in {region_name} verschillende organisaties; "
        "dit paar wordt niet meer voorgesteld."
    )


def _file_names(rows: pd.DataFrame, kind: str) -> list[NameFacts]:
    """The names of an upload's rows (the frame validation returns) as :func:`collect_names`
    sees a region's frames; for handovers and stagnation the file's partner types count too."""
    none: dict[str, list] = {"organisation": [], "partner": []}
    agreements = pd.DataFrame({**none, "organisation_type": [], "partner_type": []})
    handovers, stagnation = pd.DataFrame(none), pd.DataFrame({"respondent": [], "partner": []})
    if kind == "afspraken":
        agreements = pd.DataFrame(
            {
                "organisation": rows["organisatie"].tolist(),
                "organisation_type": rows["organisatietype"].tolist(),
                "partner": rows["partner"].tolist(),
                "partner_type": rows["partnertype"].tolist(),
            }
        )
        return collect_names(agreements, handovers, stagnation)
    if kind == "overdrachten":
        handovers = pd.DataFrame(
            {"organisation": rows["organisatie"].tolist(), "partner": rows["partner"].tolist()}
        )
    else:
        stagnation = pd.DataFrame(
            {"respondent": rows["respondent"].tolist(), "partner": rows["partner"].tolist()}
        )
    types: dict[str, set[str]] = {}
    for name, code in zip(rows["partner"], rows["partnertype"], strict=True):
        if name is not None and code:
            types.setdefault(normalize_name(str(name)), set()).add(code)
    return [
        replace(f, partner_types=frozenset(types.get(f.key, ())))
        for f in collect_names(agreements, handovers, stagnation)
    ]


def _with_file(known: NameFacts, in_file: NameFacts | None, replaced: set[str]) -> NameFacts:
    """A known name's facts as they would be after the import: the inventories of the file's
    holders (``replaced``) as the file gives them, its types added."""
    listed_by = known.listed_by - replaced
    if in_file is None:
        return replace(known, listed_by=listed_by)
    return replace(
        known,
        partner_types=known.partner_types | in_file.partner_types,
        is_holder=known.is_holder or in_file.is_holder,
        is_partner=known.is_partner or in_file.is_partner,
        listed_by=listed_by | in_file.listed_by,
    )


#: Above this many names a region does not know yet, an upload gets no "bedoelt u ...?" hints:
#: such a file is a new inventory, and comparing every new name with every other would cost
#: memory and time quadratic in the file's size.
HINT_LIMIT = 500


def upload_hints(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, kind: str
) -> list[tuple[str, Suggestion]]:
    """For a checked upload (the frame validation returns): every name in it that its region
    does not know yet but that probably is a known one ("bedoelt u ...?"), as a suggestion to
    make the new name an alias of the known one: (region, suggestion with ``name`` the new
    name and ``into`` the known one), by region.

    The file's rows count as the region's data: a new name that the file's holder lists beside
    the known one is left alone (the holder knows them as two), a new holder is never offered
    (its inventory stays its own). A new name gets one hint, its best match (the first in the
    order of :func:`suggest_pairs`). Regions the database does not know yet give no hints,
    nor a region with more than :data:`HINT_LIMIT` new names in the file.
    """
    hints: list[tuple[str, Suggestion]] = []
    for region in sorted({str(r).strip() for r in frame["regio"]}, key=normalize_name):
        found = queries.find_region_row(con, region)
        if found is None:
            continue
        region_id, region_name = found
        wanted = normalize_name(region_name)
        rows = frame[[normalize_name(str(r)) == wanted for r in frame["regio"]]]
        frames = queries.region_frames(con, region_name)
        current = stored.current_aliases(con, region_id)
        known = {
            f.key: f
            for f in collect_names(
                frames.agreements,
                frames.handovers,
                frames.stagnation,
                with_aliases={a.into for a in current},
            )
        }
        aliases = {normalize_name(a.alias) for a in current}
        in_file = {f.key: f for f in _file_names(rows, kind)}
        new = [f for key, f in in_file.items() if key not in known and key not in aliases]
        if not new or len(new) > HINT_LIMIT:
            continue  # (a file full of new names is a new inventory, not a spelling to check)
        new_keys = {f.key for f in new}
        hinted: set[str] = set()
        replaced = {key for key, f in in_file.items() if f.is_holder and kind == "afspraken"}
        pool = [_with_file(f, in_file.get(key), replaced) for key, f in known.items()] + new
        for hint in suggest_pairs(pool, stored.dismissed_pairs(con, region_id)):
            pair = {normalize_name(hint.name), normalize_name(hint.into)}
            fresh = pair & new_keys
            if len(fresh) != 1:
                continue
            (new_key,) = fresh
            if in_file[new_key].is_holder or new_key in hinted:
                continue
            hinted.add(new_key)
            (other,) = pair - fresh
            hints.append(
                (region_name, replace(hint, name=in_file[new_key].name, into=known[other].name))
            )
    return hints
