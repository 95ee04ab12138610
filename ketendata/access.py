"""Who may see and change what (access.md): the acting user as a small :class:`Principal`,
the checks every read and write of ``ketendata`` makes with it, the users and roles, and the
audit log.

A principal is a user name (``lokaal``, an e-mail address or ``cli:<name>``) with its grants;
the rights of several roles add up. Region and organisation names are compared by their name
key (:func:`analysis.codes.normalize_name`), as everywhere in Ketenkaart.
"""

from __future__ import annotations

import copy
import getpass
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from analysis import codes
from analysis.codes import PHASES
from analysis.compare import HIDDEN_SHARE, hide_small_share, is_small_count, mask_small_counts
from analysis.handovers import FlowDiagram, FlowLink, handover_shares
from ketendata import store
from ketendata.intake.suggest import suggest
from ketendata.store import audit, queries, users

__all__ = [
    "LOCAL",
    "LOCAL_USER",
    "ROLES",
    "AccessDenied",
    "Grant",
    "Principal",
    "UserError",
    "add_user",
    "audit_log",
    "cli_principal",
    "hides_small_counts",
    "shown_changes",
    "shown_count",
    "shown_counts",
    "shown_flows",
    "shown_ranking",
    "shown_report",
    "shown_share_value",
    "shown_shares",
    "shown_trend",
    "undoable_imports",
    "upload_scope_text",
    "import_scope_allowed",
    "list_users",
    "principal_for",
    "remove_user",
    "visible_regions",
]

#: The roles of access.md, in its order.
ROLES = ("beheerder", "gemeente", "opvang", "lezer")

#: The user of the local mode (one person on one machine).
LOCAL_USER = "lokaal"


class AccessDenied(PermissionError):
    """The acting user may not do this; the message says so in Dutch. Nothing was stored."""


class UserError(ValueError):
    """A user or role is refused (a missing or superfluous option, an unknown region or
    role); the message says so in Dutch. Nothing was stored."""


def _key(name: object) -> str:
    return codes.normalize_name(str(name))


@dataclass(frozen=True)
class Grant:
    """One role of a user: its regions (none for ``beheerder``) and, for ``opvang``, its
    organisation."""

    role: str
    regions: tuple[str, ...] = ()
    organisation: str | None = None

    def covers(self, region: object) -> bool:
        """True when ``region`` is one of this grant's regions."""
        return region is not None and _key(region) in {_key(r) for r in self.regions}

    def is_own(self, region: object, organisation: object) -> bool:
        """True for an ``opvang`` grant of this organisation in this region."""
        return (
            self.role == "opvang"
            and organisation is not None
            and self.organisation is not None
            and self.covers(region)
            and _key(organisation) == _key(self.organisation)
        )


@dataclass(frozen=True)
class Principal:
    """The acting user and what it may read and change (access.md, the roles table).

    >>> p = Principal("a@b.nl", (Grant("opvang", ("Regio Zuid",), "Blijf Zuid"),))
    >>> p.may_read("regio zuid"), p.may_upload("Regio Zuid", "blijf zuid"), p.may_change("Zuid")
    (True, True, False)
    """

    user: str
    grants: tuple[Grant, ...]

    @property
    def is_beheerder(self) -> bool:
        return any(g.role == "beheerder" for g in self.grants)

    def _grants(self, *roles: str) -> list[Grant]:
        return [g for g in self.grants if g.role in roles]

    def may_read(self, region: object) -> bool:
        """Every role reads its own regions; ``beheerder`` reads all."""
        return self.is_beheerder or any(g.covers(region) for g in self.grants)

    def may_change(self, region: object) -> bool:
        """Region-wide changes (uploads for any organisation, undo, matrices, actions,
        meetings, the partner register): ``beheerder``, or ``gemeente`` of the region."""
        return self.is_beheerder or any(g.covers(region) for g in self._grants("gemeente"))

    def may_upload(self, region: object, organisation: object) -> bool:
        """A row of an upload: a region-wide right, or ``opvang`` of its own organisation."""
        return self.may_change(region) or any(g.is_own(region, organisation) for g in self.grants)

    def may_change_action(self, region: object, owner: object) -> bool:
        """An action: a region-wide right, or ``opvang`` when the owner is its organisation."""
        return self.may_upload(region, owner)

    def own_organisations(self, region: object) -> set[str]:
        """The name keys of this user's own organisations in the region (``opvang``)."""
        return {
            _key(g.organisation)
            for g in self._grants("opvang")
            if g.covers(region) and g.organisation is not None
        }

    @property
    def may_manage_users(self) -> bool:
        return self.is_beheerder

    @property
    def may_upload_anything(self) -> bool:
        """Whether any upload can be within this user's rights (not for a ``lezer``)."""
        return any(g.role in ("beheerder", "gemeente", "opvang") for g in self.grants)

    @property
    def may_redact(self) -> bool:
        """Erasing an import's texts for the AVG is the ``beheerder``'s (ketendata.store.redact)."""
        return self.is_beheerder

    def may_add_actions(self, region: object) -> bool:
        """Whether some action in the region is this user's to add: a region-wide right, or
        ``opvang`` (with its own organisation as the owner)."""
        return self.may_change(region) or bool(self.own_organisations(region))

    def audit_regions(self) -> tuple[str, ...] | None:
        """The regions whose audit entries this user may see; None: all (``beheerder``)."""
        if self.is_beheerder:
            return None
        return tuple(sorted({r for g in self._grants("gemeente") for r in g.regions}))


