"""The network of a region: who has a current agreement with whom.

Every organisation named in the region's current inventories (as holder or as partner) is a
node; an edge joins the holder of a current agreement to each of its partners. Names are the
same organisation when they are equal after :func:`analysis.codes.normalize_name`; the first
spelling met is kept for display. The module also holds the small row helpers the other
analysis modules share (dates, "is this agreement current", name sorting).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from analysis.codes import SHELTER_TYPES, normalize_name

__all__ = [
    "BETWEENNESS_SAMPLE",
    "CLUSTER_CONNECTIONS",
    "CLUSTER_ORGANISATIONS",
    "SECTORS",
    "STATUS_STRENGTH",
    "Cluster",
    "ClusterLink",
    "NetworkClusters",
    "NetworkCounts",
    "NetworkMeasures",
    "agreement_key",
    "as_codes",
    "as_date",
    "as_int",
    "build_network",
    "clean_value",
    "cluster_network",
    "column_values",
    "current_flags",
    "display_names",
    "display_positions",
    "holder_types",
    "holder_types_of",
    "is_current",
    "is_large_network",
    "layout_network",
    "measure_network",
    "most_frequent",
    "name_sort_key",
    "network_counts",
    "normalized",
    "records",
    "sector_angle",
    "sector_layout",
    "sector_of",
    "sector_point",
    "select_agreements",
    "shelter_keys",
    "sort_names",
]

#: Status codes from weakest to strongest (``beeindigd`` never makes an edge).
STATUS_STRENGTH: dict[str, int] = {"in_ontwikkeling": 1, "mondeling": 2, "schriftelijk": 3}


# --- Row helpers shared by the analysis modules ---------------------------------------------


def clean_value(value: Any) -> Any:
    """Turn pandas' missing markers (NaN, NaT, NA) into ``None``; keep everything else.

    >>> clean_value(float("nan")) is None
    True
    >>> clean_value("x")
    'x'
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def as_date(value: Any) -> date | None:
    """A ``datetime.date`` from a date, a timestamp or an ISO string; ``None`` when empty.

    >>> as_date(pd.Timestamp("2026-03-01"))
    datetime.date(2026, 3, 1)
    >>> as_date(None) is None
    True
    """
    value = clean_value(value)
    if value is None:
        return None
    if isinstance(value, datetime):  # also pd.Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_int(value: Any) -> int | None:
    """A plain ``int`` (not a numpy number) or ``None`` when empty.

    >>> as_int(3.0), as_int(None)
    (3, None)
    """
    value = clean_value(value)
    return None if value is None else int(value)


def as_codes(value: Any) -> tuple[str, ...]:
    """The agreement types of a row as a tuple of codes (accepts a tuple, list, array or text).

    >>> as_codes(["meldcode", "vervoer"])
    ('meldcode', 'vervoer')
    >>> as_codes("meldcode;vervoer")
    ('meldcode', 'vervoer')
    """
    if isinstance(value, str):
        return tuple(part.strip() for part in value.replace("|", ";").split(";") if part.strip())
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    return tuple(str(code) for code in value)


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The rows of a frame as dicts with missing markers turned into ``None``.

    Built column by column (``tolist`` gives plain Python values), which is several times faster
    than ``to_dict("records")`` for the national database's large regions.

    >>> records(pd.DataFrame({"a": [1, None], "b": ["x", float("nan")]}))
    [{'a': 1.0, 'b': 'x'}, {'a': None, 'b': None}]
    """
    if frame is None or len(frame) == 0:
        return []
    keys = list(frame.columns)
    columns = [_clean_column(frame.iloc[:, position]) for position in range(len(keys))]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def _clean_column(series: pd.Series) -> list[Any]:
    """The values of a column with :func:`clean_value` applied where pandas sees a missing
    value (every value ``clean_value`` changes is one; the others pass unchanged)."""
    values = series.tolist()  # plain Python values (Timestamps stay Timestamps)
    for position in np.flatnonzero(pd.isna(series.to_numpy())).tolist():
        values[position] = clean_value(values[position])
    return values


def column_values(frame: pd.DataFrame | None, name: str) -> list[Any]:
    """One column as plain Python values, missing markers turned into ``None`` (as in
    :func:`records`); a column the frame lacks is all ``None``, as ``row.get`` would give.

    For the fast paths that need a few columns of a large frame, not whole rows.

    >>> frame = pd.DataFrame({"a": [1.5, None]})
    >>> column_values(frame, "a"), column_values(frame, "b")
    ([1.5, None], [None, None])
    """
    if frame is None or len(frame) == 0:
        return []
    if name not in frame.columns:
        return [None] * len(frame)
    return _clean_column(frame[name])


def normalized(values: Iterable[Any]) -> list[str]:
    """:func:`analysis.codes.normalize_name` of every value, each distinct value folded once.

    >>> normalized(["Opvang  A", "opvang a", "Opvang  A"])
    ['opvang a', 'opvang a', 'opvang a']
    """
    values = list(values)
    folded = {value: normalize_name(value) for value in set(values)}
    return [folded[value] for value in values]


def is_current(row: Mapping[str, Any], today: date) -> bool:
    """Whether an agreement row is current: not ``beeindigd`` and no ``einddatum`` in the past.

    An end date of today is not in the past, so the agreement still counts today.

    >>> is_current({"status": "schriftelijk", "end_date": date(2026, 1, 1)}, date(2026, 1, 1))
    True
    >>> is_current({"status": "schriftelijk", "end_date": date(2025, 12, 31)}, date(2026, 1, 1))
    False
    >>> is_current({"status": "beeindigd", "end_date": None}, date(2026, 1, 1))
    False
    """
    if row.get("status") == "beeindigd":
        return False
    end = as_date(row.get("end_date"))
    return end is None or end >= today


def name_sort_key(name: str) -> tuple[str, str]:
    """Sort key for names: alphabetical ignoring case and spacing, the spelling as tie-break.

    >>> sorted(["b", "A", "a"], key=name_sort_key)
    ['A', 'a', 'b']
    """
    return (normalize_name(name), name)


def sort_names(names: Iterable[str]) -> list[str]:
    """Names sorted alphabetically (see :func:`name_sort_key`)."""
    return sorted(names, key=name_sort_key)


def most_frequent(values: Iterable[str]) -> str | None:
    """The most frequent value; ties go to the alphabetically first. ``None`` when empty.

    >>> most_frequent(["ggz", "wijkteam", "ggz"])
    'ggz'
    >>> most_frequent(["wijkteam", "ggz"])
    'ggz'
    """
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def agreement_key(row: Mapping[str, Any], position: int) -> tuple[str, ...]:
    """The identity of the agreement a row belongs to.

    ``afspraak_id`` is scoped to its holder; a row without one is an agreement of its own.
    """
    holder = normalize_name(row["organisation"])
    agreement_id = clean_value(row.get("agreement_id"))
    if agreement_id is None or str(agreement_id).strip() == "":
        return (holder, "#row", str(position))
    return (holder, "#id", str(agreement_id).strip())


def display_names(rows: Iterable[Mapping[str, Any]], columns: Iterable[str]) -> dict[str, str]:
    """Map each normalised name to its first spelling, reading ``columns`` row by row."""
    columns = tuple(columns)
    names: dict[str, str] = {}
    for row in rows:
        for column in columns:
            value = row.get(column)
            if value is None:
                continue
            names.setdefault(normalize_name(value), " ".join(str(value).split()))
    return names


def holder_types(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The organisation type of each holder (by normalised name), the most frequent one given."""
    given: dict[str, list[str]] = {}
    for row in rows:
        given.setdefault(normalize_name(row["organisation"]), []).append(
            row.get("organisation_type") or "vrouwenopvang"
        )
    return {key: most_frequent(types) or "vrouwenopvang" for key, types in given.items()}


def shelter_keys(rows: Iterable[Mapping[str, Any]]) -> set[str]:
    """Normalised names of the region's shelters: holders whose type is a shelter type."""
    return {key for key, kind in holder_types(rows).items() if kind in SHELTER_TYPES}


def select_agreements(agreements: pd.DataFrame, organisation: str) -> pd.DataFrame:
    """The agreement rows an organisation takes part in, as holder or as partner, in the
    frame's order; names are the same organisation when equal after ``normalize_name``.

    >>> frame = pd.DataFrame({"organisation": ["Opvang A", "GGZ", "Opvang B"],
    ...                       "partner": ["Politie", "opvang  a", "Politie"]})
    >>> select_agreements(frame, "Opvang A")["partner"].tolist()
    ['Politie', 'opvang  a']
    """
    if agreements is None or len(agreements) == 0:
        return agreements
    key = normalize_name(organisation)
    mine = [
        holder == key or partner == key
        for holder, partner in zip(
            normalized(column_values(agreements, "organisation")),
            normalized(column_values(agreements, "partner")),
            strict=True,
        )
    ]
    return agreements[mine]


# --- The network --------------------------------------------------------------------------