#: The principal of the local mode: ``lokaal``, ``beheerder`` (access.md).
LOCAL = Principal(LOCAL_USER, (Grant("beheerder"),))


def cli_principal() -> Principal:
    """The command line acts as ``beheerder`` and records itself as ``cli:<user name>``."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in this environment (a container without passwd)
        name = "onbekend"
    return Principal(f"cli:{name}", (Grant("beheerder"),))


def visible_regions(principal: Principal, regions: Sequence[str]) -> list[str]:
    """The regions of ``regions`` the principal may read, in their order."""
    return [region for region in regions if principal.may_read(region)]


def principal_for(con: duckdb.DuckDBPyConnection, email: str | None) -> Principal | None:
    """The principal of an e-mail address (compared case-insensitively), or None for no
    address or an address without a current role."""
    if not email or not email.strip():
        return None
    roles = users.current_roles(con, email.strip())
    if not roles:
        return None
    return Principal(
        roles[0]["email"],
        tuple(Grant(r["role"], tuple(r["regions"]), r["organisation"]) for r in roles),
    )


def import_scope_allowed(principal: Principal, scope: Iterable[tuple[str, str]]) -> bool:
    """Whether the principal may undo an import whose versions are of these (region,
    organisation) pairs: each of them must be the principal's to change."""
    return all(principal.may_upload(region, organisation) for region, organisation in scope)


def upload_scope_text(principal: Principal) -> str | None:
    """What this user may upload, in one Dutch line for the upload form; None for a
    ``beheerder`` (everything) or a ``lezer`` (nothing).

    >>> upload_scope_text(Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))).split(";")[0]
    "U mag gegevens uploaden van 'Blijf' in Zuid"
    >>> upload_scope_text(Principal("g", (Grant("gemeente", ("Zuid", "Noord")),))).split(";")[0]
    'U mag gegevens uploaden van elke organisatie in Zuid, Noord'
    """
    if principal.is_beheerder or not principal.may_upload_anything:
        return None
    parts = [
        f"elke organisatie in {', '.join(g.regions)}"
        for g in principal.grants
        if g.role == "gemeente"
    ]
    parts += [
        f"'{g.organisation}' in {', '.join(g.regions)}"
        for g in principal.grants
        if g.role == "opvang"
    ]
    other = "organisatie of regio" if any(g.role == "opvang" for g in principal.grants) else "regio"
    return (
        f"U mag gegevens uploaden van {' en van '.join(parts)}; een bestand met een andere "
        f"{other} wordt geweigerd."
    )


# --- Small numbers ---------------------------------------------------------------------------


def hides_small_counts(principal: Principal, region: object, organisation: object) -> bool:
    """Whether family counts of ``organisation`` in ``region`` leave the principal's own
    organisation: an ``opvang`` user without a region-wide right sees other shelters of its
    region with counts below 5 as "< 5" (access.md). Counts of other regions reach a user only
    through the comparison of all regions, which hides them for everyone.

    >>> p = Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))
    >>> hides_small_counts(p, "Zuid", "Blijf"), hides_small_counts(p, "Zuid", "Anker")
    (False, True)
    >>> hides_small_counts(LOCAL, "Zuid", "Anker")
    False
    """
    if principal.may_change(region) or not principal.may_read(region):
        return False
    if not principal.own_organisations(region):
        return False  # a lezer reads its regions as a gemeente does
    return _key(organisation) not in principal.own_organisations(region)


def _hidden(principal: Principal, region: object, organisation: object, count: object) -> bool:
    """Whether this count of ``organisation``'s families is one the principal may not see: a
    small count (:func:`is_small_count`) of a shelter whose small counts it may not see."""
    return hides_small_counts(principal, region, organisation) and is_small_count(count)


def _known(share: object) -> bool:
    """Whether a share is there (not None, not NaN)."""
    return share is not None and not pd.isna(share)


def shown_counts(
    principal: Principal, region: object, organisations: Sequence[object], counts: Sequence[object]
) -> list[object]:
    """Family counts as the principal may see them: unchanged, or, when any of them is hidden
    (:func:`hides_small_counts`), every one as text with those below 5 as "< 5".

    >>> p = Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))
    >>> shown_counts(p, "Zuid", ["Blijf", "Anker", "Anker"], [3, 4, 12])
    ['3', '< 5', '12']
    >>> shown_counts(LOCAL, "Zuid", ["Blijf", "Anker"], [3, 4])
    [3, 4]
    """
    hidden = [_hidden(principal, region, o, c) for o, c in zip(organisations, counts, strict=True)]
    if not any(hidden):
        return list(counts)
    return [
        mask_small_counts(c) if hide else ("–" if c is None else str(int(c)))
        for hide, c in zip(hidden, counts, strict=True)
    ]


def shown_shares(
    principal: Principal,
    region: object,
    organisations: Sequence[object],
    counts: Sequence[object],
    shares: Sequence[str],
) -> list[str]:
    """Shares already written as text, with the share of a hidden count hidden too ("33%" of
    "< 5" gives the count away)."""
    return [
        HIDDEN_SHARE if _hidden(principal, region, o, c) else share
        for o, c, share in zip(organisations, counts, shares, strict=True)
    ]


def shown_count(
    principal: Principal, region: object, organisation: object, count: object
) -> object:
    """One family count as the principal may see it: the count, or "< 5" for a small count it
    may not see (:func:`hides_small_counts`).

    >>> p = Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))
    >>> shown_count(p, "Zuid", "Anker", 3), shown_count(p, "Zuid", "Anker", 7)
    ('< 5', 7)
    >>> shown_count(p, "Zuid", "Blijf", 3), shown_count(LOCAL, "Zuid", "Anker", 3)
    (3, 3)
    """
    if _hidden(principal, region, organisation, count):
        return mask_small_counts(count)
    return count


def shown_share_value(
    principal: Principal,
    region: object,
    organisation: object,
    share: float | None,
    families: object,
) -> float | None:
    """A share (0 to 1) of ``families`` for a chart: None when it is unknown, or when the
    principal may not see the count it is a share of ("2 of 3" is a bar of 67%).

    >>> p = Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))
    >>> shown_share_value(p, "Zuid", "Anker", 2 / 3, 3), shown_share_value(p, "Zuid", "A", 0.5, 8)
    (None, 0.5)
    >>> round(shown_share_value(p, "Zuid", "Blijf", 2 / 3, 3), 2)
    0.67
    """
    if hides_small_counts(principal, region, organisation):
        return hide_small_share(share, families)
    return float(share) if _known(share) else None