def build_network(agreements: pd.DataFrame, today: date) -> nx.Graph:
    """Build the region's network from its ``agreements`` frame.

    Nodes are display names with attributes ``partner_type``, ``is_shelter``, ``is_holder``,
    ``agreements`` (number of current agreements it takes part in) and ``agreement_types``.
    Edges carry ``agreement_types``, ``levels`` (the ``niveau`` values of the current
    agreements), ``status`` (strongest: schriftelijk > mondeling >
    in_ontwikkeling), ``child_specific`` (any agreement covers children), ``last_evaluated``
    (latest ``evaluated_on`` or None) and ``agreements``. The graph itself carries
    ``agreements`` (number of current agreements) and ``shelter_partner_types`` (partner types of
    current agreements held by shelters).

    >>> frame = pd.DataFrame([
    ...     {"organisation": "Opvang A", "organisation_type": "vrouwenopvang",
    ...      "partner": "Veilig Thuis", "partner_type": "veilig_thuis",
    ...      "agreement_types": ("meldcode",), "status": "schriftelijk", "end_date": None},
    ...     {"organisation": "Opvang A", "organisation_type": "vrouwenopvang",
    ...      "partner": "School", "partner_type": "onderwijs",
    ...      "agreement_types": ("onderwijs",), "status": "beeindigd", "end_date": None},
    ... ])
    >>> graph = build_network(frame, date(2026, 1, 1))
    >>> sorted(graph.nodes), list(graph.edges)
    (['Opvang A', 'School', 'Veilig Thuis'], [('Opvang A', 'Veilig Thuis')])
    """
    # Column by column, each distinct name folded once: a large region is built in linear time
    # with a small constant (no row dicts, no name normalised twice).
    organisations = column_values(agreements, "organisation")
    partners = column_values(agreements, "partner")
    holder_keys = normalized(organisations)
    partner_keys = normalized(partners)
    row_partner_types = column_values(agreements, "partner_type")
    names: dict[str, str] = {}
    for holder, holder_name, partner, partner_name in zip(
        holder_keys, organisations, partner_keys, partners, strict=True
    ):
        names.setdefault(holder, " ".join(str(holder_name).split()))
        names.setdefault(partner, " ".join(str(partner_name).split()))
    holders = holder_types_of(holder_keys, column_values(agreements, "organisation_type"))
    partner_types: dict[str, list[str]] = {}
    for key, partner_type in zip(partner_keys, row_partner_types, strict=True):
        partner_types.setdefault(key, []).append(partner_type)

    graph = nx.Graph()
    for key in sorted(names):
        kind = holders.get(key) or most_frequent(partner_types.get(key, [])) or "overig"
        graph.add_node(
            names[key],
            key=key,
            partner_type=kind,
            is_shelter=kind in SHELTER_TYPES,
            is_holder=key in holders,
            agreements=0,
            agreement_types=(),
        )

    shelters = {key for key, kind in holders.items() if kind in SHELTER_TYPES}
    node_agreements: dict[str, set[tuple[str, ...]]] = {}
    node_types: dict[str, set[str]] = {}
    edge_data: dict[tuple[str, str], dict[str, Any]] = {}
    current_agreements: set[tuple[str, ...]] = set()
    shelter_partner_types: set[str] = set()
    columns = zip(
        current_flags(
            column_values(agreements, "status"), column_values(agreements, "end_date"), today
        ),
        holder_keys,
        partner_keys,
        row_partner_types,
        column_values(agreements, "agreement_id"),
        column_values(agreements, "agreement_types"),
        column_values(agreements, "status"),
        column_values(agreements, "child_specific"),
        column_values(agreements, "evaluated_on"),
        column_values(agreements, "level")
        if agreements is not None and "level" in agreements
        else [None] * len(holder_keys),
        strict=True,
    )
    for position, (
        is_now,
        holder,
        partner,
        partner_type,
        agreement_id,
        agreement_types,
        status,
        child_specific,
        evaluated_on,
        level,
    ) in enumerate(columns):
        if not is_now:
            continue
        text = "" if agreement_id is None else str(agreement_id).strip()
        ident = (holder, "#row", str(position)) if text == "" else (holder, "#id", text)
        current_agreements.add(ident)
        types = set(as_codes(agreement_types))
        if holder in shelters and partner_type:
            shelter_partner_types.add(partner_type)
        for key in (holder, partner):
            node_agreements.setdefault(key, set()).add(ident)
            node_types.setdefault(key, set()).update(types)
        if holder == partner:
            continue
        pair = (holder, partner) if holder < partner else (partner, holder)
        data = edge_data.get(pair)
        if data is None:
            data = edge_data[pair] = {
                "agreement_types": set(),
                "status": None,
                "child_specific": False,
                "last_evaluated": None,
                "agreements": set(),
                "levels": set(),
            }
        data["agreement_types"].update(types)
        if data["status"] is None or STATUS_STRENGTH.get(status, 0) > STATUS_STRENGTH.get(
            data["status"], 0
        ):
            data["status"] = status
        data["child_specific"] = data["child_specific"] or bool(child_specific)
        evaluated = as_date(evaluated_on)
        if evaluated is not None and (
            data["last_evaluated"] is None or evaluated > data["last_evaluated"]
        ):
            data["last_evaluated"] = evaluated
        data["agreements"].add(ident)
        if level:
            data["levels"].add(str(level))

    for key, idents in node_agreements.items():
        graph.nodes[names[key]]["agreements"] = len(idents)
        graph.nodes[names[key]]["agreement_types"] = tuple(sorted(node_types[key]))
    for (first, second), data in sorted(edge_data.items()):
        graph.add_edge(
            names[first],
            names[second],
            agreement_types=tuple(sorted(data["agreement_types"])),
            status=data["status"],
            child_specific=data["child_specific"],
            last_evaluated=data["last_evaluated"],
            agreements=len(data["agreements"]),
            levels=tuple(sorted(data["levels"])),
        )
    graph.graph["agreements"] = len(current_agreements)
    graph.graph["shelter_partner_types"] = tuple(sorted(shelter_partner_types))
    return graph


@dataclass(frozen=True)
class NetworkMeasures:
    """The measures of a region's network (see the JSON report, section ``network``).

    Attributes:
        organisations: number of nodes.
        agreements: number of current agreements (one ``afspraak_id`` per holder is one).
        density: edges / (n·(n−1)/2); 0 for fewer than two organisations.
        isolated: organisations without any current agreement, sorted.
        cut_vertices: organisations whose removal splits the network, sorted.
        degree: number of partners per organisation.
        betweenness: normalised betweenness centrality per organisation.
        partner_types_present: partner types of current agreements held by shelters.
        partner_types_missing: partner types the matrix requires that no shelter has any current
            agreement with.
    """

    organisations: int
    agreements: int
    density: float
    isolated: tuple[str, ...]
    cut_vertices: tuple[str, ...]
    degree: Mapping[str, int]
    betweenness: Mapping[str, float]
    partner_types_present: tuple[str, ...]
    partner_types_missing: tuple[str, ...]


class _LazyBetweenness(Mapping[str, float]):
    """Normalised betweenness centrality per organisation, computed on first use.

    It costs O(nodes × edges); the report and the comparison never read it, so they do not pay.
    Above :data:`CLUSTER_ORGANISATIONS` it is estimated from :data:`BETWEENNESS_SAMPLE` source
    organisations drawn with a fixed seed (the same estimate every time), O(sample × edges).
    """

    def __init__(self, graph: nx.Graph) -> None:
        self._graph: nx.Graph | None = graph
        self._values: dict[str, float] | None = None

    def _computed(self) -> dict[str, float]:
        if self._values is None:
            graph = self._graph
            n = graph.number_of_nodes()
            if n > CLUSTER_ORGANISATIONS:
                centrality = nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLE, seed=7)
            else:
                centrality = nx.betweenness_centrality(graph)
            self._values = {node: float(centrality[node]) for node in sort_names(graph.nodes)}
            self._graph = None
        return self._values

    def __getitem__(self, node: str) -> float:
        return self._computed()[node]

    def __iter__(self):
        return iter(self._computed())

    def __len__(self) -> int:
        return len(self._computed())

    def __repr__(self) -> str:
        return repr(self._computed())


def measure_network(graph: nx.Graph, matrix: pd.DataFrame | None = None) -> NetworkMeasures:
    """Compute the measures of a graph made by :func:`build_network`.

    ``matrix`` (the norm matrix frame) decides which partner types are required; without it
    nothing is reported missing.

    >>> graph = nx.Graph([("A", "B"), ("B", "C")])
    >>> graph.add_node("D")
    >>> m = measure_network(graph)
    >>> m.organisations, m.density, m.isolated, m.cut_vertices
    (4, 0.3333333333333333, ('D',), ('B',))
    """
    n = graph.number_of_nodes()
    density = graph.number_of_edges() / (n * (n - 1) / 2) if n >= 2 else 0.0
    present = tuple(sorted(graph.graph.get("shelter_partner_types", ())))
    required: set[str] = set()
    if matrix is not None and len(matrix):
        required = {str(code) for code in matrix["partner_type"] if str(code) != "*"}
    missing = tuple(sorted(required - set(present)))
    return NetworkMeasures(
        organisations=n,
        agreements=int(graph.graph.get("agreements", graph.number_of_edges())),
        density=float(density),
        isolated=tuple(sort_names(node for node in graph.nodes if graph.degree(node) == 0)),
        cut_vertices=tuple(sort_names(nx.articulation_points(graph))),
        degree={node: int(graph.degree(node)) for node in sort_names(graph.nodes)},
        betweenness=_LazyBetweenness(graph),
        partner_types_present=present,
        partner_types_missing=missing,
    )