def shown_flows(
    principal: Principal, region: object, diagram: FlowDiagram
) -> tuple[FlowDiagram, int]:
    """A flow diagram (:func:`analysis.handovers.flow_diagram`) without the flows of fewer than
    5 families the principal may not see (a band's width is its count), and how many were
    left out. Shelters and partner types without a flow left are dropped; the rest keep their
    order.

    >>> d = FlowDiagram(("Anker", "Blijf"), ("ggz", "politie"),
    ...     (FlowLink(0, 0, 3, 1), FlowLink(0, 1, 6, 5), FlowLink(1, 0, 2, 2)))
    >>> p = Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))
    >>> shown, left_out = shown_flows(p, "Zuid", d)
    >>> shown.organisations, [(k.source, k.target, k.families) for k in shown.links], left_out
    (('Anker', 'Blijf'), [(0, 1, 6), (1, 0, 2)], 1)
    """
    kept = [
        link
        for link in diagram.links
        if not _hidden(principal, region, diagram.organisations[link.source], link.families)
    ]
    sources = sorted({link.source for link in kept})
    targets = sorted({link.target for link in kept})
    shown = FlowDiagram(
        tuple(diagram.organisations[i] for i in sources),
        tuple(diagram.partner_types[i] for i in targets),
        tuple(
            FlowLink(sources.index(k.source), targets.index(k.target), k.families, k.warm)
            for k in kept
        ),
    )
    return shown, len(diagram.links) - len(kept)


#: The shares of :func:`analysis.handovers.after_departure_trend`, each with the count it is a
#: share of; and every count of that trend.
_TREND_SHARES = {
    "aftercare_share": "aftercare_families",
    "regisseur_new_share": "moved",
    "signalling_share": "signalling_families",
}
_TREND_COUNTS = (
    "families",
    "aftercare_families",
    "aftercare",
    "moved",
    "regisseur_new",
    "signalling_families",
    "signalling",
)


def shown_trend(principal: Principal, region: object, trend: pd.DataFrame) -> pd.DataFrame:
    """The after-departure trend (:func:`analysis.handovers.after_departure_trend`) as the
    principal may see it: of a shelter whose small counts it may not see, counts below 5 as
    "< 5" and a share of fewer than 5 families as "verborgen"; a share of 5 or more families
    stays, as everywhere.

    >>> trend = pd.DataFrame([{"organisation": "Anker", "period": "2026-Q1", "families": 8,
    ...     "aftercare_families": 8, "aftercare": 3, "aftercare_share": 0.375, "moved": 2,
    ...     "regisseur_new": 1, "regisseur_new_share": 0.5, "signalling_families": None,
    ...     "signalling": None, "signalling_share": None}], dtype=object)
    >>> p = Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))
    >>> row = shown_trend(p, "Zuid", trend).iloc[0]
    >>> row["aftercare"], row["aftercare_share"], row["moved"], row["regisseur_new_share"]
    ('< 5', 0.375, '< 5', 'verborgen')
    >>> shown_trend(LOCAL, "Zuid", trend).iloc[0]["moved"]
    2
    """
    shown = trend.astype(object).copy()
    for index, row in trend.iterrows():
        if not hides_small_counts(principal, region, row["organisation"]):
            continue
        for share, base in _TREND_SHARES.items():
            if _known(row[share]) and is_small_count(row[base]):
                shown.at[index, share] = HIDDEN_SHARE
        for column in _TREND_COUNTS:
            if is_small_count(row[column]):
                shown.at[index, column] = mask_small_counts(row[column])
    return shown