@dataclass(frozen=True)
class NetworkCounts:
    """The figures of a region's network that the comparison of regions needs.

    The same numbers as :func:`build_network` and :func:`measure_network` give (``shelters`` as
    :func:`shelter_keys`), computed from the columns directly, without building the graph.

    Attributes:
        organisations: number of organisations (nodes).
        agreements: number of current agreements.
        shelters: number of shelters (holders whose type is a shelter type).
        partner_types_present: partner types of current agreements held by shelters.
        partner_types_missing: partner types the matrix requires that no shelter has any current
            agreement with.
    """

    organisations: int
    agreements: int
    shelters: int
    partner_types_present: tuple[str, ...]
    partner_types_missing: tuple[str, ...]


def current_flags(statuses: Iterable[Any], end_dates: Iterable[Any], today: date) -> list[bool]:
    """:func:`is_current` for whole columns (status, ``end_date``) at once.

    >>> current_flags(["schriftelijk", "beeindigd", "mondeling"],
    ...               [None, None, date(2025, 1, 1)], date(2026, 1, 1))
    [True, False, False]
    """
    ends: dict[Any, date | None] = {}
    flags = []
    for status, end in zip(statuses, end_dates, strict=True):
        if status == "beeindigd":
            flags.append(False)
            continue
        if end is None:
            flags.append(True)
            continue
        try:
            day = ends[end]
        except (KeyError, TypeError):  # TypeError: an unhashable value, read it every time
            day = as_date(end)
            if isinstance(end, date | str):
                ends[end] = day
        flags.append(day is None or day >= today)
    return flags


def holder_types_of(holders: list[str], organisation_types: list[Any]) -> dict[str, str]:
    """:func:`holder_types` from the columns: normalised holder names and their types."""
    given: dict[str, list[str]] = {}
    for key, kind in zip(holders, organisation_types, strict=True):
        given.setdefault(key, []).append(kind or "vrouwenopvang")
    return {key: most_frequent(types) or "vrouwenopvang" for key, types in given.items()}


def network_counts(
    agreements: pd.DataFrame, today: date, matrix: pd.DataFrame | None = None
) -> NetworkCounts:
    """The comparison's figures of a region's network, without building the graph.

    The numbers equal those of ``measure_network(build_network(agreements, today), matrix)``
    (and ``len(shelter_keys(records(agreements)))``), at a fraction of the cost for the national
    database's 43 regions.

    >>> frame = pd.DataFrame([
    ...     {"organisation": "Opvang A", "organisation_type": "vrouwenopvang",
    ...      "partner": "Veilig Thuis", "partner_type": "veilig_thuis",
    ...      "agreement_types": ("meldcode",), "status": "schriftelijk", "end_date": None},
    ...     {"organisation": "Opvang A", "organisation_type": "vrouwenopvang",
    ...      "partner": "School", "partner_type": "onderwijs",
    ...      "agreement_types": ("onderwijs",), "status": "beeindigd", "end_date": None},
    ... ])
    >>> network_counts(frame, date(2026, 1, 1))
    NetworkCounts(organisations=3, agreements=1, shelters=1, \
partner_types_present=('veilig_thuis',), partner_types_missing=())
    """
    required: set[str] = set()
    if matrix is not None and len(matrix):
        required = {str(code) for code in matrix["partner_type"] if str(code) != "*"}
    if agreements is None or len(agreements) == 0:
        return NetworkCounts(0, 0, 0, (), tuple(sorted(required)))
    organisation = column_values(agreements, "organisation")
    partner = column_values(agreements, "partner")
    holders = normalized(organisation)
    names = set(normalized(value for value in organisation if value is not None))
    names.update(normalized(value for value in partner if value is not None))
    kinds = holder_types_of(holders, column_values(agreements, "organisation_type"))
    shelters = {key for key, kind in kinds.items() if kind in SHELTER_TYPES}

    current = current_flags(
        column_values(agreements, "status"), column_values(agreements, "end_date"), today
    )
    partner_types = column_values(agreements, "partner_type")
    idents: set[tuple[str, ...]] = set()
    present: set[str] = set()
    for position, (is_now, holder, ident, partner_type) in enumerate(
        zip(current, holders, column_values(agreements, "agreement_id"), partner_types, strict=True)
    ):
        if not is_now:
            continue
        text = "" if ident is None else str(ident).strip()
        idents.add((holder, "#row", str(position)) if text == "" else (holder, "#id", text))
        if partner_type and holder in shelters:
            present.add(partner_type)
    return NetworkCounts(
        organisations=len(names),
        agreements=len(idents),
        shelters=len(shelters),
        partner_types_present=tuple(sorted(present)),
        partner_types_missing=tuple(sorted(required - present)),
    )


# --- Size limits ----------------------------------------------------------------------------

#: Above this many organisations a region's map is laid out by partner-type sector and drawn
#: clustered (one node per partner type with its count, the shelters on their own). Up to it
#: the force layout costs about a tenth of a second and the figure stays readable (issue 8:
#: "above a few hundred organisations"); see ``make bench`` (section ``kaart``).
CLUSTER_ORGANISATIONS = 500

#: ... or above this many connections: every connection is a line and a hover point.
CLUSTER_CONNECTIONS = 2_000

#: Above :data:`CLUSTER_ORGANISATIONS` betweenness is estimated from this many source
#: organisations (a seeded sample), so it costs O(sample × connections), not O(n × m).
BETWEENNESS_SAMPLE = 32

#: Rows of the force layout's pairwise step done at once: memory O(block × n), never n × n.
_LAYOUT_BLOCK = 128

#: The partner-type sectors of the sector layout, clockwise from the top in the norm's order:
#: Veilig Thuis and safety first, then youth care, school, the neighbourhood team, housing,
#: income, care, ``overig`` last; the same place in every region. A code outside the list goes
#: to ``overig``.
SECTORS: tuple[str, ...] = (
    # safety first (norm 4.2, 4.3), then youth care, school, the neighbourhood team, housing,
    # income and debts, care, and last the municipality and the rest
    "veilig_thuis",
    "politie",
    "justitie",
    "raad_kinderbescherming",
    "jeugdbescherming",
    "jeugdhulp",
    "jeugd_ggz",
    "jgz",
    "onderwijs",
    "kinderopvang",
    "wijkteam",
    "woningcorporatie",
    "werk_inkomen",
    "schuldhulp",
    "ggz",
    "verslavingszorg",
    "huisarts",
    "gemeente",
    "overig",
)

_SHELTER_RADIUS = 0.3  # the shelters fill the disc in the middle
_SHELTER_RING = 0.24  # a few shelters stand on a circle of this radius
_SHELTER_RING_LIMIT = 6  # up to this many shelters stand on that circle
_INNER_RADIUS = 0.5  # the partners' ring
_OUTER_RADIUS = 1.0
_CLUSTER_RADIUS = 0.75  # where a sector's cluster node stands
_SECTOR_MARGIN = 0.08  # of a sector's width, on each side, left empty between sectors
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def is_large_network(graph: nx.Graph) -> bool:
    """Whether a network is too large to draw organisation by organisation: more than
    :data:`CLUSTER_ORGANISATIONS` organisations or :data:`CLUSTER_CONNECTIONS` connections.

    >>> is_large_network(nx.path_graph(10)), is_large_network(nx.empty_graph(501))
    (False, True)
    """
    return (
        graph.number_of_nodes() > CLUSTER_ORGANISATIONS
        or graph.number_of_edges() > CLUSTER_CONNECTIONS
    )


# --- Layout -------------------------------------------------------------------------------


def layout_network(
    graph: nx.Graph, seed: int = 7, iterations: int = 50
) -> dict[str, tuple[float, float]]:
    """Positions for drawing the network, the same for the same graph every time.

    Up to the size limit (:func:`is_large_network`) a force-directed (Fruchterman-Reingold)
    layout in plain numpy: nodes are sorted before the layout and the random start is seeded,
    so a region's map does not jump between page loads; its pairwise step runs in blocks of
    rows, so memory grows with n, not n². A larger network gets :func:`sector_layout`, which
    costs O(n log n) whatever its size. Positions lie within [-1, 1].

    >>> pos = layout_network(nx.Graph([("A", "B")]))
    >>> sorted(pos), pos == layout_network(nx.Graph([("B", "A")]))
    (['A', 'B'], True)
    """
    if is_large_network(graph):
        return sector_layout(graph)
    nodes = sort_names(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = [(index[a], index[b]) for a, b in graph.edges if a != b]
    first = np.array([a for a, _ in pairs], dtype=np.intp)
    second = np.array([b for _, b in pairs], dtype=np.intp)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    shift = np.empty((n, 2))
    for _ in range(iterations):
        # Repulsion between every pair, k²/d per unit of distance, a block of rows at a time.
        squares = (pos**2).sum(axis=1)
        for start in range(0, n, _LAYOUT_BLOCK):
            stop = min(n, start + _LAYOUT_BLOCK)
            block = pos[start:stop]
            dist2 = block @ pos.T  # one block × n array, worked in place
            dist2 *= -2.0
            dist2 += squares[start:stop, None]
            dist2 += squares[None, :]
            np.clip(dist2, 1e-4, None, out=dist2)
            repulsion = np.divide(k * k, dist2, out=dist2)
            repulsion[np.arange(stop - start), np.arange(start, stop)] = 0.0
            # sum_j (pos_i - pos_j) * f_ij as matrix products
            shift[start:stop] = block * repulsion.sum(axis=1)[:, None] - repulsion @ pos
        # Attraction along each connection, d²/k.
        if len(pairs):
            delta = pos[first] - pos[second]
            dist = np.sqrt(np.clip(np.einsum("ij,ij->i", delta, delta), 1e-4, None))
            pull = delta * (dist / k)[:, None]
            for axis in (0, 1):
                shift[:, axis] -= np.bincount(first, pull[:, axis], minlength=n)
                shift[:, axis] += np.bincount(second, pull[:, axis], minlength=n)
        length = np.sqrt((shift**2).sum(axis=1))
        length = np.where(length < 0.01, 0.1, length)
        pos += shift * (temperature / length)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    extent = float(np.abs(pos).max()) or 1.0
    pos /= extent
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in index.items()}