def shown_ranking(principal: Principal, region: object, ranked: pd.DataFrame) -> pd.DataFrame:
    """The shelters ranked by warm share (:func:`analysis.meeting.rank_shelters`) as the
    principal may see them, with a column ``ranked``.

    Of a shelter whose small counts the principal may not see: counts below 5 as "< 5", a
    phase's share of fewer than 5 families and then its weakest phase as "verborgen" (naming
    it would say that share is the lowest), and with fewer than 5 families in all, its overall
    share "verborgen" and the shelter not ranked: it moves below the ranked ones (by name),
    since a place between two known shares would narrow its share down.

    >>> ranked = pd.DataFrame([
    ...     {"organisation": "Anker", "families": 3, "instroom": 0.5, "doorstroom": None,
    ...      "uitstroom": 1.0, "overall": 2 / 3, "weakest_phase": "instroom",
    ...      "families_instroom": 2, "families_doorstroom": 0, "families_uitstroom": 1},
    ...     {"organisation": "Blijf", "families": 9, "instroom": 0.8, "doorstroom": None,
    ...      "uitstroom": 0.75, "overall": 7 / 9, "weakest_phase": "uitstroom",
    ...      "families_instroom": 5, "families_doorstroom": 0, "families_uitstroom": 4}])
    >>> p = Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))
    >>> shown = shown_ranking(p, "Zuid", ranked)
    >>> shown[["organisation", "families", "overall", "ranked"]].values.tolist()[1]
    ['Anker', '< 5', 'verborgen', False]
    >>> shown.iloc[1][["instroom", "uitstroom", "weakest_phase"]].tolist()
    ['verborgen', 'verborgen', 'verborgen']
    >>> shown.iloc[0]["families"], shown_ranking(LOCAL, "Zuid", ranked)["ranked"].tolist()
    (9, [True, True])
    """
    shown = ranked.astype(object).copy()
    shown["ranked"] = True
    for index, row in ranked.iterrows():
        if not hides_small_counts(principal, region, row["organisation"]):
            continue
        for phase in PHASES:
            share, base = row.get(phase), row.get(f"families_{phase}")
            if _known(share) and is_small_count(base):
                shown.at[index, phase] = HIDDEN_SHARE
                shown.at[index, "weakest_phase"] = HIDDEN_SHARE
            if is_small_count(base):
                shown.at[index, f"families_{phase}"] = mask_small_counts(base)
        if is_small_count(row["families"]):
            shown.at[index, "families"] = mask_small_counts(row["families"])
            shown.at[index, "overall"] = HIDDEN_SHARE
            shown.at[index, "ranked"] = False
    order = sorted(
        range(len(shown)),
        key=lambda i: (
            not shown["ranked"].iloc[i],
            i if shown["ranked"].iloc[i] else 0,
            codes.normalize_name(str(shown["organisation"].iloc[i])),
        ),
    )
    return shown.iloc[order].reset_index(drop=True)


def shown_report(principal: Principal, report: Mapping[str, Any]) -> dict[str, Any]:
    """The region report (``ketenkaart.report/1``) as the principal may see it, with the same
    keys: a handover gap of fewer than 5 families of a shelter whose small counts it may not
    see has ``"families": "< 5"``, and its ``warm_share`` and ``reason`` (which state the
    counts) ``"verborgen"``, as the Overdracht page shows them. Nothing else in the report is
    a count of one shelter's families. The command line (a ``beheerder``) gets the report as
    it is.

    >>> report = {"region": "Zuid", "handover_gaps": [
    ...     {"organisation": "Anker", "families": 3, "warm_share": 1 / 3, "reason": "1 van 3"},
    ...     {"organisation": "Blijf", "families": 3, "warm_share": 1 / 3, "reason": "1 van 3"}]}
    >>> p = Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))
    >>> gaps = shown_report(p, report)["handover_gaps"]
    >>> [(g["families"], g["warm_share"], g["reason"]) for g in gaps]
    [('< 5', 'verborgen', 'verborgen'), (3, 0.3333333333333333, '1 van 3')]
    >>> shown_report(LOCAL, report) == report
    True
    """
    shown = copy.deepcopy(dict(report))
    region = shown.get("region")
    for gap in shown.get("handover_gaps", ()):
        if _hidden(principal, region, gap["organisation"], gap["families"]):
            gap["families"] = mask_small_counts(gap["families"])
            gap["warm_share"] = HIDDEN_SHARE
            gap["reason"] = HIDDEN_SHARE
    return shown


def _families_at(
    handovers: pd.DataFrame | None,
) -> Callable[[object, str, str | None], int | None]:
    """A lookup (shelter, phase, period) -> families of one state's handovers, by the rule of
    the shares in the changes document (:func:`analysis.handovers.handover_shares`)."""
    cache: dict[str, dict[tuple[str, str], int]] = {}

    def families(organisation: object, phase: str, period: str | None) -> int | None:
        if period is None or handovers is None or len(handovers) == 0:
            return None
        if period not in cache:
            shares = handover_shares(handovers, period)
            cache[period] = {
                (_key(o), str(p)): int(f)
                for o, p, f in zip(
                    shares["organisation"], shares["phase"], shares["families"], strict=True
                )
            }
        return cache[period].get((_key(organisation), phase))

    return families