def sector_of(partner_type: str | None) -> str:
    """The sector a partner type is drawn in: its own, or ``overig`` for a code outside the list.

    >>> sector_of("politie"), sector_of("onbekend"), sector_of(None)
    ('politie', 'overig', 'overig')
    """
    return partner_type if partner_type in SECTORS else "overig"


def sector_angle(partner_type: str | None) -> float:
    """The angle (radians) of the middle of a partner type's sector: the first sector straight
    up, the others clockwise in the order of :data:`SECTORS`.

    >>> round(sector_angle("veilig_thuis"), 4) == round(math.pi / 2, 4)
    True
    """
    return math.pi / 2 - 2 * math.pi * SECTORS.index(sector_of(partner_type)) / len(SECTORS)


def sector_point(partner_type: str | None, radius: float | None = None) -> tuple[float, float]:
    """A point in the middle of a partner type's sector at ``radius`` (by default where its
    cluster node stands): the same place in every region.

    >>> sector_point("veilig_thuis", 1.0)
    (0.0, 1.0)
    """
    radius = _CLUSTER_RADIUS if radius is None else radius
    angle = sector_angle(partner_type)
    return (round(radius * math.cos(angle), 12), round(radius * math.sin(angle), 12))


def sector_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions by meaning: the shelters in the middle, every partner in its partner type's
    fixed sector around them (:data:`SECTORS`, clockwise from the top).

    Within the middle disc and within each sector the organisations are sorted by name and
    spread evenly (a sunflower pattern), so the same data gives the same picture and a new
    partner moves only the partners of its own sector. Costs O(n log n); no pairwise step.

    >>> g = nx.Graph([("Opvang", "VT")])
    >>> g.add_node("Opvang", is_shelter=True, partner_type="vrouwenopvang")
    >>> g.add_node("VT", is_shelter=False, partner_type="veilig_thuis")
    >>> pos = sector_layout(g)
    >>> pos["Opvang"], round(pos["VT"][0], 6), round(pos["VT"][1], 2)
    ((0.0, 0.0), 0.0, 0.79)
    """
    shelters: list[str] = []
    sectors: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("is_shelter"):
            shelters.append(node)
        else:
            sectors.setdefault(sector_of(data.get("partner_type")), []).append(node)
    out: dict[str, tuple[float, float]] = {}
    shelters = sort_names(shelters)
    for i, node in enumerate(shelters):
        if len(shelters) == 1:
            out[node] = (0.0, 0.0)
            continue
        if len(shelters) <= _SHELTER_RING_LIMIT:  # a few: evenly on a circle, room for names
            angle = math.pi / 2 - 2 * math.pi * i / len(shelters)
            ring = _SHELTER_RING + 0.02 * max(0, len(shelters) - 3)  # more names, more room
            out[node] = (ring * math.cos(angle), ring * math.sin(angle))
            continue
        radius = _SHELTER_RADIUS * math.sqrt((i + 0.5) / len(shelters))
        angle = math.pi / 2 + i * _GOLDEN_ANGLE
        out[node] = (radius * math.cos(angle), radius * math.sin(angle))
    width = 2 * math.pi / len(SECTORS) * (1 - 2 * _SECTOR_MARGIN)
    inner, outer = _INNER_RADIUS**2, _OUTER_RADIUS**2
    for code, members in sectors.items():
        middle = sector_angle(code)
        members = sort_names(members)
        for j, node in enumerate(members):
            radius = math.sqrt(inner + (outer - inner) * (j + 0.5) / len(members))
            spread = 0.5 if len(members) == 1 else (j * _GOLDEN) % 1.0
            angle = middle + width * (spread - 0.5)
            out[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return out


def display_positions(
    graph: nx.Graph, positions: Mapping[str, tuple[float, float]] | None = None
) -> dict[str, tuple[float, float]]:
    """Positions for drawing: the sector layout (:func:`sector_layout`) for every region.

    The shelters stand in the middle and every partner in its partner type's fixed sector, so
    the same partner type is in the same place in every region and every meeting, and an
    import that adds one partner moves only its sector. ``positions`` (a force layout) is no
    longer used for drawing; it is accepted so that older callers keep working.

    >>> g = nx.Graph([("Opvang", "VT")])
    >>> g.add_node("Opvang", is_shelter=True, partner_type="vrouwenopvang")
    >>> g.add_node("VT", is_shelter=False, partner_type="veilig_thuis")
    >>> display_positions(g) == sector_layout(g)
    True
    """
    return sector_layout(graph)


# --- Clusters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    """The partners of one partner type, drawn as one node on a large region's map.

    Attributes:
        partner_type: the sector's code (see :func:`sector_of`).
        organisations: how many organisations it stands for.
        isolated: how many of them have no current agreement.
    """

    partner_type: str
    organisations: int
    isolated: int


@dataclass(frozen=True)
class ClusterLink:
    """The connections between two ends of the clustered map, counted by status.

    An end is ``("opvang", name)`` for a shelter or ``("partnertype", code)`` for a cluster.

    Attributes:
        ends: the two ends, sorted.
        written: connections whose strongest status is ``schriftelijk``.
        other: connections that are verbal or in development.
    """

    ends: tuple[tuple[str, str], tuple[str, str]]
    written: int
    other: int

    @property
    def connections(self) -> int:
        """All connections between the two ends."""
        return self.written + self.other


@dataclass(frozen=True)
class NetworkClusters:
    """A large network summed up per partner type: its shelters, clusters and links.

    Attributes:
        shelters: the shelters' names, sorted (each drawn on its own).
        clusters: one per partner type present, in sector order.
        links: the connections between shelters and clusters (and among either), sorted.
    """

    shelters: tuple[str, ...]
    clusters: tuple[Cluster, ...]
    links: tuple[ClusterLink, ...]


def cluster_network(graph: nx.Graph) -> NetworkClusters:
    """The partners of a network grouped per partner type (:func:`sector_of`), the shelters
    kept apart; O(organisations + connections), whatever the size.

    >>> g = nx.Graph()
    >>> g.add_node("Opvang", is_shelter=True, partner_type="vrouwenopvang")
    >>> for name, kind in (("VT", "veilig_thuis"), ("P1", "politie"), ("P2", "politie")):
    ...     g.add_node(name, is_shelter=False, partner_type=kind)
    ...     g.add_edge("Opvang", name, status="schriftelijk")
    >>> summary = cluster_network(g)
    >>> [(c.partner_type, c.organisations) for c in summary.clusters]
    [('veilig_thuis', 1), ('politie', 2)]
    >>> [(link.ends[1], link.written) for link in summary.links]
    [(('partnertype', 'politie'), 2), (('partnertype', 'veilig_thuis'), 1)]
    """
    ends: dict[str, tuple[str, str]] = {}
    counts: Counter[str] = Counter()
    isolated: Counter[str] = Counter()
    for node, data in graph.nodes(data=True):
        if data.get("is_shelter"):
            ends[node] = ("opvang", node)
            continue
        code = sector_of(data.get("partner_type"))
        ends[node] = ("partnertype", code)
        counts[code] += 1
        if graph.degree(node) == 0:
            isolated[code] += 1
    written: Counter[tuple[tuple[str, str], tuple[str, str]]] = Counter()
    other: Counter[tuple[tuple[str, str], tuple[str, str]]] = Counter()
    for first, second, data in graph.edges(data=True):
        pair = tuple(sorted((ends[first], ends[second])))
        if data.get("status") == "schriftelijk":
            written[pair] += 1
        else:
            other[pair] += 1
    pairs = sorted(set(written) | set(other))
    return NetworkClusters(
        shelters=tuple(sort_names(node for node, end in ends.items() if end[0] == "opvang")),
        clusters=tuple(
            Cluster(code, counts[code], isolated[code]) for code in SECTORS if counts[code]
        ),
        links=tuple(ClusterLink(pair, written[pair], other[pair]) for pair in pairs),
    )