def shown_changes(
    principal: Principal,
    document: Mapping[str, Any],
    *,
    before: pd.DataFrame | None,
    after: pd.DataFrame | None,
) -> dict[str, Any]:
    """The changes document (``ketenkaart.changes/1``) as the principal may see it, with the
    same keys: of a shelter whose small counts it may not see, a warm share of fewer than 5
    families (at that moment) is ``"verborgen"``, as on the Overdracht page. The document
    states no family counts itself, so ``before`` and ``after`` are the handover frames of the
    two states compared (what each share is of). Nothing else in it is a count of one shelter's
    families (norm findings are about agreements; stagnation is summed over the respondents).
    The command line (a ``beheerder``) gets the document as it is.

    >>> old = pd.DataFrame([{"organisation": "Anker", "period": "2026-Q2", "phase": "uitstroom",
    ...     "partner_type": "ggz", "families": 3, "warm": 1}])
    >>> new = pd.DataFrame([{"organisation": "Anker", "period": "2026-Q3", "phase": "uitstroom",
    ...     "partner_type": "ggz", "families": 6, "warm": 3}])
    >>> document = {"region": "Zuid", "handovers": [{"organisation": "Anker",
    ...     "phase": "uitstroom", "period_before": "2026-Q2", "period_after": "2026-Q3",
    ...     "warm_share_before": 1 / 3, "warm_share_after": 0.5}]}
    >>> p = Principal("o", (Grant("opvang", ("Zuid",), "Blijf"),))
    >>> entry = shown_changes(p, document, before=old, after=new)["handovers"][0]
    >>> entry["warm_share_before"], entry["warm_share_after"]
    ('verborgen', 0.5)
    >>> shown_changes(LOCAL, document, before=old, after=new) == document
    True
    """
    shown = copy.deepcopy(dict(document))
    region = shown.get("region")
    entries = shown.get("handovers", ())
    if not any(hides_small_counts(principal, region, e["organisation"]) for e in entries):
        return shown
    at = {"before": _families_at(before), "after": _families_at(after)}
    for entry in entries:
        if not hides_small_counts(principal, region, entry["organisation"]):
            continue
        for side, families in at.items():
            share = entry[f"warm_share_{side}"]
            if not _known(share):
                continue
            count = families(entry["organisation"], entry["phase"], entry[f"period_{side}"])
            if count is None or is_small_count(count):  # unknown: hide rather than guess
                entry[f"warm_share_{side}"] = HIDDEN_SHARE
    return shown


def undoable_imports(
    con: duckdb.DuckDBPyConnection, principal: Principal, import_ids: Sequence[int]
) -> frozenset[int]:
    """The imports of ``import_ids`` the principal may undo (:func:`import_scope_allowed`), so
    a page offers undo only where it is allowed; :func:`ketendata.importers.undo_import`
    checks again."""
    return frozenset(
        import_id
        for import_id in import_ids
        if import_scope_allowed(
            principal, [(r, o) for _, r, o in audit.import_scope(con, int(import_id))]
        )
    )


# --- Users ------------------------------------------------------------------------------------


def _require_beheerder(principal: Principal) -> None:
    if not principal.may_manage_users:
        raise AccessDenied("Alleen een beheerder mag gebruikers en rollen wijzigen.")


def _region_ids(con: duckdb.DuckDBPyConnection, regions: Sequence[str]) -> list[int]:
    known = queries.list_regions(con)
    ids: list[int] = []
    for region in regions:
        row = queries.find_region_row(con, region)
        if row is None:
            guess = suggest(region, known)
            if guess is not None:
                hint = f"bedoelt u '{guess}'?"
            elif known:
                hint = "bekende regio's: " + ", ".join(f"'{r}'" for r in known[:5])
            else:
                hint = "er zijn nog geen regio's"
            raise UserError(f"Onbekende regio '{region}'; {hint}")
        ids.append(row[0])
    return ids


def _check_role(role: str, regions: Sequence[str], organisation: str | None) -> None:
    if role not in ROLES:
        raise UserError(f"Onbekende rol '{role}'; kies uit {', '.join(ROLES)}.")
    if role == "beheerder" and (regions or organisation):
        raise UserError("De rol beheerder geldt voor alles: geef geen regio of organisatie op.")
    if role in ("gemeente", "lezer"):
        if not regions:
            raise UserError(f"De rol {role} heeft minstens één regio nodig (--region).")
        if organisation:
            raise UserError(f"De rol {role} heeft geen organisatie (laat --organisation weg).")
    if role == "opvang":
        if len(regions) != 1:
            raise UserError("De rol opvang heeft precies één regio nodig (--region).")
        if not organisation or not organisation.strip():
            raise UserError("De rol opvang heeft een organisatie nodig (--organisation).")


def _email(email: str) -> str:
    email = email.strip().lower()
    if email.count("@") != 1 or email.startswith("@") or email.endswith("@") or " " in email:
        raise UserError(f"'{email}' is geen e-mailadres.")
    return email


def add_user(
    con: duckdb.DuckDBPyConnection,
    email: str,
    role: str,
    regions: Sequence[str] = (),
    organisation: str | None = None,
    *,
    principal: Principal,
    now: datetime | None = None,
) -> str:
    """Give a user a role (replacing the scope of a role the user already holds); returns a
    Dutch line. Raises :class:`AccessDenied` or :class:`UserError` (nothing stored)."""
    _require_beheerder(principal)
    email = _email(email)
    _check_role(role, regions, organisation)
    now = now or datetime.now()
    with store.transaction(con):
        region_ids = _region_ids(con, regions)
        organisation = organisation.strip() if organisation else None
        users.append_event(
            con, email, "add", role, region_ids, organisation, by=principal.user, now=now
        )
        audit.record(con, principal.user, "user_add", email, region_ids or [None], now=now)
    scope = f" voor {', '.join(regions)}" if regions else ""
    own = f" ({organisation})" if organisation else ""
    return f"{email} heeft nu de rol {role}{own}{scope}."


def remove_user(
    con: duckdb.DuckDBPyConnection,
    email: str,
    role: str | None = None,
    *,
    principal: Principal,
    now: datetime | None = None,
) -> str:
    """End one role (or every role) of a user; the history stays. Returns a Dutch line.
    Raises :class:`AccessDenied` or :class:`UserError` (nothing stored)."""
    _require_beheerder(principal)
    email = _email(email)
    if role is not None and role not in ROLES:
        raise UserError(f"Onbekende rol '{role}'; kies uit {', '.join(ROLES)}.")
    now = now or datetime.now()
    with store.transaction(con):
        current = [r for r in users.current_roles(con, email) if role in (None, r["role"])]
        if not current:
            what = f"heeft de rol {role} niet" if role else "heeft geen rol"
            raise UserError(f"{email} {what}.")
        for found in current:
            users.append_event(
                con,
                email,
                "remove",
                found["role"],
                found["region_ids"],
                found["organisation"],
                by=principal.user,
                now=now,
            )
            audit.record(
                con, principal.user, "user_remove", email, found["region_ids"] or [None], now=now
            )
    ended = ", ".join(r["role"] for r in current)
    return f"{email} heeft de rol {ended} niet meer."


def list_users(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """One entry per current role, sorted by email and role (access.md: ``email``, ``role``,
    ``regions``, ``organisation``)."""
    return [
        {
            "email": r["email"],
            "role": r["role"],
            "regions": r["regions"],
            "organisation": r["organisation"],
        }
        for r in users.current_roles(con)
    ]


def audit_log(
    con: duckdb.DuckDBPyConnection, principal: Principal, region: str | None = None
) -> list[dict[str, str | None]]:
    """The audit log the principal may see, oldest first (a ``beheerder`` all of it, a
    ``gemeente`` its regions' entries), of one region when ``region`` is given.

    Raises:
        AccessDenied: the principal may not see the log or this region's part of it.
        UserError: an unknown region.
    """
    allowed = principal.audit_regions()
    if allowed is not None and not allowed:
        raise AccessDenied("Alleen een beheerder of gemeente mag het logboek inzien.")
    if region is not None:
        if allowed is not None and not any(_key(region) == _key(r) for r in allowed):
            raise AccessDenied(f"U mag het logboek van '{region}' niet inzien.")
        wanted: list[int] | None = _region_ids(con, [region])
    elif allowed is None:
        wanted = None
    else:
        wanted = _region_ids(con, allowed)
    return audit.entries(con, wanted)
